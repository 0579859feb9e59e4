"""Change inside a zone (dumped waste, a new structure, encroachment), robust to lighting and
small shake: the scene is compared in colour with its aligned reference relit by the zone's
median per-channel gain; a pixel counts as changed only when it leaves the range of its
reference neighbourhood (3×3 min/max, so a one-pixel shake changes nothing) in some channel,
and a changed blob must carry new or lost edges (shading alone has none). One change is
followed where it was first seen; an alert needs it above a share of the zone there over
several snapshots and minutes. The reference never absorbs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from ioc_core.cameras.vision.fire import Frame, iou
from ioc_core.cameras.vision.reference import Reference, gradient_magnitude
from ioc_core.cameras.vision.state import Box, DetectorState, Tuning, Zone, ZoneTrack

COLOUR_MARGIN = 10.0
COLOUR_RELATIVE = 0.12
MIN_BLOB = 0.004  # of the zone's area
EDGE_SHARE = 0.08
OUTLINE_SHARE = 0.2  # of a blob: edges beside its colour change (posts, an outline) this dense
RELIT = 1.5  # the zone this many times brighter (or darker) than its reference: light far off
SAME_PLACE_IOU = 0.4
REARM_MISSES = 3
NEAR_MARGIN = 0.02  # of the frame: pieces of one heap
GROUP_PX = 5  # changed pixels this close are one change
EDGE_ONLY_BLOB = 0.02  # of the zone's area: a change in texture alone must be this large
LIGHT_SHARE = 0.5  # of the zone's area: no object left in a zone covers more of it
ACROSS = 0.95  # of the zone's width: a change from side to side is light sweeping over it
# In the dark a near-white patch where the reference showed nothing as bright is a light
# switched on (a street lamp at dusk, a lit sign), not an object left there; by day it may be
# a white object, so only below this mean luma of the view.
DARK_VIEW = 100.0
LIGHT_LEVEL = 230  # luma of a light source: as near white as a camera records
LIGHT_RISE = 60  # above the brightest of the reference's 3×3 neighbourhood
LIGHT_PX = 4  # such pixels in a changed blob make it a light


@dataclass
class ChangeFinding:
    zone_id: str
    kind: str  # dumping | construction | encroachment
    box: Box
    fraction: float
    confidence: float
    snapshots: int


ALERT_KIND = {"no_dumping": "dumping", "no_construction": "construction", "no_encroachment": "encroachment"}


def zone_mask(zone: Zone, shape: tuple[int, int]) -> Any:
    import cv2

    h, w = shape
    mask = np.zeros((h, w), np.uint8)
    points = np.array([[round(x * (w - 1)), round(y * (h - 1))] for x, y in zone.polygon], np.int32)
    cv2.fillPoly(mask, [points], 255)
    return mask


def photometric_gain(now: Any, then: Any, zone: Any) -> Any:
    """Per-channel gain from the reference to the snapshot over the zone: the median ratio, so
    the light of the whole zone cancels while an object over part of it does not move it (on
    every other row and column: the median does not need them all)."""
    inside = zone[::2, ::2] > 0
    ratio = (now[::2, ::2][inside].astype(np.float32) + 4.0) / (
        then[::2, ::2][inside].astype(np.float32) + 4.0
    )
    return np.clip(np.median(ratio, axis=0), 1 / 16, 16.0)


@dataclass
class _ZoneGeometry:
    """What a zone mask alone decides, computed once per (cached, reused) mask."""

    mask: Any  # kept: while it lives its id names no other array
    rect: tuple[int, int, int, int]
    zone: Any
    zone_px: int
    sample: Any  # (3, n) indices into the flattened BGR ROI: B, G, R of photometric_gain's pixels


_GEOMETRY: dict[int, _ZoneGeometry] = {}


def _geometry(mask: Any) -> _ZoneGeometry:
    import cv2

    found = _GEOMETRY.get(id(mask))
    if found is not None and found.mask is mask:
        return found
    x0, y0, bw, bh = cv2.boundingRect(mask)
    zone = mask[y0 : y0 + bh, x0 : x0 + bw]
    every_other = np.zeros(zone.shape, bool)
    every_other[::2, ::2] = zone[::2, ::2] > 0
    pixels = np.flatnonzero(every_other) * 3  # row-major: the order of photometric_gain's
    sample = np.stack([pixels, pixels + 1, pixels + 2])
    if len(_GEOMETRY) > 64:
        _GEOMETRY.clear()
    found = _GEOMETRY[id(mask)] = _ZoneGeometry(
        mask, (x0, y0, bw, bh), zone, int(cv2.countNonZero(zone)) if bw and bh else 0, sample
    )
    return found


def _zone_gain(now: Any, reference: Reference, geometry: _ZoneGeometry, roi: Any) -> Any:
    """``photometric_gain(now, reference.smooth[roi], zone)``, bit for bit: the same ratios,
    gathered by cached indices, the reference's side computed once per zone."""
    cache: dict[int, tuple[Any, Any]] = reference.__dict__.setdefault("_gain_sample", {})
    hit = cache.get(id(geometry.mask))
    if hit is None or hit[0] is not geometry.mask:
        then = np.ascontiguousarray(reference.smooth[roi]).ravel()[geometry.sample]
        hit = cache[id(geometry.mask)] = (geometry.mask, then.astype(np.float32) + 4.0)
    ratio = np.add(np.ascontiguousarray(now).ravel()[geometry.sample], 4.0, dtype=np.float32)
    ratio /= hit[1]
    return np.minimum(np.maximum(_median(ratio), 1 / 16), 16.0)  # np.clip, without its wrapper


