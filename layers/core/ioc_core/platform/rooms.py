"""A room is one subsystem, declared once.

Each subsystem says in its ``<room>/room.py`` what it brings: its AWS resources, which
PynamoDB model lives in which of its tables, the cached composition roots a test resets,
the CloudEvent types it emits, its demo data and its development services (simulators),
its lines in the ``make dev`` banner, its console modules, its overview tile, and its roles
and permissions. The one
list of rooms is ``ioc_core.rooms.ROOMS``; the resource definitions, model binding, test
resets, seeding, the banner, the local gateway and the CDK app are all derived from it.

A declaration imports nothing heavy: what needs the room's adapters is a function the
platform calls when it needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ioc_core.platform.resources import Resources

if TYPE_CHECKING:
    from pynamodb.models import Model

    from ioc_core.platform.access import Permission, RoleDefinition
    from ioc_core.platform.overview import Tile
    from ioc_core.settings import Settings

Progress = Callable[[str], None]


class Cached(Protocol):
    """A composition root built once (``functools.lru_cache``)."""

    def cache_clear(self) -> None: ...


class DevService(Protocol):
    """Something ``ioc dev`` runs beside the stack (a simulator) and stops with it."""

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Label:
    vi: str
    en: str


def _nothing() -> tuple[Any, ...]:
    return ()


def _no_words() -> Mapping[str, Label]:
    return {}


@dataclass(frozen=True, kw_only=True)
class Room:
    # The one name of the subsystem: its folder in ioc_core/, functions/, tests/*/ and
    # frontend/console/ (the CDK app names its functions and stacks from its resources).
    name: str
    title: Label
    resources: Resources = field(default_factory=Resources)
    # (model, logical table) pairs, imported only when the models are bound.
    models: Callable[[], Iterable[tuple[type[Model], str]]] = _nothing
    # The room's cached composition roots: tests forget them between stacks.
    caches: Callable[[], Iterable[Cached]] = _nothing
    # The CloudEvent types it emits, short names that start with the room's name
    # (``field_reporting.report.submitted``); the catalogue and the consumers' filters use them.
    emits: tuple[str, ...] = ()
    # Demo data: loads once into a stack, True when it loaded something.
    seed: Callable[[Settings, Progress], bool] | None = None
    # Started by ``ioc dev`` after the stack is up, stopped with it.
    dev_services: tuple[Callable[[], DevService], ...] = ()
    # Lines of the ``make dev`` banner: (what, path under the local gateway).
    banner: tuple[tuple[str, str], ...] = ()
    # Console modules: folders of frontend/console/ with a module.tsx.
    console: tuple[str, ...] = ()
    # Its tile on the leader's overview (platform/overview.py), read from its projections.
    overview: Callable[[], Tile] | None = None
    # The roles it brings and the permissions its routes and services need, with who holds
    # each (ioc_core.platform.access): roles and permissions are data, not code branches.
    roles: tuple[RoleDefinition, ...] = ()
    permissions: tuple[Permission, ...] = ()
    # The units (departments, companies, committees) its work goes to: what a unit role is
    # scoped to (code, name).
    units: Callable[[], Iterable[tuple[str, Label]]] = _nothing
    # How the audit log names its events and states in its summaries: a short event type → what
    # happened ("Xác minh phản ánh" / "Report verified"), "status:<value>" → the state's name.
    audit_words: Callable[[], Mapping[str, Label]] = _no_words

    def __post_init__(self) -> None:
        stray = [t for t in self.emits if not t.startswith(f"{self.name}.")]
        if stray:
            raise ValueError(f"room {self.name}: event types must start with '{self.name}.': {stray}")


def resources_of(rooms: Iterable[Room]) -> Resources:
    total = Resources()
    for room in rooms:
        total = total + room.resources
    return total.check()


def bind_models(rooms: Iterable[Room], settings: Settings) -> None:
    from ioc_core.platform.dynamo import bind

    for room in rooms:
        for model, logical in room.models():
            bind(model, logical, settings)


def emitted_types(rooms: Iterable[Room]) -> dict[str, str]:
    """Every event type the rooms emit → the room that emits it."""
    owners: dict[str, str] = {}
    for room in rooms:
        for short in room.emits:
            if short in owners:
                raise ValueError(f"{short} is emitted by {owners[short]} and {room.name}")
            owners[short] = room.name
    return owners


def check_consumers(rooms: Iterable[Room]) -> None:
    """A consumer takes only types some room emits: a typo would filter everything out."""
    rooms = tuple(rooms)
    known = emitted_types(rooms)
    for room in rooms:
        for consumer in room.resources.consumers:
            unknown = [t for t in consumer.event_types if t not in known]
            if unknown:
                raise ValueError(f"{consumer.function} takes types no room emits: {unknown}")
