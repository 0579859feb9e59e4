"""Year-end forecast of a monthly indicator and what it still needs to reach its target.

The default is the seasonal share: the year so far ÷ the share of the year that past years had
reached by the same month (the statistics office's own reasoning), with a band from the spread
of the last three years' shares. Tết moves between January and February, so a January cut-off
compares unlike months; the share is therefore Tết-aligned: the Tết period's share of the year
is estimated from every past year (where its days fell against how the months came out) and the
past shares are moved to this year's dates. Holt-Winters runs beside it as a cross-check when
two years of months exist, never instead of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.socio_economic import holt_winters
from ioc_core.socio_economic.history import MonthlyHistory, parse_history
from ioc_core.socio_economic.targets import Direction, Status, TargetRange, percent_of_plan, status
from ioc_core.socio_economic.tet import tet_window

Aggregation = Literal["sum", "average", "last"]
SHARE_YEARS = 3  # the band's years: recent enough to share this year's shape
# The band: the past shares' half-range around their mean, widened by this factor (three
# shares span too little to hold most years); chosen on generated seeds 1–3 for about 80 %
# of years inside, never on the demo history the backtest reports.
BAND_WIDTH = 2.0
# With one or two past years the spread says little: the band is never narrower than this
# fraction of the share (chosen alike).
BAND_FLOOR = 0.015
TET_YEARS = 6  # the Tết effect's years: as many as exist (it is one number, estimated across them)


class ForecastInputError(ValidationFailed, ValueError):
    """Too little or unusable history; the message says what is missing."""

    def __init__(self, message: str) -> None:
        super().__init__(message, problems=[FieldProblem("history", message)])


class NeededMonth(BaseModel):
    """What one remaining month must bring for the year to reach its target, and whether that
    month ever brought as much (``best_past``: its highest past value, the lowest when less is
    better)."""

    model_config = ConfigDict(frozen=True)

    period: str
    amount: float
    best_past: float | None
    best_past_year: int | None
    achieved_before: bool


class HoltWintersCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: float
    seasonal: Literal["additive", "multiplicative"]
    alpha: float
    beta: float
    gamma: float
    one_step_rmse: float
    months_used: int


class Forecast(BaseModel):
    """The projection in the indicator's yearly terms (a total, a year's average, December's
    level), its band, and against the target: status, % of plan and the months' needed amounts."""

    model_config = ConfigDict(frozen=True)

    year: int
    through: str
    aggregation: Aggregation
    method: str
    value: float
    low: float
    high: float
    ytd: float
    share: float  # the part of the year reached by the cut-off (the ratio, for "last")
    tet_shift: float  # how much the Tết alignment moved that share
    years_used: list[int]
    holt_winters: HoltWintersCheck | None
    target: TargetRange | None
    good: Direction
    status: Status
    percent_of_plan: float | None
    needed_total: float | None  # the rest of the year's amount (for "last": December's level)
    needed_flat: float | None  # that amount spread evenly over the remaining months
    needed: list[NeededMonth]


class ForecastSet(BaseModel):
    forecasts: dict[str, Forecast]
    unavailable: dict[str, str]  # series → why it has no forecast


def forecast_year_end(
    history: Mapping[str, float],
    year: int,
    through_month: int,
    *,
    aggregation: Aggregation = "sum",
    target: TargetRange | None = None,
    good: Direction = "up",
    cross_check: bool = True,
    tet_aligned: bool = True,
) -> Forecast:
    """The year-end of one series, ``history`` mapping "YYYY-MM" to its value; months after
    ``through_month`` of ``year`` are ignored (what was not known at the cut-off)."""
    prepared = _prepare(parse_history(history), year, through_month)
    fits = _cross_checks({"": prepared}, year, through_month) if cross_check else {}
    return _forecast(prepared, year, through_month, aggregation, target, good, fits.get(""), tet_aligned)


def forecast_many(
    histories: Mapping[str, Mapping[str, float]],
    year: int,
    through_month: int,
    *,
    aggregations: Mapping[str, Aggregation] | None = None,
    targets: Mapping[str, TargetRange] | None = None,
    goods: Mapping[str, Direction] | None = None,
    cross_check: bool = True,
) -> ForecastSet:
    """Every series at one cut-off (the Holt-Winters checks of series of the same length run
    together); a series that cannot be forecast is listed with the reason, not raised."""
    prepared: dict[str, MonthlyHistory] = {}
    unavailable: dict[str, str] = {}
    for code, history in histories.items():
        try:
            prepared[code] = _prepare(parse_history(history), year, through_month)
        except ForecastInputError as error:
            unavailable[code] = error.message
    fits = _cross_checks(prepared, year, through_month) if cross_check else {}
    forecasts = {}
    for code, months in prepared.items():
        aggregation = (aggregations or {}).get(code, "sum")
        target, good = (targets or {}).get(code), (goods or {}).get(code, "up")
        try:
            forecasts[code] = _forecast(
                months, year, through_month, aggregation, target, good, fits.get(code)
            )
        except ForecastInputError as error:
            unavailable[code] = error.message
    return ForecastSet(forecasts=forecasts, unavailable=unavailable)


