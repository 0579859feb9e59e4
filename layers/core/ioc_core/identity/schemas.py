"""Wire models of the local dev IdP's API (``/api/v1/auth``) and of ``/api/v1/me``.

In AWS the apps sign in with Cognito directly and receive tokens with the same claims; the
API itself only verifies them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Roles are data (every room declares its own): a name, not a closed list.
RoleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


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


class StaffChallenge(_Reply):
    challenge: Literal["SOFTWARE_TOKEN_MFA", "NEW_PASSWORD_REQUIRED", "MFA_SETUP"] = Field(
        description="SOFTWARE_TOKEN_MFA: send the authenticator code to /staff/mfa. A first sign-in:"
        " NEW_PASSWORD_REQUIRED (a new password to /staff/new-password), then MFA_SETUP (add"
        " secret_code to an authenticator app, send its first code to /staff/mfa-setup)"
    )
    session: str = Field(description="Send back with the answer")
    expires_in: int
    secret_code: str | None = Field(default=None, description="MFA_SETUP: the authenticator's key (base32)")
    otpauth_uri: str | None = Field(default=None, description="MFA_SETUP: the key as an otpauth:// URI")


class MfaAnswer(_Request):
    session: str = Field(min_length=1, max_length=8192)
    code: str = Field(pattern=r"^[0-9]{6}$")


class NewPasswordAnswer(_Request):
    session: str = Field(min_length=1, max_length=8192)
    new_password: str = Field(min_length=1, max_length=256)


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


class GrantView(_Reply):
    role: RoleName
    scope: str | None = Field(default=None, description="The unit or ward of a unit or ward role")


class MeView(_Reply):
    """The caller: identity, the roles held (with their units or wards), what they allow and the
    operations the caller may call."""

    sub: str
    role: RoleName = Field(description="The widest role held (the console's home page follows it)")
    roles: list[RoleName]
    grants: list[GrantView] = Field(description="Each role held, with its unit or ward")
    permissions: list[str] = Field(description="Every permission the roles give, e.g. cameras.alerts.handle")
    username: str | None
    name: str | None
    phone: str | None = Field(description="Residents only")
    unit: str | None = Field(description="A unit's staff: the (first) unit whose assignments they see")
    unit_name: str | None
    operations: list[str] = Field(description="operationIds of the OpenAPI document the caller may call")


# -- roles and staff (the administrator's console) -------------------------------------------------
class Names(_Reply):
    vi: str
    en: str


class PermissionView(_Reply):
    name: str = Field(description="<room>.<thing>.<verb>, as routes name it in x-permission")
    room: str
    title: Names


class RoleView(_Reply):
    name: RoleName
    title: Names
    scope: Literal["city", "unit", "ward", "own"] = Field(
        description="How far it reaches: the city, one unit, one ward (a grant names which), or own records"
    )
    pool: Literal["staff", "resident", "machine"]
    permissions: list[str]


class ScopeView(_Reply):
    code: str
    name: Names


class RoleCatalogue(_Reply):
    roles: list[RoleView]
    permissions: list[PermissionView]
    units: list[ScopeView] = Field(description="What a unit role is scoped to")
    wards: list[ScopeView] = Field(description="What a ward role is scoped to")


class StaffView(_Reply):
    username: str
    name: str
    grants: list[GrantView]
    enabled: bool = Field(description="A disabled account cannot sign in")
    must_change_password: bool = Field(description="Created, and its first sign-in is still to come")


class StaffList(_Reply):
    source: Literal["dev-idp", "cognito"]
    users: list[StaffView]


class GrantRequest(_Request):
    role: RoleName
    scope: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None


class GrantsUpdate(_Request):
    grants: list[GrantRequest] = Field(max_length=20, description="Exactly the roles the account is to hold")


Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$", max_length=254)]


class StaffCreate(_Request):
    username: Username = Field(description="Lowercase letters, digits, '.', '_' or '-'; 64 at most")
    name: str = Field(min_length=1, max_length=128, description="The name the console shows")
    # Required: the staff pool requires it (a pool's required attributes never change) and
    # recovers forgotten passwords by e-mail only.
    email: Email = Field(description="Where a forgotten password is recovered")
    phone: str | None = Field(default=None, max_length=32, description="+84 or 0, then 9 digits")
    grants: list[GrantRequest] = Field(default_factory=list, max_length=20)


class StaffCreated(_Reply):
    account: StaffView
    temporary_password: str = Field(
        description="Shown this once: hand it to the person, who changes it at the first sign-in"
    )
    valid_days: int = Field(description="Days the temporary password signs in")
