"""How far a snapshot moved from its reference: windowed phase correlation, exact on any size.

``cv2.phaseCorrelate`` measures the shift from the centre of its quadrant-swapped surface,
taken as N / 2, while the zero lag lands on N // 2: on an odd side (a 480×270 view
correlates at 240×135) every estimate is half a pixel off, a whole pixel at analysis size.
Here the surface is read where it is computed, lags past half the side being negative, and
the reference's spectrum is computed once instead of on every snapshot. The same window and
zero padding, the cross-power spectrum normalised to unit magnitude, the response the share
of the surface in the peak's 5×5 neighbourhood (wrapping round), as OpenCV's.

The peak is refined differently. OpenCV's weighted centroid of that neighbourhood pulls a
fractional shift towards the whole pixel (the peak of a sharp view spreads into sidelobes of
both signs): half a pixel off on typical views at 240×135, more at 120×68. Here the unit
cross-power spectrum is weighted by a Gaussian's spectrum (σ = 0.8 px) before it is inverted,
so the surface is that Gaussian centred on the shift, wherever the shift falls between pixels
and whatever the view's texture, and the logs of the peak and its two neighbours along each
axis, a parabola, give its centre: within a tenth of a pixel at 240×135 and within half an
analysis pixel at 120×68 (0.1 on average), which is why alignment correlates at a quarter of
the analysis size. The weight also quiets the high frequencies where noise, not the view,
sets the phase.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

_TAPS = (-2, -1, 0, 1, 2)
_TINY = 1e-30  # keeps 0/0 at 0 where a spectrum vanishes (a black frame)
PEAK_SIGMA = 0.8  # px: narrower is undersampled (the log fit breaks), wider blurs the peak


def spectrum(plane: Any, window: Any) -> Any:
    """The windowed float32 plane's DFT in OpenCV's packed (CCS) layout, zero-padded to a
    fast DFT size as ``cv2.phaseCorrelate`` pads."""
    import cv2

    windowed = cv2.multiply(plane, window)
    h, w = windowed.shape
    m, n = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    if (m, n) != (h, w):
        windowed = cv2.copyMakeBorder(windowed, 0, m - h, 0, n - w, cv2.BORDER_CONSTANT, value=0)
    return cv2.dft(windowed)


@cache
def _real_slots(shape: tuple[int, int]) -> Any:
    """1 where a packed spectrum holds a real part, 0 where it holds an imaginary one: the
    spectrum of a unit impulse, which is 1 at every frequency."""
    import cv2

    impulse = np.zeros(shape, np.float32)
    impulse[0, 0] = 1.0
    return cv2.dft(impulse)


@cache
def _peak_weights(shape: tuple[int, int]) -> Any:
    """The spectrum of a unit-sum Gaussian of ``PEAK_SIGMA`` centred on the origin (wrapping
    round): real and even, so held in the real slots only (the imaginary ones exactly 0)."""
    import cv2

    m, n = shape
    y = np.minimum(np.arange(m), m - np.arange(m))[:, None]
    x = np.minimum(np.arange(n), n - np.arange(n))[None, :]
    gaussian = np.exp(-(x * x + y * y) / (2 * PEAK_SIGMA**2))
    return cv2.multiply(cv2.dft((gaussian / gaussian.sum()).astype(np.float32)), _real_slots(shape))


def _signed(lag: float, size: int) -> float:
    return lag - size if lag > size / 2 else lag


def _centre(before: float, peak: float, after: float) -> float:
    """Offset of a sampled Gaussian's centre from its highest sample: its log is a parabola."""
    floor = peak * 1e-6  # a neighbour at or below 0 (noise) counts as almost nothing
    # math, not numpy: on three floats numpy's per-call overhead is most of the alignment's.
    low, mid, high = math.log(max(before, floor)), math.log(peak), math.log(max(after, floor))
    curvature = 2 * mid - low - high
    return min(max((high - low) / (2 * curvature), -0.5), 0.5) if curvature > 0 else 0.0


def phase_shift(reference_spectrum: Any, plane: Any, window: Any) -> tuple[float, float, float]:
    """(dx, dy, response): ``plane`` shows the reference moved by (dx, dy) pixels, where
    ``cv2.phaseCorrelate(reference, plane, window)`` would report its centroid's estimate."""
    import cv2

    cross = cv2.mulSpectrums(reference_spectrum, spectrum(plane, window), 0, conjB=True)
    power = cv2.sqrt(cv2.max(cv2.mulSpectrums(cross, cross, 0, conjB=True), 0.0))
    unit = cv2.divide(_peak_weights(cross.shape), cv2.add(power, _TINY))
    surface = cv2.idft(cv2.mulSpectrums(cross, unit, 0), flags=cv2.DFT_REAL_OUTPUT)
    m, n = surface.shape
    _, peak, _, (px, py) = cv2.minMaxLoc(surface)
    if peak <= 0:
        return 0.0, 0.0, 0.0  # nothing correlates (a black frame)
    # The peak's 5×5 neighbourhood, wrapping round (two takes: a third of np.ix_'s cost).
    around = surface.take([(py + d) % m for d in _TAPS], axis=0).take([(px + d) % n for d in _TAPS], axis=1)
    total = float(around.sum())
    lag_x = px + _centre(float(around[2, 1]), peak, float(around[2, 3]))
    lag_y = py + _centre(float(around[1, 2]), peak, float(around[3, 2]))
    # The surface peaks at minus the shift (the reference's spectrum comes first).
    return -_signed(lag_x, n), -_signed(lag_y, m), total / (m * n)
