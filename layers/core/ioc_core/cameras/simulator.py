"""Simulated cameras for the local stack, and replaying a folder of images as a camera.

`make dev` registers the city's 61 cameras (6 high-definition, 17 medium-range, 38 in wards;
each at its own place inside its ward's boundary, the same on every run) and runs three of
them on synthetic scenes: a street through day and night with traffic, where a fire starts
a few minutes in; a verge where waste gets dumped; a quiet ward street. Each sends a
snapshot every few seconds through a presigned upload, exactly as a gateway does, with
simulated time running 24× faster than the clock (a day passes in an hour), stamped in the
object name. The detector stamps alerts and health at the city's clock at the latest, so
the fast clock shows no time in the future.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ioc_core.cameras.models import Camera, CameraKind, CameraZone
from ioc_core.cameras.vision.scenes import EventKind

log = logging.getLogger("ioc.cameras.simulator")
SIM_MINUTES_PER_SNAPSHOT = 2.0
SIM_HORIZON_MINUTES = 6 * 24 * 60  # ~6 hours of `make dev`; the upload API refuses stamps a week ahead
STREET_WATCH = CameraZone(
    zone_id="street",
    kind="fire_watch",
    polygon=[(0.0, 0.25), (1.0, 0.25), (1.0, 1.0), (0.0, 1.0)],
    name="Mặt phố",
    name_en="Street",
)
VERGE = CameraZone(
    zone_id="verge",
    kind="no_dumping",
    polygon=[(0.05, 0.87), (0.6, 0.87), (0.6, 0.99), (0.05, 0.99)],
    name="Lề đường",
    name_en="Roadside verge",
)
MIN_APART_M = 250.0  # no two cameras of the fleet closer than this


@dataclass(frozen=True)
class FleetCamera:
    camera_id: str
    name: str
    ward_code: str
    lat: float
    lon: float
    kind: CameraKind
    zones: tuple[CameraZone, ...] = ()


@dataclass(frozen=True)
class SimulatedScene:
    camera_id: str
    seed: int
    events: tuple[tuple[EventKind, float, float, float, float], ...] = ()  # kind, start min, x, y, size


SIMULATED = (
    SimulatedScene("pt-hd-01", seed=11, events=(("fire", 72.0, 0.62, 0.72, 0.045),)),
    SimulatedScene("pt-mr-01", seed=23, events=(("dumping", 40.0, 0.3, 0.93, 0.05),)),
    SimulatedScene("pt-w-01", seed=37),
)
SIMULATED_CAMERAS = tuple(s.camera_id for s in SIMULATED)


def fleet() -> list[FleetCamera]:
    """The city's 61 cameras across its wards, each at a distinct place inside its ward's
    boundary (drawn around the ward's representative point, deterministic)."""
    from ioc_core.admin_units.registry import default_registry

    registry = default_registry()
    wards = [b.code for b in registry.boundaries]
    placed: list[tuple[float, float]] = []
    out = []
    for kind, prefix, count in (
        (CameraKind.HD, "hd", 6),
        (CameraKind.MEDIUM, "mr", 17),
        (CameraKind.WARD, "w", 38),
    ):
        for i in range(1, count + 1):
            code = wards[(i - 1) % len(wards)]
            camera_id = f"pt-{prefix}-{i:02d}"
            lat, lon = _place(registry, code, camera_id, placed)
            placed.append((lat, lon))
            zones = (STREET_WATCH, VERGE) if camera_id in SIMULATED_CAMERAS else (STREET_WATCH,)
            out.append(
                FleetCamera(
                    camera_id=camera_id,
                    name=f"Camera {prefix.upper()} {i:02d}",
                    ward_code=code,
                    lat=lat,
                    lon=lon,
                    kind=kind,
                    zones=zones,
                )
            )
    return out


def _place(
    registry: Any, code: str, camera_id: str, placed: list[tuple[float, float]]
) -> tuple[float, float]:
    """A point of ``code``'s boundary (the ward the registry locates there), at least
    MIN_APART_M from the cameras placed before; seeded by the camera id."""
    boundary = next(b for b in registry.boundaries if b.code == code)
    min_lon, min_lat, max_lon, max_lat = boundary.bbox
    centre = registry.representative_point(code) or ((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)
    rng = random.Random(camera_id)
    spread = 0.25
    for attempt in range(2000):
        if attempt and attempt % 400 == 0:
            spread *= 1.5  # a crowded middle: look further out
        lat = round(rng.gauss(centre[0], (max_lat - min_lat) * spread), 5)
        lon = round(rng.gauss(centre[1], (max_lon - min_lon) * spread), 5)
        found = registry.locate(lat, lon)
        if found is None or found.code != code:
            continue
        if all(_metres(lat, lon, *other) >= MIN_APART_M for other in placed):
            return lat, lon
    raise RuntimeError(f"no place for {camera_id} in ward {code}")


def _metres(lat: float, lon: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough within a city."""
    x = math.radians(lon2 - lon) * math.cos(math.radians((lat + lat2) / 2))
    return 6_371_000 * math.hypot(x, math.radians(lat2 - lat))


def register_fleet(simulated: Iterable[str]) -> dict[str, str]:
    """Register every camera (idempotent); only the simulated ones are active. Returns a fresh
    uploader key for each simulated camera."""
    from ioc_core.cameras.wiring import camera_service

    service = camera_service()
    live = set(simulated)
    keys = {}
    for spec in fleet():
        existing = service.registry.get(spec.camera_id)
        if existing is None:
            camera, key = service.register(
                spec.camera_id, spec.name, spec.ward_code, spec.lat, spec.lon, spec.kind, list(spec.zones)
            )
            if spec.camera_id not in live:  # registered, not yet connected: no silence alarms
                service.registry.save(camera.model_copy(update={"active": False, "version": 2}), 1)
        else:
            key = service.rotate_uploader_key(spec.camera_id) if spec.camera_id in live else ""
        if spec.camera_id in live:
            keys[spec.camera_id] = key
    return keys


def upload(camera_id: str, uploader_key: str, data: bytes, taken_at: datetime) -> str:
    """What a camera gateway does: ask for a presigned POST, then POST the JPEG to S3."""
    import requests

    from ioc_core.cameras.wiring import camera_service

    post: dict[str, Any] = camera_service().presign_upload(camera_id, uploader_key, taken_at)
    files = {"file": ("snapshot.jpg", data, "image/jpeg")}
    response = requests.post(str(post["url"]), data=post["fields"], files=files, timeout=10)
    response.raise_for_status()
    return str(post["key"])


@dataclass
class SimulatedCamera:
    scene: SimulatedScene
    uploader_key: str
    interval: float = 5.0
    width: int = 960
    height: int = 540
    stop: threading.Event = field(default_factory=threading.Event)
    sent: int = 0

    def run(self) -> None:
        from ioc_core.cameras.vision.jpeg import encode_jpeg
        from ioc_core.cameras.vision.scenes import Scene, SceneEvent, Weather
        from ioc_core.shared.clock import to_vn

        started = datetime.now(UTC)
        local = to_vn(started)
        events = [
            SceneEvent(k, start=s, x=x, y=y, size=z, grow_minutes=16) for k, s, x, y, z in self.scene.events
        ]
        world = Scene(
            seed=self.scene.seed,
            width=self.width,
            height=self.height,
            start_minute=local.hour * 60 + local.minute,
            weather=Weather(shake_px=0.8),
            events=events,
        )
        while not self.stop.is_set():
            t = self.sent * SIM_MINUTES_PER_SNAPSHOT
            if t > SIM_HORIZON_MINUTES:
                log.warning(
                    "simulated camera %s has run %d simulated days: stopping", self.scene.camera_id, 6
                )
                return
            try:
                data = encode_jpeg(world.render(t), quality=85)
                upload(self.scene.camera_id, self.uploader_key, data, started + timedelta(minutes=t))
                self.sent += 1
            except Exception:  # a hiccup of the local stack must not kill the camera
                log.exception("simulated camera %s failed to upload", self.scene.camera_id)
            self.stop.wait(self.interval)


class Simulation:
    def __init__(self, cameras: list[SimulatedCamera]) -> None:
        self.cameras = cameras
        self.threads = [
            threading.Thread(target=c.run, name=f"camera-{c.scene.camera_id}", daemon=True) for c in cameras
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        for camera in self.cameras:
            camera.stop.set()
        for thread in self.threads:  # daemon threads: a camera mid-upload is not waited for long
            thread.join(timeout=1)


def start_simulation(interval: float = 5.0) -> Simulation:
    keys = register_fleet(s.camera_id for s in SIMULATED)
    simulation = Simulation([SimulatedCamera(s, keys[s.camera_id], interval) for s in SIMULATED])
    simulation.start()
    return simulation


REPLAY_CAMERA = "pt-replay-01"  # `ioc cameras simulate`'s own camera, registered on first use
REPLAY_MODEL = "pt-w-01"  # the ward camera whose ward and place it shares (a little apart)


class ReplayError(Exception):
    """A replay that cannot run; the message says what to pass instead."""


def replay_camera(camera_id: str | None) -> str:
    """The camera a replay drives: its own unless told, never one `make dev`'s simulation
    drives (their snapshots would interleave and the new key would cut the simulation off)."""
    from ioc_core.cameras.wiring import camera_service

    service = camera_service()
    chosen = camera_id or REPLAY_CAMERA
    use_own = f"Leave --camera out to replay as {REPLAY_CAMERA} (a camera of its own)."
    if chosen in SIMULATED_CAMERAS:
        raise ReplayError(f"Camera {chosen} is driven by the built-in simulator of `make dev`. {use_own}")
    camera = service.registry.get(chosen)
    if camera is None and chosen == REPLAY_CAMERA:
        camera = _register_replay_camera()
    if camera is None:
        raise ReplayError(f"No camera {chosen} is registered. {use_own}")
    if not camera.active:
        raise ReplayError(f"Camera {chosen} is inactive: it takes no snapshots. {use_own}")
    return chosen


def _register_replay_camera() -> Camera:
    from ioc_core.cameras.wiring import camera_service
    from ioc_core.shared.errors import Conflict

    service = camera_service()
    model = next(c for c in fleet() if c.camera_id == REPLAY_MODEL)
    try:
        camera, _ = service.register(
            REPLAY_CAMERA,
            "Camera phát lại (ioc cameras simulate)",
            model.ward_code,
            round(model.lat + 0.0008, 5),
            model.lon,
            CameraKind.WARD,
            [STREET_WATCH],
            # Heard from only while a replay runs: a silence alarm after a day, not half an hour.
            silent_after_minutes=24 * 60,
        )
    except Conflict:  # another replay registered it meanwhile
        return service.get(REPLAY_CAMERA)
    return camera


def replay_files(folder: Path) -> list[Path]:
    """The files a replay sends, in name order; ReplayError when ``folder`` is no folder."""
    if not folder.is_dir():
        raise ReplayError(f"No folder {folder}: pass a folder of images, sent in name order.")
    return sorted(p for p in folder.iterdir() if p.is_file())


def replay(
    folder: Path,
    camera_id: str | None,
    uploader_key: str | None,
    interval: float,
    say: Callable[[str], None] = print,
) -> int:
    """Upload every file of ``folder`` (sorted by name) as snapshots of ``camera_id`` (None:
    the replay's own camera); ReplayError when it may not. Non-images are sent too: the
    detector quarantines them, as it would a camera's garbage."""
    from ioc_core.cameras.registry import CameraInactive
    from ioc_core.cameras.wiring import camera_service
    from ioc_core.shared.errors import Forbidden

    files = replay_files(folder)
    if not files:
        say(f"No files in {folder}.")
        return 1
    chosen = replay_camera(camera_id)
    key = uploader_key or camera_service().rotate_uploader_key(chosen)
    start = datetime.now(UTC)
    for n, path in enumerate(files):
        taken = start + timedelta(minutes=n * SIM_MINUTES_PER_SNAPSHOT)
        try:
            stored = upload(chosen, key, path.read_bytes(), taken)
        except CameraInactive as error:
            raise ReplayError(f"Camera {chosen} is inactive: it takes no snapshots.") from error
        except Forbidden as error:
            raise ReplayError(
                f"Camera {chosen} refused the uploader key: pass the key its gateway uses, "
                "or leave --key out to rotate it."
            ) from error
        say(f"{path.name} → {stored}")
        if n + 1 < len(files):
            time.sleep(interval)
    return 0
