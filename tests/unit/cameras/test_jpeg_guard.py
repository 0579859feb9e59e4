"""Bad snapshots are recognised before any pixel is decoded; good ones decode reduced."""

from __future__ import annotations

import numpy as np
import pytest

from ioc_core.cameras.vision.jpeg import (
    BadSnapshot,
    JpegInfo,
    decode_for_analysis,
    encode_jpeg,
    inspect,
    jpeg_dimensions,
)

pytestmark = pytest.mark.unit


def _jpeg(w: int = 64, h: int = 48) -> bytes:
    rng = np.random.default_rng(0)
    return encode_jpeg(rng.integers(0, 255, (h, w, 3), dtype=np.uint8))


def _declaring(width: int, height: int) -> bytes:
    data = bytearray(_jpeg(16, 16))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def test_dimensions_come_from_the_frame_header() -> None:
    assert jpeg_dimensions(_jpeg(64, 48)) == (64, 48)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not_jpeg"),
        (b"hello, this is text", "not_jpeg"),
        (b"\xff\xd8\xff", "truncated"),
        (b"\xff\xd8\x00\x00\x00\x00", "corrupt"),
    ],
)
def test_garbage_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(BadSnapshot) as caught:
        inspect(data)
    assert caught.value.reason == reason


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = _declaring(60_000, 60_000)
    assert len(bomb) < 2_000  # tiny file, 3.6 gigapixels declared
    with pytest.raises(BadSnapshot) as caught:
        inspect(bomb)
    assert caught.value.reason == "decompression_bomb"


def test_a_truncated_jpeg_is_refused() -> None:
    data = _jpeg(320, 240)
    with pytest.raises(BadSnapshot) as caught:
        inspect(data[: len(data) * 2 // 3])
    assert caught.value.reason == "truncated"


def test_zero_padding_after_the_end_marker_is_accepted() -> None:
    assert inspect(_jpeg() + b"\x00" * 16) == JpegInfo(64, 48)


@pytest.mark.parametrize(
    ("size", "factor", "decoded"),
    [((1920, 1080), 4, (270, 480)), ((960, 540), 2, (270, 480)), ((640, 360), 1, (360, 640))],
)
def test_analysis_decodes_at_reduced_resolution(
    size: tuple[int, int], factor: int, decoded: tuple[int, int]
) -> None:
    data = encode_jpeg(np.full((size[1], size[0], 3), 120, np.uint8))
    info = inspect(data)
    assert info.reduction == factor
    assert decode_for_analysis(data, info).shape[:2] == decoded


def test_data_the_decoder_cannot_read_is_corrupt() -> None:
    data = bytearray(_jpeg(64, 48))
    sos = data.find(b"\xff\xda")
    data[sos + 2 :] = b"\xff" * (len(data) - sos - 4) + b"\xff\xd9"
    with pytest.raises(BadSnapshot) as caught:
        decode_for_analysis(bytes(data), inspect(bytes(data)))
    assert caught.value.reason == "corrupt"
