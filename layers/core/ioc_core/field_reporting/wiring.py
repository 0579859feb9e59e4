"""Composition root of Field Reporting: real adapters behind the ports, built once."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
from ioc_core.field_reporting.adapters.s3 import S3PhotoStore
from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.service import IntakeService
from ioc_core.platform.api_keys import DynamoApiKeyStore
from ioc_core.platform.projections import CounterProjection
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock

STATS_CONSUMER = "field-reporting-stats"


@lru_cache(maxsize=1)
def intake_service() -> IntakeService:
    settings = ready()
    return IntakeService(
        repo=DynamoReportRepository(settings),
        photos=S3PhotoStore(settings),
        wards=default_registry(),
        catalogue=default_catalogue(),
        clock=SystemClock(),
    )


@lru_cache(maxsize=1)
def api_keys() -> DynamoApiKeyStore:
    ready()
    return DynamoApiKeyStore()


@lru_cache(maxsize=1)
def stats_projection() -> CounterProjection:
    return CounterProjection(ready(), STATS_CONSUMER)
