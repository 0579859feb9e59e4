"""The pack's key charts: the period's bars or line against last year's, the target band shaded
behind them and the forecast band ahead of the known months.

Drawn straight on the page's canvas, two charts a row, as one flowable: a handful of rectangles
and lines per chart is all a printed report needs. reportlab.graphics' shapes validate every
attribute and its renderer saves and restores the state around each one, which made the two
charts about a sixth of the PDF's time; here their text is one text block per chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ioc_core.socio_economic.pack.fonts import Fonts
from ioc_core.socio_economic.pack.model import ChartSpec
from ioc_core.socio_economic.pack.numbers import FIGURES, vn_number
from ioc_core.socio_economic.pack.pdftext import TextBlock

SERIES_COLOURS = (colors.HexColor("#1F4E79"), colors.HexColor("#A6A6A6"), colors.HexColor("#C55A11"))
TARGET_FILL = colors.HexColor("#D9F2D9")
FORECAST_FILL = colors.HexColor("#DDEBF7")
GRID = colors.HexColor("#D9D9D9")
TARGET_LEGEND, FORECAST_LEGEND = "Mục tiêu {}–{}", "Khoảng dự báo"
HEIGHT = 165.0
_GUTTER = 6.0  # between the two charts of a row
_PAD = 3.0  # above and below a row
_LEFT, _BOTTOM, _TOP = 38.0, 34.0, 20.0  # room for the value labels, x labels + legend, title
_FONT = 6.5
XAt = Callable[[int], float]  # a category's centre
YAt = Callable[[float], float]  # a value's height


class ChartRow(Flowable):
    """Up to two charts side by side, each in half the frame's width."""

    def __init__(self, specs: Sequence[ChartSpec], fonts: Fonts, width: float) -> None:
        super().__init__()
        self.specs, self.fonts = list(specs), fonts
        self.width, self.height = width, HEIGHT + 2 * _PAD

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        half = self.width / 2
        for i, spec in enumerate(self.specs):
            self.canv.saveState()
            self.canv.translate(i * half, _PAD)
            _Chart(self.canv, spec, self.fonts, half - _GUTTER).draw()
            self.canv.restoreState()


def chart_rows(specs: Sequence[ChartSpec], fonts: Fonts, width: float) -> list[ChartRow]:
    return [ChartRow(specs[i : i + 2], fonts, width) for i in range(0, len(specs), 2)]


