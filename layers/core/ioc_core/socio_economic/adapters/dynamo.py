"""PynamoDB adapters: indicator values (one item per series and period, its entries and
revisions inside) and targets. Every access is a key or an index: a series' history is one
partition, a period's values the ``by_period`` index, the approval queue the sparse
``pending`` index (only items with an entry waiting carry its key)."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND, gsi, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.models import SeriesValue, Target
from ioc_core.socio_economic.ports import VersionConflict

WAITING = "pending"


class IndicatorValueItem(Model):
    class Meta:
        table_name = UNBOUND

    series = UnicodeAttribute(hash_key=True)  # INDICATOR#breakdown
    period = UnicodeAttribute(range_key=True)
    version = NumberAttribute()
    document = UnicodeAttribute()
    waiting = UnicodeAttribute(null=True)  # "pending" while an entry waits: the sparse queue
    entered_at = UnicodeAttribute(null=True)

    by_period = gsi("by_period", "period", "series")()
    pending = gsi("pending", "waiting", "entered_at")()

    @classmethod
    def of(cls, value: SeriesValue) -> IndicatorValueItem:
        waiting = value.pending is not None
        return cls(
            series=value.series,
            period=value.period,
            version=value.version,
            document=value.model_dump_json(),
            waiting=WAITING if waiting else None,
            entered_at=to_vn(value.pending.at).isoformat(timespec="microseconds") if value.pending else None,
        )

    def to_value(self) -> SeriesValue:
        return SeriesValue.model_validate_json(self.document)


class IndicatorTargetItem(Model):
    class Meta:
        table_name = UNBOUND

    indicator = UnicodeAttribute(hash_key=True)
    period = UnicodeAttribute(range_key=True)
    year = UnicodeAttribute()
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_year = gsi("by_year", "year", "indicator")()

    @classmethod
    def of(cls, target: Target) -> IndicatorTargetItem:
        return cls(
            indicator=target.indicator,
            period=target.period,
            year=target.period[:4],
            version=target.version,
            document=target.model_dump_json(),
        )

    def to_target(self) -> Target:
        return Target.model_validate_json(self.document)


class DynamoValueRepository:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, series: str, period: str) -> SeriesValue | None:
        try:
            return IndicatorValueItem.get(series, period, consistent_read=True).to_value()
        except IndicatorValueItem.DoesNotExist:
            return None

    def history(self, series: str) -> list[SeriesValue]:
        return [item.to_value() for item in IndicatorValueItem.query(series)]

    def for_period(self, period: str) -> list[SeriesValue]:
        return [item.to_value() for item in IndicatorValueItem.by_period.query(period)]

    def pending(self) -> list[SeriesValue]:
        return [item.to_value() for item in IndicatorValueItem.pending.query(WAITING)]

    def save(self, changes: Sequence[tuple[SeriesValue, int]], events: Sequence[CloudEvent]) -> None:
        if not changes:
            return
        try:
            with transaction(self.settings) as tx:
                for value, expected in changes:
                    condition = (
                        IndicatorValueItem.series.does_not_exist()
                        if expected == 0
                        else IndicatorValueItem.version == expected
                    )
                    tx.save(IndicatorValueItem.of(value), condition=condition)
                # One outbox item for all: an import's 99 values and their events fit one transaction.
                stage_events(tx, list(events), together=True)
        except TransactWriteError as error:
            raise VersionConflict(str(error)) from error


class DynamoTargetRepository:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, indicator: str, period: str) -> Target | None:
        try:
            return IndicatorTargetItem.get(indicator, period, consistent_read=True).to_target()
        except IndicatorTargetItem.DoesNotExist:
            return None

    def for_indicator(self, indicator: str) -> list[Target]:
        return [item.to_target() for item in IndicatorTargetItem.query(indicator)]

    def for_year(self, year: int) -> list[Target]:
        return [item.to_target() for item in IndicatorTargetItem.by_year.query(str(year))]

    def save(self, target: Target, expected_version: int, events: Sequence[CloudEvent]) -> None:
        condition = (
            IndicatorTargetItem.indicator.does_not_exist()
            if expected_version == 0
            else IndicatorTargetItem.version == expected_version
        )
        try:
            with transaction(self.settings) as tx:
                tx.save(IndicatorTargetItem.of(target), condition=condition)
                stage_events(tx, list(events))
        except TransactWriteError as error:
            raise VersionConflict(str(error)) from error
