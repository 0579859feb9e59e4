"""The CloudEvents 1.0 envelope every event travels in, and the Standard Webhooks headers a
push delivery adds, as JSON Schemas: what the AsyncAPI document publishes and what the tests'
contract check holds every event to."""

from __future__ import annotations

from typing import Any

from ioc_core.shared.cloudevents import SCHEMA_BASE, SOURCE_ROOT, TYPE_PREFIX

CLOUDEVENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{SCHEMA_BASE}cloudevent/v1",
    "title": "CloudEvent",
    "description": "CloudEvents 1.0, structured JSON mode (application/cloudevents+json). Order per entity"
    " only: partitionkey names the entity, sequence its events' order (Integer, from 1, contiguous,"
    " zero-padded so it also sorts as text); a receiver de-duplicates on (source, id).",
    "x-description-vi": "Phong bì CloudEvents 1.0. Thứ tự chỉ trong một thực thể (partitionkey,"
    " sequence); bên nhận khử trùng theo (source, id).",
    "type": "object",
    "required": [
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
        "sequence", "sequencetype", "partitionkey", "data",
    ],
    "properties": {
        "specversion": {"const": "1.0"},
        "id": {"type": "string", "minLength": 1, "description": "Unique per source, the same on every retry"},
        "source": {"type": "string", "pattern": f"^{SOURCE_ROOT}/[a-z-]+$", "description": "The room"},
        "type": {"type": "string", "pattern": f"^{TYPE_PREFIX.replace('.', '[.]')}[a-z_]+([.][a-z_]+)+$"},
        "subject": {"type": "string", "minLength": 1, "description": "The entity the event is about"},
        "time": {"type": "string", "format": "date-time", "description": "RFC 3339 with the +07:00 offset"},
        "datacontenttype": {"const": "application/json"},
        "dataschema": {"type": "string", "format": "uri", "pattern": f"^{SCHEMA_BASE}[a-z_.]+/v[1-9][0-9]*$",
                       "description": "The JSON Schema of data: its type and major version"},
        "sequence": {"type": "string", "pattern": "^[0-9]{12}$", "description": "Per partitionkey, from 1"},
        "sequencetype": {"const": "Integer"},
        "partitionkey": {"type": "string", "minLength": 1, "description": "The entity: ordered within"},
        "data": {"type": "object"},
    },
    # Extensions a later room may add (traceparent, dataref…) are allowed: CloudEvents' own rule.
    "additionalProperties": {"type": ["string", "integer", "boolean"]},
}  # fmt: skip

WEBHOOK_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "Standard Webhooks 1.0: HMAC-SHA256 over '{webhook-id}.{webhook-timestamp}.{body}' with"
    " the subscription's secret (whsec_<base64>); several signatures during a secret's rotation. Reject"
    " a timestamp more than 5 minutes from now; verify the raw body before parsing it.",
    "required": ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"],
    "properties": {
        "webhook-id": {"type": "string", "description": "The delivery's id, the same on every retry"},
        "webhook-timestamp": {"type": "string", "pattern": "^[0-9]+$", "description": "Unix seconds"},
        "webhook-signature": {
            "type": "string",
            "pattern": "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$",
            "description": "Space-separated 'v1,<base64 HMAC>' signatures",
        },
        "content-type": {"const": "application/cloudevents+json"},
    },
}
