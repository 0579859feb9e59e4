"""The event archive: Kinesis Data Firehose reads the event stream into the archive bucket as
gzipped JSON lines under hourly partitions, the same layout the local stand-in writes; its
role reads that stream and writes that bucket, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from infra_templates import Stage

from ioc_core.rooms import RESOURCES

pytestmark = [
    pytest.mark.infra,
    pytest.mark.parametrize("archive", RESOURCES.archives, ids=lambda a: a.logical),
]


def _delivery(stage: Stage, archive: Any) -> tuple[str, dict[str, Any]]:
    for part, _, resource in stage.resources("AWS::KinesisFirehose::DeliveryStream"):
        props = resource["Properties"]
        if stage.render(props["DeliveryStreamName"]) == stage.name(archive.logical):
            return part, props
    raise AssertionError(f"no delivery stream {archive.logical}")


def test_the_stream_is_archived_as_gzipped_json_lines_by_hour(stage: Stage, archive: Any) -> None:
    from datetime import UTC, datetime

    _, props = _delivery(stage, archive)
    assert props["DeliveryStreamType"] == "KinesisStreamAsSource"
    source = stage.logical_of(props["KinesisStreamSourceConfiguration"]["KinesisStreamARN"])
    stream = stage.resource("data", source)
    assert stage.render(stream["Properties"]["Name"]) == stage.name(archive.stream)
    s3 = props["ExtendedS3DestinationConfiguration"]
    assert str(stage.render(s3["BucketARN"])).endswith(stage.name(archive.bucket))
    assert s3["CompressionFormat"] == "GZIP"
    (processor,) = s3["ProcessingConfiguration"]["Processors"]
    assert processor["Type"] == "AppendDelimiterToRecord"
    # The stack's prefix, with Firehose's timestamp namespaces filled in, is the stand-in's.
    at = datetime(2026, 3, 16, 2, tzinfo=UTC)
    filled = (
        s3["Prefix"]
        .replace("!{timestamp:yyyy}", "2026")
        .replace("!{timestamp:MM}", "03")
        .replace("!{timestamp:dd}", "16")
        .replace("!{timestamp:HH}", "02")
    )
    assert filled == archive.partition(at)
    assert s3["ErrorOutputPrefix"].startswith(archive.error_prefix)
    assert "KMSEncryptionConfig" in s3["EncryptionConfiguration"]
    assert s3["CloudWatchLoggingOptions"]["Enabled"] is True


def test_the_delivery_role_reads_the_stream_and_writes_the_bucket_only(stage: Stage, archive: Any) -> None:
    part, props = _delivery(stage, archive)
    role = stage.logical_of(props["ExtendedS3DestinationConfiguration"]["RoleARN"])
    trust = stage.resource(part, role)["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"]["Service"] for s in trust] == ["firehose.amazonaws.com"]
    actions: set[str] = set()
    for _, _, policy in stage.resources("AWS::IAM::Policy", part):
        if stage.logical_of(policy["Properties"]["Roles"][0]) != role:
            continue
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            listed = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            actions.update(listed)
            targets = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            assert "*" not in targets, statement
    assert "s3:PutObject" in actions and "kinesis:GetRecords" in actions
    assert not {a for a in actions if a.endswith(":*") or a.startswith(("dynamodb:", "sqs:", "lambda:"))}
    assert not {a for a in actions if a.startswith("s3:Delete")}
