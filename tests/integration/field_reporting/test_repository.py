"""The PynamoDB repository on moto: every access pattern, atomic outbox, opaque tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest

from ioc_core.field_reporting.models import ReportDraft, ReportStatus
from ioc_core.field_reporting.ports import IdempotencyClaim, IdempotencyConflict, ReportQuery
from ioc_core.field_reporting.service import IntakeService
from ioc_core.field_reporting.workflow import transition
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant
from ioc_core.settings import Settings
from ioc_core.shared.clock import SystemClock
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.integration
RESIDENT = Principal("AC-1", frozenset({Grant("resident")}))  # a signed-in resident owns theirs
CENTRE = (10.928, 108.102)
MUI_NE = (10.945, 108.28)


def _outbox(stack: Settings) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    return client.scan(TableName=stack.name("outbox"))["Items"]  # test inspection only


def _draft(code: str = "street_light_out", where: tuple[float, float] = CENTRE, **kw: Any) -> ReportDraft:
    return ReportDraft(
        service_code=code,
        lat=where[0],
        lon=where[1],
        attributes=kw.pop("attributes", {"lights_affected": "1"}),
        **kw,
    )


def _simple_service(intake: IntakeService) -> str:
    return next(
        s.service_code
        for s in intake.catalogue.active_services()
        if not s.attributes and s.type == "realtime"
    )


def test_report_and_its_event_are_stored_together(
    stack: Settings, intake: IntakeService, no_scans: None
) -> None:
    code = _simple_service(intake)
    result = intake.submit(ReportDraft(service_code=code, lat=CENTRE[0], lon=CENTRE[1]))
    stored = intake.repo.get(result.report.report_id)
    assert stored == result.report
    events = _outbox(stack)
    assert len(events) == 1 and events[0]["partition_key"]["S"] == result.report.report_id


def test_a_cancelled_transaction_writes_neither_report_nor_event(
    stack: Settings, intake: IntakeService
) -> None:
    code = _simple_service(intake)
    first = intake.prepare(ReportDraft(service_code=code, lat=CENTRE[0], lon=CENTRE[1]))
    claim = IdempotencyClaim("same-key", "f1")
    from ioc_core.field_reporting import events

    intake.repo.add(first, [events.submitted(first)], claim)
    second = intake.prepare(ReportDraft(service_code=code, lat=CENTRE[0], lon=CENTRE[1]))
    with pytest.raises(IdempotencyConflict):
        intake.repo.add(second, [events.submitted(second)], claim)
    assert intake.repo.get(second.report_id) is None
    assert len(_outbox(stack)) == 1  # no event escaped the cancelled transaction


def test_optimistic_locking_refuses_a_stale_write(stack: Settings, intake: IntakeService) -> None:
    from ioc_core.field_reporting.ports import VersionConflict

    report = intake.submit(
        ReportDraft(service_code=_simple_service(intake), lat=CENTRE[0], lon=CENTRE[1])
    ).report
    now = SystemClock().now()
    moved, event = transition(report, ReportStatus.VERIFIED, actor="op:1", at=now)
    intake.repo.save(moved, [event], expected_version=report.version)
    again, event2 = transition(report, ReportStatus.REJECTED, actor="op:2", at=now, note="dup")
    with pytest.raises(VersionConflict):
        intake.repo.save(again, [event2], expected_version=report.version)
    assert intake.repo.get(report.report_id).status is ReportStatus.VERIFIED  # type: ignore[union-attr]
    assert len(_outbox(stack)) == 2


def test_queries_use_keys_and_indexes_newest_first_with_tokens(
    stack: Settings, intake: IntakeService, no_scans: None
) -> None:
    code = _simple_service(intake)
    ids = [
        intake.submit(ReportDraft(service_code=code, lat=p[0], lon=p[1]), by=RESIDENT).report.report_id
        for p in (CENTRE, MUI_NE, CENTRE, MUI_NE, CENTRE)
    ]
    now = SystemClock().now()
    window = ReportQuery(start=now - timedelta(days=90), end=now + timedelta(minutes=1), limit=2)
    pages, token = [], None
    while True:
        page = intake.search(ReportQuery(start=window.start, end=window.end, limit=2, token=token))
        pages.append([r.report_id for r in page.items])
        token = page.next_token
        if token is None:
            break
    listed = [i for p in pages for i in p]
    assert sorted(listed) == sorted(ids) and len(listed) == 5
    times = [intake.repo.get(i).requested_at for i in listed]  # type: ignore[union-attr]
    assert times == sorted(times, reverse=True)
    mui_ne = intake.repo.get(ids[1]).location.ward_code  # type: ignore[union-attr]
    by_ward = intake.search(ReportQuery(ward_code=mui_ne, limit=10)).items
    assert {r.report_id for r in by_ward} == {ids[1], ids[3]}
    assert len(intake.search(ReportQuery(reporter_id="AC-1", limit=10)).items) == 5
    assert len(intake.search(ReportQuery(service_codes=(code,), limit=10)).items) == 5
    open_only = ReportQuery(start=window.start, end=window.end, statuses=(ReportStatus.RESOLVED,), limit=10)
    assert intake.search(open_only).items == []
    by_ids = intake.search(ReportQuery(report_ids=(ids[0], ids[4], "PT-NOPE0000"), limit=10)).items
    assert {r.report_id for r in by_ids} == {ids[0], ids[4]}


def test_a_forged_page_token_is_a_validation_error(stack: Settings, intake: IntakeService) -> None:
    now = SystemClock().now()
    for token in ("not-base64!!", "bnVsbA", "W10"):  # garbage, JSON null, JSON []
        with pytest.raises(ValidationFailed):
            intake.search(ReportQuery(start=now - timedelta(days=1), end=now, token=token))
