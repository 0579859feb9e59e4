"""The event log that systems which poll read: every event of the stream, in the stream's
order, for as long as the archive keeps it.

One consumer reads the stream and appends each record under its shard, keyed by its Kinesis
sequence number (an entity's events share a shard, so their order is the entity's order),
once per event id (the relay publishes at least once);
when a batch is written whole it moves the shard's watermark. A poll reads past its cursor
up to the watermarks only, so a poller never skips an event written late within a batch,
and the same cursor gives the same page. Appends are idempotent (same key, same event): a
retried batch changes nothing.

The cursor is the last sequence number returned per shard, sealed by the API (it names the
caller and the types asked for) and valid for the log's retention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from ioc_core.shared.cloudevents import CloudEvent, event_type
from ioc_core.shared.errors import FieldProblem, ValidationFailed

RETENTION = timedelta(days=90)  # the log and its cursors; the S3 archive keeps events longer
MAX_PAGE = 500
SEQUENCE_WIDTH = 128  # Kinesis sequence numbers are decimal strings of up to 128 digits


def sequence_key(sequence_number: str) -> str:
    """A Kinesis sequence number that sorts as text the way it does as a number."""
    if not sequence_number.isdigit() or len(sequence_number) > SEQUENCE_WIDTH:
        raise ValueError(f"not a Kinesis sequence number: {sequence_number[:40]!r}")
    return sequence_number.zfill(SEQUENCE_WIDTH)


@dataclass(frozen=True)
class Logged:
    shard: str
    sequence: str  # ``sequence_key`` of the record's sequence number
    event: CloudEvent


Position = Mapping[str, str]  # shard → the sequence key read up to


@dataclass(frozen=True)
class Page:
    events: list[CloudEvent]
    position: dict[str, str]  # where the next poll starts
    more: bool  # events past this page are waiting (poll again now)


class EventLog(Protocol):
    def append(self, records: Sequence[Logged]) -> None:
        """Write each record whose event is not logged yet: the relay publishes at least once,
        so a copy (the same event id under another sequence number) is left out; a record
        written before is written again unchanged."""

    def advance(self, shard: str, sequence: str) -> None:
        """Move the shard's watermark to ``sequence`` (never back)."""

    def watermarks(self) -> dict[str, str]:
        """Every shard's watermark: what polls may read up to."""

    def read(self, shard: str, after: str | None, upto: str, limit: int) -> list[Logged]:
        """The shard's records past ``after`` (from the oldest kept when None) up to ``upto``,
        in order, at most ``limit``."""


def encode(position: Position) -> str:
    return json.dumps(dict(sorted(position.items())), separators=(",", ":"))


def decode(token: str | None, name: str = "after") -> dict[str, str]:
    if token is None:
        return {}
    try:
        position = json.loads(token)
    except ValueError:
        position = None
    if not isinstance(position, dict) or not all(isinstance(v, str) for v in position.values()):
        raise ValidationFailed(
            "Con trỏ không hợp lệ / The cursor is not valid.", problems=[FieldProblem(name, "")]
        )
    return {str(k): v for k, v in position.items()}


@dataclass
class EventPull:
    log: EventLog
    known_types: frozenset[str] = field(default_factory=frozenset)  # full CloudEvent types

    def types(self, asked: Iterable[str]) -> frozenset[str] | None:
        """The full types asked for (short names or full); None for every type. A type no room
        emits is a 400 naming it, rather than a poll that silently never matches."""
        wanted = frozenset(event_type(t.strip()) for t in asked if t.strip())
        unknown = sorted(wanted - self.known_types) if self.known_types else []
        if unknown:
            raise ValidationFailed(
                f"Không có loại sự kiện này / No such event type: {', '.join(unknown)[:200]}.",
                problems=[FieldProblem("types", f"unknown: {t}") for t in unknown[:10]],
            )
        return wanted or None

    def page(self, position: Position, types: frozenset[str] | None, limit: int) -> Page:
        """Up to ``limit`` events past ``position`` (of the types, when given), shard after shard;
        the position moves past what was skipped by the type filter too."""
        marks = self.log.watermarks()
        moved = dict(position)
        events: list[CloudEvent] = []
        for shard in sorted(marks):
            upto, after = marks[shard], position.get(shard)
            while len(events) < limit and (after is None or after < upto):
                room = MAX_PAGE if types is not None else min(MAX_PAGE, limit - len(events))
                batch = self.log.read(shard, after, upto, room)
                if not batch:
                    after = upto  # nothing left up to the watermark (expired, or never kept)
                    break
                for record in batch:
                    if len(events) >= limit:
                        break
                    after = record.sequence
                    if types is None or record.event.type in types:
                        events.append(record.event)
            if after is not None:
                moved[shard] = after
        more = any(moved.get(shard) is None or moved[shard] < upto for shard, upto in marks.items())
        return Page(events, moved, more)
