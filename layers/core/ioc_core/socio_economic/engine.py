"""The indicator engine: any indicator's figure for any period and breakdown, from the
approved values, the catalogue's aggregation rules and formulas, and the targets.

A quarter of a monthly sum is the sum of its months, of a rate their average or the last
month's value; a derived indicator is its formula over its inputs' figures for the same
period (a ratio of sums, never an average of ratios). Health, education, public
administration and tourism keep their figures in the same catalogue and read them here.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ioc_core.socio_economic.catalogue import CITY, Catalogue, Indicator, Ref
from ioc_core.socio_economic.models import SeriesValue, Target
from ioc_core.socio_economic.periods import FREQUENCY_KIND, Period

_SPAN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass
class Figures:
    """Approved values of some series, indexed for the engine."""

    catalogue: Catalogue
    values: dict[tuple[str, str], dict[str, SeriesValue]] = field(default_factory=dict)
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)

    @classmethod
    def of(
        cls, catalogue: Catalogue, values: Iterable[SeriesValue], targets: Iterable[Target] = ()
    ) -> Figures:
        figures = cls(catalogue)
        for value in values:
            figures.values.setdefault((value.indicator, value.breakdown), {})[value.period] = value
        for target in targets:
            figures.targets[(target.indicator, target.period)] = target
        return figures

    def stored(self, code: str, period: str, breakdown: str = CITY) -> SeriesValue | None:
        return self.values.get((code, breakdown), {}).get(period)

    def target(self, code: str, period: Period) -> Target | None:
        return self.targets.get((code, period.code)) or self.targets.get((code, str(period.year)))

    def plan(self, code: str, year: int) -> float | None:
        target = self.targets.get((code, str(year)))
        if target is None:
            return None
        return target.low if target.low is not None else target.high

    def value(self, code: str, period: Period, breakdown: str = CITY) -> float | None:
        indicator = self.catalogue.get(code)
        if indicator.derived:
            return self._derived(indicator, period, breakdown)
        return self._aggregated(indicator, period, breakdown)

    def _derived(self, indicator: Indicator, period: Period, breakdown: str) -> float | None:
        formula = self.catalogue.formula(indicator.code)
        assert formula is not None
        inputs: dict[Ref, float | None] = {}
        for ref in formula.refs:
            if ref.kind == "plan":
                inputs[ref] = self.plan(ref.code, period.year)
            else:
                member = ref.breakdown if ref.kind in ("ward", "sector") else breakdown
                inputs[ref] = self.value(ref.code, period, member)
        return formula.evaluate(inputs)

    def _aggregated(self, indicator: Indicator, period: Period, breakdown: str) -> float | None:
        exact = self.stored(indicator.code, period.code, breakdown)
        if exact is not None and exact.approved is not None:
            return exact.approved.value
        kind = FREQUENCY_KIND[indicator.frequency]
        span = _SPAN[kind]
        if span >= period.last - period.first + 1:
            return None  # a finer period than the indicator is reported in
        parts = [
            self.stored(indicator.code, Period(period.year, m, m + span - 1).code, breakdown)
            for m in range(period.first, period.last + 1, span)
        ]
        known = [p.approved.value for p in parts if p is not None and p.approved is not None]
        if not known:
            return None
        if indicator.time_aggregation == "sum":
            return sum(known)
        if indicator.time_aggregation == "average":
            return statistics.fmean(known)
        return known[-1]  # "last": the newest part (a stock, or a figure already year to date)

    def months(self, code: str, breakdown: str = CITY) -> dict[str, float]:
        """A monthly indicator's approved monthly values ("YYYY-MM" → value); derived ones computed."""
        indicator = self.catalogue.get(code)
        if indicator.frequency != "monthly":
            return {}
        if not indicator.derived:
            return {
                p: v.approved.value
                for p, v in sorted(self.values.get((code, breakdown), {}).items())
                if v.approved is not None and len(p) == 7
            }
        formula = self.catalogue.formula(code)
        assert formula is not None
        first = next((r for r in formula.refs if r.kind != "plan"), None)
        periods = (
            sorted(self.values.get((first.code, first.breakdown if first else CITY), {})) if first else []
        )
        out: dict[str, float] = {}
        for p in periods:
            if len(p) == 7:
                figure = self.value(code, Period.parse(p), breakdown)
                if figure is not None:
                    out[p] = figure
        return out

    def coverage(self, code: str, period: Period, breakdown: str = CITY) -> int:
        """How many of the period's months have an approved figure (monthly indicators)."""
        months = self.months(code, breakdown)
        return sum(1 for m in period.months if m in months)


def change_pct(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def latest_month(values: Mapping[str, float]) -> str | None:
    return max(values) if values else None
