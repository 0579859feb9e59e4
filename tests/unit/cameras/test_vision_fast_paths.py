"""The detector's fast paths compute exactly what the plain ones do (bit for bit)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from ioc_core.cameras.vision import change, colour, smoke
from ioc_core.cameras.vision.fire import Frame
from ioc_core.cameras.vision.reference import Reference
from ioc_core.cameras.vision.state import Zone

pytestmark = pytest.mark.unit
AT = datetime(2026, 3, 2, 12, 0)


def _images(shape: tuple[int, int]) -> list[np.ndarray]:
    rng = np.random.default_rng(shape[0] * 1000 + shape[1])
    h, w = shape
    return [
        rng.integers(0, 256, (h, w, 3), dtype=np.uint8),
        (rng.integers(0, 2, (h, w, 3)) * 255).astype(np.uint8),
        np.clip(rng.normal(128, 60, (h, w, 3)), 0, 255).astype(np.uint8),
    ]


@pytest.mark.parametrize("shape", [(270, 480), (135, 240), (17, 33), (271, 479), (8, 20)])
def test_frame_blocks_equal_the_area_averages(shape: tuple[int, int]) -> None:
    for image in _images(shape):
        frame = Frame.of(image, AT)
        mean, std = smoke.block_stats(frame.ycrcb[..., 0])
        plain = (mean, std, smoke.block_chroma(frame.ycrcb), smoke.block_warmth(frame.ycrcb))
        for a, b in zip(plain, smoke.frame_blocks(frame), strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert np.array_equal(a.view(np.uint32), b.view(np.uint32))


@pytest.mark.parametrize("first_row", [1, 4, 15, 40])
def test_frame_blocks_below_the_first_watched_row_are_the_whole_views(first_row: int) -> None:
    """Above ``first_row`` only the means (the view's light, every block of it) are kept."""
    for image in _images((270, 480)):
        whole = smoke.frame_blocks(Frame.of(image, AT))
        part = smoke.frame_blocks(Frame.of(image, AT), first_row)
        below = min(first_row, whole[0].shape[0] - 1)
        assert np.array_equal(part[0], whole[0])
        for a, b in zip(whole[1:], part[1:], strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert np.array_equal(a[below:], b[below:]) and not b[:below].any()


def test_zone_gain_equals_the_photometric_gain() -> None:
    now_image, then_image, _ = _images((270, 480))
    zone = Zone(zone_id="z", kind="no_dumping", polygon=[(0.1, 0.5), (0.7, 0.45), (0.8, 0.9), (0.2, 0.95)])
    mask = change.zone_mask(zone, (270, 480))
    reference = Reference(then_image)
    geometry = change._geometry(mask)
    x0, y0, bw, bh = geometry.rect
    roi = (slice(y0, y0 + bh), slice(x0, x0 + bw))
    now = np.ascontiguousarray(now_image[roi])
    plain = change.photometric_gain(now, reference.smooth[roi], mask[roi])
    fast = change._zone_gain(now, reference, geometry, roi)
    assert plain.dtype == fast.dtype and np.array_equal(plain, fast)
    assert change._geometry(mask) is geometry


def _celik_chen(bgr: np.ndarray) -> np.ndarray:
    """The rules as published, one numpy expression each (Celik & Demirel 1–4, τ = 40; Chen)."""
    import cv2

    b, g, r = (bgr[..., i].astype(np.int32) for i in range(3))
    ycc = cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb).astype(np.int32)
    y, cr, cb = ycc[..., 0], ycc[..., 1], ycc[..., 2]
    rules = (
        (y > cb)
        & (cr > cb)
        & (y > y.mean())
        & (cb < cb.mean())
        & (cr > cr.mean())
        & (np.abs(cb - cr) >= colour.CELIK_TAU)
        & (r > colour.CHEN_RED)
        & (r >= g)
        & (g > b)
    )
    return rules.astype(np.uint8) * 255


@pytest.mark.parametrize("shape", [(270, 480), (17, 33)])
def test_fire_mask_equals_the_published_rules(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(7)
    h, w = shape
    warm = np.dstack(
        [rng.integers(0, 90, (h, w)), rng.integers(60, 200, (h, w)), rng.integers(150, 256, (h, w))]
    ).astype(np.uint8)
    grey = np.repeat(rng.integers(0, 256, (h, w, 1), dtype=np.uint8), 3, axis=2)
    for image in [*_images(shape), warm, grey, np.zeros((h, w, 3), np.uint8)]:
        assert np.array_equal(colour.fire_mask(image), _celik_chen(image))


def test_colour_change_flags_a_pixel_outside_its_range_in_any_channel() -> None:
    now_image, then_image, noisy = _images((270, 480))
    zone = Zone(zone_id="z", kind="no_dumping", polygon=[(0.1, 0.5), (0.7, 0.45), (0.8, 0.9), (0.2, 0.95)])
    mask = change.zone_mask(zone, (270, 480))
    for reference, image in ((Reference(then_image), now_image), (Reference(noisy), noisy)):
        x0, y0, bw, bh = change._geometry(mask).rect
        roi = (slice(y0, y0 + bh), slice(x0, x0 + bw))
        now = np.ascontiguousarray(image[roi])
        outside, _ = change.colour_change(now, reference, (1, -1), roi, mask[roi])
        gain = change.photometric_gain(now, reference.smooth[roi], mask[roi])
        up, down = gain * (1 + change.COLOUR_RELATIVE), gain * (1 - change.COLOUR_RELATIVE)
        high = np.minimum(np.rint(reference.at("smooth_max", (1, -1))[roi] * up), 255)
        high = np.minimum(high + change.COLOUR_MARGIN, 255)
        low = np.maximum(np.rint(reference.at("smooth_min", (1, -1))[roi] * down) - change.COLOUR_MARGIN, 0)
        expected = ((now > high) | (now < low)).any(axis=2) & (mask[roi] > 0)
        assert np.array_equal(outside > 0, expected)


@pytest.mark.parametrize("n", [1, 2, 2243, 2244])
def test_zone_median_equals_numpy_median(n: int) -> None:
    values = np.random.default_rng(n).random((3, n)).astype(np.float32)
    assert np.array_equal(change._median(values), np.median(values, axis=1))
