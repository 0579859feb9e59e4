"""Alarms for every function, DLQ and stream, to one encrypted topic; a dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from infra_templates import Stage

from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.infra


def _alarms(stage: Stage) -> list[dict[str, Any]]:
    return stage.props("AWS::CloudWatch::Alarm", "observability")


def _alarmed(stage: Stage, metric: str, dimension: str) -> dict[str, float]:
    return {
        str(stage.render(d["Value"])): alarm["Threshold"]
        for alarm in _alarms(stage)
        if alarm["MetricName"] == metric
        for d in alarm["Dimensions"]
        if d["Name"] == dimension
    }


def test_every_function_alarms_on_errors_and_throttles(stage: Stage) -> None:
    functions = set(stage.functions())
    assert functions
    assert set(_alarmed(stage, "Errors", "FunctionName")) == functions
    assert set(_alarmed(stage, "Throttles", "FunctionName")) == functions


def test_every_dlq_alarms_on_its_first_message(stage: Stage) -> None:
    depth = _alarmed(stage, "ApproximateNumberOfMessagesVisible", "QueueName")
    want = {stage.name(q.logical): stage.config.alarms.dlq_messages for q in RESOURCES.dead_letter_queues}
    assert depth == want


def test_streams_and_their_consumers_alarm_when_records_wait(stage: Stage) -> None:
    limit = stage.config.alarms.iterator_age_seconds * 1000
    assert _alarmed(stage, "GetRecords.IteratorAgeMilliseconds", "StreamName") == {
        stage.name(s.logical): limit for s in RESOURCES.streams
    }
    assert _alarmed(stage, "IteratorAge", "FunctionName") == {
        stage.name(c.function): limit for c in RESOURCES.consumers
    }


def test_every_api_alarms_on_5xx(stage: Stage) -> None:
    assert set(_alarmed(stage, "5XXError", "ApiName")) == {stage.name(a.name) for a in RESOURCES.apis}


def test_alarms_notify_an_encrypted_topic_and_a_dashboard_shows_the_system(stage: Stage) -> None:
    (topic,) = stage.props("AWS::SNS::Topic", "observability")
    assert topic["KmsMasterKeyId"]
    for alarm in _alarms(stage):
        assert alarm["AlarmActions"] and alarm["OKActions"]
    (dashboard,) = stage.props("AWS::CloudWatch::Dashboard", "observability")
    assert dashboard["DashboardName"] == f"ioc-{stage.config.name}"


def test_the_dashboard_graphs_the_business_metrics_every_function_emits(stage: Stage) -> None:
    """Functions emit them into one namespace (observability.py); the dashboard searches it."""
    import json

    from ioc_core.platform import observability as obs

    (dashboard,) = stage.props("AWS::CloudWatch::Dashboard", "observability")
    body = json.dumps(stage.render(dashboard["DashboardBody"]))
    for name in obs.BUSINESS_METRICS:
        assert f"SEARCH('{{{obs.NAMESPACE},service}} MetricName=" in body and name in body, name
    assert "NumberOfMessagesSent" in body
    for _, props in stage.functions().values():
        env = props.get("Environment", {}).get("Variables", {})
        assert env.get("POWERTOOLS_METRICS_NAMESPACE") == obs.NAMESPACE
        assert env.get("POWERTOOLS_SERVICE_NAME", "").startswith("ioc-")
