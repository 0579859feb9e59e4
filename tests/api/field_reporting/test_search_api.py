"""Staff search through the API: `GET /api/v1/workflow/reports?q=…` with the other filters,
`total`, phones only for roles that may read personal data, bad text as a 400 problem."""

from __future__ import annotations

from typing import Any

import pytest

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api


def _submit(session: Session, description: str, phone: str) -> str:
    report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": description}
    answer = session.call("POST", "/reports", report, token=session.resident(phone))
    assert answer.status_code == 201, answer.body
    return str(body(answer)["id"])


def _project() -> int:
    """What the search consumer does with the events the outbox holds."""
    from ioc_core.field_reporting.search import reindex
    from ioc_core.field_reporting.wiring import intake_service, search_index
    from ioc_core.platform.outbox import OutboxItem
    from ioc_core.shared.cloudevents import CloudEvent

    events = [CloudEvent.from_json(item.payload) for item in OutboxItem.scan()]
    intake = intake_service()
    return reindex(intake.repo, search_index(), events, intake.catalogue)


def _find(session: Session, who: str, query: str) -> tuple[int, Any]:
    answer = session.call("GET", f"/workflow/reports?{query}", token=session.staff(who))
    return answer.status_code, body(answer)


def test_staff_find_a_report_by_words_without_marks_by_id_and_by_phone(session: Session) -> None:
    road = _submit(session, "Đèn đường hỏng trước chợ Phan Thiết", "0912345678")
    other = _submit(session, "Đèn tắt ở hẻm 5", "0987654321")
    assert _project() >= 2

    status, found = _find(session, "dieuhanh", "q=den+duong+hong")
    assert status == 200 and [i["id"] for i in found["items"]] == [road] and found["total"] == 1
    status, found = _find(session, "dieuhanh", "q=DEN")
    assert [i["id"] for i in found["items"]] == [other, road] and found["total"] == 2
    status, found = _find(session, "dieuhanh", f"q={road.lower()}")
    assert found["items"][0]["id"] == road
    status, found = _find(session, "dieuhanh", "q=0987+654+321")
    assert status == 200 and [i["id"] for i in found["items"]] == [other]
    status, found = _find(session, "dieuhanh", "q=den&status=resolved")
    assert found == {"items": [], "next_cursor": None, "total": 0}

    status, page = _find(session, "dieuhanh", "q=den&limit=1")
    assert page["total"] == 2 and page["next_cursor"]
    status, rest = _find(session, "dieuhanh", f"q=den&limit=1&cursor={page['next_cursor']}")
    assert status == 200 and [i["id"] for i in rest["items"]] == [road] and rest["next_cursor"] is None


def test_the_province_cannot_look_up_a_phone_and_bad_text_is_a_problem(session: Session) -> None:
    _submit(session, "Cây đổ chắn đường", "0912345678")
    _project()
    status, refused = _find(session, "tinh", "q=0912345678")
    assert status == 400 and refused["errors"][0]["field"] == "q", refused
    status, found = _find(session, "tinh", "q=cay+do")
    assert status == 200 and found["total"] == 1
    for bad in ("q=", "q=%21%21%21", "q=" + "x" * 201):
        status, problem = _find(session, "dieuhanh", bad)
        assert status == 400 and "q" in str(problem), (bad, problem)


def test_the_queue_says_how_many_match(session: Session) -> None:
    for n in range(3):
        _submit(session, f"Đèn tắt {n}", "0912345678")
    status, queue = _find(session, "dieuhanh", "limit=2")
    assert status == 200 and len(queue["items"]) == 2 and queue["total"] == 3
    status, queue = _find(session, "dieuhanh", "status=resolved")
    assert queue["total"] == 0
