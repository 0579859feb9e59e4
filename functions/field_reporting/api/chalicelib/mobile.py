"""Mobile JSON API (Phan Thiết-S app, IOC console) under /api/v1.

Each route parses with the wire models, calls the intake service once and renders with the
presenter (ioc_core.field_reporting.api_v1). Every error leaves through ``http.problem_json``
as RFC 9457 problem+json; the OpenAPI document (GET /api/v1/openapi.json) describes it all.
"""

from __future__ import annotations

import json
import re

from chalice import Blueprint, Response
from pydantic import BaseModel

from chalicelib import photo_links
from chalicelib.access import principal
from ioc_core.admin_units.registry import default_registry, today_in_vietnam
from ioc_core.field_reporting.api_v1 import openapi, presenter, schemas
from ioc_core.field_reporting.models import Report, ServiceDefinition
from ioc_core.field_reporting.service import SubmitResult
from ioc_core.field_reporting.stats import PK, figures
from ioc_core.field_reporting.wiring import intake_service, stats_projection
from ioc_core.identity.principal import Principal
from ioc_core.platform.api import http
from ioc_core.platform.api.openapi import IDEMPOTENCY_KEY_PATTERN
from ioc_core.shared.errors import FieldProblem, NotFound, ValidationFailed

bp = Blueprint(__name__)

# Chalice answers a content type missing from this list with its own 415 body; "*/*" lets
# every request through, so the handler itself answers 415 as problem+json.
BODY_CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "application/xml",
    "*/*",
]
# Keys of this channel never meet another channel's.
IDEMPOTENCY_NAMESPACE = "mobile:"


def _idempotency_key() -> str | None:
    raw = http.current_request().headers.get("idempotency-key")
    if raw is None:
        return None
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, raw):
        raise ValidationFailed(
            "Idempotency-Key không hợp lệ / The Idempotency-Key header is malformed.",
            problems=[FieldProblem("Idempotency-Key", "1–128 printable ASCII characters")],
        )
    return IDEMPOTENCY_NAMESPACE + raw


# -- reports ----------------------------------------------------------------------------------


@bp.route("/uploads", methods=["POST"], content_types=BODY_CONTENT_TYPES)
@http.problem_json
def create_upload() -> Response:
    request = http.body(schemas.UploadRequest)
    ticket = intake_service().presign_photo(request.content_type)
    return http.reply(presenter.upload_ticket(ticket), 201)


@bp.route("/reports", methods=["POST"], content_types=BODY_CONTENT_TYPES)
@http.problem_json
def submit_report() -> Response:
    body = http.json_object()
    key = _idempotency_key()
    request = http.parse(schemas.ReportRequest, body)
    result = _submit(request, key)
    headers = {"Location": f"{openapi.PREFIX}/reports/{result.report.report_id}"}
    if not result.created:
        headers["Idempotent-Replayed"] = "true"
    view = _tracking(result.report, result.service, submitted=True)
    return http.reply(view, 201 if result.created else 200, headers)


def _submit(request: schemas.ReportRequest, key: str | None) -> SubmitResult:
    """The service speaks in its own field names; the client reads this API's."""
    try:
        return intake_service().submit(request.to_draft(), key, by=_caller())
    except NotFound as error:  # submit's only NotFound: an unknown or inactive category
        raise ValidationFailed(
            "Lĩnh vực không tồn tại / Unknown category: GET /api/v1/categories lists them.",
            problems=[FieldProblem("service_code", f"unknown category '{request.service_code}'")],
        ) from error
    except ValidationFailed as error:
        error.problems = [FieldProblem(presenter.field_name(p.field), p.message) for p in error.problems]
        raise


