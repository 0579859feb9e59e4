"""Event functions and scheduled jobs: bounded retries, bisection, partial batches, DLQs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from infra_templates import Stage

from ioc_core.rooms import RESOURCES
from ioc_core.shared.cloudevents import event_type

pytestmark = pytest.mark.infra


def _mapping(stage: Stage, function: str) -> dict[str, Any]:
    for part, _, resource in stage.resources("AWS::Lambda::EventSourceMapping"):
        props = resource["Properties"]
        target = stage.resource(part, stage.logical_of(props["FunctionName"]))
        if stage.render(target["Properties"]["FunctionName"]) == stage.name(function):
            return props
    raise AssertionError(f"no event source mapping for {function}")


def _queue_name(stage: Stage, arn: Any) -> str:
    logical = stage.logical_of(arn)
    return str(stage.render(stage.resource("data", logical)["Properties"]["QueueName"]))


@pytest.mark.parametrize("consumer", RESOURCES.consumers, ids=lambda c: c.function)
def test_every_stream_consumer_reports_partial_failures_and_gives_up_into_its_dlq(
    stage: Stage, consumer: Any
) -> None:
    props = _mapping(stage, consumer.function)
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRetryAttempts"] == consumer.retry_attempts
    assert 0 < props["MaximumRecordAgeInSeconds"] == consumer.max_record_age_seconds
    assert props["BatchSize"] == consumer.batch_size
    destination = props["DestinationConfig"]["OnFailure"]["Destination"]
    assert _queue_name(stage, destination) == stage.name(consumer.dlq)


@pytest.mark.parametrize("consumer", RESOURCES.queue_consumers, ids=lambda c: c.function)
def test_every_queue_consumer_reports_partial_failures_and_its_queue_redrives_into_its_dlq(
    stage: Stage, consumer: Any
) -> None:
    props = _mapping(stage, consumer.function)
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BatchSize"] == consumer.batch_size
    assert _queue_name(stage, props["EventSourceArn"]) == stage.name(consumer.queue)
    queue = stage.resource("data", stage.logical_of(props["EventSourceArn"]))["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == consumer.max_receives
    assert _queue_name(stage, queue["RedrivePolicy"]["deadLetterTargetArn"]) == stage.name(consumer.dlq)
    timeout = stage.functions()[stage.name(consumer.function)][1]["Timeout"]
    assert queue["VisibilityTimeout"] == consumer.visibility_timeout_seconds >= 6 * timeout


@pytest.mark.parametrize("consumer", RESOURCES.consumers, ids=lambda c: c.function)
def test_a_kinesis_consumer_is_delivered_only_the_event_types_it_declares(
    stage: Stage, consumer: Any
) -> None:
    """The mapping's FilterCriteria names the full types; the local pump matches the same pattern."""
    props = _mapping(stage, consumer.function)
    if consumer.source_kind != "kinesis":
        assert "FilterCriteria" not in props  # the outbox relay publishes every row
        return
    assert consumer.event_types or consumer.every_event, f"{consumer.function} declares no event types"
    (only,) = props["FilterCriteria"]["Filters"]
    pattern = json.loads(only["Pattern"])
    assert set(pattern) == {"data"} and set(pattern["data"]) == {"type"}
    if consumer.every_event:  # the archive: every event of the city's, by prefix
        assert not consumer.event_types
        assert pattern["data"]["type"] == [{"prefix": "vn.gov.lamdong.phanthiet.ioc."}]
        return
    assert sorted(pattern["data"]["type"]) == sorted(event_type(t) for t in consumer.event_types)
    assert all(t.startswith("vn.gov.lamdong.phanthiet.ioc.") for t in pattern["data"]["type"])
    assert len(only["Pattern"]) <= 4096  # Lambda's limit on one pattern


def _invoke_config(stage: Stage, function: str) -> dict[str, Any]:
    for part, _, resource in stage.resources("AWS::Lambda::EventInvokeConfig"):
        props = resource["Properties"]
        target = stage.resource(part, stage.logical_of(props["FunctionName"]))
        if stage.render(target["Properties"]["FunctionName"]) == stage.name(function):
            return props
    raise AssertionError(f"no asynchronous invoke config for {function}")


