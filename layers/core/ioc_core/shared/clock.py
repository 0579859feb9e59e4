"""Time in the city's zone. Stored and rendered with the +07:00 offset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).astimezone(VN_TZ)


class FixedClock:
    """A clock tests and imports move by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def to_vn(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def iso(dt: datetime) -> str:
    """ISO 8601 with seconds and the +07:00 offset (Open311 W3C-DTF)."""
    return to_vn(dt).isoformat(timespec="seconds")
