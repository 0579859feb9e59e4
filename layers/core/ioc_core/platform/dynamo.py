"""PynamoDB plumbing: bind models to the stage's tables, and transactions on that connection.

Models are declared with placeholder table names and bound once by the composition root,
so importing a module never reads the environment (PynamoDB reads Meta at class creation).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ioc_core.settings import Settings
from ioc_core.shared.errors import ValidationFailed

UNBOUND = "unbound"
T = TypeVar("T")


def gsi(name: str, hash_name: str, range_name: str) -> type[GlobalSecondaryIndex[Any]]:
    """A global secondary index of string keys projecting everything, as the resource
    definitions declare them (``Index(name, Key(hash_name), Key(range_name))``)."""
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    attrs: dict[str, Any] = {
        "Meta": meta,
        hash_name: UnicodeAttribute(hash_key=True),
        range_name: UnicodeAttribute(range_key=True),
    }
    return type(f"{name}_index", (GlobalSecondaryIndex,), attrs)


def bind(model: type[Model], logical: str, settings: Settings) -> None:
    meta = model.Meta
    where = (settings.name(logical), settings.region, settings.aws_endpoint)
    if (meta.table_name, getattr(meta, "region", None), getattr(meta, "host", None)) == where:
        return  # bound there already (tests rebind per test): keep its connection, ~0.2 s to make
    model.Meta.table_name = settings.name(logical)
    model.Meta.region = settings.region
    model.Meta.host = settings.aws_endpoint
    # Keep the HTTP connection pool warm across invocations; fail fast on a dead endpoint.
    model.Meta.connect_timeout_seconds = 5
    model.Meta.read_timeout_seconds = 10
    model.Meta.max_retry_attempts = 3
    model._connection = None


def connection(settings: Settings) -> Connection:
    return _connection(settings.region, settings.aws_endpoint)


@lru_cache(maxsize=8)
def _connection(region: str, host: str | None) -> Connection:
    # One connection (and botocore client) per process: creating one costs ~0.2 s.
    return Connection(region=region, host=host)


def transaction(settings: Settings) -> TransactWrite:
    return TransactWrite(connection=connection(settings))


def cancelled_items(error: TransactWriteError) -> list[int]:
    """Positions of the transaction items whose condition failed."""
    return [
        i
        for i, reason in enumerate(error.cancellation_reasons)
        if reason is not None and reason.code == "ConditionalCheckFailed"
    ]


def commit_each_once(chunks: Iterable[list[T]], commit: Callable[[list[T]], None]) -> int:
    """Commit each chunk in one transaction whose items are conditional on not existing.

    A chunk refused because some of it exists already (an import run twice, an event
    delivered again) is committed item by item, skipping what exists. Any other failure is
    raised. Returns how many items were new.
    """
    created = 0
    for chunk in chunks:
        try:
            commit(chunk)
            created += len(chunk)
            continue
        except TransactWriteError as error:
            if not cancelled_items(error):
                raise
        for item in chunk if len(chunk) > 1 else ():
            try:
                commit([item])
                created += 1
            except TransactWriteError as error:
                if not cancelled_items(error):
                    raise
    return created


def encode_token(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        state = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("The page token is not one this API issued.") from exc
    if not isinstance(state, dict):
        raise ValidationFailed("The page token is not one this API issued.")
    return state
