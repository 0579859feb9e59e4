"""Composition root of the platform: settings read once, every room's models bound."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.settings import Settings, get_settings

if TYPE_CHECKING:
    from ioc_core.platform.audit.dynamo import DynamoAuditLog
    from ioc_core.platform.audit.service import AuditService
    from ioc_core.platform.rooms import Label


@lru_cache(maxsize=1)
def event_publisher() -> KinesisPublisher:
    return KinesisPublisher(ready())


@lru_cache(maxsize=1)
def ready() -> Settings:
    """Settings with every room's models bound to their tables: call once per cold start."""
    from ioc_core.platform.rooms import bind_models
    from ioc_core.rooms import ROOMS

    settings = get_settings()
    bind_models(ROOMS, settings)
    return settings


@lru_cache(maxsize=1)
def audit_log() -> DynamoAuditLog:
    from ioc_core.platform.audit.dynamo import DynamoAuditLog

    ready()
    return DynamoAuditLog()


@lru_cache(maxsize=1)
def audit_service() -> AuditService:
    from ioc_core.platform.audit.service import AuditService
    from ioc_core.shared.clock import SystemClock

    return AuditService(audit_log(), SystemClock())


@lru_cache(maxsize=1)
def audit_vocabulary() -> Mapping[str, Label]:
    """Every room's words for its events and states (rooms name theirs, the platform reads them)."""
    from ioc_core.rooms import ROOMS

    words: dict[str, Label] = {}
    for room in ROOMS:
        words.update(room.audit_words())
    return words
