"""Alerts become incidents: one fire is one incident with a timeline, judged and dispatched
once; a linked field report tracks it to the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from camera_fakes import (
    T0,
    AlertsView,
    FakeFieldReports,
    FixedRoster,
    IncidentsView,
    InMemoryCameras,
    StatesView,
)

from ioc_core.cameras import events
from ioc_core.cameras.incident_workflow import IncidentService
from ioc_core.cameras.incidents import IncidentBook, IncidentPolicy, default_policy
from ioc_core.cameras.models import AlertKind, CameraAlert, CameraState, Incident, IncidentStatus
from ioc_core.shared.clock import FixedClock
from ioc_core.shared.cloudevents import short_type
from ioc_core.shared.errors import Conflict, StaleVersion, ValidationFailed

pytestmark = pytest.mark.unit


def _alert(
    n: int, minute: float, kind: AlertKind = AlertKind.FIRE, zone: str = "street", **extra: object
) -> CameraAlert:
    return CameraAlert(
        alert_id=f"a{n}",
        camera_id="pt-hd-01",
        ward_code="22945",
        zone_id=zone,
        kind=kind,
        confidence=extra.pop("confidence", 0.7),  # type: ignore[arg-type]
        severity=extra.pop("severity", "high"),  # type: ignore[arg-type]
        raised_at=T0 + timedelta(minutes=minute),
    )


def _detect(store: InMemoryCameras, book: IncidentBook, *alerts: CameraAlert) -> None:
    """What the detector commits for one snapshot: state, alerts, their incidents, events."""
    state = store.states.get("pt-hd-01") or CameraState(camera_id="pt-hd-01")
    changed = state.model_copy(deep=True)
    incidents, staged = book.take(changed, list(alerts), T0)
    raised = [events.alert_raised(a) for a in alerts]
    store.commit_snapshot(
        f"obj#{alerts[0].alert_id}", "analysed", changed, list(alerts), raised + staged, incidents
    )


@pytest.fixture
def book(store: InMemoryCameras) -> IncidentBook:
    return IncidentBook(IncidentsView(store), FixedRoster("dieuhanh"))


@pytest.fixture
def reports() -> FakeFieldReports:
    return FakeFieldReports()


@pytest.fixture
def incidents(store: InMemoryCameras, reports: FakeFieldReports) -> IncidentService:
    return IncidentService(IncidentsView(store), store, store, FixedClock(T0 + timedelta(hours=1)), reports)


def _only(store: InMemoryCameras) -> Incident:
    assert len(store.incidents) == 1, [i.kind for i in store.incidents.values()]
    return next(iter(store.incidents.values()))


def test_one_fire_of_13_alerts_in_20_minutes_is_one_incident_that_grows(
    store: InMemoryCameras, book: IncidentBook
) -> None:
    """The issue's fire: 13 open alerts, a 6,200-pixel page. Now one incident, paged once."""
    for n in range(13):
        _detect(store, book, _alert(n, minute=n * 1.6, confidence=0.6 + n * 0.025))
    incident = _only(store)
    assert [e.alert_id for e in incident.timeline] == [f"a{n}" for n in range(13)]
    assert incident.opened_at == T0 and incident.updated_at == T0 + timedelta(minutes=12 * 1.6)
    assert incident.status is IncidentStatus.OPEN and incident.severity == "critical"
    assert incident.paged == ["dieuhanh"] and incident.version == 13
    kinds = [short_type(e.type) for e in store.outbox]
    assert kinds.count("cameras.incident.opened") == 1 and kinds.count("cameras.operator.paged") == 1
    assert kinds.count("cameras.incident.updated") == 12 and kinds.count("cameras.alert.raised") == 13
    assert store.states["pt-hd-01"].incidents == {"street#fire": incident.incident_id}


def test_severity_rises_as_the_incident_grows() -> None:
    from ioc_core.cameras.incidents import evidence_of, severity_of

    policy = IncidentPolicy()  # rises at 3 and 6 alerts, 15 minutes, 0.9 confidence
    one = [evidence_of(_alert(0, 0, severity="medium"))]
    assert severity_of(one, policy) == "medium"
    three = one + [evidence_of(_alert(n, n, severity="medium")) for n in (1, 2)]
    assert severity_of(three, policy) == "high"
    longer = [*three, evidence_of(_alert(3, 16, severity="medium"))]
    assert severity_of(longer, policy) == "critical"
    assert severity_of([evidence_of(_alert(0, 0, severity="low", confidence=0.95))], policy) == "medium"


def test_an_alert_outside_the_window_or_zone_or_kind_opens_its_own_incident(
    store: InMemoryCameras, book: IncidentBook
) -> None:
    window = default_policy().join_window
    _detect(store, book, _alert(0, 0))
    _detect(store, book, _alert(1, 10, zone="verge"))  # another zone
    _detect(store, book, _alert(2, 12, kind=AlertKind.SMOKE))  # another kind
    _detect(store, book, _alert(3, 20))  # joins: within the window of the first
    later = 20 + window.total_seconds() / 60 + 1
    _detect(store, book, _alert(4, later))  # a new fire, half an hour after the last sighting
    by_first = {i.timeline[0].alert_id: [e.alert_id for e in i.timeline] for i in store.incidents.values()}
    assert by_first == {"a0": ["a0", "a3"], "a1": ["a1"], "a2": ["a2"], "a4": ["a4"]}


def test_two_alerts_of_one_snapshot_and_a_redelivered_alert_join_once(
    store: InMemoryCameras, book: IncidentBook
) -> None:
    _detect(store, book, _alert(0, 0), _alert(1, 0.5))
    incident = _only(store)
    assert len(incident.timeline) == 2
    state = store.states["pt-hd-01"].model_copy(deep=True)
    again, staged = book.take(state, [_alert(1, 0.5)], T0)
    assert again == [] and staged == []  # already evidence: nothing to write


