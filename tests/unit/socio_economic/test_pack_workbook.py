"""The meeting pack's workbook read back by an independent reader (openpyxl): numbers are numbers
with their formats, headers are Vietnamese and frozen under the period's band, and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pack_example import FORMULA, example_content, example_data

from ioc_core.socio_economic.pack.model import PackContent
from ioc_core.socio_economic.pack.workbook import (
    INDICATOR_COLUMNS,
    NUMBER,
    PERCENT,
    POINTS,
    TASK_COLUMNS,
    build_workbook,
)

pytestmark = pytest.mark.unit
HEADER = 5  # the band is rows 1-3, a gap, then the table's header
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def content() -> PackContent:
    return example_content()


@pytest.fixture(scope="module")
def book(content: PackContent) -> object:
    return load_workbook(io.BytesIO(build_workbook(content)))


def _column(name: str) -> int:
    return next(i for i, c in enumerate(INDICATOR_COLUMNS, start=1) if c.header == name)


def test_a_summary_sheet_a_sheet_per_group_and_the_tasks(book: object, content: PackContent) -> None:
    names = book.sheetnames  # type: ignore[attr-defined]
    assert names[0] == "Tổng hợp" and names[-1] == "Nhiệm vụ"
    assert names[1:-1] == [g.name_vi[:31] for g in content.groups]
    assert "Cải cách hành chính, quốc phòng" in names  # 41 letters cut to Excel's 31


def test_indicator_cells_are_numbers_with_number_formats(book: object, content: PackContent) -> None:
    page: Worksheet = book["Thu chi ngân sách và đầu tư"]  # type: ignore[index]
    revenue = content.groups[1].rows[0]
    row = HEADER + 1
    assert page.cell(row, 1).value == "budget_revenue"
    value = page.cell(row, _column("Thực hiện kỳ báo cáo"))
    assert value.data_type == "n" and value.value == revenue.value == 10851.0
    assert value.number_format == NUMBER
    yoy = page.cell(row, _column("So với cùng kỳ (%)"))
    assert yoy.data_type == "n" and yoy.value == pytest.approx(revenue.yoy_pct / 100)  # type: ignore[operator]
    assert "0.0 %" in yoy.number_format
    plan = page.cell(row, _column("So với kế hoạch năm (%)"))
    assert plan.value == pytest.approx(revenue.plan_pct / 100) and plan.number_format == PERCENT  # type: ignore[operator]
    assert page.cell(row, _column("Tình trạng số liệu")).value in {"Ước tính", "Sơ bộ", "Chính thức"}
    # An indicator measured in % keeps its hundredths.
    growth: Worksheet = book["Tăng trưởng kinh tế"]  # type: ignore[index]
    cell = growth.cell(HEADER + 1, _column("Thực hiện kỳ báo cáo"))
    assert cell.value == 7.25 and cell.number_format == POINTS
    # No figure is an empty cell, not a dash that would break a sum.
    assert growth.cell(HEADER + 2, _column("So với kế hoạch năm (%)")).value is None


def test_vietnamese_headers_frozen_under_the_period_band_with_a_filter(
    book: object, content: PackContent
) -> None:
    for name in book.sheetnames[1:-1]:  # type: ignore[attr-defined]
        page: Worksheet = book[name]  # type: ignore[index]
        assert [c.value for c in page[HEADER]] == [c.header for c in INDICATOR_COLUMNS]
        assert page.freeze_panes == f"A{HEADER + 1}"
        assert page.auto_filter.ref is not None and page.auto_filter.ref.startswith(f"A{HEADER}:")
        assert page["A1"].value == "ỦY BAN NHÂN DÂN PHƯỜNG PHAN THIẾT"
        assert page["B3"].value == "2026-10"
        assert page["C3"].value == "Số liệu đến ngày:" and page["D3"].value == datetime(2026, 10, 31)
        assert page.column_dimensions["B"].width >= 30  # the indicator's name reads whole
    summary: Worksheet = book["Tổng hợp"]  # type: ignore[index]
    assert [c.value for c in summary[HEADER]][:3] == ["Mã nhóm", "Nhóm chỉ tiêu", "Số chỉ tiêu"]


def test_the_summary_counts_are_numbers_and_add_up(book: object, content: PackContent) -> None:
    page: Worksheet = book["Tổng hợp"]  # type: ignore[index]
    rows = list(
        page.iter_rows(min_row=HEADER + 1, max_row=HEADER + len(content.groups) + 1, values_only=True)
    )
    assert [r[2] for r in rows[:-1]] == [len(g.rows) for g in content.groups]
    total = rows[-1]
    assert total[1] == "Tổng cộng" and total[2] == content.indicator_count() == 60
    assert sum(total[3:]) == 60  # on track + at risk + off track + no target


def test_tasks_have_real_dates_and_fractions(book: object, content: PackContent) -> None:
    page: Worksheet = book["Nhiệm vụ"]  # type: ignore[index]
    assert [c.value for c in page[HEADER]] == [c.header for c in TASK_COLUMNS]
    first = [c for c in page[HEADER + 1]]
    assert first[3].value == datetime(2026, 12, 31) and first[3].number_format == "dd/mm/yyyy"
    assert first[4].value == pytest.approx(0.55) and first[4].number_format == PERCENT
    assert first[6].value == "Có"


def test_no_cell_starts_a_formula_even_when_the_text_does() -> None:
    data = example_data()
    data["groups"][0]["rows"][0]["name_vi"] = "@SUM(A1:A9)"
    data["groups"][0]["rows"][1]["target"] = "+1 %"
    data["tasks"][0]["owner_unit"] = FORMULA
    book = load_workbook(io.BytesIO(build_workbook(PackContent.model_validate(data))))
    texts = []
    for page in book.worksheets:
        for row in page.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{page.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    # Shown as typed, behind the apostrophe that keeps Excel from evaluating it.
    assert "'" + FORMULA in texts and "'@SUM(A1:A9)" in texts and "'+1 %" in texts
    assert "Phòng Văn hóa – Xã hội" in texts  # an en dash inside text is left alone


def test_two_builds_are_byte_identical_and_dated_by_the_report(content: PackContent) -> None:
    first = build_workbook(content)
    assert build_workbook(example_content()) == first
    book = load_workbook(io.BytesIO(first))
    assert book.properties.created == datetime(2026, 11, 5)
    assert build_workbook(example_content(issued="2026-11-06")) != first


def test_groups_of_the_same_name_get_sheets_of_their_own() -> None:
    data = example_data()
    data["groups"][1]["name_vi"] = data["groups"][0]["name_vi"].upper()  # Excel ignores case
    names = load_workbook(io.BytesIO(build_workbook(PackContent.model_validate(data)))).sheetnames
    assert names[1] == "Tăng trưởng kinh tế" and names[2] == "TĂNG TRƯỞNG KINH TẾ (2)"


def test_the_shortened_cell_writer_writes_what_xlsxwriter_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack's worksheet class writes its formatted cells itself: the bytes must be the
    stock worksheet's, for text (with XML's own characters), numbers, dates and empty cells."""
    from xlsxwriter.worksheet import Worksheet as Stock

    from ioc_core.socio_economic.pack import workbook

    data = example_data()
    data["groups"][0]["rows"][0]["name_vi"] = 'Thu <ngân sách> & "chi" đầu tư'
    data["groups"][0]["rows"][1]["value"] = 1234567.891
    data["groups"][0]["rows"][2]["value"] = -0.0004
    data["groups"][0]["rows"][2]["previous"] = None
    content = PackContent.model_validate(data)
    ours = build_workbook(content)
    assert workbook._sheet_class() is not Stock
    monkeypatch.setattr(workbook, "_sheet_class", lambda: Stock)
    assert build_workbook(content) == ours
