"""Evidence for an alert: a full-resolution crop around the finding and the analysed view
with the finding's box and the camera's zones drawn on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ioc_core.cameras.vision.jpeg import encode_jpeg
from ioc_core.cameras.vision.state import Box, Zone

MARGIN = 0.5  # of the box's size, on each side
MIN_CROP_PX = 96
COLOURS = {
    "fire_watch": (0, 140, 255),
    "no_construction": (255, 160, 0),
    "no_dumping": (0, 200, 0),
    "no_encroachment": (200, 0, 200),
}


def crop(full: Any, box: Box) -> bytes:
    h, w = full.shape[:2]
    bw, bh = (box[2] - box[0]) * w, (box[3] - box[1]) * h
    mx, my = max(bw * MARGIN, MIN_CROP_PX / 2), max(bh * MARGIN, MIN_CROP_PX / 2)
    x0, y0 = max(0, int(box[0] * w - mx)), max(0, int(box[1] * h - my))
    x1, y1 = min(w, int(box[2] * w + mx)), min(h, int(box[3] * h + my))
    return encode_jpeg(full[y0:y1, x0:x1], quality=92)


def annotate(view: Any, box: Box, label: str, zones: Sequence[Zone]) -> bytes:
    import cv2

    img = np.ascontiguousarray(view.copy())
    h, w = img.shape[:2]
    for zone in zones:
        points = np.array([[int(x * (w - 1)), int(y * (h - 1))] for x, y in zone.polygon], np.int32)
        cv2.polylines(img, [points], True, COLOURS.get(zone.kind, (255, 255, 255)), 1, cv2.LINE_AA)
    p0 = (int(box[0] * w), int(box[1] * h))
    p1 = (int(box[2] * w), int(box[3] * h))
    cv2.rectangle(img, p0, p1, (0, 0, 255), 2)
    cv2.putText(
        img, label, (p0[0], max(12, p0[1] - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 255), 1, cv2.LINE_AA
    )
    return encode_jpeg(img, quality=88)
