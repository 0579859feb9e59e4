"""Due times in Vietnamese working hours (Mon–Fri, 07:30–11:30 and 13:30–17:00).

Holidays (Tết included) come as data from the caller; the SLA engine that pauses
clocks and escalates builds on this.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from ioc_core.shared.clock import to_vn

WORKING_BLOCKS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))


def add_working_hours(start: datetime, hours: float, holidays: Iterable[date] = ()) -> datetime:
    """The moment ``hours`` working hours after ``start``."""
    off = set(holidays)
    remaining = timedelta(hours=hours)
    current = to_vn(start)
    for _ in range(3660):  # ten years of days: a bound, never reached by real SLAs
        day = current.date()
        if day.weekday() < 5 and day not in off:
            for block_start, block_end in WORKING_BLOCKS:
                begin = max(
                    current,
                    current.replace(
                        hour=block_start.hour, minute=block_start.minute, second=0, microsecond=0
                    ),
                )
                end = current.replace(hour=block_end.hour, minute=block_end.minute, second=0, microsecond=0)
                if begin >= end:
                    continue
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    raise ValueError("SLA too long to schedule")