def _prepare(months: MonthlyHistory, year: int, through_month: int) -> MonthlyHistory:
    if not 1 <= through_month <= 12:
        raise ForecastInputError(f"the cut-off month must be 1–12, not {through_month}")
    missing = [f"{year}-{m:02d}" for m in range(1, through_month + 1) if not months.has(year, m)]
    if missing:
        raise ForecastInputError(f"{year} lacks months up to the cut-off: {', '.join(missing)}")
    if not months.full_years_before(year):
        raise ForecastInputError(
            f"needs at least one full past year (12 months) before {year}; {months.describe_before(year)}"
        )
    return months


def _forecast(
    months: MonthlyHistory,
    year: int,
    cut: int,
    aggregation: Aggregation,
    target: TargetRange | None,
    good: Direction,
    check: _Check | None,
    tet_aligned: bool = True,
) -> Forecast:
    past = months.full_years_before(year)
    used = past[-SHARE_YEARS:]
    grid = months.matrix(used)  # (years, 12)
    now = months.row(year)[:cut]
    if aggregation == "last":
        projection = _stock(grid, now, cut)
    else:
        tet_years = past[-TET_YEARS:] if tet_aligned else []
        projection = _flow(grid, now, cut, used, year, months.matrix(past[-TET_YEARS:]), tet_years)
    value, low, high, share, shift, weights, method = projection
    scale = 1.0 / 12.0 if aggregation == "average" else 1.0
    ytd = {"last": float(now[-1]), "average": float(now.sum()) / cut, "sum": float(now.sum())}[aggregation]
    result = {
        "value": value * scale,
        "low": low * scale,
        "high": high * scale,
        "ytd": ytd,
        "share": share,
        "tet_shift": shift,
    }
    needed_total, needed_flat, needed = _needed(months, year, cut, aggregation, target, good, now, weights)
    return Forecast(
        year=year,
        through=f"{year}-{cut:02d}",
        aggregation=aggregation,
        method=method,
        years_used=used,
        holt_winters=_holt_winters(check, aggregation),
        target=target,
        good=good,
        status=status(result["value"], target, good),
        percent_of_plan=percent_of_plan(result["value"], target, good),
        needed_total=needed_total,
        needed_flat=needed_flat,
        needed=needed,
        **result,
    )


Projection = tuple[float, float, float, float, float, np.ndarray, str]
_Check = tuple[np.ndarray, dict[str, Any]]


def _flow(
    grid: np.ndarray,
    now: np.ndarray,
    cut: int,
    used: list[int],
    year: int,
    tet_grid: np.ndarray,
    tet_years: list[int],
) -> Projection:
    """Sums and averages: the year ÷ the (Tết-aligned) share reached by the cut-off."""
    totals = grid.sum(axis=1)
    if (totals <= 0).any():
        bad = [str(y) for y, total in zip(used, totals, strict=True) if total <= 0]
        raise ForecastInputError(
            f"the seasonal share needs positive year totals; {', '.join(bad)} sum to zero or less"
        )
    shares = grid / totals[:, None]
    effect = _tet_effect(tet_grid, tet_years)
    windows = np.array([tet_window(y) for y in used])
    this_year = np.asarray(tet_window(year))
    aligned = shares + effect * (this_year[None, :] - windows)  # each past year on this year's Tết
    reached = aligned[:, :cut].sum(axis=1)
    if (reached <= 0).any():
        raise ForecastInputError(f"past years had nothing by month {cut}: no share to scale by")
    ytd = float(now.sum())
    mean = float(reached.sum()) / len(reached)
    half = max(BAND_WIDTH * float(reached.max() - reached.min()) / 2.0, BAND_FLOOR * mean)
    value = ytd / mean
    raw = float(shares[:, :cut].sum()) / len(shares)
    weights = aligned.sum(axis=0) / len(aligned)
    method = "seasonal_share_tet_aligned" if len(tet_years) >= 2 else "seasonal_share"
    low, high = ytd / (mean + half), ytd / max(mean - half, mean / 2.0)
    return value, low, high, mean, mean - raw, weights, method


