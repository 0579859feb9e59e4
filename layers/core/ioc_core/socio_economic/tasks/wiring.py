"""Composition root of the task register: the real adapters behind the ports, built once."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.platform.dynamo import bind
from ioc_core.platform.units import default_directory
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock
from ioc_core.socio_economic.tasks.adapters import MODELS, DynamoTaskRepository, S3TaskEvidenceStore
from ioc_core.socio_economic.tasks.service import TaskService


@lru_cache(maxsize=1)
def evidence_store() -> S3TaskEvidenceStore:
    return S3TaskEvidenceStore(ready())


@lru_cache(maxsize=1)
def task_service() -> TaskService:
    settings = ready()
    # The room binds these with its models; binding again is a no-op (and lets the register
    # work before the room lists them).
    for model, logical in MODELS:
        bind(model, logical, settings)
    return TaskService(
        DynamoTaskRepository(settings), evidence_store(), SystemClock(), default_directory().known
    )


CACHED = (task_service, evidence_store)
