"""Fixed-camera sequences from the synthetic scenes, run through the real analysis.

Used by the sequence benchmark (per-event recall, false alarms per camera per simulated day,
time to detect) and by the region model's training, on disjoint seeds: training uses seeds
from ``TRAINING_SEED_BASE`` up, the benchmark seeds below it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ioc_core.cameras.vision import reference as refs
from ioc_core.cameras.vision.analysis import Finding, analyse
from ioc_core.cameras.vision.jpeg import decode_for_analysis, encode_jpeg, inspect
from ioc_core.cameras.vision.learn import StumpEnsemble
from ioc_core.cameras.vision.scenes import Scene, SceneEvent, Weather
from ioc_core.cameras.vision.state import DetectorState, Tuning, Zone
from ioc_core.shared.clock import VN_TZ

TRAINING_SEED_BASE = 10_000
INTERVAL_MINUTES = 2.0
DAY = datetime(2026, 3, 2, tzinfo=VN_TZ)
# The street scene's watched area: buildings and ground, not the sky.
FIRE_WATCH = Zone(
    zone_id="street", kind="fire_watch", polygon=[(0.0, 0.25), (1.0, 0.25), (1.0, 1.0), (0.0, 1.0)]
)


@dataclass
class Alert:
    at_minutes: float
    finding: Finding


@dataclass
class Run:
    alerts: list[Alert] = field(default_factory=list)
    snapshots: int = 0
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    seconds_analysing: float = 0.0


def run_camera(
    scene: Scene,
    minutes: float,
    zones: list[Zone] | None = None,
    tuning: Tuning | None = None,
    model: StumpEnsemble | None = None,
    interval: float = INTERVAL_MINUTES,
    collect: bool = False,
    on_snapshot: Callable[[float, Any], None] | None = None,
) -> Run:
    """Snapshots every ``interval`` minutes for ``minutes``, JPEG round trip, analysed."""
    zones = zones if zones is not None else [FIRE_WATCH]
    tuning = tuning or Tuning()
    state = DetectorState()
    references: dict[str, refs.Reference] = {}
    pending: dict[str, list[Any]] = {}
    run = Run()
    base = DAY + timedelta(minutes=scene.start_minute)
    for step in range(int(minutes / interval)):
        t = step * interval
        at = base + timedelta(minutes=t)
        data = encode_jpeg(scene.render(t), quality=85)
        started = time.perf_counter()
        image = decode_for_analysis(data, inspect(data))
        result = analyse(image, at, zones, tuning, state, references, model)
        run.seconds_analysing += time.perf_counter() - started
        state = result.state
        if refs.wants_candidate(state, result.period, at):
            pending.setdefault(result.period, []).append(image)
            if refs.add_candidate(state, result.period, at, f"mem:{result.period}:{step}"):
                references[result.period] = refs.Reference(refs.median_reference(pending.pop(result.period)))
                refs.set_reference(state, result.period, f"mem:{result.period}")
        run.snapshots += 1
        run.alerts += [Alert(t, f) for f in result.findings]
        if collect:
            for region in result.regions:
                run.features.append(region.vector())
                run.labels.append(int(_matches_event(scene, region.box, t, ("fire",))))
        if on_snapshot is not None:
            on_snapshot(t, data)
    return run


def _matches_event(
    scene: Scene, box: tuple[float, float, float, float], t: float, kinds: tuple[str, ...]
) -> bool:
    cx, cy = (box[0] + box[2]) / 2 * scene.width, (box[1] + box[3]) / 2 * scene.height
    for event in scene.events:
        if event.kind in kinds and event.active(t):
            x0, y0, x1, y1 = scene.event_box(event, t)
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                return True
    return False


# -- the benchmark's world ------------------------------------------------------------------


def _rng_event(rng: np.random.Generator, kind: str, start: float) -> SceneEvent:
    return SceneEvent(
        kind,  # type: ignore[arg-type]
        start=start,
        x=float(rng.uniform(0.1, 0.9)),
        y=float(rng.uniform(0.5, 0.8)),
        size=float(rng.uniform(0.025, 0.06)),
        grow_minutes=float(rng.uniform(8, 25)),
    )


def event_scene(seed: int, kind: str) -> Scene:
    """A camera at a random time of day and weather with one fire or smoke event."""
    rng = np.random.default_rng(seed)
    start_minute = float(rng.choice([5 * 60 + 10, 9 * 60, 13 * 60, 17 * 60 + 5, 20 * 60, 1 * 60]))
    weather = Weather(
        rain=bool(rng.random() < 0.25),
        shake_px=float(rng.choice([0.0, 0.8, 1.5])),
        cloudy=float(rng.uniform(0, 1)),
    )
    return Scene(
        seed=seed, start_minute=start_minute, weather=weather, events=[_rng_event(rng, kind, WARMUP_MINUTES)]
    )


def day_scene(seed: int) -> Scene:
    """A whole day from midnight: sunrise, sunset, traffic, headlights; rain and shake vary."""
    rng = np.random.default_rng(seed)
    weather = Weather(
        rain=bool(rng.random() < 0.3),
        shake_px=float(rng.choice([0.5, 1.0, 2.0])),
        cloudy=float(rng.uniform(0.2, 1)),
    )
    return Scene(seed=seed, start_minute=0.0, weather=weather)


WARMUP_MINUTES = 20.0
EVENT_WINDOW_MINUTES = 40.0
EVENT_KINDS = ("fire", "smoke")


@dataclass
class SequenceReport:
    events: int
    detected: int
    time_to_detect_minutes: list[float]
    false_alarms: int
    camera_days: float
    snapshots: int
    seconds: float
    analyse_ms: float
    by_kind: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, Any]:
        ttd = self.time_to_detect_minutes
        return {
            "events": self.events,
            "detected": self.detected,
            "recall": round(self.detected / max(1, self.events), 4),
            "false_alarms": self.false_alarms,
            "camera_days": round(self.camera_days, 3),
            "false_alarms_per_camera_day": round(self.false_alarms / max(self.camera_days, 1e-9), 3),
            "time_to_detect_minutes": {
                "median": round(float(np.median(ttd)), 1) if ttd else None,
                "p90": round(float(np.percentile(ttd, 90)), 1) if ttd else None,
                "max": round(float(max(ttd)), 1) if ttd else None,
            },
            "snapshot_interval_minutes": INTERVAL_MINUTES,
            "snapshots": self.snapshots,
            "analyse_ms_per_snapshot": round(self.analyse_ms, 2),
            "seconds": round(self.seconds, 1),
            "by_kind": self.by_kind,
        }


def sequence_benchmark(
    events: int = 16, day_cameras: int = 3, model: StumpEnsemble | None = None, seed: int = 1
) -> SequenceReport:
    """``events`` fire/smoke episodes plus ``day_cameras`` whole days with no event."""
    started = time.perf_counter()
    detected, ttd, false_alarms, snapshots, analysing = 0, [], 0, 0, 0.0
    minutes_watched = 0.0
    by_kind: dict[str, dict[str, int]] = {k: {"events": 0, "detected": 0} for k in EVENT_KINDS}
    for i in range(events):
        kind = EVENT_KINDS[0] if i % 3 else EVENT_KINDS[1]  # two fires for every smoke-only event
        scene = event_scene(seed * 1000 + i, kind)
        run = run_camera(scene, WARMUP_MINUTES + EVENT_WINDOW_MINUTES, model=model)
        snapshots += run.snapshots
        analysing += run.seconds_analysing
        minutes_watched += WARMUP_MINUTES + EVENT_WINDOW_MINUTES
        # A fire's own smoke alert is the same event seen another way, not a false alarm.
        hits = [a for a in run.alerts if _matches_event(scene, a.finding.box, a.at_minutes, EVENT_KINDS)]
        false_alarms += len(run.alerts) - len(hits)
        by_kind[kind]["events"] += 1
        if hits:
            detected += 1
            by_kind[kind]["detected"] += 1
            ttd.append(min(a.at_minutes for a in hits) - scene.events[0].start)
    for c in range(day_cameras):
        run = run_camera(day_scene(seed * 1000 + 500 + c), 24 * 60, model=model)
        snapshots += run.snapshots
        analysing += run.seconds_analysing
        minutes_watched += 24 * 60
        false_alarms += len(run.alerts)
    return SequenceReport(
        events=events,
        detected=detected,
        time_to_detect_minutes=ttd,
        false_alarms=false_alarms,
        camera_days=minutes_watched / (24 * 60),
        snapshots=snapshots,
        seconds=time.perf_counter() - started,
        analyse_ms=1000 * analysing / max(1, snapshots),
        by_kind=by_kind,
    )
