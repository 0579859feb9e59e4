"""How a task stands: time elapsed, at risk, overdue, and when it will likely finish.

Pure functions on calendar days in Vietnam (Asia/Ho_Chi_Minh dates): a task started on 1 March
with a 31 March deadline is 50 % through its time on 16 March, whatever the hour.

- At risk: its % done trails the % of time elapsed by more than 15 points.
- Projected finish: a least-squares line through its (day, % done) reports, one per day (the
  day's last), extended to 100 %; with fewer than two days of reports, the rate so far
  (start + days elapsed ÷ % done). None without progress, or when the line does not rise
  (stalled, or going back). An open task finishes today at the earliest.
- Overdue: open, and today is past its deadline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from ioc_core.shared.clock import to_vn
from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.socio_economic.tasks.models import Progress, Task, TaskStatus

RISK_MARGIN = 15.0  # percentage points of time elapsed a task's % done may trail
Method = Literal["done", "trend", "rate", "stalled", "none"]


@dataclass(frozen=True)
class Projection:
    finish: date | None
    method: Method  # done (reached 100 %), trend (the line), rate (one day of reports), stalled, none
    late_by_days: int | None  # days past the deadline (0: on time); None without a finish

    @property
    def late(self) -> bool:
        return bool(self.late_by_days)


@dataclass(frozen=True)
class Assessment:
    today: date
    elapsed_pct: float
    percent: int
    at_risk: bool
    overdue: bool
    projection: Projection

    @property
    def gap(self) -> float:
        """Points by which % done trails % of time elapsed (negative: ahead)."""
        return round(self.elapsed_pct - self.percent, 1)


NO_PROJECTION = Projection(None, "none", None)


def vn_date(moment: datetime) -> date:
    return to_vn(moment).date()


def check_dates(start: date, deadline: date) -> None:
    """A deadline before the start is a 400 naming ``deadline``."""
    if deadline < start:
        raise ValidationFailed(
            f"Hạn hoàn thành {deadline:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y} / "
            f"The deadline {deadline.isoformat()} is before the start {start.isoformat()}.",
            problems=[FieldProblem("deadline", "on or after start")],
        )


def time_elapsed(start: date, deadline: date, today: date) -> float:
    """% of the task's calendar days gone, 0–100 (100 on the deadline and after)."""
    check_dates(start, deadline)
    total = (deadline - start).days
    if today >= deadline:
        return 100.0
    if today <= start or total == 0:
        return 0.0
    return round(100.0 * (today - start).days / total, 1)


def at_risk(percent: int, elapsed_pct: float) -> bool:
    return elapsed_pct - percent > RISK_MARGIN


def overdue(task: Task, today: date) -> bool:
    return task.is_open and today > task.deadline


def _daily(start: date, history: Sequence[Progress]) -> dict[int, int]:
    """Day since start → the % done reported last that day (reports before start: day 0)."""
    points: dict[int, int] = {}
    for entry in sorted(history, key=lambda p: p.at):
        points[max(0, (vn_date(entry.at) - start).days)] = entry.percent
    return points


def _line(points: dict[int, int]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line through the points."""
    n = len(points)
    mean_x = sum(points) / n
    mean_y = sum(points.values()) / n
    sxx = sum((x - mean_x) ** 2 for x in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points.items())
    slope = sxy / sxx
    return mean_y - slope * mean_x, slope


def _days(value: float) -> int:
    return math.ceil(value - 1e-9)  # 12.0000001 days of float noise is day 12


def project_finish(start: date, deadline: date, history: Sequence[Progress], today: date) -> Projection:
    """When the task will likely reach 100 %, from its progress history (see the module)."""
    check_dates(start, deadline)
    if not history:
        return NO_PROJECTION
    latest = max(history, key=lambda p: p.at)
    if latest.percent >= 100:
        return _against(vn_date(latest.at), deadline, "done")
    points = _daily(start, history)
    if len(points) >= 2:
        intercept, slope = _line(points)
        if slope <= 0:
            return Projection(None, "stalled", None)
        finish = start + timedelta(days=_days((100 - intercept) / slope))
        return _against(max(finish, today), deadline, "trend")
    if latest.percent == 0:
        return NO_PROJECTION
    elapsed = max(0, (today - start).days)
    finish = start + timedelta(days=_days(elapsed * 100 / latest.percent))
    return _against(max(finish, today), deadline, "rate")


def _against(finish: date, deadline: date, method: Method) -> Projection:
    return Projection(finish, method, max(0, (finish - deadline).days))


def assess(task: Task, now: datetime) -> Assessment:
    """The task as the board shows it on ``now``'s day in Vietnam."""
    today = vn_date(now)
    elapsed = time_elapsed(task.start, task.deadline, today)
    if task.status is TaskStatus.DONE:
        finished = vn_date(task.completed_at or task.updated_at)
        return Assessment(today, elapsed, 100, False, False, _against(finished, task.deadline, "done"))
    if task.status is TaskStatus.CANCELLED:
        return Assessment(today, elapsed, task.percent, False, False, NO_PROJECTION)
    projection = project_finish(task.start, task.deadline, task.progress, today)
    return Assessment(
        today, elapsed, task.percent, at_risk(task.percent, elapsed), overdue(task, today), projection
    )
