"""The PDF's tables: one per indicator group and the tasks, as a statistics office prints them.

Cells are plain strings wrapped ahead (``Fonts.lines``) rather than Paragraphs, drawn by a
small grid flowable of our own: a table of 60 indicators is most of the pack's PDF.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ioc_core.socio_economic.pack import labels
from ioc_core.socio_economic.pack.fonts import Fonts
from ioc_core.socio_economic.pack.model import IndicatorGroup, IndicatorRow, PackContent, TaskRow
from ioc_core.socio_economic.pack.numbers import DASH, FIGURES, decimals_for, vn_number, vn_percent
from ioc_core.socio_economic.pack.pdftext import TextBlock

FONT_SIZE = 7.0
HEADER_FILL = colors.HexColor("#E8EEF4")
RULE = colors.HexColor("#7F8C99")
_PAD = 2.0
_LEADING = FONT_SIZE * 1.25
_DESCENT = FONT_SIZE * 0.3  # baseline above the line box's bottom
# A value's status beside it; the note under the section heading explains the marks.
STATUS_MARK = {"estimate": "*", "preliminary": "**", "official": ""}
STATUS_NOTE = "Ghi chú: (*) số ước tính; (**) số sơ bộ; số không đánh dấu là số chính thức."
INDICATOR_HEADERS = (
    "Chỉ tiêu",
    "Đơn vị tính",
    "Thực hiện",
    "Cùng kỳ năm trước",
    "So cùng kỳ",
    "So kế hoạch năm",
    "Mục tiêu năm",
    "Dự báo cả năm",
    "Đánh giá",
)
INDICATOR_WIDTHS_MM = (39, 14, 17, 16, 13, 12, 18, 23, 13)  # 165 mm: A4 less Decree 30's margins
TASK_HEADERS = (
    "STT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Hạn hoàn thành",
    "Đã hoàn thành",
    "Thời gian đã qua",
    "Dự kiến hoàn thành",
    "Đánh giá",
)
TASK_WIDTHS_MM = (9, 50, 32, 17, 14, 14, 17, 12)
ON_TIME, LATE = "Đúng tiến độ", "Chậm tiến độ"
NEEDED = "cần {}/tháng"  # under the year's forecast: what each remaining month must bring
_RIGHT_INDICATOR = (2, 3, 4, 5, 7)
Cell = tuple[tuple[str, ...], tuple[float, ...]]  # a cell's lines and their widths
_RIGHT_TASK = (4, 5)


def indicator_table(group: IndicatorGroup, fonts: Fonts) -> Grid:
    rows = [_indicator_cells(row) for row in group.rows]
    fills = {
        (r, 8): labels.TRAFFIC_FILL[row.traffic]
        for r, row in enumerate(group.rows)
        if row.traffic != "no_target"
    }
    return _table(INDICATOR_HEADERS, rows, INDICATOR_WIDTHS_MM, _RIGHT_INDICATOR, fills, fonts)


def _indicator_cells(row: IndicatorRow) -> list[str]:
    decimals = decimals_for(row.unit)
    forecast = vn_number(row.forecast, decimals)
    if row.needed_per_month is not None:
        forecast += "\n" + NEEDED.format(vn_number(row.needed_per_month, decimals))
    return [
        row.name_vi,
        row.unit,
        vn_number(row.value, decimals) + STATUS_MARK[row.value_status],
        vn_number(row.last_year, decimals),
        vn_percent(row.yoy_pct, signed=True),
        vn_percent(row.plan_pct),
        row.target or DASH,
        forecast,
        labels.TRAFFIC[row.traffic] if row.traffic != "no_target" else DASH,
    ]


def task_table(tasks: Sequence[TaskRow], fonts: Fonts) -> Grid:
    ordered = sorted(tasks, key=lambda t: not t.at_risk)  # at-risk first, as on the task board
    rows = [
        [
            str(n),
            t.task,
            t.owner_unit,
            t.deadline.strftime("%d/%m/%Y"),
            vn_percent(t.done_pct, 0),
            vn_percent(t.elapsed_pct, 0),
            t.projected_finish.strftime("%d/%m/%Y") if t.projected_finish else DASH,
            LATE if t.at_risk else ON_TIME,
        ]
        for n, t in enumerate(ordered, start=1)
    ]
    late = labels.TRAFFIC_FILL["off_track"]
    fills = {(r, 7): late for r, t in enumerate(ordered) if t.at_risk}
    return _table(TASK_HEADERS, rows, TASK_WIDTHS_MM, _RIGHT_TASK, fills, fonts)


def letters(content: PackContent, fonts: Fonts) -> dict[str, str]:
    """The text the tables may draw, by font (see ``document.give_codes``)."""
    body = [FIGURES, *STATUS_MARK.values(), "/", NEEDED.format(""), ON_TIME, LATE]  # "/" for the dates
    body += labels.TRAFFIC.values()
    for group in content.groups:
        body += [f"{row.name_vi}{row.unit}{row.target or ''}" for row in group.rows]
    body += [f"{t.task}{t.owner_unit}" for t in content.tasks]
    return {fonts.bold: "".join(INDICATOR_HEADERS + TASK_HEADERS), fonts.regular: "".join(body)}


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
    right: Sequence[int],
    fills: dict[tuple[int, int], str],
    fonts: Fonts,
) -> Grid:
    widths = [w * mm for w in widths_mm]
    head = _wrapped(headers, widths, fonts.bold, fonts)
    body = [_wrapped(row, widths, fonts.regular, fonts) for row in rows]
    return Grid(head, body, widths, frozenset(right), fills, fonts)


def _wrapped(row: Sequence[str], widths: Sequence[float], font: str, fonts: Fonts) -> list[Cell]:
    """Each cell's lines, fitted to its column, with their widths."""
    return [_fitted(text, width - 2 * _PAD, font, fonts) for text, width in zip(row, widths, strict=True)]


