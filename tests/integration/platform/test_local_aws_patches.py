"""The local AWS's fixes to moto (ioc_core.local.moto_patches), each changing no answer.

Parsed DynamoDB expressions are kept: a condition or update expression repeated is parsed
once, the same condition with other values decides by those values, an update applies to each
item by its own state, and moto's checks of unused names and bad expressions still refuse.

DynamoDB requests are answered one at a time, as the service's isolation would have it. moto's
server runs each request in a thread of its own: under load a query of a sparse index sorted
its items while another request removed the key it sorted by (a 500, KeyError: 'unread_for'), a
query read a partition while a write grew it (a 500, "dictionary changed size during
iteration"), and the two phases of the patched transaction (check every condition, then write)
could let another transaction in between, so that two conditional puts of one new key both
succeeded. The test holds one transaction between its phases and sends a second."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ioc_core.local import moto_patches

pytestmark = pytest.mark.integration
ONCE = Config(retries={"max_attempts": 1, "mode": "standard"})  # a failure shows, not retried


@pytest.fixture
def table(aws: str) -> Iterator[tuple[Any, str]]:
    client = boto3.client("dynamodb", endpoint_url=aws)
    name = f"patched-{id(client)}"
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


def _put_once(endpoint: str, name: str, by: str) -> bool:
    client = boto3.client("dynamodb", endpoint_url=endpoint, config=ONCE)
    put = {
        "TableName": name,
        "Item": {"pk": {"S": "the-key"}, "by": {"S": by}},
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    try:
        client.transact_write_items(TransactItems=[{"Put": put}])
    except ClientError as error:
        assert error.response["Error"]["Code"] == "TransactionCanceledException", error
        return False
    return True


def test_a_transaction_between_another_ones_check_and_write_waits_for_it(
    aws: str, table: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, name = aws, table[1]
    checked, second_done = threading.Event(), threading.Event()
    real_check = moto_patches._check

    def slow_first_check(*args: Any) -> Any:
        result = real_check(*args)
        if not checked.is_set():  # the first transaction, conditions checked, nothing written
            checked.set()
            second_done.wait(timeout=2)  # the second one's chance to get in between
        return result

    monkeypatch.setattr(moto_patches, "_check", slow_first_check)
    outcomes: dict[str, bool] = {}

    def first() -> None:
        outcomes["first"] = _put_once(endpoint, name, "first")

    thread = threading.Thread(target=first)
    thread.start()
    assert checked.wait(timeout=30)
    outcomes["second"] = _put_once(endpoint, name, "second")
    second_done.set()
    thread.join(timeout=30)

    assert outcomes == {"first": True, "second": False}  # the key was new once
    item = boto3.client("dynamodb", endpoint_url=endpoint).get_item(
        TableName=name, Key={"pk": {"S": "the-key"}}
    )
    assert item["Item"]["by"] == {"S": "first"}
