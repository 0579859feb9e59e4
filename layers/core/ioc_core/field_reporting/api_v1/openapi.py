"""Field Reporting's /api/v1 route table and its OpenAPI 3.1 document (the platform kit builds it).

The route table below is the single description of every operation; the blueprint's routes
are checked against it by a test (both ways), and the fuzz test sends what it describes.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from ioc_core.field_reporting import permissions as p
from ioc_core.field_reporting.api_v1 import saved_filters, schemas
from ioc_core.field_reporting.api_v1.workflow_operations import ME_OPERATIONS, WORKFLOW_OPERATIONS
from ioc_core.identity.principal import Principal
from ioc_core.platform.api import openapi
from ioc_core.platform.api.openapi import LOCATION, MAX_BODY_BYTES, REPLAYED
from ioc_core.platform.api.routes import JSON, PREFIX, Access, Operation, Reply, RouteTable, needs
from ioc_core.shared.problems import PROBLEM_MEDIA_TYPE

GEOJSON = "application/geo+json"

DESCRIPTION = f"""\
Phản ánh hiện trường (field reporting) for the Phan Thiết-S app and the IOC console.

**Errors** are RFC 9457 `{PROBLEM_MEDIA_TYPE}`: `type` (one URI per kind of error), `title` and
`detail` ("tiếng Việt / English"), `status`, and `errors`: every field at fault as
`{{field, message}}` (dotted paths: `contact.phone`, `attributes.severity`, `photos[0]`).

- **400** for any request the client must fix: malformed JSON, a JSON value that is not an
  object, wrong types (no coercion: `"10.9"` is not a number), unknown fields, an unknown or
  inactive `service_code` (400, not 404 or 422: one status for "fix your input"), a location
  outside the city's wards, text over its limit, a cited photo that is missing or not an image,
  a malformed `Idempotency-Key` or query parameter, a `cursor` this API did not issue for this
  list, these filters and this caller (cursors are opaque and signed: send `next_cursor` back
  unchanged; it expires after a day).
- **401** no token, or a token that is not valid (expired, wrong issuer or client, bad
  signature), on a route that needs one; **403** a role the route does not allow, or a report
  outside the caller's scope (a unit sees only its assignments, a resident only their own).
- **404** unknown report or photo. **409** an `Idempotency-Key` reused with a different body;
  on the workflow: a move the report's status does not allow, or a stale version (optimistic
  locking): the problem then also carries `current_version` and `allowed_actions`.
- **405** a method the route does not take: `Allow` lists the ones it does.
- **422** `assign-person` naming someone who is not an active staff member of the report's unit
  (`GET /workflow/units/{{unit}}/staff` lists them); `errors` names `username`.
- **413** a body over {MAX_BODY_BYTES // 1024} KB. **415** a body that is not `application/json`.
- **428** a workflow change without `If-Match: "<version>"` or `version` in its body.
- **500** only for faults of the server; never for bad input.

**Sign-in.** Send `Authorization: Bearer <access_token>`. In AWS the tokens come from the
Cognito user pool (residents: phone number and a one-time code; staff: username, password and
MFA); locally from the development identity provider under `/api/v1/auth` (same claims:
`sub`, `cognito:groups` → the roles held, `phone_number` for residents). A group names a role,
and a unit or ward role its scope: `unit_staff@CSCC`, `ward_leader@22945`. Each operation names
the permission it needs in `x-permission`, the roles holding it in `x-roles` (`anonymous` when
no token is needed) and how data is narrowed in `x-scope`; `GET /api/v1/auth/roles` lists every
role and permission.
"""

# The route table's vocabulary lives in operations.py (workflow_operations.py uses it too).
__all__ = ["JSON", "OPERATIONS", "PREFIX", "Access", "Operation", "Reply", "document"]

_REPORTERS = needs(p.REPORTS_SUBMIT, scope="resident: the report is theirs", anonymous=True)
_UPLOADERS = needs(p.PHOTOS_UPLOAD, anonymous=True)

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
            201: Reply("Created", schemas.TrackingView, headers=(LOCATION,)),
            200: Reply("Replay of the report this key created", schemas.TrackingView,
                       headers=(LOCATION, REPLAYED)),
        },
        errors=(400, 401, 403, 409, 413, 415), body=schemas.ReportRequest, idempotency_key=True,
        access=_REPORTERS,
    ),
    Operation(
        "GET", "/reports", "listPublicReports",
        "Recent reports for the public list and map (no personal data, text masked)", "reports",
        {200: Reply("Newest first, at most limit; total counts them all", schemas.PublicReportsPage)},
        errors=(400,), query=schemas.PublicReportsQuery,
    ),
    Operation(
        "GET", "/reports/{report_id}", "getReport", "Track a report (public view; any case of its id)",
        "reports",
        {200: Reply("The report", schemas.TrackingView)},
        errors=(404,), path_params={"report_id": schemas.REPORT_ID_PATTERN},
    ),
    Operation(
        "GET", "/photos/{photo_id}", "getPhoto",
        "A report's photo: public once the city has verified the report (the link names it),"
        " or through a link the API signed for staff and for the resident who sent it", "reports",
        {302: Reply("Redirect to a short-lived download of a copy without location metadata",
                    media_type=None, headers=(LOCATION,))},
        errors=(400, 404), path_params={"photo_id": schemas.PHOTO_ID_PATTERN}, query=schemas.PhotoQuery,
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

OPERATIONS: tuple[Operation, ...] = (
    *MOBILE_OPERATIONS, *ME_OPERATIONS, *saved_filters.OPERATIONS, *WORKFLOW_OPERATIONS,
)  # fmt: skip
TABLE = RouteTable(PREFIX, OPERATIONS)


def operation_for(method: str, full_path: str) -> Operation | None:
    """The row of the route table for a route as the API declares it (``/api/v1/me``)."""
    return TABLE.operation_for(method, full_path)


def allowed_operations(principal: Principal) -> list[str]:
    return TABLE.allowed_operations(principal)


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return openapi.build(TABLE, "Phan Thiết IOC: field reporting (/api/v1)", DESCRIPTION)


def document() -> dict[str, Any]:
    """A fresh copy: callers may change theirs."""
    return copy.deepcopy(_document())
