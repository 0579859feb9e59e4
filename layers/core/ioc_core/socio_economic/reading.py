"""What the dashboard, an indicator's page and the meeting pack read: the approved history of
the series they need, loaded once into the engine's figures (one query per series)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ioc_core.shared.clock import VN_TZ
from ioc_core.socio_economic import views
from ioc_core.socio_economic.catalogue import CITY, Catalogue, Ref, inputs
from ioc_core.socio_economic.engine import Figures
from ioc_core.socio_economic.models import SeriesValue, series_key
from ioc_core.socio_economic.periods import Period
from ioc_core.socio_economic.ports import TargetRepository, ValueRepository

READERS = 8


@dataclass
class ReadService:
    catalogue: Catalogue
    values: ValueRepository
    targets: TargetRepository

    def figures(
        self, codes: Iterable[str], breakdowns: Iterable[str] = (CITY,), cutoff: date | None = None
    ) -> Figures:
        """The approved values of the codes and their formulas' inputs; with a cut-off, only
        what had been approved by that day (a frozen pack's view)."""
        refs = inputs(self.catalogue, codes)
        refs += [Ref(code) for code in codes if not self.catalogue.get(code).derived]
        series: set[str] = set()
        for ref in refs:
            if ref.kind == "plan":
                continue
            for breakdown in {ref.breakdown if ref.kind in ("ward", "sector") else CITY, *breakdowns}:
                series.add(series_key(ref.code, breakdown))
        # One query per series, a few at a time: the dashboard reads about sixty.
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            histories = list(pool.map(self.values.history, sorted(series)))
        values: list[SeriesValue] = [v for history in histories for v in history]
        if cutoff is not None:
            values = [v for v in values if v.approved_at is None or v.approved_at.date() <= cutoff]
        years = {int(v.period[:4]) for v in values}
        targets = [t for year in sorted(years) for t in self.targets.for_year(year)]
        return Figures.of(self.catalogue, values, targets)

    def latest_month(self, figures: Figures) -> Period:
        months = [p for (code, b), by in figures.values.items() if b == CITY for p, v in by.items()
                  if len(p) == 7 and v.approved is not None]  # fmt: skip
        last = max(months) if months else datetime.now(VN_TZ).strftime("%Y-%m")
        return Period.parse(last)

    def dashboard(self, period: str | None, group: str | None = None) -> dict[str, Any]:
        codes = [i.code for i in self.catalogue.indicators if not group or i.group == group]
        figures = self.figures(codes)
        month = Period.parse(period) if period else self.latest_month(figures)
        if month.kind != "month":
            month = Period.month(month.year, month.last)
        return views.dashboard(figures, month, group)
