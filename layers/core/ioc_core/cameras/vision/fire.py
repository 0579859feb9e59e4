"""Fire early warning on one camera's snapshots (smoke: see smoke.py).

Per snapshot: fire-colour candidates that are new against the reference view (after aligning
it) → components → region features → the region model's score. Across snapshots: a track
per candidate; a fire alert needs the score above the camera's threshold in k of the last n
snapshots while the region persists and does not shrink.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ioc_core.cameras.vision.colour import fire_mask_of, planes_of
from ioc_core.cameras.vision.learn import StumpEnsemble
from ioc_core.cameras.vision.reference import Reference, quarter
from ioc_core.cameras.vision.registration import phase_shift
from ioc_core.cameras.vision.state import Box, DetectorState, Observation, Track, Tuning

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "fire_region_model.json"
MIN_AREA = 0.0004  # of the frame: 52 px at 480×270
MAX_REGIONS = 4
TRACK_MISSES = 2

REGION_FEATURES: list[str] = [
    "area",
    "fill",
    "aspect",
    "y_mean",
    "y_std",
    "core",
    "cr_mean",
    "cr_std",
    "texture",
    "ring_contrast",
    "novelty",
    "was_fire_like",
    "dark_scene",
    "smoke_above",
    "growth",
    "iou_prev",
    "shift_prev",
    "texture_change",
    "seen",
]


@dataclass
class Region:
    box: Box  # fractions of the frame
    pixels: tuple[int, int, int, int]  # x, y, w, h in analysis pixels
    area: float
    features: dict[str, float]
    score: float = 0.0
    track: Track | None = None

    def vector(self) -> np.ndarray:
        return np.array([self.features[name] for name in REGION_FEATURES], dtype=np.float64)


@cache
def region_model(path: Path = MODEL_PATH) -> StumpEnsemble:
    return StumpEnsemble.load(path)


@dataclass
class Frame:
    """One snapshot at analysis resolution, with the planes every detector needs."""

    image: Any
    ycrcb: Any
    at: datetime

    @classmethod
    def of(cls, image: Any, at: datetime) -> Frame:
        import cv2

        image = np.ascontiguousarray(image)
        return cls(image, cv2.cvtColor(image, cv2.COLOR_BGR2YCrCb), at)

    @cached_property
    def planes(self) -> tuple[Any, Any, Any]:
        """Y, Cr and Cb as contiguous planes, split once (OpenCV copies a strided view on
        every call it is passed to)."""
        return planes_of(self.ycrcb)

    @property
    def luma(self) -> Any:
        return self.planes[0]

    @property
    def chroma_red(self) -> Any:
        return self.planes[1]

    @cached_property
    def means(self) -> tuple[float, float, float]:
        """Mean Y, Cr, Cb of the whole frame."""
        import cv2

        # The sums and one division: cv2.mean costs four times cv2.sumElems here.
        sum_y, sum_cr, sum_cb, _ = cv2.sumElems(self.ycrcb)
        scale = 1.0 / (self.ycrcb.shape[0] * self.ycrcb.shape[1])
        return sum_y * scale, sum_cr * scale, sum_cb * scale

    @cached_property
    def small(self) -> Any:
        return quarter(self.luma)

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.image.shape[0]), int(self.image.shape[1])


def align(frame: Frame, reference: Reference) -> tuple[int, int, float]:
    """Integer (dx, dy) moving the reference onto the frame, and the correlation response
    (windowed phase correlation at a quarter of the size: within a pixel here)."""
    dx, dy, response = phase_shift(reference.spectrum, frame.small, reference.window)
    return round(dx * 4), round(dy * 4), response


def luma_gain(frame_mean: float, reference_mean: float) -> float:
    """How much brighter the scene is than its reference, from the mean lumas."""
    return min(max((frame_mean + 1.0) / (reference_mean + 1.0), 0.25), 4.0)


def iou(a: Box, b: Box) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def near(a: Box, b: Box) -> bool:
    """Same place: overlapping, or centres closer than the larger box's size."""
    if iou(a, b) > 0.05:
        return True
    ca, cb = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2), ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    size = max(a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1])
    return abs(ca[0] - cb[0]) < size and abs(ca[1] - cb[1]) < size


