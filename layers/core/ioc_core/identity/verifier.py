"""Verify Cognito-shaped JWTs (RS256) against a JWKS, exactly as Cognito's are verified.

Checks: the signature with the key named by ``kid`` (the JWKS is cached and fetched again
once for an unknown ``kid``), ``exp``/``iat``, ``iss`` equal to the pool's issuer,
``token_use`` ``id`` or ``access``, and the app client: ``aud`` for ID tokens,
``client_id`` for access tokens. Locally the dev IdP's keys come through the same class.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import jwt

from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import Principal, principal_from_claims

ALGORITHM = "RS256"
LEEWAY_SECONDS = 30
TOKEN_USES = ("id", "access")


class JwksSource(Protocol):
    def fetch(self) -> Mapping[str, Any]:
        """The current JSON Web Key Set document."""


class UrlJwks:
    """A JWKS URL (Cognito: ``{issuer}/.well-known/jwks.json``), read with a timeout."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"not a JWKS URL: {url!r}")
        self.url = url
        self.timeout = timeout

    def fetch(self) -> Mapping[str, Any]:
        with urllib.request.urlopen(self.url, timeout=self.timeout) as response:  # noqa: S310 - checked above
            document: Mapping[str, Any] = json.loads(response.read())
        return document


class CallableJwks:
    """A JWKS produced in-process (the local dev IdP's key store)."""

    def __init__(self, produce: Callable[[], Mapping[str, Any]]) -> None:
        self.produce = produce

    def fetch(self) -> Mapping[str, Any]:
        return self.produce()


class TokenVerifier:
    def __init__(
        self,
        issuer: str,
        client_ids: tuple[str, ...],
        jwks: JwksSource,
        cache_seconds: float = 3600,
        refetch_after: float = 60,
        clock: Callable[[], float] = time.time,
        kind: str = "any",
    ) -> None:
        self.issuer = issuer
        self.kind = kind
        self.client_ids = client_ids
        self.jwks = jwks
        self.cache_seconds = cache_seconds
        self.refetch_after = refetch_after
        self.clock = clock
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def principal(self, authorization: str | None) -> Principal | None:
        """The caller named by an ``Authorization: Bearer`` header; None without one."""
        if not authorization:
            return None
        return principal_from_claims(self.verify(bearer_token(authorization)), self.kind)

    def verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated("The token is not a JWT.") from error
        if header.get("alg") != ALGORITHM or not header.get("kid"):
            raise Unauthenticated("The token is not signed with RS256 by a known key.")
        key = self._key(str(header["kid"]))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("The token has expired; sign in again or refresh it.") from error
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"The token is not valid: {error}.") from error
        self._check_client(claims)
        return claims

    def _check_client(self, claims: Mapping[str, Any]) -> None:
        use = claims.get("token_use")
        if use not in TOKEN_USES:
            raise Unauthenticated("Only ID and access tokens are accepted.")
        client = claims.get("aud") if use == "id" else claims.get("client_id")
        if isinstance(client, list):
            client = next((c for c in client if c in self.client_ids), None)
        if client not in self.client_ids:
            raise Unauthenticated("The token was issued to another application.")

    def _key(self, kid: str) -> Any:
        with self._lock:
            now = self.clock()
            stale = now - self._fetched_at > self.cache_seconds
            unknown = kid not in self._keys and now - self._fetched_at > self.refetch_after
            if stale or unknown:
                self._load(now)
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("The token is signed by an unknown key.")
        return key

    def _load(self, now: float) -> None:
        try:
            document = self.jwks.fetch()
            keys = jwt.PyJWKSet.from_dict(dict(document)).keys
        except (OSError, ValueError, jwt.PyJWTError) as error:
            if not self._keys:
                raise Unauthenticated("The signing keys cannot be read now; try again.") from error
            return  # keep the keys we had
        self._keys = {k.key_id: k.key for k in keys if k.key_id}
        self._fetched_at = now


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
    return token.strip()


class PoolVerifiers:
    """Tokens from several pools (staff, residents): each is verified by its own issuer's
    verifier, chosen by the unverified ``iss``; a token from any other issuer is refused."""

    def __init__(self, verifiers: list[TokenVerifier]) -> None:
        self.by_issuer = {v.issuer: v for v in verifiers}

    def principal(self, authorization: str | None) -> Principal | None:
        if not authorization:
            return None
        token = bearer_token(authorization)
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as error:
            raise Unauthenticated("The token is not a JWT.") from error
        verifier = self.by_issuer.get(str(issuer))
        if verifier is None:
            raise Unauthenticated("The token was issued by an identity provider this city does not use.")
        return verifier.principal(authorization)
