"""Administrative units as versioned data, and ward boundaries. No I/O here.

The NSO reuses codes: a merged unit takes the code of one of its predecessors, so a code
names a unit only together with a date. A unit's identity is its ``key`` (code + valid_from).
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Level = Literal["ward", "commune", "township"]

# (lon, lat) as in GeoJSON; a ring is closed (first point == last point).
Point = tuple[float, float]
Ring = tuple[Point, ...]
# Outer ring first, then holes.
Polygon = tuple[Ring, ...]

ONE_DAY = timedelta(days=1)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


class LocalizedName(BaseModel):
    """A bilingual name: Vietnamese (with diacritics, NFC) first, then English."""

    model_config = ConfigDict(frozen=True)

    vi: str
    en: str

    @field_validator("vi", "en")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _nfc(value.strip())


class ProvinceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str

    @field_validator("name")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _nfc(value.strip())


class AdminUnit(BaseModel):
    """One version of a commune-level unit (phường, xã or thị trấn).

    ``valid_from`` None means the unit existed before the tracked history; ``valid_to`` None
    means it is still in force. Both bounds are inclusive.
    """

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^\d{5}$")
    name: LocalizedName
    level: Level
    province: ProvinceRef
    valid_from: date | None
    valid_to: date | None = None
    predecessors: tuple[str, ...] = ()
    successor: str | None = None
    legacy_district: str | None = None
    code_verified: bool = True

    @field_validator("legacy_district")
    @classmethod
    def _normalise(cls, value: str | None) -> str | None:
        return _nfc(value.strip()) if value is not None else None

    @model_validator(mode="after")
    def _check_validity(self) -> AdminUnit:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"unit {self.code}: valid_to is before valid_from")
        if self.successor is not None and self.valid_to is None:
            raise ValueError(f"unit {self.code}: a successor needs a valid_to")
        return self

    @property
    def key(self) -> str:
        """Unique across versions, e.g. ``22945@2025-07-01`` (``@origin`` when untracked)."""
        start = self.valid_from.isoformat() if self.valid_from else "origin"
        return f"{self.code}@{start}"

    def active_on(self, day: date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        not_ended = self.valid_to is None or day <= self.valid_to
        return started and not_ended

    def overlaps(self, other: AdminUnit) -> bool:
        """True when both versions are in force on some common day."""
        self_start = self.valid_from or date.min
        other_start = other.valid_from or date.min
        self_end = self.valid_to or date.max
        other_end = other.valid_to or date.max
        return self_start <= other_end and other_start <= self_end

    @property
    def successor_day(self) -> date | None:
        """The first day the successor is in force."""
        return self.valid_to + ONE_DAY if self.valid_to else None

    @property
    def predecessor_day(self) -> date | None:
        """The last day the predecessors were in force."""
        return self.valid_from - ONE_DAY if self.valid_from else None


class AdminUnitsDocument(BaseModel):
    """The versioned data file ``admin_units.json``."""

    version: str
    source: str
    notes: tuple[str, ...] = ()
    units: tuple[AdminUnit, ...]


def _ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    """Ray casting (crossing number) with a half-open rule, so a point on an edge shared by
    two polygons counts for one of them only."""
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def ring_signed_area(ring: Ring) -> float:
    """Shoelace area in square degrees; positive for a counter-clockwise ring."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


class WardBoundary(BaseModel):
    """The area of one unit: one or more polygons, each an outer ring plus holes.

    ``valid_on`` names the day the boundary describes; None means the latest version of the
    unit with this code.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    polygons: tuple[Polygon, ...]
    name_vi: str | None = None
    approximate: bool = False
    valid_on: date | None = None

    @field_validator("polygons")
    @classmethod
    def _check_rings(cls, polygons: tuple[Polygon, ...]) -> tuple[Polygon, ...]:
        if not polygons:
            raise ValueError("a boundary needs at least one polygon")
        for polygon in polygons:
            if not polygon:
                raise ValueError("a polygon needs an outer ring")
            for ring in polygon:
                if len(ring) < 4 or ring[0] != ring[-1]:
                    raise ValueError("a ring needs at least 4 points and must be closed")
        return polygons

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) of the outer rings."""
        lons = [lon for polygon in self.polygons for lon, _ in polygon[0]]
        lats = [lat for polygon in self.polygons for _, lat in polygon[0]]
        return min(lons), min(lats), max(lons), max(lats)

    def contains(self, lat: float, lon: float) -> bool:
        for outer, *holes in self.polygons:
            if _ring_contains(outer, lon, lat) and not any(_ring_contains(hole, lon, lat) for hole in holes):
                return True
        return False
