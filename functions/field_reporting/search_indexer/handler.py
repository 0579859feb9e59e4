"""Lambda: Kinesis events → the Field Reporting search index (the reports' current state)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.field_reporting.search import reindex
from ioc_core.field_reporting.wiring import intake_service, search_index
from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    intake = intake_service()
    reindex(intake.repo, search_index(), events, intake.catalogue)


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
