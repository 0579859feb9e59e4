"""The pre-token-generation trigger (V2) and the dev IdP put the same claims on access tokens."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ioc_core.identity.triggers import SignUpRefused, access_token_additions, handle


class Accounts:
    """The resident-accounts port in memory: registering is idempotent by account id."""

    def __init__(self) -> None:
        self.registered: dict[str, str] = {}

    def register(self, account_id: str, phone: str, at: Any) -> bool:
        if account_id in self.registered:
            return False
        self.registered[account_id] = phone
        return True


def _no_accounts() -> Accounts:
    raise AssertionError("only the post confirmation trigger writes accounts")


pytestmark = pytest.mark.unit


def _event(attributes: dict[str, str], trigger: str = "TokenGeneration_Authentication") -> dict[str, Any]:
    """As Cognito sends it to a V2 trigger (request.userAttributes are strings)."""
    return {
        "version": "2",
        "triggerSource": trigger,
        "region": "ap-southeast-1",
        "userPoolId": "ap-southeast-1_AbCdEf123",
        "userName": "dieuhanh",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "console"},
        "request": {
            "userAttributes": {"sub": "0b1c", "cognito:user_status": "CONFIRMED", **attributes},
            "groupConfiguration": {"groupsToOverride": ["unit_staff"], "iamRolesToOverride": []},
            "scopes": ["aws.cognito.signin.user.admin"],
        },
        "response": {"claimsAndScopeOverrideDetails": None},
    }


def test_the_lambda_adds_unit_name_and_verified_phone_to_the_access_token() -> None:
    from ioc_core.local.lambdas import LocalContext, load_handler

    handler = load_handler("identity.cognito_triggers.handler.handler")
    event = _event(
        {
            "custom:unit": "CSCC",
            "name": "Nguyễn Văn A",
            "phone_number": "+84912345678",
            "phone_number_verified": "true",
        }
    )
    answer = handler(copy.deepcopy(event), LocalContext(function_name="identity-cognito-triggers"))
    details = answer["response"]["claimsAndScopeOverrideDetails"]
    assert details == {
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {
                "custom:unit": "CSCC",
                "name": "Nguyễn Văn A",
                "phone_number": "+84912345678",
            }
        }
    }
    assert answer["request"] == event["request"]  # the trigger answers; it changes no input


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"phone_number": "+84912345678", "phone_number_verified": "false"}, {}),
        ({"phone_number": "+84912345678"}, {}),
        ({"phone_number": "+14155550100", "phone_number_verified": "true"}, {}),
        ({"phone_number": "0912 345 678", "phone_number_verified": "true"}, {"phone_number": "+84912345678"}),
        ({"custom:unit": ""}, {}),
    ],
)
def test_only_verified_vietnamese_numbers_and_present_attributes_are_added(
    attributes: dict[str, str], expected: dict[str, str]
) -> None:
    assert access_token_additions(attributes) == expected


def test_the_dev_idp_access_token_carries_what_the_trigger_adds(caplog: Any) -> None:
    import jwt

    from ioc_core.identity.adapters import InMemoryDevIdpStore
    from ioc_core.identity.config import IdentityConfig
    from ioc_core.identity.dev_idp import DevIdentityProvider

    class Residents:
        def find_or_register(self, phone: str) -> tuple[str, str | None]:
            return "AC-1", "Trần Thị B"

    idp = DevIdentityProvider(
        IdentityConfig("http://127.0.0.1:8000/api/v1/auth", ("ioc-local-web",), None, True),
        InMemoryDevIdpStore(),
        Residents(),
    )
    caplog.set_level("INFO", logger="ioc.dev_idp")
    idp.start_phone_sign_in("0912345678")
    code = caplog.records[-1].getMessage().split(": ")[1].split()[0]
    access = jwt.decode(
        idp.verify_phone_code("0912345678", code).access_token, options={"verify_signature": False}
    )
    expected = access_token_additions(
        {"phone_number": "+84912345678", "phone_number_verified": "true", "name": "Trần Thị B"}
    )
    assert len(expected) == 2
    assert {k: access[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("user_name", "phone", "allowed"),
    [
        ("+84912345678", "+84912345678", True),
        ("7b1f0c9e-5d1a-4b8e-9f00-3c2d1e0f9a8b", "+84912345678", True),  # phone as alias: a UUID name
        ("+14155550100", "+14155550100", False),  # SMS abroad: the pumping fraud this stops
        ("+84912345678", "0912345678", False),  # not the canonical form Cognito keeps
        ("+84912345678", "", False),
    ],
)
def test_pre_sign_up_lets_only_vietnamese_mobiles_sign_up(user_name: str, phone: str, allowed: bool) -> None:
    event = _event({"phone_number": phone} if phone else {}, trigger="PreSignUp_SignUp")
    event["userName"] = user_name
    event["response"] = {"autoConfirmUser": False, "autoVerifyPhone": False, "autoVerifyEmail": False}
    if allowed:
        assert handle(event, _no_accounts)["response"]["autoConfirmUser"] is False  # the code confirms
    else:
        with pytest.raises(SignUpRefused):
            handle(event, _no_accounts)


def test_an_unknown_trigger_fails_loudly() -> None:
    with pytest.raises(ValueError, match="CustomMessage_SignUp"):
        handle(_event({}, trigger="CustomMessage_SignUp"), _no_accounts)


def test_a_confirmed_number_becomes_one_resident_account_under_cognitos_sub() -> None:
    accounts = Accounts()
    event = _event(
        {"phone_number": "+84912345678", "phone_number_verified": "true"}, "PostConfirmation_ConfirmSignUp"
    )
    for _ in range(2):  # Cognito may call a trigger again
        assert handle(copy.deepcopy(event), lambda: accounts) == event
    assert accounts.registered == {"0b1c": "+84912345678"}
    # A password reset confirms nothing new; a foreign number never got this far.
    handle(
        _event({"sub": "x", "phone_number": "+84987654321"}, "PostConfirmation_ConfirmForgotPassword"),
        lambda: accounts,
    )
    handle(
        _event({"sub": "y", "phone_number": "+14155550100"}, "PostConfirmation_ConfirmSignUp"),
        lambda: accounts,
    )
    assert list(accounts.registered) == ["0b1c"]
