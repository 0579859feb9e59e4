"""Wire models of the local dev IdP's API (``/api/v1/auth``) and of ``/api/v1/me``.

In AWS the apps sign in with Cognito directly and receive tokens with the same claims; the
API itself only verifies them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


RoleName = Literal["resident", "operator", "unit_staff", "leader", "admin", "provincial"]


class OtpStart(_Request):
    phone: str = Field(min_length=1, max_length=32, description="+84 or 0, then 9 digits")


class OtpStarted(_Reply):
    phone: str = Field(description="The number the code went to, masked")
    expires_in: int = Field(description="Seconds the code is valid")
    delivery: Literal["sms", "console"] = Field(description="Locally the code is in the console log")
    session: str | None = Field(
        default=None, description="Send back with the code (Cognito's sign-in session)"
    )


class OtpVerify(_Request):
    phone: str = Field(min_length=1, max_length=32)
    code: str = Field(pattern=r"^[0-9]{6}$")
    session: str | None = Field(
        default=None, max_length=8192, description="As the code's request answered it"
    )


class StaffSignIn(_Request):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=256)


class MfaChallenge(_Reply):
    challenge: Literal["SOFTWARE_TOKEN_MFA"]
    session: str = Field(description="Send back with the authenticator code")
    expires_in: int


class MfaAnswer(_Request):
    session: str = Field(min_length=1, max_length=8192)
    code: str = Field(pattern=r"^[0-9]{6}$")


class RefreshRequest(_Request):
    refresh_token: str = Field(min_length=1, max_length=8192)


class TokenSet(_Reply):
    access_token: str = Field(description="Send as 'Authorization: Bearer <access_token>'")
    id_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class Jwk(_Reply):
    model_config = ConfigDict(extra="allow")

    kty: str
    kid: str
    alg: str
    use: str
    n: str
    e: str


class Jwks(_Reply):
    keys: list[Jwk]


class OpenIdConfiguration(_Reply):
    issuer: str
    jwks_uri: str
    id_token_signing_alg_values_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]
    claims_supported: list[str]


class MeView(_Reply):
    """The caller: identity, role, unit and the operations this role may call."""

    sub: str
    role: RoleName
    roles: list[RoleName]
    username: str | None
    name: str | None
    phone: str | None = Field(description="Residents only")
    unit: str | None = Field(description="Unit staff only: the unit whose assignments they see")
    unit_name: str | None
    operations: list[str] = Field(description="operationIds of the OpenAPI document the caller may call")
