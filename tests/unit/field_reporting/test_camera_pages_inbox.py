"""A camera's page of the operator on shift reaches the operators' desk inbox (not only the
cameras room's event for an outside pager): one item per page, naming the kind, the camera,
its ward and who is on shift, linked to the incident; a redelivered event adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fakes import InMemoryInbox, RecordingSender
from ioc_core.cameras import events as camera_events
from ioc_core.cameras.models import AlertKind, Incident
from ioc_core.field_reporting.api_v1.workflow_presenter import notification_view
from ioc_core.field_reporting.notifications import CAMERA_PAGED, OPERATORS, TAKES, Notifier

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 30, 3, 15, tzinfo=UTC)


def _incident(kind: AlertKind = AlertKind.FIRE, ward: str = "22945") -> Incident:
    return Incident(
        incident_id="INC-SEC-PT-007-road-fire-1",
        camera_id="SEC-PT-007",
        ward_code=ward,
        zone_id="road",
        kind=kind,
        severity="high",
        peak_confidence=0.91,
        opened_at=AT,
        updated_at=AT,
    )


def test_the_consumer_declares_the_cameras_page() -> None:
    assert camera_events.OPERATOR_PAGED == CAMERA_PAGED and CAMERA_PAGED in TAKES


def test_a_page_is_one_item_on_the_operators_desk_linked_to_its_incident() -> None:
    inbox, sender = InMemoryInbox(), RecordingSender()
    paged = camera_events.operator_paged(_incident(), "dieuhanh", AT)
    # No report is read for it (the cameras' tables are not Field Reporting's).
    notifier = Notifier(None, inbox, sender, clock=lambda: AT)  # type: ignore[arg-type]
    assert notifier.handle([paged]) == 1
    assert notifier.handle([paged]) == 0  # redelivered: nothing twice
    [(recipient, _), *others] = list(inbox.items)
    assert recipient == OPERATORS and not others
    note = next(iter(inbox.items.values()))
    assert note.incident_id == "INC-SEC-PT-007-road-fire-1"
    assert (note.report_id, note.kind) == (None, "camera_paged")
    assert note.title.vi == "Cháy tại camera SEC-PT-007, Phường Phan Thiết"
    assert note.title.en.startswith("Fire at camera SEC-PT-007, ")
    assert note.body is not None and "dieuhanh" in note.body.vi and "dieuhanh" in note.body.en
    assert "INC-SEC-PT-007" not in note.body.vi + note.body.en  # an id for machines, kept as data
    view = notification_view(note)
    assert view.incident_id == "INC-SEC-PT-007-road-fire-1" and view.report_id is None
    assert sender.sent == []  # no SMS: staff hear of it in the console (and the outside pager)


def test_smoke_in_an_unknown_ward_still_pages_and_an_event_without_its_incident_does_not() -> None:
    inbox = InMemoryInbox()
    notifier = Notifier(None, inbox, RecordingSender(), clock=lambda: AT)  # type: ignore[arg-type]
    smoke = camera_events.operator_paged(_incident(AlertKind.SMOKE, ward="99999"), "ca-dem", AT)
    broken = smoke.model_copy(update={"id": "other", "data": {**smoke.data, "incident_id": None}})
    assert notifier.handle([smoke, broken]) == 1
    note = next(iter(inbox.items.values()))
    assert note.title.vi == "Khói tại camera SEC-PT-007" and note.title.en == "Smoke at camera SEC-PT-007"


def test_a_page_of_the_desk_itself_names_no_person() -> None:
    inbox = InMemoryInbox()
    notifier = Notifier(None, inbox, RecordingSender(), clock=lambda: AT)  # type: ignore[arg-type]
    notifier.handle([camera_events.operator_paged(_incident(), "role:operator", AT)])
    note = next(iter(inbox.items.values()))
    assert note.body is not None and "role:" not in note.body.vi + note.body.en
    assert note.body.en.startswith("No shift on duty: the whole desk is paged.")
