"""Composition root of the platform: settings read once, every room's models bound."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.settings import Settings, get_settings


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
