"""A fix to moto's DynamoDB transactions, applied wherever the embedded stack runs moto.

moto 5.2 deep-copies every touched table once per transaction item before writing, so a
transaction costs items × table size: against a table of a few thousand rows (the outbox,
the processed-event markers) one submission took seconds. DynamoDB checks every condition
against the state before the transaction and then writes all or nothing; this does exactly
that in two phases, touching only the items named. Failed transactions write nothing, so no
stream record (and no outbox event) escapes a cancelled transaction either.

moto's Kinesis shard also finds its last sequence number by copying every key, and reads
from the first record on every GetRecords, which makes a stream of thousands of events
quadratic. Sequence numbers in a moto shard are consecutive integers, so both become
lookups.

moto's DynamoDB Query on a table's own key goes through every item of the table, sorted, to
keep those of one partition: a query for one partition of the search index (25,000 postings)
took a second. The table keeps its items by partition already, so the partition is looked up.

moto's DynamoDB parses every condition and update expression afresh, which is most of what
a conditional write costs it: marking a desk's 1,700 notifications read (transactions of 100
updates sharing one condition and one update expression) spent a third of its time parsing the
same two strings. A parse depends on nothing but the expression, its names and its values, and
the trees are only read afterwards, so the conditions are kept (with the names and values they
used, which moto's own checks read) and each update expression's tree is copied from a kept
one. Anything that fails to parse is not kept and fails as before.

moto's server answers each request in a thread of its own, and its DynamoDB is not written for
that: under load a query of a sparse index sorted its items while another request removed the
key it sorted by (a 500), a query read a partition while a write grew it (a 500), and another
transaction could commit between the two phases above. DynamoDB requests are answered one at
a time (the interpreter ran them one at a time anyway; only their interleaving goes).

moto's Secrets Manager checks a new secret's name or a new version's ClientRequestToken and
then writes, unlocked, while its server answers requests in threads; Secrets Manager does
both atomically, and the dev IdP's attempt counters rely on it (one writer per version).
"""

from __future__ import annotations

import contextvars
import copy
import functools
import json
import threading
from collections.abc import Callable
from typing import Any

_APPLIED = False


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    from moto.dynamodb import models

    models.DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    from moto.dynamodb.models import table

    global _ALL_ITEMS
    _ALL_ITEMS = table.Table.all_items
    table.Table.all_items = _all_items  # type: ignore[method-assign]
    table.Table.query = _one_partition(table.Table.query)  # type: ignore[method-assign]
    from moto.dynamodb import comparisons

    global _CONDITION_PARSE, _UPDATE_MAKE
    _CONDITION_PARSE = comparisons.ConditionExpressionParser.parse
    comparisons.ConditionExpressionParser.parse = _kept_condition  # type: ignore[method-assign]
    _UPDATE_MAKE = models.UpdateExpressionParser.make
    models.UpdateExpressionParser = _KeptUpdateParser  # type: ignore[misc]
    from moto.dynamodb import responses

    handler = responses.DynamoHandler
    handler.call_action = _one_at_a_time(_DYNAMODB_REQUESTS)(handler.call_action)  # type: ignore[method-assign]
    responses.UpdateExpressionParser = _ReadUpdateParser  # type: ignore[misc]
    from moto.kinesis import models as kinesis

    kinesis.Shard.get_max_sequence_number = _max_sequence  # type: ignore[method-assign]
    kinesis.Shard.get_records = _shard_records  # type: ignore[method-assign]
    from moto.secretsmanager import models as secretsmanager

    backend = secretsmanager.SecretsManagerBackend
    backend.create_secret = _one_at_a_time(_SECRET_WRITES)(backend.create_secret)  # type: ignore[method-assign]
    backend.put_secret_value = _one_at_a_time(_SECRET_WRITES)(backend.put_secret_value)  # type: ignore[method-assign]
    _APPLIED = True


_ALL_ITEMS: Callable[[Any], list[Any]] | None = None
# (table, partition key) while a query on the table's own key runs: all_items yields just that one.
_PARTITION: contextvars.ContextVar[tuple[Any, Any] | None] = contextvars.ContextVar("partition", default=None)


def _all_items(self: Any) -> list[Any]:
    only = _PARTITION.get()
    if only is None or only[0] is not self:
        assert _ALL_ITEMS is not None
        return _ALL_ITEMS(self)
    bucket = self.items.get(only[1])
    if bucket is None:
        return []
    if not self.range_key_attr:
        return [bucket]
    return sorted(bucket.values(), key=lambda item: item.range_key)


