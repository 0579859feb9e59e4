"""Public photos lose their location metadata; the pixels stay."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ioc_core.field_reporting.privacy import UnsupportedImage, sanitize

pytestmark = pytest.mark.unit


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 55.0, 40.0)
    return exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_stripped(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 200, 30)).save(out, format=fmt, exif=_exif())
    raw = out.getvalue()
    assert b"PhoneMaker" in raw
    clean = sanitize(raw, f"image/{fmt.lower()}")
    assert b"PhoneMaker" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (4, 4) and not image.getexif()


def test_a_rotated_jpeg_is_turned_upright_before_its_orientation_goes() -> None:
    exif = _exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (8, 4), (0, 0, 255)).save(out, format="JPEG", exif=exif)
    with Image.open(io.BytesIO(sanitize(out.getvalue(), "image/jpeg"))) as image:
        assert image.size == (4, 8)


def test_a_clean_png_is_unchanged_and_heic_is_not_served() -> None:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="PNG")
    assert sanitize(out.getvalue(), "image/png") == out.getvalue()
    with pytest.raises(UnsupportedImage):
        sanitize(b"\x00\x00\x00\x18ftypheic", "image/heic")
