"""What the sign-in routes need from an identity provider: the dev IdP locally, Cognito in AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import quote

ACCESS_TTL = 3600
TOTP_ISSUER = "IOC Phan Thiet"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str
    expires_in: int = ACCESS_TTL
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type


@dataclass(frozen=True)
class PhoneChallenge:
    """A one-time code is on its way to ``phone`` (masked); ``session`` goes back with it."""

    phone: str
    expires_in: int
    delivery: Literal["sms", "console"]
    session: str | None = None


StaffStep = Literal["SOFTWARE_TOKEN_MFA", "NEW_PASSWORD_REQUIRED", "MFA_SETUP"]


@dataclass(frozen=True)
class StaffChallenge:
    """What a staff sign-in asks next, as Cognito names it: the authenticator's code; at the
    first sign-in a new password (the temporary one is spent); then, with no authenticator
    enrolled (a new account, or one whose MFA was reset), enrolment with ``secret_code``."""

    challenge: StaffStep
    session: str
    expires_in: int
    username: str
    secret_code: str | None = None

    @property
    def otpauth_uri(self) -> str | None:
        """The secret as authenticator apps read it (Key URI format: issuer, account, key)."""
        if not self.secret_code:
            return None
        label = quote(f"{TOTP_ISSUER}:{self.username}", safe=":")
        return f"otpauth://totp/{label}?secret={self.secret_code}&issuer={quote(TOTP_ISSUER)}"


class IdentityProvider(Protocol):
    def start_phone_sign_in(self, raw_phone: str) -> PhoneChallenge:
        """Send a resident a one-time code, registering the number at its first sign-in."""

    def verify_phone_code(self, raw_phone: str, code: str, session: str | None = None) -> Tokens:
        """The resident's tokens for the right code."""

    def staff_sign_in(self, username: str, password: str) -> StaffChallenge:
        """Step 1 of a staff sign-in: the password; the challenge that follows."""

    def answer_new_password(self, session: str, new_password: str) -> StaffChallenge:
        """A first sign-in: the new password for the temporary one (400 if the policy refuses it)."""

    def verify_mfa_setup(self, session: str, code: str) -> Tokens:
        """Enrolment: the first code of the authenticator set up with the challenge's secret."""

    def answer_mfa(self, session: str, code: str) -> Tokens:
        """Step 2: the authenticator's code."""

    def refresh(self, refresh_token: str) -> Tokens: ...
