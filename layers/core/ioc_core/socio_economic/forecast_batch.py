"""The forecast of many series at one cut-off, worked as arrays: the histories are checked and
laid out once (series × year × month), the series that share the same past years go through
the seasonal share together, the needed amounts and their best past months are found for all
of them at once, and the Holt-Winters checks run batched by run length. What comes out is the
models' fields as plain Python values: the caller validates them in one pydantic call (its
Rust core builds the nested models faster than ``model_construct`` would in Python)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ioc_core.socio_economic import holt_winters, seasonal_share
from ioc_core.socio_economic.forecast_models import (
    AGGREGATIONS,
    Aggregation,
    ForecastInputError,
)
from ioc_core.socio_economic.history import HistoryBlock, parse_histories
from ioc_core.socio_economic.targets import Direction, TargetRange, percent_of_plan, status

SHARE_YEARS = 3  # the band's years: recent enough to share this year's shape
TET_YEARS = 6  # the Tết effect's years: as many as exist (it is one number, estimated across them)

Refused = dict[str, ForecastInputError]
Fields = dict[str, Any]  # a model's fields, for its model_validate
Needed = tuple[float | None, float | None, list[Fields]]  # the rest, spread evenly, by month


def run(
    histories: Mapping[str, Mapping[str, float]],
    year: int,
    cut: int,
    aggregations: Mapping[str, Aggregation],
    targets: Mapping[str, TargetRange],
    goods: Mapping[str, Direction],
    cross_check: bool,
    tet_aligned: bool,
) -> tuple[dict[str, Fields], Refused]:
    """Every series' forecast, and why the others have none (the history's own faults raise)."""
    codes = list(histories)
    block = parse_histories(histories, year)
    if not 1 <= cut <= 12:
        error = ForecastInputError(f"the cut-off month must be 1–12, not {cut}")
        return {}, dict.fromkeys(codes, error)
    kinds = [aggregations.get(code, "sum") for code in codes]
    ways = [goods.get(code, "up") for code in codes]
    for code, kind, way in zip(codes, kinds, ways, strict=True):
        if kind not in AGGREGATIONS or way not in ("up", "down"):
            raise ValueError(
                f"{code}: aggregation {kind!r} / direction {way!r} is not one of {AGGREGATIONS} / up, down"
            )
    values, at = block.values, year - block.first_year
    early, groups = _sort(block, year, cut, [kind == "last" for kind in kinds], codes)
    late: dict[int, ForecastInputError] = {}
    shares = _Shares.empty(len(codes))
    for (past_years, is_stock), rows in groups.items():
        members = np.array(rows)
        history, now = values[members], values[members, at, :cut]
        used = list(past_years[-SHARE_YEARS:])
        years_used = [block.first_year + y for y in used]
        if is_stock:
            projected = seasonal_share.stock(history[:, used], now, cut)
        else:
            tet_years = [block.first_year + y for y in past_years] if tet_aligned else []
            projected = seasonal_share.flow(
                history[:, used], now, cut, years_used, year, history[:, list(past_years)], tet_years
            )
        for local, message in projected.refused.items():
            late[rows[local]] = ForecastInputError(message)
        shares.add(rows, projected, years_used)
    # every group's series together from here: one set of array operations for all of them
    built = sorted(shares.methods)
    group = _Group(
        built,
        [kinds[row] for row in built],
        [targets.get(codes[row]) for row in built],
        [ways[row] for row in built],
        values[built, :at],
        values[built, at, :cut],
    )
    fields = _fields(group, year, cut, shares)
    checks = _cross_checks(values, at, cut, built, kinds) if cross_check else {}
    forecasts = {codes[row]: fields[i] | {"holt_winters": checks.get(row)} for i, row in enumerate(built)}
    refused = early | {codes[row]: late[row] for row in sorted(late)}
    return forecasts, refused


def _sort(
    block: HistoryBlock, year: int, cut: int, stocks: list[bool], codes: list[str]
) -> tuple[Refused, dict[tuple[tuple[int, ...], bool], list[int]]]:
    """Why some series cannot be forecast at all, and the others by their past full years
    (the Tết years; the last three of them the share's) and whether they are levels."""
    values, at = block.values, year - block.first_year
    now = values[:, at, :cut]
    missing = np.isnan(now).any(axis=1)
    full = ~np.isnan(values[:, :at]).any(axis=2)
    early: Refused = {}
    groups: dict[tuple[tuple[int, ...], bool], list[int]] = {}
    pasts: dict[bytes, tuple[int, ...]] = {}  # a city's series mostly share their full years
    for row, code in enumerate(codes):
        if missing[row]:
            months = ", ".join(f"{year}-{m + 1:02d}" for m in np.flatnonzero(np.isnan(now[row])))
            early[code] = ForecastInputError(f"{year} lacks months up to the cut-off: {months}")
            continue
        pattern = full[row].tobytes()
        past = pasts.get(pattern)
        if past is None:
            past = pasts[pattern] = tuple(np.flatnonzero(full[row]).tolist()[-TET_YEARS:])
        if not past:
            found = block.describe_before(row, year)
            early[code] = ForecastInputError(
                f"needs at least one full past year (12 months) before {year}; {found}"
            )
            continue
        groups.setdefault((past, stocks[row]), []).append(row)
    return early, groups


@dataclass(frozen=True)
class _Shares:
    """Every group's projections by row of the block (where a series has one): how it was
    projected and from which years, and the numbers."""

    methods: dict[int, str]
    years_used: dict[int, list[int]]
    value: np.ndarray  # (rows,): in the year's raw terms
    low: np.ndarray
    high: np.ndarray
    share: np.ndarray
    shift: np.ndarray
    weights: np.ndarray  # (rows, 12)

    @staticmethod
    def empty(count: int) -> _Shares:
        value, low, high, share, shift = (np.full(count, np.nan) for _ in range(5))
        return _Shares({}, {}, value, low, high, share, shift, np.full((count, 12), np.nan))

    def add(self, rows: list[int], projected: seasonal_share.Projections, years_used: list[int]) -> None:
        """A group's projections (``rows``: theirs in the block), but for the refused series."""
        kept = [i for i in range(len(rows)) if i not in projected.refused]
        at = [rows[i] for i in kept]
        for row in at:
            self.methods[row] = projected.method
            self.years_used[row] = years_used
        for mine, theirs in (
            (self.value, projected.value),
            (self.low, projected.low),
            (self.high, projected.high),
            (self.share, projected.share),
            (self.shift, projected.shift),
            (self.weights, projected.weights),
        ):
            mine[at] = theirs[kept]


@dataclass(frozen=True)
class _Group:
    """The series that have a projection: their rows in the block and what the caller asked of
    each, with their months before the year and of the year to the cut-off."""

    rows: list[int]
    kinds: list[Aggregation]
    targets: list[TargetRange | None]
    goods: list[Direction]
    past: np.ndarray  # (S, years before, 12)
    now: np.ndarray  # (S, cut)


def _fields(group: _Group, year: int, cut: int, shares: _Shares) -> list[Fields]:
    """Each series' forecast fields but the cross-check, as Python numbers, in the group's order."""
    rows = group.rows
    scale = np.where([kind == "average" for kind in group.kinds], 1.0 / 12.0, 1.0)
    value, low, high = ((part[rows] * scale).tolist() for part in (shares.value, shares.low, shares.high))
    share, shift = shares.share[rows].tolist(), shares.shift[rows].tolist()
    totals, lasts = group.now.sum(axis=1).tolist(), group.now[:, -1].tolist()
    needed = _needed(group, shares.weights[rows], year, cut)
    through = f"{year}-{cut:02d}"
    out: list[Fields] = []
    for i, row in enumerate(rows):
        kind, target, good = group.kinds[i], group.targets[i], group.goods[i]
        ytd = lasts[i] if kind == "last" else totals[i] / cut if kind == "average" else totals[i]
        out.append(
            {
                "year": year,
                "through": through,
                "aggregation": kind,
                "method": shares.methods[row],
                "value": value[i],
                "low": low[i],
                "high": high[i],
                "ytd": ytd,
                "share": share[i],
                "tet_shift": shift[i],
                "years_used": list(shares.years_used[row]),
                "target": target,
                "good": good,
                "status": status(value[i], target, good),
                "percent_of_plan": percent_of_plan(value[i], target, good),
                "needed_total": needed[i][0],
                "needed_flat": needed[i][1],
                "needed": needed[i][2],
            }
        )
    return out


def _needed(group: _Group, weights: np.ndarray, year: int, cut: int) -> list[Needed]:
    """The target's rest spread over the remaining months by their seasonal shares, for every
    series of a group at once, with each remaining month's best in the years before."""
    past, now, kinds, targets, goods = group.past, group.now, group.kinds, group.targets, group.goods
    nothing: Needed = (None, None, [])
    if cut == 12 or not any(t is not None for t in targets):
        return [nothing] * len(kinds)
    lines = np.array([t.line(g) if t is not None else np.nan for t, g in zip(targets, goods, strict=True)])
    stock = np.array([k == "last" for k in kinds])
    rest = weights[:, cut:]
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = np.where(
            stock, lines, lines * np.where([k == "average" for k in kinds], 12.0, 1.0) - now.sum(axis=1)
        )
        spread = rest / rest.sum(axis=1)[:, None]
        amounts = np.where(stock[:, None], lines[:, None] * rest, np.maximum(totals[:, None] * spread, 0.0))
        flats = np.maximum(totals, 0.0) / (12 - cut)
    up = np.array([g == "up" for g in goods])
    months = past[:, :, cut:]
    known = ~np.isnan(months)
    # The earliest year wins a tie, as a walk through the years in order would have it.
    picked = np.where(
        up[:, None],
        np.where(known, months, -np.inf).argmax(axis=1),
        np.where(known, months, np.inf).argmin(axis=1),
    )
    best = np.take_along_axis(months, picked[:, None, :], axis=1)[:, 0]
    ever = known.any(axis=1)
    achieved = ever & np.where(up[:, None], best >= amounts, best <= amounts)
    periods = [f"{year}-{m:02d}" for m in range(cut + 1, 13)]
    years = (picked + (year - past.shape[1])).tolist()
    sums, evenly, stocks = totals.tolist(), flats.tolist(), stock.tolist()
    out: list[Needed] = []
    rows = zip(amounts.tolist(), best.tolist(), years, ever.tolist(), achieved.tolist(), strict=True)
    for s, (amount_row, best_row, year_row, ever_row, achieved_row) in enumerate(rows):
        if targets[s] is None:
            out.append(nothing)
            continue
        needed = [
            {
                "period": period,
                "amount": amount,
                "best_past": value if seen else None,
                "best_past_year": y if seen else None,
                "achieved_before": ok,
            }
            for period, amount, value, y, seen, ok in zip(
                periods, amount_row, best_row, year_row, ever_row, achieved_row, strict=True
            )
        ]
        out.append((sums[s], None if stocks[s] else evenly[s], needed))
    return out


# A fit depends on nothing but its run of months and the cut-off: a dashboard shown again on
# the same figures (or after one indicator's new month) fits only what changed. Bounded: the
# oldest fits go first.
_Fit = tuple[float, float, bool, list[float], float]  # the year's sum, December, kind, α β γ, RMSE
_FITS: dict[bytes, _Fit] = {}
_FITS_KEPT = 4096


def forget_fits() -> None:
    """Drops the remembered Holt-Winters fits (for a measurement or a test of the cold path)."""
    _FITS.clear()


def _cross_checks(
    values: np.ndarray, at: int, cut: int, rows: list[int], kinds: list[Aggregation]
) -> dict[int, Fields]:
    """Holt-Winters for every series with 24 consecutive months up to the cut-off, batched by
    the length of that run: the year's twelve months (known, then forecast) as its value."""
    if not rows:
        return {}
    end = at * 12 + cut
    flat = values.reshape(len(values), -1)[rows, :end]
    gaps = np.isnan(flat)
    lengths = np.where(gaps.any(axis=1), gaps[:, ::-1].argmax(axis=1), end)
    checks: dict[int, Fields] = {}
    for length in np.unique(lengths[lengths >= holt_winters.MIN_MONTHS]).tolist():
        members = np.flatnonzero(lengths == length).tolist()
        run = flat[members, end - length :]
        keys = [bytes([cut]) + series.tobytes() for series in run]
        known = {key: _FITS[key] for key in keys if key in _FITS}
        missed = [i for i, key in enumerate(keys) if key not in known]
        if missed:
            known |= _remember(run[missed], [keys[i] for i in missed], cut)
        for member, key in zip(members, keys, strict=True):
            row = rows[member]
            total, last, multiplicative, (alpha, beta, gamma), rmse = known[key]
            kind = kinds[row]
            checks[row] = {
                "value": last if kind == "last" else total / (12 if kind == "average" else 1),
                "seasonal": "multiplicative" if multiplicative else "additive",
                "alpha": alpha,
                "beta": beta,
                "gamma": gamma,
                "one_step_rmse": rmse,
                "months_used": length,
            }
    return checks


def _remember(run: np.ndarray, keys: list[bytes], cut: int) -> dict[bytes, _Fit]:
    """Fits the runs (one length) together and keeps each one's year: its sum and December."""
    length = run.shape[1]
    fit = holt_winters.fit_forecast(run, (cut - length) % 12, 12 - cut)
    path = np.concatenate([run[:, length - cut :], fit.forecasts], axis=1)
    found = zip(
        path.sum(axis=1).tolist(),
        path[:, -1].tolist(),
        fit.multiplicative.tolist(),
        fit.params.tolist(),
        fit.rmse.tolist(),
        strict=True,
    )
    fits: dict[bytes, _Fit] = dict(zip(keys, found, strict=True))
    for key, kept in fits.items():
        while len(_FITS) >= _FITS_KEPT:
            del _FITS[next(iter(_FITS))]
        _FITS[key] = kept
    return fits
