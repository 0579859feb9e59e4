"""Open311 GeoReport v2 blueprint (registered at ``/open311/v2``).

Thin handlers: read the path format, query and form, call the intake service, render with the
Open311 presenter. API Gateway cannot declare ``/requests/{id}.json``, so resources with an id
take the whole path part (``{id_fmt}``) and split the format off its last dot; list resources
are literal paths (``/requests.json``). Every error is an Open311 error list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime

from aws_lambda_powertools import Logger
from chalice import Blueprint, Response

from chalicelib import photo_links
from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.listing import MAX_PAGE_SIZE, Listing
from ioc_core.field_reporting.models import Report, ReportDraft, Reporter, ReportStatus
from ioc_core.field_reporting.open311 import (
    CONTENT_TYPES,
    FormError,
    OpenForm,
    UnsupportedFormat,
    parse_datetime,
    parse_form,
    presenter,
    render_errors,
    render_list,
    render_object,
    split_format,
    strip_html,
)
from ioc_core.field_reporting.service import IntakeService
from ioc_core.field_reporting.wiring import api_keys, intake_service
from ioc_core.platform.api import http
from ioc_core.settings import get_settings
from ioc_core.shared.errors import DomainError, Forbidden, NotFound, Problems, ValidationFailed

bp = Blueprint(__name__)
logger = Logger(service="ioc-field-reporting-api")

# Any request type reaches the handler, which answers an unusable one with an Open311 400
# instead of Chalice's own 415 body.
ANY_TYPE = ["*/*"]
FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", *ANY_TYPE]
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}\Z")
_STATUSES = {
    frozenset({state}): tuple(s for s in ReportStatus if s.open311 == state) for state in ("open", "closed")
}


# -- routes -----------------------------------------------------------------------------------


@bp.route("/discovery.json", content_types=ANY_TYPE)
@bp.route("/discovery.xml", content_types=ANY_TYPE)
def discovery() -> Response:
    """Also served at the site root (``app.py``), where clients look for it first."""
    return _literal(_discovery)


@bp.route("/services.json", content_types=ANY_TYPE)
@bp.route("/services.xml", content_types=ANY_TYPE)
def services() -> Response:
    return _literal(_services)


@bp.route("/services/{code_fmt}", content_types=ANY_TYPE)
@bp.route("/service/{code_fmt}", content_types=ANY_TYPE)  # the singular some clients use
def service_definition(code_fmt: str) -> Response:
    return _with_id(code_fmt, _definition)


@bp.route("/requests.json", methods=["POST"], content_types=FORM_TYPES)
@bp.route("/requests.xml", methods=["POST"], content_types=FORM_TYPES)
def post_request() -> Response:
    return _literal(_submit)


@bp.route("/requests.json", content_types=ANY_TYPE)
@bp.route("/requests.xml", content_types=ANY_TYPE)
def get_requests() -> Response:
    return _literal(_search)


@bp.route("/requests/{id_fmt}", content_types=ANY_TYPE)
def get_request(id_fmt: str) -> Response:
    return _with_id(id_fmt, _one)


@bp.route("/tokens/{token_fmt}", content_types=ANY_TYPE)
def get_token(token_fmt: str) -> Response:
    return _with_id(token_fmt, _token)


@bp.route("/{resource_fmt}", methods=["GET", "POST"], content_types=ANY_TYPE)
def unknown_resource(resource_fmt: str) -> Response:
    """``/services.csv``, ``/requests``, ``/x.json``: an Open311 404, not API Gateway's own."""
    return _with_id(resource_fmt, _unknown)


# -- plumbing ---------------------------------------------------------------------------------


def _literal(view: Callable[[str], Response]) -> Response:
    """A literal route (``/services.json``): the format is the extension of the route path."""
    fmt = http.current_request().path.rpartition(".")[2]
    return _guarded(fmt, lambda: view(fmt))


def _with_id(part: str, view: Callable[[str, str], Response]) -> Response:
    """A ``{param}`` route (``/requests/{id_fmt}``): the format is split off the last dot."""
    extension = part.rpartition(".")[2].lower()
    return _guarded(extension if extension in CONTENT_TYPES else "json", lambda: view(*split_format(part)))