class _Chart:
    """One chart drawn at the canvas' origin: shapes as they come, text gathered in one object."""

    def __init__(self, canvas: Any, spec: ChartSpec, fonts: Fonts, width: float) -> None:
        self.canvas, self.spec, self.fonts, self.width = canvas, spec, fonts, width
        self.text = TextBlock(canvas)
        self.font: tuple[str, float] | None = None

    def draw(self) -> None:
        spec, fonts, canvas = self.spec, self.fonts, self.canvas
        plot_w, plot_h = self.width - _LEFT - 6, HEIGHT - _BOTTOM - _TOP
        top = _axis_top(spec)
        step = _nice_step(top / 5)
        top = step * math.ceil(top / step)

        def y(value: float) -> float:
            return _BOTTOM + plot_h * max(0.0, min(value, top)) / top

        slot = plot_w / len(spec.x_labels)

        def x(i: int) -> float:  # the centre of category i
            return _LEFT + slot * (i + 0.5)

        self.string(0, HEIGHT - 11, fonts.printable(spec.title), fonts.bold, 8)
        if spec.target_band is not None:  # behind everything else
            low, high = y(spec.target_band.low), y(spec.target_band.high)
            self.box(_LEFT, low, plot_w, max(high - low, 0.8), TARGET_FILL)
        if spec.forecast_band is not None:
            points = _band_points(spec.forecast_band.low, spec.forecast_band.high, x, y)
            if points:
                canvas.setFillColor(FORECAST_FILL)
                path = canvas.beginPath()
                path.moveTo(*points[0])
                for point in points[1:]:
                    path.lineTo(*point)
                path.close()
                canvas.drawPath(path, stroke=0, fill=1)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        value, grid = 0.0, []
        while value <= top + step / 2:  # grid and value labels
            grid.append((_LEFT, y(value), _LEFT + plot_w, y(value)))
            self.string(_LEFT - 3, y(value) - 2, vn_number(value, 0), fonts.regular, _FONT, anchor="end")
            value += step
        canvas.lines(grid)
        if spec.kind == "bar":
            self.bars(x, y, slot)
        else:
            self.polylines(x, y)
        for i, label in enumerate(spec.x_labels):
            self.string(x(i), _BOTTOM - 9, fonts.printable(label), fonts.regular, _FONT, anchor="middle")
        self.legend()
        canvas.setFillColor(colors.black)
        self.text.draw()

    def box(self, x: float, y: float, w: float, h: float, colour: Any) -> None:
        self.canvas.setFillColor(colour)
        self.canvas.rect(x, y, w, h, stroke=0, fill=1)

    def string(self, x: float, y: float, text: str, font: str, size: float, anchor: str = "start") -> None:
        if anchor != "start":
            width = self.fonts.width(text, font, size)
            x -= width if anchor == "end" else width / 2
        if self.font != (font, size):
            self.text.set_font(font, size, size * 1.2)
            self.font = (font, size)
        self.text.line(x, y, text)

    def bars(self, x: XAt, y: YAt, slot: float) -> None:
        bar = slot * 0.8 / len(self.spec.series)
        base = y(0.0)
        for k, series in enumerate(self.spec.series):
            self.canvas.setFillColor(SERIES_COLOURS[k])
            for i, value in enumerate(series.values):
                if value is not None:
                    left = x(i) - slot * 0.4 + k * bar
                    self.canvas.rect(left, base, bar * 0.92, y(value) - base, stroke=0, fill=1)

    def polylines(self, x: XAt, y: YAt) -> None:
        self.canvas.setLineWidth(1.4)
        for k, series in enumerate(self.spec.series):
            self.canvas.setStrokeColor(SERIES_COLOURS[k])
            run: list[tuple[float, float]] = []
            for i, value in enumerate([*series.values, None]):  # a None ends a run of points
                if value is not None:
                    run.append((x(i), y(value)))
                    continue
                if len(run) >= 2:
                    path = self.canvas.beginPath()
                    path.moveTo(*run[0])
                    for point in run[1:]:
                        path.lineTo(*point)
                    self.canvas.drawPath(path, stroke=1, fill=0)
                run = []

    def legend(self) -> None:
        spec, fonts = self.spec, self.fonts
        entries = [(fonts.printable(s.name), SERIES_COLOURS[k]) for k, s in enumerate(spec.series)]
        if spec.target_band is not None:
            low, high = vn_number(spec.target_band.low, 0), vn_number(spec.target_band.high, 0)
            entries.append((TARGET_LEGEND.format(low, high), TARGET_FILL))
        if spec.forecast_band is not None:
            entries.append((FORECAST_LEGEND, FORECAST_FILL))
        widths = [16 + fonts.width(label, fonts.regular, _FONT) for label, _ in entries]
        size = _FONT * min(1.0, self.width / sum(widths))  # one row, shrunk to the chart's width
        at = 0.0
        for (label, colour), width in zip(entries, widths, strict=True):
            self.box(at, 4, 7, 7, colour)
            self.string(at + 10, 5, label, fonts.regular, size)
            at += width * size / _FONT


def letters(specs: Sequence[ChartSpec], fonts: Fonts) -> dict[str, str]:
    """The text the charts may draw, by font (see ``document.give_codes``)."""
    labels = [FIGURES, TARGET_LEGEND.format("", ""), FORECAST_LEGEND]
    for spec in specs:
        labels += [*spec.x_labels, *(s.name for s in spec.series)]
    return {fonts.bold: "".join(spec.title for spec in specs), fonts.regular: "".join(labels)}


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


def _band_points(
    lows: Sequence[float | None], highs: Sequence[float | None], x: XAt, y: YAt
) -> list[tuple[float, float]]:
    known = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(lows, highs, strict=True))
        if lo is not None and hi is not None
    ]
    if len(known) < 2:
        return []
    upper = [(x(i), y(hi)) for i, _, hi in known]
    lower = [(x(i), y(lo)) for i, lo, _ in reversed(known)]
    return upper + lower
