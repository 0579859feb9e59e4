"""Mobile JSON API (Phan Thiết-S app, IOC console) under /api/v1.

Each route parses with the wire models, calls the intake service once and renders with the
presenter (ioc_core.field_reporting.mobile). Every error leaves through ``problem_json`` as
RFC 9457 problem+json; the OpenAPI document (GET /api/v1/openapi.json) describes it all.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.access import principal
from ioc_core.admin_units.registry import default_registry, today_in_vietnam
from ioc_core.field_reporting.mobile import openapi, presenter, schemas
from ioc_core.field_reporting.models import Report, ServiceDefinition
from ioc_core.field_reporting.service import SubmitResult
from ioc_core.field_reporting.stats import PK, figures
from ioc_core.field_reporting.wiring import intake_service, stats_projection
from ioc_core.identity.principal import Principal, Role
from ioc_core.shared import errors, problems
from ioc_core.shared.errors import DomainError, FieldProblem, NotFound, ValidationFailed

bp = Blueprint(__name__)
logger = Logger(service="ioc-field-reporting-api")

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

Model = TypeVar("Model", bound=BaseModel)


def problem_json(view: Callable[..., Response]) -> Callable[..., Response]:
    """The one place errors become responses: domain errors by their status, anything else
    is logged and becomes a 500 problem (bad input never gets that far)."""

    @functools.wraps(view)
    def handle(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return _problem(problems.from_domain_error(error))
        except Exception:
            request = bp.current_request
            logger.exception("unhandled error", extra={"method": request.method, "path": request.path})
            return _problem(problems.internal_error())

    return handle


def _problem(document: dict[str, Any]) -> Response:
    return Response(
        body=problems.to_json(document),
        status_code=document["status"],
        headers={"Content-Type": problems.PROBLEM_MEDIA_TYPE},
    )


def _reply(
    model: BaseModel,
    status: int = 200,
    headers: dict[str, str] | None = None,
    media_type: str = openapi.JSON,
) -> Response:
    return Response(
        body=model.model_dump_json(),
        status_code=status,
        headers={"Content-Type": media_type, **(headers or {})},
    )


# -- parsing ----------------------------------------------------------------------------------


def _json_object() -> dict[str, Any]:
    request = bp.current_request
    media_type = (request.headers.get("content-type") or openapi.JSON).split(";")[0].strip().lower()
    if media_type != openapi.JSON:
        sent = media_type or "an empty type"
        raise errors.UnsupportedMediaType(f"Hãy gửi application/json / Send application/json, not {sent!r}.")
    body = request.raw_body
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > openapi.MAX_BODY_BYTES:
        raise errors.PayloadTooLarge(
            f"Nội dung tối đa {openapi.MAX_BODY_BYTES // 1024} KB"
            f" / The body may have at most {openapi.MAX_BODY_BYTES} bytes."
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise errors.MalformedBody(
            "Nội dung không phải JSON hợp lệ / The body is not valid UTF-8 JSON.",
            problems=[FieldProblem("body", str(error)[:200])],
        ) from error
    if not isinstance(data, dict):
        raise errors.MalformedBody(
            "Nội dung phải là một đối tượng JSON / The body must be a JSON object.",
            problems=[FieldProblem("body", f"a JSON object, not {type(data).__name__}")],
        )
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _query() -> dict[str, str]:
    return dict(bp.current_request.query_params or {})


def _parse(model: type[Model], data: Any) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise problems.invalid_fields(error) from error


def _idempotency_key() -> str | None:
    raw = bp.current_request.headers.get("idempotency-key")
    if raw is None:
        return None
    if not re.fullmatch(schemas.IDEMPOTENCY_KEY_PATTERN, raw):
        raise ValidationFailed(
            "Idempotency-Key không hợp lệ / The Idempotency-Key header is malformed.",
            problems=[FieldProblem("Idempotency-Key", "1–128 printable ASCII characters")],
        )
    return IDEMPOTENCY_NAMESPACE + raw


# -- reports ----------------------------------------------------------------------------------


@bp.route("/uploads", methods=["POST"], content_types=BODY_CONTENT_TYPES)
@problem_json
def create_upload() -> Response:
    request = _parse(schemas.UploadRequest, _json_object())
    ticket = intake_service().presign_photo(request.content_type)
    return _reply(presenter.upload_ticket(ticket), 201)


@bp.route("/reports", methods=["POST"], content_types=BODY_CONTENT_TYPES)
@problem_json
def submit_report() -> Response:
    body = _json_object()
    key = _idempotency_key()
    request = _parse(schemas.ReportRequest, body)
    result = _submit(request, key)
    headers = {"Location": f"{openapi.PREFIX}/reports/{result.report.report_id}"}
    if not result.created:
        headers["Idempotent-Replayed"] = "true"
    return _reply(_tracking(result.report, result.service), 201 if result.created else 200, headers)


def _submit(request: schemas.ReportRequest, key: str | None) -> SubmitResult:
    """The service speaks in its own field names; the client reads this API's."""
    draft = request.to_draft()
    who = _caller()
    if who is not None and who.roles == frozenset({Role.RESIDENT}):
        # A signed-in resident's report is theirs: they follow, rate and withdraw it.
        reporter = draft.reporter.model_copy(
            update={"account_id": who.sub, "phone": draft.reporter.phone or who.phone}
        )
        draft = draft.model_copy(update={"reporter": reporter})
    try:
        return intake_service().submit(draft, key)
    except NotFound as error:  # submit's only NotFound: an unknown or inactive category
        raise ValidationFailed(
            "Lĩnh vực không tồn tại / Unknown category: GET /api/v1/categories lists them.",
            problems=[FieldProblem("service_code", f"unknown category '{request.service_code}'")],
        ) from error
    except ValidationFailed as error:
        error.problems = [FieldProblem(presenter.field_name(p.field), p.message) for p in error.problems]
        raise


