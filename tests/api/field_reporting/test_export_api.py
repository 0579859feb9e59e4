"""The queue exported (`GET /api/v1/workflow/reports/export?format=csv|xlsx`) with the queue's
filters: every match, Vietnamese headers, Vietnam time, masked for the province, no contacts."""

from __future__ import annotations

import csv
import io

import pytest

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _submit(session: Session, description: str, phone: str = "0912345678") -> str:
    report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": description}
    answer = session.call("POST", "/reports", report, token=session.resident(phone))
    assert answer.status_code == 201, answer.body
    return str(body(answer)["id"])


def _export(session: Session, who: str, query: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    answer = session.call("GET", f"/workflow/reports/export?{query}", token=session.staff(who), **headers)
    raw = answer.body if isinstance(answer.body, bytes) else answer.body.encode("utf-8")
    return answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, raw


def test_csv_holds_every_match_of_the_filters_in_vietnamese(session: Session) -> None:
    ids = [_submit(session, f"Đèn tắt số {n}, gọi 0912 345 678") for n in range(30)]
    status, headers, raw = _export(session, "dieuhanh", "format=csv&status=received")
    assert status == 200, raw[:300]
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"].startswith('attachment; filename="phan-anh-')
    assert headers["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Mã phản ánh", "Thời điểm gửi (giờ Việt Nam)", "Lĩnh vực"]
    assert sorted(r[0] for r in rows[1:]) == sorted(ids)  # more than one page of the queue
    assert {r[6] for r in rows[1:]} == {"Chờ tiếp nhận"}
    assert not any("+84912345678" in ",".join(r) for r in rows)  # no contact column

    status, _, raw = _export(session, "tinh", "format=csv&lang=en")
    assert status == 200
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "Report id" and rows[1][6] == "Received"
    assert all("0912 345 678" not in r[5] and "•••78" in r[5] for r in rows[1:])  # masked


def test_xlsx_reads_back_and_takes_the_search_text(session: Session) -> None:
    from openpyxl import load_workbook

    from ioc_core.field_reporting.search import reindex
    from ioc_core.field_reporting.wiring import intake_service, search_index
    from ioc_core.platform.outbox import OutboxItem
    from ioc_core.shared.cloudevents import CloudEvent

    wanted = _submit(session, "Cây đổ chắn đường Trần Hưng Đạo")
    _submit(session, "Đèn tắt")
    intake = intake_service()
    reindex(intake.repo, search_index(), [CloudEvent.from_json(i.payload) for i in OutboxItem.scan()])
    status, headers, raw = _export(session, "dieuhanh", "format=xlsx&q=cay+do", Accept=XLSX)
    assert status == 200 and headers["content-type"] == XLSX, raw[:300]
    page = load_workbook(io.BytesIO(raw)).active
    assert page is not None
    rows = list(page.iter_rows(values_only=True))
    assert rows[0][0] == "Mã phản ánh" and [r[0] for r in rows[1:]] == [wanted]
    assert rows[1][5] == "Cây đổ chắn đường Trần Hưng Đạo"


def test_bad_format_and_roles_are_refused_as_problems(session: Session) -> None:
    status, headers, _ = _export(session, "dieuhanh", "format=pdf")
    assert status == 400 and headers["content-type"].startswith("application/problem+json")
    answer = session.call("GET", "/workflow/reports/export?format=csv", token=session.resident("0912345678"))
    assert answer.status_code == 403
    assert session.call("GET", "/workflow/reports/export?format=csv").status_code == 401
