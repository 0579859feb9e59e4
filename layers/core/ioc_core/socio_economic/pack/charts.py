"""The pack's key charts with reportlab.graphics shapes: the period's bars or line against last
year's, the target band shaded behind them and the forecast band ahead of the known months.

Drawn from plain shapes rather than reportlab's chart classes: a handful of rectangles and lines
per chart is all a printed report needs, and it keeps the PDF quick to build.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ioc_core.socio_economic.pack.fonts import Fonts
from ioc_core.socio_economic.pack.model import ChartSpec
from ioc_core.socio_economic.pack.numbers import vn_number

SERIES_COLOURS = (colors.HexColor("#1F4E79"), colors.HexColor("#A6A6A6"), colors.HexColor("#C55A11"))
TARGET_FILL = colors.HexColor("#D9F2D9")
FORECAST_FILL = colors.HexColor("#DDEBF7")
GRID = colors.HexColor("#D9D9D9")
_LEFT, _BOTTOM, _TOP = 38.0, 34.0, 20.0  # room for the value labels, x labels + legend, title
_FONT = 6.5
XAt = Callable[[int], float]  # a category's centre
YAt = Callable[[float], float]  # a value's height


def chart_drawing(spec: ChartSpec, fonts: Fonts, width: float, height: float = 165.0) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular  # the renderer would start in Helvetica
    plot_w, plot_h = width - _LEFT - 6, height - _BOTTOM - _TOP
    top = _axis_top(spec)
    step = _nice_step(top / 5)
    top = step * math.ceil(top / step)

    def y(value: float) -> float:
        return _BOTTOM + plot_h * max(0.0, min(value, top)) / top

    n = len(spec.x_labels)
    slot = plot_w / n

    def x(i: int) -> float:  # the centre of category i
        return _LEFT + slot * (i + 0.5)

    title = fonts.printable(spec.title)
    drawing.add(String(0, height - 11, title, fontName=fonts.bold, fontSize=8))
    if spec.target_band is not None:  # behind everything else
        low, high = y(spec.target_band.low), y(spec.target_band.high)
        drawing.add(Rect(_LEFT, low, plot_w, max(high - low, 0.8), fillColor=TARGET_FILL, strokeColor=None))
    if spec.forecast_band is not None:
        points = _band_points(spec.forecast_band.low, spec.forecast_band.high, x, y)
        if points:
            drawing.add(Polygon(points, fillColor=FORECAST_FILL, strokeColor=None))
    value = 0.0
    while value <= top + step / 2:  # grid and value labels
        drawing.add(Line(_LEFT, y(value), _LEFT + plot_w, y(value), strokeColor=GRID, strokeWidth=0.4))
        label = vn_number(value, 0)
        drawing.add(
            String(_LEFT - 3, y(value) - 2, label, fontName=fonts.regular, fontSize=_FONT, textAnchor="end")
        )
        value += step
    if spec.kind == "bar":
        _bars(drawing, spec, x, y, slot)
    else:
        _lines(drawing, spec, x, y)
    for i, label in enumerate(spec.x_labels):
        drawing.add(
            String(
                x(i),
                _BOTTOM - 9,
                fonts.printable(label),
                fontName=fonts.regular,
                fontSize=_FONT,
                textAnchor="middle",
            )
        )
    _legend(drawing, spec, fonts)
    return drawing


def _axis_top(spec: ChartSpec) -> float:
    values = [v for s in spec.series for v in s.values if v is not None]
    if spec.target_band is not None:
        values.append(spec.target_band.high)
    if spec.forecast_band is not None:
        values.extend(v for v in spec.forecast_band.high if v is not None)
    return max([*values, 1e-9]) * 1.05


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten: grid labels people read at a glance."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _band_points(lows: Sequence[float | None], highs: Sequence[float | None], x: XAt, y: YAt) -> list[float]:
    known = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(lows, highs, strict=True))
        if lo is not None and hi is not None
    ]
    if len(known) < 2:
        return []
    upper = [c for i, _, hi in known for c in (x(i), y(hi))]
    lower = [c for i, lo, _ in reversed(known) for c in (x(i), y(lo))]
    return upper + lower


def _bars(drawing: Drawing, spec: ChartSpec, x: XAt, y: YAt, slot: float) -> None:
    count = len(spec.series)
    bar = slot * 0.8 / count
    for k, series in enumerate(spec.series):
        colour = SERIES_COLOURS[k]
        for i, value in enumerate(series.values):
            if value is None:
                continue
            left = x(i) - slot * 0.4 + k * bar
            base = y(0.0)
            drawing.add(Rect(left, base, bar * 0.92, y(value) - base, fillColor=colour, strokeColor=None))


def _lines(drawing: Drawing, spec: ChartSpec, x: XAt, y: YAt) -> None:
    for k, series in enumerate(spec.series):
        colour = SERIES_COLOURS[k]
        run: list[float] = []
        for i, value in enumerate([*series.values, None]):  # a None ends a run of points
            if value is not None:
                run += [x(i), y(value)]
                continue
            if len(run) >= 4:
                drawing.add(PolyLine(run, strokeColor=colour, strokeWidth=1.4))
            run = []


def _legend(drawing: Drawing, spec: ChartSpec, fonts: Fonts) -> None:
    entries = [(fonts.printable(s.name), SERIES_COLOURS[k]) for k, s in enumerate(spec.series)]
    if spec.target_band is not None:
        low, high = vn_number(spec.target_band.low, 0), vn_number(spec.target_band.high, 0)
        entries.append((f"Mục tiêu {low}–{high}", TARGET_FILL))
    if spec.forecast_band is not None:
        entries.append(("Khoảng dự báo", FORECAST_FILL))
    widths = [16 + stringWidth(label, fonts.regular, _FONT) for label, _ in entries]
    size = _FONT * min(1.0, drawing.width / sum(widths))  # one row, shrunk to the chart's width
    at = 0.0
    for (label, colour), width in zip(entries, widths, strict=True):
        drawing.add(Rect(at, 4, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(at + 10, 5, label, fontName=fonts.regular, fontSize=size))
        at += width * size / _FONT
