"""Identity's /api/v1/auth contract: the sign-in routes (every one of them public: they are
how a caller gets a token), the roles catalogue and the administrator's staff directory, and
its OpenAPI document."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ioc_core.identity import schemas as a
from ioc_core.identity.permissions import STAFF_MANAGE, STAFF_READ
from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, SIGNED_IN, Operation, Reply, RouteTable, needs

USERNAME = {"username": r"^[a-z0-9][a-z0-9._-]{0,63}$"}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/auth/otp/start", "startPhoneSignIn",
        "Residents: send a one-time code to a phone (local: printed in the console log)", "auth",
        {202: Reply("Code sent", a.OtpStarted)}, errors=(400, 404, 413, 415, 429), body=a.OtpStart,
    ),
    Operation(
        "POST", "/auth/otp/verify", "verifyPhoneSignIn", "Residents: the code → tokens", "auth",
        {200: Reply("Signed in", a.TokenSet)}, errors=(400, 401, 404, 413, 415, 429), body=a.OtpVerify,
    ),
    Operation(
        "POST", "/auth/staff/sign-in", "staffSignIn",
        "Staff: username and password → the next challenge (the authenticator's code; at a first"
        " sign-in a new password, then an authenticator to set up)",
        "auth", {200: Reply("The challenge to answer", a.StaffChallenge)},
        errors=(400, 401, 404, 409, 413, 415, 429), body=a.StaffSignIn,
    ),
    Operation(
        "POST", "/auth/staff/new-password", "staffNewPassword",
        "Staff, first sign-in: a new password for the temporary one → the next challenge", "auth",
        {200: Reply("The challenge to answer (MFA_SETUP)", a.StaffChallenge)},
        errors=(400, 401, 404, 409, 413, 415, 429), body=a.NewPasswordAnswer,
    ),
    Operation(
        "POST", "/auth/staff/mfa-setup", "staffMfaSetup",
        "Staff: the first code of the authenticator just set up → tokens", "auth",
        {200: Reply("Signed in", a.TokenSet)}, errors=(400, 401, 404, 413, 415, 429), body=a.MfaAnswer,
    ),
    Operation(
        "POST", "/auth/staff/mfa", "staffMfa", "Staff: the TOTP code → tokens", "auth",
        {200: Reply("Signed in", a.TokenSet)}, errors=(400, 401, 404, 413, 415, 429), body=a.MfaAnswer,
    ),
    Operation(
        "POST", "/auth/refresh", "refreshTokens", "New tokens from a refresh token", "auth",
        {200: Reply("Tokens", a.TokenSet)}, errors=(400, 401, 404, 413, 415, 429), body=a.RefreshRequest,
    ),
    Operation(
        "GET", "/auth/.well-known/jwks.json", "getJwks", "The dev IdP's public signing keys", "auth",
        {200: Reply("JSON Web Key Set", a.Jwks)}, errors=(404,),
    ),
    Operation(
        "GET", "/auth/.well-known/openid-configuration", "getOpenIdConfiguration",
        "The dev IdP's OpenID configuration", "auth",
        {200: Reply("Issuer and JWKS URL", a.OpenIdConfiguration)}, errors=(404,),
    ),
    Operation(
        "GET", "/auth/roles", "listRoles",
        "Every room's roles, what each permits, and the units and wards a role can be scoped to",
        "roles", {200: Reply("The catalogue", a.RoleCatalogue)}, errors=(401, 403), access=SIGNED_IN,
    ),
    Operation(
        "GET", "/auth/staff", "listStaff", "Staff accounts and the roles they hold", "roles",
        {200: Reply("Accounts", a.StaffList)}, errors=(401, 403), access=needs(STAFF_READ),
    ),
    Operation(
        "PUT", "/auth/staff/{username}/grants", "putStaffGrants",
        "Set exactly the roles an account holds (its next token carries them)", "roles",
        {200: Reply("The account", a.StaffView)}, errors=(400, 401, 403, 404, 409, 413, 415),
        body=a.GrantsUpdate, path_params=USERNAME, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "POST", "/auth/staff", "createStaff",
        "Create a staff account: its temporary password is in this reply only (the first sign-in"
        " changes it and sets up an authenticator)", "roles",
        {201: Reply("The account and its temporary password", a.StaffCreated)},
        errors=(400, 401, 403, 409, 413, 415), body=a.StaffCreate, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "POST", "/auth/staff/{username}/disable", "disableStaff",
        "Disable an account: no more sign-ins, its refresh tokens revoked (an access token it holds"
        " lasts until it expires, within the hour); never your own nor the last administrator's",
        "roles", {200: Reply("The account", a.StaffView)}, errors=(401, 403, 404, 409),
        path_params=USERNAME, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "POST", "/auth/staff/{username}/enable", "enableStaff", "Enable a disabled account", "roles",
        {200: Reply("The account", a.StaffView)}, errors=(401, 403, 404),
        path_params=USERNAME, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "POST", "/auth/staff/{username}/mfa-reset", "resetStaffMfa",
        "Forget an account's authenticator: its next sign-in sets up a new one; never your own nor"
        " the last administrator's", "roles", {200: Reply("The account", a.StaffView)},
        errors=(401, 403, 404, 409), path_params=USERNAME, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "POST", "/auth/staff/{username}/password-reset", "resetStaffPassword",
        "A new temporary password for a lost or expired one, shown this once (no-store): the account"
        " is signed out everywhere and must change it at its next sign-in; its authenticator stays."
        " Never your own, nor a disabled account's", "roles",
        {200: Reply("The account and its temporary password", a.StaffCreated)},
        errors=(401, 403, 404, 409), path_params=USERNAME, access=needs(STAFF_MANAGE),
    ),
    Operation(
        "GET", "/auth/openapi.json", "getIdentityOpenApi", "This document", "meta",
        {200: Reply("OpenAPI 3.1", schema={"type": "object"})},
    ),
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/auth", OPERATIONS)

DESCRIPTION = """\
Sign-in for the Phan Thiết IOC. Residents: a phone number and a one-time code
(`/otp/start`, `/otp/verify`; in AWS Cognito's passwordless SMS sign-in, locally the code is
printed in the `ioc dev` console). Staff: username and password, then an authenticator code
(`/staff/sign-in`, `/staff/mfa`); an account's first sign-in replaces the temporary password an
administrator handed over (`/staff/new-password`) and sets up an authenticator
(`/staff/mfa-setup`), as one does after an administrator reset it. Tokens are Cognito's: send
`Authorization: Bearer <access_token>` to the other APIs. Errors are RFC 9457 problem+json in
Vietnamese and English. Wrong passwords and codes lock the sign-in out for a while, and one-time
codes per phone are limited: those answers are 429 with Retry-After (Cognito's limits in AWS, the
dev IdP's locally).
"""


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(TABLE, "Phan Thiết IOC: sign-in (/api/v1/auth)", DESCRIPTION)