def _guarded(fmt: str, produce: Callable[[], Response]) -> Response:
    """The one place where exceptions become Open311 error lists."""
    try:
        return produce()
    except UnsupportedFormat as error:
        return _errors(404, [("404", str(error))], "json")
    except FormError as error:
        return _errors(400, [("400", str(error))], fmt)
    except DomainError as error:
        return _errors(presenter.http_status(error), presenter.error_items(error), fmt)
    except Exception:
        logger.exception("Open311 request failed", path=http.current_request().path)
        text = presenter.bilingual("Lỗi hệ thống, hãy thử lại sau.", "Internal error, try later.")
        return _errors(500, [("500", text)], fmt)


def _reply(rendered: tuple[bytes, str], status: int = 200) -> Response:
    body, content_type = rendered
    # Lambda proxy responses carry text; the renderer's bytes are UTF-8.
    return Response(body.decode(), status_code=status, headers={"Content-Type": content_type})


def _errors(status: int, errors: list[tuple[str, str]], fmt: str) -> Response:
    return _reply(render_errors(errors, fmt), status)


def _query() -> OpenForm:
    """The query string as a form: NFC, trimmed, empty parameters dropped."""
    params = http.current_request().query_params or {}
    return OpenForm.from_pairs((k, v) for k in params for v in params.getlist(k))


def _lang(*forms: OpenForm) -> presenter.Lang:
    asked = next((f.get("lang") for f in forms if f.get("lang")), None)
    return presenter.language(asked, http.current_request().headers.get("accept-language"))


def _checked_query() -> OpenForm:
    query = _query()
    _check_jurisdiction(query)
    return query


def _check_jurisdiction(*forms: OpenForm) -> None:
    asked = next((f.get("jurisdiction_id") for f in forms if f.get("jurisdiction_id")), None)
    served = get_settings().jurisdiction_id
    if asked and asked.lower().removeprefix("www.") != served:
        raise NotFound(f"Unknown jurisdiction_id '{asked}'. This endpoint serves '{served}'.")


# -- views ------------------------------------------------------------------------------------


def _discovery(fmt: str) -> Response:
    settings = get_settings()
    changeset = intake_service().catalogue.version
    production = settings.stage in ("prod", "production")
    document = presenter.discovery(settings.public_base_url, changeset, production=production)
    return _reply(render_object("discovery", document, fmt))


def _unknown(stem: str, fmt: str) -> Response:
    raise NotFound(f"Unknown resource '{stem}.{fmt}'. Use discovery, services or requests.")


def _services(fmt: str) -> Response:
    query = _checked_query()
    lang, catalogue = _lang(query), intake_service().catalogue
    items = [presenter.service_item(s, catalogue, lang) for s in catalogue.active_services()]
    return _reply(render_list("services", "service", items, fmt))


def _definition(code: str, fmt: str) -> Response:
    query = _checked_query()
    service = intake_service().catalogue.service(code)
    if service is None or not service.active:
        raise NotFound(f"Unknown service_code '{code}'. GET services.json lists them.")
    document = presenter.service_definition(service, _lang(query))
    return _reply(render_object("service_definition", document, fmt))


def _submit(fmt: str) -> Response:
    request = http.current_request()
    query = _query()
    form = parse_form(request.raw_body, request.headers.get("content-type"))
    key = form.get("api_key") or query.get("api_key")
    if not key or not api_keys().is_valid(key):
        raise Forbidden("A valid api_key is required to submit a service request.")
    _check_jurisdiction(form, query)
    idempotency_key = _idempotency_key(request.headers.get("idempotency-key"))
    service = intake_service()
    draft = _draft(form)
    # Files are stored once the form itself is known to be sound; they win over media_url.
    photo_keys = [service.store_media(upload.data) for upload in form.media]
    result = service.submit(draft.model_copy(update={"photo_keys": photo_keys}), idempotency_key)
    item = presenter.submitted_item(result.report, result.service, _lang(form, query))
    return _reply(render_list("service_requests", "request", [item], fmt), 201 if result.created else 200)


def _search(fmt: str) -> Response:
    query = _checked_query()
    view = _view(query)
    reports = _find(query, intake_service())
    items = [presenter.request_item(report, view) for report in reports]
    return _reply(render_list("service_requests", "request", items, fmt))


def _one(report_id: str, fmt: str) -> Response:
    query = _checked_query()
    view = _view(query)
    if not _ID.match(report_id):
        raise NotFound(f"No report '{report_id}'.")
    report = intake_service().get(report_id)
    return _reply(render_list("service_requests", "request", [presenter.request_item(report, view)], fmt))


