"""Public photos without location: EXIF, XMP and IPTC metadata stripped.

JPEG, PNG and WebP keep only their image segments and chunks, byte for byte (the pixels are not
re-encoded), and nothing after the image's end (a JPEG's end-of-image marker, PNG's IEND, the
WebP container); a JPEG rotated by its EXIF orientation is turned upright with Pillow first, so
dropping the tag does not turn it on its side. HEIC (iPhones' default) is decoded with
pillow-heif, turned upright and re-encoded as a JPEG holding only the pixels.
"""

from __future__ import annotations

import io
import struct

JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC colour profile, Adobe: not personal
# What a public copy keeps: the image and how to show it; any other chunk (text, EXIF, time,
# private chunks) goes. APNG's frames are images too.
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
            b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}  # fmt: skip
WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}


class UnsupportedImage(ValueError):
    pass


def public_type(content_type: str) -> str:
    """The type of the public copy: HEIC becomes JPEG, which every browser shows."""
    return "image/jpeg" if content_type == "image/heic" else content_type


def sanitize(data: bytes, content_type: str) -> bytes:
    if content_type == "image/heic":
        return heic_to_jpeg(data)
    if content_type == "image/jpeg":
        return strip_jpeg(_upright(data))
    if content_type == "image/png":
        return strip_png(data)
    if content_type == "image/webp":
        return strip_webp(data)
    raise UnsupportedImage(content_type)


def heic_to_jpeg(data: bytes) -> bytes:
    """The HEIC's pixels, upright, as a JPEG without any metadata (nothing of the container
    survives: a re-encode, not a copy)."""
    try:
        import pillow_heif
        from PIL import Image, ImageOps
    except ImportError as error:  # pragma: no cover - both ship with the media layer
        raise UnsupportedImage("HEIC support is not installed") from error
    pillow_heif.register_heif_opener()  # once is enough; again is harmless
    try:
        with Image.open(io.BytesIO(data), formats=["HEIF"]) as image:
            pixels = ImageOps.exif_transpose(image).convert("RGB")  # pillow-heif turns it already
            out = io.BytesIO()
            pixels.save(out, format="JPEG", quality=90)  # no exif=, no icc: nothing but pixels
    except (OSError, ValueError, RuntimeError) as error:
        raise UnsupportedImage(f"not a readable HEIC: {error}") from error
    return out.getvalue()


def _upright(data: bytes) -> bytes:
    """A JPEG whose EXIF orientation is not 1, rotated upright (re-encoded at high quality)."""
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow ships with the core layer
        return data
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.getexif().get(0x0112, 1) in (1, None):
                return data
            turned = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            turned.save(out, format="JPEG", quality=92)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        return data


def strip_jpeg(data: bytes) -> bytes:
    """Markers and scans up to the end-of-image marker, without comments or metadata segments;
    nothing after the end of the image (a second JPEG, a stray EXIF block) is kept."""
    if not data.startswith(b"\xff\xd8"):
        raise UnsupportedImage("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i = 2
    while i + 2 <= len(data):
        if data[i] != 0xFF:
            raise UnsupportedImage("corrupt JPEG segment")
        marker = data[i + 1]
        if marker == 0xFF:  # fill bytes before a marker
            i += 1
            continue
        if marker == 0xD9:  # end of image: the public copy ends here
            out += b"\xff\xd9"
            return bytes(out)
        if i + 4 > len(data):
            break
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segment = data[i : i + 2 + length]
        is_app = 0xE0 <= marker <= 0xEF
        if not (marker == 0xFE or (is_app and marker not in JPEG_KEEP_APP)):  # comments and APPn go
            out += segment
        i += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data until the next real marker
            end = _scan_end(data, i)
            out += data[i:end]
            i = end
    raise UnsupportedImage("truncated JPEG")


def _scan_end(data: bytes, i: int) -> int:
    """Where a scan's entropy-coded data ends: at the first 0xFF not followed by a stuffed 0x00,
    a restart marker (0xD0–0xD7) or a fill byte."""
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            raise UnsupportedImage("truncated JPEG")
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
        elif following == 0xFF:
            i += 1
        else:
            return i


def strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise UnsupportedImage("not a PNG")
    out = bytearray(signature)
    i = len(signature)
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i : i + 4])[0]
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        if kind in PNG_KEEP:
            out += chunk
        i += 12 + length
        if kind == b"IEND":
            break
    return bytes(out)


def strip_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise UnsupportedImage("not a WebP")
    chunks = bytearray()
    i, end = 12, min(len(data), 8 + struct.unpack("<I", data[4:8])[0])  # nothing after the container
    while i + 8 <= end:
        kind = data[i : i + 4]
        length = struct.unpack("<I", data[i + 4 : i + 8])[0]
        padded = length + (length & 1)
        chunk = bytearray(data[i : i + 8 + padded])
        if kind == b"VP8X" and len(chunk) >= 9:
            chunk[8] &= ~0x0C & 0xFF  # clear the EXIF and XMP flags
        if kind in WEBP_KEEP:
            chunks += chunk
        i += 8 + padded
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)
