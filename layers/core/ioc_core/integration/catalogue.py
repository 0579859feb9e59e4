"""The event catalogue, derived from the rooms: every type a room emits (``Room.emits``) with
the JSON Schemas of its ``data``, kept in the room that emits it.

One rule for every room: ``ioc_core/<room>/schemas/<type>.v<major>.json``, e.g.
``field_reporting/schemas/field_reporting.report.submitted.v1.json``. A schema's ``$id`` is the
``dataschema`` its events carry (``ioc_core.shared.cloudevents.schema_uri``). Within a major
version a schema only grows (tests/unit/integration/test_event_compatibility.py); a new major
runs beside the old one, which says ``"deprecated": true`` and ``"x-deprecation-date"`` (the
day it stops being emitted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from ioc_core.platform.rooms import Label, Room
from ioc_core.shared.cloudevents import event_type, schema_uri

SCHEMA_FOLDER = "schemas"
_FILE = re.compile(r"^(?P<type>[a-z_]+(?:\.[a-z_]+)+)\.v(?P<major>[1-9][0-9]*)\.json$")
Status = Literal["current", "deprecated"]


@dataclass(frozen=True)
class SchemaVersion:
    major: int
    schema: Mapping[str, Any]

    @property
    def name(self) -> str:
        return f"v{self.major}"

    @property
    def status(self) -> Status:
        return "deprecated" if self.schema.get("deprecated") else "current"

    @property
    def deprecation_date(self) -> date | None:
        raw = self.schema.get("x-deprecation-date")
        return date.fromisoformat(str(raw)) if raw else None


@dataclass(frozen=True)
class EventType:
    short: str  # field_reporting.report.submitted
    room: str
    versions: tuple[SchemaVersion, ...]  # oldest first

    @property
    def type(self) -> str:
        return event_type(self.short)

    @property
    def latest(self) -> SchemaVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def title(self) -> str:
        return str(self.latest.schema.get("title", self.short)) if self.latest else self.short

    @property
    def description(self) -> Label:
        schema = self.latest.schema if self.latest else {}
        return Label(str(schema.get("x-description-vi", "")), str(schema.get("description", "")))

    def version(self, name: str) -> SchemaVersion | None:
        """``v1`` (or ``1``) → that version."""
        wanted = name.removeprefix("v")
        return next((v for v in self.versions if str(v.major) == wanted), None)


@dataclass(frozen=True)
class Catalogue:
    types: tuple[EventType, ...]
    # Schema files no room emits the type of: a type dropped from ``emits`` left its schema behind.
    orphans: tuple[str, ...] = ()

    def get(self, short: str) -> EventType | None:
        wanted = short.removeprefix(event_type(""))
        return next((t for t in self.types if t.short == wanted), None)

    def problems(self) -> list[str]:
        """What breaks the rule "a room emits a type if and only if it has a schema"."""
        found = [f"{t.room} emits {t.short} without a schema" for t in self.types if not t.versions]
        found += [f"{o}: a schema of a type no room emits" for o in self.orphans]
        for kind in self.types:
            for version in kind.versions:
                expected = schema_uri(kind.short, version.major)
                if version.schema.get("$id") != expected:
                    found.append(f"{kind.short} {version.name}: $id must be {expected}")
            undated = [v for v in kind.versions if v.status == "deprecated" and v.deprecation_date is None]
            found += [f"{kind.short} {v.name}: deprecated without an x-deprecation-date" for v in undated]
            if kind.versions and kind.versions[-1].status == "deprecated":
                found.append(f"{kind.short}: its newest version is deprecated")
        return found


def _room_schemas(room: str) -> dict[str, dict[int, dict[str, Any]]]:
    """type → major → schema, as the room's folder holds them."""
    folder = resources.files("ioc_core").joinpath(room, SCHEMA_FOLDER)
    found: dict[str, dict[int, dict[str, Any]]] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match is None:
            continue
        schema = json.loads(entry.read_text(encoding="utf-8"))
        found.setdefault(match["type"], {})[int(match["major"])] = schema
    return found


def build(rooms: Iterable[Room]) -> Catalogue:
    types: list[EventType] = []
    orphans: list[str] = []
    for room in rooms:
        schemas = _room_schemas(room.name)
        for short in room.emits:
            majors = schemas.pop(short, {})
            versions = tuple(SchemaVersion(m, majors[m]) for m in sorted(majors))
            types.append(EventType(short, room.name, versions))
        orphans += [f"{room.name}/{SCHEMA_FOLDER}/{short}" for short in sorted(schemas)]
    return Catalogue(tuple(types), tuple(orphans))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The system's catalogue: every room of ``ioc_core.rooms.ROOMS``."""
    from ioc_core.rooms import ROOMS

    return build(ROOMS)
