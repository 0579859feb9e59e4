"""Text hygiene: NFC everywhere, no HTML in free text, Vietnamese phone numbers."""

from __future__ import annotations

import html
import re
import unicodedata

# A tag starts with a letter, "/" or "!": "sâu < 20cm, rộng > 1m" is text, not a tag.
_TAG = re.compile(r"<!--.*?-->|<[/!]?[A-Za-z][^<>]*>", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_VN_MOBILE = re.compile(r"^(?:\+?84|0)((?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7})$")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean_text(value: str) -> str:
    """Plain text: entities decoded first (so an encoded tag is still a tag), then tags and
    control characters removed, then NFC, trimmed."""
    text = html.unescape(value)
    text = _TAG.sub(" ", text)
    text = _CONTROL.sub("", text)
    return nfc(re.sub(r"[ \t]+", " ", text).strip())


def normalize_vn_phone(value: str) -> str | None:
    """E.164 (+84…) for a Vietnamese mobile number, or None when it is not one."""
    digits = re.sub(r"[\s.\-()]", "", value)
    match = _VN_MOBILE.match(digits)
    return f"+84{match.group(1)}" if match else None


_WORD = re.compile(r"[0-9a-z]+")


def fold(value: str) -> str:
    """Lower case without diacritics, for matching what people type: "Đường hỏng" → "duong hong".
    Đ/đ is a letter of its own, not a d with a mark, so it is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(value: str) -> list[str]:
    """The folded words of ``value`` in order, repeats kept (punctuation separates words)."""
    return _WORD.findall(fold(value))
