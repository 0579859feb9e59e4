"""The local AWS answers DynamoDB requests one at a time, as the service's isolation would have
it. moto's server runs each request in a thread of its own: under load a query of a sparse
index sorted its items while another request removed the key it sorted by (a 500, KeyError:
'unread_for'), a query read a partition while a write grew it (a 500, "dictionary changed size
during iteration"), and the two phases of the patched transaction (check every condition, then
write) could let another transaction in between, so that two conditional puts of one new key
both succeeded. The test holds one transaction between its phases and sends a second."""

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
ONCE = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture
def table(aws: str) -> Iterator[tuple[str, str]]:
    client = boto3.client("dynamodb", endpoint_url=aws)
    name = f"threads-{id(client)}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield aws, name
    client.delete_table(TableName=name)


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
    table: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, name = table
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
