"""Look-ups over the versioned administrative units and their boundaries.

Coordinates are the truth; the ward is derived by point-in-polygon on the report's date, so
old reports keep their old codes and trends follow the successor chain.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ioc_core.admin_units.models import AdminUnit, AdminUnitsDocument, LocalizedName, Polygon, WardBoundary
from ioc_core.shared.clock import VN_TZ

WARDS_GEOJSON_ENV = "IOC_WARDS_GEOJSON"
UNITS_FILE = "admin_units.json"
WARDS_FILE = "wards.geojson"
# Property names that carry the unit code in boundary files we have seen or expect.
CODE_PROPERTIES = ("code", "ma_xa", "MA_XA", "ward_code")
NSO_CODE_DIGITS = 5


def today_in_vietnam() -> date:
    return datetime.now(VN_TZ).date()


@dataclass(frozen=True)
class _IndexedBoundary:
    boundary: WardBoundary
    unit: AdminUnit
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def may_contain(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


class AdminUnitRegistry:
    """All unit versions plus the boundaries bound to them. Immutable after construction."""

    def __init__(
        self,
        units: Iterable[AdminUnit],
        boundaries: Iterable[WardBoundary] = (),
        *,
        version: str = "",
        source: str = "",
    ) -> None:
        self.version = version
        self.source = source
        self._units = tuple(units)
        self._by_code: dict[str, list[AdminUnit]] = defaultdict(list)
        for unit in self._units:
            self._add_version(unit)
        self._check_successors()
        self._boundaries = tuple(self._index(boundary) for boundary in boundaries)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(
        cls, units_path: str | Path | None = None, boundaries_path: str | Path | None = None
    ) -> AdminUnitRegistry:
        """Read the units and boundaries files; the packaged ones unless told otherwise.

        The boundaries come from ``boundaries_path``, else from the file named by
        ``IOC_WARDS_GEOJSON`` (so official boundaries replace the demo polygons without a code
        change), else from the packaged demo file.
        """
        document = AdminUnitsDocument.model_validate(_read_json(units_path, UNITS_FILE))
        env_path = os.environ.get(WARDS_GEOJSON_ENV) or None
        geojson = _read_json(boundaries_path or env_path, WARDS_FILE)
        known = {unit.code for unit in document.units}
        boundaries = [b for b in boundaries_from_geojson(geojson) if b.code in known]
        if not boundaries:
            raise ValueError("no boundary in the GeoJSON matches a unit code")
        return cls(document.units, boundaries, version=document.version, source=document.source)

    # -- units -----------------------------------------------------------------------------

    @property
    def units(self) -> tuple[AdminUnit, ...]:
        return self._units

    @property
    def boundaries(self) -> tuple[WardBoundary, ...]:
        return tuple(indexed.boundary for indexed in self._boundaries)

    def get(self, code: str, on: date | None = None) -> AdminUnit:
        """The version of ``code`` in force ``on``; without a date, its latest version.

        Raises KeyError when the code is unknown or had no version in force that day.
        """
        versions = self._by_code.get(code)
        if not versions:
            raise KeyError(code)
        if on is None:
            return versions[-1]
        for unit in versions:
            if unit.active_on(on):
                return unit
        raise KeyError(f"{code} on {on.isoformat()}")

    def name_of(self, code: str) -> LocalizedName | None:
        """The unit's latest name, or None for a code the registry does not hold."""
        versions = self._by_code.get(code)
        return versions[-1].name if versions else None

    def active_on(self, day: date) -> list[AdminUnit]:
        return sorted((u for u in self._units if u.active_on(day)), key=lambda u: u.code)

    def successor_of(self, code: str, on: date | None = None) -> AdminUnit:
        """The unit in force ``on`` (default: today) that ``code``'s area now belongs to.

        A code still in force that day is its own answer. Otherwise the latest version of the
        code that ended before ``on`` is followed along its successor chain.
        """
        day = on or today_in_vietnam()
        versions = self._by_code.get(code)
        if not versions:
            raise KeyError(code)
        for unit in versions:
            if unit.active_on(day):
                return unit
        ended = [u for u in versions if u.valid_to is not None and u.valid_to < day]
        if not ended:
            raise KeyError(f"{code} did not exist yet on {day.isoformat()}")
        for unit in self._chain(ended[-1]):
            if unit.active_on(day):
                return unit
        raise KeyError(f"no successor of {code} in force on {day.isoformat()}")

    def legacy_units_of(self, code: str, on: date | None = None) -> list[AdminUnit]:
        """Every earlier unit whose area went into ``code`` (its version in force ``on``, or
        its latest), directly or through intermediate merges; nearest first."""
        found: list[AdminUnit] = []
        seen: set[str] = set()
        frontier = [self.get(code, on)]
        while frontier:
            unit = frontier.pop(0)
            for predecessor in self._predecessors(unit):
                if predecessor.key not in seen:
                    seen.add(predecessor.key)
                    found.append(predecessor)
                    frontier.append(predecessor)
        return found

    # -- geometry --------------------------------------------------------------------------

    def locate(self, lat: float, lon: float, on: date | None = None) -> AdminUnit | None:
        """The unit in force ``on`` (default: today) whose boundary contains the point.

        None when the point is outside every boundary, or when the boundaries describe
        units that only came into being after ``on`` (load historic boundaries for that).
        """
        day = on or today_in_vietnam()
        containing = [
            indexed.unit
            for indexed in self._boundaries
            if indexed.may_contain(lat, lon) and indexed.boundary.contains(lat, lon)
        ]
        for unit in containing:
            if unit.active_on(day):
                return unit
        # A boundary of a unit that has since merged: its whole area went to the successor.
        for unit in containing:
            if unit.valid_to is not None and unit.valid_to < day:
                for later in self._chain(unit):
                    if later.active_on(day):
                        return later
        return None

    def representative_point(self, code: str) -> tuple[float, float] | None:
        """A point inside the unit's boundary, nearest its bounding-box centre (lat, lon)."""
        boundary = next((b.boundary for b in self._boundaries if b.boundary.code == code), None)
        if boundary is None:
            return None
        min_lon, min_lat, max_lon, max_lat = boundary.bbox
        centre = ((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)
        steps = 24
        inside = [
            (min_lat + (max_lat - min_lat) * i / steps, min_lon + (max_lon - min_lon) * j / steps)
            for i in range(1, steps)
            for j in range(1, steps)
            if boundary.contains(
                min_lat + (max_lat - min_lat) * i / steps, min_lon + (max_lon - min_lon) * j / steps
            )
        ]
        if not inside:
            return None
        return min(inside, key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)

    def find_named(self, text: str, on: date | None = None) -> AdminUnit | None:
        """The unit in force whose name appears in a free-text address ("…, phường Mũi Né")."""
        folded = unicodedata.normalize("NFC", text).casefold()
        for unit in self.active_on(on or today_in_vietnam()):
            full = unit.name.vi.casefold()
            short = full.split(" ", 1)[1] if " " in full else full
            # "phường X", "xã X", "P. X", "P.X": a prefix standing as its own word, so the
            # "TP. Phan Thiết" at the end of most addresses is not "P. Phan Thiết".
            pattern = rf"(?<![\w.])(?:phường|xã|p\.|x\.)\s*{re.escape(short)}(?!\w)"
            if re.search(pattern, folded):
                return unit
        return None

    def bounds(self) -> tuple[float, float, float, float]:
        """(min_lat, min_lon, max_lat, max_lon) of all loaded boundaries."""
        if not self._boundaries:
            raise ValueError("no boundaries loaded")
        return (
            min(b.min_lat for b in self._boundaries),
            min(b.min_lon for b in self._boundaries),
            max(b.max_lat for b in self._boundaries),
            max(b.max_lon for b in self._boundaries),
        )

    # -- internals -------------------------------------------------------------------------

    def _add_version(self, unit: AdminUnit) -> None:
        versions = self._by_code[unit.code]
        for other in versions:
            if other.overlaps(unit):
                raise ValueError(f"two versions of {unit.code} are in force on the same day")
        versions.append(unit)
        versions.sort(key=lambda u: u.valid_from or date.min)

    def _check_successors(self) -> None:
        for unit in self._units:
            if unit.successor is not None and unit.successor_day is not None:
                try:
                    self.get(unit.successor, unit.successor_day)
                except KeyError as exc:
                    raise ValueError(f"{unit.key}: successor {unit.successor} unknown") from exc

    def _chain(self, unit: AdminUnit) -> Iterator[AdminUnit]:
        """``unit`` and then its successors, in order; stops on a cycle."""
        seen: set[str] = set()
        current: AdminUnit | None = unit
        while current is not None and current.key not in seen:
            seen.add(current.key)
            yield current
            if current.successor is None or current.successor_day is None:
                return
            current = self.get(current.successor, current.successor_day)

    def _predecessors(self, unit: AdminUnit) -> list[AdminUnit]:
        day = unit.predecessor_day
        if day is None:
            return []
        found = []
        for code in unit.predecessors:
            try:
                found.append(self.get(code, day))
            except KeyError:
                continue  # a predecessor outside the tracked history
        return found

    def _index(self, boundary: WardBoundary) -> _IndexedBoundary:
        unit = self.get(boundary.code, boundary.valid_on)
        min_lon, min_lat, max_lon, max_lat = boundary.bbox
        return _IndexedBoundary(boundary, unit, min_lon, min_lat, max_lon, max_lat)


# -- GeoJSON ---------------------------------------------------------------------------------


def boundaries_from_geojson(document: dict[str, Any]) -> list[WardBoundary]:
    """Boundaries from a FeatureCollection of Polygon / MultiPolygon features."""
    if document.get("type") != "FeatureCollection":
        raise ValueError("boundaries must be a GeoJSON FeatureCollection")
    boundaries = []
    for position, feature in enumerate(document.get("features") or []):
        properties = feature.get("properties") or {}
        code = _feature_code(properties)
        if code is None:
            raise ValueError(f"feature {position} has no code property ({CODE_PROPERTIES})")
        boundaries.append(
            WardBoundary(
                code=code,
                polygons=_polygons(feature.get("geometry") or {}, position),
                name_vi=properties.get("name_vi"),
                approximate=bool(properties.get("approximate", False)),
                valid_on=properties.get("valid_on"),
            )
        )
    return boundaries


def _feature_code(properties: dict[str, Any]) -> str | None:
    for name in CODE_PROPERTIES:
        value = properties.get(name)
        if value is None or value == "":
            continue
        # Codes come as numbers or text; NSO commune codes are five digits, zero-padded.
        text = str(int(value)) if isinstance(value, int | float) else str(value).strip()
        return text.zfill(NSO_CODE_DIGITS) if text.isdigit() else text
    return None


def _polygons(geometry: dict[str, Any], position: int) -> tuple[Polygon, ...]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        return (_polygon(coordinates),)
    if kind == "MultiPolygon":
        return tuple(_polygon(polygon) for polygon in coordinates)
    raise ValueError(f"feature {position}: geometry {kind!r} is not a Polygon or MultiPolygon")


def _polygon(rings: list[list[list[float]]]) -> Polygon:
    return tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings)


def _read_json(path: str | Path | None, packaged_name: str) -> Any:
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    resource = resources.files("ioc_core").joinpath("data", packaged_name)
    return json.loads(resource.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_registry() -> AdminUnitRegistry:
    """The packaged registry (boundaries overridable by ``IOC_WARDS_GEOJSON``), loaded once
    per process: a Lambda cold start pays for it once."""
    return AdminUnitRegistry.load()
