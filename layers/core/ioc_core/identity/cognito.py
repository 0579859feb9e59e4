"""Adapter: the sign-in routes answered by Amazon Cognito (the two user pools of the stack).

Residents: choice-based sign-in (``USER_AUTH``) with an SMS one-time code. A number new to the
pool is signed up without a password first; Cognito texts the confirmation code, and the
confirmation's session signs the resident in without a second code. Staff: password, then the
authenticator's code (``SOFTWARE_TOKEN_MFA``; the pool requires it); an account's first sign-in
replaces its temporary password (``NEW_PASSWORD_REQUIRED``) and, as after an administrator
reset its MFA, enrols an authenticator (``MFA_SETUP``). Cognito's session string
travels back to the client inside our own opaque ``session`` with the step it belongs to and
the user it was issued for, so the API keeps no state between the two calls.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any

from botocore.exceptions import ClientError

from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.phones import mask_phone, resident_phone
from ioc_core.identity.ports import PhoneChallenge, StaffChallenge, Tokens
from ioc_core.shared.errors import Conflict, FieldProblem, TooManyRequests, ValidationFailed

log = logging.getLogger("ioc.identity.cognito")

CODE_TTL = 180  # Cognito's SMS one-time codes and auth sessions last three minutes
SIGN_UP, SIGN_IN, MFA = "sign-up", "sign-in", "mfa"
NEW_PASSWORD, MFA_SETUP = "new-password", "mfa-setup"
DEVICE_NAME = "IOC Phan Thiết"  # how the authenticator enrolled is named in the pool

# Unknown user, wrong password, disabled account ("User is disabled."): told alike.
_REFUSED = "Wrong credentials, a disabled account, or the sign-in took too long; start again."
# Cognito's error codes → what the caller is told (never Cognito's own words: they can reveal
# whether an account exists).
_UNAUTHENTICATED = {
    "CodeMismatchException": "The code is not right.",
    "ExpiredCodeException": "The code has expired; ask for a new one.",
    "NotAuthorizedException": _REFUSED,
    "UserNotFoundException": _REFUSED,
    "EnableSoftwareTokenMFAException": "Set up the authenticator app first.",
}
_THROTTLED = {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}
# Cognito says nothing of how long its lock-out lasts (from a second to about fifteen minutes):
# a minute, so that a 429 from AWS has a Retry-After as the dev IdP's does.
THROTTLED_RETRY_AFTER = 60
_DELIVERY = {
    "CodeDeliveryFailureException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
}


def _session(step: str, user: str, cognito_session: str) -> str:
    raw = json.dumps({"step": step, "user": user, "session": cognito_session}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _open_session(value: str | None, step: tuple[str, ...]) -> dict[str, str]:
    try:
        padded = (value or "") + "=" * (-len(value or "") % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if document["step"] not in step or not isinstance(document["session"], str):
            raise ValueError(document["step"])
        return {k: str(document[k]) for k in ("step", "user", "session")}
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise Unauthenticated("The sign-in session is not valid; start again.") from error


def _failed(error: ClientError) -> Exception:
    """A Cognito error as the domain's: 401, 429 or 400; anything else is the service's fault."""
    code = error.response.get("Error", {}).get("Code", "")
    log.warning("cognito refused: %s", code)
    if code in _UNAUTHENTICATED:
        return Unauthenticated(_UNAUTHENTICATED[code])
    if code in _THROTTLED:
        return TooManyRequests(
            "Quá nhiều lần thử / Too many attempts; wait a few minutes and try again.",
            retry_after=THROTTLED_RETRY_AFTER,
        )
    if code in _DELIVERY:
        return Conflict("Không gửi được tin nhắn / The code could not be sent by SMS now; try again later.")
    if code == "UserLambdaValidationException":  # the pre sign-up trigger refused the number
        return ValidationFailed(
            "Chỉ số di động Việt Nam / Only a Vietnamese mobile number (+84…) may sign up."
        )
    if code in {"InvalidParameterException", "InvalidPasswordException"}:
        return ValidationFailed("Cognito refused the request's values; check them and try again.")
    return error


class CognitoIdentityProvider:
    def __init__(self, client: Any, staff_client_id: str, resident_client_id: str) -> None:
        self.client = client  # a boto3 "cognito-idp" client
        self.staff_client_id = staff_client_id
        self.resident_client_id = resident_client_id

    # -- residents ------------------------------------------------------------------------------
    def start_phone_sign_in(self, raw_phone: str) -> PhoneChallenge:
        phone = resident_phone(raw_phone)
        try:
            return self._sign_up(phone)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "UsernameExistsException":
                raise _failed(error) from error
        try:
            answer = self.client.initiate_auth(
                ClientId=self.resident_client_id,
                AuthFlow="USER_AUTH",
                AuthParameters={"USERNAME": phone, "PREFERRED_CHALLENGE": "SMS_OTP"},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "UserNotConfirmedException":
                # Signed up before but never confirmed: the confirmation code again.
                self._call("resend_confirmation_code", ClientId=self.resident_client_id, Username=phone)
                return PhoneChallenge(mask_phone(phone), CODE_TTL, "sms", _session(SIGN_UP, phone, ""))
            raise _failed(error) from error
        if answer.get("ChallengeName") != "SMS_OTP":
            log.error("unexpected resident challenge %s", answer.get("ChallengeName"))
            raise Conflict(
                "Không đăng nhập được bằng mã / This account cannot sign in by code; call the city."
            )
        return PhoneChallenge(mask_phone(phone), CODE_TTL, "sms", _session(SIGN_IN, phone, answer["Session"]))

    def _sign_up(self, phone: str) -> PhoneChallenge:
        answer = self.client.sign_up(
            ClientId=self.resident_client_id,
            Username=phone,
            UserAttributes=[{"Name": "phone_number", "Value": phone}],
        )
        return PhoneChallenge(
            mask_phone(phone), CODE_TTL, "sms", _session(SIGN_UP, phone, answer.get("Session", ""))
        )

    def verify_phone_code(self, raw_phone: str, code: str, session: str | None = None) -> Tokens:
        phone = resident_phone(raw_phone)
        opened = _open_session(session, (SIGN_UP, SIGN_IN))
        if opened["user"] != phone:
            raise Unauthenticated("The code was sent to another number; start again.")
        if opened["step"] == SIGN_IN:
            answer = self._call(
                "respond_to_auth_challenge",
                ClientId=self.resident_client_id,
                ChallengeName="SMS_OTP",
                Session=opened["session"],
                ChallengeResponses={"USERNAME": phone, "SMS_OTP_CODE": code.strip()},
            )
            return self._tokens(answer)
        confirm: dict[str, Any] = {
            "ClientId": self.resident_client_id,
            "Username": phone,
            "ConfirmationCode": code.strip(),
        }
        if opened["session"]:
            confirm["Session"] = opened["session"]
        confirmed = self._call("confirm_sign_up", **confirm)
        if not confirmed.get("Session"):
            # Confirmed without a sign-in session (a resent code): the number is verified, and
            # the next code signs in.
            raise Unauthenticated(
                "Số đã được xác nhận / Your number is confirmed; ask for a new code to sign in."
            )
        answer = self._call(
            "initiate_auth",
            ClientId=self.resident_client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": phone},
            Session=confirmed["Session"],
        )
        return self._tokens(answer)

    # -- staff ----------------------------------------------------------------------------------
    def staff_sign_in(self, username: str, password: str) -> StaffChallenge:
        user = username.strip().lower()
        answer = self._call(
            "initiate_auth",
            ClientId=self.staff_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user, "PASSWORD": password},
        )
        return self._staff_step(user, answer)

    def _staff_step(self, user: str, answer: dict[str, Any]) -> StaffChallenge:
        """Cognito's next challenge as ours. For MFA_SETUP the authenticator's secret is asked
        for at once (AssociateSoftwareToken on the challenge's session), to be shown with it."""
        challenge = answer.get("ChallengeName")
        # Signed in by e-mail, the challenges name the account by its username.
        user = (answer.get("ChallengeParameters") or {}).get("USER_ID_FOR_SRP") or user
        session = answer.get("Session", "")
        if challenge == "SOFTWARE_TOKEN_MFA":
            return StaffChallenge(challenge, _session(MFA, user, session), CODE_TTL, user)
        if challenge == "NEW_PASSWORD_REQUIRED":
            return StaffChallenge(challenge, _session(NEW_PASSWORD, user, session), CODE_TTL, user)
        if challenge == "MFA_SETUP":
            token = self._call("associate_software_token", Session=session)
            return StaffChallenge(
                challenge, _session(MFA_SETUP, user, token["Session"]), CODE_TTL, user, token["SecretCode"]
            )
        log.warning("staff sign-in stopped at challenge %s", challenge)
        raise Conflict(
            "Bước đăng nhập không được hỗ trợ / This sign-in needs a step the console does not offer;"
            " ask an administrator."
        )

    def answer_new_password(self, session: str, new_password: str) -> StaffChallenge:
        opened = _open_session(session, (NEW_PASSWORD,))
        try:
            answer = self.client.respond_to_auth_challenge(
                ClientId=self.staff_client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=opened["session"],
                ChallengeResponses={"USERNAME": opened["user"], "NEW_PASSWORD": new_password},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "InvalidPasswordException":
                raise ValidationFailed(
                    "Mật khẩu chưa đủ mạnh / The new password does not meet the policy.",
                    problems=[FieldProblem("new_password", "the staff pool's password policy refused it")],
                ) from error
            raise _failed(error) from error
        return self._staff_step(opened["user"], answer)

    def verify_mfa_setup(self, session: str, code: str) -> Tokens:
        opened = _open_session(session, (MFA_SETUP,))
        verified = self._call(
            "verify_software_token",
            Session=opened["session"],
            UserCode=code.strip(),
            FriendlyDeviceName=DEVICE_NAME,
        )
        if verified.get("Status") != "SUCCESS":
            raise Unauthenticated("Mã xác thực không đúng / The authenticator code is not right.")
        answer = self._call(
            "respond_to_auth_challenge",
            ClientId=self.staff_client_id,
            ChallengeName="MFA_SETUP",
            Session=verified["Session"],
            ChallengeResponses={"USERNAME": opened["user"]},
        )
        return self._tokens(answer)

    def answer_mfa(self, session: str, code: str) -> Tokens:
        opened = _open_session(session, (MFA,))
        answer = self._call(
            "respond_to_auth_challenge",
            ClientId=self.staff_client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=opened["session"],
            ChallengeResponses={"USERNAME": opened["user"], "SOFTWARE_TOKEN_MFA_CODE": code.strip()},
        )
        return self._tokens(answer)

    def refresh(self, refresh_token: str) -> Tokens:
        """A refresh token does not say which app it belongs to: staff's first, then residents'.
        The app clients rotate refresh tokens (infra/stacks/identity.py), which only
        GetTokensFromRefreshToken completes: the answer carries the next refresh token, and
        the one presented stops working."""
        last: Exception | None = None
        for client_id in (self.staff_client_id, self.resident_client_id):
            try:
                answer = self.client.get_tokens_from_refresh_token(
                    ClientId=client_id, RefreshToken=refresh_token
                )
            except ClientError as error:
                last = _failed(error)
                if not isinstance(last, Unauthenticated):
                    raise last from error
                continue
            return self._tokens(answer, refresh_token)
        raise last or Unauthenticated("The refresh token is not valid; sign in again.")

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = getattr(self.client, operation)(**params)
        except ClientError as error:
            raise _failed(error) from error
        return answer

    @staticmethod
    def _tokens(answer: dict[str, Any], refresh_token: str = "") -> Tokens:
        result = answer.get("AuthenticationResult")
        if not result:
            log.error("cognito answered challenge %s instead of tokens", answer.get("ChallengeName"))
            raise Unauthenticated("The sign-in needs another step this app does not support; call the city.")
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            # With rotation off a refresh answers no new refresh token: the old one stays valid.
            refresh_token=result.get("RefreshToken") or refresh_token,
            expires_in=int(result.get("ExpiresIn", 3600)),
        )
