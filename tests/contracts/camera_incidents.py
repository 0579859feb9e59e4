"""The camera incidents' contract (IncidentRepository + the unit of work's incident writes),
one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``IncidentStoreContract`` and provides ``incident_store``, an
(IncidentRepository, CameraUnitOfWork) pair on empty tables
(tests/unit/cameras/test_incident_contracts_in_memory.py: the fake;
tests/integration/cameras/test_incident_contracts_adapters.py: DynamoDB on moto).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ioc_core.cameras.incidents import IncidentChange, default_policy, grow, open_incident
from ioc_core.cameras.models import AlertKind, CameraAlert, CameraState, Incident, IncidentStatus
from ioc_core.cameras.ports import CameraUnitOfWork, IncidentRepository, StaleState
from ioc_core.shared.clock import VN_TZ

T0 = datetime(2026, 3, 2, 9, tzinfo=VN_TZ)
Store = tuple[IncidentRepository, CameraUnitOfWork]


def alert(n: int, minute: float = 0, camera: str = "pt-hd-01") -> CameraAlert:
    return CameraAlert(
        alert_id=f"a{n}",
        camera_id=camera,
        ward_code="22945",
        zone_id="street",
        kind=AlertKind.FIRE,
        confidence=0.7,
        severity="high",
        raised_at=T0 + timedelta(minutes=minute),
    )


def _commit(uow: CameraUnitOfWork, found: CameraAlert, change: IncidentChange) -> None:
    state = CameraState(camera_id=found.camera_id, incidents={"street#fire": change.incident.incident_id})
    uow.commit_snapshot(f"obj#{found.alert_id}", "analysed", None if change.expected_version else state,
                        [found], [], [change])  # fmt: skip


def _opened(uow: CameraUnitOfWork, n: int, minute: float = 0, camera: str = "pt-hd-01") -> Incident:
    first = alert(n, minute, camera)
    incident = open_incident(first, default_policy(), ["dieuhanh"], T0)
    _commit(uow, first, IncidentChange(incident, 0))
    return incident


class IncidentStoreContract:
    def test_an_incident_opened_with_its_alert_is_read_back_whole(self, incident_store: Store) -> None:
        incidents, uow = incident_store
        opened = _opened(uow, 1)
        assert incidents.get(opened.incident_id) == opened
        assert incidents.get("no-such-incident") is None

    def test_an_incident_is_opened_once(self, incident_store: Store) -> None:
        _, uow = incident_store
        opened = _opened(uow, 1)
        with pytest.raises(StaleState):
            uow.commit_snapshot("obj#other", "analysed", None, [], [], [IncidentChange(opened, 0)])

    def test_a_grown_incident_replaces_the_version_it_was_read_at(self, incident_store: Store) -> None:
        incidents, uow = incident_store
        opened = _opened(uow, 1)
        grown = grow(opened, alert(2, 3), default_policy())
        uow.commit_snapshot("obj#a2", "analysed", None, [alert(2, 3)], [], [IncidentChange(grown, 1)])
        assert incidents.get(opened.incident_id) == grown
        late = grow(opened, alert(3, 4), default_policy())  # read before the growth above
        with pytest.raises(StaleState):
            uow.commit_snapshot("obj#a3", "analysed", None, [alert(3, 4)], [], [IncidentChange(late, 1)])
        assert incidents.get(opened.incident_id) == grown  # nothing of the refused commit

    def test_an_operator_s_change_is_optimistic(self, incident_store: Store) -> None:
        incidents, uow = incident_store
        opened = _opened(uow, 1)
        verified = opened.model_copy(update={"status": IncidentStatus.VERIFIED, "version": 2})
        uow.commit_incident(verified, 1, [])
        with pytest.raises(StaleState):
            uow.commit_incident(verified.model_copy(update={"version": 3}), 1, [])
        assert incidents.get(opened.incident_id) == verified

    def test_the_queue_pages_by_status_most_recently_updated_first(self, incident_store: Store) -> None:
        incidents, uow = incident_store
        made = [_opened(uow, n, minute=n * 10, camera=f"pt-hd-0{n}") for n in range(1, 5)]
        closed = made[0].model_copy(update={"status": IncidentStatus.CLOSED, "version": 2})
        uow.commit_incident(closed, 1, [])
        first = incidents.by_status((IncidentStatus.OPEN,), 2, None)
        assert [i.incident_id for i in first.items] == [made[3].incident_id, made[2].incident_id]
        assert first.next_token is not None
        rest = incidents.by_status((IncidentStatus.OPEN,), 2, first.next_token)
        assert [i.incident_id for i in rest.items] == [made[1].incident_id]
        assert rest.next_token is None
        both = incidents.by_status((IncidentStatus.OPEN, IncidentStatus.CLOSED), 10, None)
        assert [i.incident_id for i in both.items] == [
            m.incident_id for m in (made[3], made[2], made[1], made[0])
        ]
