"""The rooms' resources add up only when they fit: names once, and a stream's polling consumers
within what a shard serves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ioc_core.platform.resources import Resources, StreamConsumer
from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.unit


def _consumer(n: int, fan_out: bool = False) -> StreamConsumer:
    return StreamConsumer(
        function=f"room{n}-consumer", handler=f"room{n}.consumer.handler.handler", source_kind="kinesis",
        source="events", event_types=("field_reporting.report.submitted",), fan_out=fan_out,
    )  # fmt: skip


def test_a_fifth_polling_consumer_of_a_shard_is_refused_and_fan_out_lets_it_in() -> None:
    polling = [c for c in RESOURCES.consumers if c.source_kind == "kinesis" and not c.fan_out]
    room = len(polling)
    extra = tuple(_consumer(n) for n in range(4 - room))
    fits = RESOURCES + Resources(consumers=extra)
    assert fits.check() is fits
    with pytest.raises(ValueError, match="polling consumers"):
        (fits + Resources(consumers=(_consumer(99),))).check()
    assert (fits + Resources(consumers=(_consumer(99, fan_out=True),))).check()


def test_a_name_declared_by_two_rooms_is_refused() -> None:
    twice = RESOURCES + Resources(tables=(replace(RESOURCES.tables[0]),))
    with pytest.raises(ValueError, match="table declared twice"):
        twice.check()
