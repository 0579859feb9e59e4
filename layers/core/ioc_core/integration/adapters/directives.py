"""Directives in DynamoDB: one item per directive (``directive#<id>``) and one per delivery that
brought one (``webhook#<id>``), written with the outbox event in one transaction, each on
condition that it is new: a retried delivery or a directive sent twice writes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from ioc_core.integration.directives import Directive
from ioc_core.platform.dynamo import UNBOUND, cancelled_items, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

TABLE = "directives"
DIRECTIVE = "directive#"
WEBHOOK = "webhook#"


class DirectiveItem(Model):
    class Meta:
        table_name = UNBOUND

    key = UnicodeAttribute(hash_key=True)
    directive_id = UnicodeAttribute()
    document = UnicodeAttribute(null=True)  # the directive as JSON, on its own item only


MODELS: tuple[tuple[type[Model], str], ...] = ((DirectiveItem, TABLE),)


class DynamoDirectiveStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, directive_id: str) -> Directive | None:
        try:
            item = DirectiveItem.get(f"{DIRECTIVE}{directive_id}", consistent_read=True)
        except DirectiveItem.DoesNotExist:
            return None
        return Directive.model_validate_json(str(item.document))

    def by_webhook(self, webhook_id: str) -> Directive | None:
        try:
            claim = DirectiveItem.get(f"{WEBHOOK}{webhook_id}", consistent_read=True)
        except DirectiveItem.DoesNotExist:
            return None
        return self.get(claim.directive_id)

    def add(self, directive: Directive, events: Sequence[CloudEvent]) -> bool:
        new = DirectiveItem.key.does_not_exist()
        try:
            with transaction(self.settings) as tx:
                tx.save(
                    DirectiveItem(
                        key=f"{DIRECTIVE}{directive.directive_id}",
                        directive_id=directive.directive_id,
                        document=directive.model_dump_json(),
                    ),
                    condition=new,
                )
                tx.save(
                    DirectiveItem(
                        key=f"{WEBHOOK}{directive.webhook_id}", directive_id=directive.directive_id
                    ),
                    condition=new,
                )
                stage_events(tx, list(events))
        except TransactWriteError as error:
            if cancelled_items(error):
                return False
            raise
        return True
