"""Scheduled Lambda (hourly): overdue and newly at-risk tasks, each escalated once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.socio_economic.tasks.wiring import task_service

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    service = task_service()
    run = service.escalate_overdue(service.clock.now())
    result = {k: v for k, v in asdict(run).items() if k != "raised"}
    logger.info("task monitor", extra=result | {"raised": run.raised[:50]})
    return result
