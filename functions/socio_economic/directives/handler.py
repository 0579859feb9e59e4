"""Lambda: the province's directives (``integration.directive.received``) → tasks of the
register, each once (the task claims its directive: a redelivered event finds it)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import DomainError
from ioc_core.socio_economic.tasks import directives
from ioc_core.socio_economic.tasks.wiring import task_service

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    service = task_service()
    for event in events:
        if event.short_type not in directives.TAKES:
            continue
        directive_id, draft = directives.draft_of(event)
        try:
            task = service.receive_directive(directive_id, draft)
        except DomainError as error:
            # The integration room checked it on arrival; a unit closed since then is for people
            # to settle, not for retries: logged as an error the alarms see, with what to do.
            logger.error(
                "directive not registered: correct the unit directory or register the task by hand",
                extra={"directive_id": directive_id, "event_id": event.id, "reason": error.message},
            )
            continue
        logger.info("directive registered", extra={"directive_id": directive_id, "task_id": task.task_id})


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
