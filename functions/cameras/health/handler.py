"""Lambda (every 5 minutes): a camera silent longer than its configured time raises an alert."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.cameras.wiring import camera_service
from ioc_core.platform import observability

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    raised = camera_service().check_silence()
    if raised:
        logger.warning("cameras silent", extra={"cameras": [a.camera_id for a in raised]})
    return {"silent": [a.camera_id for a in raised]}
