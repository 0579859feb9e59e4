"""The indicator repositories on DynamoDB (moto), with the outbox in the same transaction, and
the feeds consumer counting Field Reporting's events once however often they arrive."""

from __future__ import annotations

from datetime import datetime

import pytest

from contracts.indicator_values import ValueRepositoryContract
from ioc_core.local.lambdas import load_handler
from ioc_core.platform.outbox import OutboxItem, payloads_of
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.adapters.dynamo import DynamoTargetRepository, DynamoValueRepository
from ioc_core.socio_economic.ports import TargetRepository, ValueRepository

pytestmark = pytest.mark.integration


class TestDynamoIndicatorRepositories(ValueRepositoryContract):
    @pytest.fixture
    def values(self, stack: Settings) -> ValueRepository:
        return DynamoValueRepository(stack)

    @pytest.fixture
    def targets(self, stack: Settings) -> TargetRepository:
        return DynamoTargetRepository(stack)

    def test_the_events_are_in_the_outbox(self, values: ValueRepository) -> None:
        from contracts.indicator_values import event, pending

        values.save([(pending("2026-11", 2.0), 0)], [event("BUDGET_REVENUE#city@2026-11")])
        assert [i.partition_key for i in OutboxItem.scan()] == ["BUDGET_REVENUE#city@2026-11"]

    def test_an_imports_99_values_and_their_events_are_one_transaction(self, values: ValueRepository) -> None:
        """DynamoDB takes 100 items in a transaction: the 99 values and one outbox item holding
        their 99 events (an item each would be 198, and the import would have to be cut)."""
        from contracts.indicator_values import event, pending

        periods = [f"{2018 + n // 12}-{n % 12 + 1:02d}" for n in range(99)]
        values.save(
            [(pending(p, float(n)), 0) for n, p in enumerate(periods)],
            [event(f"BUDGET_REVENUE#city@{p}") for p in periods],
        )
        assert len(values.history("BUDGET_REVENUE#city")) == 99
        (item,) = OutboxItem.scan()
        held = payloads_of(item.attribute_values)
        assert [key for key, _ in held] == [f"BUDGET_REVENUE#city@{p}" for p in periods]


def _report_event(short: str, report: str, at: datetime, **data: object) -> CloudEvent:
    return CloudEvent.new(short, subsystem="field_reporting", subject=report, at=at,
                          data={"report_id": report, "ward_code": "22945", **data})  # fmt: skip


def test_the_feeds_count_each_event_once_a_resolution_in_its_report_s_month(stack: Settings) -> None:
    apply = load_handler("socio_economic.feeds.handler.apply")
    at = datetime(2026, 11, 3, 9, tzinfo=VN_TZ)
    later = datetime(2026, 12, 5, 9, tzinfo=VN_TZ)  # resolved the month after it came in
    received = _report_event(
        "field_reporting.report.submitted", "PT-1", at, requested_datetime=at.isoformat()
    )
    other = _report_event("field_reporting.report.submitted", "PT-2", at, requested_datetime=at.isoformat())
    moves = {"from": "in_progress", "to": "resolved"}
    resolved = _report_event("field_reporting.report.status_changed", "PT-1", later, **moves)
    apply([received, other, resolved])
    apply([received, resolved])  # a replay
    repo = DynamoValueRepository(stack)
    november = {code: repo.get(f"{code}#city", "2026-11") for code in ("FR_RECEIVED", "FR_RESOLVED")}
    assert {code: v.value for code, v in november.items() if v} == {"FR_RECEIVED": 2.0, "FR_RESOLVED": 1.0}
    assert repo.get("FR_RESOLVED#city", "2026-12") is None
    ward = repo.get("FR_RECEIVED#ward:22945", "2026-11")
    assert ward is not None and ward.value == 2.0 and ward.approved and ward.approved.source == "feed"


def test_the_room_s_own_changes_refresh_the_overview_tile(stack: Settings) -> None:
    from contracts.indicator_values import pending
    from ioc_core.socio_economic.overview import tile

    assert {f.key: f.value for f in tile().figures}["awaiting_approval"] == 0  # no snapshot yet: zeros
    DynamoValueRepository(stack).save([(pending("2026-11", 250.0), 0)], [])
    submitted = CloudEvent.new(
        "socio_economic.indicator.value.submitted",
        subsystem="socio_economic",
        subject="BUDGET_REVENUE#city@2026-11",
        at=datetime.now(VN_TZ),
        data={},
    )
    load_handler("socio_economic.feeds.handler.apply")([submitted])
    assert {f.key: f.value for f in tile().figures}["awaiting_approval"] == 1  # read from the projection
