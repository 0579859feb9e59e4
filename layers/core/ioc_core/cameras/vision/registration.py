"""How far a snapshot moved from its reference: windowed phase correlation, exact on any size.

``cv2.phaseCorrelate`` measures the shift from the centre of its quadrant-swapped surface,
taken as N / 2, while the zero lag lands on N // 2: on an odd side (a 480×270 view
correlates at 240×135) every estimate is half a pixel off, a whole pixel at analysis size.
Here the surface is read where it is computed, lags past half the side being negative, and
the reference's spectrum is computed once instead of on every snapshot. Otherwise the same
estimate: the same window and zero padding, the cross-power spectrum normalised to unit
magnitude, the peak refined by the weighted centroid of its 5×5 neighbourhood (wrapping
round), the response that neighbourhood's share of the surface.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

_TAPS = np.arange(-2, 3)
_TINY = 1e-30  # keeps 0/0 at 0 where a spectrum vanishes (a black frame)


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


def _signed(lag: float, size: int) -> float:
    return lag - size if lag > size / 2 else lag


def phase_shift(reference_spectrum: Any, plane: Any, window: Any) -> tuple[float, float, float]:
    """(dx, dy, response): ``plane`` shows the reference moved by (dx, dy) pixels, as
    ``cv2.phaseCorrelate(reference, plane, window)`` reports it on even sizes."""
    import cv2

    cross = cv2.mulSpectrums(reference_spectrum, spectrum(plane, window), 0, conjB=True)
    power = cv2.sqrt(cv2.max(cv2.mulSpectrums(cross, cross, 0, conjB=True), 0.0))
    unit = cv2.divide(_real_slots(cross.shape), cv2.add(power, _TINY))
    surface = cv2.idft(cv2.mulSpectrums(cross, unit, 0), flags=cv2.DFT_REAL_OUTPUT)
    m, n = surface.shape
    _, _, _, (px, py) = cv2.minMaxLoc(surface)
    around = surface[np.ix_((py + _TAPS) % m, (px + _TAPS) % n)]
    total = float(around.sum())
    weight = total + float(np.finfo(np.float64).eps)
    lag_y = py + float(_TAPS @ around.sum(axis=1)) / weight
    lag_x = px + float(around.sum(axis=0) @ _TAPS) / weight
    # The surface peaks at minus the shift (the reference's spectrum comes first).
    return -_signed(lag_x, n), -_signed(lag_y, m), total / (m * n)
