"""Fire early warning on short synthetic sequences: persistence before alerting, and the hard
cases that must stay quiet (parked red vehicles, sunset, night traffic)."""

from __future__ import annotations

from datetime import datetime

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


def test_a_smoke_veil_that_splits_keeps_its_track_on_the_part_over_it() -> None:
    from ioc_core.cameras.vision.smoke import update_smoke_tracks
    from ioc_core.cameras.vision.state import DetectorState, Observation, Track, Tuning

    at = datetime(2026, 3, 2, 17, 35)
    state = DetectorState(next_track=2)
    state.tracks = [
        Track(
            track_id=1,
            kind="smoke",
            observations=[Observation(at=at, score=0.5, box=(0.43, 0.36, 0.5, 0.59), area=0.014)],
        )
    ]
    beside, over = ((0.33, 0.36, 0.40, 0.59), 0.0125), ((0.43, 0.36, 0.50, 0.59), 0.0119)
    update_smoke_tracks(state, [beside, over], at, Tuning())
    track = next(t for t in state.tracks if t.track_id == 1)
    assert track.last.box == over[0]


def _night_views(rows: slice, cols: slice) -> tuple[object, object, object]:
    """A dark textured view and the same view with a flat, brighter grey over rows × cols."""
    import numpy as np

    from ioc_core.cameras.vision.fire import Frame
    from ioc_core.cameras.vision.reference import Reference

    rng = np.random.default_rng(3)
    dark = np.repeat(np.clip(rng.normal(22, 9, (270, 480, 1)), 0, 255).astype(np.uint8), 3, axis=2)
    veiled = dark.copy()
    veiled[rows, cols] = 36  # below LIT: only the glow cue can see it
    return Reference(dark), Frame.of(veiled, datetime(2026, 3, 2, 5, 40)), np.full((270, 480), 255, np.uint8)


def test_a_glowing_veil_in_the_dark_is_smoke_but_whole_rows_of_it_are_the_light() -> None:
    from ioc_core.cameras.vision.smoke import smoke_regions

    reference, patch, watched = _night_views(slice(112, 160), slice(192, 240))
    assert smoke_regions(patch, reference, (0, 0), watched)  # type: ignore[arg-type]
    reference, rows, watched = _night_views(slice(96, 128), slice(0, 480))
    assert smoke_regions(rows, reference, (0, 0), watched) == []  # type: ignore[arg-type]
