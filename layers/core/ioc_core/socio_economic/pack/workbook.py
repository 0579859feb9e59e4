"""The meeting pack's workbook: a summary sheet, a sheet per indicator group and the tasks.

Numbers are written as numbers with a number format (never as text), so a leader can sort,
filter and sum them; percentages are fractions under a "0.0 %" format. Text goes through the
exports' ``defused`` and the workbook runs with the exports' options, so no cell ever starts a
formula. Every sheet opens on a band naming the period and the cut-off, with its table's header
frozen under it and an autofilter on it. The bytes depend on the content only: the creation
date is the report's date and xlsxwriter stamps the zip members with a fixed time.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ioc_core.platform.exports import XLSX_OPTIONS, defused, sheet_name
from ioc_core.socio_economic.pack import labels
from ioc_core.socio_economic.pack.model import IndicatorGroup, IndicatorRow, PackContent, TaskRow

NUMBER = "#,##0.0"
POINTS = "#,##0.00"  # indicators measured in % keep the hundredths the statistics office prints
PERCENT = "0.0 %"
DAY = "dd/mm/yyyy"
_BAND_ROWS = 3  # issuer, title, period and cut-off: the table's header is the row after a gap
_HEADER_ROW = _BAND_ROWS + 1
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # text | number | percent | day | status
    width: int  # at least; widened to the longest cell up to _MAX_WIDTH


INDICATOR_COLUMNS = (
    Column("Mã chỉ tiêu", "text", 12),
    Column("Chỉ tiêu", "text", 30),
    Column("Đơn vị tính", "text", 10),
    Column("Thực hiện kỳ báo cáo", "value", 14),
    Column("Tình trạng số liệu", "text", 12),
    Column("Kỳ trước", "value", 12),
    Column("Cùng kỳ năm trước", "value", 12),
    Column("So với cùng kỳ (%)", "change", 11),
    Column("So với kế hoạch năm (%)", "percent", 11),
    Column("Mục tiêu năm", "text", 14),
    Column("Đánh giá", "status", 14),
    Column("Dự báo cả năm", "value", 12),
    Column("Dự báo thấp", "value", 12),
    Column("Dự báo cao", "value", 12),
    Column("Cần đạt mỗi tháng còn lại", "value", 14),
)
TASK_COLUMNS = (
    Column("STT", "number", 5),
    Column("Nhiệm vụ", "text", 40),
    Column("Đơn vị chủ trì", "text", 24),
    Column("Hạn hoàn thành", "day", 12),
    Column("Tiến độ hoàn thành (%)", "percent", 12),
    Column("Thời gian đã qua (%)", "percent", 12),
    Column("Nguy cơ chậm", "text", 10),
    Column("Dự kiến hoàn thành", "day", 12),
)
SUMMARY_COLUMNS = (
    Column("Mã nhóm", "text", 14),
    Column("Nhóm chỉ tiêu", "text", 34),
    Column("Số chỉ tiêu", "number", 10),
    *(Column(labels.TRAFFIC[t], "number", 10) for t in labels.TRAFFIC_ORDER),
)


def build_workbook(content: PackContent) -> bytes:
    import xlsxwriter  # only the pack's callers pay for the import

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    issued = datetime(content.issued.year, content.issued.month, content.issued.day)
    book.set_properties(
        {
            "title": f"{content.title} {content.subtitle}",
            "author": content.issuer.name,
            "company": content.issuer.name,
            "created": issued,
        }
    )
    styles = _Styles(book)
    names = _SheetNames()
    sheet = _sheet_class()
    _summary_sheet(book.add_worksheet(names.take("Tổng hợp"), sheet), content, styles)
    for group in content.groups:
        _group_sheet(book.add_worksheet(names.take(group.name_vi), sheet), content, group, styles)
    if content.tasks:
        _tasks_sheet(book.add_worksheet(names.take("Nhiệm vụ"), sheet), content, styles)
    book.close()
    return buffer.getvalue()


@functools.cache
def _sheet_class() -> type:
    """xlsxwriter's worksheet with its innermost loop shortened for the pack's cells.

    Every cell of the pack has a format, and xlsxwriter writes a formatted cell through a list
    of attributes, each escaped as XML (the format's index, an int, escapes through a caught
    TypeError): a sixth of the workbook's time. A number, date or shared string with a format
    is written here straight to the same bytes (a cell reference and an index never need
    escaping); anything else goes to xlsxwriter's own. ``add_worksheet``'s ``worksheet_class``
    is how xlsxwriter is meant to be extended; the pack's tests compare the bytes with the
    stock worksheet's."""
    from xlsxwriter.utility import xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple, Worksheet

    class PackSheet(Worksheet):
        def _write_cell(self, row: int, col: int, cell: Any) -> None:
            style, kind = cell.format, type(cell)
            if style is not None:
                if kind is CellNumberTuple or kind is CellDatetimeTuple:
                    at, index = xl_rowcol_to_cell_fast(row, col), style._get_xf_index()
                    self.fh.write(f'<c r="{at}" s="{index}"><v>{cell.number:.16G}</v></c>')
                    return
                if kind is CellStringTuple and not self.constant_memory:
                    at, index = xl_rowcol_to_cell_fast(row, col), style._get_xf_index()
                    self.fh.write(f'<c r="{at}" s="{index}" t="s"><v>{cell.string}</v></c>')
                    return
            super()._write_cell(row, col, cell)

    return PackSheet


