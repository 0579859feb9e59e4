"""Composition root of Field Reporting: real adapters behind the ports, built once."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.admin_units.registry import default_registry, today_in_vietnam
from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
from ioc_core.field_reporting.adapters.notifications import DynamoInbox, LogSender, SnsSmsSender
from ioc_core.field_reporting.adapters.s3 import S3PhotoStore
from ioc_core.field_reporting.adapters.search_index import DynamoSearchIndex
from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.inbox import InboxService
from ioc_core.field_reporting.notifications import Notifier
from ioc_core.field_reporting.ports import MessageSender, UnitStaff
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.field_reporting.saved_filters import SavedFilterService
from ioc_core.field_reporting.service import IntakeService
from ioc_core.field_reporting.sla import default_calendar
from ioc_core.field_reporting.workflow_service import WorkflowService
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
        router=router(),
    )


@lru_cache(maxsize=1)
def api_keys() -> DynamoApiKeyStore:
    return DynamoApiKeyStore(ready())


@lru_cache(maxsize=1)
def stats_projection() -> CounterProjection:
    return CounterProjection(ready(), STATS_CONSUMER)


@lru_cache(maxsize=1)
def router() -> Router:
    from ioc_core.field_reporting.adapters.config_store import DynamoRoutingRules

    store = DynamoRoutingRules(ready())
    return Router(default_catalogue(), default_registry(), routing_data(), today_in_vietnam(), store=store)


@lru_cache(maxsize=1)
def search_index() -> DynamoSearchIndex:
    return DynamoSearchIndex(ready())


@lru_cache(maxsize=1)
def workflow_service() -> WorkflowService:
    intake = intake_service()
    return WorkflowService(
        search=search_index(),
        repo=intake.repo,
        photos=intake.photos,
        catalogue=intake.catalogue,
        router=router(),
        calendar=default_calendar(),
        clock=intake.clock,
        staff=unit_staff(),
    )


@lru_cache(maxsize=1)
def unit_staff() -> UnitStaff:
    """Identity's staff directory behind Field Reporting's port (the identity layer ships in
    this API; nothing here reads identity's tables)."""
    from ioc_core.field_reporting.adapters.unit_staff import DirectoryUnitStaff
    from ioc_core.identity.wiring import staff_directory

    return DirectoryUnitStaff(staff_directory())


@lru_cache(maxsize=1)
def inbox() -> DynamoInbox:
    return DynamoInbox(ready())


@lru_cache(maxsize=1)
def inbox_service() -> InboxService:
    return InboxService(inbox(), SystemClock())


@lru_cache(maxsize=1)
def saved_filters() -> SavedFilterService:
    from ioc_core.field_reporting.adapters.saved_filters import DynamoSavedFilters

    ready()  # binds the room's models
    return SavedFilterService(DynamoSavedFilters(), SystemClock())


@lru_cache(maxsize=1)
def notifier() -> Notifier:
    settings = ready()
    sender: MessageSender = LogSender() if settings.is_local else SnsSmsSender(settings)
    return Notifier(intake_service().repo, inbox(), sender)


CACHED = (
    intake_service,
    api_keys,
    stats_projection,
    router,
    search_index,
    workflow_service,
    unit_staff,
    inbox,
    inbox_service,
    saved_filters,
    notifier,
)
