"""An OpenAPI 3.1 document generated from a route table: every operation with its roles
(``x-roles``), scope (``x-scope``), parameters, bodies, replies and problem+json errors.

Each API builds its own (``build``) from its ``RouteTable``; a test per API checks the app's
routes against its table both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ioc_core.platform.api.routes import JSON, Access, Operation, RouteTable
from ioc_core.platform.api.wire import Problem
from ioc_core.shared.problems import PROBLEM_MEDIA_TYPE

REF_TEMPLATE = "#/components/schemas/{model}"
MAX_BODY_BYTES = 64 * 1024
ETAG = "ETag"
LOCATION = "Location"
REPLAYED = "Idempotent-Replayed"
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]([ -~]{0,126}[!-~])?$"

HEADERS: Mapping[str, dict[str, Any]] = {
    ETAG: {
        "description": "The resource's version, quoted: send it back as If-Match",
        "required": True,
        "schema": {"type": "string"},
    },
    LOCATION: {
        "description": "Where the resource lives",
        "required": True,
        "schema": {"type": "string"},
    },
    REPLAYED: {
        "description": "The stored answer to an earlier request with this key",
        "required": True,
        "schema": {"type": "string", "enum": ["true"]},
    },
}
ERRORS: Mapping[int, tuple[str, str]] = {
    400: ("BadRequest", "The request is malformed or has invalid fields"),
    401: ("Unauthenticated", "No valid bearer token"),
    403: ("Forbidden", "The caller's role or scope does not allow this"),
    404: ("NotFound", "No such resource"),
    409: (
        "Conflict",
        "A conflict: an Idempotency-Key used for a different request, a move the status does not"
        " allow, or a stale version",
    ),
    422: ("Unprocessable", "Well-formed, but what it names cannot be used (the field says which)"),
    428: ("PreconditionRequired", "Send If-Match or version"),
    413: ("ContentTooLarge", f"The body is over {MAX_BODY_BYTES} bytes"),
    415: ("UnsupportedMediaType", "The body is not application/json"),
    429: ("TooManyRequests", "Too many attempts: wait the seconds Retry-After says"),
    500: ("InternalError", "A fault of the server"),
}


def _models(operations: tuple[Operation, ...]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    found: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(Problem, "serialization"): None}
    for op in operations:
        if op.body:
            found[(op.body, "validation")] = None
        for reply in op.replies.values():
            if reply.model:
                found[(reply.model, "serialization")] = None
    return list(found)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter is absent, never null: drop pydantic's null branch."""
    branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    if "anyOf" not in schema or len(branches) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    return {**branches[0], **rest}


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": pattern},
        }
        for name, pattern in op.path_params.items()
    ]
    if op.query:
        query = op.query.model_json_schema(ref_template=REF_TEMPLATE)
        required = set(query.get("required", []))
        for name, schema in query["properties"].items():
            clean = _without_null({k: v for k, v in schema.items() if k != "title"})
            params.append({"name": name, "in": "query", "required": name in required, "schema": clean})
    if op.if_match:
        params.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": 'The version the change is based on, as the ETag gave it ("3"); or send'
                " version in the body",
                "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
            }
        )
    if op.idempotency_key:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A retry with the same key and body returns the first answer",
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
            }
        )
    return params


def _access(access: Access) -> dict[str, Any]:
    from ioc_core.platform.access import policy

    rules = policy()
    if access.device:
        names: list[str] = []
    elif access.permission is None:
        names = list(rules.roles)
    else:
        names = rules.holders(access.permission)
    spec: dict[str, Any] = {"x-roles": (["anonymous"] if access.anonymous else []) + names}
    if access.permission:
        spec["x-permission"] = access.permission
    if access.scope:
        spec["x-scope"] = access.scope
    spec["security"] = [{}, {"bearer": []}] if access.anonymous else [{"bearer": []}]
    return spec


def _operation(op: Operation, refs: Mapping[Any, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, reply in sorted(op.replies.items()):
        entry: dict[str, Any] = {"description": reply.description}
        if reply.headers:
            entry["headers"] = {name: HEADERS[name] for name in reply.headers}
        if reply.media_type:
            schema = refs[(reply.model, "serialization")] if reply.model else dict(reply.schema or {})
            entry["content"] = {reply.media_type: {"schema": schema}}
        responses[str(status)] = entry
    for status in (*op.errors, 500):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    spec: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op),
        "responses": responses,
        **_access(op.access),
    }
    if op.body:
        spec["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": refs[(op.body, "validation")]}},
        }
    return spec


def build(table: RouteTable, title: str, description: str, version: str = "1.0.0") -> dict[str, Any]:
    """The document of one API's route table."""
    refs, definitions = models_json_schema(_models(table.operations), ref_template=REF_TEMPLATE)
    paths: dict[str, dict[str, Any]] = {}
    for op in table.operations:
        paths.setdefault(op.full_path, {})[op.method.lower()] = _operation(op, refs)
    problem_ref = refs[(Problem, "serialization")]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": description,
        },
        "tags": [{"name": name} for name in dict.fromkeys(op.tag for op in table.operations)],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT (Cognito ID or access token; locally from /api/v1/auth)",
                }
            },
            "schemas": definitions.get("$defs", {}),
            "responses": {
                name: {
                    "description": text,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}},
                }
                for name, text in ERRORS.values()
            },
        },
    }