class _Styles:
    """The workbook's formats, made once: xlsxwriter keeps one record per format object."""

    def __init__(self, book: Any) -> None:
        colour = _colours()
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        cell = {**base, "border": 1, "border_color": colour["#B7C3CF"]}
        self.title = book.add_format({**base, "bold": True, "font_size": 12})
        self.band = book.add_format({**base, "italic": True})
        self.band_day = book.add_format({**base, "italic": True, "num_format": DAY, "align": "left"})
        self.header = book.add_format(
            {**cell, "bold": True, "bg_color": colour["#E8EEF4"], "text_wrap": True, "align": "center"}
        )
        self.text = book.add_format({**cell, "text_wrap": True})
        self.code = book.add_format(cell)
        self.formats = {
            "number": book.add_format({**cell, "num_format": "#,##0"}),
            "value": book.add_format({**cell, "num_format": NUMBER}),
            "points": book.add_format({**cell, "num_format": POINTS}),
            "percent": book.add_format({**cell, "num_format": PERCENT}),
            "change": book.add_format({**cell, "num_format": "+0.0 %;-0.0 %;0.0 %"}),
            "day": book.add_format({**cell, "num_format": DAY}),
        }
        fills = {t: colour[labels.TRAFFIC_FILL[t]] for t in labels.TRAFFIC_ORDER}
        self.status = {t: book.add_format({**cell, "bg_color": fill}) for t, fill in fills.items()}
        self.paragraph = book.add_format({**base, "text_wrap": True})


@functools.cache
def _colours() -> dict[str, Any]:
    """The formats' colours parsed once per process: xlsxwriter takes its own Color objects as
    they are, where a hex string is parsed again for each format and each side of its border."""
    from xlsxwriter.color import Color

    hexes = ["#B7C3CF", "#E8EEF4", *labels.TRAFFIC_FILL.values()]
    return {value: Color(value) for value in hexes}


