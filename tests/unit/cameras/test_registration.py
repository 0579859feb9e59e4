"""Alignment: phase correlation without cv2.phaseCorrelate's half-pixel bias on odd sizes."""

from __future__ import annotations

from datetime import datetime

import cv2
import numpy as np
import pytest

from ioc_core.cameras.vision.fire import Frame, align
from ioc_core.cameras.vision.jpeg import decode_for_analysis, encode_jpeg, inspect
from ioc_core.cameras.vision.reference import Reference, shifted
from ioc_core.cameras.vision.registration import phase_shift, spectrum
from ioc_core.cameras.vision.scenes import Scene

pytestmark = pytest.mark.unit
SHIFTS = [(0, 0), (1, -2), (-3, 1), (7, 5)]


def _pair(shape: tuple[int, int], dx: int, dy: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A textured plane and the same plane moved by (dx, dy), with a little noise."""
    rng = np.random.default_rng(seed)
    h, w = shape
    big = cv2.GaussianBlur(rng.uniform(0, 255, (h + 40, w + 40)).astype(np.float32), (0, 0), 1.0)
    moved = big[20 - dy : 20 - dy + h, 20 - dx : 20 - dx + w] + rng.normal(0, 2, (h, w)).astype(np.float32)
    return np.ascontiguousarray(big[20 : 20 + h, 20 : 20 + w]), np.ascontiguousarray(moved)


def _window(shape: tuple[int, int]) -> np.ndarray:
    return cv2.createHanningWindow((shape[1], shape[0]), cv2.CV_32F)


@pytest.mark.parametrize("shape", [(135, 240), (136, 241), (135, 241)])
def test_opencv_is_half_a_pixel_off_on_odd_sizes_and_phase_shift_is_not(shape: tuple[int, int]) -> None:
    window = _window(shape)
    odd = np.array([shape[1] % 2, shape[0] % 2]) * 0.5
    for dx, dy in SHIFTS:
        reference, moved = _pair(shape, dx, dy)
        # cv2.phaseCorrelate windows its inputs in place: it gets copies.
        (cx, cy), _ = cv2.phaseCorrelate(reference.copy(), moved.copy(), window)
        assert np.allclose(np.array([cx, cy]) - (dx, dy), odd, atol=0.1)  # the bias being fixed
        sx, sy, response = phase_shift(spectrum(reference, window), moved, window)
        assert abs(sx - dx) < 0.1 and abs(sy - dy) < 0.1
        assert response > 0.5


@pytest.mark.parametrize("shape", [(136, 240), (270, 480), (128, 160), (64, 90), (60, 97)])
def test_whole_pixel_shifts_of_fine_texture_are_measured_to_a_tenth_of_a_pixel(
    shape: tuple[int, int],
) -> None:
    """Fine noise spreads the peak evenly on both sides, unlike a street view's: the weighted
    peak stays on the pixel (OpenCV's centroid is up to 0.15 px off at the smaller sizes)."""
    window = _window(shape)
    for dx, dy in SHIFTS:
        reference, moved = _pair(shape, dx, dy, seed=abs(dx * 10 + dy))
        sx, sy, response = phase_shift(spectrum(reference, window), moved, window)
        assert abs(sx - dx) < 0.1 and abs(sy - dy) < 0.1
        assert response > 0.5


def test_a_black_frame_has_no_response() -> None:
    shape = (135, 240)
    black = np.zeros(shape, np.float32)
    assert phase_shift(spectrum(black, _window(shape)), black, _window(shape)) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("shift", [(0, 0), (1, 0), (0, 1), (-2, 1), (3, -3), (9, -7)])
def test_an_analysis_view_is_aligned_to_the_pixel(shift: tuple[int, int]) -> None:
    """480×270 (the analysis size of a 1080p camera) correlates at 120×68: before the odd-size
    fix an unmoved view came out a pixel low."""
    scene = Scene(seed=5, start_minute=12 * 60)
    image = scene.render(0)
    reference = Reference(image)
    moved = shifted(image, *shift)
    assert align(Frame.of(moved, datetime(2026, 3, 2, 12)), reference)[:2] == shift


@pytest.mark.parametrize("scene", [(5, 20 * 60), (7, 5 * 60 + 10)])
@pytest.mark.parametrize("shift", [(0.3, -1.6), (2.4, 1.7), (-3.7, 0.4), (1.2, -2.8)])
def test_a_view_shaken_by_a_fraction_of_a_pixel_is_aligned_to_the_nearest_pixel(
    scene: tuple[int, int], shift: tuple[float, float]
) -> None:
    """Shake is not whole pixels. OpenCV's centroid, pulled to the whole pixel at the
    correlation size, put these night and dawn views one or two analysis pixels off."""
    seed, start_minute = scene
    view = Scene(seed=seed, start_minute=start_minute)
    dx, dy = shift
    moved = cv2.warpAffine(
        view.render(4),
        np.array([[1, 0, dx], [0, 1, dy]], np.float32),
        (480, 270),
        borderMode=cv2.BORDER_REFLECT,
    )
    data = encode_jpeg(moved, quality=85)
    snapshot = decode_for_analysis(data, inspect(data))
    reference = Reference(view.render(0))
    assert align(Frame.of(snapshot, datetime(2026, 3, 2, 12)), reference)[:2] == (round(dx), round(dy))
