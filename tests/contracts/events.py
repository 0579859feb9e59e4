"""The event contract, held to every event the system builds in any test.

tests/conftest.py registers one ``Watch`` for the session: ``CloudEvent.new`` tells it of each
event built by the system's own code (a module of ``ioc_core``; events a test builds by hand as
input are not the system's). Each is checked against the CloudEvents envelope, the JSON Schema
its ``dataschema`` names (the catalogue's) and the personal-data rules; the test that emitted a
bad one fails with the reasons.

The published versions are frozen in published_events.lock.json beside this file. After adding a
type or a version, or growing a schema compatibly, publish it:

    PYTHONPATH=layers/core:tests .venv/bin/python -m contracts.events publish
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from ioc_core.integration.catalogue import catalogue
from ioc_core.integration.compatibility import breaking_changes
from ioc_core.integration.envelope import CLOUDEVENT
from ioc_core.shared.cloudevents import CloudEvent

LOCK = Path(__file__).with_name("published_events.lock.json")
# A Vietnamese phone number (mobile or landline, 0… or +84…, maybe grouped by spaces or dots)
# and an e-mail address: neither may appear anywhere in an event's data.
PHONE = re.compile(r"(?<![\w+])(?:\+84|0)[ .]?[1-9](?:[ .]?\d){7,9}(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_VERSION = re.compile(r"/v([1-9][0-9]*)$")
_FORMATS = FormatChecker()
_ENVELOPE = Draft202012Validator(CLOUDEVENT, format_checker=_FORMATS)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def personal_data(data: Mapping[str, Any]) -> list[str]:
    """Phone numbers and e-mail addresses anywhere in ``data``."""
    found = []
    for text in _strings(data):
        found += [f"a phone number ({m.group()!r})" for m in PHONE.finditer(text)]
        found += [f"an e-mail address ({m.group()!r})" for m in EMAIL.finditer(text)]
    return found


@cache
def _validator(short: str, version: str) -> Draft202012Validator:
    kind = catalogue().get(short)
    assert kind is not None
    schema = kind.version(version)
    assert schema is not None
    return Draft202012Validator(schema.schema, format_checker=_FORMATS)


def problems(event: CloudEvent) -> list[str]:
    """Why ``event`` breaks the contract; empty when it keeps it."""
    body = json.loads(event.to_json())
    reasons = [f"envelope: {e.json_path}: {e.message}" for e in _ENVELOPE.iter_errors(body)]
    kind = catalogue().get(event.short_type)
    if kind is None:
        return [*reasons, f"{event.short_type}: no room emits this type"]
    if not event.source.endswith("/" + kind.room.replace("_", "-")):
        reasons.append(f"source {event.source}: {kind.short} is the {kind.room} room's")
    match = _VERSION.search(event.dataschema or "")
    version = kind.version(match.group(1)) if match else None
    if version is None or version.schema.get("$id") != event.dataschema:
        return [*reasons, f"dataschema {event.dataschema!r}: not a published schema of {kind.short}"]
    validator = _validator(kind.short, version.name)
    reasons += [
        f"data{e.json_path.removeprefix('$')}: {e.message}" for e in validator.iter_errors(event.data)
    ]
    reasons += [f"personal data in data: {what}" for what in personal_data(event.data)]
    return reasons


@dataclass
class Watch:
    """Collects the contract's breaches of the events built while it watches."""

    seen: int = 0
    breaches: list[str] = field(default_factory=list)

    def __call__(self, event: CloudEvent, builder: str) -> None:
        if not builder.startswith("ioc_core."):
            return  # a test's own input, not an event the system emits
        self.seen += 1
        reasons = problems(event)
        if reasons:
            lines = "\n    ".join(reasons)
            self.breaches.append(
                f"{event.short_type} (built in {builder}, subject {event.subject}):\n    {lines}"
            )

    def take(self) -> list[str]:
        taken, self.breaches = self.breaches, []
        return taken

    def fail_on_breaches(self) -> None:
        """Fail the current test phase with every breach since the last check."""
        taken = self.take()
        if taken:
            pytest.fail("events that break their contract:\n  " + "\n  ".join(taken), pytrace=False)


SESSION = Watch()


@contextmanager
def breaches_expected() -> Iterator[list[str]]:
    """For a test that builds bad events on purpose: the session's breaches inside the block are
    the test's to look at (the list, filled when the block ends), not a failure."""
    earlier, taken = SESSION.take(), []
    try:
        yield taken
    finally:
        taken += SESSION.take()
        SESSION.breaches = earlier


# -- publishing ---------------------------------------------------------------------------------


def published() -> dict[str, dict[str, Any]]:
    """type → version name → the schema as published."""
    loaded: dict[str, dict[str, Any]] = json.loads(LOCK.read_text(encoding="utf-8")) if LOCK.exists() else {}
    return loaded


def publish() -> list[str]:
    """Freeze every version the catalogue holds; refuses (and writes nothing) on a breaking change."""
    lock = published()
    refused: list[str] = []
    for kind in catalogue().types:
        for version in kind.versions:
            before = lock.get(kind.short, {}).get(version.name)
            if before is not None:
                refused += [
                    f"{kind.short} {version.name}: {b}" for b in breaking_changes(before, version.schema)
                ]
            lock.setdefault(kind.short, {})[version.name] = version.schema
    if not refused:
        LOCK.write_text(
            json.dumps(lock, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    return refused


if __name__ == "__main__" and sys.argv[1:] == ["publish"]:
    breaks = publish()
    print("\n".join(breaks) or f"published: {LOCK}")
    sys.exit(1 if breaks else 0)
