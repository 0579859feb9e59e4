"""Drift: the local runtime and the CloudFormation templates build the same system.

The runtime creates tables with ``provision.table_spec`` and feeds handlers as the resource
definitions say (``local/pump.py``); the templates must hold the same tables, keys and indexes,
the same buckets, streams and queues, and the same wiring of functions to sources and schedules.
"""

from __future__ import annotations

from typing import Any

import pytest
from infra_templates import Stage

from infra.functions import handler_location
from ioc_core.local.provision import table_spec
from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.infra


def _table(stage: Stage, logical: str) -> dict[str, Any]:
    _, _, resource = stage.find("AWS::DynamoDB::Table", TableName=stage.name(logical))
    return resource["Properties"]


@pytest.mark.parametrize("table", RESOURCES.tables, ids=lambda t: t.logical)
def test_every_table_has_the_runtime_keys_indexes_stream_and_ttl(stage: Stage, table: Any) -> None:
    spec = table_spec(table, stage.name(table.logical))
    props = _table(stage, table.logical)
    assert props["KeySchema"] == spec["KeySchema"]
    assert {(a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]} == {
        (a["AttributeName"], a["AttributeType"]) for a in spec["AttributeDefinitions"]
    }
    got = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in props.get("GlobalSecondaryIndexes", [])}
    want = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in spec.get("GlobalSecondaryIndexes", [])}
    assert got == want
    assert props["BillingMode"] == spec["BillingMode"]
    view = spec.get("StreamSpecification", {}).get("StreamViewType")  # CloudFormation has no StreamEnabled
    assert props.get("StreamSpecification", {}).get("StreamViewType") == view
    ttl = props.get("TimeToLiveSpecification")
    assert (ttl["AttributeName"] if ttl and ttl["Enabled"] else None) == table.ttl_attribute


def test_no_table_bucket_stream_or_queue_exists_only_in_the_templates(stage: Stage) -> None:
    tables = {stage.render(p["TableName"]) for p in stage.props("AWS::DynamoDB::Table")}
    assert tables == {stage.name(t.logical) for t in RESOURCES.tables}
    named_buckets = {
        stage.render(p["BucketName"]) for p in stage.props("AWS::S3::Bucket") if "BucketName" in p
    }
    assert named_buckets == {stage.name(b.logical) for b in RESOURCES.buckets}
    streams = {stage.render(p["Name"]) for p in stage.props("AWS::Kinesis::Stream")}
    assert streams == {stage.name(s.logical) for s in RESOURCES.streams}
    queues = {stage.render(p["QueueName"]) for p in stage.props("AWS::SQS::Queue")}
    assert queues == {stage.name(q.logical) for q in RESOURCES.queues}


@pytest.mark.parametrize("stream", RESOURCES.streams, ids=lambda s: s.logical)
def test_streams_have_the_defined_shards_and_retention(stage: Stage, stream: Any) -> None:
    _, _, resource = stage.find("AWS::Kinesis::Stream", Name=stage.name(stream.logical))
    props = resource["Properties"]
    assert props["ShardCount"] == stream.shards
    assert props["RetentionPeriodHours"] == stream.retention_hours


def _function_name(stage: Stage, part: str, function_ref: Any) -> str:
    function = stage.resource(part, stage.logical_of(function_ref))
    return str(stage.render(function["Properties"]["FunctionName"]))


def _source_name(stage: Stage, arn: Any) -> str:
    """The physical name of the stream or table whose ARN an event source mapping reads (an
    enhanced fan-out consumer reads its stream through its registered stream consumer)."""
    text = str(stage.render(arn))
    logical = text.strip("<>").split(".")[0]
    for part, template in stage.templates.items():
        if logical in template["Resources"]:
            resource = template["Resources"][logical]
            props = stage.resource(part, logical)["Properties"]
            if resource["Type"] == "AWS::Kinesis::StreamConsumer":
                return _source_name(stage, props["StreamARN"])
            return str(stage.render(props.get("Name") or props.get("TableName") or props.get("QueueName")))
    raise AssertionError(f"no resource behind {text}")


