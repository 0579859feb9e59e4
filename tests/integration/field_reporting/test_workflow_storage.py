"""The workflow on moto: queues from the status and unit indexes, merges in one transaction,
notifications through the event pump (outbox → Kinesis → consumer), the SLA job."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ioc_core.field_reporting.models import ReportDraft, Reporter
from ioc_core.field_reporting.workflow_service import Caller, QueueFilters
from ioc_core.identity.principal import Principal
from ioc_core.local.pump import EventPump
from ioc_core.platform.access import Grant
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration
OPERATOR = Caller(Principal("op", frozenset({Grant("operator")}), username="op"), "operator")
CSCC = Caller(Principal("u", frozenset({Grant("unit_staff", "CSCC")}), username="cscc"), "unit_staff")


def submit(account: str) -> str:
    from ioc_core.field_reporting.wiring import intake_service

    draft = ReportDraft(
        service_code="street_light_out", lat=10.928, lon=108.102, attributes={"lights_affected": "one"},
        reporter=Reporter(phone="0912345678"), channel="mobile",
    )  # fmt: skip
    by = Principal(account, frozenset({Grant("resident")}))  # a signed-in resident owns theirs
    return intake_service().submit(draft, by=by).report.report_id


def test_queues_merges_notifications_and_the_sla_job(stack: Settings, no_scans: None) -> None:
    from ioc_core.field_reporting.wiring import inbox, workflow_service
    from ioc_core.local.scheduler import find, run_job

    flow = workflow_service()
    first, second = submit("AC-A"), submit("AC-B")
    received = flow.queue(OPERATOR, QueueFilters(limit=10))
    assert {r.report_id for r in received.items} == {first, second}
    page = flow.queue(OPERATOR, QueueFilters(limit=1))
    assert page.next_token and flow.queue(OPERATOR, QueueFilters(limit=1, cursor=page.next_token)).items

    flow.verify(OPERATOR, first, 1, None)
    flow.assign(OPERATOR, first, 2, "CSCC", None)
    assert [r.report_id for r in flow.queue(CSCC, QueueFilters()).items] == [first]
    master, duplicate = flow.merge(OPERATOR, second, 1, first, None)
    assert master.followers == ["AC-B"] and duplicate.merged_into == first

    # Only this subsystem's consumers: the relay, statistics and notifications.
    ours = tuple(c for c in RESOURCES.consumers if c.function.startswith(("outbox", "field-reporting")))
    EventPump(stack, resources=replace(RESOURCES, consumers=ours)).drain(timeout=60)
    resident_inbox, _ = inbox().page("account:AC-A", 20, None)
    assert {n.kind for n in resident_inbox} >= {"status_changed"}
    assert {n.status.value for n in resident_inbox if n.status} >= {"verified", "assigned"}
    assert inbox().page("account:AC-B", 20, None)[0]  # the follower hears of the merge
    assert inbox().unread("unit:CSCC") >= 1
    assert {d.channel for d in inbox().deliveries(10)} == {"log"}  # locally logged, not sent

    result = run_job(find("field-reporting-sla"), prefix=stack.resource_prefix)
    assert result["scanned"] >= 1 and result["conflicts"] == 0
