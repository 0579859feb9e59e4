"""The in-memory fakes keep the ports' contracts, so unit tests on them mean something."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.report_repository import six_reports
from fakes import MONDAY_9AM, InMemoryPhotoStore, InMemoryReportRepository, new_report
from ioc_core.field_reporting import events
from ioc_core.field_reporting.models import ReportStatus
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    IdempotencyConflict,
    ReportQuery,
    VersionConflict,
)
from ioc_core.field_reporting.workflow import transition
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit

DAY = timedelta(days=1)


@pytest.fixture
def repo() -> InMemoryReportRepository:
    """Six reports a day apart, alternating wards and services; PT-00000005 is the newest."""
    store = InMemoryReportRepository()
    six_reports(store)  # the contract suite's six, so both suites read the same data
    return store


def ids(repo: InMemoryReportRepository, query: ReportQuery) -> list[str]:
    return [r.report_id for r in repo.query(query).items]


def test_add_refuses_a_claimed_key_and_a_taken_id(repo: InMemoryReportRepository) -> None:
    repo.add(new_report("PT-A"), [], IdempotencyClaim("k1", "f1"))

    with pytest.raises(IdempotencyConflict) as conflict:
        repo.add(new_report("PT-B"), [], IdempotencyClaim("k1", "f2"))
    assert (conflict.value.report_id, conflict.value.fingerprint) == ("PT-A", "f1")
    with pytest.raises(VersionConflict):
        repo.add(new_report("PT-A"), [])
    assert repo.find_claim("k1") == ("PT-A", "f1")
    assert repo.get("PT-B") is None


def test_save_checks_the_version_read(repo: InMemoryReportRepository) -> None:
    report = repo.get("PT-00000000")
    assert report is not None
    moved, event = transition(report, ReportStatus.VERIFIED, actor="officer", at=MONDAY_9AM)

    repo.save(moved, [event], expected_version=report.version)

    with pytest.raises(VersionConflict):
        repo.save(moved, [event], expected_version=report.version)  # stale now
    with pytest.raises(VersionConflict):
        repo.save(new_report("PT-NEVER"), [], expected_version=1)
    assert repo.outbox[-1] == event
    assert len(repo.outbox) == 7


def test_stored_reports_are_copies(repo: InMemoryReportRepository) -> None:
    report = repo.get("PT-00000000")
    assert report is not None
    report.history.clear()
    assert repo.get("PT-00000000").history != []  # type: ignore[union-attr]


def test_import_skips_existing_ids(repo: InMemoryReportRepository) -> None:
    fresh = new_report("PT-IMPORTED")
    created = repo.import_reports([(new_report("PT-00000000"), []), (fresh, [events.submitted(fresh)])])

    assert created == 1
    assert repo.get("PT-IMPORTED") == fresh
    assert len(repo.outbox) == 7


def test_query_filters_newest_first(repo: InMemoryReportRepository) -> None:
    assert ids(repo, ReportQuery(ward_code="22918")) == ["PT-00000004", "PT-00000002", "PT-00000000"]
    assert ids(repo, ReportQuery(service_codes=("road_damage",))) == [
        "PT-00000005",
        "PT-00000003",
        "PT-00000001",
    ]
    window = ReportQuery(start=MONDAY_9AM + DAY, end=MONDAY_9AM + 3 * DAY, statuses=(ReportStatus.RECEIVED,))
    assert ids(repo, window) == ["PT-00000003", "PT-00000002", "PT-00000001"]
    assert ids(repo, ReportQuery(ward_code="22918", statuses=(ReportStatus.RESOLVED,))) == []


def test_query_by_ids_ignores_duplicates_and_unknown_ids(repo: InMemoryReportRepository) -> None:
    query = ReportQuery(report_ids=("PT-00000001", "PT-NOPE", "PT-00000004", "PT-00000001"))
    assert ids(repo, query) == ["PT-00000004", "PT-00000001"]


def test_query_pages_with_opaque_tokens(repo: InMemoryReportRepository) -> None:
    first = repo.query(ReportQuery(start=MONDAY_9AM, end=MONDAY_9AM + 9 * DAY, limit=4))
    assert [r.report_id for r in first.items] == [f"PT-0000000{n}" for n in (5, 4, 3, 2)]
    assert first.next_token is not None

    second = repo.query(
        ReportQuery(start=MONDAY_9AM, end=MONDAY_9AM + 9 * DAY, limit=4, token=first.next_token)
    )

    assert [r.report_id for r in second.items] == ["PT-00000001", "PT-00000000"]
    assert second.next_token is None


def test_query_refuses_a_forged_token_and_an_unbounded_listing(repo: InMemoryReportRepository) -> None:
    with pytest.raises(ValidationFailed):
        repo.query(ReportQuery(ward_code="22918", token="not-a-token"))
    with pytest.raises(ValidationFailed, match="time window"):
        # Statuses alone are keyed (the status index, for the workflow queues); two categories are not.
        repo.query(ReportQuery(service_codes=("street_light_out", "road_damage")))


def test_find_by_token(repo: InMemoryReportRepository) -> None:
    batch = new_report("PT-BATCH").model_copy(update={"token": "TK-0123456789abcdef"})
    repo.add(batch, [])

    assert repo.find_by_token("TK-0123456789abcdef") == batch
    assert repo.find_by_token("TK-ffffffffffffffff") is None


def test_photo_store_reads_back_size_type_and_first_32_bytes() -> None:
    store = InMemoryPhotoStore()
    store.put("uploads/abc", b"\xff\xd8\xff" + b"x" * 100, "image/jpeg")

    stored = store.stat("uploads/abc")

    assert stored is not None
    assert (stored.size, stored.content_type, len(stored.head)) == (103, "image/jpeg", 32)
    assert store.stat("uploads/none") is None
    assert store.public_url("uploads/abc") == "https://ioc.test/api/v1/photos/abc"
