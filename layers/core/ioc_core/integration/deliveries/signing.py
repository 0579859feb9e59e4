"""Standard Webhooks signing: ``webhook-id`` (the event id, the same on every retry),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (``v1,<base64>`` per secret,
space-separated during a rotation), HMAC-SHA256 over ``id.timestamp.body`` by the
``standardwebhooks`` package."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SECRET_BYTES = 32
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def headers(event_id: str, at: datetime, body: str, signing_secrets: list[str]) -> dict[str, str]:
    # The package replaces a datetime's zone instead of converting it: a +07:00 time would be
    # signed seven hours off, so it only ever sees UTC.
    moment = datetime.fromtimestamp(int(at.timestamp()), UTC)
    signatures = " ".join(Webhook(secret).sign(event_id, moment, body) for secret in signing_secrets)
    return {
        "content-type": CONTENT_TYPE,
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signatures,
        "user-agent": "PhanThietIOC-Webhooks/1",
    }
