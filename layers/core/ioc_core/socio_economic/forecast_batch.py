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
    built: dict[int, Fields] = {}
    late: dict[int, ForecastInputError] = {}
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
        kept = [i for i in range(len(rows)) if i not in projected.refused]
        group = _Group(
            [rows[i] for i in kept],
            [kinds[rows[i]] for i in kept],
            [targets.get(codes[rows[i]]) for i in kept],
            [ways[rows[i]] for i in kept],
            history[kept, :at],
            now[kept],
        )
        built.update(_fields(group, year, cut, projected, kept, years_used))
    checks = _cross_checks(values, at, cut, sorted(built), kinds) if cross_check else {}
    forecasts = {codes[row]: built[row] | {"holt_winters": checks.get(row)} for row in sorted(built)}
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
class _Group:
    """The series of one group that have a projection: their rows in the block and what the
    caller asked of each, with their months before the year and of the year to the cut-off."""

    rows: list[int]
    kinds: list[Aggregation]
    targets: list[TargetRange | None]
    goods: list[Direction]
    past: np.ndarray  # (S, years before, 12)
    now: np.ndarray  # (S, cut)


def _fields(
    group: _Group,
    year: int,
    cut: int,
    projected: seasonal_share.Projections,
    kept: list[int],
    years_used: list[int],
) -> dict[int, Fields]:
    """Each series' forecast fields but the cross-check, as Python numbers."""
    scale = np.where([kind == "average" for kind in group.kinds], 1.0 / 12.0, 1.0)
    value, low, high = (
        (part[kept] * scale).tolist() for part in (projected.value, projected.low, projected.high)
    )
    share, shift = projected.share[kept].tolist(), projected.shift[kept].tolist()
    totals, lasts = group.now.sum(axis=1).tolist(), group.now[:, -1].tolist()
    needed = _needed(group, projected.weights[kept], year, cut)
    out: dict[int, Fields] = {}
    for i, row in enumerate(group.rows):
        kind, target, good = group.kinds[i], group.targets[i], group.goods[i]
        ytd = lasts[i] if kind == "last" else totals[i] / cut if kind == "average" else totals[i]
        out[row] = {
            "year": year,
            "through": f"{year}-{cut:02d}",
            "aggregation": kind,
            "method": projected.method,
            "value": value[i],
            "low": low[i],
            "high": high[i],
            "ytd": ytd,
            "share": share[i],
            "tet_shift": shift[i],
            "years_used": list(years_used),
            "target": target,
            "good": good,
            "status": status(value[i], target, good),
            "percent_of_plan": percent_of_plan(value[i], target, good),
            "needed_total": needed[i][0],
            "needed_flat": needed[i][1],
            "needed": needed[i][2],
        }
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
    out: list[Needed] = []
    rows = zip(
        amounts.tolist(), best.tolist(), picked.tolist(), ever.tolist(), achieved.tolist(), strict=True
    )
    for s, (amount_row, best_row, year_row, ever_row, achieved_row) in enumerate(rows):
        if targets[s] is None:
            out.append(nothing)
            continue
        first_year = year - past.shape[1]
        needed = [
            {
                "period": period,
                "amount": amount,
                "best_past": value if seen else None,
                "best_past_year": first_year + y if seen else None,
                "achieved_before": ok,
            }
            for period, amount, value, y, seen, ok in zip(
                periods, amount_row, best_row, year_row, ever_row, achieved_row, strict=True
            )
        ]
        flat = None if stock[s] else float(flats[s])
        out.append((float(totals[s]), flat, needed))
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
