"""A room is one folder and one registration: a throwaway room's declaration alone reaches
the local runtime (its table is provisioned, its consumer is fed only its events, its route
answers through the gateway, its demo data loads once, its cache is reset, its banner line
is printed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
import requests

import sandbox_room
from ioc_core.local.gateway import Gateway
from ioc_core.local.provision import provision
from ioc_core.local.pump import EventPump
from ioc_core.platform.code import EXTRA_FUNCTIONS
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.platform.resources import Resources
from ioc_core.platform.rooms import Room, check_consumers, resources_of
from ioc_core.rooms import ROOMS
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent, event_type
from support import free_port, reset_wiring

pytestmark = pytest.mark.integration


@pytest.fixture
def rooms(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Room, ...]]:
    monkeypatch.setenv(EXTRA_FUNCTIONS, str(sandbox_room.write_code(tmp_path)))  # type: ignore[arg-type]
    yield (*ROOMS, sandbox_room.room())


def test_its_table_is_provisioned_and_its_consumer_is_fed_only_its_events(
    stack: Settings, rooms: tuple[Room, ...]
) -> None:
    check_consumers(rooms)
    resources = resources_of(rooms)
    assert "sandbox-probe-dlq" in {q.logical for q in resources.queues}  # derived, never declared
    provision(stack, resources)
    dynamodb = boto3.client("dynamodb", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    described = dynamodb.describe_table(TableName=stack.name(sandbox_room.TABLE))["Table"]
    assert described["KeySchema"] == [{"AttributeName": "event_id", "KeyType": "HASH"}]

    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    mine = CloudEvent.new(sandbox_room.HAPPENED, subsystem="sandbox", subject="t1", at=at, data={})
    other = CloudEvent.new("cameras.alert.raised", subsystem="cameras", subject="a1", at=at, data={})
    KinesisPublisher(stack).publish([("a1", other.to_json()), ("t1", mine.to_json())])
    own = Resources(consumers=sandbox_room.room().resources.consumers)
    EventPump(stack, own).drain(timeout=30)  # the handler is loaded from the room's own folder

    rows = dynamodb.scan(TableName=stack.name(sandbox_room.TABLE))["Items"]
    assert [(r["event_id"]["S"], r["type"]["S"]) for r in rows] == [
        (mine.id, event_type(sandbox_room.HAPPENED))
    ]


def test_its_route_answers_through_the_gateway_beside_the_other_rooms(
    stack: Settings, rooms: tuple[Room, ...]
) -> None:
    gateway = Gateway("127.0.0.1", free_port(), resources_of(rooms).apis)
    gateway.start()
    try:
        mine = requests.get(f"{gateway.url}/api/v1/sandbox/ping", timeout=10)
        theirs = requests.get(f"{gateway.url}/api/v1/categories", timeout=10)
    finally:
        gateway.stop()
    assert mine.status_code == 200 and mine.json() == {"room": "sandbox", "pong": True}
    assert theirs.status_code == 200 and "groups" in theirs.json()  # /api/v1 is still Field Reporting's


def test_its_demo_data_loads_once_its_cache_is_reset_and_its_banner_line_is_printed(
    stack: Settings, rooms: tuple[Room, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    from ioc_core.local.dev import _banner
    from ioc_core.local.seed import seed

    sandbox = rooms[-1]
    before = list(sandbox_room.SEEDED)
    assert seed(stack, progress=lambda _: None, rooms=(sandbox,)) is True
    assert seed(stack, progress=lambda _: None, rooms=(sandbox,)) is False  # the marker is found
    assert [*before, stack.resource_prefix] == sandbox_room.SEEDED

    cleared = sandbox_room.COUNTER.cleared
    reset_wiring(rooms)
    assert sandbox_room.COUNTER.cleared == cleared + 1

    _banner("http://127.0.0.1:8000", "http://127.0.0.1:4566", rooms)
    out = capsys.readouterr().out
    assert "Sandbox" in out and "http://127.0.0.1:8000/api/v1/sandbox/ping" in out
