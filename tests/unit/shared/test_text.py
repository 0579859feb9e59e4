"""Text hygiene: NFC, no HTML or control characters in free text, Vietnamese mobile numbers."""

from __future__ import annotations

import unicodedata

import pytest

from ioc_core.shared.text import clean_text, nfc, normalize_vn_phone

pytestmark = pytest.mark.unit

WARD = "Phường Mũi Né"


def test_clean_text_strips_tags_controls_and_extra_spaces() -> None:
    assert (
        clean_text("  <b>Đèn</b>\x00 đường\x07 <i>hỏng</i>\t\t ở <br/>ngã tư  ") == "Đèn đường hỏng ở ngã tư"
    )


def test_clean_text_keeps_line_breaks() -> None:
    assert clean_text("Dòng một\nDòng hai") == "Dòng một\nDòng hai"


def test_clean_text_nfc_normalises_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", WARD)
    assert decomposed != WARD

    cleaned = clean_text(decomposed)

    assert cleaned == WARD
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_decodes_entities() -> None:
    assert clean_text("Cà phê &amp; bánh mì") == "Cà phê & bánh mì"


def test_nfc_composes() -> None:
    assert nfc("e\u0301") == "é"


def test_clean_text_leaves_no_tag_behind_entity_encoding() -> None:
    assert "<" not in clean_text("&lt;script&gt;alert(1)&lt;/script&gt;")


def test_clean_text_output_is_nfc_even_after_entities() -> None:
    assert unicodedata.is_normalized("NFC", clean_text("Ne&#x301;"))


def test_clean_text_keeps_comparison_signs_in_prose() -> None:
    assert clean_text("ổ gà sâu < 20cm, rộng > 1m") == "ổ gà sâu < 20cm, rộng > 1m"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("091.234.5678", "+84912345678"),
        ("(+84) 912-345-678", "+84912345678"),
        ("0321234567", "+84321234567"),  # Viettel 03x
        ("0561234567", "+84561234567"),  # Vietnamobile 056
        ("0701234567", "+84701234567"),  # MobiFone 070
        ("0861234567", "+84861234567"),  # Viettel 086
    ],
)
def test_mobile_numbers_become_e164(raw: str, e164: str) -> None:
    assert normalize_vn_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "02523822222",  # Bình Thuận landline (0252)
        "02438221234",  # Hà Nội landline (024)
        "12345",
        "091234567",  # one digit short
        "09123456789",  # one digit long
        "0112345678",  # no mobile prefix 01x any more
        "+1 912 345 678",
        "",
        "không có",
    ],
)
def test_landlines_and_malformed_numbers_are_refused(raw: str) -> None:
    assert normalize_vn_phone(raw) is None
