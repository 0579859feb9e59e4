"""The OpenAPI 3.1 document of the mobile API, generated from its pydantic models.

The route table below is the single description of every operation; the blueprint's routes
are checked against it by a test (both ways), and the fuzz test sends what it describes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ioc_core.field_reporting.mobile import schemas
from ioc_core.field_reporting.mobile.operations import (
    JSON,
    PREFIX,
    Access,
    Operation,
    R,
    Reply,
    roles,
)
from ioc_core.field_reporting.mobile.workflow_operations import AUTH_OPERATIONS, ETAG, WORKFLOW_OPERATIONS
from ioc_core.identity.principal import Role
from ioc_core.shared.problems import PROBLEM_MEDIA_TYPE

GEOJSON = "application/geo+json"
REF_TEMPLATE = "#/components/schemas/{model}"
MAX_BODY_BYTES = 64 * 1024

DESCRIPTION = f"""\
Phản ánh hiện trường (field reporting) for the Phan Thiết-S app and the IOC console.

**Errors** are RFC 9457 `{PROBLEM_MEDIA_TYPE}`: `type` (one URI per kind of error), `title` and
`detail` ("tiếng Việt / English"), `status`, and `errors`: every field at fault as
`{{field, message}}` (dotted paths: `contact.phone`, `attributes.severity`, `photos[0]`).

- **400** for any request the client must fix: malformed JSON, a JSON value that is not an
  object, wrong types (no coercion: `"10.9"` is not a number), unknown fields, an unknown or
  inactive `service_code` (400, not 404 or 422: one status for "fix your input"), a location
  outside the city's wards, text over its limit, a cited photo that is missing or not an image,
  a malformed `Idempotency-Key` or query parameter.
- **401** no token, or a token that is not valid (expired, wrong issuer or client, bad
  signature), on a route that needs one; **403** a role the route does not allow, or a report
  outside the caller's scope (a unit sees only its assignments, a resident only their own).
- **404** unknown report or photo. **409** an `Idempotency-Key` reused with a different body;
  on the workflow: a move the report's status does not allow, or a stale version (optimistic
  locking): the problem then also carries `current_version` and `allowed_actions`.
