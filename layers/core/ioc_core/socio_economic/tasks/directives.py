"""The province's directives, as the integration room tells them (``integration.directive.
received``), become tasks of the register: owner and co-operating units, deadline, expected
output; the task's later events name the directive, and go back to the province as they are."""

from __future__ import annotations

from datetime import date, datetime

from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.models import TaskSource
from ioc_core.socio_economic.tasks.rules import vn_date
from ioc_core.socio_economic.tasks.service import TaskDraft

DIRECTIVE_RECEIVED = "integration.directive.received"
TAKES = (DIRECTIVE_RECEIVED,)


def draft_of(event: CloudEvent) -> tuple[str, TaskDraft]:
    """(the directive's id, the task it asks for); the day it arrived when it names no start."""
    data = event.data
    arrived = vn_date(datetime.fromisoformat(event.time))
    start = date.fromisoformat(data["start"]) if data.get("start") else arrived
    deadline = date.fromisoformat(data["deadline"])
    reference = " · ".join(p for p in (data.get("document_ref") or "", str(data["directive_id"])) if p)
    return str(data["directive_id"]), TaskDraft(
        title=str(data["title"]),
        title_en=data.get("title_en"),
        source=TaskSource.PROVINCE,
        source_ref=reference[:300],
        owner_unit=str(data["owner_unit"]),
        co_units=tuple(data.get("co_units") or ()),
        start=min(start, deadline),
        deadline=deadline,
        expected_output=str(data.get("expected_output") or ""),
    )
