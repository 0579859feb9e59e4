"""The demo history, lived once for every test of it (a couple of seconds)."""

from __future__ import annotations

from datetime import datetime

import pytest

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.models import Report
from ioc_core.local.demo_history import DemoHistory
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def history() -> DemoHistory:
    return DemoHistory(default_catalogue(), default_registry(), NOW)


@pytest.fixture(scope="session")
def histories(history: DemoHistory) -> list[tuple[Report, list[CloudEvent]]]:
    return history.reports()
