"""False alarms raise a camera's thresholds, and the raise fades with a half-life (data)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from camera_fakes import T0, AlertsView, InMemoryCameras, raised_alert

from ioc_core.cameras.alerts import AlertService
from ioc_core.cameras.feedback import FeedbackPolicy, after_false_alarm, decayed, default_policy
from ioc_core.cameras.models import AlertKind
from ioc_core.cameras.vision.state import Tuning
from ioc_core.shared.clock import FixedClock

pytestmark = pytest.mark.unit

DEFAULT = Tuning()
HALF_LIFE = default_policy().half_life_days


def _false_alarm(store: InMemoryCameras, service: AlertService, alert_id: str, kind: AlertKind) -> None:
    raised_alert(store, alert_id, kind, "high", service.clock.now())
    service.verify(alert_id, "operator:lan", real=False)


def test_the_policy_is_data_with_a_half_life_in_days() -> None:
    policy = default_policy()
    assert 1 <= policy.half_life_days <= 90
    assert policy.fire_step > 0 and policy.change_factor > 1


def test_a_raised_threshold_halves_back_toward_the_default_every_half_life(store: InMemoryCameras) -> None:
    clock = FixedClock(T0)
    service = AlertService(AlertsView(store), store, store, clock)
    _false_alarm(store, service, "a1", AlertKind.FIRE)
    stored = store.cameras["pt-hd-01"].tuning
    assert stored.tuned_at == T0 and stored.fire_threshold == pytest.approx(DEFAULT.fire_threshold + 0.05)
    assert decayed(stored, T0).fire_threshold == pytest.approx(stored.fire_threshold)
    one = decayed(stored, T0 + timedelta(days=HALF_LIFE))
    assert one.fire_threshold == pytest.approx(DEFAULT.fire_threshold + 0.025, abs=1e-3)
    gone = decayed(stored, T0 + timedelta(days=10 * HALF_LIFE))
    assert gone.fire_threshold == pytest.approx(DEFAULT.fire_threshold, abs=1e-3)
    assert gone.false_alarms == 1  # the count is history, not a threshold: it stays


def test_a_later_false_alarm_steps_up_from_the_faded_value(store: InMemoryCameras) -> None:
    clock = FixedClock(T0)
    service = AlertService(AlertsView(store), store, store, clock)
    _false_alarm(store, service, "a1", AlertKind.DUMPING)
    first = store.cameras["pt-hd-01"].tuning.change_area_fraction
    assert first == pytest.approx(DEFAULT.change_area_fraction * 1.25)
    clock.at = T0 + timedelta(days=HALF_LIFE)
    _false_alarm(store, service, "a2", AlertKind.DUMPING)
    second = store.cameras["pt-hd-01"].tuning
    faded = DEFAULT.change_area_fraction + (first - DEFAULT.change_area_fraction) / 2
    assert second.change_area_fraction == pytest.approx(faded * 1.25, abs=1e-4)
    assert second.tuned_at == clock.at and second.false_alarms == 2


def test_untouched_tuning_does_not_drift_and_steps_are_capped() -> None:
    assert decayed(Tuning(fire_threshold=0.7), T0 + timedelta(days=365)).fire_threshold == 0.7
    policy = FeedbackPolicy(
        fire_step=0.2,
        fire_max=0.9,
        smoke_growth_factor=2.0,
        smoke_growth_max=2.5,
        change_factor=2.0,
        change_max=0.05,
        half_life_days=1.0,
    )
    tuning = Tuning()
    for _ in range(5):
        tuning = after_false_alarm(tuning, AlertKind.SMOKE, T0, policy)
    assert tuning.fire_threshold == 0.9 and tuning.smoke_growth == 2.5
    assert after_false_alarm(tuning, AlertKind.SMOKE, T0 + timedelta(days=1), policy).fire_threshold == 0.9
    assert after_false_alarm(Tuning(), AlertKind.CAMERA_SILENT, T0, policy).fire_threshold == 0.6
