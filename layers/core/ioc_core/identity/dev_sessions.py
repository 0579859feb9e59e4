"""What the dev IdP remembers of the tokens it issued for its own use: MFA sessions answer
once, and refresh tokens rotate by family.

A refresh answers a new refresh token and retires the one presented. A retired one presented
again is a replay (a stolen token, or a client that kept an old one): every refresh token of
its family, descended from the same sign-in, stops working (OAuth 2.0 Security BCP, 4.14.2).
"""

from __future__ import annotations

from typing import Any

from ioc_core.identity.dev_store import DevIdpStore, change, document_name
from ioc_core.identity.errors import Unauthenticated


class UsedSessions:
    """Per user, the MFA sessions already answered (kept until they would have expired)."""

    def __init__(self, store: DevIdpStore) -> None:
        self.store = store

    def use(self, username: str, jti: str, expires: float, now: float) -> None:
        """Record ``jti`` as used; 401 if it was already."""

        def mark(document: dict[str, Any] | None) -> dict[str, Any]:
            used = {j: at for j, at in (document or {}).get("used", {}).items() if at > now}
            if jti in used:
                raise Unauthenticated(
                    "Phiên đăng nhập đã dùng / This sign-in session was used already; start again."
                )
            return {"used": {**used, jti: expires}}

        change(self.store, document_name("mfa", username), mark)


class RefreshFamilies:
    """Per family (the first refresh token's jti), the one refresh token that may be used next."""

    def __init__(self, store: DevIdpStore) -> None:
        self.store = store

    def rotate(self, family: str, presented: str, successor: str, now: float) -> None:
        """Retire ``presented`` for ``successor``; a retired token revokes the family (401)."""

        def step(document: dict[str, Any] | None) -> dict[str, Any]:
            if document is None:
                if presented != family:  # no record of a family whose token was rotated
                    raise Unauthenticated("The refresh token is not valid; sign in again.")
                document = {"current": family, "revoked": False}
            if document["revoked"]:
                raise Unauthenticated("Phiên đã bị thu hồi / This session was revoked; sign in again.")
            if document["current"] != presented:
                return {**document, "revoked": True, "revoked_at": now}
            return {"current": successor, "revoked": False, "rotated_at": now}

        if change(self.store, f"refresh-{family}", step)["revoked"]:
            raise Unauthenticated(
                "Mã làm mới đã được dùng / This refresh token was used already: every session of "
                "this sign-in is revoked; sign in again."
            )
