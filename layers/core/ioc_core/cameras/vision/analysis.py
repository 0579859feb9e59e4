"""One snapshot of one camera → findings, and the camera's detector state carried forward.

Pure: images, zones, thresholds and state in; findings and state out. The detection Lambda,
the simulated cameras and the sequence benchmark all call ``analyse``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from ioc_core.cameras.vision import change, fire, refresh, smoke
from ioc_core.cameras.vision.learn import StumpEnsemble
from ioc_core.cameras.vision.reference import Reference
from ioc_core.cameras.vision.state import Box, DetectorState, Period, Tuning, Zone, period_of

MAX_SHIFT_PX = 12
MIN_RESPONSE = 0.02
SEVERITY = {
    "fire": "critical",
    "smoke": "medium",
    "construction": "medium",
    "encroachment": "medium",
    "dumping": "low",
}
WHOLE_VIEW = "view"


@dataclass
class Finding:
    kind: str  # fire | smoke | dumping | construction | encroachment
    zone_id: str
    box: Box
    confidence: float
    severity: str
    snapshots: int
    area: float


@dataclass
class Analysis:
    findings: list[Finding]
    state: DetectorState
    period: Period
    reference_period: str | None
    shift: tuple[int, int] = (0, 0)
    view_lost: bool = False
    regions: list[fire.Region] = field(default_factory=list)
    # The period's reference brought to this snapshot's light (refresh.py), when it drifted.
    refreshed: Any = None


def choose_reference(
    period: Period, references: Mapping[str, Reference], luma_mean: float
) -> tuple[str | None, Reference | None]:
    """The period's own reference, else the one whose brightness is nearest."""
    if period in references:
        return period, references[period]
    if not references:
        return None, None
    name = min(references, key=lambda p: abs(float(np.mean(references[p].luma)) - luma_mean))
    return name, references[name]


ZoneKey = tuple[tuple[str, str, tuple[tuple[float, float], ...]], ...]


@lru_cache(maxsize=256)
def _mask(zones: ZoneKey, kinds: tuple[str, ...], shape: tuple[int, int]) -> Any:
    """Union of the zones of ``kinds`` (the whole view when there are none), cached."""
    selected = [Zone(zone_id=z, kind=k, polygon=list(p)) for z, k, p in zones if k in kinds]  # type: ignore[arg-type]
    if not selected:
        return np.full(shape, 255, np.uint8)
    out = np.zeros(shape, np.uint8)
    for zone in selected:
        out |= change.zone_mask(zone, shape)
    return out


def _zone_key(zones: Sequence[Zone]) -> ZoneKey:
    return tuple((z.zone_id, z.kind, tuple(tuple(p) for p in z.polygon)) for z in zones)  # type: ignore[misc]


def _fire_zone(box: Box, zones: Sequence[Zone]) -> str:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for zone in zones:
        if zone.kind == "fire_watch" and _inside((cx, cy), zone.polygon):
            return zone.zone_id
    return WHOLE_VIEW


def _inside(point: tuple[float, float], polygon: Sequence[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def analyse(
    image: Any,
    at: datetime,
    zones: Sequence[Zone],
    tuning: Tuning,
    state: DetectorState,
    references: Mapping[str, Reference],
    model: StumpEnsemble | None = None,
    relit: Mapping[str, Reference] | None = None,
) -> Analysis:
    """Mutates and returns ``state`` (callers that keep the old one pass a copy). ``relit``:
    the periods' references as refreshed with the light (refresh.py), what zones compare."""

    frame = fire.Frame.of(image, at)
    period = period_of(at)
    ref_name, reference = choose_reference(period, references, frame.means[0])
    shift, view_lost, response = (0, 0), False, 0.0
    if reference is not None:
        dx, dy, response = fire.align(frame, reference)
        if abs(dx) > MAX_SHIFT_PX or abs(dy) > MAX_SHIFT_PX or response < MIN_RESPONSE:
            view_lost, dx, dy = True, 0, 0  # moved or obstructed: compare nothing this time
        shift = (dx, dy)
    keys = _zone_key(zones)
    watch = _mask(keys, ("fire_watch",), frame.shape)
    regions = fire.fire_candidates(frame, None if view_lost else reference, shift, watch)
    fire.score_regions(regions, state.tracks, model or fire.region_model())
    found = fire.update_fire_tracks(state, regions, at, tuning)
    if reference is not None and not view_lost:
        found += smoke.update_smoke_tracks(
            state, smoke.smoke_regions(frame, reference, shift, watch), at, tuning
        )
    findings = [
        Finding(
            f.kind,
            _fire_zone(f.box, zones),
            f.box,
            f.confidence,
            _severity(f.kind, f.confidence),
            f.snapshots,
            f.area,
        )
        for f in found
    ]
    renewed = None
    if reference is not None and not view_lost and ref_name == period:
        lit = _zones_reference(frame, reference, (relit or {}).get(period), shift)
        watched = []
        for zone, key in zip(zones, keys, strict=True):
            if zone.kind not in change.ALERT_KIND:
                continue
            mask = _mask((key,), (zone.kind,), frame.shape)
            blobs, zone_px = change.changed_blobs(frame, lit, shift, mask)
            hit = change.update_zone(state, zone, blobs, zone_px, at, tuning)
            if zone.zone_id in state.zones:
                watched.append(mask)  # a change is followed there: its view stays as it was
            if hit is not None:
                findings.append(
                    Finding(
                        hit.kind,
                        hit.zone_id,
                        hit.box,
                        hit.confidence,
                        SEVERITY[hit.kind],
                        hit.snapshots,
                        hit.fraction,
                    )
                )
        if tuning.relight_zones:
            renewed = _refreshed(frame, lit, shift, response, watched)
    state.last_at = at
    return Analysis(findings, state, period, ref_name, shift, view_lost, regions, renewed)


def _zones_reference(
    frame: fire.Frame, reference: Reference, relit: Reference | None, shift: tuple[int, int]
) -> Reference:
    """What zones compare: the period's reference as refreshed with the light (same pixels),
    unless the view is darker than that by the refresh's margin (the next day's dawn, before
    its light has risen): then the period's own, which the rising light refreshes again."""
    if relit is None:
        return reference
    gain = fire.luma_gain(frame.means[0], relit.mean_at("luma", shift))
    return reference if gain <= 1 / refresh.DRIFT else relit


def _refreshed(
    frame: fire.Frame, reference: Reference, shift: tuple[int, int], response: float, watched: list[Any]
) -> Any:
    """The zones' reference brought to this snapshot's light once it drifted (None while the
    light holds, or from a snapshot not aligned with confidence)."""
    if max(abs(shift[0]), abs(shift[1])) > refresh.MAX_SHIFT_PX or response < refresh.MIN_RESPONSE:
        return None
    gain = fire.luma_gain(frame.means[0], reference.mean_at("luma", shift))
    if not refresh.drifted(gain, frame.means[0]):
        return None
    frozen = None
    if watched:
        frozen = np.zeros(frame.shape, np.uint8)
        for mask in watched:
            frozen |= mask
    return refresh.refreshed(frame.image, reference, shift, frozen)


def _severity(kind: str, confidence: float) -> str:
    if kind == "fire":
        return "critical" if confidence >= 0.6 else "high"
    return SEVERITY[kind]
