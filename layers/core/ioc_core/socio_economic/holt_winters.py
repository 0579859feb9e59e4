"""Holt-Winters in numpy, the forecast's cross-check: additive trend with an additive or a
multiplicative season, its smoothing parameters picked per series from a small grid by the
one-step-ahead errors on the known past. Many series of the same length run at once: each step
updates every series × every parameter set in one array operation (a Python loop per series
and per parameter set would cost a hundred times more)."""

from __future__ import annotations

from dataclasses import dataclass
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


def _run(
    y: np.ndarray, month0: int, multiplicative: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every series through every parameter set: the squared one-step errors summed (S, G) and
    the final level, trend (S, G) and seasonal indices by calendar month (S, G, 12)."""
    count, months = y.shape
    alpha, beta, gamma = (_GRID[:, i][None, :] for i in range(3))
    first, second = y[:, :12].mean(axis=1), y[:, 12:24].mean(axis=1)
    trend0 = (second - first) / 12.0
    centred = first[:, None] + trend0[:, None] * (np.arange(12) - 5.5)
    start = y[:, :12] / centred if multiplicative else y[:, :12] - centred
    season = np.empty((count, _GRID.shape[0], 12))
    season[:, :, (month0 + np.arange(12)) % 12] = start[:, None, :]
    level = np.repeat((first - 6.5 * trend0)[:, None], _GRID.shape[0], axis=1)
    trend = np.repeat(trend0[:, None], _GRID.shape[0], axis=1)
    sse = np.zeros_like(level)
    for t in range(months):
        index = (month0 + t) % 12
        observed = y[:, t, None]
        seasonal = season[:, :, index]
        base = level + trend
        if multiplicative:
            error = observed - base * seasonal
            new_level = base + alpha * error / seasonal
            season[:, :, index] = gamma * observed / new_level + (1.0 - gamma) * seasonal
        else:
            error = observed - base - seasonal
            new_level = base + alpha * error
            season[:, :, index] = seasonal + gamma * (1.0 - alpha) * error
        trend = trend + beta * (new_level - level - trend)
        level = new_level
        if t >= 12:
            sse += error * error
    return sse, level, trend, season


def fit_forecast(y: np.ndarray, month0: int, horizon: int) -> HoltWintersFit:
    """``y`` (S, n) holds S series of n ≥ 24 consecutive months, the first in calendar month
    ``month0`` (0 = January); forecasts the ``horizon`` months after them."""
    count, months = y.shape
    if months < MIN_MONTHS:
        raise ValueError(f"Holt-Winters needs {MIN_MONTHS} consecutive months, got {months}")
    runs = [_run(y, month0, multiplicative=False)]
    # A multiplicative season is undefined where a month is zero or negative: those series
    # keep the additive one.
    positive: np.ndarray = np.asarray((y > 0).all(axis=1))
    if positive.any():
        sse, level, trend, season = _run(np.where(positive[:, None], y, 1.0), month0, multiplicative=True)
        runs.append((np.where(positive[:, None], sse, np.inf), level, trend, season))
    sse = np.stack([run[0] for run in runs])  # (K, S, G)
    sse = np.where(np.isfinite(sse), sse, np.inf)
    flat = sse.transpose(1, 0, 2).reshape(count, -1)
    best = flat.argmin(axis=1)
    kind, choice = np.divmod(best, _GRID.shape[0])
    rows = np.arange(count)
    level = np.stack([run[1] for run in runs])[kind, rows, choice]
    trend = np.stack([run[2] for run in runs])[kind, rows, choice]
    season = np.stack([run[3] for run in runs])[kind, rows, choice]  # (S, 12)
    steps = np.arange(1, horizon + 1)
    future = season[:, (month0 + months - 1 + steps) % 12]
    path = level[:, None] + trend[:, None] * steps[None, :]
    forecasts = np.where((kind == 1)[:, None], path * future, path + future)
    rmse = np.sqrt(flat[rows, best] / max(months - 12, 1))
    return HoltWintersFit(forecasts, kind == 1, _GRID[choice], rmse)
