"""The OpenAPI 3.1 document of the mobile API, generated from its pydantic models.

The route table below is the single description of every operation; the blueprint's routes
are checked against it by a test (both ways), and the fuzz test sends what it describes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ioc_core.field_reporting.mobile import schemas
from ioc_core.shared.problems import PROBLEM_MEDIA_TYPE

PREFIX = "/api/v1"
JSON = "application/json"
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
- **404** unknown report or photo. **409** an `Idempotency-Key` reused with a different body.
- **413** a body over {MAX_BODY_BYTES // 1024} KB. **415** a body that is not `application/json`.
- **500** only for faults of the server; never for bad input.
"""

Method = Literal["GET", "POST"]


@dataclass(frozen=True)
class Reply:
    description: str
    model: type[BaseModel] | None = None
    media_type: str | None = JSON
    schema: Mapping[str, Any] | None = None
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: Method
    path: str  # under PREFIX, as the blueprint declares it
    operation_id: str
    summary: str
    tag: str
    replies: Mapping[int, Reply]
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)  # name → pattern
    idempotency_key: bool = False

    @property
    def full_path(self) -> str:
        return PREFIX + self.path


_LOCATION = "Location"
_REPLAYED = "Idempotent-Replayed"
HEADERS: Mapping[str, dict[str, Any]] = {
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
    404: ("NotFound", "No such resource"),
    409: ("Conflict", "The Idempotency-Key was used for a different request"),
    413: ("ContentTooLarge", f"The body is over {MAX_BODY_BYTES} bytes"),
    415: ("UnsupportedMediaType", "The body is not application/json"),
    500: ("InternalError", "A fault of the server"),
}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/uploads", "createUpload", "Ticket to upload one photo straight to storage",
        "reports", {201: Reply("A presigned POST", schemas.UploadTicket)},
        errors=(400, 413, 415), body=schemas.UploadRequest,
    ),
    Operation(
        "POST", "/reports", "submitReport", "Submit a report (safe to retry with Idempotency-Key)",
        "reports",
        {
            201: Reply("Created", schemas.TrackingView, headers=(_LOCATION,)),
            200: Reply("Replay of the report this key created", schemas.TrackingView,
                       headers=(_LOCATION, _REPLAYED)),
        },
        errors=(400, 409, 413, 415), body=schemas.ReportRequest, idempotency_key=True,
    ),
    Operation(
        "GET", "/reports/{report_id}", "getReport", "Track a report (public view)", "reports",
        {200: Reply("The report", schemas.TrackingView)},
        errors=(404,), path_params={"report_id": schemas.REPORT_ID_PATTERN},
    ),
    Operation(
        "GET", "/photos/{photo_id}", "getPhoto", "A report's photo", "reports",
        {302: Reply("Redirect to a short-lived download", media_type=None, headers=(_LOCATION,))},
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
