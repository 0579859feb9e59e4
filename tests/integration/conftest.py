"""Adapters against moto: the intake service wired to the real adapters on the test stack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ioc_core.field_reporting.service import IntakeService
from ioc_core.local.pump import EventPump
from ioc_core.settings import Settings


@pytest.fixture
def intake(stack: Settings) -> IntakeService:
    from ioc_core.field_reporting.wiring import intake_service

    return intake_service()


@pytest.fixture
def pump(stack: Settings) -> EventPump:
    return EventPump(stack)


@pytest.fixture
def no_scans() -> Iterator[None]:
    """Fail any DynamoDB Scan: every access pattern must be a key or an index."""

    def refuse(**_: Any) -> None:
        raise AssertionError("a DynamoDB Scan was issued")

    boto3.DEFAULT_SESSION = None
    from botocore.session import get_session

    session = get_session()
    session.register("before-call.dynamodb.Scan", refuse)
    yield
    session.unregister("before-call.dynamodb.Scan", refuse)
