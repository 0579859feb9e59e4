"""Open311 API keys: random, shown once, stored as SHA-256 (they are not passwords)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND
from ioc_core.shared.errors import ValidationFailed

PREFIX = "ioc_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ByName(GlobalSecondaryIndex["ApiKeyItem"]):
    class Meta:
        index_name = "by_name"
        projection = AllProjection()

    name = UnicodeAttribute(hash_key=True)


class ApiKeyItem(Model):
    class Meta:
        table_name = UNBOUND

    key_hash = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    active = BooleanAttribute(default=True)
    by_name = ByName()


class DynamoApiKeyStore:
    def create(self, name: str) -> str:
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationFailed("An API key needs a name of 1 to 100 characters.")
        raw = PREFIX + secrets.token_urlsafe(32)
        ApiKeyItem(key_hash=hash_key(raw), name=name, created_at=datetime.now(UTC)).save(
            condition=ApiKeyItem.key_hash.does_not_exist()
        )
        return raw

    def is_valid(self, raw_key: str) -> bool:
        if not raw_key.startswith(PREFIX) or len(raw_key) > 200:
            return False
        try:
            return bool(ApiKeyItem.get(hash_key(raw_key)).active)
        except ApiKeyItem.DoesNotExist:
            return False
