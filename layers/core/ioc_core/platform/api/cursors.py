"""Opaque page cursors the API signs: the adapter's page token, sealed for one list.

A cursor is ``base64url(version | expires | token | HMAC-SHA256)``. The MAC covers the
context too (the route, its path and filter parameters, the caller), so a cursor issued for
another list, other filters or another caller fails like a forged one: a 400 naming the field,
before any call reaches the database. The key comes from configuration (``wiring.py``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from ioc_core.shared.errors import FieldProblem, ValidationFailed

VERSION = 1
_HEADER = struct.Struct(">BI")  # version, expiry (Unix seconds)
_MAC_BYTES = hashlib.sha256().digest_size
DEFAULT_TTL = timedelta(days=1)  # a console left open overnight starts again from page one
MIN_KEY_BYTES = 32


class InvalidCursor(ValidationFailed):
    code = "invalid_cursor"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    # One encoding per cursor: spare bits or stray characters would otherwise decode the same.
    return raw if _b64(raw) == text else None


@dataclass(frozen=True)
class CursorSigner:
    key: bytes = field(repr=False)
    ttl: timedelta = DEFAULT_TTL
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if len(self.key) < MIN_KEY_BYTES:
            raise ValueError(f"a cursor key needs at least {MIN_KEY_BYTES} bytes")

    def seal(self, token: str, context: str) -> str:
        """``token`` as a cursor only ``open`` with the same ``context`` (and key) accepts."""
        expires = int(self.clock() + self.ttl.total_seconds())
        body = _HEADER.pack(VERSION, expires) + token.encode("utf-8")
        return _b64(body + self._mac(body, context))

    def open(self, cursor: str, context: str, name: str = "cursor") -> str:
        """The token inside ``cursor``; ``InvalidCursor`` (400, naming ``name``) for a cursor
        this key did not seal for ``context``, or one past its expiry."""
        raw = _unb64(cursor)
        if raw is None or len(raw) < _HEADER.size + _MAC_BYTES:
            raise _not_ours(name)
        body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(body, context)):
            raise _not_ours(name)
        version, expires = _HEADER.unpack_from(body)
        if version != VERSION:
            raise _not_ours(name)
        if expires < self.clock():
            raise InvalidCursor(
                "Con trỏ trang đã hết hạn / The cursor has expired: start again from the first page.",
                problems=[FieldProblem(name, "expired: request the first page again")],
            )
        try:
            return body[_HEADER.size :].decode("utf-8")
        except UnicodeDecodeError as error:  # signed by us, so never: but never a 500 either
            raise _not_ours(name) from error

    def _mac(self, body: bytes, context: str) -> bytes:
        framed = context.encode("utf-8")
        message = struct.pack(">I", len(framed)) + framed + body
        return hmac.new(self.key, message, hashlib.sha256).digest()


def _not_ours(name: str) -> InvalidCursor:
    return InvalidCursor(
        "Con trỏ trang không hợp lệ / The cursor is not one this API issued for this list, its"
        " filters and you: send the previous page's cursor unchanged, or none for the first page.",
        problems=[FieldProblem(name, "not a cursor this API issued for this request")],
    )
