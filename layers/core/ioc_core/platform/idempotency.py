"""Idempotency keys of client requests, claimed in the same transaction as what they create."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND

# Phones retry for minutes, sometimes after a day offline; keys live for 7 days.
RETENTION = timedelta(days=7)


class IdempotencyItem(Model):
    class Meta:
        table_name = UNBOUND

    key = UnicodeAttribute(hash_key=True)
    result_id = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    expires_at = TTLAttribute()

    @classmethod
    def claim(cls, key: str, result_id: str, fingerprint: str) -> IdempotencyItem:
        return cls(
            key=key, result_id=result_id, fingerprint=fingerprint, expires_at=datetime.now(UTC) + RETENTION
        )
