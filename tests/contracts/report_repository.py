"""The ReportRepository contract, one suite for the in-memory fake and the PynamoDB adapter.

A tier's test module subclasses ``ReportRepositoryContract`` and provides two fixtures:
``repo`` (an empty repository) and ``outbox`` (the ids of the events it has stored, in any
order). tests/unit/field_reporting/test_port_contracts_in_memory.py runs it on the fake, no
network; tests/integration/field_reporting/test_port_contracts_adapters.py on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from fakes import MONDAY_9AM, new_report
from ioc_core.field_reporting import events
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    IdempotencyConflict,
    ReportQuery,
    ReportRepository,
    VersionConflict,
)
from ioc_core.field_reporting.workflow import transition
from ioc_core.shared.errors import ValidationFailed

DAY = timedelta(days=1)
WEEK = ReportQuery(start=MONDAY_9AM - DAY, end=MONDAY_9AM + 9 * DAY)
Outbox = Callable[[], list[str]]


def six_reports(repo: ReportRepository) -> list[Report]:
    """A day apart, alternating wards, services and reporters; PT-00000005 is the newest."""
    stored = []
    for n in range(6):
        report = new_report(
            f"PT-{n:08d}",
            ward_code=("22918", "22924")[n % 2],
            service_code=("street_light_out", "road_damage")[n % 2],
            at=MONDAY_9AM + n * DAY,
        )
        report.reporter.account_id = ("acct-a", "acct-b")[n % 2]
        repo.add(report, [events.submitted(report)])
        stored.append(report)
    return stored


def ids(repo: ReportRepository, query: ReportQuery) -> list[str]:
    return [r.report_id for r in repo.query(query).items]


def every_page(repo: ReportRepository, query: ReportQuery) -> list[list[str]]:
    pages, token = [], None
    while True:
        page = repo.query(replace(query, token=token))
        assert len(page.items) <= query.limit
        pages.append([r.report_id for r in page.items])
        token = page.next_token
        if token is None:
            return pages
        assert len(pages) < 20, "pages never end"


def moved(report: Report, to: ReportStatus, **kw: str) -> tuple[Report, list[events.CloudEvent]]:
    after, event = transition(report, to, actor="officer", at=report.updated_at + timedelta(hours=1), **kw)
    return after, [event]


class ReportRepositoryContract:
    def test_a_report_is_stored_with_its_events_and_read_back(
        self, repo: ReportRepository, outbox: Outbox
    ) -> None:
        report = new_report("PT-A")
        event = events.submitted(report)
        repo.add(report, [event])
        assert repo.get("PT-A") == report
        assert repo.get("PT-NONE") is None
        assert outbox() == [event.id]

    def test_a_claimed_key_is_refused_naming_what_it_created(
        self, repo: ReportRepository, outbox: Outbox
    ) -> None:
        first = new_report("PT-A")
        repo.add(first, [events.submitted(first)], IdempotencyClaim("k1", "f1"))
        second = new_report("PT-B")
        with pytest.raises(IdempotencyConflict) as conflict:
            repo.add(second, [events.submitted(second)], IdempotencyClaim("k1", "f2"))
        assert (conflict.value.report_id, conflict.value.fingerprint) == ("PT-A", "f1")
        assert repo.get("PT-B") is None
        assert len(outbox()) == 1  # the refused report's event was not stored
        assert repo.find_claim("k1") == ("PT-A", "f1")
        assert repo.find_claim("k2") is None

    def test_a_taken_id_is_refused(self, repo: ReportRepository, outbox: Outbox) -> None:
        repo.add(new_report("PT-A"), [])
        again = new_report("PT-A", service_code="road_damage")
        with pytest.raises(VersionConflict):
            repo.add(again, [events.submitted(again)])
        assert repo.get("PT-A") == new_report("PT-A")
        assert outbox() == []

    def test_save_checks_the_version_it_read(self, repo: ReportRepository, outbox: Outbox) -> None:
        report = new_report("PT-A")
        repo.add(report, [])
        verified, verified_events = moved(report, ReportStatus.VERIFIED)
        repo.save(verified, verified_events, expected_version=report.version)
        assert repo.get("PT-A") == verified

        rejected, rejected_events = moved(report, ReportStatus.REJECTED, reason="duplicate")
        with pytest.raises(VersionConflict):
            repo.save(rejected, rejected_events, expected_version=report.version)  # stale now
        with pytest.raises(VersionConflict):
            repo.save(new_report("PT-NEVER"), [], expected_version=1)
        assert repo.get("PT-A") == verified
        assert repo.get("PT-NEVER") is None
        assert outbox() == [e.id for e in verified_events]

    def test_a_follow_is_stored_with_the_report_and_listed_latest_first(
        self, repo: ReportRepository, outbox: Outbox
    ) -> None:
        older, newer = new_report("PT-F1"), new_report("PT-F2")
        for report in (older, newer):
            repo.add(report, [])
        for n, report in enumerate((older, newer)):
            followed = report.model_copy(update={"followers": ["acct-z"], "version": report.version + 1})
            repo.follow(followed, "acct-z", MONDAY_9AM + n * DAY, expected_version=report.version)
        assert [r.report_id for r in repo.followed("acct-z", 10)] == ["PT-F2", "PT-F1"]
        assert [r.report_id for r in repo.followed("acct-z", 1)] == ["PT-F2"]
        stored = repo.get("PT-F1")
        assert stored is not None and stored.followers == ["acct-z"] and stored.version == older.version + 1
        assert repo.followed("acct-other", 10) == []
        # A stale follow writes neither the report nor the follow.
        stale = older.model_copy(update={"followers": ["acct-y"], "version": older.version + 1})
        with pytest.raises(VersionConflict):
            repo.follow(stale, "acct-y", MONDAY_9AM, expected_version=older.version)
        assert repo.followed("acct-y", 10) == [] and outbox() == []

    def test_save_many_is_all_or_nothing(self, repo: ReportRepository, outbox: Outbox) -> None:
        a, b = new_report("PT-A"), new_report("PT-B")
        repo.add(a, [])
        repo.add(b, [])
        a2, a_events = moved(a, ReportStatus.VERIFIED)
        b2, b_events = moved(b, ReportStatus.VERIFIED)
        with pytest.raises(VersionConflict):
            repo.save_many([(a2, a_events, a.version), (b2, b_events, b.version + 1)])
        assert (repo.get("PT-A"), repo.get("PT-B"), outbox()) == (a, b, [])

        repo.save_many([(a2, a_events, a.version), (b2, b_events, b.version)])
        assert (repo.get("PT-A"), repo.get("PT-B")) == (a2, b2)
        assert sorted(outbox()) == sorted(e.id for e in [*a_events, *b_events])

    def test_import_skips_existing_ids(self, repo: ReportRepository, outbox: Outbox) -> None:
        repo.add(new_report("PT-A"), [])
        fresh = new_report("PT-NEW")
        kept = new_report("PT-A", service_code="road_damage")
        created = repo.import_reports([(kept, [events.submitted(kept)]), (fresh, [events.submitted(fresh)])])
        assert created == 1
        assert repo.get("PT-NEW") == fresh
        assert repo.get("PT-A") == new_report("PT-A")
        assert len(outbox()) == 1

    def test_a_batch_token_finds_its_report(self, repo: ReportRepository) -> None:
        batch = new_report("PT-BATCH").model_copy(update={"token": "TK-0123456789abcdef"})
        repo.add(batch, [])
        assert repo.find_by_token("TK-0123456789abcdef") == batch
        assert repo.find_by_token("TK-ffffffffffffffff") is None

    def test_queries_filter_newest_first(self, repo: ReportRepository) -> None:
        six_reports(repo)
        assert ids(repo, ReportQuery(ward_code="22918")) == ["PT-00000004", "PT-00000002", "PT-00000000"]
        assert ids(repo, ReportQuery(service_codes=("road_damage",))) == [
            "PT-00000005",
            "PT-00000003",
            "PT-00000001",
        ]
        assert ids(repo, ReportQuery(reporter_id="acct-b")) == ["PT-00000005", "PT-00000003", "PT-00000001"]
        window = ReportQuery(
            start=MONDAY_9AM + DAY, end=MONDAY_9AM + 3 * DAY, statuses=(ReportStatus.RECEIVED,)
        )
        assert ids(repo, window) == ["PT-00000003", "PT-00000002", "PT-00000001"]
        assert ids(repo, ReportQuery(ward_code="22918", statuses=(ReportStatus.RESOLVED,))) == []
        assert ids(repo, ReportQuery(statuses=(ReportStatus.RECEIVED,), limit=2)) == [
            "PT-00000005",
            "PT-00000004",
        ]

    def test_count_is_every_match_whatever_the_page(self, repo: ReportRepository) -> None:
        reports = six_reports(repo)
        verified, verified_events = moved(reports[2], ReportStatus.VERIFIED)
        repo.save(verified, verified_events, expected_version=reports[2].version)
        open_ = (ReportStatus.RECEIVED, ReportStatus.VERIFIED)
        assert repo.count(ReportQuery(statuses=open_, limit=2, token=None)) == 6
        assert repo.count(ReportQuery(statuses=(ReportStatus.RECEIVED,), limit=1)) == 5
        assert repo.count(ReportQuery(ward_code="22918", statuses=open_)) == 3
        assert repo.count(ReportQuery(ward_code="22918", statuses=(ReportStatus.VERIFIED,))) == 1
        assert repo.count(ReportQuery(service_codes=("road_damage",), statuses=open_)) == 3
        assert repo.count(ReportQuery(ward_code="22924", statuses=(ReportStatus.RESOLVED,))) == 0
        assert repo.count(ReportQuery(report_ids=("PT-00000001", "PT-NOPE", "PT-00000001"))) == 1

    def test_a_unit_sees_what_was_assigned_to_it_not_what_is_proposed(self, repo: ReportRepository) -> None:
        reports = six_reports(repo)
        proposed = reports[0].model_copy(update={"unit": "QLDT"})
        repo.save(proposed, [], expected_version=proposed.version)
        verified, _ = moved(reports[1], ReportStatus.VERIFIED)
        assigned, _ = moved(verified, ReportStatus.ASSIGNED, unit="QLDT")
        assigned = assigned.model_copy(update={"unit": "QLDT"})
        repo.save(assigned, [], expected_version=reports[1].version)
        assert ids(repo, ReportQuery(unit_code="QLDT")) == ["PT-00000001"]
        assert ids(repo, ReportQuery(unit_code="QLDT", statuses=(ReportStatus.RECEIVED,))) == []

    def test_a_queue_of_several_statuses_is_newest_first(self, repo: ReportRepository) -> None:
        reports = six_reports(repo)
        for report in (reports[1], reports[4]):
            verified, verified_events = moved(report, ReportStatus.VERIFIED)
            repo.save(verified, verified_events, expected_version=report.version)
        queue = ReportQuery(statuses=(ReportStatus.RECEIVED, ReportStatus.VERIFIED))
        assert ids(repo, queue) == [f"PT-{n:08d}" for n in range(5, -1, -1)]

    def test_queries_by_id_ignore_duplicates_and_unknown_ids(self, repo: ReportRepository) -> None:
        six_reports(repo)
        query = ReportQuery(report_ids=("PT-00000001", "PT-NOPE", "PT-00000004", "PT-00000001"))
        assert ids(repo, query) == ["PT-00000004", "PT-00000001"]

    def test_pages_walk_every_match_once_in_order(self, repo: ReportRepository) -> None:
        six_reports(repo)
        newest_first = [f"PT-{n:08d}" for n in range(5, -1, -1)]
        for query in (
            ReportQuery(start=WEEK.start, end=WEEK.end, limit=4),
            ReportQuery(start=WEEK.start, end=WEEK.end, limit=3),
            ReportQuery(statuses=(ReportStatus.RECEIVED,), limit=4),
            ReportQuery(ward_code="22924", limit=1),
        ):
            walked = [i for page in every_page(repo, query) for i in page]
            expected = newest_first if query.ward_code is None else newest_first[::2]
            assert walked == expected, query

    def test_a_forged_token_and_an_unbounded_listing_are_refused(self, repo: ReportRepository) -> None:
        six_reports(repo)
        with pytest.raises(ValidationFailed):
            repo.query(ReportQuery(ward_code="22918", token="not-a-token"))
        with pytest.raises(ValidationFailed, match="time window"):
            # Statuses alone are keyed (the status index, the workflow queues); two categories are not.
            repo.query(ReportQuery(service_codes=("street_light_out", "road_damage")))
