"""Operators verify, dispatch and close; false alarms are kept and tune the camera."""

from __future__ import annotations

import pytest
from camera_fakes import InMemoryCameras, raised_alert

from ioc_core.cameras.alerts import AlertService
from ioc_core.cameras.models import AlertKind, AlertStatus, CameraAlert
from ioc_core.cameras.stats import PK, deltas, rates
from ioc_core.shared.cloudevents import short_type
from ioc_core.shared.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.unit


def _raise(store: InMemoryCameras, kind: AlertKind = AlertKind.FIRE, alert_id: str = "a1") -> CameraAlert:
    return raised_alert(store, alert_id, kind)


def test_verify_dispatch_close(store: InMemoryCameras, alerts: AlertService) -> None:
    _raise(store)
    alerts.verify("a1", "operator:lan", real=True, note="lửa thật")
    alerts.dispatch("a1", "operator:lan", unit="PCCC Phan Thiết")
    closed = alerts.close("a1", "operator:lan", note="đã dập")
    assert closed.status is AlertStatus.CLOSED
    assert [h.action for h in closed.history] == ["verified", "dispatched", "closed"]
    assert closed.unit == "PCCC Phan Thiết" and closed.version == 4
    assert [short_type(e.type) for e in store.outbox] == ["cameras.alert.status_changed"] * 3


def test_a_false_alarm_is_kept_and_raises_that_cameras_threshold(
    store: InMemoryCameras, alerts: AlertService
) -> None:
    _raise(store)
    before = store.cameras["pt-hd-01"].tuning
    flagged = alerts.verify("a1", "operator:lan", real=False, note="đèn xe")
    assert flagged.status is AlertStatus.FALSE_ALARM
    assert store.alerts["a1"].status is AlertStatus.FALSE_ALARM  # kept, as feedback
    after = store.cameras["pt-hd-01"].tuning
    assert after.fire_threshold == pytest.approx(before.fire_threshold + 0.05)
    assert after.false_alarms == 1
    assert after.change_area_fraction == before.change_area_fraction


def test_a_false_zone_change_raises_the_area_threshold(store: InMemoryCameras, alerts: AlertService) -> None:
    _raise(store, AlertKind.DUMPING)
    before = store.cameras["pt-hd-01"].tuning
    alerts.verify("a1", "operator:lan", real=False)
    assert store.cameras["pt-hd-01"].tuning.change_area_fraction == pytest.approx(
        before.change_area_fraction * 1.25
    )


def test_steps_out_of_order_are_conflicts(store: InMemoryCameras, alerts: AlertService) -> None:
    _raise(store)
    with pytest.raises(Conflict):
        alerts.dispatch("a1", "operator:lan", unit="PCCC")  # verify first
    with pytest.raises(Conflict):
        alerts.close("a1", "operator:lan")
    alerts.verify("a1", "operator:lan", real=False)
    with pytest.raises(Conflict):
        alerts.verify("a1", "operator:lan", real=True)
    with pytest.raises(ValidationFailed):
        _raise(store, alert_id="a2")
        alerts.verify("a2", "operator:lan", real=True)
        alerts.dispatch("a2", "operator:lan", unit="  ")


def test_counters_give_false_alarm_rates(store: InMemoryCameras, alerts: AlertService) -> None:
    from ioc_core.cameras import events

    totals: dict[str, int] = {}
    for n, real in enumerate([True, False, False, True]):
        alert = _raise(store, alert_id=f"a{n}")
        store.outbox.append(events.alert_raised(alert))
        alerts.verify(alert.alert_id, "operator:lan", real=real)
    for event in store.outbox:
        for (pk, sk), change in deltas(event).items():
            if (pk, sk) == (PK, "camera#pt-hd-01"):
                for name, delta in change.items():
                    totals[name] = totals.get(name, 0) + delta
    figures = rates(totals)
    assert figures["alerts"] == 4 and figures["false_alarms"] == 2 and figures["false_alarm_rate"] == 0.5
