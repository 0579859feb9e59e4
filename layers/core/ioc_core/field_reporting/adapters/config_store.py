"""The administrator's routing rules, one document in the projections table, saved in one
transaction with the event that says they changed (the audit log's). Each save bumps the
document's version, the event's sequence: a consumer sees every replacement, in order."""

from __future__ import annotations

import json

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from ioc_core.field_reporting import events
from ioc_core.platform.dynamo import UNBOUND, bind, cancelled_items, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.clock import SystemClock

PK = "field_reporting#config"
ATTEMPTS = 5  # two administrators saving at once: the later one saves on top of the first


class ConfigItem(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    document = UnicodeAttribute()
    version = NumberAttribute(default=0)  # documents saved before versions read as 0


class DynamoRoutingRules:
    def __init__(self, settings: Settings) -> None:
        bind(ConfigItem, "projections", settings)
        self.settings = settings

    def load(self) -> list[dict[str, str]] | None:
        try:
            item = ConfigItem.get(PK, "routing", consistent_read=True)
        except ConfigItem.DoesNotExist:
            return None
        rules: list[dict[str, str]] = json.loads(item.document)
        return rules

    def save(self, rules: list[dict[str, str]]) -> None:
        for attempt in range(ATTEMPTS):
            try:
                current = ConfigItem.get(PK, "routing", consistent_read=True)
            except ConfigItem.DoesNotExist:
                current = None
            version = int(current.version or 0) if current else 0
            condition = ConfigItem.version == version if version else ConfigItem.version.does_not_exist()
            item = ConfigItem(pk=PK, sk="routing", document=json.dumps(rules), version=version + 1)
            try:
                with transaction(self.settings) as tx:
                    tx.save(item, condition=condition)
                    stage_events(tx, [events.routing_changed(rules, SystemClock().now(), version + 1)])
                return
            except TransactWriteError as error:
                if not cancelled_items(error) or attempt == ATTEMPTS - 1:
                    raise
