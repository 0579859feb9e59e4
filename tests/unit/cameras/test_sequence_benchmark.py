"""The sequence benchmark: fires and smoke appearing and growing on fixed cameras, objects left
in zones (dumped waste, a new structure, a stall on the verge), plus whole days of hard cases
(sunrise, sunset, headlights, red and orange vehicles, rain, shake, clouds) watched through
zones of every kind. Scored on seeds the region model was never trained on."""

from __future__ import annotations

import json

import pytest

from ioc_core.cameras.sequences import sequence_benchmark

pytestmark = pytest.mark.unit


@pytest.mark.slow  # ≈ 45 s: 12 episodes and two whole camera days
def test_fire_and_smoke_are_caught_quickly_with_at_most_one_false_alarm_per_camera_day() -> None:
    report = sequence_benchmark(events=12, day_cameras=2, zone_events=3).as_dict()
    print(json.dumps(report))
    fires = report["by_family"]["fire_smoke"]
    assert report["by_kind"]["fire"]["recall"] >= 0.95
    # Smoke without flames is missed now and then (1 of the 4 here, 2 of 8 on the larger run,
    # since alignment stopped being a pixel off): fire and smoke together do not meet the 0.95
    # target yet; this guards what they reach.
    assert fires["recall"] >= 11 / 12
    assert fires["false_alarms_per_camera_day"] <= 1.0
    assert fires["time_to_detect_minutes"]["median"] <= 10
    # Zone change meets the false-alarm target; its recall (0.92 on the larger run) not yet 0.95.
    assert report["by_family"]["zone_change"]["false_alarms_per_camera_day"] <= 1.0


def test_zone_changes_are_scored_alongside_with_their_own_false_alarms() -> None:
    report = sequence_benchmark(events=0, day_cameras=0, zone_events=3).as_dict()
    zones = report["by_family"]["zone_change"]
    assert zones["events"] == 3 and set(report["by_kind"]) == {"dumping", "construction", "encroachment"}
    assert report["by_family"]["fire_smoke"]["events"] == 0
    # The scenes are seeded: all three changes are found, and no other alert is raised on them,
    # by the zone detector or by fire and smoke.
    assert zones["detected"] == 3 and zones["recall"] == 1.0
    assert report["false_alarms"] == zones["false_alarms"] == 0
    # Persistence: a change alerts once seen over ≥ 20 min, not at once.
    assert zones["time_to_detect_minutes"]["median"] >= 20