@functools.lru_cache(maxsize=4096)
def _fitted(text: str, room: float, font: str, fonts: Fonts) -> Cell:
    """Most cells fit as they are, so measure first; and a pack's names, units, targets and
    headers are last month's, so each is fitted once per process."""
    lines: list[str] = []
    wide: list[float] = []
    for part in fonts.printable(text).split("\n"):
        part_width = fonts.width(part, font, FONT_SIZE)
        if part_width <= room:
            lines.append(part)
            wide.append(part_width)
        else:
            broken = fonts.lines(part, font, FONT_SIZE, room) or [""]
            lines += broken
            wide += [fonts.width(line, font, FONT_SIZE) for line in broken]
    return tuple(lines), tuple(wide)


class Grid(Flowable):
    """A ruled table of pre-wrapped text: its header repeats on every page it runs onto.

    Drawn as one text block (see ``pdftext``), its rules as one path: reportlab's Table draws
    each cell on its own (a saved state and a text object per cell), which made it most of the
    pack's time."""

    def __init__(
        self,
        head: list[Cell],
        body: list[list[Cell]],
        widths: list[float],
        right: frozenset[int],
        fills: dict[tuple[int, int], str],
        fonts: Fonts,
    ) -> None:
        super().__init__()
        self.head, self.body, self.widths, self.right, self.fills, self.fonts = (
            head,
            body,
            widths,
            right,
            fills,
            fonts,
        )
        self.heights = [_height(head)] + [_height(row) for row in body]
        self.width, self.height = sum(widths), sum(self.heights)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used, fit = self.heights[0], 0
        while fit < len(self.body) and used + self.heights[fit + 1] <= availHeight:
            used += self.heights[fit + 1]
            fit += 1
        if fit == 0:
            return []  # not even one row under the header: the next page
        now = {(r, c): colour for (r, c), colour in self.fills.items() if r < fit}
        later = {(r - fit, c): colour for (r, c), colour in self.fills.items() if r >= fit}
        return [
            Grid(self.head, self.body[:fit], self.widths, self.right, now, self.fonts),
            Grid(self.head, self.body[fit:], self.widths, self.right, later, self.fonts),
        ]

    def draw(self) -> None:
        canvas = self.canv
        tops = [self.height]
        for h in self.heights:
            tops.append(tops[-1] - h)
        lefts = [0.0]
        for w in self.widths:
            lefts.append(lefts[-1] + w)
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, tops[1], self.width, self.heights[0], stroke=0, fill=1)
        for (r, c), colour in self.fills.items():
            canvas.setFillColor(_colour(colour))
            canvas.rect(lefts[c], tops[r + 2], self.widths[c], self.heights[r + 1], stroke=0, fill=1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        rules = [(0, y, self.width, y) for y in tops] + [(x, 0, x, self.height) for x in lefts]
        canvas.lines(rules)
        canvas.setFillColor(colors.black)
        text = TextBlock(canvas)
        # The header centred in its cells; the body at the left, figures at the right.
        centred = [lambda w, c=c: lefts[c] + (self.widths[c] - w) / 2 for c in range(len(self.widths))]
        body = [
            (lambda w, c=c: lefts[c + 1] - _PAD - w) if c in self.right else (lambda w, c=c: lefts[c] + _PAD)
            for c in range(len(self.widths))
        ]
        for font, rows, at, place in (
            (self.fonts.bold, [self.head], 0, centred),
            (self.fonts.regular, self.body, 1, body),
        ):
            points: list[tuple[float, float]] = []
            lines: list[str] = []
            for r, row in enumerate(rows, start=at):
                count = max(len(cell[0]) for cell in row)
                # Vertically centred, as the statistics office's tables are.
                middle = tops[r] - self.heights[r] / 2 + (count * _LEADING) / 2
                for (cell, wide), x_of in zip(row, place, strict=True):
                    y = middle - (count - len(cell)) * _LEADING / 2 - _LEADING + _DESCENT
                    for w in wide:
                        points.append((x_of(w), y))
                        y -= _LEADING
                    lines += cell
            text.set_font(font, FONT_SIZE, _LEADING)
            text.lines(points, lines)
        text.draw()


@functools.cache
def _colour(hex_colour: str) -> colors.Color:
    return colors.HexColor(hex_colour)


def _height(row: list[Cell]) -> float:
    return max(len(cell[0]) for cell in row) * _LEADING + 2 * _PAD
