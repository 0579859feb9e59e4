"""Fixed-camera sequences from the synthetic scenes, run through the real analysis.

Used by the sequence benchmark (per-event recall, false alarms per camera per simulated day,
time to detect) and by the region model's training, on disjoint seeds: training uses seeds
from ``TRAINING_SEED_BASE`` up, the benchmark seeds below it.
"""

from __future__ import annotations

import math
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
    relit: dict[str, refs.Reference] = {}
    pending: dict[str, list[Any]] = {}
    run = Run()
    base = DAY + timedelta(minutes=scene.start_minute)
    for step in range(int(minutes / interval)):
        t = step * interval
        at = base + timedelta(minutes=t)
        data = encode_jpeg(scene.render(t), quality=85)
        started = time.perf_counter()
        image = decode_for_analysis(data, inspect(data))
        result = analyse(image, at, zones, tuning, state, references, model, relit)
        run.seconds_analysing += time.perf_counter() - started
        state = result.state
        if result.refreshed is not None:  # the light ramped away from it (vision/refresh.py)
            relit[result.period] = refs.Reference(result.refreshed)
            state.relit[result.period] = f"mem:{result.period}:lit:{step}"
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
            # Fire and smoke grow; an object left in a zone is there whole from the start.
            x0, y0, x1, y1 = scene.event_box(event, t if event.kind in FIRE_KINDS else math.inf)
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                return True
    return False


# -- the benchmark's world ------------------------------------------------------------------

FIRE_KINDS = ("fire", "smoke")
ZONE_KINDS = ("dumping", "construction", "encroachment")
ZONE_OF = {"dumping": "no_dumping", "construction": "no_construction", "encroachment": "no_encroachment"}
WARMUP_MINUTES = 20.0
EVENT_WINDOW_MINUTES = 40.0


def _rng_event(rng: np.random.Generator, kind: str, start: float) -> SceneEvent:
    if kind in ZONE_KINDS:  # waste and stalls on the verge, a structure in a lot between buildings
        rows = {"dumping": (0.9, 0.96), "encroachment": (0.95, 0.98)}.get(kind, (0.56, 0.66))
        y = rng.uniform(*rows)
        return SceneEvent(
            kind,  # type: ignore[arg-type]
            start=start,
            x=float(rng.uniform(0.2, 0.8)),
            y=float(y),
            size=float(rng.uniform(0.03, 0.05)),
            grow_minutes=1.0,
        )
    return SceneEvent(
        kind,  # type: ignore[arg-type]
        start=start,
        x=float(rng.uniform(0.1, 0.9)),
        y=float(rng.uniform(0.5, 0.8)),
        size=float(rng.uniform(0.025, 0.06)),
        grow_minutes=float(rng.uniform(8, 25)),
    )


def event_scene(seed: int, kind: str) -> Scene:
    """A camera at a random time of day and weather with one event of ``kind``."""
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


def event_zones(scene: Scene) -> list[Zone]:
    """The fire watch, plus for a zone event the zone an administrator drew around that place."""
    zones = [FIRE_WATCH]
    for event in scene.events:
        if event.kind in ZONE_KINDS:
            x0, x1 = max(0.0, event.x - 0.2), min(1.0, event.x + 0.2)
            y0, y1 = (0.87, 0.99) if event.kind != "construction" else (0.3, 0.7)
            polygon = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            zones.append(Zone(zone_id=f"zone-{event.kind}", kind=ZONE_OF[event.kind], polygon=polygon))  # type: ignore[arg-type]
    return zones


