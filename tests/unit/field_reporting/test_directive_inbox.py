"""The province's directives reach the staff inbox from the task register's events: a new one
the desks of its owner and co-operating units, an overdue one the owner's and the leaders';
other tasks stay on the task board; a redelivered event adds nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fakes import InMemoryInbox, RecordingSender
from ioc_core.field_reporting.api_v1.workflow_presenter import notification_view
from ioc_core.field_reporting.notifications import (
    LEADERS,
    TAKES,
    TASK_OVERDUE,
    TASK_REGISTERED,
    Notifier,
    unit_desk,
)
from ioc_core.shared.clock import VN_TZ
from ioc_core.socio_economic.tasks import events as task_events
from ioc_core.socio_economic.tasks.models import Task, TaskSource
from ioc_core.socio_economic.tasks.rules import assess

pytestmark = pytest.mark.unit
AT = datetime(2026, 12, 1, 9, tzinfo=VN_TZ)


def _task(source: TaskSource = TaskSource.PROVINCE) -> Task:
    return Task(
        task_id="NV-2026-0042", title="Rà soát phương án phòng chống bão số 9", source=source,
        owner_unit="KINHTE", co_units=["QLDT"], start=date(2026, 11, 1), deadline=date(2026, 11, 20),
        directive_id="CD-2026-0100" if source is TaskSource.PROVINCE else None,
        created_by="system:province", created_at=AT, updated_at=AT,
    )  # fmt: skip


def _notifier(inbox: InMemoryInbox) -> Notifier:
    return Notifier(None, inbox, RecordingSender(), clock=lambda: AT)  # type: ignore[arg-type]


def test_the_notifier_declares_the_task_events_it_takes() -> None:
    assert {task_events.REGISTERED, task_events.OVERDUE} == {TASK_REGISTERED, TASK_OVERDUE} <= set(TAKES)


def test_a_new_directive_reaches_its_units_desks_once() -> None:
    inbox = InMemoryInbox()
    registered = task_events.registered(_task())
    assert _notifier(inbox).handle([registered]) == 2
    assert _notifier(inbox).handle([registered]) == 0  # redelivered
    assert sorted(r for r, _ in inbox.items) == [unit_desk("KINHTE"), unit_desk("QLDT")]
    note = next(iter(inbox.items.values()))
    assert (note.kind, note.task_id, note.report_id) == ("directive_registered", "NV-2026-0042", None)
    assert note.title.vi == "Chỉ đạo của tỉnh: Rà soát phương án phòng chống bão số 9"
    assert note.body is not None and "20/11/2026" in note.body.vi and "20/11/2026" in note.body.en
    assert notification_view(note).task_id == "NV-2026-0042"


def test_an_overdue_directive_escalates_to_the_leaders() -> None:
    inbox = InMemoryInbox()
    task = _task()
    overdue = task_events.overdue(task, assess(task, AT), AT)
    assert _notifier(inbox).handle([overdue]) == 2
    assert sorted(r for r, _ in inbox.items) == sorted([unit_desk("KINHTE"), LEADERS])
    note = next(iter(inbox.items.values()))
    assert note.kind == "directive_overdue" and note.body is not None and "11 ngày" in note.body.vi


def test_the_citys_own_tasks_stay_on_the_board() -> None:
    inbox = InMemoryInbox()
    plan = _task(TaskSource.PLAN)
    assert (
        _notifier(inbox).handle(
            [task_events.registered(plan), task_events.overdue(plan, assess(plan, AT), AT)]
        )
        == 0
    )
