"""The key the API signs page cursors with, read once per cold start.

In AWS each API's stack generates a secret and names it in ``IOC_CURSOR_KEY_SECRET``; its role
may read that one secret and nothing else. ``IOC_CURSOR_KEY`` gives the key itself (a local
stack several processes share). Without either, a local process makes its own: its cursors die
with it, which is all a developer's stack needs. A Lambda without a key fails loudly instead:
its concurrent copies would refuse each other's cursors.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from functools import lru_cache

from ioc_core.platform.api.cursors import MIN_KEY_BYTES, CursorSigner

KEY_VARIABLE = "IOC_CURSOR_KEY"
SECRET_VARIABLE = "IOC_CURSOR_KEY_SECRET"  # noqa: S105 (the variable's name, not a secret)


def cursor_key(environ: Mapping[str, str] = os.environ) -> bytes:
    if environ.get(KEY_VARIABLE):
        key = environ[KEY_VARIABLE].encode("utf-8")
    elif environ.get(SECRET_VARIABLE):
        key = _secret(environ[SECRET_VARIABLE]).encode("utf-8")
    elif "AWS_LAMBDA_FUNCTION_NAME" in environ:
        raise RuntimeError(f"no cursor key: the stack sets {SECRET_VARIABLE} for every API")
    else:
        key = secrets.token_bytes(MIN_KEY_BYTES)
    if len(key) < MIN_KEY_BYTES:
        raise RuntimeError(f"the cursor key needs at least {MIN_KEY_BYTES} bytes")
    return key


def _secret(secret_id: str) -> str:
    import boto3

    from ioc_core.settings import get_settings

    settings = get_settings()
    client = boto3.client("secretsmanager", region_name=settings.region, endpoint_url=settings.aws_endpoint)
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])


@lru_cache(maxsize=1)
def signer() -> CursorSigner:
    """The process's signer: one key per cold start."""
    return CursorSigner(cursor_key())
