"""One provisioned set of resources per test process, put back as provisioned after each test.

Creating every table, bucket, stream and queue for each test was over half of the API tier's
time, and grew with the number of tests (moto lists every table made so far). Instead each
process (an xdist worker) provisions once under its own prefix, takes a ``Baseline`` of what
exists, and after each test ``restore`` leaves exactly that baseline, and empty:

- tables lose every item, and their streams every record (the pump reads from the trim
  horizon, so a REMOVE record left by deleting items would reach the next test's consumers);
- the event stream loses every record, queues every message, buckets every object version;
- the dev IdP's secrets under the prefix are deleted;
- whatever a test added under the prefix (a throwaway room's table or queue) is deleted, and
  whatever it deleted is provisioned again.

The tests' moto server runs in this process (the ``aws`` fixture), so what holds data is found
and emptied in moto's own stores (microseconds, where ~40 API calls took a third of a
second); resources are added and removed through the AWS API. tests/integration/platform/
test_clean_slate.py checks through the API that nothing written anywhere survives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3

from ioc_core.local.provision import provision
from ioc_core.platform.resources import Resources
from ioc_core.settings import Settings


@dataclass(frozen=True)
class Names:
    """Physical names of what exists under a prefix."""

    tables: frozenset[str]
    buckets: frozenset[str]
    streams: frozenset[str]
    queues: frozenset[str]


@dataclass(frozen=True)
class Baseline:
    """What exists under the prefix right after provisioning, in which moto account."""

    account: str
    names: Names


class _Moto:
    """moto's stores for one account and region (moto 5)."""

    def __init__(self, account: str, region: str) -> None:
        from moto.dynamodb.models import dynamodb_backends
        from moto.kinesis.models import kinesis_backends
        from moto.s3.models import s3_backends
        from moto.secretsmanager.models import secretsmanager_backends
        from moto.sqs.models import sqs_backends

        self.dynamodb = dynamodb_backends[account][region]
        self.kinesis = kinesis_backends[account][region]
        self.sqs = sqs_backends[account][region]
        self.s3 = s3_backends[account]["aws"]
        self.secrets = secretsmanager_backends[account][region]

    def present(self, prefix: str) -> Names:
        def mine(names: Iterable[str]) -> frozenset[str]:
            return frozenset(n for n in names if n.startswith(prefix))

        return Names(
            mine(self.dynamodb.tables),
            mine(self.s3.buckets),
            mine(self.kinesis.streams),
            mine(self.sqs.queues),
        )


def baseline(settings: Settings) -> Baseline:
    sts = boto3.client("sts", region_name=settings.region, endpoint_url=settings.aws_endpoint)
    account = str(sts.get_caller_identity()["Account"])
    return Baseline(account, _Moto(account, settings.region).present(_prefix(settings)))


def restore(settings: Settings, resources: Resources, base: Baseline) -> None:
    """Leave exactly ``base`` under the prefix, every resource in it empty."""
    moto = _Moto(base.account, settings.region)
    prefix = _prefix(settings)
    wanted = base.names
    _remove_additions(settings, moto.present(prefix), wanted)
    if moto.present(prefix) != wanted:
        provision(settings, resources)  # a test deleted something: create what is missing
    for name in wanted.tables:
        _empty_table(moto.dynamodb.tables[name])
    for name in wanted.streams:
        for shard in moto.kinesis.streams[name].shards.values():
            shard.records.clear()
    for name in wanted.queues:
        queue = moto.sqs.queues[name]
        with queue._messages_lock:
            queue._messages = []
            queue._pending_messages = set()
            queue.deleted_messages = set()
    s3 = _client("s3", settings)
    for name in wanted.buckets:
        if moto.s3.buckets[name].keys:
            _empty_bucket(s3, name)
    secrets = [name for name in list(moto.secrets.secrets) if name.startswith(prefix)]
    if secrets:
        client = _client("secretsmanager", settings)
        for name in secrets:
            client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def _prefix(settings: Settings) -> str:
    return f"{settings.resource_prefix}-"


def _client(service: str, settings: Settings) -> Any:
    return boto3.client(service, region_name=settings.region, endpoint_url=settings.aws_endpoint)


def _empty_table(table: Any) -> None:
    table.items.clear()
    if table.stream_shard is not None:
        table.stream_shard.items = []


def _remove_additions(settings: Settings, present: Names, base: Names) -> None:
    if present.tables - base.tables:
        dynamodb = _client("dynamodb", settings)
        for name in present.tables - base.tables:
            dynamodb.delete_table(TableName=name)
    if present.buckets - base.buckets:
        s3 = _client("s3", settings)
        for name in present.buckets - base.buckets:
            _empty_bucket(s3, name)
            s3.delete_bucket(Bucket=name)
    if present.streams - base.streams:
        kinesis = _client("kinesis", settings)
        for name in present.streams - base.streams:
            kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    if present.queues - base.queues:
        sqs = _client("sqs", settings)
        for name in present.queues - base.queues:
            sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])


def _empty_bucket(s3: Any, name: str) -> None:
    for batch in _versions(s3, name):
        s3.delete_objects(Bucket=name, Delete={"Objects": batch, "Quiet": True})


def _versions(s3: Any, name: str) -> Iterator[list[dict[str, str]]]:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        found = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        if found:
            yield [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in found]
