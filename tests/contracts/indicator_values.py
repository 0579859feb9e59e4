"""The indicator room's ValueRepository and TargetRepository contract: one suite for the
in-memory fakes (tests/unit/socio_economic/test_indicator_contracts.py) and the PynamoDB
adapters on moto (tests/integration/socio_economic/test_indicator_adapters.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.models import Entry, SeriesValue, Target
from ioc_core.socio_economic.ports import TargetRepository, ValueRepository, VersionConflict

AT = datetime(2026, 12, 1, 9, tzinfo=VN_TZ)


def pending(period: str, value: float, version: int = 1, indicator: str = "BUDGET_REVENUE") -> SeriesValue:
    entry = Entry(value=value, by="unit_staff:tckh", at=AT)
    return SeriesValue(indicator=indicator, period=period, pending=entry, version=version)


def event(subject: str) -> CloudEvent:
    return CloudEvent.new("socio_economic.indicator.value.submitted", subsystem="socio_economic",
                          subject=subject, at=AT, data={})  # fmt: skip


class ValueRepositoryContract:
    @pytest.fixture
    def values(self) -> ValueRepository:
        raise NotImplementedError

    @pytest.fixture
    def targets(self) -> TargetRepository:
        raise NotImplementedError

    def test_a_series_reads_back_by_key_history_period_and_queue(self, values: ValueRepository) -> None:
        values.save([(pending("2026-10", 1.0), 0), (pending("2026-11", 2.0), 0)], [event("a"), event("b")])
        values.save([(pending("2026-11", 3.0, indicator="EXPORTS"), 0)], [event("c")])
        got = values.get("BUDGET_REVENUE#city", "2026-11")
        assert got is not None and got.pending is not None and got.pending.value == 2.0
        assert [v.period for v in values.history("BUDGET_REVENUE#city")] == ["2026-10", "2026-11"]
        assert sorted(v.indicator for v in values.for_period("2026-11")) == ["BUDGET_REVENUE", "EXPORTS"]
        assert len(values.pending()) == 3
        approved = got.model_copy(update={"approved": got.pending, "pending": None, "version": 2})
        values.save([(approved, 1)], [event("d")])
        assert len(values.pending()) == 2  # an approved value leaves the queue
        assert values.get("NOPE#city", "2026-11") is None

    def test_a_stale_version_writes_nothing_of_the_batch(self, values: ValueRepository) -> None:
        values.save([(pending("2026-11", 2.0), 0)], [event("a")])
        with pytest.raises(VersionConflict):
            values.save([(pending("2026-10", 9.0), 0), (pending("2026-11", 5.0, version=2), 0)], [event("b")])
        assert values.get("BUDGET_REVENUE#city", "2026-10") is None  # all or nothing
        stored = values.get("BUDGET_REVENUE#city", "2026-11")
        assert stored is not None and stored.pending is not None and stored.pending.value == 2.0

    def test_targets_by_indicator_and_year(self, targets: TargetRepository) -> None:
        target = Target(indicator="BUDGET_REVENUE", period="2026", text="3.150", low=3150, high=3150,
                        set_by="thongke", set_at=AT, version=1)  # fmt: skip
        targets.save(target, 0, [])
        with pytest.raises(VersionConflict):
            targets.save(target.model_copy(update={"version": 2}), 0, [])
        assert targets.get("BUDGET_REVENUE", "2026") == target
        assert [t.period for t in targets.for_indicator("BUDGET_REVENUE")] == ["2026"]
        assert [t.indicator for t in targets.for_year(2026)] == ["BUDGET_REVENUE"]
        assert targets.for_year(2025) == []
