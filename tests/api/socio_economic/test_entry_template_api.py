"""GET /api/v1/socio-economic/indicators/entry-template: the caller's indicators due in a
month as CSV or XLSX, read back by independent readers (pandas, openpyxl, csv), filled in part
and sent back through the import: exactly the filled rows are submitted, once."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.socio_economic.importing import COLUMNS

pytestmark = pytest.mark.api

BASE = "/api/v1/socio-economic"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [*COLUMNS, "name_vi", "name_en", "unit_vi", "unit_en"]
TCKH_MONTHLY = {
    "BUDGET_REVENUE", "BUDGET_REVENUE_DOMESTIC", "BUDGET_SPENDING", "PUBLIC_INVEST_DISBURSED",
    "NEW_ENTERPRISES", "REGISTERED_CAPITAL",
}  # fmt: skip  # TCKH's two other monthly indicators are derived: computed, never entered
Person = Callable[[str, str], dict[str, str]]


def _template(client: Client, headers: dict[str, str], query: str) -> Any:
    return client.http.get(f"{BASE}/indicators/entry-template?{query}", headers=headers)


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads the diacritics as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _import(client: Client, headers: dict[str, str], media_type: str, data: bytes) -> Any:
    return client.http.post(
        f"{BASE}/values/import", headers={**headers, "Content-Type": media_type}, body=data
    )


def test_the_csv_lists_the_units_indicators_due_in_the_month(client: Client, person: Person) -> None:
    import pandas as pd

    tckh = person("tckh", "unit_staff@TCKH")
    got = _template(client, tckh, "period=2026-11&format=csv")
    assert got.status_code == 200, got.body
    assert got.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert got.headers["Content-Disposition"] == 'attachment; filename="mau-nhap-lieu-TCKH-2026-11.csv"'
    assert got.headers["Cache-Control"] == "no-store"
    table = pd.read_csv(io.BytesIO(got.body), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == HEADERS
    assert set(table["indicator"]) == TCKH_MONTHLY and len(table) == len(TCKH_MONTHLY)
    assert set(table["period"]) == {"2026-11"} and set(table["breakdown"]) == {"city"}
    assert set(table["value"]) == {""}
    spending = table[table["indicator"] == "BUDGET_SPENDING"].iloc[0]
    assert (spending["name_vi"], spending["unit_vi"], spending["unit_en"]) == (
        "Tổng chi ngân sách địa phương", "tỷ đồng", "bn VND",
    )  # fmt: skip
    december = _csv_rows(_template(client, tckh, "period=2026-12&format=csv").body)
    # December closes the quarter: the quarterly FDI figure is due too, with its own period.
    assert {(r["indicator"], r["period"]) for r in december} - {(c, "2026-12") for c in TCKH_MONTHLY} == {
        ("FDI_CAPITAL", "2026-Q4")
    }


def test_the_xlsx_filled_in_two_rows_imports_exactly_those_two_once(client: Client, person: Person) -> None:
    from openpyxl import load_workbook

    tckh = person("tckh", "unit_staff@TCKH")
    got = _template(client, {**tckh, "Accept": XLSX}, "period=2026-11&format=xlsx")  # as the console asks
    assert got.status_code == 200 and got.headers["Content-Type"] == XLSX
    assert got.headers["Content-Disposition"] == 'attachment; filename="mau-nhap-lieu-TCKH-2026-11.xlsx"'
    book = load_workbook(io.BytesIO(got.body))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 1 + len(TCKH_MONTHLY)
    for cell in (c for row in sheet.iter_rows() for c in row):
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    value_col = HEADERS.index("value") + 1
    filled = {"BUDGET_SPENDING": 300.5, "NEW_ENTERPRISES": 41}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in filled:
            sheet.cell(row=row[0].row, column=value_col, value=filled[str(row[0].value)])
    out = io.BytesIO()
    book.save(out)

    first = _import(client, tckh, XLSX, out.getvalue())
    assert first.status_code == 200, first.body
    answer = json.loads(first.body)
    assert (answer["rows"], answer["changed"], answer["unchanged"]) == (2, 2, 0)
    assert answer["skipped"] == len(TCKH_MONTHLY) - 2 and len(answer["skipped_rows"]) == answer["skipped"]
    queue = json.loads(client.http.get(BASE + "/approvals", headers=person("tckh2", "unit_staff@TCKH")).body)
    assert {(i["indicator"], i["period"], i["pending"]["value"]) for i in queue["items"]} == {
        ("BUDGET_SPENDING", "2026-11", 300.5),
        ("NEW_ENTERPRISES", "2026-11", 41),
    }
    again = json.loads(_import(client, tckh, XLSX, out.getvalue()).body)
    assert (again["rows"], again["changed"], again["unchanged"]) == (2, 0, 2)


def test_the_csv_filled_in_one_row_round_trips_and_blank_is_refused(client: Client, person: Person) -> None:
    tckh = person("tckh", "unit_staff@TCKH")
    body = _template(client, tckh, "period=2026-11").body  # csv by default
    rows = _csv_rows(body)
    empty = _import(client, tckh, "text/csv", body)
    assert empty.status_code == 400 and "No row has a value filled in" in json.loads(empty.body)["detail"]
    for row in rows:
        if row["indicator"] == "REGISTERED_CAPITAL":
            row["value"] = "1.250,5"  # as a Vietnamese spreadsheet writes it
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    done = _import(client, tckh, "text/csv", out.getvalue().encode("utf-8"))
    assert done.status_code == 200, done.body
    assert json.loads(done.body)["changed"] == 1
    page = json.loads(
        client.http.get(BASE + "/indicators/REGISTERED_CAPITAL?period=2026-11", headers=tckh).body
    )
    assert [(s["period"], s["pending"]["value"]) for s in page["series"]] == [("2026-11", 1250.5)]


def test_only_those_who_import_get_a_template_and_each_gets_their_own(client: Client, person: Person) -> None:
    assert _template(client, {}, "period=2026-11").status_code == 401
    for grant in ("leader", "provincial", "operator"):
        refused = _template(client, person(grant, grant), "period=2026-11")
        assert refused.status_code == 403, grant
        assert refused.headers["Content-Type"] == "application/problem+json"
    office = _template(client, person("thongke", "statistics_officer"), "period=2026-11")
    assert office.status_code == 200
    assert office.headers["Content-Disposition"] == 'attachment; filename="mau-nhap-lieu-2026-11.csv"'
    every_unit = {r["indicator"] for r in _csv_rows(office.body)}
    assert every_unit > TCKH_MONTHLY and "TOURIST_ARRIVALS" in every_unit
    assert "FR_RESOLVED" not in every_unit  # fed by Field Reporting: nobody enters it
    tourism = {
        r["indicator"]
        for r in _csv_rows(_template(client, person("vhxh", "unit_staff@VHXH"), "period=2026-11").body)
    }
    assert "TOURIST_ARRIVALS" in tourism and not tourism & TCKH_MONTHLY


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=2026-13", "period"),
        ("period=2026-Q4", "period"),
        ("period=26-11", "period"),
        ("period=2026-11&format=pdf", "format"),
        ("format=csv", "period"),
    ],
)
def test_a_bad_period_or_format_is_a_bilingual_problem(
    client: Client, person: Person, query: str, field: str
) -> None:
    got = _template(client, person("tckh", "unit_staff@TCKH"), query)
    assert got.status_code == 400 and got.headers["Content-Type"] == "application/problem+json"
    problem = json.loads(got.body)
    assert " / " in problem["detail"]  # Vietnamese / English
    assert [e["field"] for e in problem["errors"]] == [field]
