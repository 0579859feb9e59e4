"""Scheduled Lambda: SLA warnings (80 %) and escalations (100 %), each raised once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.field_reporting.jobs import sla_monitor
from ioc_core.field_reporting.wiring import workflow_service
from ioc_core.platform import observability

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    service = workflow_service()
    run = sla_monitor(service.repo, service.calendar, service.clock.now())
    result = {k: v for k, v in asdict(run).items() if k != "overdue"} | {"overdue": len(run.overdue)}
    logger.info("sla monitor", extra=result)
    return result