def _token(token: str, fmt: str) -> Response:
    _checked_query()
    if not _ID.match(token):
        raise NotFound(f"No request for token '{token}'.")
    report = intake_service().by_token(token)
    return _reply(render_list("service_requests", "request", [presenter.token_item(report)], fmt))


# -- parameters -------------------------------------------------------------------------------


def _draft(form: OpenForm) -> ReportDraft:
    problems = Problems()
    code = form.get("service_code")
    if not code:
        problems.add("service_code", "is required")
    lat, lon = _coordinate(form, "lat", problems), _coordinate(form, "long", problems)
    media_url = form.get("media_url")
    if media_url and (not media_url.startswith(("https://", "http://")) or len(media_url) > 2048):
        problems.add("media_url", "not an http(s) URL")
    problems.raise_if_any()
    # Open311 names the reporter's fields as our Reporter does.
    reporter = Reporter.model_validate({name: form.get(name) for name in Reporter.model_fields})
    return ReportDraft(
        service_code=code or "",
        lat=lat,
        lon=lon,
        # An address_id is ours to resolve; we have no address register, so it is kept as text.
        address=form.get("address_string") or form.get("address_id"),
        description=strip_html(form.get("description") or "") or None,
        attributes=form.attributes,
        media_url=media_url,
        reporter=reporter,
        channel="open311",
    )


def _coordinate(form: OpenForm, name: str, problems: Problems) -> float | None:
    raw = form.get(name)
    try:
        value = None if raw is None else float(raw)
    except ValueError:
        value = math.nan
    if value is not None and not math.isfinite(value):
        problems.add(name, f"'{raw}' is not a number")
        return None
    return value


def _idempotency_key(raw: str | None) -> str | None:
    key = (raw or "").strip()
    if key and not _IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed("Idempotency-Key is 1 to 255 printable ASCII characters.")
    return key or None


def _view(query: OpenForm) -> presenter.RequestView:
    problems = Problems()
    extensions = _flag(query, "extensions", problems)
    problems.raise_if_any()
    lang = _lang(query)
    registry = default_registry()

    def ward_name(code: str) -> str | None:
        try:
            return str(getattr(registry.get(code).name, lang))
        except KeyError:
            return None

    service = intake_service()
    return presenter.RequestView(service.catalogue, lang, photo_links.public, ward_name, extensions)


def _find(query: OpenForm, service: IntakeService) -> list[Report]:
    """GET /requests: the wire's parameters → the service's listing (its rules are there)."""
    problems = Problems()
    page = _positive(query, "page", 1, problems)
    size = _positive(query, "page_size", MAX_PAGE_SIZE, problems)
    ids_param = query.get("service_request_id")
    if ids_param is not None:
        problems.raise_if_any()
        ids = tuple(i for i in _split(ids_param) if _ID.match(i))
        return service.listing(Listing(ids=ids, page=page, size=size))
    start, end = _date(query, "start_date", problems), _date(query, "end_date", problems)
    statuses = _statuses(query, problems)
    problems.raise_if_any()
    codes = tuple(_split(query.get("service_code")))
    return service.listing(
        Listing(start=start, end=end, statuses=statuses, service_codes=codes, page=page, size=size)
    )


def _date(query: OpenForm, name: str, problems: Problems) -> datetime | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return parse_datetime(raw)
    except FormError:
        problems.add(name, f"'{raw}' is not an ISO 8601 date-time")
        return None


def _statuses(query: OpenForm, problems: Problems) -> tuple[ReportStatus, ...]:
    wanted = {s.lower() for s in _split(query.get("status"))}
    if wanted - {"open", "closed"}:
        problems.add("status", f"'{query.get('status')}' is not open, closed or open,closed")
    return _STATUSES.get(frozenset(wanted), ())  # both, or none: no filter


def _positive(query: OpenForm, name: str, default: int, problems: Problems) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1):
        problems.add(name, f"'{raw}' is not a whole number from 1")
        return default
    return int(raw)


def _flag(query: OpenForm, name: str, problems: Problems) -> bool:
    raw = (query.get(name) or "false").lower()
    if raw not in ("true", "false", "1", "0"):
        problems.add(name, f"'{query.get(name)}' is not true or false")
    return raw in ("true", "1")


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]
