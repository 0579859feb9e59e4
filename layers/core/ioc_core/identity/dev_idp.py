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
import os
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
from ioc_core.identity.dev_store import DevIdpStore, change, document_name
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.phones import mask_phone, resident_phone
from ioc_core.identity.ports import ACCESS_TTL, PhoneChallenge, Tokens
from ioc_core.identity.principal import GROUPS_CLAIM, RESIDENT
from ioc_core.identity.triggers import access_token_additions

log = logging.getLogger("ioc.dev_idp")

REFRESH_TTL = 30 * 86400
OTP_TTL = 300
OTP_ATTEMPTS = 5
MFA_SESSION_TTL = 180
MFA_CHALLENGE = "SOFTWARE_TOKEN_MFA"
PASSWORD_ENV = "IOC_DEV_STAFF_PASSWORD"  # noqa: S105 - a variable name; fixes every demo staff password (browser tests)

# Demo staff: one account per role, one per unit that has work in the demo data, and the
# chair of Phan Thiết ward, who holds two roles (the ward's leader and its committee's staff).
DEMO_STAFF: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("dieuhanh", ("operator",), "Trực ban IOC"),
    ("lanhdao", ("leader",), "Lãnh đạo UBND"),
    ("quantri", ("admin",), "Quản trị hệ thống"),
    ("tinh", ("provincial",), "Hệ thống tỉnh Lâm Đồng"),
    ("qldt", ("unit_staff@QLDT",), "Phòng Quản lý đô thị"),
    ("cscc", ("unit_staff@CSCC",), "Công ty Chiếu sáng công cộng"),
    ("mtdt", ("unit_staff@MTDT",), "Công ty Môi trường đô thị"),
    ("ctn", ("unit_staff@CTN",), "Công ty Cấp thoát nước"),
    ("dien", ("unit_staff@DIEN",), "Điện lực Phan Thiết"),
    ("vhxh", ("unit_staff@VHXH",), "Phòng Văn hóa – Xã hội"),
    ("ttxd", ("unit_staff@TTXD",), "Thanh tra xây dựng"),
    ("ubnd-phanthiet", ("unit_staff@UBND_22945",), "UBND phường Phan Thiết"),
    ("ca-phanthiet", ("unit_staff@CA_22945",), "Công an phường Phan Thiết"),
    ("chutich-phanthiet", ("ward_leader@22945", "unit_staff@UBND_22945"), "Chủ tịch UBND phường Phan Thiết"),
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


@dataclass(frozen=True)
class DemoCredential:
    username: str
    groups: tuple[str, ...]  # the grants, as Cognito groups name them (unit_staff@CSCC)
    password: str
    totp_secret: str

    def line(self) -> str:
        return (
            f"[dev-idp] staff {self.username} ({', '.join(self.groups)}) password: {self.password}"
            f" totp secret: {self.totp_secret}"
        )


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
        }
        return Tokens(self._sign(access_claims), self._sign(id_claims), self._sign(refresh_claims))

    def refresh(self, refresh_token: str) -> Tokens:
        """New tokens and a new refresh token; the one presented is spent (see dev_sessions)."""
        claims = self._own(refresh_token, "refresh")
        # One from before rotation starts its family; as Cognito's, a family expires with its first.
        successor = Rotation(claims.get("fam") or claims["jti"], str(uuid.uuid4()), int(claims["exp"]))
        self.families.rotate(successor.family, claims["jti"], successor.jti, self.clock())
        staff = self._staff().get(claims["username"])
        # As Cognito does, a refreshed token carries the account's groups as they are now.
        groups = list(staff["groups"]) if staff else list(claims["groups"])
        return self.issue(claims["sub"], claims["username"], groups, claims.get("extra"), successor)

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
        if self.store.load("staff") is not None:
            return []
        fixed = os.environ.get(PASSWORD_ENV)
        credentials = [
            DemoCredential(name, groups, fixed or secrets.token_urlsafe(9), pyotp.random_base32())
            for name, groups, _ in DEMO_STAFF
        ]
        directory = {
            c.username: {
                "sub": f"staff-{c.username}",
                "groups": list(c.groups),
                "name": next(n for u, _, n in DEMO_STAFF if u == c.username),
                "password": hash_password(c.password),
                "totp_secret": c.totp_secret,
            }
            for c in credentials
        }
        if not self.store.create("staff", directory):
            return []
        for credential in credentials:
            console(credential.line())
        return credentials

    def staff_sign_in(self, username: str, password: str) -> tuple[str, int]:
        """Step 1: the password. Answers an MFA challenge session (Cognito's flow)."""
        name = username.strip().lower()
        self.wrong_passwords.admit(name)
        user = self._staff().get(name)
        # An unknown name costs a password check too, or its quicker answer would tell.
        stored = user["password"] if user else unknown_user_hash()
        if not check_password(password, stored) or user is None:
            raise Unauthenticated("Sai tên đăng nhập hoặc mật khẩu / Wrong username or password.")
        self.wrong_passwords.succeeded(name)
        now = int(self.clock())
        session = self._sign(
            {
                "sub": user["sub"],
                "iss": self.config.issuer,
                "aud": self.config.client_id,
                "token_use": "mfa_session",
                "username": name,
                "jti": str(uuid.uuid4()),
                "iat": now,
                "exp": now + MFA_SESSION_TTL,
            }
        )
        return session, MFA_SESSION_TTL

    def answer_mfa(self, session: str, code: str) -> Tokens:
        claims = self._own(session, "mfa_session")
        self.wrong_authenticator_codes.admit(claims["username"])
        user = self._staff().get(claims["username"])
        if user is None or not pyotp.TOTP(user["totp_secret"]).verify(code.strip(), valid_window=1):
            raise Unauthenticated("Mã xác thực không đúng / The authenticator code is not right.")
        if "jti" not in claims:
            raise Unauthenticated("The sign-in session is not valid; start again.")
        self.used_sessions.use(claims["username"], claims["jti"], claims["exp"], self.clock())
        self.wrong_authenticator_codes.succeeded(claims["username"])
        return self.issue(user["sub"], claims["username"], list(user["groups"]), {"name": user["name"]})

    def _staff(self) -> dict[str, Any]:
        return self.store.load("staff") or {}

    def staff_directory(self) -> list[dict[str, Any]]:
        """The staff accounts without their secrets (the administrator's list)."""
        return [
            {"username": name, "name": u["name"], "groups": sorted(u["groups"])}
            for name, u in sorted(self._staff().items())
        ]

    def set_staff_groups(self, username: str, groups: list[str]) -> dict[str, Any] | None:
        """Replace an account's groups (what Cognito's AdminAdd/RemoveUserFromGroup do); the
        next token it signs in or refreshes with carries them. None for no such account."""
        directory = self._staff()
        user = directory.get(username)
        if user is None:
            return None
        user["groups"] = sorted(groups)
        self.store.put("staff", directory)
        return {"username": username, "name": user["name"], "groups": user["groups"]}
