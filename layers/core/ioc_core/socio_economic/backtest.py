"""`ioc eval forecast`: how far the year-end forecast was from the year's real total, on monthly
history (CSV: series,period,value). Every series-year with twelve known months and a full
year before it is cut at months 3, 6, 8 and 10 and forecast from what was known then; the
median absolute percentage error at each cut is set beside the linear run-rate's
(year-to-date ÷ months × 12) and Holt-Winters'."""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ioc_core.socio_economic.forecast import forecast_many

CUTOFFS = (3, 6, 8, 10)
COLUMNS = ("series", "period", "value")
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class BacktestInputError(ValueError):
    """The file cannot be read as monthly history; the message names the row and column."""


def read_history_csv(path: Path) -> dict[str, dict[str, float]]:
    """series → "YYYY-MM" → value from a UTF-8 CSV (a byte-order mark is fine)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BacktestInputError(f"{path}: no such file") from None
    except OSError as error:
        raise BacktestInputError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BacktestInputError(f"{path}: row {line} is not UTF-8 (save the file as UTF-8)") from None
    return parse_history_csv(text, str(path))


def parse_history_csv(text: str, name: str = "the file") -> dict[str, dict[str, float]]:
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise BacktestInputError(
            f"{name}: row 1 lacks the column(s) {', '.join(missing)} (series,period,value)"
        )
    at = {column: header.index(column) for column in COLUMNS}
    history: dict[str, dict[str, float]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: (row[i].strip() if i < len(row) else "") for column, i in at.items()}
        where = f"{name}: row {number}"
        if not cells["series"]:
            raise BacktestInputError(f"{where}, column series: empty")
        if not _PERIOD.fullmatch(cells["period"]):
            raise BacktestInputError(f"{where}, column period: {cells['period']!r} is not YYYY-MM")
        try:
            value = float(cells["value"])
        except ValueError:
            raise BacktestInputError(f"{where}, column value: {cells['value']!r} is not a number") from None
        if not math.isfinite(value):
            raise BacktestInputError(f"{where}, column value: {cells['value']!r} is not a finite number")
        key = (cells["series"], cells["period"])
        if key in first_seen:
            raise BacktestInputError(f"{where}: {key[1]} of {key[0]} is already in row {first_seen[key]}")
        first_seen[key] = number
        history.setdefault(cells["series"], {})[cells["period"]] = value
    if not history:
        raise BacktestInputError(f"{name}: no rows after the header")
    return history


def _full_years(months: Mapping[str, float]) -> set[int]:
    counts: dict[int, int] = {}
    for period in months:
        counts[int(period[:4])] = counts.get(int(period[:4]), 0) + 1
    return {year for year, count in counts.items() if count == 12}


def backtest(
    history: Mapping[str, Mapping[str, float]], cutoffs: Sequence[int] = CUTOFFS, *, cross_check: bool = True
) -> dict[str, Any]:
    """Median absolute percentage errors (fractions) at each cut-off: the default forecast, the
    run-rate baseline and, where it ran, Holt-Winters."""
    full = {code: _full_years(months) for code, months in history.items()}
    years = sorted({year for spans in full.values() for year in spans})
    errors: dict[str, dict[int, list[float]]] = {
        kind: {c: [] for c in cutoffs} for kind in ("share", "run", "hw")
    }
    covered = {c: 0 for c in cutoffs}
    scored: set[str] = set()
    series_years = 0
    for year in years:
        # A year is scored where it is whole and some whole year came before it.
        members = {code: history[code] for code, spans in full.items() if year in spans and min(spans) < year}
        if not members:
            continue
        truths = {
            code: sum(v for p, v in months.items() if p.startswith(f"{year}-"))
            for code, months in members.items()
        }
        series_years += len(members)
        for cut in cutoffs:
            result = forecast_many(members, year, cut, cross_check=cross_check)
            for code, forecast in result.forecasts.items():
                truth = truths[code]
                if truth == 0:
                    continue
                scored.add(code)
                errors["share"][cut].append(abs(forecast.value / truth - 1))
                errors["run"][cut].append(abs(forecast.ytd / cut * 12 / truth - 1))
                covered[cut] += forecast.low <= truth <= forecast.high
                if forecast.holt_winters is not None:
                    errors["hw"][cut].append(abs(forecast.holt_winters.value / truth - 1))
    if not scored:
        raise BacktestInputError("no series has a year of 12 months with a full year of 12 months before it")

    def medians(kind: str) -> dict[str, float | None]:
        return {str(c): round(statistics.median(e), 5) if e else None for c, e in errors[kind].items()}

    return {
        "series": len(scored),
        "years": series_years,
        "cutoffs": medians("share"),
        "baseline_cutoffs": medians("run"),
        "holt_winters_cutoffs": medians("hw"),
        "band_coverage": {str(c): round(covered[c] / max(len(errors["share"][c]), 1), 3) for c in cutoffs},
        "method": "seasonal share (Tết-aligned); band: the last 3 years' shares, half-range × 2, ≥ ±1.5 %",
    }


def format_table(result: Mapping[str, Any]) -> str:
    lines = [
        f"{result['series']} series, {result['years']} series-years; median absolute % error of the year-end",
        f"{'cut-off':>8} {'seasonal share':>15} {'run-rate':>9} {'Holt-Winters':>13} {'in band':>8}",
    ]
    for cut, share in result["cutoffs"].items():
        hw = result["holt_winters_cutoffs"][cut]
        lines.append(
            f"{'month ' + cut:>8} {_pct(share):>15} {_pct(result['baseline_cutoffs'][cut]):>9} "
            f"{_pct(hw):>13} {result['band_coverage'][cut] * 100:>7.0f}%"
        )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"
