"""The entry template's rows (which indicators a month's reports are due for, whose they are)
and the importer's skip of a row left blank, which a template filled in part relies on."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from indicator_fakes import Targets, Values
from openpyxl import load_workbook

from ioc_core.platform import exports
from ioc_core.platform.access import Reach
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.errors import ValidationFailed
from ioc_core.socio_economic import entry_template
from ioc_core.socio_economic.catalogue import Bilingual, default_catalogue
from ioc_core.socio_economic.importing import CSV, parse_rows
from ioc_core.socio_economic.periods import Period
from ioc_core.socio_economic.service import ImportRefused, IndicatorService

pytestmark = pytest.mark.unit
TCKH = Reach(units=frozenset({"TCKH"}))


def _due(month: str, reach: Reach) -> dict[str, str]:
    found = entry_template.due(default_catalogue(), entry_template.month_of(month), reach)
    return {indicator.code: period.code for indicator, period in found}


def test_a_month_closes_the_quarter_half_and_year_in_its_last_months() -> None:
    office = Reach(city=True)
    november, december, june = _due("2026-11", office), _due("2026-12", office), _due("2026-06", office)
    assert set(november.values()) == {"2026-11"}
    assert {"2026-12", "2026-Q4", "2026"} <= set(december.values())
    assert "2026" not in june.values() and "2026-Q2" in june.values()
    catalogue = default_catalogue()
    for code in december:
        indicator = catalogue.get(code)
        assert not indicator.derived and indicator.fed_by != "field_reporting"
    assert "FR_RESOLVED" not in december and "GRDP_PER_CAPITA" not in december


def test_a_unit_gets_only_its_own_indicators() -> None:
    tckh = _due("2026-12", TCKH)
    assert tckh["FDI_CAPITAL"] == "2026-Q4" and tckh["BUDGET_SPENDING"] == "2026-12"
    assert {default_catalogue().get(code).owner_unit for code in tckh} == {"TCKH"}
    assert _due("2026-11", Reach(units=frozenset({"CSCC"}))) == {}  # a company owns no indicator


@pytest.mark.parametrize("text", ["2026-13", "2026-Q4", "2026", "1999-01", "nope", ""])
def test_the_template_is_for_one_month(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        entry_template.month_of(text)
    assert " / " in str(refused.value)  # Vietnamese / English


def test_no_cell_of_the_template_starts_a_formula_whatever_the_catalogue_says() -> None:
    catalogue = default_catalogue().model_copy(deep=True)
    hostile = catalogue.get("BUDGET_SPENDING")
    hostile.name = Bilingual(vi='=HYPERLINK("http://x")', en="@SUM(A1)")
    hostile.unit = Bilingual(vi="-2+3", en="+cmd")
    sheet = entry_template.sheet(catalogue, Period.month(2026, 11), TCKH)
    text = exports.to_csv(sheet).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-2+3" in text and "'+cmd" in text
    book = load_workbook(io.BytesIO(exports.to_xlsx(sheet)))
    cells = [c for row in book.active.iter_rows() for c in row]  # type: ignore[union-attr]
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_a_row_left_blank_is_skipped_and_reported_not_an_error() -> None:
    """Regression: the importer refused a whole file for one blank value ("empty cell")."""
    text = (
        "indicator,period,value,name_vi\n"
        "BUDGET_SPENDING,2026-11,300,Tổng chi\n"
        "NEW_ENTERPRISES,2026-11,,Doanh nghiệp mới\n"
        "REGISTERED_CAPITAL,2026-11,  ,Vốn\n"
    )
    parsed = parse_rows(text.encode(), CSV)
    rows, errors = parsed[0], parsed[1]
    assert [(e.row, e.column, e.message_en) for e in errors] == []
    assert [(n, v.indicator, v.value) for n, v in rows] == [(2, "BUDGET_SPENDING", 300.0)]
    service = IndicatorService(
        default_catalogue(), Values(), Targets(), FixedClock(datetime(2026, 12, 2, 9, tzinfo=VN_TZ))
    )
    done = service.submit_many(rows, "unit_staff:tckh", TCKH, errors)
    assert [d.value.indicator for d in done] == ["BUDGET_SPENDING"]
    assert parsed.skipped == [3, 4]


def test_a_blank_row_still_refuses_a_formula_and_a_file_with_nothing_filled_in_is_refused() -> None:
    formula = "indicator,period,value,comment\nBUDGET_SPENDING,2026-11,,=cmd|' /C calc'!A0\n"
    errors = parse_rows(formula.encode(), CSV)[1]
    assert [(e.row, e.column) for e in errors] == [(2, "comment")]  # and no "empty cell" for the value
    with pytest.raises(ImportRefused, match="No row has a value filled in"):
        parse_rows(b"indicator,period,value\nBUDGET_SPENDING,2026-11,\n", CSV)
