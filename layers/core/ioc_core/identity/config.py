"""Where tokens come from: Cognito in AWS (settings from the stack), the dev IdP locally.

``IOC_AUTH_ISSUER`` (``https://cognito-idp.<region>.amazonaws.com/<pool id>``) and
``IOC_AUTH_CLIENT_IDS`` (comma separated app clients) are set by the stack; the JWKS URL is
``<issuer>/.well-known/jwks.json`` unless ``IOC_AUTH_JWKS_URL`` says otherwise. Locally the
issuer is the dev IdP under the API (``/api/v1/auth``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ioc_core.settings import Settings

DEV_CLIENT_ID = "ioc-local-web"
AUTH_PATH = "/api/v1/auth"


@dataclass(frozen=True)
class IdentityConfig:
    issuer: str
    client_ids: tuple[str, ...]
    jwks_url: str | None  # None: the dev IdP's keys, read in-process
    dev_idp: bool

    @property
    def client_id(self) -> str:
        return self.client_ids[0]


def load_identity_config(settings: Settings) -> IdentityConfig:
    issuer = os.environ.get("IOC_AUTH_ISSUER") or ""
    clients = tuple(c.strip() for c in os.environ.get("IOC_AUTH_CLIENT_IDS", "").split(",") if c.strip())
    jwks_url = os.environ.get("IOC_AUTH_JWKS_URL") or None
    if issuer:
        return IdentityConfig(
            issuer=issuer.rstrip("/"),
            client_ids=clients or (DEV_CLIENT_ID,),
            jwks_url=jwks_url or f"{issuer.rstrip('/')}/.well-known/jwks.json",
            dev_idp=False,
        )
    # No pool configured: only the local stack may fall back to the dev IdP.
    return IdentityConfig(
        issuer=f"{settings.public_base_url.rstrip('/')}{AUTH_PATH}",
        client_ids=clients or (DEV_CLIENT_ID,),
        jwks_url=jwks_url,
        dev_idp=settings.is_local,
    )
