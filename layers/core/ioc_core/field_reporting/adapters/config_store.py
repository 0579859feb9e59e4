"""The administrator's routing rules, one document in the projections table, saved in one
transaction with the event that says they changed (the audit log's)."""

from __future__ import annotations

import json

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ioc_core.field_reporting import events
from ioc_core.platform.dynamo import UNBOUND, bind, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.clock import SystemClock

PK = "field_reporting#config"


class ConfigItem(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    document = UnicodeAttribute()


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
        with transaction(self.settings) as tx:
            tx.save(ConfigItem(pk=PK, sk="routing", document=json.dumps(rules)))
            stage_events(tx, [events.routing_changed(rules, SystemClock().now())])
