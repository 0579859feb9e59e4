"""Holt-Winters in numpy, the forecast's cross-check: an additive season and trend, or a
multiplicative season and trend (the same recursion on the logarithms of the months), its
smoothing parameters picked per series from a small grid by the one-step-ahead errors on the
known past, both kinds' errors counted in the series' own units. The additive recursion is
linear in the months, so it runs once per run length on the unit series and then applies to
any number of series and every parameter set as one matrix product: no loop over months,
series or parameter sets is left at run time. (The textbook multiplicative season, whose
recursion is not linear, cost as much month by month as everything else of a dashboard's
forecasts together; its log form forecast as well on the development seeds.)"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np

MIN_MONTHS = 24

# Chosen on generated seeds 1–3, never on the demo history the backtest reports: this grid of
# 18 matched one of 36 (α 0.1–0.7, β to 0.3) at every cut-off, at half the cost.
ALPHAS = (0.1, 0.3, 0.6)
BETAS = (0.01, 0.1)
GAMMAS = (0.05, 0.2, 0.4)
_GRID = np.array(list(product(ALPHAS, BETAS, GAMMAS)), dtype=float)  # (G, 3)


@dataclass(frozen=True)
class HoltWintersFit:
    """Per series (first axis): the months after the known ones, and what was chosen."""

    forecasts: np.ndarray  # (S, horizon)
    multiplicative: np.ndarray  # (S,) bool
    params: np.ndarray  # (S, 3): alpha, beta, gamma
    rmse: np.ndarray  # (S,) one-step-ahead, over the months after the first year


@dataclass(frozen=True)
class _Run:
    """The additive recursion through every series × parameter set, flat as series-major (S·G,)."""

    sse: np.ndarray  # the squared one-step errors after the first year, summed
    errors: np.ndarray | None  # (n − 12, S·G) those errors, when asked for
    level: np.ndarray
    trend: np.ndarray
    season: np.ndarray  # (12, S·G), by month of the run (row 0: the run's first month)


def _run(y: np.ndarray, keep_errors: bool = False) -> _Run:
    with np.errstate(all="ignore"):
        return _recurse(y, keep_errors)


def _recurse(y: np.ndarray, keep_errors: bool) -> _Run:
    """Every series of ``y`` (S, n) through every parameter set, the season held by month of
    the run (the calendar does not enter the recursion). Each update is the textbook additive
    one, in the same order of operations but the trend's (see below), written into buffers made
    once (``out=``). It runs once per run length, on the unit series (``_additive_operator``)."""
    count, months = y.shape
    size = _GRID.shape[0]
    alpha, beta, gamma = (np.tile(_GRID[:, i], count) for i in range(3))
    first, second = y[:, :12].mean(axis=1), y[:, 12:24].mean(axis=1)
    trend0 = (second - first) / 12.0
    centred = first[:, None] + trend0[:, None] * (np.arange(12) - 5.5)
    season = np.ascontiguousarray(np.repeat(y[:, :12] - centred, size, axis=0).T)  # (12, S·G)
    level = np.repeat(first - 6.5 * trend0, size)
    trend = np.repeat(trend0, size)
    # Each month's observations as a column (S, 1), against 2-D views (S, G) of the flat
    # buffers: numpy broadcasts them without a copy of the month per parameter set.
    by_month = np.ascontiguousarray(y.T)[:, :, None]
    errors = np.empty((max(months - 12, 0), count * size)) if keep_errors else None
    sse = np.zeros_like(level)
    error, base, step, seasonal_step = (np.empty_like(level) for _ in range(4))
    base2, step2 = (a.reshape(count, size) for a in (base, step))
    absorb = gamma * (1.0 - alpha)  # the season's share of the error
    for t in range(months):  # a diverging fit's inf and NaN lose on their error, quietly
        seasonal = season[t % 12]
        np.add(level, trend, out=base)
        np.subtract(by_month[t], base2, out=step2)
        np.subtract(step, seasonal, out=error)
        np.add(base, np.multiply(alpha, error, out=step), out=level)
        np.add(seasonal, np.multiply(absorb, error, out=seasonal_step), out=seasonal)
        # trend + beta · (new level − level − trend), where new level − (level + trend) is the
        # level's own step just taken (equal to rounding, two numpy calls fewer a month)
        np.add(trend, np.multiply(beta, step, out=step), out=trend)
        if t >= 12:
            np.add(sse, np.multiply(error, error, out=step), out=sse)
            if errors is not None:
                errors[t - 12] = error
    return _Run(sse, errors, level, trend, season)


@lru_cache(maxsize=64)
def _additive_operator(months: int) -> np.ndarray:
    """The additive recursion is linear in the months (its start, each update and each error
    are weighted sums of them, the weights set by the parameters alone), so it runs once per
    run length on the unit series and then applies to any series as one matrix product:
    (n, (n − 12 + 14) · G), the columns the errors after the first year, the final level, the
    final trend and the twelve final seasonal indices (by month of the run), each for every
    parameter set. It agrees with the recursion run on the data to rounding (~1e-15)."""
    run = _run(np.eye(months), keep_errors=True)
    assert run.errors is not None
    size = _GRID.shape[0]
    parts = [
        run.errors.reshape(-1, months, size).transpose(1, 0, 2),
        run.level.reshape(months, 1, size),
        run.trend.reshape(months, 1, size),
        run.season.reshape(12, months, size).transpose(1, 0, 2),
    ]
    operator = np.ascontiguousarray(np.concatenate(parts, axis=1).reshape(months, -1))
    operator.flags.writeable = False  # shared by every later call
    return operator


# The product is taken in blocks of a fixed number of series (the last padded with zeros) and
# of columns: a BLAS kernel sums in an order that depends on the shape it is given, so fixed
# blocks make a series' numbers the same alone as in a batch of sixty; and OpenBLAS spreads a
# product over threads above about 2**18 multiply-adds, threads that wait on each other on a
# busy machine (measured: 47 ms instead of 0.13 ms on a loaded 2-core box), so each block
# stays under that.
_ROWS = 16
_ONE_THREAD = 2**18


def _additive(
    y: np.ndarray, observed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The additive season through every parameter set: the summed squared errors (S, G), the
    final level and trend (S, G) and season (S, 12, G), by month of the run. Where ``y`` is the
    log of ``observed``, the errors are summed as ``observed``'s: a one-step forecast of the
    log, f, is exp(f) = observed · exp(−error)."""
    count, months = y.shape
    size = _GRID.shape[0]
    operator = _additive_operator(months)
    blocks = -(-count // _ROWS)
    padded = np.zeros((blocks, _ROWS, months))
    padded.reshape(-1, months)[:count] = y
    # The errors month-major (month after the first year, block, series, parameter set): summing
    # over the months then adds whole rows in the months' order (the same sums, to the last bit,
    # as over the months' axis of each block: a strided sum of 18 numbers at a time cost twice).
    errors = np.empty((months - 12, blocks, _ROWS, size))
    by_series = errors.transpose(1, 2, 0, 3)
    state = []
    spans = []
    for start, stop, rows, head in _column_blocks(months):
        # every block of series at once (numpy makes one product of the fixed shape per block),
        # through the months these columns depend on: the operator's other rows are zeros
        part = padded[:, :, :rows] @ operator[:rows, start:stop]
        if head:
            first, last = start // size, (start + head) // size
            np.negative(part[:, :, :head].reshape(blocks, _ROWS, -1, size), out=by_series[:, :, first:last])
            spans.append((first, last))
        if head < stop - start:
            state.append(part[:, :, head:])
    if observed is not None:
        after = np.zeros((blocks * _ROWS, months - 12))
        after[:count] = observed[:, 12:]
        np.expm1(errors, out=errors)
        errors *= after.T.reshape(months - 12, blocks, _ROWS, 1)
    np.multiply(errors, errors, out=errors)
    sse = np.zeros((blocks, _ROWS, size))
    for first, last in spans:  # summed by the blocks of columns (their rounding kept)
        sse += errors[first:last].sum(axis=0)
    final = np.concatenate(state, axis=2).reshape(-1, 14, size)[:count]
    return sse.reshape(-1, size)[:count], final[:, 0], final[:, 1], final[:, 2:]


@lru_cache(maxsize=64)
def _column_blocks(months: int) -> tuple[tuple[int, int, int, int], ...]:
    """The operator's columns in blocks of whole months of errors, each as (first column, end,
    how many of the run's months it depends on, how many of its columns are errors). The error
    after month t depends on the months up to t and the first two years (the start), so the
    operator is lower-triangular but for those: each block reads only its months."""
    size = _GRID.shape[0]
    width = size * max(_ONE_THREAD // (_ROWS * months * size), 1)  # whole months of errors
    head = (months - 12) * size
    total = head + 14 * size
    out = []
    for start in range(0, total, width):
        stop = min(start + width, total)
        # errors only (of the months after 12 + start / size up to 12 + stop / size), or state
        rows = min(max(12 + stop // size, 24), months) if stop <= head else months
        out.append((start, stop, rows, max(min(head, stop) - start, 0)))
    return tuple(out)


def fit_forecast(y: np.ndarray, month0: int, horizon: int) -> HoltWintersFit:
    """``y`` (S, n) holds S series of n ≥ 24 consecutive months, the first in calendar month
    ``month0`` (0 = January); forecasts the ``horizon`` months after them."""
    del month0  # the season is kept by month of the run, so where the run starts does not matter
    count, months = y.shape
    if months < MIN_MONTHS:
        raise ValueError(f"Holt-Winters needs {MIN_MONTHS} consecutive months, got {months}")
    size = _GRID.shape[0]
    sse = np.full((count, 2, size), np.inf)
    sse[:, 0], add_level, add_trend, add_season = _additive(y)
    # The multiplicative season (and trend) is the additive recursion on the logs, its errors
    # summed in the series' own units; undefined where a month is zero or negative: those
    # series keep the additive one (and only the others run it).
    positive: np.ndarray = np.asarray((y > 0).all(axis=1))
    if positive.any():
        with np.errstate(all="ignore"):
            sse[positive, 1], log_level, log_trend, log_season = _additive(np.log(y[positive]), y[positive])
    sse = np.where(np.isfinite(sse), sse, np.inf)
    flat = sse.reshape(count, -1)
    best = flat.argmin(axis=1)
    kind, choice = np.divmod(best, size)
    rows = np.arange(count)
    level, trend = add_level[rows, choice], add_trend[rows, choice]
    season = add_season[rows, :, choice]  # (S, 12)
    chosen = np.flatnonzero(kind == 1)
    if len(chosen):
        at = (np.cumsum(positive) - 1)[chosen]  # where each winner sits among the positive series
        level[chosen], trend[chosen] = log_level[at, choice[chosen]], log_trend[at, choice[chosen]]
        season[chosen] = log_season[at, :, choice[chosen]]
    steps = np.arange(1, horizon + 1)
    future = season[:, (months - 1 + steps) % 12]
    path = level[:, None] + trend[:, None] * steps[None, :]
    with np.errstate(over="ignore"):
        forecasts = np.where((kind == 1)[:, None], np.exp(path + future), path + future)
    rmse = np.sqrt(flat[rows, best] / max(months - 12, 1))
    return HoltWintersFit(forecasts, kind == 1, _GRID[choice], rmse)
