"""A throwaway room, as a new subsystem would be written: one folder of code and one
declaration. The tests add it to the rooms and show that the local runtime and the CDK app
pick it up from the declaration alone."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ioc_core.platform.resources import HttpApi, Key, Resources, StreamConsumer, Table
from ioc_core.platform.rooms import Cached, Label, Room

NAME = "sandbox"
HAPPENED = "sandbox.thing.happened"
TABLE = "sandbox_things"
BANNER = ("Sandbox", "/api/v1/sandbox/ping")

_CONSUMER = '''
"""Lambda: each sandbox event becomes a row of the room's own table."""

import boto3

from ioc_core.platform.consumer import consume_kinesis
from ioc_core.settings import get_settings


def handler(event, context):
    settings = get_settings()
    dynamodb = boto3.resource("dynamodb", region_name=settings.region, endpoint_url=settings.aws_endpoint)
    table = dynamodb.Table(settings.name("sandbox_things"))

    def apply(events):
        for e in events:
            table.put_item(Item={"event_id": e.id, "type": e.type})

    return consume_kinesis(event, apply)
'''

_APP = """
from chalice import Chalice

app = Chalice(app_name="ioc-sandbox")


@app.route("/api/v1/sandbox/ping")
def ping():
    return {"room": "sandbox", "pong": True}
"""


def write_code(root: Path) -> Path:
    """The room's functions/ folder under ``root``; returns the functions root to search."""
    functions = root / "functions"
    probe = functions / NAME / "probe"
    probe.mkdir(parents=True)
    (probe / "handler.py").write_text(textwrap.dedent(_CONSUMER))
    api = functions / NAME / "api"
    (api / ".chalice").mkdir(parents=True)
    (api / "app.py").write_text(textwrap.dedent(_APP))
    (api / "requirements.txt").write_text("")
    config: dict[str, Any] = {"version": "2.0", "app_name": "ioc-sandbox", "automatic_layer": False,
                              "stages": {"local": {"api_gateway_stage": "api"}}}  # fmt: skip
    (api / ".chalice" / "config.json").write_text(json.dumps(config))
    return functions


class Counter:
    """A cached composition root of the room: the tests' resets must clear it."""

    def __init__(self) -> None:
        self.cleared = 0

    def cache_clear(self) -> None:
        self.cleared += 1


COUNTER = Counter()
SEEDED: list[str] = []


def _caches() -> Iterable[Cached]:
    return (COUNTER,)


def _seed(settings: Any, progress: Any) -> bool:
    SEEDED.append(settings.resource_prefix)
    progress("sandbox: one thing")
    return True


def room() -> Room:
    return Room(
        name=NAME,
        title=Label("Thử nghiệm", "Sandbox"),
        resources=Resources(
            tables=(Table(TABLE, Key("event_id"), subsystem=NAME),),
            consumers=(
                StreamConsumer(
                    function="sandbox-probe",
                    handler="sandbox.probe.handler.handler",
                    source_kind="kinesis",
                    source="events",
                    event_types=(HAPPENED,),
                    writes=(TABLE,),
                    fan_out=True,  # its own read pipe: the stream's polling consumers stay within limits
                ),
            ),
            apis=(
                HttpApi(
                    name="sandbox-api",
                    source_dir="sandbox/api",
                    routes_prefixes=("/api/v1/sandbox",),
                ),
            ),
        ),
        caches=_caches,
        emits=(HAPPENED,),
        seed=_seed,
        banner=(BANNER,),
    )
