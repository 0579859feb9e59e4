"""What the indicator services need from storage. Adapters: PynamoDB (adapters/dynamo.py);
tests: in-memory fakes (tests/fakes.py), one contract suite for both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.models import SeriesValue, Target


class VersionConflict(Exception):
    """Someone changed the value (or target) since it was read."""


class ValueRepository(Protocol):
    def get(self, series: str, period: str) -> SeriesValue | None: ...

    def history(self, series: str) -> list[SeriesValue]:
        """Every period of one series, oldest first."""
        ...

    def for_period(self, period: str) -> list[SeriesValue]: ...

    def pending(self) -> list[SeriesValue]:
        """Values waiting for approval, oldest entry first."""
        ...

    def save(self, changes: Sequence[tuple[SeriesValue, int]], events: Sequence[CloudEvent]) -> None:
        """All or nothing: each value written only if its stored version is still the given one
        (0: not stored yet), with the events in the same transaction (outbox)."""
        ...


class TargetRepository(Protocol):
    def get(self, indicator: str, period: str) -> Target | None: ...

    def for_indicator(self, indicator: str) -> list[Target]: ...

    def for_year(self, year: int) -> list[Target]: ...

    def save(self, target: Target, expected_version: int, events: Sequence[CloudEvent]) -> None: ...
