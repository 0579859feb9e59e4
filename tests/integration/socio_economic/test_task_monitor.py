"""The hourly task monitor, as Lambda runs it, on moto: the seeded register's overdue and at
risk tasks escalate once, their events in the outbox; a second run changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from ioc_core.platform.dynamo import bind
from ioc_core.platform.outbox import OutboxItem
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks import events
from ioc_core.socio_economic.tasks.adapters import MODELS
from ioc_core.socio_economic.tasks.demo import seed_tasks
from ioc_core.socio_economic.tasks.resources import MONITOR, task_resources
from ioc_core.socio_economic.tasks.service import TaskService

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 2, 10, tzinfo=VN_TZ)


@pytest.fixture
def service(stack: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TaskService]:
    from ioc_core.local.provision import provision
    from ioc_core.socio_economic.tasks import wiring

    provision(stack, task_resources())  # until the room declares them (the clean slate removes them)
    for model, logical in MODELS:
        bind(model, logical, stack)
    wiring.task_service.cache_clear()
    built = wiring.task_service()
    monkeypatch.setattr(built, "clock", FixedClock(NOW))
    yield built
    wiring.task_service.cache_clear()


def test_the_monitor_escalates_each_task_once(service: TaskService) -> None:
    from ioc_core.local.lambdas import LocalContext, load_handler

    schedule = task_resources().schedules[0]
    assert (schedule.function, schedule.expression) == (MONITOR, "rate(1 hour)")
    seed_tasks(service.repo, NOW)
    handler = load_handler(schedule.handler)
    context = LocalContext(function_name=MONITOR)
    first = handler({"source": "aws.scheduler"}, context)
    assert first is not None
    assert (first["scanned"], first["overdue"], first["at_risk"], first["conflicts"]) == (12, 2, 3, 0)
    raised = [CloudEvent.from_json(item.payload) for item in OutboxItem.scan()]  # five items
    assert sorted(e.short_type for e in raised) == sorted([events.OVERDUE] * 2 + [events.AT_RISK] * 3)
    assert all(e.partitionkey == e.subject and str(e.subject).startswith("NV-2026-") for e in raised)
    again = handler({"source": "aws.scheduler"}, context)
    assert again is not None
    assert (again["overdue"], again["at_risk"]) == (0, 0)
    assert len(list(OutboxItem.scan())) == 5
