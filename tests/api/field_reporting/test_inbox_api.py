"""The inboxes through the API: a staff desk's (/workflow/notifications) and a resident's
(/me/notifications): pages with the unread count and an unread filter, the cheap count for the
console's badge, and marking one or all read: idempotent, each caller their own inbox only
(someone else's id is a 404 problem), what arrives during mark-all stays unread."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ioc_core.field_reporting.models import STATUS_LABELS, Notification, ReportStatus, Text
from ioc_core.shared.clock import FixedClock
from workflow_client import Session, body

pytestmark = pytest.mark.api

OPERATORS, CSCC = "role:operator", "unit:CSCC"
AT = datetime(2026, 12, 1, 7, 3, 27, tzinfo=UTC)  # 14:03:27 in Vietnam


def notes(recipient: str, count: int, start: int = 0, **extra: Any) -> list[Notification]:
    """``count`` notifications, newer as ``n`` grows (their ids sort by time, as the notifier's)."""
    extra = {"kind": "status_changed", **extra}
    return [
        Notification(
            recipient=recipient,
            notification_id=f"2026120{1 + (start + n) // 1000}T{start + n:06d}000000_ev-{start + n}",
            report_id=f"PT-{start + n:08d}",
            title=Text(
                vi=f"Phản ánh PT-{start + n:08d}: Đã tiếp nhận", en=f"Report PT-{start + n:08d}: Verified"
            ),
            created_at=AT + timedelta(minutes=start + n),
            **extra,
        )
        for n in range(count)
    ]


def store(items: list[Notification]) -> None:
    from ioc_core.field_reporting.wiring import inbox

    assert inbox().add(items) == len(items)


def get(session: Session, path: str, token: str, status: int = 200) -> Any:
    answer = session.call("GET", path, token=token)
    assert answer.status_code == status, answer.body
    return body(answer)


def post(session: Session, path: str, token: str, status: int = 200) -> Any:
    answer = session.call("POST", path, token=token)
    assert answer.status_code == status, answer.body
    return body(answer)


def not_found(session: Session, path: str, token: str) -> None:
    answer = session.call("POST", path, token=token)
    assert answer.status_code == 404, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert " / " in body(answer)["detail"] and " / " in body(answer)["title"]  # Vietnamese / English


def account_of(session: Session, token: str) -> str:
    return f"account:{get(session, '/me', token)['sub']}"


def test_a_desk_pages_its_inbox_with_its_unread_count_and_an_unread_filter(session: Session) -> None:
    operator = session.staff("dieuhanh")
    store(notes(OPERATORS, 30))
    store(notes(OPERATORS, 6, start=100, read=True))
    store(notes(CSCC, 4, start=200))
    first = get(session, "/workflow/notifications?limit=10", operator)
    assert len(first["items"]) == 10 and first["unread"] == 30 and first["next_cursor"]
    assert first["items"][0]["id"] == notes(OPERATORS, 6, start=100)[-1].notification_id  # newest first
    assert get(session, "/workflow/notifications/unread-count", operator) == {"unread": 30}
    seen, cursor = [], None
    while True:
        page = get(
            session,
            "/workflow/notifications?unread=true&limit=12" + (f"&cursor={cursor}" if cursor else ""),
            operator,
        )
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 30 and not any(n["read"] for n in seen)
    assert [n["id"] for n in seen] == sorted((n["id"] for n in seen), reverse=True)
    # The unread list's cursor is signed for its filter: the whole list refuses it.
    unread_cursor = get(session, "/workflow/notifications?unread=true&limit=5", operator)["next_cursor"]
    get(session, f"/workflow/notifications?limit=5&cursor={unread_cursor}", operator, status=400)
    get(session, "/workflow/notifications?limit=101", operator, status=400)
    get(session, "/workflow/notifications?unread=yes", operator, status=400)
    assert get(session, "/workflow/notifications/unread-count", session.staff("cscc")) == {"unread": 4}


def test_marking_one_read_is_idempotent_and_only_in_the_callers_own_inbox(session: Session) -> None:
    operator, unit = session.staff("dieuhanh"), session.staff("cscc")
    ours, theirs = notes(OPERATORS, 3), notes(CSCC, 2, start=50)
    store(ours + theirs)
    path = f"/workflow/notifications/{ours[0].notification_id}/read"
    assert post(session, path, operator) == {"marked": 1, "unread": 2}
    assert post(session, path, operator) == {"marked": 0, "unread": 2}  # a retry changes nothing
    not_found(session, f"/workflow/notifications/{theirs[0].notification_id}/read", operator)
    not_found(session, path, unit)  # the operators' item is not in the unit's inbox
    not_found(session, "/workflow/notifications/20260101T000000000000_nothing/read", operator)
    assert get(session, "/workflow/notifications/unread-count", unit) == {"unread": 2}
    listed = get(session, "/workflow/notifications", operator)["items"]
    assert [n["read"] for n in listed if n["id"] == ours[0].notification_id] == [True]


def test_all_read_clears_a_desk_once_and_leaves_what_arrived_after_its_cut_off(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ioc_core.field_reporting.wiring import inbox_service

    operator = session.staff("dieuhanh")
    store(notes(OPERATORS, 230))
    store(notes(CSCC, 3, start=500))
    assert post(session, "/workflow/notifications/read-all", operator) == {"marked": 230, "unread": 0}
    assert post(session, "/workflow/notifications/read-all", operator) == {"marked": 0, "unread": 0}
    assert get(session, "/workflow/notifications?unread=true", operator)["items"] == []
    assert get(session, "/workflow/notifications/unread-count", session.staff("cscc")) == {"unread": 3}

    store(notes(OPERATORS, 2, start=300))
    cutoff = datetime.now(UTC)
    time.sleep(0.01)
    store(notes(OPERATORS, 1, start=400))  # stored after the cut-off: as if during the call
    monkeypatch.setattr(inbox_service(), "clock", FixedClock(cutoff))
    assert post(session, "/workflow/notifications/read-all", operator) == {"marked": 2, "unread": 1}
    left = get(session, "/workflow/notifications?unread=true", operator)["items"]
    assert [n["id"] for n in left] == [notes(OPERATORS, 1, start=400)[0].notification_id]


def test_a_resident_reads_and_clears_only_their_own_inbox(session: Session) -> None:
    resident, neighbour = session.resident("0912345678"), session.resident("0987654321")
    mine, next_door = account_of(session, resident), account_of(session, neighbour)
    store(notes(mine, 3) + notes(next_door, 2, start=10) + notes(OPERATORS, 1, start=20))
    assert get(session, "/me/notifications", resident)["unread"] == 3
    not_found(session, f"/me/notifications/{notes(next_door, 1, start=10)[0].notification_id}/read", resident)
    not_found(session, f"/me/notifications/{notes(OPERATORS, 1, start=20)[0].notification_id}/read", resident)
    one = notes(mine, 1)[0].notification_id
    assert post(session, f"/me/notifications/{one}/read", resident) == {"marked": 1, "unread": 2}
    assert post(session, "/me/notifications/read-all", resident) == {"marked": 2, "unread": 0}
    assert post(session, "/me/notifications/read-all", resident) == {"marked": 0, "unread": 0}
    assert get(session, "/me/notifications", neighbour)["unread"] == 2
    # Staff routes are not a resident's, whatever the id.
    assert session.call("POST", "/workflow/notifications/read-all", token=resident).status_code == 403


def test_a_notification_reads_each_thing_once_with_its_dates_in_iso_8601(session: Session) -> None:
    operator = session.staff("dieuhanh")
    label = STATUS_LABELS[ReportStatus.ASSIGNED]
    due = AT + timedelta(hours=5)
    stored_before = notes(OPERATORS, 1, status=ReportStatus.ASSIGNED, body=label)[0]  # the old fallback
    warning = notes(OPERATORS, 1, start=1, kind="sla_warning", due_at=due)[0]
    store([stored_before, warning])
    items = {n["id"]: n for n in get(session, "/workflow/notifications", operator)["items"]}
    assert items[stored_before.notification_id]["body"] is None
    shown = items[warning.notification_id]
    assert shown["due_datetime"] == "2026-12-01T19:03:27+07:00"
    assert shown["created_datetime"] == "2026-12-01T14:04:27+07:00"


def test_a_camera_page_reaches_the_operators_desk_through_the_consumer(session: Session) -> None:
    """The notifications consumer's notifier takes the cameras room's page: stored in the
    DynamoDB inbox (no report id), served to the operators' desk with its incident, and to
    nobody else."""
    from ioc_core.cameras.events import operator_paged
    from ioc_core.cameras.models import AlertKind, Incident
    from ioc_core.field_reporting.wiring import notifier

    at = datetime.now(UTC)
    incident = Incident(
        incident_id="INC-SEC-PT-012-yard-fire-1", camera_id="SEC-PT-012", ward_code="22945",
        zone_id="yard", kind=AlertKind.FIRE, severity="high", peak_confidence=0.9,
        opened_at=at, updated_at=at,
    )  # fmt: skip
    assert notifier().handle([operator_paged(incident, "dieuhanh", at)]) == 1
    desk = get(session, "/workflow/notifications?limit=5", session.staff("dieuhanh"))
    page = next(n for n in desk["items"] if n["kind"] == "camera_paged")
    assert page["incident_id"] == "INC-SEC-PT-012-yard-fire-1" and page["report_id"] is None
    assert page["title"]["vi"] == "Cháy tại camera SEC-PT-012, Phường Phan Thiết" and not page["read"]
    unit = get(session, "/workflow/notifications?limit=50", session.staff("cscc"))
    assert not [n for n in unit["items"] if n["kind"] == "camera_paged"]
