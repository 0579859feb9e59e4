"""The EventLog and SnapshotStore contracts, one suite for the in-memory fakes and DynamoDB.

A tier's module subclasses ``EventLogContract`` and provides ``event_log`` and
``snapshot_store`` (both empty). tests/unit/integration/test_event_log.py runs it on the fakes;
tests/integration/integration/test_event_log_store.py on moto."""

from __future__ import annotations

from datetime import datetime, timedelta

from ioc_core.integration.event_log import EventLog, Logged, sequence_key
from ioc_core.integration.snapshot import SnapshotStore, entries
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

T0 = datetime(2026, 3, 16, 9, tzinfo=VN_TZ)


def report_event(
    report: str, version: int, status: str, short: str = "field_reporting.report.status_changed"
) -> CloudEvent:
    return CloudEvent.new(
        short, subsystem="field_reporting", subject=report, at=T0 + timedelta(minutes=version),
        data={"id": report, "status": status, "ward_code": "22945"}, sequence=version,
    )  # fmt: skip


def logged(shard: str, number: int, event: CloudEvent) -> Logged:
    return Logged(shard, sequence_key(str(49_000_000_000 + number)), event)


class EventLogContract:
    def test_records_read_back_in_order_past_a_point_and_up_to_a_bound(self, event_log: EventLog) -> None:
        records = [
            logged("shardId-000000000000", n, report_event(f"PT-{n}", 1, "received")) for n in (3, 1, 2, 10)
        ]
        event_log.append(records)
        keys = [r.sequence for r in sorted(records, key=lambda r: r.sequence)]
        every = event_log.read("shardId-000000000000", None, keys[-1], 10)
        assert [r.sequence for r in every] == keys  # 10 after 3: as numbers, not as text
        assert [r.event.subject for r in every] == ["PT-1", "PT-2", "PT-3", "PT-10"]
        assert [r.sequence for r in event_log.read("shardId-000000000000", keys[0], keys[2], 10)] == keys[1:3]
        assert [r.sequence for r in event_log.read("shardId-000000000000", keys[0], keys[3], 1)] == keys[1:2]
        assert event_log.read("shardId-000000000001", None, keys[-1], 10) == []

    def test_an_append_again_changes_nothing(self, event_log: EventLog) -> None:
        record = logged("shardId-000000000000", 1, report_event("PT-1", 1, "received"))
        event_log.append([record])
        event_log.append([record])
        assert event_log.read("shardId-000000000000", None, record.sequence, 10) == [record]

    def test_a_copy_of_a_logged_event_under_another_sequence_number_is_left_out(
        self, event_log: EventLog
    ) -> None:
        event = report_event("PT-1", 1, "received")
        original, copy = logged("shardId-000000000000", 1, event), logged("shardId-000000000000", 7, event)
        other = logged("shardId-000000000000", 8, report_event("PT-2", 1, "received"))
        event_log.append([original])
        event_log.append([copy, other])  # the relay published it again
        assert event_log.read("shardId-000000000000", None, other.sequence, 10) == [original, other]

    def test_watermarks_move_forward_only(self, event_log: EventLog) -> None:
        assert event_log.watermarks() == {}
        low, high = sequence_key("5"), sequence_key("40")
        event_log.advance("shardId-000000000000", high)
        event_log.advance("shardId-000000000000", low)  # a retried batch
        event_log.advance("shardId-000000000001", low)
        assert event_log.watermarks() == {"shardId-000000000000": high, "shardId-000000000001": low}

    def test_the_snapshot_keeps_each_entitys_newest_and_lists_the_active(
        self, snapshot_store: SnapshotStore
    ) -> None:
        snapshot_store.offer(
            entries([report_event("PT-1", 1, "received"), report_event("PT-2", 1, "received")])
        )
        snapshot_store.offer(entries([report_event("PT-1", 3, "assigned")]))
        snapshot_store.offer(entries([report_event("PT-1", 2, "verified")]))  # late: older than held
        snapshot_store.offer(entries([report_event("PT-2", 2, "resolved")]))  # no longer active
        [held] = snapshot_store.active("reports")
        assert (held.subject, held.data["status"], held.sequence) == ("PT-1", "assigned", f"{3:012d}")
        assert snapshot_store.active("incidents") == []
