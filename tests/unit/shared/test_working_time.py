"""Due times in Vietnamese working hours: Mon–Fri 07:30–11:30 and 13:30–17:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.working_time import add_working_hours

pytestmark = pytest.mark.unit


def vn(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (vn(2026, 3, 2, 9), 1, vn(2026, 3, 2, 10)),  # Monday, inside the morning
        (vn(2026, 3, 6, 16), 2, vn(2026, 3, 9, 8, 30)),  # Friday 16:00 → Monday 08:30
        (vn(2026, 3, 2, 11), 1, vn(2026, 3, 2, 14)),  # lunch 11:30–13:30 is skipped
        (vn(2026, 3, 2, 12), 1, vn(2026, 3, 2, 14, 30)),  # starting at lunch waits for 13:30
        (vn(2026, 3, 2, 6), 1, vn(2026, 3, 2, 8, 30)),  # before opening waits for 07:30
        (vn(2026, 3, 2, 18), 1, vn(2026, 3, 3, 8, 30)),  # after closing: next morning
        (vn(2026, 3, 7, 10), 1, vn(2026, 3, 9, 8, 30)),  # Saturday: Monday
        (vn(2026, 3, 2, 7, 30), 7.5, vn(2026, 3, 2, 17)),  # one full working day
        (vn(2026, 3, 2, 9), 32, vn(2026, 3, 6, 11)),  # street light SLA: 8 h + 24 h
        (vn(2026, 3, 2, 9), 0.5, vn(2026, 3, 2, 9, 30)),
    ],
)
def test_add_working_hours(start: datetime, hours: float, due: datetime) -> None:
    assert add_working_hours(start, hours) == due


def test_holidays_are_skipped() -> None:
    # 30 April and 1 May 2026 (Thursday, Friday): Reunification Day and Labour Day.
    holidays = [date(2026, 4, 30), date(2026, 5, 1)]
    assert add_working_hours(vn(2026, 4, 29, 16), 2, holidays) == vn(2026, 5, 4, 8, 30)
    assert add_working_hours(vn(2026, 4, 29, 16), 2) == vn(2026, 4, 30, 8, 30)


def test_a_utc_start_is_read_in_vietnam_time() -> None:
    # 02:00 UTC is 09:00 in Phan Thiet.
    due = add_working_hours(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 1)
    assert due == vn(2026, 3, 2, 10)
    assert due.utcoffset() == timedelta(hours=7)


def test_a_naive_start_is_taken_as_vietnam_time() -> None:
    assert add_working_hours(datetime(2026, 3, 2, 9, 0), 1) == vn(2026, 3, 2, 10)


def in_working_hours(moment: datetime) -> bool:
    clock = moment.time()
    in_block = time(7, 30) <= clock <= time(11, 30) or time(13, 30) <= clock <= time(17, 0)
    return moment.weekday() < 5 and in_block


starts = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VN_TZ)
)


@settings(database=None)
@given(start=starts, first=st.integers(1, 3000), second=st.integers(1, 3000))
def test_adding_in_two_steps_lands_where_adding_at_once_does(
    start: datetime, first: int, second: int
) -> None:
    # Whole minutes keep float hours exact enough to compare moments.
    step = add_working_hours(add_working_hours(start, first / 60), second / 60)
    at_once = add_working_hours(start, (first + second) / 60)

    assert abs(step - at_once) < timedelta(seconds=1)
    assert in_working_hours(at_once)
    assert at_once > start