def test_an_incident_judged_a_false_alarm_is_not_joined(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService
) -> None:
    _detect(store, book, _alert(0, 0))
    first = _only(store)
    incidents.verify(first.incident_id, "operator:dieuhanh", real=False, note="đèn xe")
    _detect(store, book, _alert(1, 5))
    assert len(store.incidents) == 2
    assert store.incidents[first.incident_id].status is IncidentStatus.FALSE_ALARM


def test_operators_verify_and_dispatch_once_and_close(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService
) -> None:
    for n in range(4):
        _detect(store, book, _alert(n, n * 2))
    incident_id = _only(store).incident_id
    verified = incidents.verify(incident_id, "operator:dieuhanh", real=True, version=4)
    assert verified.status is IncidentStatus.VERIFIED and verified.version == 5
    dispatched = incidents.dispatch(incident_id, "operator:dieuhanh", unit="Đội PCCC Phan Thiết")
    assert dispatched.unit == "Đội PCCC Phan Thiết"
    with pytest.raises(Conflict):
        incidents.dispatch(incident_id, "operator:dieuhanh", unit="Đội PCCC 2")  # once
    _detect(store, book, _alert(9, 10))  # the fire is still burning: evidence, same incident
    assert len(_only(store).timeline) == 5 and _only(store).status is IncidentStatus.DISPATCHED
    closed = incidents.close(incident_id, "operator:dieuhanh", note="đã dập")
    assert [h.action for h in closed.history] == ["opened", "verified", "dispatched", "closed"]
    changes = [e for e in store.outbox if short_type(e.type) == "cameras.incident.status_changed"]
    assert [(e.data["from"], e.data["to"]) for e in changes] == [
        ("open", "verified"),
        ("verified", "dispatched"),
        ("dispatched", "closed"),
    ]
    assert all("by" in e.data and "operator" not in e.data for e in changes)


def test_a_stale_version_and_steps_out_of_order_are_refused(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService
) -> None:
    _detect(store, book, _alert(0, 0))
    incident_id = _only(store).incident_id
    with pytest.raises(Conflict):
        incidents.dispatch(incident_id, "operator:dieuhanh", unit="PCCC")  # verify first
    _detect(store, book, _alert(1, 1))  # grew meanwhile: version 2
    with pytest.raises(StaleVersion):
        incidents.verify(incident_id, "operator:dieuhanh", real=True, version=1)
    incidents.verify(incident_id, "operator:dieuhanh", real=True, version=2)
    with pytest.raises(ValidationFailed):
        incidents.dispatch(incident_id, "operator:dieuhanh", unit="   ")


def test_a_false_alarm_raises_the_camera_s_threshold_once_for_the_whole_incident(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService
) -> None:
    for n in range(5):
        _detect(store, book, _alert(n, n))
    before = store.cameras["pt-hd-01"].tuning
    incidents.verify(_only(store).incident_id, "operator:dieuhanh", real=False)
    after = store.cameras["pt-hd-01"].tuning
    assert after.false_alarms == before.false_alarms + 1
    assert after.fire_threshold == pytest.approx(before.fire_threshold + 0.05)


def test_a_dumping_incident_files_one_linked_field_report(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService, reports: FakeFieldReports
) -> None:
    _detect(store, book, _alert(0, 0, kind=AlertKind.DUMPING, zone="verge", severity="medium"))
    incident_id = _only(store).incident_id
    incidents.verify(incident_id, "operator:dieuhanh", real=True)
    linked = incidents.file_report(incident_id, "operator:dieuhanh", note="gửi Công ty Môi trường")
    assert linked.status is IncidentStatus.DISPATCHED and linked.report_id == "PT-00000001"
    assert linked.history[-1].action == "report_linked" and linked.history[-1].report_id == "PT-00000001"
    request = reports.requests[0]
    assert request.service_code == "illegal_dumping"  # type: ignore[attr-defined]
    assert (request.lat, request.lon) == (10.9, 108.1)  # type: ignore[attr-defined]
    assert "đổ rác trái phép" in request.description  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        incidents.file_report(incident_id, "operator:dieuhanh")  # dispatched once


def test_a_fire_is_dispatched_to_a_unit_not_filed_as_a_report(
    store: InMemoryCameras, book: IncidentBook, incidents: IncidentService, reports: FakeFieldReports
) -> None:
    _detect(store, book, _alert(0, 0))
    incident_id = _only(store).incident_id
    incidents.verify(incident_id, "operator:dieuhanh", real=True)
    with pytest.raises(ValidationFailed, match="dispatch a unit"):
        incidents.file_report(incident_id, "operator:dieuhanh")
    assert reports.requests == []


def test_a_silent_camera_is_one_incident_dispatched_straight_to_maintenance(
    store: InMemoryCameras, incidents: IncidentService
) -> None:
    from ioc_core.cameras.registry import CameraService

    service = CameraService(
        store, StatesView(store), AlertsView(store), store, None, None,  # type: ignore[arg-type]
        FixedClock(T0 + timedelta(hours=2)),
        incidents=IncidentBook(IncidentsView(store), FixedRoster()),
    )  # fmt: skip
    raised = service.check_silence()
    assert len(raised) == 1
    incident = _only(store)
    assert incident.kind is AlertKind.CAMERA_SILENT and incident.paged == []  # not a fire
    assert store.states["pt-hd-01"].incidents == {"view#camera_silent": incident.incident_id}
    sent = incidents.dispatch(incident.incident_id, "operator:dieuhanh", unit="Tổ kỹ thuật camera")
    assert sent.status is IncidentStatus.DISPATCHED
