"""Lambda: the Cognito user pools' triggers (pre sign-up, pre token generation V2, post
confirmation). Thin: the rules live in the core layer, where the local dev IdP reads the same
claims and registers accounts the same way."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.identity.accounts import DynamoAccounts
from ioc_core.identity.triggers import handle
from ioc_core.platform import observability
from ioc_core.platform.wiring import ready

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Never log the event: it holds the user's attributes (phone number, name).
    logger.info("cognito trigger", extra={"trigger": event.get("triggerSource")})
    return handle(event, lambda: DynamoAccounts(ready()))
