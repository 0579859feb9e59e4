"""Snapshot bytes → pixels, refusing what must not be decoded.

The header is read before any pixel is: a JPEG declaring 60 000 × 60 000 pixels is a
decompression bomb however small the file. Analysis decodes at reduced resolution (libjpeg's
DCT scaling, far cheaper than a full decode); only evidence crops decode at full resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8K is 33 MP; nothing a camera sends is larger
ANALYSIS_LONG_SIDE = 480
# Start-of-frame markers carry the dimensions (DHT C4, JPG C8 and DAC CC are not frames).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


class BadSnapshot(Exception):
    """A snapshot that cannot be analysed; ``reason`` names the quarantine folder."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class JpegInfo:
    width: int
    height: int

    @property
    def reduction(self) -> int:
        """The largest DCT scaling (1, 2, 4, 8) keeping the long side ≥ the analysis size."""
        long_side = max(self.width, self.height)
        for factor in (8, 4, 2):
            if long_side // factor >= ANALYSIS_LONG_SIDE:
                return factor
        return 1


def jpeg_dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) from the first start-of-frame segment, without decoding anything."""
    if len(data) < 2 or data[0] != 0xFF or data[1] != 0xD8:
        raise BadSnapshot("not_jpeg", "no JPEG start-of-image marker")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise BadSnapshot("corrupt", f"no marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):
            break  # end of image or start of scan before any frame header
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            raise BadSnapshot("corrupt", "segment length below 2")
        if marker in _SOF:
            if pos + 9 > len(data):
                break
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            width = int.from_bytes(data[pos + 7 : pos + 9], "big")
            return width, height
        pos += 2 + length
    raise BadSnapshot("truncated", "no frame header")


def inspect(data: bytes, max_pixels: int = MAX_PIXELS) -> JpegInfo:
    """Every check that needs no decoding: empty, not a JPEG, bomb, truncated."""
    if not data:
        raise BadSnapshot("empty", "zero bytes")
    if len(data) > MAX_BYTES:
        raise BadSnapshot("too_large", f"{len(data)} bytes")
    width, height = jpeg_dimensions(data)
    if width == 0 or height == 0:
        raise BadSnapshot("corrupt", "zero width or height")
    if width * height > max_pixels:
        raise BadSnapshot("decompression_bomb", f"declares {width}x{height} pixels")
    # A complete JPEG ends with EOI; some encoders pad after it with zero bytes.
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise BadSnapshot("truncated", "no end-of-image marker")
    return JpegInfo(width, height)


def _decode(data: bytes, flag: int) -> Any:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
    if image is None or image.size == 0:
        raise BadSnapshot("corrupt", "the decoder refused the data")
    return image


def decode_for_analysis(data: bytes, info: JpegInfo) -> Any:
    """BGR pixels at reduced resolution (480–959 px on the long side for a 1080p frame)."""
    import cv2

    flags = {
        1: cv2.IMREAD_COLOR,
        2: cv2.IMREAD_REDUCED_COLOR_2,
        4: cv2.IMREAD_REDUCED_COLOR_4,
        8: cv2.IMREAD_REDUCED_COLOR_8,
    }
    return _decode(data, flags[info.reduction])


def decode_full(data: bytes) -> Any:
    import cv2

    return _decode(data, cv2.IMREAD_COLOR)


def encode_jpeg(image: Any, quality: int = 90) -> bytes:
    import cv2

    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buffer.tobytes())
