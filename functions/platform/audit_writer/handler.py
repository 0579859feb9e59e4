"""Lambda: outbox table stream → the audit log. Thin: the writer lives in the core layer."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.audit.writer import write
from ioc_core.platform.wiring import audit_log, audit_vocabulary

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return write(event, audit_log(), audit_vocabulary())
