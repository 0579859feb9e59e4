"""Lambda: Kinesis events → residents' inboxes, SMS/push, and the staff desks' inboxes."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.field_reporting.wiring import notifier
from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    notifier().handle(events)


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
