"""Socio-economic forecasts: every indicator of a 60-indicator demo (5 years of months) forecast
at one cut-off with its target's needed amounts and the Holt-Winters cross-check, against
pandas reading the same values from an in-memory CSV in the same run (target ratio < 3), and the
same without the cross-check.

Measured (2-core machine): ≈ 8.3 ms against ≈ 1.0 ms, ratio ≈ 8.7, not yet under 3. cProfile:
the Holt-Winters grid (18 parameter sets × 2 seasons × 60 months, batched over the 60 series)
≈ 3.2 ms; the per-series seasonal share, Tết effect and needed amounts (numpy calls on 3×12
arrays, ~1–2 µs each) ≈ 3 ms; checking and laying out the history ≈ 1.5 ms; pydantic ≈ 0.5 ms."""

from __future__ import annotations

import io
import sys

import pandas as pd

from common import emit, interleaved
from ioc_core.socio_economic.demo_history import generate, sample_specs
from ioc_core.socio_economic.forecast import forecast_many
from ioc_core.socio_economic.targets import TargetRange

YEAR, CUT = 2025, 8


def main() -> int:
    specs = sample_specs(60)
    history = generate(specs, YEAR - 4, YEAR)
    aggregations = {spec.code: spec.aggregation for spec in specs}
    targets = {}
    for code, months in history.items():
        last = [months[f"{YEAR - 1}-{m:02d}"] for m in range(1, 13)]
        line = {"sum": sum(last), "average": sum(last) / 12, "last": last[-1]}[aggregations[code]] * 1.08
        targets[code] = TargetRange(low=line, high=None, text=f"≥ {line:.0f}")
    text = "series,period,value\n" + "".join(
        f"{code},{period},{value!r}\n" for code, months in history.items() for period, value in months.items()
    )

    def forecast_all(_: int) -> None:
        result = forecast_many(history, YEAR, CUT, aggregations=aggregations, targets=targets)
        assert len(result.forecasts) == 60 and all(f.needed for f in result.forecasts.values())

    def load(_: int) -> None:
        pd.read_csv(io.StringIO(text))

    def forecast_all_without_cross_check(_: int) -> None:
        forecast_many(history, YEAR, CUT, aggregations=aggregations, targets=targets, cross_check=False)

    ours, floor = interleaved(forecast_all, load, rounds=5, runs=20)
    emit("socio_economic.forecast_60_indicators", ours, "s", floor, 3.0)
    ours, floor = interleaved(forecast_all_without_cross_check, load, rounds=5, runs=20)
    emit("socio_economic.forecast_60_indicators_no_holt_winters", ours, "s", floor, 3.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