@bp.route("/reports/{report_id}", methods=["GET"])
@problem_json
def get_report(report_id: str) -> Response:
    if not re.fullmatch(schemas.REPORT_ID_PATTERN, report_id):
        raise NotFound(f"No report '{report_id[:64]}'.")
    return _reply(_tracking(intake_service().get(report_id)))


def _tracking(report: Report, service: ServiceDefinition | None = None) -> BaseModel:
    intake = intake_service()
    service = service or intake.catalogue.service(report.service_code)
    return presenter.tracking_view(report, service, default_registry(), intake.photo_url)


@bp.route("/photos/{photo_id}", methods=["GET"])
@problem_json
def get_photo(photo_id: str) -> Response:
    # Only images leave through here, as a copy without location metadata (EXIF/XMP stripped).
    url = (
        intake_service().public_photo(photo_id) if re.fullmatch(schemas.PHOTO_ID_PATTERN, photo_id) else None
    )
    if url is None:
        raise NotFound(f"No photo '{photo_id[:64]}'.")
    return Response(body="", status_code=302, headers={"Location": url})


def _caller() -> Principal | None:
    who = principal()
    return who if who.authenticated else None


# -- catalogue, wards, statistics, this document ----------------------------------------------


@bp.route("/categories", methods=["GET"])
@problem_json
def list_categories() -> Response:
    query = _parse(schemas.CategoriesQuery, _query())
    return _reply(presenter.categories_view(intake_service().catalogue, query.lang))


@bp.route("/wards", methods=["GET"])
@problem_json
def list_wards() -> Response:
    return _reply(presenter.wards_view(default_registry(), today_in_vietnam()))


@bp.route("/wards/boundaries", methods=["GET"])
@problem_json
def ward_boundaries() -> Response:
    registry = default_registry()
    collection = presenter.boundaries_view(registry, registry.boundaries, today_in_vietnam())
    return _reply(collection, media_type=openapi.GEOJSON)


@bp.route("/stats/field-reporting", methods=["GET"])
@problem_json
def field_reporting_stats() -> Response:
    query = _parse(schemas.StatsQuery, _query())
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
    return _reply(presenter.stats_view(figures(stats_projection().read(PK, query.scope))))


def _is_ward(code: str) -> bool:
    try:
        default_registry().get(code)
    except KeyError:
        return False
    return True


@bp.route("/openapi.json", methods=["GET"])
@problem_json
def openapi_document() -> Response:
    body = json.dumps(openapi.document(), ensure_ascii=False)
    return Response(body=body, headers={"Content-Type": openapi.JSON})
