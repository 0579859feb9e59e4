"""The local Firehose stand-in on moto: records of the event stream land in the archive bucket
as gzipped JSON lines under hourly partitions (read back with gzip and json, not our code),
and a stream read again writes the same objects rather than copies."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from datetime import datetime

import boto3
import pytest

from ioc_core.local.pump import EventPump
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration


def test_every_record_is_archived_once_as_json_lines_by_hour(stack: Settings) -> None:
    kinesis = boto3.client("kinesis", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    s3 = boto3.client("s3", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    events = [
        CloudEvent.new(
            "field_reporting.report.submitted", subsystem="field_reporting", subject=f"PT-ARCH{n}",
            at=datetime(2026, 3, 16, 9, n, tzinfo=VN_TZ), data={"id": f"PT-ARCH{n}", "status": "received"},
            sequence=1,
        )
        for n in range(5)
    ]  # fmt: skip
    for event in events:
        kinesis.put_record(
            StreamName=stack.name("events"), Data=event.to_json().encode(), PartitionKey=event.subject
        )
    archives = replace(RESOURCES, consumers=(), s3_consumers=())
    EventPump(stack, resources=archives).drain(timeout=60)
    EventPump(stack, resources=archives).drain(timeout=60)  # read from the start again

    bucket = stack.name("integration-archive")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys and all(
        re.fullmatch(r"events/year=\d{4}/month=\d{2}/day=\d{2}/hour=\d{2}/[\w-]+-\d+\.gz", k) for k in keys
    ), keys
    lines = []
    for key in keys:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        text = gzip.decompress(body).decode("utf-8")
        assert text.endswith("\n")
        lines += [json.loads(line) for line in text.splitlines()]
    assert sorted(e["id"] for e in lines) == sorted(e.id for e in events)  # each once
    assert {e["subject"] for e in lines} == {f"PT-ARCH{n}" for n in range(5)}
