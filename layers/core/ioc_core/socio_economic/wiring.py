"""Composition root of the socio-economic room: real adapters behind the ports, built once."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.platform.projections import CounterProjection
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock
from ioc_core.socio_economic.adapters.dynamo import DynamoTargetRepository, DynamoValueRepository
from ioc_core.socio_economic.adapters.files import S3Files
from ioc_core.socio_economic.adapters.packs import DynamoPackRepository
from ioc_core.socio_economic.catalogue import Indicator, default_catalogue
from ioc_core.socio_economic.meeting import PackBuilder
from ioc_core.socio_economic.packs import PackService
from ioc_core.socio_economic.reading import ReadService
from ioc_core.socio_economic.service import IndicatorService


def _wards() -> list[tuple[str, dict[str, str]]]:
    from ioc_core.admin_units.registry import default_registry, today_in_vietnam

    return [
        (w.code, {"vi": w.name.vi, "en": w.name.en}) for w in default_registry().active_on(today_in_vietnam())
    ]


def active_wards() -> list[str]:
    return [code for code, _ in _wards()]


def ward_list() -> list[dict[str, object]]:
    return [{"code": code, "name": name} for code, name in _wards()]


def breakdown_members(indicator: Indicator) -> list[tuple[str, dict[str, str]]]:
    """The breakdown keys an indicator has, with their names."""
    members: list[tuple[str, dict[str, str]]] = []
    if "sector" in indicator.breakdowns:
        members += [(f"sector:{s.code}", s.name.model_dump()) for s in default_catalogue().sectors]
    if "ward" in indicator.breakdowns:
        members += [(f"ward:{code}", name) for code, name in _wards()]
    return members


@lru_cache(maxsize=1)
def indicator_service() -> IndicatorService:
    settings = ready()
    return IndicatorService(
        catalogue=default_catalogue(),
        values=DynamoValueRepository(settings),
        targets=DynamoTargetRepository(settings),
        clock=SystemClock(),
        wards=active_wards(),
    )


@lru_cache(maxsize=1)
def read_service() -> ReadService:
    settings = ready()
    return ReadService(default_catalogue(), DynamoValueRepository(settings), DynamoTargetRepository(settings))


@lru_cache(maxsize=1)
def pack_service() -> PackService:
    return PackService(DynamoPackRepository(ready()), SystemClock())


@lru_cache(maxsize=1)
def file_store() -> S3Files:
    return S3Files(ready())


@lru_cache(maxsize=1)
def pack_builder() -> PackBuilder:
    from ioc_core.socio_economic.tasks.wiring import task_service

    return PackBuilder(
        DynamoPackRepository(ready()),
        read_service(),
        file_store(),
        SystemClock(),
        lambda: task_service().board(),
    )


FEEDS_CONSUMER = "socio-economic-feeds"


@lru_cache(maxsize=1)
def feed_projection() -> CounterProjection:
    return CounterProjection(ready(), FEEDS_CONSUMER)


def feed_values(counters: dict[str, dict[str, int]]) -> None:
    """Set the fed indicators' values from their counters (a projection: put, not versioned)."""
    from ioc_core.socio_economic import feeds
    from ioc_core.socio_economic.adapters.dynamo import IndicatorValueItem

    with IndicatorValueItem.batch_write() as batch:
        for value in feeds.values(counters, SystemClock().now()):
            batch.save(IndicatorValueItem.of(value))


CACHED = (indicator_service, read_service, pack_service, file_store, feed_projection, pack_builder)
