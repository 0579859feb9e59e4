"""The Cognito adapter behind the sign-in routes, against botocore's Stubber: every call is
checked against Cognito's API model (names, shapes), and Cognito's answers and errors are
replayed. moto 5.2 has no choice-based (``USER_AUTH``) sign-in or SMS one-time codes, so
moto cannot stand in for these flows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ioc_core.identity.cognito import CognitoIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.shared.errors import Conflict, NotFound, TooManyRequests, ValidationFailed

pytestmark = pytest.mark.unit
PHONE = "+84912345678"
SESSION_S1, SESSION_S2, SESSION_S3, SESSION_M1, SESSION_N = (
    f"AYABeC{n}-cognito-session-0123456789" for n in "12345"
)
RESULT = {"AccessToken": "a", "IdToken": "i", "RefreshToken": "r", "ExpiresIn": 3600, "TokenType": "Bearer"}


@pytest.fixture
def cognito() -> Iterator[tuple[CognitoIdentityProvider, Stubber]]:
    client = boto3.client(
        "cognito-idp", region_name="ap-southeast-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        yield CognitoIdentityProvider(client, "console", "resident-app"), stub
        stub.assert_no_pending_responses()


def _exists(stub: Stubber) -> None:
    stub.add_client_error("sign_up", "UsernameExistsException", "User already exists")


def test_a_new_number_is_signed_up_and_its_confirmation_code_signs_in(cognito: Any) -> None:
    idp, stub = cognito
    stub.add_response(
        "sign_up",
        {"UserConfirmed": False, "UserSub": "0b1c", "Session": SESSION_S1},
        {
            "ClientId": "resident-app",
            "Username": PHONE,
            "UserAttributes": [{"Name": "phone_number", "Value": PHONE}],
        },
    )
    sent = idp.start_phone_sign_in("0912 345 678")
    assert (sent.phone, sent.delivery) == ("+8491****678", "sms") and sent.session
    stub.add_response(
        "confirm_sign_up",
        {"Session": SESSION_S2},
        {"ClientId": "resident-app", "Username": PHONE, "ConfirmationCode": "123456", "Session": SESSION_S1},
    )
    stub.add_response(
        "initiate_auth",
        {"AuthenticationResult": RESULT},
        {
            "ClientId": "resident-app",
            "AuthFlow": "USER_AUTH",
            "AuthParameters": {"USERNAME": PHONE},
            "Session": SESSION_S2,
        },
    )
    tokens = idp.verify_phone_code("0912345678", "123456", sent.session)
    assert (tokens.access_token, tokens.refresh_token) == ("a", "r")


def test_a_known_number_gets_an_sms_code_challenge(cognito: Any) -> None:
    idp, stub = cognito
    _exists(stub)
    stub.add_response(
        "initiate_auth",
        {"ChallengeName": "SMS_OTP", "Session": SESSION_S3, "ChallengeParameters": {}},
        {
            "ClientId": "resident-app",
            "AuthFlow": "USER_AUTH",
            "AuthParameters": {"USERNAME": PHONE, "PREFERRED_CHALLENGE": "SMS_OTP"},
        },
    )
    sent = idp.start_phone_sign_in(PHONE)
    stub.add_client_error("respond_to_auth_challenge", "CodeMismatchException", "Invalid code")
    with pytest.raises(Unauthenticated, match="not right"):
        idp.verify_phone_code(PHONE, "000000", sent.session)
    stub.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": RESULT},
        {
            "ClientId": "resident-app",
            "ChallengeName": "SMS_OTP",
            "Session": SESSION_S3,
            "ChallengeResponses": {"USERNAME": PHONE, "SMS_OTP_CODE": "654321"},
        },
    )
    assert idp.verify_phone_code(PHONE, "654321", sent.session).id_token == "i"
    # The session names the number it was sent to: another number cannot use it.
    with pytest.raises(Unauthenticated, match="another number"):
        idp.verify_phone_code("0987654321", "654321", sent.session)
    for broken in (None, "", "bm90IGpzb24", sent.session[:-3] + "xyz"):
        with pytest.raises(Unauthenticated):
            idp.verify_phone_code(PHONE, "654321", broken)


def test_an_unconfirmed_number_gets_its_confirmation_code_again(cognito: Any) -> None:
    idp, stub = cognito
    _exists(stub)
    stub.add_client_error("initiate_auth", "UserNotConfirmedException", "not confirmed")
    stub.add_response(
        "resend_confirmation_code",
        {"CodeDeliveryDetails": {"DeliveryMedium": "SMS"}},
        {"ClientId": "resident-app", "Username": PHONE},
    )
    sent = idp.start_phone_sign_in(PHONE)
    stub.add_response(
        "confirm_sign_up", {}, {"ClientId": "resident-app", "Username": PHONE, "ConfirmationCode": "111111"}
    )
    with pytest.raises(Unauthenticated, match="ask for a new code"):
        idp.verify_phone_code(PHONE, "111111", sent.session)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("TooManyRequestsException", TooManyRequests),
        ("LimitExceededException", TooManyRequests),
        ("CodeDeliveryFailureException", Conflict),
        ("InvalidParameterException", ValidationFailed),
        ("UserLambdaValidationException", ValidationFailed),
    ],
)
def test_cognito_refusals_become_the_apis_own_errors(cognito: Any, code: str, error: type[Exception]) -> None:
    idp, stub = cognito
    stub.add_client_error("sign_up", code, "Cognito's own words")
    with pytest.raises(error) as raised:
        idp.start_phone_sign_in(PHONE)
    assert "Cognito's own words" not in str(raised.value)
    if error is TooManyRequests:  # as the dev IdP's: a 429 says when to try again
        assert raised.value.headers() == {"Retry-After": "60"}  # type: ignore[attr-defined]


def test_a_number_that_is_not_vietnamese_is_refused_before_cognito(cognito: Any) -> None:
    idp, _ = cognito
    with pytest.raises(ValidationFailed):
        idp.start_phone_sign_in("+1 415 555 0100")


def test_staff_sign_in_is_password_then_authenticator_code(cognito: Any) -> None:
    idp, stub = cognito
    stub.add_response(
        "initiate_auth",
        {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": SESSION_M1, "ChallengeParameters": {}},
        {
            "ClientId": "console",
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "dieuhanh", "PASSWORD": "Mật-khẩu-12!"},
        },
    )
    challenge = idp.staff_sign_in(" DieuHanh ", "Mật-khẩu-12!")
    session = challenge.session
    assert challenge.challenge == "SOFTWARE_TOKEN_MFA" and challenge.expires_in > 0
    stub.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": RESULT},
        {
            "ClientId": "console",
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": SESSION_M1,
            "ChallengeResponses": {"USERNAME": "dieuhanh", "SOFTWARE_TOKEN_MFA_CODE": "123456"},
        },
    )
    assert idp.answer_mfa(session, "123456").access_token == "a"
    with pytest.raises(Unauthenticated):
        idp.answer_mfa(session.replace("e", "f"), "123456")  # a resident's or a tampered session


def test_staff_wrong_password_and_a_challenge_the_console_does_not_offer(cognito: Any) -> None:
    idp, stub = cognito
    stub.add_client_error("initiate_auth", "NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(Unauthenticated, match="Wrong credentials"):
        idp.staff_sign_in("dieuhanh", "sai")
    stub.add_response(
        "initiate_auth",
        {"ChallengeName": "SELECT_MFA_TYPE", "Session": SESSION_N, "ChallengeParameters": {}},
    )
    with pytest.raises(Conflict, match="does not offer"):
        idp.staff_sign_in("moi", "Temp-pass-123!")


def test_a_first_sign_in_changes_the_temporary_password_then_enrols_an_authenticator(cognito: Any) -> None:
    """Cognito's FORCE_CHANGE_PASSWORD account in a pool that requires TOTP: NEW_PASSWORD_REQUIRED,
    then MFA_SETUP (AssociateSoftwareToken, VerifySoftwareToken, then the challenge answered)."""
    idp, stub = cognito
    stub.add_response(
        "initiate_auth",
        {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": SESSION_N, "ChallengeParameters": {}},
        {
            "ClientId": "console",
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "moi", "PASSWORD": "Temp-pass-123!"},
        },
    )
    first = idp.staff_sign_in("moi", "Temp-pass-123!")
    assert first.challenge == "NEW_PASSWORD_REQUIRED" and first.secret_code is None
    stub.add_client_error("respond_to_auth_challenge", "InvalidPasswordException", "Password not long enough")
    with pytest.raises(ValidationFailed) as weak:
        idp.answer_new_password(first.session, "ngắn")
    assert [p.field for p in weak.value.problems] == ["new_password"]
    stub.add_response(
        "respond_to_auth_challenge",
        {"ChallengeName": "MFA_SETUP", "Session": SESSION_S1, "ChallengeParameters": {}},
        {
            "ClientId": "console",
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": SESSION_N,
            "ChallengeResponses": {"USERNAME": "moi", "NEW_PASSWORD": "Mật-khẩu-mới-2026!"},
        },
    )
    stub.add_response(
        "associate_software_token",
        {"SecretCode": "JBSWY3DPEHPK3PXP", "Session": SESSION_S2},
        {"Session": SESSION_S1},
    )
    setup = idp.answer_new_password(first.session, "Mật-khẩu-mới-2026!")
    assert (setup.challenge, setup.secret_code) == ("MFA_SETUP", "JBSWY3DPEHPK3PXP")
    assert (
        setup.otpauth_uri
        == "otpauth://totp/IOC%20Phan%20Thiet:moi?secret=JBSWY3DPEHPK3PXP&issuer=IOC%20Phan%20Thiet"
    )
    with pytest.raises(Unauthenticated):
        idp.verify_mfa_setup(first.session, "123456")  # the new-password session is not the setup's
    stub.add_response(
        "verify_software_token",
        {"Status": "SUCCESS", "Session": SESSION_S3},
        {"Session": SESSION_S2, "UserCode": "123456", "FriendlyDeviceName": "IOC Phan Thiết"},
    )
    stub.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": RESULT},
        {
            "ClientId": "console",
            "ChallengeName": "MFA_SETUP",
            "Session": SESSION_S3,
            "ChallengeResponses": {"USERNAME": "moi"},
        },
    )
    assert idp.verify_mfa_setup(setup.session, "123456").access_token == "a"


def test_a_reset_authenticator_is_enrolled_again_after_the_password(cognito: Any) -> None:
    idp, stub = cognito
    stub.add_response(
        "initiate_auth",
        {
            "ChallengeName": "MFA_SETUP",
            "Session": SESSION_S1,
            "ChallengeParameters": {"USER_ID_FOR_SRP": "lan"},
        },
    )
    stub.add_response("associate_software_token", {"SecretCode": "KRSXG5CTMVRXEZLU", "Session": SESSION_S2})
    setup = idp.staff_sign_in("lan@phanthiet.gov.vn", "Mật-khẩu-mới-2026!")
    assert setup.challenge == "MFA_SETUP" and setup.username == "lan"  # signed in by e-mail
    stub.add_client_error("verify_software_token", "CodeMismatchException", "Invalid code")
    with pytest.raises(Unauthenticated, match="not right"):
        idp.verify_mfa_setup(setup.session, "000000")


def test_refresh_tries_the_staff_app_then_the_residents_and_answers_the_rotated_token(
    cognito: Any,
) -> None:
    idp, stub = cognito
    stub.add_client_error("get_tokens_from_refresh_token", "NotAuthorizedException", "Invalid Refresh Token")
    stub.add_response(
        "get_tokens_from_refresh_token",
        {"AuthenticationResult": {**RESULT, "RefreshToken": "next-refresh"}},
        {"ClientId": "resident-app", "RefreshToken": "old-refresh"},
    )
    tokens = idp.refresh("old-refresh")
    assert (tokens.access_token, tokens.refresh_token) == ("a", "next-refresh")
    stub.add_response(  # a client without rotation: the token presented stays the one to keep
        "get_tokens_from_refresh_token",
        {"AuthenticationResult": {k: v for k, v in RESULT.items() if k != "RefreshToken"}},
        {"ClientId": "console", "RefreshToken": "kept"},
    )
    assert idp.refresh("kept").refresh_token == "kept"
    stub.add_client_error("get_tokens_from_refresh_token", "NotAuthorizedException", "x")
    stub.add_client_error("get_tokens_from_refresh_token", "NotAuthorizedException", "x")
    with pytest.raises(Unauthenticated):
        idp.refresh("revoked")


def test_the_staff_directory_creates_without_an_invitation_and_signs_a_disabled_account_out() -> None:
    from ioc_core.identity.adapters import CognitoStaffDirectory
    from ioc_core.identity.staff import NewStaff
    from ioc_core.platform.access import policy

    client = boto3.client(
        "cognito-idp", region_name="ap-southeast-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    directory = CognitoStaffDirectory(client, "ap-southeast-1_Staff", policy())
    pool = {"UserPoolId": "ap-southeast-1_Staff", "Username": "lan"}
    with Stubber(client) as stub:
        stub.add_response(
            "admin_create_user",
            {"User": {"Username": "lan"}},
            {
                **pool,
                "UserAttributes": [
                    {"Name": "name", "Value": "Lê Thị Lan"},
                    {"Name": "email", "Value": "lan@phanthiet.gov.vn"},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "phone_number", "Value": "+84912000111"},
                ],
                "TemporaryPassword": "Tạm-thời-2026!",
                "MessageAction": "SUPPRESS",
            },
        )
        directory.create(
            NewStaff("lan", "Lê Thị Lan", "lan@phanthiet.gov.vn", "+84912000111"), "Tạm-thời-2026!"
        )
        stub.add_client_error(
            "admin_create_user", "AliasExistsException", "An account with the email exists."
        )
        with pytest.raises(Conflict, match="e-mail"):
            directory.create(NewStaff("lan2", "Lan", "lan@phanthiet.gov.vn"), "Tạm-thời-2026!")
        stub.add_response("admin_disable_user", {}, pool)
        stub.add_response("admin_user_global_sign_out", {}, pool)
        directory.set_enabled("lan", False)
        stub.add_response("admin_enable_user", {}, pool)
        directory.set_enabled("lan", True)
        stub.add_response(
            "admin_set_user_mfa_preference",
            {},
            {**pool, "SoftwareTokenMfaSettings": {"Enabled": False, "PreferredMfa": False}},
        )
        directory.reset_mfa("lan")
        # A new temporary password: set as not permanent (no code mailed), then signed out.
        stub.add_response(
            "admin_set_user_password", {}, {**pool, "Password": "Mới-tạm-2026!", "Permanent": False}
        )
        stub.add_response("admin_user_global_sign_out", {}, pool)
        directory.set_temporary_password("lan", "Mới-tạm-2026!")
        stub.add_client_error("admin_set_user_password", "UserNotFoundException", "User does not exist.")
        with pytest.raises(NotFound):
            directory.set_temporary_password("lan", "Mới-tạm-2026!")
        stub.assert_no_pending_responses()
