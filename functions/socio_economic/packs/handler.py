"""Lambda: the meeting pack's background job. A ``socio_economic.pack.requested`` event in; the
workbook and the PDF written once under their content hash; the pack's record marked ready."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.wiring import pack_builder

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    for event in events:
        pack = pack_builder().build(str(event.data["pack_id"]))
        logger.info("meeting pack", extra={"pack_id": event.data["pack_id"], "status": pack and pack.status})


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
