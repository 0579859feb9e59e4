"""In-memory fakes of the indicator room's ports (the contract suite runs them too)."""

from __future__ import annotations

from collections.abc import Sequence

from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.models import SeriesValue, Target
from ioc_core.socio_economic.ports import VersionConflict


class Values:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], SeriesValue] = {}
        self.events: list[CloudEvent] = []

    def get(self, series: str, period: str) -> SeriesValue | None:
        return self.items.get((series, period))

    def history(self, series: str) -> list[SeriesValue]:
        return [v for (s, _), v in sorted(self.items.items()) if s == series]

    def for_period(self, period: str) -> list[SeriesValue]:
        return [v for (_, p), v in self.items.items() if p == period]

    def pending(self) -> list[SeriesValue]:
        return [v for v in self.items.values() if v.pending is not None]

    def save(self, changes: Sequence[tuple[SeriesValue, int]], events: Sequence[CloudEvent]) -> None:
        for value, expected in changes:
            stored = self.items.get((value.series, value.period))
            if (stored.version if stored else 0) != expected:
                raise VersionConflict(value.series)
        for value, _ in changes:
            self.items[(value.series, value.period)] = value
        self.events.extend(events)


class Targets:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Target] = {}

    def get(self, indicator: str, period: str) -> Target | None:
        return self.items.get((indicator, period))

    def for_indicator(self, indicator: str) -> list[Target]:
        return [t for (i, _), t in self.items.items() if i == indicator]

    def for_year(self, year: int) -> list[Target]:
        return [t for (_, p), t in self.items.items() if p.startswith(str(year))]

    def save(self, target: Target, expected_version: int, events: Sequence[CloudEvent]) -> None:
        stored = self.items.get((target.indicator, target.period))
        if (stored.version if stored else 0) != expected_version:
            raise VersionConflict(target.indicator)
        self.items[(target.indicator, target.period)] = target
