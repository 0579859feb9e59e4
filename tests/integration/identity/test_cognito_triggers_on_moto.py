"""The Cognito trigger Lambda on the local AWS: a confirmed number becomes one resident account
with one ``identity.account.registered`` event in the outbox (the same as the dev IdP's first sign-in),
however often Cognito calls it."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from ioc_core.settings import Settings

pytestmark = pytest.mark.integration
SUB = "7b1f0c9e-5d1a-4b8e-9f00-3c2d1e0f9a8b"


def _confirmed(trigger: str = "PostConfirmation_ConfirmSignUp") -> dict[str, Any]:
    return {
        "version": "1",
        "triggerSource": trigger,
        "region": "ap-southeast-1",
        "userPoolId": "ap-southeast-1_Residents",
        "userName": SUB,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "resident-app"},
        "request": {
            "userAttributes": {
                "sub": SUB,
                "cognito:user_status": "CONFIRMED",
                "phone_number_verified": "true",
                "phone_number": "+84912345678",
            }
        },
        "response": {},
    }


def _scan(stack: Settings, table: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    return client.scan(TableName=stack.name(table))["Items"]  # test inspection only


def test_a_confirmed_resident_is_registered_once_with_its_event(stack: Settings) -> None:
    from ioc_core.local.lambdas import LocalContext, load_handler

    handler = load_handler("identity.cognito_triggers.handler.handler")
    context = LocalContext(function_name="identity-cognito-triggers")
    for _ in range(2):  # Cognito retries a trigger that timed out
        assert handler(_confirmed(), context)["userName"] == SUB
    handler(_confirmed("PostConfirmation_ConfirmForgotPassword"), context)
    accounts = _scan(stack, "accounts")
    assert [(a["account_id"]["S"], a["phone"]["S"]) for a in accounts] == [(SUB, "+84912345678")]
    events = [json.loads(item["payload"]["S"]) for item in _scan(stack, "outbox")]
    registered = [e for e in events if e["type"].endswith("identity.account.registered")]
    assert len(registered) == 1 and registered[0]["subject"] == SUB
    assert "+84912345678" not in json.dumps(registered[0])  # no phone leaves the city
