"""Whole-image fire features for single stills (no reference view, no history).

Colour-candidate statistics (brightness, chroma, hue mix, bright core, internal texture,
ring contrast, shape), global colour and texture context (vivid-hue histogram, smoke-like
pixels, edges and straight lines, which warm rooms and streets have and flames lack).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ioc_core.cameras.vision.colour import fire_mask

STILL_LONG_SIDE = 480
HUE_BINS = 12

FEATURES: list[str] = [
    "cand_frac",
    "largest",
    "ncomp",
    "y_mean",
    "y_std",
    "cr_mean",
    "cr_std",
    "cb_mean",
    "s_mean",
    "s_std",
    "h_red",
    "h_orange",
    "h_yellow",
    "core",
    "grad_in",
    "grad_ratio",
    "lap_in",
    "ring_contrast",
    "compact",
    "solidity",
    "core_corr",
    "cy",
    "g_s",
    "g_ystd",
    "g_dark",
    "g_white",
    "g_crcb",
    *[f"vivid_hue{i}" for i in range(HUE_BINS)],
    "smoke",
    "edges",
    "lines",
]


def resize_long_side(bgr: Any, long_side: int = STILL_LONG_SIDE) -> Any:
    import cv2

    h, w = bgr.shape[:2]
    scale = long_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def _stats(values: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    if mask.sum() <= 10:
        return 0.0, 0.0
    selected = values[mask]
    return float(selected.mean()), float(selected.std())


def still_features(bgr: Any) -> np.ndarray:
    """The FEATURES vector of one image (resized to 480 px on the long side first)."""
    import cv2

    img = resize_long_side(bgr)
    ycc = cv2.cvtColor(img, cv2.COLOR_BGR2YCrCb)
    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV).astype(np.float32)
    y, cr, cb = (ycc[..., i].astype(np.float32) for i in range(3))
    hue, sat, val = hsv[..., 0] * 2, hsv[..., 1] / 255, hsv[..., 2] / 255
    cand = cv2.morphologyEx(fire_mask(img, ycc) // 255, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(cand, connectivity=8)
    gx = cv2.Sobel(y, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(y, cv2.CV_32F, 0, 1, ksize=3)
    grad = cv2.magnitude(gx, gy)
    lap = np.abs(cv2.Laplacian(y, cv2.CV_32F, ksize=3))
    m = cand.astype(bool)
    has = m.sum() > 10
    f: dict[str, float] = {}
    f["cand_frac"] = float(np.sqrt(m.mean()))
    largest = int(stats[1:, cv2.CC_STAT_AREA].max()) if n > 1 else 0
    f["largest"] = float(np.sqrt(largest / m.size))
    f["ncomp"] = float(np.log1p(n - 1))
    f["y_mean"], f["y_std"] = (v / 255 for v in _stats(y, m))
    f["cr_mean"], f["cr_std"] = (v / 255 for v in _stats(cr, m))
    f["cb_mean"] = _stats(cb, m)[0] / 255
    f["s_mean"], f["s_std"] = _stats(sat, m)
    hues = hue[m] if has else np.zeros(1)
    f["h_red"] = float((hues < 12).mean())
    f["h_orange"] = float(((hues >= 12) & (hues < 28)).mean())
    f["h_yellow"] = float(((hues >= 28) & (hues < 60)).mean())
    near = cv2.dilate(cand, np.ones((15, 15), np.uint8)).astype(bool)
    ring = near & ~m
    f["core"] = float(((y > 220) & near).sum() / max(1, near.sum()))
    grad_in = float(grad[m].mean()) if has else 0.0
    f["grad_in"] = grad_in / 255
    f["grad_ratio"] = float(np.log1p(grad_in) - np.log1p(grad[~m].mean() + 1))
    f["lap_in"] = float(lap[m].mean() / 255) if has else 0.0
    f["ring_contrast"] = float((y[m].mean() - y[ring].mean()) / 255) if has and ring.sum() > 10 else 0.0
    f.update(_largest_shape(labels, stats, centroids, y, n, img.shape[0]))
    f["g_s"] = float(sat.mean())
    f["g_ystd"] = float(y.std() / 255)
    f["g_dark"] = float((y < 50).mean())
    f["g_white"] = float((y > 230).mean())
    f["g_crcb"] = float((cr - cb).mean() / 255)
    vivid = (sat > 0.4) & (val > 0.4)
    bins = np.clip((hue / 30).astype(int), 0, HUE_BINS - 1)
    for i in range(HUE_BINS):
        f[f"vivid_hue{i}"] = float((vivid & (bins == i)).mean())
    f["smoke"] = float(((sat < 0.15) & (y > 80) & (y < 210) & (grad < 20)).mean())
    edges = cv2.Canny(img, 80, 160)
    f["edges"] = float((edges > 0).mean())
    lines = cv2.HoughLinesP(edges, 1, np.pi / 180, 60, minLineLength=max(img.shape) // 8, maxLineGap=3)
    f["lines"] = float(np.log1p(0 if lines is None else len(lines)))
    return np.array([f[name] for name in FEATURES], dtype=np.float64)


def _largest_shape(
    labels: np.ndarray, stats: np.ndarray, centroids: np.ndarray, y: np.ndarray, n: int, height: int
) -> dict[str, float]:
    """Shape of the largest candidate: compactness, solidity, brighter-inside correlation."""
    import cv2

    if n <= 1:
        return {"compact": 0.0, "solidity": 0.0, "core_corr": 0.0, "cy": 0.5}
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    comp = (labels == k).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=cv2.contourArea)
    area = max(cv2.contourArea(contour), 1.0)
    perimeter = cv2.arcLength(contour, True)
    hull = cv2.contourArea(cv2.convexHull(contour))
    dist = cv2.distanceTransform(comp, cv2.DIST_L2, 3)
    inside = comp.astype(bool)
    yy, dd = y[inside], dist[inside]
    corr = float(np.corrcoef(yy, dd)[0, 1]) if yy.std() > 1e-3 and dd.std() > 1e-3 else 0.0
    return {
        "compact": float(np.log(perimeter * perimeter / (4 * np.pi * area) + 1e-6)),
        "solidity": float(area / max(hull, 1.0)),
        "core_corr": corr,
        "cy": float(centroids[k][1] / height),
    }
