"""Fire-colour candidates: Celik & Demirel (YCbCr rules 1–4, τ = 40) ∧ Chen (R > 125, R ≥ G > B).

Colour rules are candidate generators, not classifiers: they pass sunsets, warm rooms and red
cars as readily as flames. Everything after them (novelty, texture, shape, growth) decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CELIK_TAU = 40
CHEN_RED = 125


def fire_mask(bgr: Any, ycrcb: Any | None = None) -> Any:
    """uint8 mask (255 = candidate) with OpenCV element-wise ops (no float copies)."""
    import cv2

    if ycrcb is None:
        ycrcb = cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb)
    mean_y, mean_cr, mean_cb, _ = cv2.mean(ycrcb)
    return fire_mask_of_planes(cv2.split(bgr), cv2.split(ycrcb), (mean_y, mean_cr, mean_cb))


def fire_mask_of_planes(bgr: Sequence[Any], ycrcb: Sequence[Any], means: tuple[float, float, float]) -> Any:
    """``fire_mask`` from planes already split (B, G, R; Y, Cr, Cb) and the mean Y, Cr, Cb."""
    import cv2

    b, g, r = bgr
    y, cr, cb = ycrcb
    mean_y, mean_cr, mean_cb = means
    mask = cv2.compare(y, cb, cv2.CMP_GT)
    mask &= cv2.compare(cr, cb, cv2.CMP_GT)
    mask &= cv2.compare(y, mean_y, cv2.CMP_GT)
    mask &= cv2.compare(cb, mean_cb, cv2.CMP_LT)
    mask &= cv2.compare(cr, mean_cr, cv2.CMP_GT)
    mask &= cv2.compare(cv2.absdiff(cb, cr), CELIK_TAU, cv2.CMP_GE)
    mask &= cv2.compare(r, CHEN_RED, cv2.CMP_GT)
    mask &= cv2.compare(r, g, cv2.CMP_GE)
    mask &= cv2.compare(g, b, cv2.CMP_GT)
    return mask
