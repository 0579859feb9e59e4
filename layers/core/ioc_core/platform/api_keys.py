"""Open311 API keys: random, shown once, stored as SHA-256 (they are not passwords). The hash is
the key's id for administrators (it reveals nothing of the key); its last four characters help a
partner tell which key is which. Revoking is for good: a revoked key never works again."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.platform import events
from ioc_core.platform.dynamo import UNBOUND, cancelled_items, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
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
    hint = UnicodeAttribute(null=True)  # the key's last four characters
    created_by = UnicodeAttribute(null=True)
    revoked_at = UTCDateTimeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)


@dataclass(frozen=True)
class ApiKeyInfo:
    key_id: str
    name: str
    created_at: datetime
    active: bool
    hint: str | None
    created_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None

    @classmethod
    def of(cls, item: ApiKeyItem) -> ApiKeyInfo:
        return cls(
            item.key_hash, item.name, item.created_at, bool(item.active), item.hint, item.created_by,
            item.revoked_at, item.revoked_by,
        )  # fmt: skip


MAX_KEYS_LISTED = 1000  # partners of a city: dozens; the table is read whole


class DynamoApiKeyStore:
    """Creating and revoking a key commit its event in the same transaction (the audit log's)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create(self, name: str, by: str | None = None) -> str:
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationFailed("An API key needs a name of 1 to 100 characters.")
        raw = PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        item = ApiKeyItem(key_hash=hash_key(raw), name=name, created_at=now, hint=raw[-4:], created_by=by)
        with transaction(self.settings) as tx:
            tx.save(item, condition=ApiKeyItem.key_hash.does_not_exist())
            stage_events(tx, [events.api_key_event(events.API_KEY_CREATED, item.key_hash, name, now)])
        return raw

    def list(self) -> list[ApiKeyInfo]:
        """Every key, newest first (a small table: read whole)."""
        found = [ApiKeyInfo.of(i) for i in ApiKeyItem.scan(limit=MAX_KEYS_LISTED)]
        return sorted(found, key=lambda k: k.created_at, reverse=True)

    def revoke(self, key_id: str, by: str) -> ApiKeyInfo | None:
        """Revoke once; a second call changes nothing and answers the key as revoked. None: no
        such key."""
        try:
            item = ApiKeyItem.get(key_id)
        except ApiKeyItem.DoesNotExist:
            return None
        if item.active:
            now = datetime.now(UTC)
            try:
                with transaction(self.settings) as tx:
                    tx.update(
                        item,
                        actions=[
                            ApiKeyItem.active.set(False),
                            ApiKeyItem.revoked_at.set(now),
                            ApiKeyItem.revoked_by.set(by),
                        ],
                        condition=ApiKeyItem.active == True,  # noqa: E712 (a DynamoDB condition)
                    )
                    stage_events(tx, [events.api_key_event(events.API_KEY_REVOKED, key_id, item.name, now)])
            except TransactWriteError as error:
                if 0 not in cancelled_items(error):
                    raise
            item.refresh()  # revoked now, or by a call that came first (no second event)
        return ApiKeyInfo.of(item)

    def is_valid(self, raw_key: str) -> bool:
        if not raw_key.startswith(PREFIX) or len(raw_key) > 200:
            return False
        try:
            return bool(ApiKeyItem.get(hash_key(raw_key)).active)
        except ApiKeyItem.DoesNotExist:
            return False
