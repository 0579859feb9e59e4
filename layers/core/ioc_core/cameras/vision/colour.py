"""Fire-colour candidates: Celik & Demirel (YCbCr rules 1–4, τ = 40) ∧ Chen (R > 125, R ≥ G > B).

Colour rules are candidate generators, not classifiers: they pass sunsets, warm rooms and red
cars as readily as flames. Everything after them (novelty, texture, shape, growth) decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CELIK_TAU = 40
CHEN_RED = 125


def planes_of(image: Any) -> tuple[Any, Any, Any]:
    """The three channels as contiguous planes. Split into arrays made here: the list
    ``cv2.split`` returns otherwise is copied once more on its way to Python (7× the cost)."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    planes = (np.empty((h, w), image.dtype), np.empty((h, w), image.dtype), np.empty((h, w), image.dtype))
    cv2.split(image, planes)
    return planes


def fire_mask(bgr: Any, ycrcb: Any | None = None) -> Any:
    """uint8 mask (255 = candidate) with OpenCV element-wise ops (no float copies)."""
    import cv2

    if ycrcb is None:
        ycrcb = cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb)
    mean_y, mean_cr, mean_cb, _ = cv2.mean(ycrcb)
    return fire_mask_of(bgr, planes_of(ycrcb), (mean_y, mean_cr, mean_cb))


def fire_mask_of(
    bgr: Any, ycrcb: Sequence[Any], means: tuple[float, float, float], within: Any | None = None
) -> Any:
    """``fire_mask`` from the BGR image, its Y, Cr and Cb planes and their means (``& within``
    when given). Rules are applied most selective first and stop once no pixel is left (most
    views): the BGR image is then never split."""
    import cv2

    y, cr, cb = ycrcb
    mean_y, mean_cr, mean_cb = means
    # Cr > Cb and |Cb − Cr| ≥ τ in one: the saturating Cr − Cb is 0 wherever Cb ≥ Cr.
    mask = cv2.compare(cv2.subtract(cr, cb), CELIK_TAU, cv2.CMP_GE)
    if within is not None:
        mask &= within
    rules = (
        lambda: cv2.compare(y, mean_y, cv2.CMP_GT),
        lambda: cv2.compare(cr, mean_cr, cv2.CMP_GT),
        lambda: cv2.compare(cb, mean_cb, cv2.CMP_LT),
        lambda: cv2.compare(y, cb, cv2.CMP_GT),
    )
    for rule in rules:
        if not cv2.countNonZero(mask):
            return mask
        mask &= rule()
    if not cv2.countNonZero(mask):
        return mask
    b, g, r = planes_of(bgr)
    mask &= cv2.compare(r, CHEN_RED, cv2.CMP_GT)
    mask &= cv2.compare(r, g, cv2.CMP_GE)
    mask &= cv2.compare(g, b, cv2.CMP_GT)
    return mask
