"""A throwaway room's declaration alone reaches the synthesised templates: its table in the
data stack, its consumer with its event filter and derived dead-letter queue, its HTTP API in a
stack of its own, and the alarms on its queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from infra_templates import OFFLINE, ROOT, Assembly

import sandbox_room
from ioc_core.platform.code import EXTRA_FUNCTIONS
from ioc_core.shared.cloudevents import event_type

pytestmark = pytest.mark.infra

_SYNTH = """
import sys
from aws_cdk import App
from infra.app import FEATURE_FLAGS, build_app
from ioc_core.platform.rooms import resources_of
from ioc_core.rooms import ROOMS
import sandbox_room

app = App(context={**FEATURE_FLAGS, "stages": "dev"}, outdir=sys.argv[1])
build_app(app, resources_of((*ROOMS, sandbox_room.room())))
app.synth()
"""


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    work = tmp_path_factory.mktemp("new-room")
    functions = sandbox_room.write_code(work)
    env = {**os.environ, **OFFLINE, EXTRA_FUNCTIONS: str(functions)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    env.pop("AWS_PROFILE", None)
    out = work / "cdk.out"
    done = subprocess.run(  # cwd apart: Chalice packs into ./chalice.out
        [sys.executable, "-c", textwrap.dedent(_SYNTH), str(out)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.fail(f"synth with the sandbox room failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return Assembly(Path(out))


def test_the_room_is_in_the_templates_from_its_declaration_alone(assembly: Assembly) -> None:
    stage = assembly.stage("dev")
    tables = {stage.render(p["TableName"]) for p in stage.props("AWS::DynamoDB::Table", "data")}
    assert stage.name(sandbox_room.TABLE) in tables

    queues = {stage.render(p["QueueName"]) for p in stage.props("AWS::SQS::Queue", "data")}
    assert stage.name("sandbox-probe-dlq") in queues

    functions = stage.functions()
    assert stage.name("sandbox-probe") in functions
    (mapping,) = [
        p
        for p in stage.props("AWS::Lambda::EventSourceMapping", "events")
        if stage.render(
            stage.resource("events", stage.logical_of(p["FunctionName"]))["Properties"]["FunctionName"]
        )
        == stage.name("sandbox-probe")
    ]
    # Enhanced fan-out: the mapping reads from the room's registered stream consumer.
    registered = stage.resource("events", stage.logical_of(mapping["EventSourceArn"]))
    assert registered["Type"] == "AWS::Kinesis::StreamConsumer"
    assert stage.render(registered["Properties"]["ConsumerName"]) == stage.name("sandbox-probe")
    (only,) = mapping["FilterCriteria"]["Filters"]
    assert json.loads(only["Pattern"]) == {"data": {"type": [event_type(sandbox_room.HAPPENED)]}}

    assert "sandbox-api" in stage.templates  # one stack per HTTP API
    assert stage.name("sandbox-api") in functions
    alarms = [p for p in stage.props("AWS::CloudWatch::Alarm") if "sandbox-probe" in json.dumps(p)]
    assert alarms, "no alarm watches the new room's function or its queue"
