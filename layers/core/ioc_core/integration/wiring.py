"""Composition roots of the integration room: the real adapters behind the ports, built once."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from functools import lru_cache

from ioc_core.integration.adapters.directives import MODELS, DynamoDirectiveStore
from ioc_core.integration.adapters.event_log import MODELS as LOG_MODELS
from ioc_core.integration.adapters.event_log import DynamoEventLog, DynamoSnapshotStore
from ioc_core.integration.archive import Archiver
from ioc_core.integration.directives import DirectiveService, standard_webhooks_verifier
from ioc_core.integration.event_log import EventPull
from ioc_core.integration.replay import Replayer, ReplayService
from ioc_core.integration.settings import SECRET_ID_VARIABLE, SECRET_VARIABLE
from ioc_core.platform.dynamo import bind
from ioc_core.platform.units import default_directory
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock

SECRET_TTL_SECONDS = 300  # a rotated secret is taken up within five minutes, without a cold start


def directive_secrets(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The accepted secrets now; none (every delivery refused) when nothing is configured."""
    if environ.get(SECRET_VARIABLE):
        return environ[SECRET_VARIABLE].split()
    if environ.get(SECRET_ID_VARIABLE):
        return _stored(environ[SECRET_ID_VARIABLE], int(time.monotonic() // SECRET_TTL_SECONDS)).split()
    return []


@lru_cache(maxsize=2)
def _stored(secret_id: str, _period: int) -> str:
    import boto3

    settings = ready()
    client = boto3.client("secretsmanager", region_name=settings.region, endpoint_url=settings.aws_endpoint)
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])


@lru_cache(maxsize=1)
def directive_service() -> DirectiveService:
    settings = ready()
    for model, logical in MODELS:
        bind(model, logical, settings)
    return DirectiveService(
        standard_webhooks_verifier(directive_secrets),
        DynamoDirectiveStore(settings),
        default_directory().known,
        SystemClock(),
    )


def _log_models() -> None:
    settings = ready()
    for model, logical in LOG_MODELS:
        bind(model, logical, settings)


@lru_cache(maxsize=1)
def archiver() -> Archiver:
    _log_models()
    return Archiver(DynamoEventLog(), DynamoSnapshotStore())


@lru_cache(maxsize=1)
def event_pull() -> EventPull:
    from ioc_core.rooms import ROOMS
    from ioc_core.shared.cloudevents import event_type

    _log_models()
    return EventPull(DynamoEventLog(), frozenset(event_type(t) for room in ROOMS for t in room.emits))


@lru_cache(maxsize=1)
def snapshot_store() -> DynamoSnapshotStore:
    _log_models()
    return DynamoSnapshotStore()


@lru_cache(maxsize=1)
def replay_service() -> ReplayService:
    from ioc_core.integration.adapters.replay import DynamoReplayStore
    from ioc_core.integration.deliveries.adapters import DynamoSubscriptions

    settings = ready()
    _log_models()
    return ReplayService(DynamoSubscriptions(settings), DynamoReplayStore(settings), SystemClock())


@lru_cache(maxsize=1)
def replayer() -> Replayer:
    from ioc_core.integration.adapters.replay import S3ArchiveReader
    from ioc_core.integration.deliveries.adapters import DynamoDeliveries, DynamoSubscriptions
    from ioc_core.integration.deliveries.wiring import wakeups
    from ioc_core.integration.room import ROOM

    settings = ready()
    (archive,) = ROOM.resources.archives
    return Replayer(
        S3ArchiveReader(settings, archive), DynamoSubscriptions(settings), DynamoDeliveries(), wakeups(),
        SystemClock(),
    )  # fmt: skip


CACHED = (directive_service, _stored, archiver, event_pull, snapshot_store, replay_service, replayer)