@pytest.mark.parametrize("consumer", RESOURCES.s3_consumers, ids=lambda c: c.function)
def test_every_s3_triggered_function_has_an_on_failure_destination(stage: Stage, consumer: Any) -> None:
    props = _invoke_config(stage, consumer.function)
    assert props["MaximumRetryAttempts"] == consumer.retry_attempts
    assert props["MaximumEventAgeInSeconds"] == consumer.max_event_age_seconds
    assert _queue_name(stage, props["DestinationConfig"]["OnFailure"]["Destination"]) == stage.name(
        consumer.dlq
    )


@pytest.mark.parametrize("job", RESOURCES.schedules, ids=lambda s: s.function)
def test_every_job_has_bounded_retries_and_a_dlq(stage: Stage, job: Any) -> None:
    props = _invoke_config(stage, job.function)
    assert _queue_name(stage, props["DestinationConfig"]["OnFailure"]["Destination"]) == stage.name(job.dlq)
    (schedule,) = [p for p in stage.props("AWS::Scheduler::Schedule") if p["Name"] == job.function]
    assert schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == job.retry_attempts
    assert _queue_name(stage, schedule["Target"]["DeadLetterConfig"]["Arn"]) == stage.name(job.dlq)
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}


def _layer_names(stage: Stage, part: str, layers: list[Any]) -> set[str]:
    names = set()
    for ref in layers:
        description = stage.resource(part, stage.logical_of(ref))["Properties"]["Description"]
        names.add(description.split(" layer ")[0].rsplit(" ", 1)[1])
    return names


def test_each_function_gets_exactly_the_layers_it_needs(stage: Stage) -> None:
    functions = stage.functions()
    definitions = [
        *RESOURCES.consumers,
        *RESOURCES.queue_consumers,
        *RESOURCES.s3_consumers,
        *RESOURCES.schedules,
    ]
    expected = {stage.name(d.function): set(d.layers) for d in definitions}
    expected |= {stage.name(a.name): set(a.layers) for a in RESOURCES.apis}
    for name, layers in expected.items():
        part, props = functions[name]
        assert _layer_names(stage, part, props["Layers"]) == layers, name


def test_every_function_runs_against_real_aws_with_one_runtime_tracing_and_its_own_logs(stage: Stage) -> None:
    for name, (_, props) in stage.functions().items():
        env = props["Environment"]["Variables"]
        assert "IOC_AWS_ENDPOINT" not in env, name  # set, even empty, it would point boto3 elsewhere
        assert env["IOC_STAGE"] == stage.config.name
        assert stage.render(env["IOC_RESOURCE_PREFIX"]) == stage.config.resource_prefix
        assert env["IOC_PUBLIC_BASE_URL"] == stage.config.base_url
        assert env["POWERTOOLS_SERVICE_NAME"]
        assert props["Runtime"] == "python3.12", name
        assert props.get("Tracing") == "Active" or props["TracingConfig"] == {"Mode": "Active"}, name
        assert props["LoggingConfig"]["LogGroup"], name


def test_log_groups_keep_logs_as_long_as_the_stage_says(stage: Stage) -> None:
    groups = stage.props("AWS::Logs::LogGroup")
    assert groups
    assert {g["RetentionInDays"] for g in groups} == {stage.config.log_retention_days}


def test_functions_that_send_sms_may_publish_and_the_others_may_not(stage: Stage) -> None:
    senders = {stage.name(c.function) for c in (*RESOURCES.consumers, *RESOURCES.schedules) if c.sends}
    for name, (part, props) in stage.functions().items():
        role = stage.logical_of(props["Role"])
        actions = {
            action
            for _, _, policy in stage.resources("AWS::IAM::Policy", part)
            if role in [stage.logical_of(r) for r in policy["Properties"]["Roles"]]
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            for action in (
                statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            )
        }
        assert ("sns:Publish" in actions) is (name in senders), name
