"""What the sign-in routes need from an identity provider: the dev IdP locally, Cognito in AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

ACCESS_TTL = 3600


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


class IdentityProvider(Protocol):
    def start_phone_sign_in(self, raw_phone: str) -> PhoneChallenge:
        """Send a resident a one-time code, registering the number at its first sign-in."""

    def verify_phone_code(self, raw_phone: str, code: str, session: str | None = None) -> Tokens:
        """The resident's tokens for the right code."""

    def staff_sign_in(self, username: str, password: str) -> tuple[str, int]:
        """Step 1 of a staff sign-in: (MFA challenge session, seconds it is valid)."""

    def answer_mfa(self, session: str, code: str) -> Tokens:
        """Step 2: the authenticator's code."""

    def refresh(self, refresh_token: str) -> Tokens: ...
