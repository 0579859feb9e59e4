"""The snapshot: the current state of what a consumer starting late (or reconciling) needs:
open field reports, active camera incidents, open tasks, and the latest approved value of
each indicator series. Kept from the event stream alone (this room reads no other room's
tables): per entity, its latest event, by the entity's own ``sequence`` (by period, then
time, for an indicator series), so a replay or a late batch never moves it back.

The snapshot is read together with the event log's watermarks, taken first: pulling from
there replays at most events the snapshot already holds, which a receiver applying last
writer wins by sequence absorbs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ioc_core.shared.cloudevents import CloudEvent, event_type


@dataclass(frozen=True)
class Kind:
    name: str
    types: Callable[[str], bool]  # of the full CloudEvent type
    key: Callable[[CloudEvent], str]
    order: Callable[[CloudEvent], str]  # larger is newer
    active: Callable[[CloudEvent], bool]


def _prefix(short: str) -> Callable[[str], bool]:
    full = event_type(short)
    return lambda t: t.startswith(full)


def _subject(event: CloudEvent) -> str:
    return event.subject or event.partitionkey or event.id


def _sequence(event: CloudEvent) -> str:
    return f"{event.sequence or ''}|{event.time}"


def _series(event: CloudEvent) -> str:
    """An indicator's series (indicator and breakdown), whatever the period: its latest value."""
    data = event.data
    if data.get("indicator"):
        return f"{data['indicator']}|{data.get('breakdown') or 'city'}"
    return (event.subject or event.id).split("@", 1)[0]


def _status_not_in(*closed: str) -> Callable[[CloudEvent], bool]:
    return lambda e: str(e.data.get("status", "")) not in closed


_VALUES = {
    event_type("socio_economic.indicator.value.approved"),
    event_type("socio_economic.indicator.value.revised"),
}

KINDS: tuple[Kind, ...] = (
    Kind("reports", _prefix("field_reporting.report."), _subject, _sequence,
         _status_not_in("resolved", "rejected", "withdrawn")),
    Kind("incidents", _prefix("cameras.incident."), _subject, _sequence,
         _status_not_in("false_alarm", "closed")),
    Kind("tasks", _prefix("socio_economic.task."), _subject, _sequence,
         lambda e: e.data.get("status") == "open"),
    Kind("indicators", _VALUES.__contains__, lambda e: _series(e),
         lambda e: f"{e.data.get('period', '')}|{e.sequence or ''}|{e.time}", lambda e: True),
)  # fmt: skip


def kind_of(event: CloudEvent) -> Kind | None:
    return next((k for k in KINDS if k.types(event.type)), None)


@dataclass(frozen=True)
class Entry:
    kind: str
    key: str
    order: str
    active: bool
    event: CloudEvent


class SnapshotStore(Protocol):
    def offer(self, entries: Sequence[Entry]) -> None:
        """Keep each entry unless its entity holds a newer one (a larger ``order``)."""

    def active(self, kind: str) -> list[CloudEvent]:
        """The latest event of every entity of the kind that is still active."""


def entries(events: Sequence[CloudEvent]) -> list[Entry]:
    """The newest entry of each entity the events touch (one write per entity and batch)."""
    newest: dict[tuple[str, str], Entry] = {}
    for event in events:
        kind = kind_of(event)
        if kind is None:
            continue
        entry = Entry(kind.name, kind.key(event), kind.order(event), kind.active(event), event)
        held = newest.get((entry.kind, entry.key))
        if held is None or held.order < entry.order:
            newest[(entry.kind, entry.key)] = entry
    return list(newest.values())