def fire_candidates(
    frame: Frame, reference: Reference | None, shift: tuple[int, int], mask: Any
) -> list[Region]:
    """New fire-coloured regions inside ``mask`` (255 = watched), largest first."""
    import cv2

    cand = fire_mask_of(frame.image, frame.planes, frame.means, within=mask)
    if not cv2.countNonZero(cand):
        return []  # nothing fire-coloured: novelty would only narrow nothing further
    y = frame.luma
    gain = 1.0
    ref_luma = ref_cr = None
    if reference is not None:
        ref_luma = reference.at("luma", shift)
        ref_cr = reference.at("chroma_red", shift)
        gain = luma_gain(frame.means[0], reference.mean_at("luma", shift))
        expected = cv2.convertScaleAbs(ref_luma, alpha=gain)
        novel = cv2.compare(cv2.subtract(y, expected), 30, cv2.CMP_GT)
        novel |= cv2.compare(cv2.subtract(frame.chroma_red, ref_cr), 18, cv2.CMP_GT)
        cand &= novel
    if not cv2.countNonZero(cand):
        return []
    cand = cv2.morphologyEx(cand, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    grouped = cv2.dilate(cand, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    h, w = frame.shape
    min_px = max(12, MIN_AREA * h * w)
    order: list[int] = list(np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:MAX_REGIONS] + 1) if n > 1 else []
    regions = []
    for k in order:
        x, y0, bw, bh, _ = (int(v) for v in stats[k])
        roi = (slice(y0, y0 + bh), slice(x, x + bw))
        inside = (labels[roi] == k) & (cand[roi] > 0)
        area_px = int(inside.sum())
        if area_px < min_px:
            continue
        features = _region_features(frame, reference, ref_luma, gain, (x, y0, bw, bh), inside, mask)
        box = (x / w, y0 / h, (x + bw) / w, (y0 + bh) / h)
        regions.append(Region(box, (x, y0, bw, bh), area_px / (h * w), features))
    return regions


def _region_features(
    frame: Frame,
    reference: Reference | None,
    ref_luma: Any,
    gain: float,
    rect: tuple[int, int, int, int],
    inside: np.ndarray,
    mask: Any,
) -> dict[str, float]:
    import cv2

    x, y0, bw, bh = rect
    h, w = frame.shape
    roi = (slice(y0, y0 + bh), slice(x, x + bw))
    yy = frame.luma[roi].astype(np.float32)
    cr = frame.chroma_red[roi].astype(np.float32)
    lap = np.abs(cv2.Laplacian(yy, cv2.CV_32F, ksize=3))
    vals_y, vals_cr = yy[inside], cr[inside]
    # Ring: a margin around the box, minus the region.
    mx0, my0, mx1, my1 = (
        max(0, x - bw // 2),
        max(0, y0 - bh // 2),
        min(w, x + bw + bw // 2),
        min(h, y0 + bh + bh // 2),
    )
    around = frame.luma[my0:my1, mx0:mx1].astype(np.float32)
    ring_mean = (float(around.sum()) - float(vals_y.sum())) / max(1, around.size - vals_y.size)
    f = {
        "area": float(np.sqrt(inside.sum() / (h * w))),
        "fill": float(inside.mean()),
        "aspect": float(np.log(bh / max(bw, 1))),
        "y_mean": float(vals_y.mean() / 255),
        "y_std": float(vals_y.std() / 255),
        "core": float((vals_y > 220).mean()),
        "cr_mean": float(vals_cr.mean() / 255),
        "cr_std": float(vals_cr.std() / 255),
        "texture": float(lap[inside].mean() / 255),
        "ring_contrast": float((vals_y.mean() - ring_mean) / 255),
        "novelty": 0.0,
        "was_fire_like": 0.0,
        "dark_scene": float(1.0 - frame.means[0] / 255),
        "smoke_above": 0.0,
    }
    if reference is not None and ref_luma is not None:
        ref_y = ref_luma[roi].astype(np.float32) * gain
        f["novelty"] = float((yy - ref_y)[inside].mean() / 255)
        f["was_fire_like"] = float((reference.fire_like[roi] > 0)[inside].mean())
        above = (slice(max(0, y0 - 2 * bh), y0), slice(x, x + bw))
        if above[0].stop > above[0].start:
            ya = frame.luma[above].astype(np.float32)
            ra = ref_luma[above].astype(np.float32) * gain
            grey = np.abs(frame.chroma_red[above].astype(np.int16) - 128) < 14
            f["smoke_above"] = float((grey & (np.abs(ya - ra) > 10)).mean())
    return f


def _temporal(region: Region, track: Track | None) -> None:
    f = region.features
    if track is None:
        f.update(growth=0.0, iou_prev=0.0, shift_prev=0.0, texture_change=0.0, seen=0.0)
        return
    last = track.last
    cx, cy = (region.box[0] + region.box[2]) / 2, (region.box[1] + region.box[3]) / 2
    px, py = (last.box[0] + last.box[2]) / 2, (last.box[1] + last.box[3]) / 2
    f.update(
        growth=float(np.log(region.area / max(last.area, 1e-6))),
        iou_prev=iou(region.box, last.box),
        shift_prev=float(np.hypot(cx - px, cy - py) / max(1e-3, region.box[2] - region.box[0])),
        texture_change=abs(f["texture"] - last.texture),
        seen=float(min(len(track.observations), 5)),
    )


def score_regions(regions: list[Region], tracks: list[Track], model: StumpEnsemble) -> None:
    """Match regions to fire tracks, add the temporal features, score."""
    free = [t for t in tracks if t.kind == "fire"]
    for region in regions:
        match = next((t for t in free if near(region.box, t.last.box)), None)
        if match is not None:
            free.remove(match)
        region.track = match
        _temporal(region, match)
    if regions:
        scores = model.probability(np.vstack([r.vector() for r in regions]))
        for region, score in zip(regions, scores, strict=True):
            region.score = float(score)


@dataclass
class FireFinding:
    kind: str  # fire | smoke
    box: Box
    score: float
    confidence: float
    snapshots: int
    area: float
    track_id: int


def update_fire_tracks(
    state: DetectorState, regions: list[Region], at: datetime, tuning: Tuning
) -> list[FireFinding]:
    """Fold this snapshot's scored regions into the tracks; findings for tracks that qualify."""
    findings: list[FireFinding] = []
    seen: set[int] = set()
    for region in regions:
        track = region.track
        if track is None:
            track = Track(track_id=state.next_track, kind="fire")
            state.next_track += 1
            state.tracks.append(track)
        track.observations = [
            *track.observations[-(tuning.fire_window + 2) :],
            Observation(
                at=at,
                score=region.score,
                box=region.box,
                area=region.area,
                texture=region.features["texture"],
            ),
        ]
        track.missed = 0
        seen.add(track.track_id)
        recent = track.observations[-tuning.fire_window :]
        hits = [o for o in recent if o.score >= tuning.fire_threshold]
        not_shrinking = recent[-1].area >= 0.8 * recent[0].area
        if (
            not track.alerted
            and len(hits) >= tuning.fire_hits
            and len(recent) >= tuning.fire_hits
            and not_shrinking
        ):
            track.alerted = True
            mean = float(np.mean([o.score for o in recent]))
            confidence = round(mean * min(1.0, len(hits) / tuning.fire_window + 0.34), 3)
            findings.append(
                FireFinding(
                    "fire",
                    region.box,
                    region.score,
                    min(confidence, 0.99),
                    len(track.observations),
                    region.area,
                    track.track_id,
                )
            )
    age_tracks(state, seen, "fire")
    return findings


def age_tracks(state: DetectorState, seen: set[int], kind: str) -> None:
    for track in state.tracks:
        if track.kind == kind and track.track_id not in seen:
            track.missed += 1
    state.tracks = [t for t in state.tracks if t.kind != kind or t.missed <= TRACK_MISSES]
