"""The seasonal share and the ratio to December over many series at once: each takes the
past years' months of a group of series that share the same past years, as one (series ×
years × 12) array, and returns every series' projection as arrays, with a message for any
series that cannot be projected (the others go on)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ioc_core.socio_economic.tet import tet_window

# The band: the past shares' half-range around their mean, widened by this factor (three
# shares span too little to hold most years); chosen on generated seeds 1–3 for about 80 %
# of years inside, never on the demo history the backtest reports.
BAND_WIDTH = 2.0
# With one or two past years the spread says little: the band is never narrower than this
# fraction of the share (chosen alike).
BAND_FLOOR = 0.015


@dataclass(frozen=True)
class Projections:
    """Per series (first axis) of the group, in the year's raw terms (a total, a level)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    share: np.ndarray  # the part of the year reached by the cut-off (the ratio, for levels)
    shift: np.ndarray  # how much the Tết alignment moved that share
    weights: np.ndarray  # (S, 12): each month's usual part of the year (of December, for levels)
    method: str
    refused: dict[int, str]  # series (row of the group) → why it has no projection


def _band(base: np.ndarray, ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``base`` ÷ the mean of ``ratios`` (S, years), with its band."""
    mean = ratios.sum(axis=1) / ratios.shape[1]
    half = np.maximum(BAND_WIDTH * (ratios.max(axis=1) - ratios.min(axis=1)) / 2.0, BAND_FLOOR * mean)
    low, high = base / (mean + half), base / np.maximum(mean - half, mean / 2.0)
    return base / mean, low, high, mean


def flow(
    grid: np.ndarray,
    now: np.ndarray,
    cut: int,
    used: list[int],
    year: int,
    tet_grid: np.ndarray,
    tet_years: list[int],
) -> Projections:
    """Sums and averages: the year ÷ the (Tết-aligned) share reached by the cut-off. ``grid``
    (S, used years, 12), ``now`` (S, cut), ``tet_grid`` (S, Tết years, 12)."""
    refused: dict[int, str] = {}
    totals = grid.sum(axis=2)
    for row in np.flatnonzero((totals <= 0).any(axis=1)):
        bad = [str(y) for y, total in zip(used, totals[row], strict=True) if total <= 0]
        refused[int(row)] = (
            f"the seasonal share needs positive year totals; {', '.join(bad)} sum to zero or less"
        )
    with np.errstate(divide="ignore", invalid="ignore"):  # refused rows are dropped afterwards
        shares = grid / totals[:, :, None]
        effect = _tet_effect(tet_grid, tet_years)
        windows = np.array([tet_window(y) for y in used])
        this_year = np.asarray(tet_window(year))
        aligned = shares + effect[:, None, None] * (this_year[None, :] - windows)[None]
        reached = aligned[:, :, :cut].sum(axis=2)
        for row in np.flatnonzero((reached <= 0).any(axis=1)):
            refused.setdefault(int(row), f"past years had nothing by month {cut}: no share to scale by")
        ytd = now.sum(axis=1)
        value, low, high, mean = _band(ytd, reached)
        raw = shares[:, :, :cut].reshape(len(shares), -1).sum(axis=1) / shares.shape[1]
        weights = aligned.sum(axis=1) / aligned.shape[1]
    method = "seasonal_share_tet_aligned" if len(tet_years) >= 2 else "seasonal_share"
    return Projections(value, low, high, mean, mean - raw, weights, method, refused)


def _tet_effect(grid: np.ndarray, years: list[int]) -> np.ndarray:
    """The Tết period's share of the year per series: January–March shares regressed on how
    much of the period each month held, within each month across the years (month effects
    removed)."""
    if len(years) < 2:
        return np.zeros(len(grid))
    shares = grid[:, :, :3] / grid.sum(axis=2)[:, :, None]
    held = np.array([tet_window(y)[:3] for y in years])
    ds = shares - shares.sum(axis=1)[:, None, :] / len(years)
    dh = held - held.sum(axis=0) / len(years)
    spread = float((dh * dh).sum())
    if spread <= 1e-6:
        return np.zeros(len(grid))
    result: np.ndarray = (ds * dh[None]).reshape(len(grid), -1).sum(axis=1) / spread
    return result


def stock(grid: np.ndarray, now: np.ndarray, cut: int) -> Projections:
    """Levels ("last"): the month's level ÷ its usual ratio to December."""
    bad = (grid[:, :, [cut - 1, 11]] <= 0).any(axis=(1, 2)) | (now[:, -1] <= 0)
    message = "the ratio to December needs positive levels in the months compared"
    refused = {int(row): message for row in np.flatnonzero(bad)}
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = grid[:, :, cut - 1] / grid[:, :, 11]
        level = now[:, -1]
        weights = (grid / grid[:, :, 11:12]).sum(axis=1) / grid.shape[1]
        value, low, high, mean = _band(level, ratios)
    return Projections(value, low, high, mean, np.zeros(len(grid)), weights, "ratio_to_december", refused)