class _SheetNames:
    """Excel's rules for names, and no two alike (it compares them without case)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, title: str) -> str:
        name = sheet_name(title)
        n = 2
        while name.casefold() in self.taken:
            suffix = f" ({n})"
            name = sheet_name(title)[: 31 - len(suffix)] + suffix
            n += 1
        self.taken.add(name.casefold())
        return name


def _band(page: Any, content: PackContent, heading: str, styles: _Styles) -> None:
    page.write_string(0, 0, defused(content.issuer.name), styles.title)
    page.write_string(1, 0, defused(heading), styles.title)
    page.write_string(2, 0, "Kỳ báo cáo:", styles.band)
    page.write_string(2, 1, content.period, styles.band)
    page.write_string(2, 2, "Số liệu đến ngày:", styles.band)
    page.write_datetime(2, 3, _midnight(content.cutoff), styles.band_day)
    page.write_string(2, 4, "Ngày lập:", styles.band)
    page.write_datetime(2, 5, _midnight(content.issued), styles.band_day)


def _table(
    page: Any,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    styles: _Styles,
    cell_styles: Mapping[tuple[int, int], Any] | None = None,
) -> None:
    """Header, rows, widths, frozen header and autofilter; ``rows`` hold plain values and
    ``cell_styles[row index, column]`` may give a cell a format other than its column's.

    One loop over the cells with the writers and formats looked up beforehand: about a thousand
    cells a pack, so a call or lookup less per cell is a tenth of the workbook's own time. The
    writers are xlsxwriter's undecorated ones (its public ones first try the row as "A1"
    notation, in a wrapper per call)."""
    for col, column in enumerate(columns):
        page.write_string(_HEADER_ROW, col, column.header, styles.header)
    overrides = cell_styles or {}
    number_formats = [styles.formats.get(column.kind) for column in columns]
    day = styles.formats["day"]
    text, code = styles.text, styles.code
    write_string, write_number, write_datetime = page._write_string, page._write_number, page._write_datetime
    widths = [column.width for column in columns]
    for r, row in enumerate(rows):
        at = _HEADER_ROW + 1 + r
        if len(row) != len(columns):
            raise ValueError(f"row {r} has {len(row)} cells for {len(columns)} columns")
        for col, value in enumerate(row):
            if value is None:  # no figure: an empty cell, which sums and filters as one
                continue
            if isinstance(value, str):
                shown = defused(value)
                style = overrides.get((r, col)) or (text if len(shown) > 14 else code)
                write_string(at, col, shown, style)
                width = len(shown)
            elif isinstance(value, date):
                write_datetime(at, col, _midnight(value), day)
                width = len(DAY)
            else:
                write_number(at, col, value, overrides.get((r, col)) or number_formats[col])
                width = 10
            if width > widths[col]:
                widths[col] = min(width, _MAX_WIDTH)
    for col, width in enumerate(widths):
        page.set_column(col, col, width + 1)
    page.set_row(_HEADER_ROW, 30)
    page.freeze_panes(_HEADER_ROW + 1, 0)
    page.autofilter(_HEADER_ROW, 0, _HEADER_ROW + max(len(rows), 1), len(columns) - 1)


def _group_sheet(page: Any, content: PackContent, group: IndicatorGroup, styles: _Styles) -> None:
    _band(page, content, f"{group.name_vi} ({group.name_en})", styles)
    rows = [_indicator_cells(row) for row in group.rows]
    status = next(col for col, c in enumerate(INDICATOR_COLUMNS) if c.kind == "status")
    values = [col for col, c in enumerate(INDICATOR_COLUMNS) if c.kind == "value"]
    styles_of: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(group.rows):
        styles_of[r, status] = styles.status[row.traffic]
        if row.unit == "%":
            styles_of.update({(r, col): styles.formats["points"] for col in values})
    _table(page, INDICATOR_COLUMNS, rows, styles, styles_of)


def _indicator_cells(row: IndicatorRow) -> list[Any]:
    return [
        row.code,
        row.name_vi,
        row.unit,
        row.value,
        labels.VALUE_STATUS[row.value_status],
        row.previous,
        row.last_year,
        _fraction(row.yoy_pct),
        _fraction(row.plan_pct),
        row.target,
        labels.TRAFFIC[row.traffic],
        row.forecast,
        row.forecast_low,
        row.forecast_high,
        row.needed_per_month,
    ]


def _tasks_sheet(page: Any, content: PackContent, styles: _Styles) -> None:
    _band(page, content, "Tiến độ thực hiện nhiệm vụ", styles)
    _table(page, TASK_COLUMNS, [_task_cells(n, task) for n, task in enumerate(content.tasks, 1)], styles)


def _task_cells(n: int, task: TaskRow) -> list[Any]:
    return [
        n,
        task.task,
        task.owner_unit,
        task.deadline,
        _fraction(task.done_pct),
        _fraction(task.elapsed_pct),
        "Có" if task.at_risk else "Không",
        task.projected_finish,
    ]


def _summary_sheet(page: Any, content: PackContent, styles: _Styles) -> None:
    _band(page, content, f"{content.title} {content.subtitle}", styles)
    rows: list[list[Any]] = []
    for group in content.groups:
        counts = [sum(r.traffic == t for r in group.rows) for t in labels.TRAFFIC_ORDER]
        rows.append([group.code, group.name_vi, len(group.rows), *counts])
    # A total written as numbers: a formula here would be the one cell that is not a figure.
    rows.append(["", "Tổng cộng", *(sum(row[c] for row in rows) for c in range(2, len(SUMMARY_COLUMNS)))])
    _table(page, SUMMARY_COLUMNS, rows, styles)
    at = _HEADER_ROW + len(rows) + 2
    if content.summary:
        page.write_string(at, 0, "Nhận định chung", styles.title)
    for n, paragraph in enumerate(content.summary, start=at + 1):
        page.merge_range(n, 0, n, len(SUMMARY_COLUMNS) - 1, defused(paragraph), styles.paragraph)
        page.set_row(n, 15 * (1 + len(paragraph) // 110))


def _fraction(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
