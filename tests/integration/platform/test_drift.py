"""The PynamoDB models, the resource definitions and the local tables agree."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from ioc_core.local.provision import table_spec
from ioc_core.rooms import RESOURCES, ROOMS
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration
MODEL_TABLES = [(model, logical) for room in ROOMS for model, logical in room.models()]


def _model_schema(model: Any) -> dict[str, Any]:
    meta = model._hash_key_attribute(), model._range_key_attribute()
    keys = tuple(a.attr_name for a in meta if a is not None)
    indexes = {}
    for index in model._indexes.values():
        names = tuple(
            a.attr_name
            for a in sorted(index.Meta.attributes.values(), key=lambda a: not a.is_hash_key)
            if a.is_hash_key or a.is_range_key
        )
        indexes[index.Meta.index_name] = names
    return {"keys": keys, "indexes": indexes}


def _definition_schema(logical: str) -> dict[str, Any]:
    table = RESOURCES.table(logical)
    keys = tuple(k.name for k in (table.partition, table.sort) if k is not None)
    indexes = {i.name: tuple(k.name for k in (i.partition, i.sort) if k is not None) for i in table.indexes}
    return {"keys": keys, "indexes": indexes}


@pytest.mark.parametrize(("model", "logical"), MODEL_TABLES, ids=[m.__name__ for m, _ in MODEL_TABLES])
def test_every_model_matches_its_table_definition(model: Any, logical: str) -> None:
    expected = _definition_schema(logical)
    actual = _model_schema(model)
    assert actual["keys"] == expected["keys"]
    # A model may use a subset of a shared table's indexes, never one the table lacks.
    assert set(actual["indexes"]) <= set(expected["indexes"])
    for name, keys in actual["indexes"].items():
        assert keys == expected["indexes"][name], name


def test_every_defined_table_is_used_by_a_model_of_its_room() -> None:
    for room in ROOMS:
        declared = {t.logical for t in room.resources.tables}
        assert declared == {logical for _, logical in room.models()}, room.name


def test_local_tables_are_created_from_the_definitions(stack: Settings) -> None:
    client = boto3.client("dynamodb", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    for table in RESOURCES.tables:
        described = client.describe_table(TableName=stack.name(table.logical))["Table"]
        spec = table_spec(table, stack.name(table.logical))
        assert described["KeySchema"] == spec["KeySchema"]
        got = {i["IndexName"]: i["KeySchema"] for i in described.get("GlobalSecondaryIndexes", [])}
        want = {i["IndexName"]: i["KeySchema"] for i in spec.get("GlobalSecondaryIndexes", [])}
        assert got == want
        assert bool(described.get("StreamSpecification", {}).get("StreamEnabled")) == table.stream
        ttl = client.describe_time_to_live(TableName=stack.name(table.logical))["TimeToLiveDescription"]
        assert (
            ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None
        ) == table.ttl_attribute


def test_every_consumer_handler_exists_and_is_wired_to_a_defined_source() -> None:
    from ioc_core.local.lambdas import load_handler

    tables = {t.logical for t in RESOURCES.tables if t.stream}
    streams = {s.logical for s in RESOURCES.streams}
    queues = {q.logical for q in RESOURCES.queues}
    for consumer in RESOURCES.consumers:
        assert callable(load_handler(consumer.handler))
        assert consumer.source in (streams if consumer.source_kind == "kinesis" else tables)
        assert consumer.dlq in queues
        assert 0 < consumer.retry_attempts <= 10 and consumer.bisect_on_error
