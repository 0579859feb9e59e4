"""Composition root of the deliveries: adapters built once per cold start."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.integration.deliveries.adapters import DynamoAttempts, DynamoDeliveries, DynamoSubscriptions
from ioc_core.integration.deliveries.endpoints import resolve
from ioc_core.integration.deliveries.fanout import FanOut
from ioc_core.integration.deliveries.forwarder import Forwarder
from ioc_core.integration.deliveries.http_sender import HttpSender
from ioc_core.integration.deliveries.queue import SqsWakeups
from ioc_core.integration.deliveries.service import SubscriptionService
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock


@lru_cache(maxsize=1)
def wakeups() -> SqsWakeups:
    return SqsWakeups(ready(), SystemClock())


@lru_cache(maxsize=1)
def subscription_service() -> SubscriptionService:
    from ioc_core.platform.rooms import emitted_types
    from ioc_core.rooms import ROOMS

    settings = ready()
    return SubscriptionService(
        DynamoSubscriptions(settings), DynamoDeliveries(), wakeups(), SystemClock(),
        known_types=frozenset(emitted_types(ROOMS)), allow_loopback=settings.webhooks_allow_loopback,
        resolver=None if settings.is_local else resolve,  # in AWS every host must resolve to public addresses
    )  # fmt: skip


@lru_cache(maxsize=1)
def fanout() -> FanOut:
    return FanOut(DynamoSubscriptions(ready()), DynamoDeliveries(), wakeups(), SystemClock())


@lru_cache(maxsize=1)
def forwarder() -> Forwarder:
    settings = ready()
    sender = HttpSender(
        allow_loopback=settings.webhooks_allow_loopback, resolver=None if settings.is_local else resolve
    )
    return Forwarder(
        DynamoSubscriptions(settings), DynamoDeliveries(), DynamoAttempts(), sender, wakeups(), SystemClock()
    )


@lru_cache(maxsize=1)
def attempt_log() -> DynamoAttempts:
    ready()
    return DynamoAttempts()


@lru_cache(maxsize=1)
def delivery_store() -> DynamoDeliveries:
    ready()
    return DynamoDeliveries()


CACHES = (wakeups, subscription_service, fanout, forwarder, attempt_log, delivery_store)
