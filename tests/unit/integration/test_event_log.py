"""Pull and snapshot on fakes: a poll reads past its cursor up to the watermarks, in stream
order per shard, of the types asked; its position moves past what the filter skipped; an
unknown type is a 400; a batch becomes visible whole; the snapshot keeps each entity's newest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from contracts.event_log import EventLogContract, logged, report_event
from ioc_core.integration.archive import Archiver
from ioc_core.integration.event_log import EventPull, Logged, decode, encode
from ioc_core.integration.snapshot import Entry, entries
from ioc_core.shared.cloudevents import CloudEvent, event_type
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit
S0, S1 = "shardId-000000000000", "shardId-000000000001"
KNOWN = frozenset(
    event_type(t)
    for t in (
        "field_reporting.report.submitted",
        "field_reporting.report.status_changed",
        "cameras.incident.opened",
    )
)


class InMemoryEventLog:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Logged] = {}
        self.ids: dict[str, tuple[str, str]] = {}
        self.marks: dict[str, str] = {}

    def append(self, records: Sequence[Logged]) -> None:
        for record in records:
            if record.event.id not in self.ids:
                self.ids[record.event.id] = (record.shard, record.sequence)
            if self.ids[record.event.id] == (record.shard, record.sequence):
                self.records[(record.shard, record.sequence)] = record

    def advance(self, shard: str, sequence: str) -> None:
        self.marks[shard] = max(self.marks.get(shard, ""), sequence)

    def watermarks(self) -> dict[str, str]:
        return dict(self.marks)

    def read(self, shard: str, after: str | None, upto: str, limit: int) -> list[Logged]:
        found = sorted(
            (
                r
                for (s, q), r in self.records.items()
                if s == shard and (after is None or q > after) and q <= upto
            ),
            key=lambda r: r.sequence,
        )
        return found[:limit]


class InMemorySnapshotStore:
    def __init__(self) -> None:
        self.held: dict[tuple[str, str], Entry] = {}

    def offer(self, offered: Sequence[Entry]) -> None:
        for entry in offered:
            held = self.held.get((entry.kind, entry.key))
            if held is None or held.order < entry.order:
                self.held[(entry.kind, entry.key)] = entry

    def active(self, kind: str) -> list[CloudEvent]:
        return [e.event for (k, _), e in sorted(self.held.items()) if k == kind and e.active]


class TestInMemoryEventLog(EventLogContract):
    @pytest.fixture
    def event_log(self) -> InMemoryEventLog:
        return InMemoryEventLog()

    @pytest.fixture
    def snapshot_store(self) -> InMemorySnapshotStore:
        return InMemorySnapshotStore()


@pytest.fixture
def log() -> InMemoryEventLog:
    return InMemoryEventLog()


def archive(log: InMemoryEventLog, *records: Logged) -> None:
    Archiver(log, InMemorySnapshotStore()).take(list(records))


def submitted(report: str) -> CloudEvent:
    return report_event(report, 1, "received", "field_reporting.report.submitted")


def test_a_poll_follows_on_from_its_cursor_until_nothing_is_left(log: InMemoryEventLog) -> None:
    archive(log, *(logged(S0, n, submitted(f"PT-{n}")) for n in range(1, 8)))
    pull = EventPull(log, KNOWN)
    first = pull.page({}, None, 3)
    assert [e.subject for e in first.events] == ["PT-1", "PT-2", "PT-3"] and first.more
    second = pull.page(decode(encode(first.position)), None, 3)
    assert [e.subject for e in second.events] == ["PT-4", "PT-5", "PT-6"] and second.more
    third = pull.page(second.position, None, 3)
    assert [e.subject for e in third.events] == ["PT-7"] and not third.more
    assert pull.page(third.position, None, 3).events == []  # the same cursor again: nothing new
    archive(log, logged(S0, 8, submitted("PT-8")))
    assert [e.subject for e in pull.page(third.position, None, 3).events] == ["PT-8"]


def test_a_poll_never_sees_a_batch_before_its_watermark_moves(log: InMemoryEventLog) -> None:
    archive(log, logged(S0, 1, submitted("PT-1")))
    log.append([logged(S0, 2, submitted("PT-2"))])  # written, the batch not finished yet
    pull = EventPull(log, KNOWN)
    page = pull.page({}, None, 10)
    assert [e.subject for e in page.events] == ["PT-1"] and not page.more
    log.advance(S0, logged(S0, 2, submitted("PT-2")).sequence)
    assert [e.subject for e in pull.page(page.position, None, 10).events] == ["PT-2"]


def test_a_type_filter_moves_the_position_past_what_it_skips(log: InMemoryEventLog) -> None:
    changed = [logged(S0, n, report_event("PT-1", n, "verified")) for n in range(2, 9)]
    archive(log, logged(S0, 1, submitted("PT-1")), *changed, logged(S0, 9, submitted("PT-9")))
    pull = EventPull(log, KNOWN)
    types = pull.types(["field_reporting.report.submitted"])
    first = pull.page({}, types, 1)
    assert [e.subject for e in first.events] == ["PT-1"]
    second = pull.page(first.position, types, 5)
    assert [e.subject for e in second.events] == ["PT-9"] and not second.more


def test_shards_are_read_each_in_its_own_order(log: InMemoryEventLog) -> None:
    archive(
        log,
        logged(S1, 1, submitted("PT-b1")),
        logged(S0, 5, submitted("PT-a5")),
        logged(S1, 2, submitted("PT-b2")),
    )
    page = EventPull(log, KNOWN).page({}, None, 10)
    assert [e.subject for e in page.events] == ["PT-a5", "PT-b1", "PT-b2"]
    assert set(page.position) == {S0, S1}


def test_an_unknown_type_or_a_bad_position_is_a_400() -> None:
    pull = EventPull(InMemoryEventLog(), KNOWN)
    assert pull.types(["", " "]) is None
    assert pull.types(["vn.gov.lamdong.phanthiet.ioc.cameras.incident.opened"]) == {
        event_type("cameras.incident.opened")
    }
    with pytest.raises(ValidationFailed) as refused:
        pull.types(["field_reporting.report.exploded"])
    assert refused.value.problems[0].field == "types"
    for token in ("[1]", "{not json", '{"s": 1}'):
        with pytest.raises(ValidationFailed):
            decode(token)


def test_records_expired_from_the_log_do_not_hold_a_poll(log: InMemoryEventLog) -> None:
    archive(log, *(logged(S0, n, submitted(f"PT-{n}")) for n in (1, 2)))
    log.records.clear()  # past the retention: the TTL took them, the watermark stays
    page = EventPull(log, KNOWN).page({}, None, 10)
    assert page.events == [] and not page.more and page.position == log.watermarks()


def test_the_snapshot_of_one_batch_is_each_entitys_newest() -> None:
    batch = [
        report_event("PT-1", 1, "received"),
        report_event("PT-1", 4, "assigned"),
        report_event("PT-1", 2, "verified"),
    ]
    [entry] = entries(batch)
    assert (entry.kind, entry.key, entry.event.data["status"], entry.active) == (
        "reports",
        "PT-1",
        "assigned",
        True,
    )


def test_the_snapshot_keeps_each_indicator_series_latest_approved_period() -> None:
    def approved(period: str, value: float) -> CloudEvent:
        return CloudEvent.new(
            "socio_economic.indicator.value.approved", subsystem="socio_economic",
            subject=f"BUDGET_REVENUE|city@{period}", at=datetime(2026, 11, 5, tzinfo=UTC),
            data={"indicator": "BUDGET_REVENUE", "breakdown": "city", "period": period, "value": value},
            sequence=2,
        )  # fmt: skip

    store = InMemorySnapshotStore()
    store.offer(entries([approved("2026-10", 1.0), approved("2026-09", 0.9)]))
    store.offer(entries([approved("2026-08", 0.8)]))  # an older month approved late
    [held] = store.active("indicators")
    assert (held.data["period"], held.data["value"]) == ("2026-10", 1.0)
