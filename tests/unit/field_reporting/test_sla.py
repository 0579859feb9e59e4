"""SLA clocks in Vietnamese working time from the holiday calendar kept as data."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.sla import (
    at_intake,
    default_calendar,
    on_verified,
    paused,
    progress,
    resumed,
)
from ioc_core.shared.clock import VN_TZ

pytestmark = pytest.mark.unit
CAL = default_calendar()


def vn(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=VN_TZ)


def test_the_calendar_has_three_years_with_tet_and_the_national_holidays() -> None:
    assert {2025, 2026, 2027} <= CAL.years
    for day in (date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 8)):  # Tết, day 1 or 3
        assert not CAL.is_working_day(day)
    for day in (date(2025, 4, 30), date(2025, 5, 1), date(2025, 9, 2), date(2025, 4, 7), date(2026, 4, 27)):
        assert not CAL.is_working_day(day), day
    assert CAL.is_working_day(date(2025, 4, 26))  # a Saturday worked to bridge 2 May
    assert CAL.names[date(2025, 4, 7)].en == "Hùng Kings' Commemoration"


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (vn(2026, 2, 13, 16), 2, vn(2026, 2, 23, 8, 30)),  # Friday before Tết → Monday after it
        (vn(2026, 3, 6, 16), 2, vn(2026, 3, 9, 8, 30)),  # a weekend
        (vn(2026, 4, 29, 16), 2, vn(2026, 5, 4, 8, 30)),  # 30/4 and 1/5
        (vn(2025, 4, 25, 16), 2, vn(2025, 4, 26, 8, 30)),  # the make-up Saturday is worked
        (vn(2027, 2, 3, 9), 7.5, vn(2027, 2, 11, 9, 0)),  # Tết 2027: 6 h Wednesday, 1.5 h after
    ],
)
def test_due_times_skip_weekends_and_holidays(start: datetime, hours: float, due: datetime) -> None:
    assert CAL.add_hours(start, hours) == due


def test_working_hours_between_is_the_inverse_of_adding() -> None:
    start = vn(2026, 2, 12, 10)
    assert CAL.hours_between(start, CAL.add_hours(start, 13.25)) == pytest.approx(13.25)
    assert CAL.hours_between(vn(2026, 2, 14), vn(2026, 2, 22, 17)) == 0  # the whole of Tết


def test_separate_verify_and_resolve_clocks() -> None:
    service = default_catalogue().service("street_light_out")
    assert service is not None
    state = at_intake(service, vn(2026, 3, 2, 9), CAL)
    assert state.verify is not None and state.verify.due_at == vn(2026, 3, 3, 9, 30)  # 8 working hours
    assert state.resolve is None
    verified = on_verified(state, service, vn(2026, 3, 2, 10), CAL)
    assert verified.verify is not None and verified.verify.stopped_at == vn(2026, 3, 2, 10)
    assert verified.resolve is not None and verified.resolve.due_at == CAL.add_hours(vn(2026, 3, 2, 10), 24)


def test_a_pause_waiting_on_the_resident_moves_the_due_time_by_the_pause() -> None:
    service = default_catalogue().service("street_light_out")
    assert service is not None
    state = at_intake(service, vn(2026, 3, 2, 9), CAL)  # verify due Tue 09:30
    waiting = paused(state, vn(2026, 3, 2, 10))
    assert waiting.verify is not None
    frozen = progress(waiting.verify, vn(2026, 3, 20), CAL)
    assert frozen == pytest.approx(1 / 8)  # paused: the clock does not run
    back = resumed(waiting, vn(2026, 3, 4, 10), CAL)  # two working days later
    assert back.verify is not None and back.verify.paused_at is None
    assert back.verify.due_at == vn(2026, 3, 5, 9, 30)  # 7 hours left from Wed 10:00
    assert progress(back.verify, vn(2026, 3, 4, 10), CAL) == pytest.approx(1 / 8)
