"""Where tokens come from: two Cognito user pools in AWS (settings from the stack), the dev
IdP locally.

Staff and residents sign in to separate pools: the staff pool requires TOTP MFA, which
Cognito does not allow in a pool whose users sign in without a password, as residents do
(phone number and a one-time code by SMS). ``IOC_AUTH_ISSUER`` / ``IOC_AUTH_CLIENT_IDS`` name
the staff pool (``https://cognito-idp.<region>.amazonaws.com/<pool id>``, the console's app
client first), ``IOC_AUTH_RESIDENT_ISSUER`` / ``IOC_AUTH_RESIDENT_CLIENT_IDS`` the residents'
pool; the JWKS URL is ``<issuer>/.well-known/jwks.json`` unless ``IOC_AUTH_JWKS_URL`` says
otherwise. Locally the issuer is the dev IdP under the API (``/api/v1/auth``), which issues
both kinds of token.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from ioc_core.settings import Settings

DEV_CLIENT_ID = "ioc-local-web"
AUTH_PATH = "/api/v1/auth"
# What a pool's tokens may say about roles: staff pools name them by group; every user of the
# residents' pool is a resident, whatever the token says; the dev IdP issues both.
PoolKind = Literal["staff", "resident", "any"]


@dataclass(frozen=True)
class PoolConfig:
    issuer: str
    client_ids: tuple[str, ...]
    jwks_url: str | None  # None: the dev IdP's keys, read in-process
    kind: PoolKind

    @property
    def client_id(self) -> str:
        return self.client_ids[0]

    @property
    def region(self) -> str:
        """``https://cognito-idp.<region>.amazonaws.com/<pool id>`` → region."""
        host = self.issuer.split("://", 1)[-1].split("/", 1)[0]
        return host.split(".")[1] if host.startswith("cognito-idp.") else ""


@dataclass(frozen=True)
class IdentityConfig:
    issuer: str
    client_ids: tuple[str, ...]
    jwks_url: str | None  # None: the dev IdP's keys, read in-process
    dev_idp: bool
    residents: PoolConfig | None = None

    @property
    def client_id(self) -> str:
        return self.client_ids[0]

    @property
    def staff(self) -> PoolConfig:
        return PoolConfig(self.issuer, self.client_ids, self.jwks_url, "any" if self.dev_idp else "staff")

    @property
    def pools(self) -> tuple[PoolConfig, ...]:
        return (self.staff,) if self.residents is None else (self.staff, self.residents)


def _clients(variable: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in os.environ.get(variable, "").split(",") if c.strip())


def _jwks(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/jwks.json"


def load_identity_config(settings: Settings) -> IdentityConfig:
    issuer = os.environ.get("IOC_AUTH_ISSUER") or ""
    clients = _clients("IOC_AUTH_CLIENT_IDS")
    jwks_url = os.environ.get("IOC_AUTH_JWKS_URL") or None
    resident_issuer = os.environ.get("IOC_AUTH_RESIDENT_ISSUER") or ""
    residents = None
    if issuer and resident_issuer:
        resident_clients = _clients("IOC_AUTH_RESIDENT_CLIENT_IDS")
        if not resident_clients:
            raise RuntimeError("IOC_AUTH_RESIDENT_ISSUER is set without IOC_AUTH_RESIDENT_CLIENT_IDS.")
        residents = PoolConfig(
            resident_issuer.rstrip("/"), resident_clients, _jwks(resident_issuer), "resident"
        )
    if issuer:
        return IdentityConfig(
            issuer=issuer.rstrip("/"),
            client_ids=clients or (DEV_CLIENT_ID,),
            jwks_url=jwks_url or _jwks(issuer),
            dev_idp=False,
            residents=residents,
        )
    # No pool configured: only the local stack may fall back to the dev IdP.
    return IdentityConfig(
        issuer=f"{settings.public_base_url.rstrip('/')}{AUTH_PATH}",
        client_ids=clients or (DEV_CLIENT_ID,),
        jwks_url=jwks_url,
        dev_idp=settings.is_local,
    )
