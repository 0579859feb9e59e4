"""Tests share one provisioned stack per process (tests/clean_slate.py): what one test writes
anywhere, through the AWS API, is gone for the next, and what it added or deleted is put back.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

import clean_slate
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration

# Filled by the first of the pair below; the second checks it left nothing.
WRITTEN: list[str] = []


def clients(settings: Settings) -> dict[str, Any]:
    kw = {"region_name": settings.region, "endpoint_url": settings.aws_endpoint}
    services = ("dynamodb", "dynamodbstreams", "s3", "kinesis", "sqs", "secretsmanager")
    return {name: boto3.client(name, **kw) for name in services}  # type: ignore[call-overload]


def write_everywhere(settings: Settings) -> None:
    """An item in every table, objects (and, versioned, an old version and a delete marker) in
    every bucket, a record on every stream, a message in every queue, a secret, a table, a
    bucket and a queue of its own; and one provisioned table deleted."""
    aws = clients(settings)
    for table in RESOURCES.tables:
        item = {table.partition.name: {table.partition.type: "1"}}
        if table.sort:
            item[table.sort.name] = {table.sort.type: "1"}
        aws["dynamodb"].put_item(TableName=settings.name(table.logical), Item=item)
    for bucket in RESOURCES.buckets:
        name = settings.name(bucket.logical)
        aws["s3"].put_object(Bucket=name, Key="left/behind.txt", Body=b"one")
        aws["s3"].put_object(Bucket=name, Key="left/behind.txt", Body=b"two")
        aws["s3"].delete_object(Bucket=name, Key="left/behind.txt")
        aws["s3"].put_object(Bucket=name, Key="left/kept.txt", Body=b"three")
    for stream in RESOURCES.streams:
        aws["kinesis"].put_record(StreamName=settings.name(stream.logical), Data=b"{}", PartitionKey="p")
    for url in aws["sqs"].list_queues(QueueNamePrefix=settings.name(""))["QueueUrls"]:
        aws["sqs"].send_message(QueueUrl=url, MessageBody="left behind")
    aws["secretsmanager"].create_secret(Name=settings.name("dev-idp/left"), SecretString="{}")
    aws["dynamodb"].create_table(
        TableName=settings.name("extra"),
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    aws["s3"].create_bucket(
        Bucket=settings.name("extra"), CreateBucketConfiguration={"LocationConstraint": settings.region}
    )
    aws["sqs"].create_queue(QueueName=settings.name("extra"))
    aws["dynamodb"].delete_table(TableName=settings.name("idempotency"))


def records_from_the_start(settings: Settings) -> dict[str, list[Any]]:
    """What a pump opened now would read from each stream (its iterators start at the trim horizon)."""
    aws = clients(settings)
    found: dict[str, list[Any]] = {}
    for stream in RESOURCES.streams:
        name = settings.name(stream.logical)
        for shard in aws["kinesis"].list_shards(StreamName=name)["Shards"]:
            iterator = aws["kinesis"].get_shard_iterator(
                StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            found.setdefault(name, []).extend(aws["kinesis"].get_records(ShardIterator=iterator)["Records"])
    for table in (t for t in RESOURCES.tables if t.stream):
        name = settings.name(table.logical)
        arn = aws["dynamodb"].describe_table(TableName=name)["Table"]["LatestStreamArn"]
        for shard in aws["dynamodbstreams"].describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = aws["dynamodbstreams"].get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            found.setdefault(name, []).extend(
                aws["dynamodbstreams"].get_records(ShardIterator=iterator)["Records"]
            )
    return found


def assert_nothing_left(settings: Settings) -> None:
    aws = clients(settings)
    prefix = settings.name("")
    tables = [n for n in aws["dynamodb"].list_tables()["TableNames"] if n.startswith(prefix)]
    assert sorted(tables) == sorted(settings.name(t.logical) for t in RESOURCES.tables)
    assert {n: aws["dynamodb"].scan(TableName=n)["Items"] for n in tables} == {n: [] for n in tables}
    buckets = [b["Name"] for b in aws["s3"].list_buckets()["Buckets"] if b["Name"].startswith(prefix)]
    assert sorted(buckets) == sorted(settings.name(b.logical) for b in RESOURCES.buckets)
    for name in buckets:
        listed = aws["s3"].list_object_versions(Bucket=name)
        assert (listed.get("Versions", []), listed.get("DeleteMarkers", [])) == ([], []), name
    assert all(records == [] for records in records_from_the_start(settings).values())
    urls = aws["sqs"].list_queues(QueueNamePrefix=prefix)["QueueUrls"]
    assert settings.name("extra") not in {u.rpartition("/")[2] for u in urls}
    for url in urls:
        assert aws["sqs"].receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", []) == [], url
    secrets = aws["secretsmanager"].list_secrets(Filters=[{"Key": "name", "Values": [prefix]}])
    assert secrets["SecretList"] == []


def test_restore_leaves_the_provisioned_stack_empty_and_working(
    stack: Settings, provisioned: tuple[str, clean_slate.Baseline]
) -> None:
    write_everywhere(stack)
    assert any(records_from_the_start(stack).values())  # the check below can fail

    clean_slate.restore(stack, RESOURCES, provisioned[1])

    assert_nothing_left(stack)
    # Still in working order: what is written now is read back, streams included.
    aws = clients(stack)
    aws["dynamodb"].put_item(TableName=stack.name("idempotency"), Item={"key": {"S": "after"}})
    assert aws["dynamodb"].get_item(TableName=stack.name("idempotency"), Key={"key": {"S": "after"}})["Item"]
    aws["dynamodb"].put_item(TableName=stack.name("outbox"), Item={"event_id": {"S": "after"}})
    stream = stack.name(RESOURCES.streams[0].logical)
    aws["kinesis"].put_record(StreamName=stream, Data=b"after", PartitionKey="p")
    read = records_from_the_start(stack)
    assert [r["Data"] for r in read[stream]] == [b"after"]
    assert [r["dynamodb"]["Keys"] for r in read[stack.name("outbox")]] == [{"event_id": {"S": "after"}}]


def test_a_test_leaves_data_everywhere(stack: Settings) -> None:
    write_everywhere(stack)
    WRITTEN.append(stack.resource_prefix)
    assert any(records_from_the_start(stack).values())


def test_the_next_test_finds_none_of_it(stack: Settings) -> None:
    if stack.resource_prefix not in WRITTEN:
        pytest.skip("the test before this one did not run in this process")
    assert_nothing_left(stack)
