"""A meeting pack's events are numbered by its version: a failed pack asked for again goes on
counting from where it stopped, so its new request is not taken for the first one again."""

from __future__ import annotations

from datetime import datetime

import pytest

from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.packs import MeetingPack, PackService

pytestmark = pytest.mark.unit


class Packs:
    def __init__(self) -> None:
        self.packs: dict[str, MeetingPack] = {}
        self.events: list[CloudEvent] = []

    def get(self, pack_id: str) -> MeetingPack | None:
        return self.packs.get(pack_id)

    def recent(self, limit: int) -> list[MeetingPack]:
        return list(self.packs.values())[:limit]

    def create(self, pack: MeetingPack, events: list[CloudEvent]) -> bool:
        if pack.pack_id in self.packs:
            return False
        self.packs[pack.pack_id] = pack
        self.events += events
        return True

    def update(self, pack: MeetingPack, expected_version: int, events: list[CloudEvent]) -> None:
        assert self.packs[pack.pack_id].version == expected_version
        self.packs[pack.pack_id] = pack
        self.events += events


def test_a_failed_pack_asked_for_again_is_the_next_event_of_the_pack() -> None:
    packs = Packs()
    service = PackService(packs, FixedClock(datetime(2026, 12, 4, 9, tzinfo=VN_TZ)))
    first = service.request("2026-11", None, by="leader:lanhdao")
    failed = first.model_copy(update={"status": "failed", "version": first.version + 1})
    packs.update(failed, first.version, [])

    again = service.request("2026-11", None, by="leader:lanhdao")

    assert again.version == 3
    assert [(e.partitionkey, e.sequence) for e in packs.events] == [
        (first.pack_id, "000000000001"), (first.pack_id, "000000000003"),
    ]  # fmt: skip
