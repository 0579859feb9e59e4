"""The indicator repositories' contract on the in-memory fakes."""

from __future__ import annotations

import pytest
from indicator_fakes import Targets, Values

from contracts.indicator_values import ValueRepositoryContract
from ioc_core.socio_economic.ports import TargetRepository, ValueRepository

pytestmark = pytest.mark.unit


class TestInMemoryIndicatorRepositories(ValueRepositoryContract):
    @pytest.fixture
    def values(self) -> ValueRepository:
        return Values()

    @pytest.fixture
    def targets(self) -> TargetRepository:
        return Targets()