def _median(values: Any) -> Any:
    """``np.median(values, axis=1)`` bit for bit (the middle value, or the mean of the middle
    two), by partitioning only at the middle."""
    k = values.shape[1] // 2
    if values.shape[1] % 2:
        return np.partition(values, k, axis=1)[:, k]
    middle = np.partition(values, [k - 1, k], axis=1)
    return (middle[:, k - 1] + middle[:, k]) / np.float32(2)


def colour_change(
    now: Any, reference: Reference, shift: tuple[int, int], roi: Any, zone: Any, gain: Any = None
) -> tuple[Any, float]:
    """Pixels whose colour leaves the relit range of their reference neighbourhood (3×3 min/max,
    so a pixel of shake changes nothing) in any channel, by more than noise and JPEG allow
    (which grow with the level): a structure as bright as the wall behind it still differs in
    colour. Saturating uint8 arithmetic: a range relit past 255 simply cannot be exceeded."""
    import cv2

    if gain is None:
        gain = photometric_gain(now, reference.smooth[roi], zone)
    up = tuple(float(g) * (1 + COLOUR_RELATIVE) for g in gain)
    down = tuple(float(g) * (1 - COLOUR_RELATIVE) for g in gain)
    high = cv2.add(cv2.multiply(reference.at("smooth_max", shift)[roi], (*up, 0.0)), (COLOUR_MARGIN,) * 3)
    low = cv2.subtract(
        cv2.multiply(reference.at("smooth_min", shift)[roi], (*down, 0.0)), (COLOUR_MARGIN,) * 3
    )
    within = cv2.inRange(now, low, high)  # 255 where every channel stays in its range
    return cv2.subtract(zone, within), float(np.add.reduce(gain) / np.float32(len(gain)))  # the mean


