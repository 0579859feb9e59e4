"""Fire early warning on short synthetic sequences: persistence before alerting, and the hard
cases that must stay quiet (parked red vehicles, sunset, night traffic)."""

from __future__ import annotations

import pytest

from ioc_core.cameras.sequences import FIRE_WATCH, run_camera
from ioc_core.cameras.vision.scenes import Scene, SceneEvent, Weather

pytestmark = pytest.mark.unit


def test_a_growing_fire_alerts_within_a_few_snapshots_of_starting() -> None:
    scene = Scene(seed=41, start_minute=14 * 60, events=[SceneEvent("fire", 24, 0.4, 0.75, 0.04, 15)])
    run = run_camera(scene, 50)
    fires = [a for a in run.alerts if a.finding.kind == "fire"]
    assert len(fires) == 1
    assert 24 < fires[0].at_minutes <= 24 + 4 * 2  # 2 of the last 3 snapshots, 2-minute interval
    assert fires[0].finding.zone_id == FIRE_WATCH.zone_id


def test_one_bright_snapshot_is_not_a_fire() -> None:
    scene = Scene(seed=41, start_minute=14 * 60, events=[SceneEvent("fire", 24, 0.4, 0.75, 0.04, 15, end=25)])
    assert run_camera(scene, 40).alerts == []


@pytest.mark.parametrize(
    ("start", "weather"),
    [
        (17 * 60 + 10, Weather(cloudy=1.0)),
        (20 * 60, Weather(shake_px=2.0)),
        (5 * 60 + 10, Weather(rain=True)),
    ],
    ids=["sunset-clouds", "night-traffic-shake", "dawn-rain"],
)
def test_hard_scenes_without_fire_stay_quiet(start: float, weather: Weather) -> None:
    run = run_camera(Scene(seed=int(start), start_minute=start, weather=weather), 120)
    assert [a.finding.kind for a in run.alerts] == []
