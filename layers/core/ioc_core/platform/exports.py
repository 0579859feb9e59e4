"""Tables people open in Excel or LibreOffice: CSV and XLSX from one description, for every room.

A ``Sheet`` is headers and rows of plain values (text, numbers, times, booleans, None). Times
are written in Vietnam time. Text never becomes a formula: CSV cells that a spreadsheet would
evaluate (starting with = + - @, a tab or a carriage return) get a leading apostrophe, as OWASP
advises, and XLSX text is written as text, never parsed. CSV is UTF-8 with a byte-order mark
(without it Excel reads Vietnamese as Windows-1252) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from ioc_core.shared.clock import to_vn
from ioc_core.shared.text import nfc

Cell = str | int | float | bool | datetime | date | None
Format = Literal["csv", "xlsx"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TIME_TEXT = "%Y-%m-%d %H:%M"  # unambiguous in every locale's Excel (dd/mm is not)
_TIME_XLSX = "dd/mm/yyyy hh:mm"
_DATE_XLSX = "dd/mm/yyyy"
_MAX_WIDTH = 60
# Every workbook the IOC writes: text stays text (never a formula, a link or a number).
XLSX_OPTIONS: dict[str, bool] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class Sheet:
    title: str  # the XLSX sheet's name (at most 31 characters there)
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def defused(text: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Cell, yes: str, no: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, datetime):
        return to_vn(value).strftime(_TIME_TEXT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return defused(nfc(value))


def to_csv(sheet: Sheet, yes: str = "Có", no: str = "Không") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defused(nfc(h)) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_cell(v, yes, no) for v in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_xlsx(sheet: Sheet, yes: str = "Có", no: str = "Không") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    page = book.add_worksheet(sheet_name(sheet.title))
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    when = book.add_format({"num_format": _TIME_XLSX})
    day = book.add_format({"num_format": _DATE_XLSX})
    widths = [len(h) for h in sheet.headers]
    for col, header in enumerate(sheet.headers):
        page.write_string(0, col, nfc(header), bold)
    for r, row in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row):
            shown = _write(page, r, col, value, when, day, yes, no)
            widths[col] = max(widths[col], min(shown, _MAX_WIDTH))
    for col, width in enumerate(widths):
        page.set_column(col, col, width + 2)
    page.freeze_panes(1, 0)
    if sheet.headers:
        page.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)
    book.close()
    return buffer.getvalue()


def _write(page: Any, row: int, col: int, value: Cell, when: Any, day: Any, yes: str, no: str) -> int:
    """Writes one cell by its type; returns about how wide it shows."""
    if value is None:
        return 0
    if isinstance(value, bool):
        page.write_string(row, col, yes if value else no)
        return len(yes if value else no)
    if isinstance(value, datetime):  # Excel has no zones: the wall clock of Vietnam
        page.write_datetime(row, col, to_vn(value).replace(tzinfo=None), when)
        return len(_TIME_XLSX)
    if isinstance(value, date):
        page.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
        return len(_DATE_XLSX)
    if isinstance(value, int | float):
        page.write_number(row, col, value)
        return len(str(value))
    text = nfc(value)
    page.write_string(row, col, text)
    return len(text)


def sheet_name(title: str) -> str:
    """A title Excel accepts as a sheet's name: no []:*?/\\, at most 31 characters."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in nfc(title)).strip()
    return (cleaned or "Sheet1")[:31]


def render(sheet: Sheet, fmt: Format, yes: str = "Có", no: str = "Không") -> tuple[bytes, str]:
    """The file's bytes and its media type."""
    data = to_csv(sheet, yes, no) if fmt == "csv" else to_xlsx(sheet, yes, no)
    return data, MEDIA_TYPES[fmt]
