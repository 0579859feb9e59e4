"""The audit log's domain: entries from outbox items, the search's rules, the writer's batch,
the context staged beside the event (never in it), and a grant's entry written after the change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.audit_log import AuditLogContract, entry
from fakes import InMemoryAuditLog, InMemoryStaffDirectory
from ioc_core.field_reporting import events as fr_events
from ioc_core.identity.staff import GRANTS_CHANGED, Scopes, StaffAdministration
from ioc_core.platform import audit_context
from ioc_core.platform.access import Grant, policy
from ioc_core.platform.audit.models import entry_of
from ioc_core.platform.audit.service import AuditSearchRequest, AuditService
from ioc_core.platform.audit.writer import write
from ioc_core.platform.audit_context import AuditContext
from ioc_core.platform.outbox import payloads_of, stage_events
from ioc_core.platform.relay import relay
from ioc_core.platform.rooms import Label
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ)
OPERATOR = AuditContext(
    actor="op.nguyen", sub="u-1", role="operator", ip="203.0.113.7", user_agent="Firefox/140",
    route="POST /api/v1/workflow/reports/{report_id}/verify",
)  # fmt: skip
WORDS = fr_events.audit_words()


def verified(report_id: str = "PT-2026-000001") -> CloudEvent:
    return CloudEvent.new(
        fr_events.STATUS_CHANGED, subsystem="field_reporting", subject=report_id, at=NOW, sequence=2,
        data={"report_id": report_id, "from": "received", "to": "verified", "action": "verify",
              "role": "operator"},
    )  # fmt: skip


class TestInMemoryAuditLog(AuditLogContract):
    @pytest.fixture(autouse=True)
    def empty(self) -> None:
        self.log = InMemoryAuditLog()


def test_a_status_change_names_who_what_from_to_and_the_step_in_both_languages() -> None:
    made = entry_of(verified(), OPERATOR, NOW, WORDS)
    assert (made.actor, made.role, made.ip, made.user_agent) == (
        "op.nguyen",
        "operator",
        "203.0.113.7",
        "Firefox/140",
    )
    assert (made.action, made.change, made.step) == (fr_events.STATUS_CHANGED, "received→verified", "verify")
    assert made.target.key == "field_reporting/report/PT-2026-000001"
    assert made.summary == Label(
        "Phản ánh PT-2026-000001: Chờ tiếp nhận → Đã tiếp nhận (verify)",
        "Report PT-2026-000001: Received → Verified (verify)",
    )
    assert {"tiep", "nhan", "phan", "anh", "verify", "nguyen"} <= set(made.search_text.split())


def test_an_event_without_a_context_is_the_unknown_system_and_unknown_words_are_the_type() -> None:
    event = CloudEvent.new("cameras.alert.raised", subsystem="cameras", subject="AL-1", at=NOW, data={})
    made = entry_of(event, None, NOW, {})
    assert made.actor == "system:unknown"
    assert made.summary.en == "cameras.alert.raised AL-1" and made.target.kind == "alert"


class RecordingTransaction:
    def __init__(self) -> None:
        self.saved: list[Any] = []

    def save(self, item: Any, condition: Any = None) -> None:
        self.saved.append(item)


def test_the_context_is_staged_beside_the_event_and_never_inside_it() -> None:
    tx = RecordingTransaction()
    with audit_context.acting(OPERATOR):
        stage_events(tx, [verified()])  # type: ignore[arg-type]
    (item,) = tx.saved
    assert AuditContext.from_json(item.audit) == OPERATOR
    for leak in ("op.nguyen", "203.0.113.7", "Firefox", "u-1"):
        assert leak not in item.payload
    assert json.loads(item.payload) == json.loads(
        verified().model_copy(update={"id": item.event_id}).to_json()
    )


def test_events_staged_together_are_one_item_and_every_one_reaches_the_log() -> None:
    tx = RecordingTransaction()
    staged = [verified(f"PT-{n}") for n in range(3)]
    with audit_context.acting(OPERATOR):
        stage_events(tx, staged, together=True)  # type: ignore[arg-type]
    (item,) = tx.saved
    assert item.event_id == staged[0].id
    held = payloads_of(item.attribute_values)
    assert [json.loads(p)["id"] for _, p in held] == [e.id for e in staged]
    assert [k for k, _ in held] == ["PT-0", "PT-1", "PT-2"]
    image = {"event_id": {"S": item.event_id}, "payload": {"S": item.payload}, "batch": {"S": item.batch},
             "partition_key": {"S": item.partition_key}, "audit": {"S": item.audit},
             "created_at": {"N": str(int(NOW.timestamp() * 1000))}}  # fmt: skip
    stream = {"Records": [{"eventName": "INSERT", "dynamodb": {"NewImage": image, "SequenceNumber": "1"}}]}
    log = InMemoryAuditLog()
    assert write(stream, log, WORDS) == {"batchItemFailures": []}
    assert sorted(e.target.id for e in log.entries.values()) == ["PT-0", "PT-1", "PT-2"]
    assert {e.actor for e in log.entries.values()} == {"op.nguyen"}
    published: list[tuple[str, str]] = []

    class Recording:
        def publish(self, records: list[tuple[str, str]]) -> list[int]:
            published.extend(records)
            return []

    assert relay(stream, Recording()) == {"batchItemFailures": []}
    assert [json.loads(p)["subject"] for _, p in published] == ["PT-0", "PT-1", "PT-2"]
    assert [k for k, _ in published] == ["PT-0", "PT-1", "PT-2"]


def test_staged_apart_each_event_is_its_own_item_and_too_many_together_are_refused() -> None:
    tx = RecordingTransaction()
    stage_events(tx, [verified("PT-1"), verified("PT-2")])  # type: ignore[arg-type]
    assert [i.batch for i in tx.saved] == [None, None]
    huge = [verified(f"PT-{n:06d}") for n in range(1000)]
    with pytest.raises(ValueError, match="more than one outbox item holds"):
        stage_events(RecordingTransaction(), huge, together=True)  # type: ignore[arg-type]


def test_outside_any_request_or_function_the_context_says_so() -> None:
    tx = RecordingTransaction()
    stage_events(tx, [verified()])  # type: ignore[arg-type]
    assert json.loads(tx.saved[0].audit) == {"actor": "system:unknown"}


def _stream(*items: tuple[CloudEvent, AuditContext | None], name: str = "INSERT") -> dict[str, Any]:
    records = []
    for n, (event, context) in enumerate(items):
        image: dict[str, Any] = {
            "event_id": {"S": event.id}, "payload": {"S": event.to_json()},
            "created_at": {"N": str(int(NOW.timestamp() * 1000) + n)},
        }  # fmt: skip
        if context is not None:
            image["audit"] = {"S": context.to_json()}
        records.append(
            {"eventName": name, "dynamodb": {"NewImage": image, "SequenceNumber": f"{n + 1:021d}"}}
        )
    return {"Records": records}


def test_the_writer_makes_one_entry_per_inserted_item_and_a_redelivery_none() -> None:
    log = InMemoryAuditLog()
    batch = _stream((verified("PT-1"), OPERATOR), (verified("PT-2"), None))
    assert write(batch, log, WORDS) == {"batchItemFailures": []}
    assert write(batch, log, WORDS) == {"batchItemFailures": []}
    assert sorted(e.target.id for e in log.entries.values()) == ["PT-1", "PT-2"]
    assert write(_stream((verified("PT-3"), OPERATOR), name="REMOVE"), log, WORDS)["batchItemFailures"] == []
    assert len(log.entries) == 2  # a TTL deletion is no change


class FailingAfter(InMemoryAuditLog):
    def __init__(self, good: int) -> None:
        super().__init__()
        self.good = good

    def record(self, entries: list[Any]) -> int:
        if len(self.entries) >= self.good:
            raise RuntimeError("throttled")
        return super().record(entries)


def test_a_batch_the_writer_could_not_write_comes_again_from_its_first_record() -> None:
    log = FailingAfter(good=0)
    answer = write(_stream((verified("PT-1"), OPERATOR), (verified("PT-2"), OPERATOR)), log, WORDS)
    assert answer == {"batchItemFailures": [{"itemIdentifier": f"{1:021d}"}]}


def _service() -> tuple[AuditService, InMemoryAuditLog]:
    log = InMemoryAuditLog()
    return AuditService(log, FixedClock(NOW)), log


def test_a_search_without_a_window_is_the_last_week_and_words_are_folded() -> None:
    service, _ = _service()
    query = service.query(AuditSearchRequest(q="Đã TIẾP  nhận"))
    assert (query.start, query.end) == (NOW - timedelta(days=7), NOW)
    assert query.terms == ("da", "tiep", "nhan")
    assert len(query.days) == 8 and query.days[0] == "2026-12-02"


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (AuditSearchRequest(start=NOW, end=NOW - timedelta(seconds=1)), "from"),
        (AuditSearchRequest(start=NOW - timedelta(days=92), end=NOW), "from"),  # 93 days of partitions
        (AuditSearchRequest(start=NOW - timedelta(days=400), end=NOW, actor="x"), "from"),
        (AuditSearchRequest(action="Field Reporting"), "action"),
    ],
)
def test_a_search_that_would_read_too_much_or_makes_no_sense_is_a_400(
    request_: AuditSearchRequest, field: str
) -> None:
    service, _ = _service()
    with pytest.raises(ValidationFailed) as raised:
        service.query(request_)
    assert [p.field for p in raised.value.problems] == [field]


def test_an_actor_or_a_target_may_be_searched_over_a_year() -> None:
    service, log = _service()
    log.record([entry(1, actor="admin.tran")])
    found = service.search(AuditSearchRequest(actor="admin.tran", start=NOW - timedelta(days=300), end=NOW))
    assert [e.entry_id for e in found.items] == ["ev-0001"]


SCOPES = Scopes(units={"CSCC": Label("Chiếu sáng", "Lighting")}, wards={})


def test_a_grant_change_writes_one_entry_after_the_directory_changed_and_none_when_nothing_changes() -> None:
    log = InMemoryAuditLog()
    directory = InMemoryStaffDirectory({"binh": ("Bình", ["operator"]), "quantri": ("QT", ["admin"])})
    admin = StaffAdministration(directory, policy(), SCOPES, log)
    by_admin = OPERATOR.model_copy(update={"actor": "quantri", "role": "admin"})
    with audit_context.acting(by_admin):
        admin.set_grants("binh", [Grant("unit_staff", "CSCC")], by="quantri")
        admin.set_grants("binh", [Grant("unit_staff", "CSCC")], by="quantri")  # the same PUT again
    (made,) = log.entries.values()
    assert (made.action, made.actor, made.role, made.ip) == (
        GRANTS_CHANGED,
        "quantri",
        "admin",
        "203.0.113.7",
    )
    assert (
        made.target.id == "binh" and "+unit_staff@CSCC" in made.summary.vi and "−operator" in made.summary.en
    )
    assert datetime.now(UTC) - made.at < timedelta(minutes=1)


def test_creating_disabling_and_resetting_staff_is_audited() -> None:
    from ioc_core.identity.staff import CREATED, DISABLED, ENABLED, MFA_RESET, NewStaff

    log = InMemoryAuditLog()
    directory = InMemoryStaffDirectory({"binh": ("Bình", ["operator"]), "quantri": ("QT", ["admin"])})
    admin = StaffAdministration(directory, policy(), SCOPES, log)
    by_admin = OPERATOR.model_copy(update={"actor": "quantri", "role": "admin"})
    with audit_context.acting(by_admin):
        admin.create(NewStaff("lan", "Lan", "lan@phanthiet.gov.vn"), [Grant("operator")], by="quantri")
        admin.disable("lan", by="quantri")
        admin.enable("lan", by="quantri")
        admin.reset_mfa("lan", by="quantri")
    entries = sorted(log.entries.values(), key=lambda e: e.sort_key)
    assert [e.action for e in entries] == [CREATED, DISABLED, ENABLED, MFA_RESET]
    assert {(e.actor, e.target.id) for e in entries} == {("quantri", "lan")}


class BrokenLog(InMemoryAuditLog):
    def record(self, entries: list[Any]) -> int:
        raise RuntimeError("DynamoDB is down")


def test_a_grant_whose_entry_cannot_be_written_is_still_made_and_says_so_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = InMemoryStaffDirectory({"binh": ("Bình", ["operator"]), "quantri": ("QT", ["admin"])})
    admin = StaffAdministration(directory, policy(), SCOPES, BrokenLog())
    admin.set_grants("binh", [], by="quantri")
    assert directory.users["binh"][1] == set()
    assert [r.getMessage() for r in caplog.records].count("audit entry not written") == 2