def test_every_stream_consumer_reads_the_defined_source(stage: Stage) -> None:
    wiring = {
        (_function_name(stage, part, p["FunctionName"]), _source_name(stage, p["EventSourceArn"]))
        for part, _, r in stage.resources("AWS::Lambda::EventSourceMapping")
        for p in [r["Properties"]]
    }
    want = {(stage.name(c.function), stage.name(c.source)) for c in RESOURCES.consumers}
    want |= {(stage.name(c.function), stage.name(c.queue)) for c in RESOURCES.queue_consumers}
    assert wiring == want


def test_every_s3_consumer_is_notified_for_its_bucket_prefix(stage: Stage) -> None:
    wiring = set()
    for part, _, resource in stage.resources("Custom::S3BucketNotifications"):
        props = resource["Properties"]
        for config in props["NotificationConfiguration"]["LambdaFunctionConfigurations"]:
            assert config["Events"] == ["s3:ObjectCreated:*"]
            rules = {r["Name"]: r["Value"] for r in config["Filter"]["Key"]["FilterRules"]}
            function = _function_name(stage, part, config["LambdaFunctionArn"])
            wiring.add(
                (function, stage.render(props["BucketName"]), rules["prefix"], rules.get("suffix", ""))
            )
    want = {
        (stage.name(c.function), stage.name(c.bucket), c.prefix, c.suffix) for c in RESOURCES.s3_consumers
    }
    assert wiring == want


def test_every_schedule_runs_its_job(stage: Stage) -> None:
    wiring = {
        (
            p["ScheduleExpression"],
            p["ScheduleExpressionTimezone"],
            _function_name(stage, part, p["Target"]["Arn"]),
        )
        for part, _, r in stage.resources("AWS::Scheduler::Schedule")
        for p in [r["Properties"]]
    }
    assert wiring == {(s.expression, s.timezone, stage.name(s.function)) for s in RESOURCES.schedules}


def test_every_plain_function_runs_the_handler_the_runtime_loads(stage: Stage) -> None:
    handlers = {name: props["Handler"] for name, (_, props) in stage.functions().items()}
    for definition in (
        *RESOURCES.consumers,
        *RESOURCES.queue_consumers,
        *RESOURCES.s3_consumers,
        *RESOURCES.schedules,
        *RESOURCES.user_pools,
    ):
        assert handlers[stage.name(definition.function)] == handler_location(definition.handler)[1]


def test_every_user_pool_calls_the_defined_triggers_and_no_others(stage: Stage) -> None:
    """The dev IdP plays these pools locally; in AWS each calls the triggers its definition names."""
    config_keys = {
        "pre_sign_up": "PreSignUp",
        "pre_token_generation": "PreTokenGenerationConfig",
        "post_confirmation": "PostConfirmation",
    }
    found = {}
    for part, _, resource in stage.resources("AWS::Cognito::UserPool"):
        props = resource["Properties"]
        lambdas = props.get("LambdaConfig", {})
        triggers = {}
        for key, config in lambdas.items():
            arn = config["LambdaArn"] if isinstance(config, dict) and "LambdaArn" in config else config
            triggers[key] = _function_name(stage, part, arn)
            if key == "PreTokenGenerationConfig":
                assert config["LambdaVersion"] == "V2_0"  # access-token claims need event version 2
        found[stage.render(props["UserPoolName"])] = triggers
    want = {
        stage.name(pool.logical): {config_keys[t]: stage.name(pool.function) for t in pool.triggers}
        for pool in RESOURCES.user_pools
    }
    assert found == want


def test_every_http_api_is_a_chalice_app_in_its_own_stack(stage: Stage) -> None:
    for api in RESOURCES.apis:
        template = stage.templates[api.name]
        assert template["Transform"] == "AWS::Serverless-2016-10-31"
        assert stage.render(template["Resources"]["RestAPI"]["Properties"]["Name"]) == stage.name(api.name)
        assert stage.render(template["Resources"]["APIHandler"]["Properties"]["FunctionName"]) == stage.name(
            api.name
        )
