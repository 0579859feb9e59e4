"""The province's side of the directives, for a local stack: the shared secret kept where the
stack keeps it in AWS (Secrets Manager; ``ioc dev`` makes one in the local one and names it in
``IOC_DIRECTIVES_SECRET_ID``, the variable the stack sets in AWS), and a directive signed and
sent as the province's monitoring center would (``ioc integration directive``)."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import UTC, date, datetime
from typing import Any

from ioc_core.integration.directives import INBOUND_TYPE
from ioc_core.integration.settings import SECRET_ID_VARIABLE
from ioc_core.settings import Settings

LOCAL_SECRET = "province-directives"  # noqa: S105 (the secret's name, under the stack's prefix)
PROVINCE_SOURCE = "/vn/gov/lamdong/ioc/chi-dao"
PATH = "/api/v1/integration/directives"


def _client(settings: Settings) -> Any:
    import boto3

    return boto3.client("secretsmanager", region_name=settings.region, endpoint_url=settings.aws_endpoint)


def ensure_local_secret(settings: Settings) -> str:
    """The local shared secret's id, made once per stack (``whsec_`` and 32 random bytes)."""
    client = _client(settings)
    name = settings.name(LOCAL_SECRET)
    try:
        client.describe_secret(SecretId=name)
    except client.exceptions.ResourceNotFoundException:
        value = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        client.create_secret(Name=name, SecretString=value, Description="Shared with the province (local)")
    return name


class ProvinceLink:
    """``ioc dev``'s service: the stack's directives endpoint reads the local secret."""

    def __init__(self) -> None:
        import os

        from ioc_core.platform.wiring import ready

        os.environ[SECRET_ID_VARIABLE] = ensure_local_secret(ready())

    def stop(self) -> None:
        pass


def directive_event(
    directive_id: str,
    title: str,
    owner_unit: str,
    deadline: date,
    co_units: tuple[str, ...] = (),
    document_ref: str = "",
    expected_output: str = "",
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": PROVINCE_SOURCE,
        "type": INBOUND_TYPE,
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": {
            "directive_id": directive_id, "title": title, "document_ref": document_ref,
            "owner_unit": owner_unit, "co_units": list(co_units), "deadline": deadline.isoformat(),
            "expected_output": expected_output,
        },
    }  # fmt: skip


def send(
    api_url: str, secret: str, document: dict[str, Any], webhook_id: str | None = None
) -> tuple[int, Any]:
    """POST the directive signed with Standard Webhooks (the package signs, at a UTC time)."""
    import urllib.error
    import urllib.request

    from standardwebhooks.webhooks import Webhook

    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    message_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    at = datetime.now(UTC)
    headers = {
        "Content-Type": "application/cloudevents+json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body.decode("utf-8")),
    }
    if not api_url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {api_url[:80]!r}")
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        api_url.rstrip("/") + PATH, data=body, method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (the local stack's URL)
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