def _one_partition(query: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(query)
    def on_key(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name is not None or hash_key is None:
            return query(self, hash_key, *args, **kwargs)
        token = _PARTITION.set((self, hash_key))
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            _PARTITION.reset(token)

    return on_key


KEPT_EXPRESSIONS = 4096
_Parsed = tuple[Any, tuple[str, ...], tuple[str, ...]]  # a condition's tree, the names and values used
_CONDITION_PARSE: Callable[[Any], Any] | None = None
_UPDATE_MAKE: Callable[[str], Any] | None = None


def _kept_condition(self: Any) -> Any:
    names = json.dumps(self.expression_attribute_names, sort_keys=True)
    values = json.dumps(self.expression_attribute_values, sort_keys=True)
    tree, names_found, values_found = _condition(self.condition_expression, names, values)
    self.expr_attr_names_found = list(names_found)
    self.expr_attr_values_found = list(values_found)
    return tree


@functools.lru_cache(maxsize=KEPT_EXPRESSIONS)
def _condition(expression: str | None, names: str, values: str) -> _Parsed:
    from moto.dynamodb.comparisons import ConditionExpressionParser

    assert _CONDITION_PARSE is not None
    parser = ConditionExpressionParser(expression, json.loads(names), json.loads(values))
    tree = _CONDITION_PARSE(parser)
    return tree, tuple(parser.expr_attr_names_found), tuple(parser.expr_attr_values_found)


@functools.lru_cache(maxsize=KEPT_EXPRESSIONS)
def _update_tree(expression: str) -> Any:
    assert _UPDATE_MAKE is not None
    return _UPDATE_MAKE(expression)


class _KeptUpdateParser:
    """What moto's DynamoDB backend calls as UpdateExpressionParser: ``make`` only. Its tree
    is validated in place afterwards, so each call gets a copy of the kept one."""

    @staticmethod
    def make(expression: str) -> Any:
        return copy.deepcopy(_update_tree(expression))


class _ReadUpdateParser:
    """The same for moto's request checks, which only read the tree (the names it uses): the
    kept one itself."""

    @staticmethod
    def make(expression: str) -> Any:
        return _update_tree(expression)


_DYNAMODB_REQUESTS = threading.RLock()
_SECRET_WRITES = threading.RLock()


def _one_at_a_time(lock: threading.RLock) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(call: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(call)
        def locked(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return call(*args, **kwargs)

        return locked

    return wrap


def _max_sequence(self: Any) -> int:
    return int(next(reversed(self.records))) if self.records else 0


def _shard_records(self: Any, last_sequence_id: str, limit: int | None) -> tuple[list[Any], int, int]:
    last = int(last_sequence_id)
    if not self.records:
        return [], last, 0
    first = next(iter(self.records))
    newest = self.records[next(reversed(self.records))]
    results: list[Any] = []
    cursor = max(last + 1, first)
    while cursor in self.records and (limit is None or len(results) < limit):
        results.append(self.records[cursor])
        last = cursor
        cursor += 1
    behind = int((newest.created_at - results[-1].created_at) * 1000) if results else 0
    return results, last, behind


def _key_of(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _check(backend: Any, item: dict[str, Any], seen: set[tuple[str, str]]) -> tuple[Any, ...]:
    """Phase one for one item: (error code, message, old item) or (None, None, None)."""
    from moto.dynamodb import models

    if len(item) > 1:
        raise models.TransactWriteSingleOpException
    op_type, op = next(iter(item.items()))
    if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
        raise ValueError("Unsupported transaction operation")
    key = _key_of(backend, op_type, op)
    marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
    if marker in seen:
        raise models.MultipleTransactionsException()
    seen.add(marker)
    condition = op.get("ConditionExpression")
    if condition is None:
        return (None, None, None)
    current = backend.get_item(op["TableName"], key)
    expression = models.get_filter_expression(
        condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    )
    if expression.expr(current):
        return (None, None, None)
    old = None
    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
        old = current.to_json()["Attributes"]
    return ("ConditionalCheckFailed", "The conditional request failed", old)


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb import models

    if len(transact_items) > 100:
        raise models.TooManyTransactionsException()
    seen: set[tuple[str, str]] = set()
    errors = [_check(self, item, seen) for item in transact_items]
    if any(code is not None for code, _, _ in errors):
        raise models.TransactionCanceledException(errors)
    originals: list[tuple[str, dict[str, Any], Any]] = []
    try:
        for item in transact_items:
            op_type, op = next(iter(item.items()))
            if op_type == "ConditionCheck":
                continue
            table_name = op["TableName"]
            key = _key_of(self, op_type, op)
            originals.append((table_name, key, self.get_item(table_name, key)))
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name, key, expression_attribute_names=names, expression_attribute_values=values
                )
            else:
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
    except Exception:
        for table_name, key, original in reversed(originals):  # undo what was written
            if original is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, original.to_json()["Attributes"])
        raise
