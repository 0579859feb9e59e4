"""The dev IdP's staff passwords: PBKDF2-SHA256, salted, as Cognito keeps them out of sight."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets

PBKDF2_ROUNDS = 120_000


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)
    return (
        f"pbkdf2_sha256${PBKDF2_ROUNDS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    )


def check_password(password: str, stored: str) -> bool:
    try:
        _, rounds, salt, digest = stored.split("$")
        computed = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(base64.b64encode(computed).decode(), digest)


@functools.cache
def unknown_user_hash() -> str:
    """What the password of a name nobody has is checked against (of a password nobody knows)."""
    return hash_password(secrets.token_urlsafe(18))
