"""Public photos lose their location metadata; the pixels stay."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ioc_core.field_reporting.privacy import UnsupportedImage, public_type, sanitize

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


def test_a_clean_png_is_unchanged_and_a_broken_heic_is_not_served() -> None:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="PNG")
    assert sanitize(out.getvalue(), "image/png") == out.getvalue()
    with pytest.raises(UnsupportedImage):
        sanitize(b"\x00\x00\x00\x18ftypheic", "image/heic")


def test_a_heic_is_served_as_an_upright_jpeg_without_its_metadata() -> None:
    """An iPhone's photo, rotated by its EXIF orientation, with the maker and a GPS position:
    the public copy is a JPEG of the pixels only, turned upright."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the pixels are stored on their side
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (10.0, 55.0, 41.0)  # GPSLatitude
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(out, format="HEIF", exif=exif.tobytes())
    raw = out.getvalue()
    assert b"PhoneMaker" in raw

    clean = sanitize(raw, "image/heic")

    assert public_type("image/heic") == "image/jpeg" and clean.startswith(b"\xff\xd8")
    assert b"PhoneMaker" not in clean and b"Exif" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "JPEG" and image.size == (48, 64) and not image.getexif()
        assert image.getpixel((24, 32)) == pytest.approx((200, 100, 50), abs=12)


def _image(fmt: str, exif: bool = False, **options: object) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", (16, 8), (10, 200, 30))
    picture.save(out, format=fmt, **({"exif": _exif()} if exif else {}), **options)  # type: ignore[arg-type]
    return out.getvalue()


STRAY_EXIF = b"\xff\xe1\x00\x20Exif\x00\x00PhoneMaker GPS 10.92N 108.10E"


@pytest.mark.parametrize("progressive", [False, True])
@pytest.mark.parametrize(
    "appended",
    [
        pytest.param(lambda: _image("JPEG", exif=True), id="a second JPEG with GPS"),
        pytest.param(lambda: STRAY_EXIF, id="a stray EXIF segment"),
        pytest.param(lambda: b"PhoneMaker trailing bytes", id="plain bytes"),
    ],
)
def test_nothing_after_a_jpeg_s_end_is_kept(progressive: bool, appended: object) -> None:
    image = _image("JPEG", progressive=progressive)
    raw = image + appended()  # type: ignore[operator]
    assert b"PhoneMaker" in raw
    clean = sanitize(raw, "image/jpeg")
    assert b"PhoneMaker" not in clean and clean.endswith(b"\xff\xd9")
    assert clean.count(b"\xff\xd8") == 1  # one image, not two
    with Image.open(io.BytesIO(clean)) as opened:
        opened.load()
        assert opened.size == (16, 8) and not opened.getexif()
    assert sanitize(image, "image/jpeg") == image  # a clean JPEG keeps every byte


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_nothing_after_a_png_or_webp_image_nor_a_private_chunk_is_kept(fmt: str, content_type: str) -> None:
    import struct
    import zlib

    image = _image(fmt)
    if fmt == "PNG":  # a private ancillary chunk before IEND, then a JPEG with GPS after it
        body = b"PhoneMaker 10.92N"
        chunk = struct.pack(">I", len(body)) + b"prVt" + body + struct.pack(">I", zlib.crc32(b"prVt" + body))
        raw = image[:-12] + chunk + image[-12:] + _image("JPEG", exif=True)
    else:  # a chunk of no known kind inside the container, and a JPEG after it
        body = b"PhoneMaker 10.92N"
        inside = image[12:] + b"PRVT" + struct.pack("<I", len(body)) + body + b"\x00"
        raw = b"RIFF" + struct.pack("<I", len(inside) + 4) + b"WEBP" + inside + _image("JPEG", exif=True)
    assert b"PhoneMaker" in raw
    clean = sanitize(raw, content_type)
    assert b"PhoneMaker" not in clean and b"\xff\xd8" not in clean
    with Image.open(io.BytesIO(clean)) as opened:
        opened.load()
        assert opened.size == (16, 8)
