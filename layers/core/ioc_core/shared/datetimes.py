"""Parsing of client date-times: ISO 8601 / W3C-DTF, naive values taken as Vietnam time."""

from __future__ import annotations

from datetime import date, datetime

from ioc_core.shared.clock import VN_TZ, to_vn


def parse_datetime(value: str) -> datetime:
    text = value.strip()
    if not text:
        raise ValueError("empty date-time")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    parsed = datetime.fromisoformat(text)
    return to_vn(parsed)
