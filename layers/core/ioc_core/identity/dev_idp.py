"""The local development identity provider: what Cognito does for the city, on one machine.

Residents sign in by phone number with a one-time code (printed to the local console log,
kept only as a salted hash with an expiry and an attempt limit); staff sign in with username,
password and a TOTP code (MFA). Tokens carry Cognito's claims, are signed RS256 by a key
generated at first start and kept in the local AWS (never in the repository), and are
verified through the JWKS by the same ``TokenVerifier`` that verifies Cognito's tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import jwt
import pyotp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ioc_core.identity.config import IdentityConfig
from ioc_core.identity.dev_limits import Lockout, SendPolicy
from ioc_core.identity.dev_passwords import check_password, hash_password, unknown_user_hash
from ioc_core.identity.dev_sessions import RefreshFamilies, UsedSessions
from ioc_core.identity.dev_staff import (
    CONFIRMED,
    DEMO_STAFF,
    FORCE_CHANGE_PASSWORD,
    PASSWORD_ENV,
    DemoCredential,
    DevStaffPool,
    enabled,
    sign_outs,
    status,
)
from ioc_core.identity.dev_store import DevIdpStore, change, document_name
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.password_policy import password_problems
from ioc_core.identity.phones import mask_phone, resident_phone
from ioc_core.identity.ports import ACCESS_TTL, PhoneChallenge, StaffChallenge, StaffStep, Tokens
from ioc_core.identity.principal import GROUPS_CLAIM, RESIDENT
from ioc_core.identity.triggers import access_token_additions
from ioc_core.shared.errors import FieldProblem, ValidationFailed

__all__ = ["DEMO_STAFF", "PASSWORD_ENV", "DemoCredential", "DevIdentityProvider"]

log = logging.getLogger("ioc.dev_idp")

REFRESH_TTL = 30 * 86400
OTP_TTL = 300
OTP_ATTEMPTS = 5
MFA_SESSION_TTL = 180
MFA_CHALLENGE: StaffStep = "SOFTWARE_TOKEN_MFA"
REFUSED = (
    "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị vô hiệu hóa / Wrong username or password,"
    " or the account is disabled."
)


@dataclass(frozen=True)
class Rotation:
    """A refresh token's place in its sign-in: the family (its first token's jti), its own jti."""

    family: str
    jti: str
    expires: int

    @classmethod
    def first(cls, expires: int) -> Rotation:
        jti = str(uuid.uuid4())
        return cls(jti, jti, expires)


class ResidentDirectory(Protocol):
    def find_or_register(self, phone: str) -> tuple[str, str | None]:
        """(account id, display name) of the resident with this phone, registering one."""


def console(message: str) -> None:
    """A line for the person running the local stack (the log, and stdout when no handler)."""
    log.warning(message)
    if not logging.getLogger().handlers and not log.handlers:
        print(message, file=sys.stderr, flush=True)


def _code_hash(phone: str, code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{phone}:{code}".encode()).hexdigest()


_NO_VALID_CODE = "Không có mã hợp lệ / No valid code for this phone; ask for a new one."


def _unusable(pending: dict[str, Any] | None, now: float) -> str | None:
    """Why the pending code may not be tried any more (None: it may)."""
    if pending is None or pending.get("used") or pending["expires"] < now:
        return _NO_VALID_CODE
    if pending["attempts"] >= OTP_ATTEMPTS:
        return "Sai mã quá nhiều lần / Too many wrong codes; ask for a new one."
    return None


class DevIdentityProvider:
    def __init__(
        self,
        config: IdentityConfig,
        store: DevIdpStore,
        residents: ResidentDirectory,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.store = store
        self.residents = residents
        self.clock = clock
        self._signing: tuple[str, Any] | None = None
        self.sends = SendPolicy()
        self.wrong_passwords = Lockout(store, "password", clock)
        self.wrong_authenticator_codes = Lockout(store, "totp", clock)
        self.used_sessions = UsedSessions(store)
        self.families = RefreshFamilies(store)
        self.staff_pool = DevStaffPool(store, clock)

    # -- keys -----------------------------------------------------------------------------------
    def _key(self) -> tuple[str, Any]:
        if self._signing is None:
            document = self.store.load("keys")
            if document is None:
                pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                fresh = {"kid": f"dev-{uuid.uuid4().hex[:12]}", "private_pem": pem.decode()}
                if self.store.create("keys", fresh):
                    console(f"[dev-idp] generated signing key {fresh['kid']} (kept in the local AWS)")
                document = self.store.load("keys") or fresh
            key = serialization.load_pem_private_key(document["private_pem"].encode(), password=None)
            self._signing = (str(document["kid"]), key)
        return self._signing

    def jwks(self) -> dict[str, Any]:
        kid, key = self._key()
        public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": kid, "alg": "RS256", "use": "sig"}]}

    def _sign(self, claims: Mapping[str, Any]) -> str:
        kid, key = self._key()
        return jwt.encode(dict(claims), key, algorithm="RS256", headers={"kid": kid})

    # -- tokens ---------------------------------------------------------------------------------
    def issue(
        self,
        sub: str,
        username: str,
        groups: list[str],
        extra: Mapping[str, Any] | None = None,
        rotated: Rotation | None = None,
        epoch: int = 0,
    ) -> Tokens:
        """Tokens with Cognito's claims: ``aud`` on the ID token, ``client_id`` on the access one.
        A sign-in's refresh token starts a family; a refresh's (``rotated``) continues it."""
        now = int(self.clock())
        rotated = rotated or Rotation.first(now + REFRESH_TTL)
        extra = dict(extra or {})
        common = {"sub": sub, "iss": self.config.issuer, "iat": now, "auth_time": now, GROUPS_CLAIM: groups}
        id_claims = {
            **common,
            "aud": self.config.client_id,
            "token_use": "id",
            "exp": now + ACCESS_TTL,
            "jti": str(uuid.uuid4()),
            "cognito:username": username,
            **extra,
        }
        access_claims = {
            **common,
            "client_id": self.config.client_id,
            "token_use": "access",
            "scope": "openid profile",
            "exp": now + ACCESS_TTL,
            "jti": str(uuid.uuid4()),
            "username": username,
            # What the pre-token-generation trigger (V2) adds to Cognito's access tokens.
            **access_token_additions(extra),
        }
        refresh_claims = {
            "sub": sub,
            "iss": self.config.issuer,
            "aud": self.config.client_id,
            "token_use": "refresh",
            "iat": now,
            "exp": rotated.expires,
            "jti": rotated.jti,
            "fam": rotated.family,
            "username": username,
            "groups": groups,
            "extra": extra,
            "epoch": epoch,  # the account's sign-outs when issued: a later one revokes it
        }
        return Tokens(self._sign(access_claims), self._sign(id_claims), self._sign(refresh_claims))

    def refresh(self, refresh_token: str) -> Tokens:
        """New tokens and a new refresh token; the one presented is spent (see dev_sessions)."""
        claims = self._own(refresh_token, "refresh")
        # One from before rotation starts its family; as Cognito's, a family expires with its first.
        successor = Rotation(claims.get("fam") or claims["jti"], str(uuid.uuid4()), int(claims["exp"]))
        self.families.rotate(successor.family, claims["jti"], successor.jti, self.clock())
        staff = self.staff_pool.get(claims["username"])
        if staff is not None and (not enabled(staff) or claims.get("epoch", 0) != sign_outs(staff)):
            # Disabled, or signed out everywhere since (Cognito's AdminUserGlobalSignOut).
            raise Unauthenticated("Phiên đã bị thu hồi / This session was revoked; sign in again.")
        # As Cognito does, a refreshed token carries the account's groups as they are now.
        groups = list(staff["groups"]) if staff else list(claims["groups"])
        return self.issue(
            claims["sub"], claims["username"], groups, claims.get("extra"), successor, sign_outs(staff)
        )

    def _own(self, token: str, use: str) -> dict[str, Any]:
        """A token this IdP issued for its own use (refresh, MFA session)."""
        _, key = self._key()
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public_key(),
                algorithms=["RS256"],
                audience=self.config.client_id,
                issuer=self.config.issuer,
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"The {use} token is not valid: {error}.") from error
        if claims.get("token_use") != use:
            raise Unauthenticated(f"Not a {use} token.")
        return claims

    # -- residents: phone + one-time code -------------------------------------------------------
    def start_phone_sign_in(self, raw_phone: str) -> PhoneChallenge:
        phone = resident_phone(raw_phone)
        code = f"{secrets.randbelow(10**6):06d}"
        salt = secrets.token_hex(8)
        now = self.clock()

        def send(previous: dict[str, Any] | None) -> dict[str, Any]:
            # The code's document keeps when codes went to the number: the quota is per phone.
            last_usable = _unusable(previous, now) is None
            history = self.sends.sent((previous or {}).get("sent", []), last_usable, now)
            return {
                "hash": _code_hash(phone, code, salt),
                "salt": salt,
                "expires": now + OTP_TTL,
                "attempts": 0,
                "used": False,
                "sent": history,
            }

        change(self.store, self._otp_name(phone), send)
        console(f"[dev-idp] one-time code for {phone}: {code} (valid {OTP_TTL // 60} min)")
        return PhoneChallenge(mask_phone(phone), OTP_TTL, "console")

    def verify_phone_code(self, raw_phone: str, code: str, session: str | None = None) -> Tokens:
        """``session`` is Cognito's; the codes here are kept by phone number. A try is taken
        (atomically) before the code is compared: however many arrive at once, a code is
        compared at most ``OTP_ATTEMPTS`` times, and it signs in once."""
        phone = resident_phone(raw_phone)
        name = self._otp_name(phone)
        now = self.clock()

        def take_try(current: dict[str, Any] | None) -> dict[str, Any]:
            why = _unusable(current, now)
            if why is not None or current is None:
                raise Unauthenticated(why or _NO_VALID_CODE)
            return {**current, "attempts": current["attempts"] + 1}

        pending = change(self.store, name, take_try)
        if not hmac.compare_digest(pending["hash"], _code_hash(phone, code.strip(), pending["salt"])):
            if pending["attempts"] >= OTP_ATTEMPTS:
                raise Unauthenticated(
                    "Mã không đúng, đã hết lượt thử / The code is not right and that was the last "
                    "try; ask for a new one."
                )
            raise Unauthenticated("Mã không đúng / The code is not right.")

        def consume(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None or current["salt"] != pending["salt"] or current.get("used"):
                raise Unauthenticated(_NO_VALID_CODE)  # a newer code, or this one signed in already
            return {**current, "used": True}

        change(self.store, name, consume)  # a code signs in once
        account_id, display_name = self.residents.find_or_register(phone)
        extra: dict[str, Any] = {"phone_number": phone, "phone_number_verified": True}
        if display_name:
            extra["name"] = display_name
        return self.issue(account_id, account_id, [RESIDENT], extra)

    @staticmethod
    def _otp_name(phone: str) -> str:
        return document_name("otp", phone)

    # -- staff: username + password + TOTP ------------------------------------------------------
    def ensure_staff(self) -> list[DemoCredential]:
        """Create the demo staff directory at first start; its credentials are returned (and
        printed) only then. Passwords are kept hashed, TOTP secrets as an authenticator would."""
        credentials = self.staff_pool.demo()
        for credential in credentials:
            console(credential.line())
        return credentials

    def staff_sign_in(self, username: str, password: str) -> StaffChallenge:
        """Step 1: the password. Then, as Cognito: a new password for a temporary one, an
        authenticator to enrol when none is, or the authenticator's code."""
        name = username.strip().lower()
        self.wrong_passwords.admit(name)
        user = self.staff_pool.get(name)
        # An unknown name costs a password check too, or its quicker answer would tell.
        stored = user["password"] if user else unknown_user_hash()
        if not check_password(password, stored) or user is None or not enabled(user):
            raise Unauthenticated(REFUSED)
        if status(user) == FORCE_CHANGE_PASSWORD and user.get("temporary_until", 0) < self.clock():
            raise Unauthenticated(
                "Mật khẩu tạm đã hết hạn / The temporary password has expired; ask an administrator"
                " for a new one."
            )
        self.wrong_passwords.succeeded(name)
        return self._next_step(name, user)

    def _next_step(self, name: str, user: dict[str, Any]) -> StaffChallenge:
        if status(user) == FORCE_CHANGE_PASSWORD:
            return self._challenge(name, user, "NEW_PASSWORD_REQUIRED")
        if not user.get("totp_secret"):
            return self._challenge(name, user, "MFA_SETUP", pyotp.random_base32())
        return self._challenge(name, user, MFA_CHALLENGE)

    def _challenge(
        self, name: str, user: dict[str, Any], step: StaffStep, secret: str | None = None
    ) -> StaffChallenge:
        now = int(self.clock())
        claims = {
            "sub": user["sub"],
            "iss": self.config.issuer,
            "aud": self.config.client_id,
            "token_use": "mfa_session",
            "step": step,
            "username": name,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + MFA_SESSION_TTL,
        }
        if secret:
            claims["secret"] = secret  # signed, and only ever sent to whom the secret is shown
        return StaffChallenge(step, self._sign(claims), MFA_SESSION_TTL, name, secret)

    def _session(self, session: str, step: StaffStep) -> tuple[dict[str, Any], dict[str, Any]]:
        """The claims of a challenge session of this step, and its account (still enabled)."""
        claims = self._own(session, "mfa_session")
        if claims.get("step", MFA_CHALLENGE) != step or "jti" not in claims:
            raise Unauthenticated("The sign-in session is not valid; start again.")
        user = self.staff_pool.get(claims["username"])
        if user is None or not enabled(user) or user["sub"] != claims["sub"]:
            raise Unauthenticated(REFUSED)
        return claims, user

    def answer_new_password(self, session: str, new_password: str) -> StaffChallenge:
        claims, user = self._session(session, "NEW_PASSWORD_REQUIRED")
        if status(user) != FORCE_CHANGE_PASSWORD:  # changed already, by this session or another
            raise Unauthenticated(
                "Phiên đăng nhập đã dùng / This sign-in session was used already; start again."
            )
        problems = password_problems(new_password)
        if problems:
            raise ValidationFailed(
                "Mật khẩu chưa đủ mạnh / The new password does not meet the policy.",
                problems=[FieldProblem("new_password", ", ".join(problems))],
            )
        if check_password(new_password, user["password"]):
            raise ValidationFailed(
                "Hãy chọn mật khẩu khác mật khẩu tạm / Choose a password other than the temporary one.",
                problems=[FieldProblem("new_password", "the temporary password cannot stay")],
            )
        self.used_sessions.use(claims["username"], claims["jti"], claims["exp"], self.clock())
        changed = self.staff_pool.update(
            claims["username"],
            lambda u: {**u, "password": hash_password(new_password), "status": CONFIRMED},
        )
        return self._next_step(claims["username"], changed)

    def verify_mfa_setup(self, session: str, code: str) -> Tokens:
        claims, _ = self._session(session, "MFA_SETUP")
        self.wrong_authenticator_codes.admit(claims["username"])
        if not pyotp.TOTP(claims["secret"]).verify(code.strip(), valid_window=1):
            raise Unauthenticated("Mã xác thực không đúng / The authenticator code is not right.")
        self.used_sessions.use(claims["username"], claims["jti"], claims["exp"], self.clock())
        self.wrong_authenticator_codes.succeeded(claims["username"])
        user = self.staff_pool.update(claims["username"], lambda u: {**u, "totp_secret": claims["secret"]})
        return self._staff_tokens(claims["username"], user)

    def answer_mfa(self, session: str, code: str) -> Tokens:
        claims = self._own(session, "mfa_session")
        self.wrong_authenticator_codes.admit(claims["username"])
        user = self.staff_pool.get(claims["username"])
        secret = (user or {}).get("totp_secret")
        if claims.get("step", MFA_CHALLENGE) != MFA_CHALLENGE or user is None or not secret:
            raise Unauthenticated("The sign-in session is not valid; start again.")
        if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
            raise Unauthenticated("Mã xác thực không đúng / The authenticator code is not right.")
        if "jti" not in claims or not enabled(user):
            raise Unauthenticated("The sign-in session is not valid; start again.")
        self.used_sessions.use(claims["username"], claims["jti"], claims["exp"], self.clock())
        self.wrong_authenticator_codes.succeeded(claims["username"])
        return self._staff_tokens(claims["username"], user)

    def _staff_tokens(self, name: str, user: dict[str, Any]) -> Tokens:
        extra = {"name": user["name"]}
        return self.issue(user["sub"], name, list(user["groups"]), extra, epoch=sign_outs(user))
