"""Change inside a zone (dumped waste, a new structure, encroachment), robust to lighting and
small shake: the scene is compared with its aligned reference after a gain correction, a
pixel counts as changed only when it leaves the range of its reference neighbourhood (3×3
min/max, so a one-pixel shake changes nothing), and a changed blob must carry new or lost
edges (shading alone has none). Alerts need the changed share of the zone above a threshold
in the same place over several snapshots and minutes; the reference never absorbs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from ioc_core.cameras.vision.fire import Frame, iou
from ioc_core.cameras.vision.reference import Reference, gradient_magnitude
from ioc_core.cameras.vision.state import Box, DetectorState, Tuning, Zone, ZoneTrack

INTENSITY_MARGIN = 22
MIN_BLOB = 0.004  # of the zone's area
EDGE_SHARE = 0.08
SAME_PLACE_IOU = 0.4
REARM_MISSES = 3


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


def changed_blobs(
    frame: Frame, reference: Reference, shift: tuple[int, int], mask: Any
) -> tuple[list[tuple[Box, int]], int]:
    """Changed blobs inside ``mask`` ((box, pixels) each) and the mask's pixel count."""
    import cv2

    x0, y0, bw, bh = cv2.boundingRect(mask)
    if bw == 0 or bh == 0:
        return [], 0
    x1, y1 = x0 + bw, y0 + bh
    roi = (slice(y0, y1), slice(x0, x1))
    zone = mask[roi]
    luma = np.ascontiguousarray(frame.luma[roi])
    ref_luma = reference.at("luma", shift)[roi]
    gain = float(np.clip((cv2.mean(luma, zone)[0] + 8) / (cv2.mean(ref_luma, zone)[0] + 8), 0.25, 4.0))
    high = cv2.convertScaleAbs(reference.at("luma_max", shift)[roi], alpha=gain, beta=INTENSITY_MARGIN)
    low = cv2.convertScaleAbs(reference.at("luma_min", shift)[roi], alpha=gain, beta=-INTENSITY_MARGIN)
    outside = cv2.compare(luma, high, cv2.CMP_GT) | cv2.compare(luma, low, cv2.CMP_LT)
    outside &= zone
    outside = cv2.morphologyEx(outside, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    outside = cv2.morphologyEx(outside, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    grad = gradient_magnitude(luma)
    ref_grad = reference.at("gradient", shift)[roi]
    ref_grad_max = reference.at("gradient_max", shift)[roi]
    grad_max = cv2.dilate(grad, np.ones((3, 3), np.uint8))
    appeared = cv2.compare(grad, cv2.convertScaleAbs(ref_grad_max, alpha=1.5 * gain, beta=12), cv2.CMP_GT)
    vanished = cv2.compare(ref_grad, cv2.convertScaleAbs(grad_max, alpha=1.5 / gain, beta=12), cv2.CMP_GT)
    edges = appeared | vanished
    n, labels, stats, _ = cv2.connectedComponentsWithStats(outside, connectivity=8)
    zone_px = int(cv2.countNonZero(zone))
    h, w = frame.shape
    blobs = []
    for k in range(1, n):
        bx, by, bw, bh, area = (int(v) for v in stats[k])
        if area < MIN_BLOB * zone_px:
            continue
        blob = labels[by : by + bh, bx : bx + bw] == k
        if (edges[by : by + bh, bx : bx + bw][blob] > 0).mean() < EDGE_SHARE:
            continue  # brighter or darker, but nothing new in it: light, not an object
        box = ((x0 + bx) / w, (y0 + by) / h, (x0 + bx + bw) / w, (y0 + by + bh) / h)
        blobs.append((box, area))
    return blobs, zone_px


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def update_zone(
    state: DetectorState, zone: Zone, blobs: list[tuple[Box, int]], zone_px: int, at: datetime, tuning: Tuning
) -> ChangeFinding | None:
    fraction = sum(a for _, a in blobs) / max(1, zone_px)
    track = state.zones.get(zone.zone_id)
    if fraction < tuning.change_area_fraction or not blobs:
        if track is not None:
            track.missed += 1
            if track.missed >= REARM_MISSES and not track.alerted:
                del state.zones[zone.zone_id]
        return None
    box = _union([b for b, _ in blobs])
    if track is None or iou(track.box, box) < SAME_PLACE_IOU:
        if track is not None and track.alerted and iou(track.box, box) > 0.1:
            track.missed = 0  # the alerted change is still there, reshaped: no new alert
            return None
        state.zones[zone.zone_id] = ZoneTrack(box=box, first_seen=at, fraction=fraction)
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
