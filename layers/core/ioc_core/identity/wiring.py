"""Composition root of identity: the token verifier (Cognito in AWS, the dev IdP locally)."""

from __future__ import annotations

from functools import lru_cache

from ioc_core.identity.config import IdentityConfig, PoolConfig, load_identity_config
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.ports import IdentityProvider
from ioc_core.identity.principal import ANONYMOUS, Principal
from ioc_core.identity.staff import StaffAdministration, StaffDirectory, known_scopes
from ioc_core.identity.verifier import CallableJwks, JwksSource, PoolVerifiers, TokenVerifier, UrlJwks
from ioc_core.platform.access import policy
from ioc_core.platform.wiring import ready


@lru_cache(maxsize=1)
def identity_config() -> IdentityConfig:
    return load_identity_config(ready())


@lru_cache(maxsize=1)
def dev_idp() -> DevIdentityProvider | None:
    """The local identity provider; None in AWS (Cognito issues the tokens there)."""
    config = identity_config()
    if not config.dev_idp:
        return None
    from ioc_core.identity.adapters import DynamoResidents, SecretsManagerDevIdpStore

    settings = ready()
    return DevIdentityProvider(config, SecretsManagerDevIdpStore(settings), DynamoResidents(settings))


@lru_cache(maxsize=1)
def identity_provider() -> IdentityProvider:
    """Who answers the sign-in routes: the dev IdP locally, Cognito's two pools in AWS."""
    provider = dev_idp()
    if provider is not None:
        return provider
    config = identity_config()
    if config.residents is None:
        raise RuntimeError("IOC_AUTH_RESIDENT_ISSUER is not set: residents cannot sign in.")
    import boto3

    from ioc_core.identity.cognito import CognitoIdentityProvider

    client = boto3.client("cognito-idp", region_name=config.staff.region or None)
    return CognitoIdentityProvider(client, config.staff.client_id, config.residents.client_id)


def _verifier(pool: PoolConfig) -> TokenVerifier:
    jwks: JwksSource
    if pool.jwks_url:
        jwks = UrlJwks(pool.jwks_url)
    else:
        provider = dev_idp()
        if provider is None:
            raise RuntimeError("No IOC_AUTH_ISSUER is set and this is not the local stack.")
        jwks = CallableJwks(provider.jwks)  # the document /auth/.well-known/jwks.json serves
    return TokenVerifier(pool.issuer, pool.client_ids, jwks, kind=pool.kind)


@lru_cache(maxsize=1)
def token_verifier() -> PoolVerifiers:
    return PoolVerifiers([_verifier(pool) for pool in identity_config().pools])


def authenticate(authorization: str | None) -> Principal:
    """The caller of a request from its Authorization header (anonymous without one).
    Any app of the IOC (cameras too) calls this; a bad token is a 401, never anonymous."""
    if not authorization:
        return ANONYMOUS
    principal = token_verifier().principal(authorization)
    if principal is None or not principal.authenticated:
        raise Unauthenticated("The token names no caller.")
    return principal


@lru_cache(maxsize=1)
def staff_directory() -> StaffDirectory:
    """The staff accounts and their groups: the dev IdP's directory locally, the staff pool's in AWS."""
    from ioc_core.identity.adapters import CognitoStaffDirectory, DevIdpStaffDirectory

    rules = policy()
    provider = dev_idp()
    if provider is not None:
        return DevIdpStaffDirectory(provider, rules)
    import boto3

    staff = identity_config().staff
    pool_id = staff.issuer.rstrip("/").rsplit("/", 1)[-1]  # https://cognito-idp.<region>.amazonaws.com/<pool>
    return CognitoStaffDirectory(
        boto3.client("cognito-idp", region_name=staff.region or None), pool_id, rules
    )


@lru_cache(maxsize=1)
def staff_administration() -> StaffAdministration:
    """Who holds which role, changed by administrators (identity's API only)."""
    from ioc_core.platform.wiring import audit_log

    return StaffAdministration(staff_directory(), policy(), known_scopes(), audit_log())


CACHED = (
    identity_config, dev_idp, identity_provider, token_verifier, staff_directory, staff_administration,
    known_scopes,
)  # fmt: skip
