"""How a task stands: % of time elapsed, at risk, overdue, projected finish (pure rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.errors import ValidationFailed
from ioc_core.socio_economic.tasks import rules
from ioc_core.socio_economic.tasks.models import Progress, Task, TaskSource, TaskStatus

pytestmark = pytest.mark.unit

START = date(2026, 3, 1)
DEADLINE = date(2026, 3, 31)  # 30 days


def report(day: int, percent: int, hour: int = 10) -> Progress:
    at = datetime(2026, 3, 1, hour, tzinfo=VN_TZ) + timedelta(days=day)
    return Progress(at=at, by="kinhte.lan", unit="KINHTE", percent=percent, note="Báo cáo tiến độ")


def task(progress: list[Progress] | None = None, **kw: object) -> Task:
    history = progress or []
    fields: dict[str, object] = {
        "task_id": "NV-2026-0001",
        "title": "Giải ngân vốn đầu tư công đường ven biển Tiến Thành",
        "source": TaskSource.PLAN,
        "owner_unit": "KINHTE",
        "start": START,
        "deadline": DEADLINE,
        "percent": history[-1].percent if history else 0,
        "progress": history,
        "created_by": "tckh.an",
        "created_at": datetime(2026, 3, 1, 8, tzinfo=VN_TZ),
        "updated_at": datetime(2026, 3, 1, 8, tzinfo=VN_TZ),
    }
    return Task.model_validate(fields | kw)


# -- % of time elapsed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 20), 0.0),  # before the start
        (START, 0.0),
        (date(2026, 3, 16), 50.0),
        (date(2026, 3, 4), 10.0),
        (DEADLINE, 100.0),
        (date(2026, 5, 1), 100.0),  # long past: stays 100
    ],
)
def test_time_elapsed_counts_calendar_days(today: date, expected: float) -> None:
    assert rules.time_elapsed(START, DEADLINE, today) == expected


def test_a_one_day_task_is_all_time_gone_on_its_day() -> None:
    assert rules.time_elapsed(START, START, date(2026, 2, 28)) == 0.0
    assert rules.time_elapsed(START, START, START) == 100.0


def test_vietnam_dates_decide_the_day_not_utc() -> None:
    # 18:00 UTC on 15 March is 01:00 on 16 March in Phan Thiết: day 15 of 30, 50 %.
    late_evening_utc = datetime(2026, 3, 15, 18, tzinfo=UTC)
    assert rules.vn_date(late_evening_utc) == date(2026, 3, 16)
    assert rules.assess(task(), late_evening_utc).elapsed_pct == 50.0


def test_a_deadline_before_the_start_is_rejected_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as raised:
        rules.time_elapsed(START, date(2026, 2, 28), START)
    assert [p.field for p in raised.value.problems] == ["deadline"]
    with pytest.raises(ValidationFailed):
        rules.project_finish(START, date(2026, 2, 28), [report(1, 10)], START)
    with pytest.raises(ValueError, match="before start"):
        task(deadline=date(2026, 2, 28))


# -- at risk ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "elapsed", "risky"),
    [
        (35, 50.0, False),  # exactly 15 points behind: not yet
        (34, 50.0, True),  # 16 behind
        (0, 15.0, False),
        (0, 15.1, True),  # nothing done with 15.1 % of the time gone
        (100, 100.0, False),
        (90, 10.0, False),  # ahead
    ],
)
def test_at_risk_when_done_trails_time_by_more_than_15_points(
    percent: int, elapsed: float, risky: bool
) -> None:
    assert rules.at_risk(percent, elapsed) is risky


def test_assess_marks_the_board_fields() -> None:
    behind = rules.assess(task([report(5, 10)]), datetime(2026, 3, 16, 9, tzinfo=VN_TZ))
    assert (behind.elapsed_pct, behind.percent, behind.gap) == (50.0, 10, 40.0)
    assert behind.at_risk and not behind.overdue


# -- overdue -----------------------------------------------------------------------------------------


def test_overdue_only_past_the_deadline_and_not_done() -> None:
    open_task = task([report(5, 60)])
    assert not rules.overdue(open_task, DEADLINE)  # the deadline day itself is still in time
    assert rules.overdue(open_task, DEADLINE + timedelta(days=1))
    done = task([report(5, 100)], status=TaskStatus.DONE, completed_at=datetime(2026, 4, 2, tzinfo=VN_TZ))
    assert not rules.overdue(done, date(2026, 5, 1))
    cancelled = task(status=TaskStatus.CANCELLED)
    assert not rules.overdue(cancelled, date(2026, 5, 1))
    assessed = rules.assess(done, datetime(2026, 5, 1, tzinfo=VN_TZ))
    assert not assessed.overdue and not assessed.at_risk
    assert assessed.projection.finish == date(2026, 4, 2) and assessed.projection.late_by_days == 2


# -- projected finish ----------------------------------------------------------------------------


def test_no_progress_no_projection() -> None:
    assert rules.project_finish(START, DEADLINE, [], date(2026, 3, 10)) == rules.NO_PROJECTION
    zero = rules.project_finish(START, DEADLINE, [report(3, 0)], date(2026, 3, 10))
    assert zero.finish is None and zero.late_by_days is None


def test_one_report_projects_by_the_rate_so_far() -> None:
    # 20 days gone, 40 % done: 100 % takes 50 days, 20 days after the deadline.
    projection = rules.project_finish(START, DEADLINE, [report(20, 40)], date(2026, 3, 21))
    assert projection.method == "rate"
    assert projection.finish == START + timedelta(days=50)
    assert projection.late_by_days == 20 and projection.late


def test_one_report_on_time_is_not_late() -> None:
    projection = rules.project_finish(START, DEADLINE, [report(10, 50)], date(2026, 3, 11))
    assert projection.finish == date(2026, 3, 21) and projection.late_by_days == 0
    assert not projection.late


def test_several_reports_on_one_day_are_that_days_last() -> None:
    # Two reports on day 10 are one point: the rate fallback, from the later one (50 %).
    history = [report(10, 20, hour=9), report(10, 50, hour=15)]
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 11))
    assert projection.method == "rate" and projection.finish == date(2026, 3, 21)


def test_a_straight_line_of_reports_is_extended_to_100() -> None:
    # 2 % a day: 100 % on day 50.
    history = [report(5, 10), report(10, 20), report(15, 30)]
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 16))
    assert projection.method == "trend"
    assert projection.finish == START + timedelta(days=50)
    assert projection.late_by_days == 20


def test_the_line_is_least_squares_not_the_last_two_points() -> None:
    # Points (0,0) (10,40) (20,50): slope 2.5, intercept 5 → 100 % on day 38.
    history = [report(0, 0), report(10, 40), report(20, 50)]
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 21))
    assert projection.finish == START + timedelta(days=38)
    assert projection.late_by_days == 8


def test_progress_that_went_backwards_is_stalled_with_no_finish() -> None:
    history = [report(5, 40), report(15, 20)]  # a unit corrected its estimate down
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 20))
    assert projection.method == "stalled"
    assert projection.finish is None and projection.late_by_days is None
    flat = rules.project_finish(START, DEADLINE, [report(5, 30), report(15, 30)], date(2026, 3, 20))
    assert flat.method == "stalled"


def test_a_dip_within_a_rising_history_still_projects() -> None:
    history = [report(2, 10), report(6, 30), report(8, 25), report(12, 50)]
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 13))
    assert projection.method == "trend" and projection.finish is not None


def test_100_percent_reported_is_done_on_that_day() -> None:
    history = [report(5, 40), report(12, 100)]
    projection = rules.project_finish(START, DEADLINE, history, date(2026, 3, 20))
    assert projection.method == "done"
    assert projection.finish == date(2026, 3, 13) and projection.late_by_days == 0


def test_an_open_task_finishes_today_at_the_earliest() -> None:
    # The line says day 12, but on day 25 the task is at 95 %: it cannot have finished already.
    history = [report(2, 20), report(4, 40), report(6, 60)]
    today = date(2026, 3, 26)
    projection = rules.project_finish(START, DEADLINE, history, today)
    assert projection.finish == today and projection.late_by_days == 0
    rate = rules.project_finish(START, DEADLINE, [report(0, 50)], START)  # day 0 of the rate: today
    assert rate.finish == START


def test_progress_reported_before_the_start_counts_from_day_zero() -> None:
    early = Progress(at=datetime(2026, 2, 25, 9, tzinfo=VN_TZ), by="x", percent=10, note="Chuẩn bị hồ sơ")
    projection = rules.project_finish(START, DEADLINE, [early, report(10, 30)], date(2026, 3, 12))
    # Points (0,10) and (10,30): 2 % a day from 10 % → 100 % on day 45.
    assert projection.finish == START + timedelta(days=45)


def test_assess_of_an_overdue_task_is_at_risk_and_late() -> None:
    overdue = task([report(10, 30), report(20, 50)])
    assessed = rules.assess(overdue, datetime(2026, 4, 5, 9, tzinfo=VN_TZ))
    assert assessed.overdue and assessed.at_risk and assessed.elapsed_pct == 100.0
    assert assessed.projection.finish == date(2026, 4, 15)  # 2 %/day from 10 % at day 0 → day 45
    assert assessed.projection.late_by_days == 15


def test_cancelled_tasks_are_neither_at_risk_nor_projected() -> None:
    assessed = rules.assess(
        task([report(2, 5)], status=TaskStatus.CANCELLED), datetime(2026, 3, 30, tzinfo=VN_TZ)
    )
    assert not assessed.at_risk and assessed.projection == rules.NO_PROJECTION