- **413** a body over {MAX_BODY_BYTES // 1024} KB. **415** a body that is not `application/json`.
- **428** a workflow change without `If-Match: "<version>"` or `version` in its body.
- **500** only for faults of the server; never for bad input.

**Sign-in.** Send `Authorization: Bearer <access_token>`. In AWS the tokens come from the
Cognito user pool (residents: phone number and a one-time code; staff: username, password and
MFA); locally from the development identity provider under `/api/v1/auth` (same claims:
`sub`, `cognito:groups` → role, `custom:unit` for unit staff, `phone_number` for residents).
Each operation lists its roles in `x-roles` (`anonymous` when no token is needed) and how
data is narrowed in `x-scope`. Roles: resident, operator, unit_staff, leader, admin,
provincial.
"""

# The route table's vocabulary lives in operations.py (workflow_operations.py uses it too).
__all__ = ["JSON", "OPERATIONS", "PREFIX", "Access", "Operation", "Reply", "document"]

_LOCATION = "Location"
_REPLAYED = "Idempotent-Replayed"
HEADERS: Mapping[str, dict[str, Any]] = {
    ETAG: {
        "description": "The report's version, quoted: send it back as If-Match",
        "required": True,
        "schema": {"type": "string"},
    },
    _LOCATION: {
        "description": "Where the resource lives",
        "required": True,
        "schema": {"type": "string"},
    },
    _REPLAYED: {
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
    428: ("PreconditionRequired", "Send If-Match or version"),
    413: ("ContentTooLarge", f"The body is over {MAX_BODY_BYTES} bytes"),
    415: ("UnsupportedMediaType", "The body is not application/json"),
    500: ("InternalError", "A fault of the server"),
}

_REPORTERS = roles(R.RESIDENT, R.OPERATOR, anonymous=True, scope="resident: the report is theirs")
_UPLOADERS = roles(R.RESIDENT, R.OPERATOR, R.UNIT_STAFF, anonymous=True)

MOBILE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/uploads", "createUpload", "Ticket to upload one photo straight to storage",
        "reports", {201: Reply("A presigned POST", schemas.UploadTicket)},
        errors=(400, 401, 403, 413, 415), body=schemas.UploadRequest, access=_UPLOADERS,
    ),
    Operation(
        "POST", "/reports", "submitReport", "Submit a report (safe to retry with Idempotency-Key)",
        "reports",
        {
            201: Reply("Created", schemas.TrackingView, headers=(_LOCATION,)),
            200: Reply("Replay of the report this key created", schemas.TrackingView,
                       headers=(_LOCATION, _REPLAYED)),
        },
        errors=(400, 401, 403, 409, 413, 415), body=schemas.ReportRequest, idempotency_key=True,
        access=_REPORTERS,
    ),
    Operation(
        "GET", "/reports/{report_id}", "getReport", "Track a report (public view)", "reports",
        {200: Reply("The report", schemas.TrackingView)},
        errors=(404,), path_params={"report_id": schemas.REPORT_ID_PATTERN},
    ),
    Operation(
        "GET", "/photos/{photo_id}", "getPhoto", "A report's photo", "reports",
        {302: Reply("Redirect to a short-lived download of a copy without location metadata",
                    media_type=None, headers=(_LOCATION,))},
        errors=(404,), path_params={"photo_id": schemas.PHOTO_ID_PATTERN},
    ),
    Operation(
        "GET", "/categories", "listCategories", "Categories and their questions", "catalogue",
        {200: Reply("Groups of active categories", schemas.CategoriesView)},
        errors=(400,), query=schemas.CategoriesQuery,
    ),
    Operation(
        "GET", "/wards", "listWards", "Wards in force today, with their predecessors", "wards",
        {200: Reply("Wards", schemas.WardsView)},
    ),
    Operation(
        "GET", "/wards/boundaries", "getWardBoundaries", "Ward boundaries (GeoJSON)", "wards",
        {200: Reply("A FeatureCollection", schemas.BoundaryCollection, media_type=GEOJSON)},
    ),
    Operation(
        "GET", "/stats/field-reporting", "getFieldReportingStats",
        "Published figures, for the city, a ward or a category", "stats",
        {200: Reply("Figures", schemas.StatsView)},
        errors=(400,), query=schemas.StatsQuery,
    ),
    Operation(
        "GET", "/openapi.json", "getOpenApi", "This document", "meta",
        {200: Reply("OpenAPI 3.1", schema={"type": "object"})},
    ),
)  # fmt: skip

OPERATIONS: tuple[Operation, ...] = (*MOBILE_OPERATIONS, *AUTH_OPERATIONS, *WORKFLOW_OPERATIONS)
_BY_ROUTE: Mapping[tuple[str, str], Operation] = {(op.method, op.full_path): op for op in OPERATIONS}


def operation_for(method: str, full_path: str) -> Operation | None:
    """The row of the route table for a route as the API declares it (``/api/v1/me``)."""
    return _BY_ROUTE.get((method.upper(), full_path))


def allowed_operations(role_names: frozenset[Role]) -> list[str]:
    return [op.operation_id for op in OPERATIONS if op.access.roles & role_names]


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    found: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(schemas.Problem, "serialization"): None}
    for op in OPERATIONS:
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
                "schema": {"type": "string", "pattern": schemas.IDEMPOTENCY_KEY_PATTERN},
            }
        )
    return params


def _access(access: Access) -> dict[str, Any]:
    names = [r.value for r in Role if r in access.roles]
    spec: dict[str, Any] = {"x-roles": (["anonymous"] if access.anonymous else []) + names}
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


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    refs, definitions = models_json_schema(_models(), ref_template=REF_TEMPLATE)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.full_path, {})[op.method.lower()] = _operation(op, refs)
    problem_ref = refs[(schemas.Problem, "serialization")]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Phan Thiết IOC: field reporting (mobile API)",
            "version": "1.0.0",
            "description": DESCRIPTION,
        },
        "tags": [{"name": name} for name in dict.fromkeys(op.tag for op in OPERATIONS)],
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


def document() -> dict[str, Any]:
    """A fresh copy: callers may change theirs."""
    return copy.deepcopy(_document())