def _tet_effect(grid: np.ndarray, years: list[int]) -> float:
    """The Tết period's share of the year: January–March shares regressed on how much of the
    period each month held, within each month across the years (month effects removed)."""
    if len(years) < 2:
        return 0.0
    shares = grid[:, :3] / grid.sum(axis=1)[:, None]
    held = np.array([tet_window(y)[:3] for y in years])
    ds, dh = shares - shares.sum(axis=0) / len(years), held - held.sum(axis=0) / len(years)
    spread = float((dh * dh).sum())
    return float((ds * dh).sum()) / spread if spread > 1e-6 else 0.0


def _stock(grid: np.ndarray, now: np.ndarray, cut: int) -> Projection:
    """Levels ("last"): the month's level ÷ its usual ratio to December's."""
    if (grid[:, [cut - 1, 11]] <= 0).any() or now[-1] <= 0:
        raise ForecastInputError("the ratio to December needs positive levels in the months compared")
    ratios = grid[:, cut - 1] / grid[:, 11]
    level = float(now[-1])
    weights = (grid / grid[:, 11:12]).sum(axis=0) / len(grid)  # each month's usual level against December
    mean = float(ratios.sum()) / len(ratios)
    half = max(BAND_WIDTH * float(ratios.max() - ratios.min()) / 2.0, BAND_FLOOR * mean)
    low, high = level / (mean + half), level / max(mean - half, mean / 2.0)
    return level / mean, low, high, mean, 0.0, weights, "ratio_to_december"


def _needed(
    months: MonthlyHistory,
    year: int,
    cut: int,
    aggregation: Aggregation,
    target: TargetRange | None,
    good: Direction,
    now: np.ndarray,
    weights: np.ndarray,
) -> tuple[float | None, float | None, list[NeededMonth]]:
    """The target's rest spread over the remaining months by their seasonal shares."""
    if target is None or cut == 12:
        return None, None, []
    line = target.line(good)
    rest = list(range(cut + 1, 13))
    if aggregation == "last":
        amounts = [line * float(weights[m - 1]) for m in rest]
        total, flat = line, None
    else:
        total = line * (12.0 if aggregation == "average" else 1.0) - float(now.sum())
        spread = weights[cut:] / float(weights[cut:].sum())
        amounts = [max(total * float(w), 0.0) for w in spread]
        flat = max(total, 0.0) / len(rest)
    needed = []
    for month, amount in zip(rest, amounts, strict=True):
        best_year, best = months.best_in_month(month, before=year, highest=good == "up")
        achieved = best is not None and (best >= amount if good == "up" else best <= amount)
        needed.append(
            NeededMonth(
                period=f"{year}-{month:02d}",
                amount=amount,
                best_past=best,
                best_past_year=best_year,
                achieved_before=achieved,
            )
        )
    return total, flat, needed


def _cross_checks(prepared: Mapping[str, MonthlyHistory], year: int, cut: int) -> dict[str, _Check]:
    """Holt-Winters for every series with 24 consecutive months up to the cut-off, batched by
    the length of that run: the year's twelve months (known, then forecast) and the fit."""
    runs: dict[int, list[tuple[str, np.ndarray]]] = {}
    for code, months in prepared.items():
        run = months.run_until(year, cut)
        if len(run) >= holt_winters.MIN_MONTHS:
            runs.setdefault(len(run), []).append((code, run))
    checks: dict[str, _Check] = {}
    for length, members in runs.items():
        values = np.stack([run for _, run in members])
        fit = holt_winters.fit_forecast(values, (cut - length) % 12, 12 - cut)
        for i, (code, run) in enumerate(members):
            path = np.concatenate([run[len(run) - cut :], fit.forecasts[i]])
            about = {
                "seasonal": "multiplicative" if fit.multiplicative[i] else "additive",
                "alpha": float(fit.params[i, 0]),
                "beta": float(fit.params[i, 1]),
                "gamma": float(fit.params[i, 2]),
                "one_step_rmse": float(fit.rmse[i]),
                "months_used": length,
            }
            checks[code] = (path, about)
    return checks


def _holt_winters(check: _Check | None, aggregation: Aggregation) -> HoltWintersCheck | None:
    if check is None:
        return None
    path, about = check
    if aggregation == "last":
        value = float(path[-1])
    else:
        value = float(path.sum()) / (12 if aggregation == "average" else 1)
    return HoltWintersCheck(value=value, **about)
