"""The sequence benchmark: fires and smoke appearing and growing on fixed cameras, plus whole
days of hard cases (sunrise, sunset, headlights, red and orange vehicles, rain, shake, clouds).
Scored on seeds the region model was never trained on."""

from __future__ import annotations

import json

import pytest

from ioc_core.cameras.sequences import sequence_benchmark

pytestmark = pytest.mark.unit


def test_fires_are_caught_quickly_with_at_most_one_false_alarm_per_camera_day() -> None:
    report = sequence_benchmark(events=12, day_cameras=2).as_dict()
    print(json.dumps(report))
    fire = report["by_kind"]["fire"]
    assert fire["detected"] / fire["events"] >= 0.95
    assert report["recall"] >= 0.95  # smoke without flames included
    assert report["false_alarms_per_camera_day"] <= 1.0
    assert report["time_to_detect_minutes"]["median"] <= 10
    assert report["seconds"] < 60
