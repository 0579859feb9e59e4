"""Paged lists of the workflow API (the queue, the resident's reports, the inboxes): cursors
are the API's own, signed for their list, filters and caller; anything else is a 400 that
never reaches the repository."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
from ioc_core.field_reporting.adapters.notifications import DynamoInbox
from ioc_core.platform.dynamo import encode_token
from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api

PHONE, OTHER_PHONE = "0912345678", "0987654321"


def _submit(session: Session, count: int, phone: str = PHONE) -> list[str]:
    ids = []
    for n in range(count):
        report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": f"Đèn tắt {n}"}
        answer = session.call("POST", "/reports", report, token=session.resident(phone))
        assert answer.status_code == 201, answer.body
        ids.append(body(answer)["id"])
    return ids


def _walk(session: Session, path: str, token: str) -> tuple[list[str], int]:
    """Every id of a list, one page at a time by its cursors, and how many pages it took."""
    seen, cursor, pages = [], None, 0
    while True:
        joiner = "&" if "?" in path else "?"
        answer = session.call("GET", path + (f"{joiner}cursor={cursor}" if cursor else ""), token=token)
        assert answer.status_code == 200, answer.body
        page = body(answer)
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None or pages > 10:
            return seen, pages


def _counting(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[Any]:
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counted(self: Any, *args: Any) -> Any:
        calls.append(args)
        return real(self, *args)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _refused(answer: Any) -> None:
    assert answer.status_code == 400, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = body(answer)
    assert [e["field"] for e in problem["errors"]] == ["cursor"]
    assert " / " in problem["detail"]  # Vietnamese / English


def test_the_queue_pages_through_every_report_by_its_signed_cursors(session: Session) -> None:
    submitted = _submit(session, 3)
    seen, pages = _walk(session, "/workflow/reports?status=received&limit=1", session.staff("dieuhanh"))
    assert sorted(seen) == sorted(submitted) and len(seen) == 3
    assert pages >= 3


def test_the_resident_pages_through_their_own_reports(session: Session) -> None:
    submitted = _submit(session, 3)
    seen, _ = _walk(session, "/me/reports?limit=2", session.resident(PHONE))
    assert sorted(seen) == sorted(submitted)


def _first_cursor(session: Session, path: str, token: str) -> str:
    answer = session.call("GET", path, token=token)
    assert answer.status_code == 200, answer.body
    cursor = body(answer)["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


def test_a_forged_cursor_is_a_400_and_never_a_query(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _submit(session, 2)
    operator, resident = session.staff("dieuhanh"), session.resident(PHONE)
    queries = _counting(monkeypatch, DynamoReportRepository, "query")
    pages = _counting(monkeypatch, DynamoInbox, "page")
    # What the adapter itself would take: its own token, made up by the client.
    made_up = encode_token({"p": "status#received", "k": {"pk": {"S": "PT-AAAAAAAA"}}})
    tampered = _first_cursor(session, "/workflow/reports?status=received&limit=1", operator)
    tampered = tampered[:-2] + ("AA" if tampered[-2:] != "AA" else "BB")
    queries.clear()
    for path, token in (
        (f"/workflow/reports?cursor={made_up}", operator),
        (f"/workflow/reports?status=received&limit=1&cursor={tampered}", operator),
        (f"/workflow/reports?overdue=true&cursor={made_up}", operator),
        (f"/me/reports?cursor={made_up}", resident),
        (f"/me/notifications?cursor={made_up}", resident),
        (f"/workflow/notifications?cursor={made_up}", operator),
    ):
        _refused(session.call("GET", path, token=token))
    assert queries == [] and pages == []


def test_a_cursor_of_other_filters_another_list_or_another_caller_is_a_400(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _submit(session, 2)
    _submit(session, 2, OTHER_PHONE)
    operator, resident, other = (
        session.staff("dieuhanh"),
        session.resident(PHONE),
        session.resident(OTHER_PHONE),
    )
    queue = _first_cursor(session, "/workflow/reports?status=received&limit=1", operator)
    mine = _first_cursor(session, "/me/reports?limit=1", resident)
    queries = _counting(monkeypatch, DynamoReportRepository, "query")
    pages = _counting(monkeypatch, DynamoInbox, "page")
    for path, token in (
        (f"/workflow/reports?status=verified&limit=1&cursor={queue}", operator),  # other filters
        (f"/workflow/reports?status=received&ward=22945&limit=1&cursor={queue}", operator),
        (f"/workflow/reports?status=received&limit=1&cursor={queue}", session.staff("lanhdao")),  # caller
        (f"/me/reports?limit=1&cursor={mine}", other),  # another resident
        (f"/me/notifications?cursor={mine}", resident),  # another list
        (f"/me/reports?cursor={queue}", resident),
    ):
        _refused(session.call("GET", path, token=token))
    assert queries == [] and pages == []
    # The same cursor in its own list still works, with another page size too.
    again = session.call("GET", f"/workflow/reports?status=received&limit=5&cursor={queue}", token=operator)
    assert again.status_code == 200 and len(queries) >= 1


def test_the_cursor_is_opaque_not_the_adapters_page_state(session: Session) -> None:
    _submit(session, 2)
    cursor = _first_cursor(session, "/me/reports?limit=1", session.resident(PHONE))
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    with pytest.raises(ValueError):
        json.loads(raw)  # not JSON a client could edit: the token sealed with a MAC