def changed_blobs(
    frame: Frame, reference: Reference, shift: tuple[int, int], mask: Any
) -> tuple[list[tuple[Box, int]], int]:
    """Changed blobs inside ``mask`` ((box, pixels) each) and the mask's pixel count."""
    import cv2

    geometry = _geometry(mask)
    x0, y0, bw, bh = geometry.rect
    if bw == 0 or bh == 0:
        return [], 0
    x1, y1 = x0 + bw, y0 + bh
    roi = (slice(y0, y1), slice(x0, x1))
    zone = geometry.zone
    # OpenCV filters a NumPy view as an image of its own (it cannot see past the view's edges):
    # blurring the zone's rectangle needs no copy of it.
    now = cv2.GaussianBlur(frame.image[roi], (3, 3), 0)
    gain = _zone_gain(now, reference, geometry, roi)
    outside, mean_gain = colour_change(now, reference, shift, roi, zone, gain)
    outside = cv2.morphologyEx(outside, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    zone_px = geometry.zone_px
    # A grey structure on grey ground differs in texture only (slats, the windows it hides):
    # its new and lost edges, joined up, are a change too.
    edges = cv2.bitwise_and(_edge_change(frame, reference, shift, roi, mean_gain), zone)
    if not cv2.countNonZero(outside) and not cv2.countNonZero(edges):
        return [], zone_px  # the usual case: nothing in the zone differs from its reference
    grouped = cv2.morphologyEx(outside | edges, cv2.MORPH_CLOSE, np.ones((GROUP_PX, GROUP_PX), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    min_px = MIN_BLOB * zone_px
    h, w = frame.shape
    blobs = []
    zone_w = geometry.rect[2]
    relit = max(mean_gain, 1 / mean_gain) >= RELIT
    lights = _new_lights(frame, reference, shift, roi)
    for k in range(1, n):
        bx, by, bw, bh, area = (int(v) for v in stats[k])
        if area < min_px or area > LIGHT_SHARE * zone_px or bw >= ACROSS * zone_w:
            continue  # specks; or much of the zone, or all across it, at once: the light
        blob = labels[by : by + bh, bx : bx + bw] == k
        if lights is not None and np.count_nonzero(lights[by : by + bh, bx : bx + bw][blob]) >= LIGHT_PX:
            continue  # a light switched on in the dark, and the glow around it
        edged = edges[by : by + bh, bx : bx + bw] > 0
        coloured = blob & (outside[by : by + bh, bx : bx + bw] > 0)
        if coloured.sum() >= min_px:
            # Where the colour changed enough, that is the object (edges of passing rain joined
            # to it must not stretch its box), and it must carry new or lost edges itself.
            # Far from the reference's light (dawn over a night-time reference) an object's own
            # edges fail the relit test first (its awning as bright as the ground now): edges
            # just beside its colour change, its posts and outline, then speak for it. Not in
            # steady light, where shake along rows of windows leaves edges beside colour too.
            outlined = relit and edged[blob].mean() >= OUTLINE_SHARE
            if edged[coloured].mean() < EDGE_SHARE and not outlined:
                continue  # brighter or darker, but nothing new in or at it: light, not an object
            cx, cy, bw, bh = cv2.boundingRect(coloured.astype(np.uint8))
            bx, by = bx + cx, by + cy
        elif area < EDGE_ONLY_BLOB * zone_px or edged[blob].mean() < EDGE_SHARE:
            continue  # edges alone, and few: rain streaks and shimmer, not a structure
        box = ((x0 + bx) / w, (y0 + by) / h, (x0 + bx + bw) / w, (y0 + by + bh) / h)
        blobs.append((box, area))
    return blobs, zone_px


def _new_lights(frame: Frame, reference: Reference, shift: tuple[int, int], roi: Any) -> Any:
    """Where a dark view shows a light its reference did not have (None in a lit view)."""
    import cv2

    if frame.means[0] >= DARK_VIEW:
        return None
    luma = frame.luma[roi]
    brighter = cv2.compare(luma, cv2.add(reference.at("luma_max", shift)[roi], LIGHT_RISE), cv2.CMP_GT)
    return cv2.bitwise_and(cv2.compare(luma, LIGHT_LEVEL, cv2.CMP_GE), brighter) > 0


def _edge_change(
    frame: Frame, reference: Reference, shift: tuple[int, int], roi: Any, mean_gain: float
) -> Any:
    """Edges that appeared or vanished against the reference (relit by the zone's gain)."""
    import cv2

    grad = gradient_magnitude(frame.luma[roi])
    ref_grad = reference.at("gradient", shift)[roi]
    ref_grad_max = reference.at("gradient_max", shift)[roi]
    grad_max = cv2.dilate(grad, np.ones((3, 3), np.uint8))
    appeared = cv2.compare(
        grad, cv2.convertScaleAbs(ref_grad_max, alpha=1.5 * mean_gain, beta=12), cv2.CMP_GT
    )
    vanished = cv2.compare(
        ref_grad, cv2.convertScaleAbs(grad_max, alpha=1.5 / mean_gain, beta=12), cv2.CMP_GT
    )
    return appeared | vanished


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _around(blobs: list[tuple[Box, int]], box: Box) -> list[tuple[Box, int]]:
    """Blobs centred on ``box`` or just beside it: a larger change that merely reaches into it
    (the sky turning orange behind a structure) is not the same change."""
    x0, y0, x1, y1 = box[0] - NEAR_MARGIN, box[1] - NEAR_MARGIN, box[2] + NEAR_MARGIN, box[3] + NEAR_MARGIN
    return [b for b in blobs if x0 <= (b[0][0] + b[0][2]) / 2 <= x1 and y0 <= (b[0][1] + b[0][3]) / 2 <= y1]


def _start(
    state: DetectorState, zone: Zone, blobs: list[tuple[Box, int]], zone_px: int, at: datetime, tuning: Tuning
) -> None:
    """A new track on the largest change and the pieces next to it (waste lies in heaps)."""
    if not blobs:
        return
    largest = max(blobs, key=lambda blob: blob[1])
    mine = _around(blobs, largest[0])
    fraction = sum(a for _, a in mine) / max(1, zone_px)
    if fraction >= tuning.change_area_fraction:
        state.zones[zone.zone_id] = ZoneTrack(
            box=_union([b for b, _ in mine]), first_seen=at, fraction=fraction
        )


def update_zone(
    state: DetectorState, zone: Zone, blobs: list[tuple[Box, int]], zone_px: int, at: datetime, tuning: Tuning
) -> ChangeFinding | None:
    """Follows one change in the zone where it was first seen: blobs elsewhere (traffic across
    the zone's edge) neither feed nor reset it; a change seen once and then gone is dropped."""
    track = state.zones.get(zone.zone_id)
    mine = _around(blobs, track.box) if track is not None else []
    fraction = sum(a for _, a in mine) / max(1, zone_px)
    box = _union([b for b, _ in mine]) if mine else None
    if (
        track is None
        or box is None
        or fraction < tuning.change_area_fraction
        or iou(track.box, box) < SAME_PLACE_IOU
    ):
        if track is not None:
            track.missed += 1
            if track.alerted or (track.missed < REARM_MISSES and track.snapshots > 1):
                return None
            del state.zones[zone.zone_id]
        _start(state, zone, blobs, zone_px, at, tuning)
        return None
    track.snapshots += 1
    track.missed = 0
    track.box = box
    track.fraction = fraction
    minutes = (at - track.first_seen).total_seconds() / 60
    if track.alerted or track.snapshots < tuning.change_snapshots or minutes < tuning.change_minutes:
        return None
    track.alerted = True
    confidence = float(np.clip(0.5 + fraction * 3 + 0.05 * track.snapshots, 0.5, 0.95))
    return ChangeFinding(
        zone.zone_id, ALERT_KIND[zone.kind], box, round(fraction, 4), round(confidence, 3), track.snapshots
    )
