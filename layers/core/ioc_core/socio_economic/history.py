"""Monthly series as the forecast reads them: "YYYY-MM" → value, checked once and laid out as
one block of (series × year × twelve months), NaN where a month is missing, so that the
forecast works on every series at once."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from numbers import Real

import numpy as np

from ioc_core.shared.errors import FieldProblem, ValidationFailed


class HistoryError(ValidationFailed, ValueError):
    def __init__(self, period: str, message: str) -> None:
        super().__init__(f"{period}: {message}", problems=[FieldProblem(period, message)])


@dataclass(frozen=True)
class HistoryBlock:
    """``values[s, y, m]``: series ``s``, year ``first_year + y``, month ``m + 1``."""

    first_year: int
    values: np.ndarray  # (S, Y, 12)

    def describe_before(self, series: int, year: int) -> str:
        """What there is before ``year``, for the message that says what is missing."""
        counts = (~np.isnan(self.values[series, : max(year - self.first_year, 0)])).sum(axis=1)
        known = [f"{self.first_year + y}: {int(n)} months" for y, n in enumerate(counts) if n]
        return "found " + ("; ".join(known) if known else "no earlier months")


# "YYYY-MM" → (year, month), checked once: every series of a city repeats the same periods.
_PERIODS: dict[str, tuple[int, int]] = {}
# The periods of a whole series, in order → their years and months (0-based): a city's series
# share one list of periods, so each list is checked and laid out once.
_LAYOUTS: dict[tuple[str, ...], _Layout] = {}


def _period(period: object) -> tuple[int, int]:
    if not isinstance(period, str) or len(period) != 7 or period[4] != "-":
        raise HistoryError(str(period), "the period must be YYYY-MM")
    if not (period[:4].isdigit() and period[5:].isdigit()):
        raise HistoryError(period, "the period must be YYYY-MM")
    year, month = int(period[:4]), int(period[5:])
    if not 1 <= month <= 12:
        raise HistoryError(period, "the month must be 01–12")
    if len(_PERIODS) < 10_000:
        _PERIODS[period] = (year, month)
    return year, month


def _checked(history: Mapping[str, float]) -> list[tuple[int, int, float]]:
    """Every key and value in order, naming the first period at fault."""
    out = []
    for period, value in history.items():
        year, month = _PERIODS.get(period) or _period(period)
        # type() first: the ABC check behind isinstance(…, Real) is the slow part of this loop.
        if type(value) is not float and (isinstance(value, bool) or not isinstance(value, Real)):
            raise HistoryError(period, f"the value must be a finite number, not {value!r}")
        if not math.isfinite(value):
            raise HistoryError(period, f"the value must be a finite number, not {value!r}")
        out.append((year, month - 1, float(value)))
    return out


@dataclass(frozen=True)
class _Layout:
    """Where a list of periods goes: its first and last year and each period's place in a row
    of months counted from January of the first year."""

    first: int
    last: int
    at: np.ndarray


def _layout(periods: tuple[str, ...]) -> _Layout:
    layout = _LAYOUTS.get(periods)
    if layout is None:
        parsed = [_PERIODS.get(p) or _period(p) for p in periods]
        layout = _laid([(y, m - 1) for y, m in parsed])
        if len(_LAYOUTS) < 256:
            _LAYOUTS[periods] = layout
    return layout


def _laid(places: list[tuple[int, int]]) -> _Layout:
    if not places:
        return _Layout(0, -1, np.empty(0, dtype=int))
    first, last = min(y for y, _ in places), max(y for y, _ in places)
    return _Layout(first, last, np.array([(y - first) * 12 + m for y, m in places], dtype=int))


def parse_histories(histories: Mapping[str, Mapping[str, float]], year: int) -> HistoryBlock:
    """Checks every key ("YYYY-MM") and value (a finite number) of every series, naming the
    period at fault, and lays them out over the years they span and ``year``. The usual case
    (float values over a list of periods already seen) is checked per list of periods, not per
    series or month: the series that share one are checked and laid out together."""
    series = list(histories.values())
    shared: dict[int, tuple[_Layout, list[int]]] = {}
    slow: list[int] = []  # the series whose periods or values need the month-by-month check
    for row, history in enumerate(series):
        periods = tuple(history)
        layout = _LAYOUTS.get(periods)
        if layout is None:
            try:
                layout = _layout(periods)
            except HistoryError:
                slow.append(row)  # the slow check names the period
                continue
        shared.setdefault(id(layout), (layout, []))[1].append(row)
    laid: list[tuple[_Layout, list[int], np.ndarray]] = []
    for layout, rows in shared.values():
        values = list(chain.from_iterable(series[row].values() for row in rows))
        if set(map(type, values)) != {float} and values:
            floats = [row for row in rows if set(map(type, series[row].values())) <= {float}]
            slow.extend(sorted(set(rows) - set(floats)))
            rows = floats
            values = list(chain.from_iterable(series[row].values() for row in rows))
        if rows:
            array = np.fromiter(values, dtype=float, count=len(values))  # (faster than np.array)
            laid.append((layout, rows, array.reshape(len(rows), len(layout.at))))
    for row in sorted(slow):  # in the order given, as a walk through them would fail
        layout, array = _slowly(series[row])
        laid.append((layout, [row], array))
    for _, rows, array in laid:
        for row in np.flatnonzero(~np.isfinite(array).all(axis=1)).tolist():
            _checked(series[rows[row]])  # raises, naming the period
    spans = [layout for layout, _, _ in laid if len(layout.at)]
    first = min([year, *(layout.first for layout in spans)])
    last = max([year, *(layout.last for layout in spans)])
    block = np.full((len(series), last - first + 1, 12), np.nan)
    flat = block.reshape(len(series), -1)
    for layout, rows, array in laid:
        flat[np.array(rows)[:, None], ((layout.first - first) * 12 + layout.at)[None, :]] = array
    return HistoryBlock(first, block)


def _slowly(history: Mapping[str, float]) -> tuple[_Layout, np.ndarray]:
    """A series with other values than floats (ints, numpy numbers): checked month by month."""
    rows = _checked(history)
    return _laid([(y, m) for y, m, _ in rows]), np.array([[v for _, _, v in rows]], dtype=float)
