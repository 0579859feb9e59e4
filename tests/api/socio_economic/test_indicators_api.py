"""/api/v1/socio-economic: entry and maker-checker approval over HTTP, every role checked, the
all-or-nothing import answered as problem+json naming rows and columns, targets, the dashboard
and an indicator's page, and the meeting pack as a job whose files are frozen by hash."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

pytestmark = pytest.mark.api

BASE = "/api/v1/socio-economic"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Person = Callable[[str, str], dict[str, str]]


def _json(response: Any) -> Any:
    return json.loads(response.body)


def _post(client: Client, path: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.http.post(BASE + path, headers=headers, body=json.dumps(body))


VALUE = {"indicator": "BUDGET_REVENUE", "period": "2026-11", "value": 250.5, "status": "estimate"}


def test_one_enters_another_approves_and_nobody_approves_their_own(client: Client, person: Person) -> None:
    maker, checker = person("tckh", "unit_staff@TCKH"), person("tckh2", "unit_staff@TCKH")
    entered = _post(client, "/values", maker, VALUE)
    assert entered.status_code == 201, entered.body
    assert _json(entered)["state"] == "pending" and _json(entered)["pending"]["value"] == 250.5
    assert _post(client, "/values", maker, VALUE).status_code == 200  # the same again: nothing changes
    own = _post(client, "/values/BUDGET_REVENUE/2026-11/approve", maker, {})
    assert own.status_code == 403 and own.headers["Content-Type"] == "application/problem+json"
    assert "Nobody approves their own entry" in _json(own)["detail"]
    assert [
        i["indicator"] for i in _json(client.http.get(BASE + "/approvals", headers=checker))["items"]
    ] == ["BUDGET_REVENUE"]
    approved = _post(client, "/values/BUDGET_REVENUE/2026-11/approve", checker, {"version": 1})
    assert approved.status_code == 200, approved.body
    assert _json(approved)["value"] == 250.5 and _json(approved)["approved_by"].endswith("tckh2")
    page = _json(client.http.get(BASE + "/indicators/BUDGET_REVENUE?period=2026-11", headers=maker))
    assert [(s["period"], s["value"]) for s in page["series"]] == [("2026-11", 250.5)]


def test_every_role_is_checked(client: Client, person: Person) -> None:
    leader, province = person("lanhdao", "leader"), person("tinh", "provincial")
    assert client.http.get(BASE + "/dashboard").status_code == 401
    assert client.http.get(BASE + "/dashboard", headers=province).status_code == 403
    assert client.http.get(BASE + "/dashboard", headers=leader).status_code == 200
    assert _post(client, "/values", leader, VALUE).status_code == 403  # leaders read, they do not enter
    tourism = dict(VALUE, indicator="TOURIST_ARRIVALS")
    assert _post(client, "/values", person("tckh", "unit_staff@TCKH"), tourism).status_code == 403
    target = {"text": "3.150", "resolution": "Nghị quyết thử"}
    staff = person("tckh", "unit_staff@TCKH")
    assert (
        client.http.put(
            BASE + "/targets/BUDGET_REVENUE/2026", headers=staff, body=json.dumps(target)
        ).status_code
        == 403
    )
    done = client.http.put(
        BASE + "/targets/BUDGET_REVENUE/2026",
        headers=person("thongke", "statistics_officer"),
        body=json.dumps(target),
    )
    assert done.status_code == 200 and (_json(done)["low"], _json(done)["high"]) == (3150.0, 3150.0)


def test_a_bad_file_is_refused_whole_with_each_row_and_column(client: Client, person: Person) -> None:
    maker = person("tckh", "unit_staff@TCKH")
    text = (
        "indicator,period,value,comment\n"
        "BUDGET_SPENDING,2026-11,300,\n"
        "BUDGET_SPENDING,2026-10,abc,\n"
        "NOPE,2026-11,1,\n"
        "REGISTERED_CAPITAL,2026-13,5,\n"
        "NEW_ENTERPRISES,2026-11,40,=cmd|' /C calc'!A0\n"
    )
    answer = client.http.post(
        BASE + "/values/import", headers={**maker, "Content-Type": "text/csv"}, body=text
    )
    assert answer.status_code == 400 and answer.headers["Content-Type"] == "application/problem+json"
    rows = _json(answer)["rows"]
    assert [(r["row"], r["column"]) for r in rows] == [
        (3, "value"),
        (4, "indicator"),
        (5, "period"),
        (6, "comment"),
    ]
    assert all(r["message_vi"] and r["message_en"] for r in rows)
    page = _json(client.http.get(BASE + "/indicators/BUDGET_SPENDING", headers=maker))
    assert page["series"] == []  # the good row was not written either
    plain = client.http.post(
        BASE + "/values/import", headers={**maker, "Content-Type": "text/plain"}, body=text
    )
    assert plain.status_code == 415 and plain.headers["Content-Type"] == "application/problem+json"


def test_an_import_changing_more_than_one_transaction_holds_is_a_413_and_writes_nothing(
    client: Client, person: Person
) -> None:
    reader = person("tckh", "unit_staff@TCKH")
    maker = {**reader, "Content-Type": "text/csv"}
    rows = [f"BUDGET_SPENDING,{2018 + n // 12}-{n % 12 + 1:02d},{100 + n}" for n in range(100)]
    answer = client.http.post(
        BASE + "/values/import", headers=maker, body="indicator,period,value\n" + "\n".join(rows) + "\n"
    )
    assert answer.status_code == 413 and answer.headers["Content-Type"] == "application/problem+json"
    assert "99" in _json(answer)["detail"] and " / " in _json(answer)["detail"]
    page = _json(client.http.get(BASE + "/indicators/BUDGET_SPENDING", headers=reader))
    assert page["series"] == [], page
    fits = "indicator,period,value\n" + "\n".join(rows[:99]) + "\n"
    done = client.http.post(BASE + "/values/import", headers=maker, body=fits)
    assert done.status_code == 200 and _json(done)["changed"] == 99, done.body


def test_a_workbook_imports_once(client: Client, person: Person) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value", "status"])
    sheet.append(["BUDGET_SPENDING", "2026-11", 300.5, "sơ bộ"])
    sheet.append(["NEW_ENTERPRISES", "2026-11", 41, "ước tính"])
    data = io.BytesIO()
    book.save(data)
    maker = {**person("tckh", "unit_staff@TCKH"), "Content-Type": XLSX}
    first = client.http.post(BASE + "/values/import", headers=maker, body=data.getvalue())
    assert first.status_code == 200, first.body
    assert _json(first) == {"rows": 2, "changed": 2, "unchanged": 0, "skipped": 0, "skipped_rows": []}
    again = client.http.post(BASE + "/values/import", headers=maker, body=data.getvalue())
    assert _json(again) == {"rows": 2, "changed": 0, "unchanged": 2, "skipped": 0, "skipped_rows": []}


def test_the_meeting_pack_is_a_job_whose_files_are_frozen(client: Client, person: Person) -> None:
    from ioc_core.socio_economic.wiring import file_store, pack_builder

    maker, checker, leader = (
        person("tckh", "unit_staff@TCKH"),
        person("thongke", "statistics_officer"),
        person("lanhdao", "leader"),
    )
    _post(client, "/values", maker, VALUE)
    _post(client, "/values/BUDGET_REVENUE/2026-11/approve", checker, {})
    asked = _post(client, "/packs", leader, {"period": "2026-11", "cutoff": "2026-11-30"})
    assert asked.status_code == 202, asked.body
    pack = _json(asked)
    assert pack["status"] == "queued" and pack["files"] == {}
    again = _post(client, "/packs", leader, {"period": "2026-11", "cutoff": "2026-11-30"})
    assert _json(again)["pack_id"] == pack["pack_id"]  # asked twice, made once
    pack_builder().build(pack["pack_id"])  # what the socio-economic-packs consumer runs
    ready = _json(client.http.get(f"{BASE}/packs/{pack['pack_id']}", headers=leader))
    assert (
        ready["status"] == "ready" and len(ready["sha256"]) == 64 and set(ready["files"]) == {"xlsx", "pdf"}
    )
    stored = file_store().get(f"packs/{ready['sha256']}/bao-cao-kt-xh-2026-11.pdf")
    assert stored.startswith(b"%PDF-")
    manifest = json.loads(file_store().get(f"packs/{ready['sha256']}/manifest.json"))
    assert manifest["content_sha256"] == ready["sha256"]
    assert (
        _post(client, "/packs", person("tckh", "unit_staff@TCKH"), {"period": "2026-11"}).status_code == 403
    )