@bp.route("/reports", methods=["GET"])
@http.problem_json
def list_public_reports() -> Response:
    query = http.query(schemas.PublicReportsQuery)
    intake = intake_service()
    if query.service and intake.catalogue.service(query.service) is None:
        raise ValidationFailed(
            "Lĩnh vực không tồn tại / Unknown category.",
            problems=[FieldProblem("service", "unknown category")],
        )
    page = intake.public_reports(query.days, query.limit, query.service, query.ward)
    registry = default_registry()
    items = [presenter.public_item(r, intake.catalogue.service(r.service_code), registry) for r in page.items]
    return http.reply(
        schemas.PublicReportsPage(
            items=items, total=page.total or len(items), days=query.days, limit=query.limit
        )
    )


@bp.route("/reports/{report_id}", methods=["GET"])
@http.problem_json
def get_report(report_id: str) -> Response:
    if not re.fullmatch(schemas.REPORT_ID_PATTERN, report_id):
        raise NotFound(f"No report '{report_id[:64]}'.")
    return http.reply(_tracking(intake_service().get(report_id)))


def _tracking(report: Report, service: ServiceDefinition | None = None, submitted: bool = False) -> BaseModel:
    intake = intake_service()
    service = service or intake.catalogue.service(report.service_code)

    def link(key: str) -> str:
        return photo_links.private(key) if submitted else photo_links.public(report.report_id, key)

    return presenter.tracking_view(report, service, default_registry(), link, submitted=submitted)


@bp.route("/photos/{photo_id}", methods=["GET"])
@http.problem_json
def get_photo(photo_id: str) -> Response:
    """A photo of a public report (``?report=``), or one the API gave a signed link to
    (``?access=``: staff, the resident who sent it). Only images leave through here, as a
    copy without location metadata (EXIF/XMP stripped)."""
    query = http.query(schemas.PhotoQuery)
    url = None
    if re.fullmatch(schemas.PHOTO_ID_PATTERN, photo_id):
        intake = intake_service()
        if query.access is not None:
            photo_links.check(photo_id, query.access)
            url = intake.photo_copy(photo_id)
        elif query.report is not None:
            url = intake.public_photo(photo_id, query.report)
    if url is None:
        raise NotFound(f"No photo '{photo_id[:64]}'.")
    return Response(body="", status_code=302, headers={"Location": url})


def _caller() -> Principal | None:
    who = principal()
    return who if who.authenticated else None


# -- catalogue, wards, statistics, this document ----------------------------------------------


@bp.route("/categories", methods=["GET"])
@http.problem_json
def list_categories() -> Response:
    query = http.query(schemas.CategoriesQuery)
    return http.reply(presenter.categories_view(intake_service().catalogue, query.lang))


@bp.route("/wards", methods=["GET"])
@http.problem_json
def list_wards() -> Response:
    return http.reply(presenter.wards_view(default_registry(), today_in_vietnam()))


@bp.route("/wards/boundaries", methods=["GET"])
@http.problem_json
def ward_boundaries() -> Response:
    registry = default_registry()
    collection = presenter.boundaries_view(registry, registry.boundaries, today_in_vietnam())
    return http.reply(collection, media_type=openapi.GEOJSON)


@bp.route("/stats/field-reporting", methods=["GET"])
@http.problem_json
def field_reporting_stats() -> Response:
    query = http.query(schemas.StatsQuery)
    if query.ward and not _is_ward(query.ward):
        raise ValidationFailed(
            "Phường không tồn tại / Unknown ward.",
            problems=[FieldProblem("ward", "unknown ward code")],
        )
    if query.service and intake_service().catalogue.service(query.service) is None:
        raise ValidationFailed(
            "Lĩnh vực không tồn tại / Unknown category.",
            problems=[FieldProblem("service", "unknown category")],
        )
    return http.reply(presenter.stats_view(figures(stats_projection().read(PK, query.scope))))


def _is_ward(code: str) -> bool:
    try:
        default_registry().get(code)
    except KeyError:
        return False
    return True


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    body = json.dumps(openapi.document(), ensure_ascii=False)
    return Response(body=body, headers={"Content-Type": openapi.JSON})
