"""The routing table on moto: each replacement bumps its version, the sequence of its event, so
a consumer that orders by sequence sees every replacement, the last one last."""

from __future__ import annotations

import pytest

from ioc_core.field_reporting.adapters.config_store import DynamoRoutingRules
from ioc_core.field_reporting.events import ROUTING_CHANGED
from ioc_core.platform.outbox import OutboxItem
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent, event_type

pytestmark = pytest.mark.integration

RULE = {"service_code": "street_light_out", "ward_code": "22945", "unit": "CSCC"}


def routing_events() -> list[CloudEvent]:
    # The test's own stack: a handful of outbox items.
    found = [CloudEvent.from_json(item.payload) for item in OutboxItem.scan()]
    return sorted((e for e in found if e.type == event_type(ROUTING_CHANGED)), key=lambda e: e.sequence or "")


def test_each_replacement_of_the_routing_table_is_the_next_in_its_sequence(stack: Settings) -> None:
    store = DynamoRoutingRules(stack)

    store.save([RULE])
    store.save([RULE, {**RULE, "ward_code": "22918", "unit": "DTDT"}])
    store.save([])

    changes = routing_events()
    assert [(e.sequence, e.partitionkey, e.data["rules"]) for e in changes] == [
        ("000000000001", "routing", 1), ("000000000002", "routing", 2), ("000000000003", "routing", 0),
    ]  # fmt: skip
    assert store.load() == []
