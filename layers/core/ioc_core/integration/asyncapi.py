"""The event contract as an AsyncAPI 3.0 document, built from the catalogue: two channels (the
city's event stream, and the push deliveries to a subscriber's endpoint), one message per event
type whose payload is the CloudEvents envelope with that type's ``data`` schema, and the Standard
Webhooks headers of a delivery."""

from __future__ import annotations

from typing import Any

from ioc_core.integration.catalogue import Catalogue, EventType, SchemaVersion
from ioc_core.integration.envelope import CLOUDEVENT, WEBHOOK_HEADERS

VERSION = "1.0.0"  # of the document's shape; the types carry their own versions


def _schema_name(kind: EventType, version: SchemaVersion) -> str:
    return f"{kind.short}.{version.name}"


def _message(kind: EventType, version: SchemaVersion) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": kind.type,
        "title": f"{version.schema.get('title', kind.short)} ({version.name})",
        "summary": kind.description.en,
        "description": f"{kind.description.vi} / {kind.description.en} Room: {kind.room}.",
        "contentType": "application/cloudevents+json",
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEvent"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": kind.type},
                        "dataschema": {"const": version.schema["$id"]},
                        "data": {"$ref": f"#/components/schemas/{_schema_name(kind, version)}"},
                    },
                },
            ]
        },
    }
    if version.status == "deprecated":  # a Message Object has no such field: extensions
        message["x-deprecated"] = True
        message["x-deprecation-date"] = str(version.deprecation_date)
    return message


def build(catalogue: Catalogue) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"CloudEvent": CLOUDEVENT}
    for kind in catalogue.types:
        for version in kind.versions:
            name = _schema_name(kind, version)
            schemas[name] = version.schema
            messages[name] = _message(kind, version)
            messages[f"{name}.webhook"] = {
                **_message(kind, version),
                "headers": {"$ref": "#/components/schemas/StandardWebhooksHeaders"},
            }
    schemas["StandardWebhooksHeaders"] = WEBHOOK_HEADERS
    stream = {
        name: {"$ref": f"#/components/messages/{name}"} for name in messages if not name.endswith(".webhook")
    }
    pushed = {
        name: {"$ref": f"#/components/messages/{name}"} for name in messages if name.endswith(".webhook")
    }
    return {
        "asyncapi": "3.0.0",
        "id": "urn:vn:gov:lamdong:phanthiet:ioc:events",
        "info": {
            "title": "Phan Thiết IOC: the city's events",
            "version": VERSION,
            "description": "Every event the city's rooms emit, for the province's monitoring center."
            " CloudEvents 1.0 (structured JSON); a versioned JSON Schema per type (dataschema),"
            " additive within a major version, a new major beside the old one until its deprecation"
            " date. No personal data: residents are never named, staff by role or duty account only."
            " The catalogue: GET /api/v1/integration/schemas.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": {
            "events": {
                "address": "events",
                "title": "The city's event stream",
                "description": "Kinesis stream 'events' (the outbox relay publishes every committed event);"
                " Kinesis partition key = the event's partitionkey, so one entity's events stay in order.",
                "messages": stream,
            },
            "webhookDeliveries": {
                "address": None,  # the subscriber's endpoint URL, registered with its subscription
                "title": "Push deliveries to a subscriber",
                "description": "HTTP POST of one CloudEvent to the subscription's endpoint, signed per"
                " Standard Webhooks; at least once, one delivery in flight per entity; 2xx means stored.",
                "messages": pushed,
            },
        },
        "operations": {
            "publishEvents": {
                "action": "send",
                "channel": {"$ref": "#/channels/events"},
                "summary": "The city publishes every committed event",
                "messages": [{"$ref": f"#/channels/events/messages/{n}"} for n in stream],
            },
            "deliverWebhooks": {
                "action": "send",
                "channel": {"$ref": "#/channels/webhookDeliveries"},
                "summary": "The city POSTs each subscribed event to the subscriber",
                "messages": [{"$ref": f"#/channels/webhookDeliveries/messages/{n}"} for n in pushed],
                "bindings": {"http": {"method": "POST", "bindingVersion": "0.3.0"}},
            },
        },
        "components": {"schemas": schemas, "messages": messages},
    }