# Zones of the whole-day cameras: every kind, none with an event in it.
DAY_ZONES = [
    FIRE_WATCH,
    Zone(zone_id="verge", kind="no_dumping", polygon=[(0.05, 0.87), (0.5, 0.87), (0.5, 0.99), (0.05, 0.99)]),
    Zone(
        zone_id="kerb", kind="no_encroachment", polygon=[(0.5, 0.87), (0.95, 0.87), (0.95, 0.99), (0.5, 0.99)]
    ),
    Zone(zone_id="lot", kind="no_construction", polygon=[(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]),
]


def day_scene(seed: int) -> Scene:
    """A whole day from midnight: sunrise, sunset, traffic, headlights; rain and shake vary."""
    rng = np.random.default_rng(seed)
    weather = Weather(
        rain=bool(rng.random() < 0.3),
        shake_px=float(rng.choice([0.5, 1.0, 2.0])),
        cloudy=float(rng.uniform(0.2, 1)),
    )
    return Scene(seed=seed, start_minute=0.0, weather=weather)


@dataclass
class Episode:
    kind: str
    detected: bool
    minutes_to_detect: float | None


def _ttd(minutes: list[float]) -> dict[str, float | None]:
    return {
        "median": round(float(np.median(minutes)), 1) if minutes else None,
        "p90": round(float(np.percentile(minutes, 90)), 1) if minutes else None,
        "max": round(float(max(minutes)), 1) if minutes else None,
    }


@dataclass
class SequenceReport:
    episodes: list[Episode]
    false_alarms: dict[str, int]  # "fire_smoke" | "zone_change" → alerts matching no event
    camera_days: float
    snapshots: int
    seconds: float
    analyse_ms: float

    def _family(self, kinds: tuple[str, ...]) -> dict[str, Any]:
        mine = [e for e in self.episodes if e.kind in kinds]
        found = [e.minutes_to_detect for e in mine if e.minutes_to_detect is not None]
        return {
            "events": len(mine),
            "detected": len(found),
            "recall": round(len(found) / max(1, len(mine)), 4),
            "time_to_detect_minutes": _ttd(found),
        }

    def as_dict(self) -> dict[str, Any]:
        days = max(self.camera_days, 1e-9)
        families = {"fire_smoke": FIRE_KINDS, "zone_change": ZONE_KINDS}
        kinds = [k for k in (*FIRE_KINDS, *ZONE_KINDS) if any(e.kind == k for e in self.episodes)]
        return {
            **self._family((*FIRE_KINDS, *ZONE_KINDS)),
            "false_alarms": sum(self.false_alarms.values()),
            "camera_days": round(self.camera_days, 3),
            "false_alarms_per_camera_day": round(sum(self.false_alarms.values()) / days, 3),
            "by_family": {
                name: {
                    **self._family(members),
                    "false_alarms": self.false_alarms.get(name, 0),
                    "false_alarms_per_camera_day": round(self.false_alarms.get(name, 0) / days, 3),
                }
                for name, members in families.items()
            },
            "by_kind": {k: self._family((k,)) for k in kinds},
            "snapshot_interval_minutes": INTERVAL_MINUTES,
            "snapshots": self.snapshots,
            "analyse_ms_per_snapshot": round(self.analyse_ms, 2),
            "seconds": round(self.seconds, 1),
        }


def _family_of(kind: str) -> str:
    return "fire_smoke" if kind in FIRE_KINDS else "zone_change"


def sequence_benchmark(
    events: int = 16,
    day_cameras: int = 3,
    model: StumpEnsemble | None = None,
    seed: int = 1,
    zone_events: int = 0,
    tuning: Tuning | None = None,
) -> SequenceReport:
    """``events`` fire/smoke episodes (two fires for every smoke alone), ``zone_events``
    zone-change episodes (dumping, construction, encroachment in turn) and ``day_cameras``
    whole days with no event but zones of every kind, each camera with ``tuning``."""
    started = time.perf_counter()
    episodes: list[Episode] = []
    false_alarms = {"fire_smoke": 0, "zone_change": 0}
    snapshots, analysing, minutes_watched = 0, 0.0, 0.0
    plan = [("smoke" if i % 3 == 0 else "fire", seed * 1000 + i) for i in range(events)]
    plan += [(ZONE_KINDS[i % 3], seed * 1000 + 300 + i) for i in range(zone_events)]
    for kind, scene_seed in plan:
        scene = event_scene(scene_seed, kind)
        run = run_camera(
            scene, WARMUP_MINUTES + EVENT_WINDOW_MINUTES, zones=event_zones(scene), tuning=tuning, model=model
        )
        snapshots += run.snapshots
        analysing += run.seconds_analysing
        minutes_watched += WARMUP_MINUTES + EVENT_WINDOW_MINUTES
        # A fire's own smoke alert is the same event seen another way, not a false alarm.
        family = FIRE_KINDS if kind in FIRE_KINDS else (kind,)
        hits = [a for a in run.alerts if a.finding.kind in family]
        hits = [a for a in hits if _matches_event(scene, a.finding.box, a.at_minutes, family)]
        for alert in run.alerts:
            if alert not in hits:
                false_alarms[_family_of(alert.finding.kind)] += 1
        first = min((a.at_minutes for a in hits), default=None)
        episodes.append(
            Episode(kind, first is not None, None if first is None else first - scene.events[0].start)
        )
    for c in range(day_cameras):
        run = run_camera(
            day_scene(seed * 1000 + 500 + c), 24 * 60, zones=DAY_ZONES, tuning=tuning, model=model
        )
        snapshots += run.snapshots
        analysing += run.seconds_analysing
        minutes_watched += 24 * 60
        for alert in run.alerts:
            false_alarms[_family_of(alert.finding.kind)] += 1
    return SequenceReport(
        episodes=episodes,
        false_alarms=false_alarms,
        camera_days=minutes_watched / (24 * 60),
        snapshots=snapshots,
        seconds=time.perf_counter() - started,
        analyse_ms=1000 * analysing / max(1, snapshots),
    )
