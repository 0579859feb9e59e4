"""The administrator's routing rules, one document in the projections table."""

from __future__ import annotations

import json

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND, bind
from ioc_core.settings import Settings

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

    def load(self) -> list[dict[str, str]] | None:
        try:
            item = ConfigItem.get(PK, "routing", consistent_read=True)
        except ConfigItem.DoesNotExist:
            return None
        rules: list[dict[str, str]] = json.loads(item.document)
        return rules

    def save(self, rules: list[dict[str, str]]) -> None:
        ConfigItem(pk=PK, sk="routing", document=json.dumps(rules)).save()
