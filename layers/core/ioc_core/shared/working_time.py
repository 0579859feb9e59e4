"""Due times in Vietnamese working hours (Mon–Fri, 07:30–11:30 and 13:30–17:00).

Holidays (Tết included) and make-up working days (a Saturday worked to bridge a holiday)
come as data from the caller; the SLA engine (field_reporting/sla.py) loads them per year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from ioc_core.shared.clock import to_vn

WORKING_BLOCKS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
_MAX_DAYS = 3660  # ten years of days: a bound, never reached by real SLAs


def is_working_day(
    day: date, holidays: frozenset[date] = frozenset(), extra: frozenset[date] = frozenset()
) -> bool:
    return day in extra or (day.weekday() < 5 and day not in holidays)


def _blocks(moment: datetime) -> tuple[tuple[datetime, datetime], ...]:
    return _day_blocks(moment.date(), moment.tzinfo)


@lru_cache(maxsize=4096)
def _day_blocks(day: date, zone: tzinfo | None) -> tuple[tuple[datetime, datetime], ...]:
    """A day's working blocks; cached, as SLA sums walk the same days again and again."""
    return tuple(
        (datetime.combine(day, a, tzinfo=zone), datetime.combine(day, b, tzinfo=zone))
        for a, b in WORKING_BLOCKS
    )


def add_working_hours(
    start: datetime, hours: float, holidays: Iterable[date] = (), working_days: Iterable[date] = ()
) -> datetime:
    """The moment ``hours`` working hours after ``start``."""
    off, extra = frozenset(holidays), frozenset(working_days)
    remaining = timedelta(hours=hours)
    current = to_vn(start)
    for _ in range(_MAX_DAYS):
        if is_working_day(current.date(), off, extra):
            for block_start, end in _blocks(current):
                begin = max(current, block_start)
                if begin >= end:
                    continue
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    raise ValueError("SLA too long to schedule")


def working_hours_between(
    start: datetime, end: datetime, holidays: Iterable[date] = (), working_days: Iterable[date] = ()
) -> float:
    """Working hours from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_hours_between(end, start, holidays, working_days)
    off, extra = frozenset(holidays), frozenset(working_days)
    total = timedelta()
    current, stop = to_vn(start), to_vn(end)
    for _ in range(_MAX_DAYS):
        if current >= stop:
            break
        if is_working_day(current.date(), off, extra):
            for block_start, block_end in _blocks(current):
                begin, finish = max(current, block_start), min(stop, block_end)
                if finish > begin:
                    total += finish - begin
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return total.total_seconds() / 3600
