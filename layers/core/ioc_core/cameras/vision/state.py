"""What a camera's detector remembers between snapshots (stored with the camera's state).

Plain pydantic, no I/O: tracks of fire and smoke candidates, per-zone change tracks, and the
reference views per time of day (keys of stored images, plus pending candidates).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the frame
Period = Literal["dawn", "day", "dusk", "night"]
PERIODS: tuple[Period, ...] = ("dawn", "day", "dusk", "night")


class Observation(BaseModel):
    at: datetime
    score: float
    box: Box
    area: float  # fraction of the frame
    texture: float = 0.0


class Track(BaseModel):
    """A fire or smoke candidate followed across snapshots of one camera."""

    track_id: int
    kind: Literal["fire", "smoke"]
    observations: list[Observation] = Field(default_factory=list)
    missed: int = 0
    alerted: bool = False

    @property
    def last(self) -> Observation:
        return self.observations[-1]


class ZoneTrack(BaseModel):
    """A change inside one zone: where it is, since when, and whether it was alerted."""

    box: Box
    first_seen: datetime
    snapshots: int = 1
    missed: int = 0
    alerted: bool = False
    fraction: float = 0.0


class Tuning(BaseModel):
    """Per-camera thresholds. False alarms raise them, and that fades (cameras/feedback.py)."""

    fire_threshold: float = 0.6
    fire_hits: int = 2  # alert when k of the last n snapshots score above the threshold
    fire_window: int = 3
    smoke_snapshots: int = 5
    smoke_growth: float = 1.5
    change_area_fraction: float = 0.01  # of the zone's area, in the same place for a while
    change_snapshots: int = 3
    change_minutes: float = 20.0
    # Zones compare their reference refreshed as dawn's light rises (vision/refresh.py): finds
    # structures built at dawn, at the cost of false alarms at sunrise (README); off by default.
    relight_zones: bool = False
    false_alarms: int = 0
    tuned_at: datetime | None = None  # when a false alarm last raised them (they fade from there)


class DetectorState(BaseModel):
    tracks: list[Track] = Field(default_factory=list)
    zones: dict[str, ZoneTrack] = Field(default_factory=dict)
    next_track: int = 1
    references: dict[str, str] = Field(default_factory=dict)  # period → stored image key
    # period → stored image key: its reference refreshed with the light, what zones compare
    relit: dict[str, str] = Field(default_factory=dict)
    pending: dict[str, list[str]] = Field(default_factory=dict)  # period → candidate image keys
    pending_at: dict[str, datetime] = Field(default_factory=dict)  # period → last candidate's time
    last_at: datetime | None = None


ZoneKind = Literal["fire_watch", "no_construction", "no_dumping", "no_encroachment"]


class Zone(BaseModel):
    """A polygon drawn on the camera's image, vertices as fractions of width and height."""

    zone_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    kind: ZoneKind
    polygon: list[tuple[float, float]] = Field(min_length=3, max_length=64)
    name: str = ""


BOOTSTRAP_SNAPSHOTS = 5
BOOTSTRAP_SPACING_MINUTES = 4.0


def period_of(at: datetime) -> Period:
    """Time-of-day period in the city's clock (sunrise ~05:40, sunset ~17:50)."""
    from ioc_core.shared.clock import to_vn

    local = to_vn(at)
    minute = local.hour * 60 + local.minute
    if 5 * 60 <= minute < 6 * 60 + 30:
        return "dawn"
    if 6 * 60 + 30 <= minute < 17 * 60:
        return "day"
    if 17 * 60 <= minute < 18 * 60 + 30:
        return "dusk"
    return "night"


def wants_candidate(state: DetectorState, period: Period, at: datetime) -> bool:
    """Whether this snapshot should become one of its period's bootstrap candidates."""
    if period in state.references:
        return False
    last = state.pending_at.get(period)
    return last is None or (at - last).total_seconds() >= BOOTSTRAP_SPACING_MINUTES * 60


def add_candidate(state: DetectorState, period: Period, at: datetime, key: str) -> bool:
    """Record a stored candidate; True when the period has enough to build its reference."""
    state.pending.setdefault(period, []).append(key)
    state.pending_at[period] = at
    return len(state.pending[period]) >= BOOTSTRAP_SNAPSHOTS


def set_reference(state: DetectorState, period: str, key: str) -> None:
    """A new reference for the period: whatever refreshed the old one goes with it."""
    state.references[period] = key
    state.relit.pop(period, None)
    state.pending.pop(period, None)
    state.pending_at.pop(period, None)


def accept_change(state: DetectorState, zone_id: str) -> None:
    """An operator accepted the change: forget the zone's track (its reference is replaced apart)."""
    state.zones.pop(zone_id, None)
