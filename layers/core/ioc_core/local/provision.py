"""Create every table, bucket, stream and queue from the shared resource definitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3

from ioc_core.local.s3_events import configure_notifications
from ioc_core.platform.resources import Resources, Table
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings


def _client(service: str, settings: Settings) -> Any:
    return boto3.client(service, region_name=settings.region, endpoint_url=settings.aws_endpoint)


def table_spec(table: Table, name: str) -> dict[str, Any]:
    """CreateTable arguments for a definition (also what the drift test compares)."""
    keys = [table.partition, *([table.sort] if table.sort else [])]
    attributes = {k.name: k.type for k in keys}
    spec: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": table.partition.name, "KeyType": "HASH"}]
        + ([{"AttributeName": table.sort.name, "KeyType": "RANGE"}] if table.sort else []),
    }
    if table.indexes:
        spec["GlobalSecondaryIndexes"] = []
        for index in table.indexes:
            schema = [{"AttributeName": index.partition.name, "KeyType": "HASH"}]
            attributes[index.partition.name] = index.partition.type
            if index.sort:
                schema.append({"AttributeName": index.sort.name, "KeyType": "RANGE"})
                attributes[index.sort.name] = index.sort.type
            spec["GlobalSecondaryIndexes"].append(
                {"IndexName": index.name, "KeySchema": schema, "Projection": {"ProjectionType": "ALL"}}
            )
    spec["AttributeDefinitions"] = [{"AttributeName": n, "AttributeType": t} for n, t in attributes.items()]
    if table.stream:
        spec["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    return spec


def provision(
    settings: Settings, resources: Resources = RESOURCES, progress: Callable[[str], None] = lambda _: None
) -> None:
    """Idempotent: what exists is left as it is."""
    dynamodb = _client("dynamodb", settings)
    # Paginated: a shared local AWS (the tests' one) holds far more than a page of tables.
    existing = {n for page in dynamodb.get_paginator("list_tables").paginate() for n in page["TableNames"]}
    for table in resources.tables:
        name = settings.name(table.logical)
        if name in existing:
            continue
        dynamodb.create_table(**table_spec(table, name))
        if table.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
        progress(f"table {name}")
    s3 = _client("s3", settings)
    buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket in resources.buckets:
        name = settings.name(bucket.logical)
        if name in buckets:
            continue
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": settings.region})
        if bucket.versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        # Phones and the web app POST photos straight to the bucket.
        s3.put_bucket_cors(
            Bucket=name,
            CORSConfiguration={
                "CORSRules": [
                    {"AllowedMethods": ["POST", "GET"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}
                ]
            },
        )
        progress(f"bucket {name}")
    kinesis = _client("kinesis", settings)
    for stream in resources.streams:
        name = settings.name(stream.logical)
        try:  # asked by name: a shared local AWS lists more streams than one page holds
            kinesis.describe_stream_summary(StreamName=name)
            continue
        except kinesis.exceptions.ResourceNotFoundException:
            kinesis.create_stream(StreamName=name, ShardCount=stream.shards)
        kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.1})
        progress(f"stream {name}")
    sqs = _client("sqs", settings)
    for queue in resources.queues:
        sqs.create_queue(QueueName=settings.name(queue.logical))
    configure_notifications(settings, resources)  # S3 → the S3 consumers (local stand-in)
