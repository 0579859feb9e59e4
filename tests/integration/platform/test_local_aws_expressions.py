"""The local AWS keeps parsed DynamoDB expressions (ioc_core.local.moto_patches): a condition
or update expression repeated is parsed once, and keeping them changes no answer: the same
condition with other values decides by those values, an update applies to each item by its
own state, and moto's checks of unused names and bad expressions still refuse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ioc_core.local import moto_patches

pytestmark = pytest.mark.integration


@pytest.fixture
def table(aws: str) -> Iterator[tuple[Any, str]]:
    client = boto3.client("dynamodb", endpoint_url=aws)
    name = f"expressions-{id(client)}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield client, name
    client.delete_table(TableName=name)


def _update(client: Any, name: str, key: str, cutoff: str) -> bool:
    """Mark ``key`` read if it is unread and stored by ``cutoff`` (the inbox's shape)."""
    try:
        client.update_item(
            TableName=name,
            Key={"pk": {"S": key}},
            UpdateExpression="SET #r = :t REMOVE #u",
            ConditionExpression="attribute_exists(#u) AND #s <= :c",
            ExpressionAttributeNames={"#r": "read", "#u": "unread_for", "#s": "stored_at"},
            ExpressionAttributeValues={":t": {"BOOL": True}, ":c": {"S": cutoff}},
        )
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ConditionalCheckFailedException", error
        return False
    return True


def _item(client: Any, name: str, key: str) -> dict[str, Any]:
    return dict(client.get_item(TableName=name, Key={"pk": {"S": key}})["Item"])


def test_a_repeated_expression_is_parsed_once_and_decides_by_its_values_and_the_item(
    table: tuple[Any, str],
) -> None:
    client, name = table
    for n, stored in enumerate(["2026-12-01", "2026-12-02", "2026-12-03"]):
        item = {"pk": {"S": f"n{n}"}, "unread_for": {"S": "desk"}, "stored_at": {"S": stored}}
        client.put_item(TableName=name, Item=item)
    moto_patches._condition.cache_clear()
    moto_patches._update_tree.cache_clear()

    assert _update(client, name, "n0", "2026-12-02") is True
    assert _update(client, name, "n1", "2026-12-02") is True
    assert _update(client, name, "n2", "2026-12-02") is False  # stored after the cut-off
    assert _update(client, name, "n0", "2026-12-02") is False  # read already
    assert _update(client, name, "n2", "2026-12-03") is True  # the same text, another value

    conditions, updates = moto_patches._condition.cache_info(), moto_patches._update_tree.cache_info()
    assert conditions.misses == 2 and conditions.hits >= 3  # one parse per cut-off
    assert updates.misses == 1 and updates.hits >= 4  # moto's request check and write share it
    for n in range(3):
        item = _item(client, name, f"n{n}")
        assert item["read"] == {"BOOL": True} and "unread_for" not in item, item


def test_an_update_kept_is_applied_to_each_item_afresh(table: tuple[Any, str]) -> None:
    client, name = table
    for key in ("a", "b"):
        for _ in range(3 if key == "a" else 1):
            client.update_item(
                TableName=name,
                Key={"pk": {"S": key}},
                UpdateExpression="ADD #n :one",
                ExpressionAttributeNames={"#n": "unread"},
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
    assert _item(client, name, "a")["unread"] == {"N": "3"}
    assert _item(client, name, "b")["unread"] == {"N": "1"}


@pytest.mark.parametrize("repeat", [1, 2])
def test_moto_still_refuses_an_unused_name_and_a_bad_expression(table: tuple[Any, str], repeat: int) -> None:
    client, name = table
    client.put_item(TableName=name, Item={"pk": {"S": "x"}, "unread_for": {"S": "desk"}})
    for _ in range(repeat):  # the second time the expression is a kept one
        with pytest.raises(ClientError) as unused:
            client.update_item(
                TableName=name,
                Key={"pk": {"S": "x"}},
                UpdateExpression="SET #r = :t",
                ConditionExpression="attribute_exists(#u)",
                ExpressionAttributeNames={"#r": "read", "#u": "unread_for", "#x": "never"},
                ExpressionAttributeValues={":t": {"BOOL": True}},
            )
        assert unused.value.response["Error"]["Code"] == "ValidationException"
        assert "#x" in unused.value.response["Error"]["Message"]
        with pytest.raises(ClientError) as bad:
            client.update_item(
                TableName=name,
                Key={"pk": {"S": "x"}},
                UpdateExpression="SET #r = = :t",
                ExpressionAttributeNames={"#r": "read"},
                ExpressionAttributeValues={":t": {"BOOL": True}},
            )
        assert bad.value.response["Error"]["Code"] == "ValidationException"
    assert "read" not in _item(client, name, "x")
