"""CSV and XLSX exports read back by independent readers (the csv module, openpyxl): Vietnamese
intact, times in Vietnam time, and no text a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, date, datetime

import pytest

from ioc_core.platform.exports import Sheet, defused, render, to_csv, to_xlsx

pytestmark = pytest.mark.unit

AT = datetime(2026, 12, 1, 7, 3, tzinfo=UTC)  # 14:03 in Phan Thiet
NASTY = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
SHEET = Sheet(
    title="Phản ánh: tháng 12/2026",
    headers=["Mã", "Thời điểm", "Nội dung", "Quá hạn", "Số ảnh", "Ngày"],
    rows=[
        ["PT-1", AT, unicodedata.normalize("NFD", "Đường hỏng"), True, 2, date(2026, 12, 1)],
        *[[f"PT-{n}", None, text, False, 0, None] for n, text in enumerate(NASTY, start=2)],
    ],
)


def test_csv_opens_in_excel_as_utf8_with_crlf_and_vietnam_time() -> None:
    data = to_csv(SHEET)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    assert b"\r\n" in data and data.count(b"\r\n") == len(SHEET.rows) + 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Mã", "Thời điểm", "Nội dung", "Quá hạn", "Số ảnh", "Ngày"]
    assert rows[1] == ["PT-1", "2026-12-01 14:03", "Đường hỏng", "Có", "2", "2026-12-01"]
    assert unicodedata.is_normalized("NFC", rows[1][2])


def test_no_csv_cell_starts_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(SHEET).decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert [row[2] for row in rows[2:]] == ["'" + text for text in NASTY]
    assert defused("Đèn -tắt") == "Đèn -tắt" and defused("-") == "'-"


def test_xlsx_reads_back_with_real_times_and_text_never_a_formula() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(SHEET)))
    (page,) = book.worksheets
    assert page.title == "Phản ánh  tháng 12 2026"  # ':' and '/' may not name a sheet
    assert [c.value for c in page[1]] == SHEET.headers
    first = [c.value for c in page[2]]
    assert first[:5] == ["PT-1", datetime(2026, 12, 1, 14, 3), "Đường hỏng", "Có", 2]
    assert first[5] == datetime(2026, 12, 1)
    assert page["B2"].number_format == "dd/mm/yyyy hh:mm"
    texts = [page.cell(row=r, column=3) for r in range(3, 3 + len(NASTY))]
    # Kept as typed (a carriage return travels as OOXML's _x000D_ escape, which Excel reads) ...
    assert [c.value for c in texts][:-1] == NASTY[:-1]
    assert all(c.data_type == "s" for c in texts)  # ... as text: no cell holds a formula
    assert page.freeze_panes == "A2" and page.auto_filter.ref == "A1:F8"


def test_render_names_the_media_type_and_an_empty_sheet_is_still_a_file() -> None:
    from openpyxl import load_workbook

    empty = Sheet("Reports", ["Id"], [])
    data, media = render(empty, "xlsx", "Yes", "No")
    assert media == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert [c.value for c in load_workbook(io.BytesIO(data)).active[1]] == ["Id"]  # type: ignore[index]
    data, media = render(empty, "csv")
    assert media == "text/csv; charset=utf-8" and data == b"\xef\xbb\xbfId\r\n"
