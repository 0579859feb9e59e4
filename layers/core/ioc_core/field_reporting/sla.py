"""The SLA engine: working-day clocks for verifying and for resolving a report.

Time is counted in Vietnamese working hours from a holiday calendar kept as data per year
(``data/holidays/<year>.json``: public holidays, Tết included, and make-up working
Saturdays). A clock is paused while the city waits on the resident and its due time moves
by the pause. ``expected_at`` (Open311 ``expected_datetime``) is the resolve clock's due
time once it runs, and before that the projection of both budgets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from ioc_core.field_reporting.models import Report, ServiceDefinition, SlaClock, SlaState, Text
from ioc_core.shared.working_time import add_working_hours, is_working_day, working_hours_between

WARN_AT = 0.8
ESCALATE_AT = 1.0
ClockName = Literal["verify", "resolve"]


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: frozenset[date]
    working_days: frozenset[date]
    names: dict[date, Text]
    years: frozenset[int]

    def add_hours(self, start: datetime, hours: float) -> datetime:
        return add_working_hours(start, hours, self.holidays, self.working_days)

    def hours_between(self, start: datetime, end: datetime) -> float:
        return working_hours_between(start, end, self.holidays, self.working_days)

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.holidays, self.working_days)


def load_calendar(folder: Path | None = None) -> HolidayCalendar:
    if folder is None:
        root = resources.files("ioc_core.field_reporting").joinpath("data/holidays")
        texts = [f.read_text("utf-8") for f in root.iterdir() if f.name.endswith(".json")]
    else:
        texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.json"))]
    holidays: dict[date, Text] = {}
    working: set[date] = set()
    years: set[int] = set()
    for raw in texts:
        data = json.loads(raw)
        years.add(int(data["year"]))
        for entry in data["holidays"]:
            holidays[date.fromisoformat(entry["date"])] = Text.model_validate(entry["name"])
        working.update(date.fromisoformat(e["date"]) for e in data.get("working_days", []))
    return HolidayCalendar(frozenset(holidays), frozenset(working), holidays, frozenset(years))


@lru_cache(maxsize=1)
def default_calendar() -> HolidayCalendar:
    return load_calendar()


# -- clocks -----------------------------------------------------------------------------------


def new_clock(budget_hours: float, at: datetime, calendar: HolidayCalendar) -> SlaClock:
    return SlaClock(budget_hours=budget_hours, started_at=at, due_at=calendar.add_hours(at, budget_hours))


def at_intake(service: ServiceDefinition, at: datetime, calendar: HolidayCalendar) -> SlaState:
    return SlaState(verify=new_clock(service.sla.verify_hours, at, calendar))


def projected_due(service: ServiceDefinition, at: datetime, calendar: HolidayCalendar) -> datetime:
    """Before verification: when the report should be resolved if both clocks run to budget."""
    return calendar.add_hours(at, service.sla.verify_hours + service.sla.resolve_hours)


def _stopped(clock: SlaClock | None, at: datetime) -> SlaClock | None:
    if clock is None or clock.stopped_at is not None:
        return clock
    return clock.model_copy(update={"stopped_at": at})


def on_verified(state: SlaState, service: ServiceDefinition, at: datetime, cal: HolidayCalendar) -> SlaState:
    """The verify clock stops; the resolve clock starts with the category's budget."""
    return SlaState(verify=_stopped(state.verify, at), resolve=new_clock(service.sla.resolve_hours, at, cal))


def on_reopened(state: SlaState, service: ServiceDefinition, at: datetime, cal: HolidayCalendar) -> SlaState:
    """A disputed resolution gets a fresh resolve clock."""
    return SlaState(verify=state.verify, resolve=new_clock(service.sla.resolve_hours, at, cal))


def on_closed(state: SlaState, at: datetime) -> SlaState:
    return SlaState(verify=_stopped(state.verify, at), resolve=_stopped(state.resolve, at))


def paused(state: SlaState, at: datetime) -> SlaState:
    def pause(clock: SlaClock | None) -> SlaClock | None:
        if clock is None or not clock.running:
            return clock
        return clock.model_copy(update={"paused_at": at})

    return SlaState(verify=pause(state.verify), resolve=pause(state.resolve))


def resumed(state: SlaState, at: datetime, cal: HolidayCalendar) -> SlaState:
    """The working time left at the pause is counted again from ``at``."""

    def resume(clock: SlaClock | None) -> SlaClock | None:
        if clock is None or clock.paused_at is None or clock.stopped_at is not None:
            return clock
        left = cal.hours_between(clock.paused_at, clock.due_at)
        due = cal.add_hours(at, left) if left > 0 else clock.due_at
        return clock.model_copy(update={"paused_at": None, "due_at": due})

    return SlaState(verify=resume(state.verify), resolve=resume(state.resolve))


def progress(clock: SlaClock, now: datetime, cal: HolidayCalendar) -> float:
    """Used share of the budget (1.0 = due); frozen while paused or stopped."""
    moment = clock.stopped_at or clock.paused_at or now
    if clock.budget_hours <= 0:
        return 1.0
    left = cal.hours_between(moment, clock.due_at)
    return (clock.budget_hours - left) / clock.budget_hours


def is_overdue(clock: SlaClock, now: datetime) -> bool:
    moment = clock.stopped_at or clock.paused_at or now
    return moment > clock.due_at


def active_clock(state: SlaState | None) -> tuple[ClockName, SlaClock] | None:
    """The clock the report is on now: resolve once it runs, else verify."""
    if state is None:
        return None
    if state.resolve is not None and state.resolve.stopped_at is None:
        return "resolve", state.resolve
    if state.verify is not None and state.verify.stopped_at is None:
        return "verify", state.verify
    return None


def expected_at(report: Report) -> datetime | None:
    state = report.sla
    if state is not None and state.resolve is not None:
        return state.resolve.due_at
    return report.expected_at


def escalated(report: Report) -> bool:
    """Overdue as the SLA job declared it: open, and the clock it is on now was escalated.
    Events carry it before and after each change, so the overview counts overdue reports from
    the event stream alone (it moves only when a clock escalates or the report moves on)."""
    if report.status.is_closed:
        return False
    current = active_clock(report.sla)
    return current is not None and current[1].escalated_at is not None


def overdue(report: Report, now: datetime) -> bool:
    if report.status.is_closed:
        return False
    current = active_clock(report.sla)
    if current is None:
        due = report.expected_at
        return due is not None and now > due
    return is_overdue(current[1], now)
