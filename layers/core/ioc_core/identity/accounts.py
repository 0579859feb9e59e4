"""Resident accounts in DynamoDB; registering one emits ``identity.account.registered``."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.identity.events import ACCOUNT_REGISTERED
from ioc_core.platform.dynamo import UNBOUND, commit_each_once, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

CHUNK = 50  # account + event per account: 100 items, DynamoDB's transaction limit


class ByPhone(GlobalSecondaryIndex["AccountItem"]):
    class Meta:
        index_name = "by_phone"
        projection = AllProjection()

    phone = UnicodeAttribute(hash_key=True)


class AccountItem(Model):
    class Meta:
        table_name = UNBOUND

    account_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    display_name = UnicodeAttribute(null=True)
    ward_code = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    by_phone = ByPhone()


def registered_event(account_id: str, ward_code: str | None, at: datetime) -> CloudEvent:
    # No phone or name in the event: events leave the city.
    return CloudEvent.new(
        ACCOUNT_REGISTERED,
        subsystem="identity",
        subject=account_id,
        at=at,
        data={"ward_code": ward_code},
        sequence=1,
    )


class DynamoAccounts:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def register_many(self, accounts: list[AccountItem]) -> int:
        """Register accounts in atomic chunks; ones that already exist are skipped. Returns new."""
        chunks = [accounts[i : i + CHUNK] for i in range(0, len(accounts), CHUNK)]
        return commit_each_once(chunks, self._commit)

    def register(self, account_id: str, phone: str, at: datetime) -> bool:
        """One resident (Cognito's post confirmation); False when already registered."""
        item = AccountItem(
            account_id=account_id, phone=phone, display_name=None, ward_code=None, created_at=at
        )
        return self.register_many([item]) == 1

    def _commit(self, chunk: list[AccountItem]) -> None:
        with transaction(self.settings) as tx:
            for account in chunk:
                tx.save(account, condition=AccountItem.account_id.does_not_exist())
            stage_events(tx, [registered_event(a.account_id, a.ward_code, a.created_at) for a in chunk])
