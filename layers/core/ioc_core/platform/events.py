"""The platform's CloudEvents: administrative changes it owns (Open311 API keys). Their data
names the key by its id (a hash) and the partner's name, never who acted: that is the audit
context's, beside the event in the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ioc_core.platform.rooms import Label
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "platform"
API_KEY_CREATED = "platform.api_key.created"
API_KEY_REVOKED = "platform.api_key.revoked"
EMITS = (API_KEY_CREATED, API_KEY_REVOKED)
# A key's whole life is these two events, in this order: their sequence per key.
_SEQUENCE = {API_KEY_CREATED: 1, API_KEY_REVOKED: 2}


def api_key_event(short: str, key_id: str, name: str, at: datetime) -> CloudEvent:
    return CloudEvent.new(
        short, subsystem=SUBSYSTEM, subject=key_id, at=at, data={"name": name}, sequence=_SEQUENCE[short]
    )


def audit_words() -> Mapping[str, Label]:
    return {
        API_KEY_CREATED: Label("Cấp khóa API", "API key created"),
        API_KEY_REVOKED: Label("Thu hồi khóa API", "API key revoked"),
    }
