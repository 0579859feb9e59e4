"""Residents sign in by phone: the number every provider accepts, and how it is shown back."""

from __future__ import annotations

from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.shared.text import normalize_vn_phone


def resident_phone(raw: str) -> str:
    """The +84 form of a Vietnamese mobile number; a 400 naming the field otherwise."""
    phone = normalize_vn_phone(raw)
    if phone is None:
        raise ValidationFailed(
            "Số điện thoại không hợp lệ / Not a Vietnamese mobile number.",
            problems=[FieldProblem("phone", "+84 or 0, then 9 digits")],
        )
    return phone


def staff_phone(raw: str) -> str:
    """A staff account's phone (a Vietnamese mobile, as Cognito keeps it: +84…)."""
    return resident_phone(raw)


def mask_phone(phone: str) -> str:
    return phone[:5] + "*" * max(len(phone) - 8, 0) + phone[-3:]
