"""/api/v1/socio-economic routes: parse, call one service, render. The route table, its roles
and the request models are the contract (ioc_core.socio_economic.api_v1); the platform kit
checks the caller before a view runs and turns errors into RFC 9457 problem+json."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Response

from ioc_core.platform import exports
from ioc_core.platform.api import http
from ioc_core.platform.api.routes import JSON
from ioc_core.shared import errors
from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.socio_economic import api_v1, entry_template, importing, permissions, views
from ioc_core.socio_economic.catalogue import CITY
from ioc_core.socio_economic.models import series_key
from ioc_core.socio_economic.periods import Period
from ioc_core.socio_economic.service import NewValue
from ioc_core.socio_economic.targets import parse_range
from ioc_core.socio_economic.wiring import (
    breakdown_members,
    file_store,
    indicator_service,
    pack_service,
    read_service,
    ward_list,
)

bp = Blueprint(__name__)
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, default=str),
        status_code=status,
        headers={"Content-Type": JSON, **(headers or {})},
    )


def _reach(permission: str) -> Any:
    return http.principal().reach(permission)


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return _reply(api_v1.document())


@bp.route("/catalogue", methods=["GET"])
@http.problem_json
def catalogue() -> Response:
    service = indicator_service()
    cat = service.catalogue
    return _reply(
        {
            "version": cat.version,
            "groups": [g.model_dump() for g in cat.groups],
            "units": [u.model_dump() for u in cat.units],
            "sectors": [s.model_dump() for s in cat.sectors],
            "wards": ward_list(),
            "indicators": [
                i.model_dump(exclude={"demo"})
                | {"derived": i.derived, "owner": cat.unit_name(i.owner_unit).model_dump()}
                for i in cat.indicators
            ],
        }
    )


@bp.route("/dashboard", methods=["GET"])
@http.problem_json
def dashboard() -> Response:
    params = http.query_params()
    group = params.get("group") or None
    if group and group not in {g.code for g in indicator_service().catalogue.groups}:
        raise ValidationFailed(
            f"Không có nhóm {group!r} / No group {group!r}.",
            problems=[FieldProblem("group", "unknown group")],
        )
    return _reply(read_service().dashboard(params.get("period") or None, group))


@bp.route("/indicators/entry-template", methods=["GET"])
@http.problem_json
def entry_template_file() -> Response:
    query = http.query(api_v1.TemplateQuery)
    month = entry_template.month_of(query.period)
    reach = _reach(permissions.VALUES_ENTER)
    data, media_type = exports.render(
        entry_template.sheet(indicator_service().catalogue, month, reach), query.format
    )
    return http.attachment(data, media_type, entry_template.file_name(month, reach, query.format))


@bp.route("/indicators/{code}", methods=["GET"])
@http.problem_json
def indicator(code: str) -> Response:
    service = indicator_service()
    found = service.catalogue.get(code)
    params = http.query_params()
    breakdown = params.get("breakdown") or CITY
    reader = read_service()
    members = breakdown_members(found)
    figures = reader.figures([found.code], breakdowns=[CITY, breakdown, *(key for key, _ in members)])
    month = Period.parse(params["period"]) if params.get("period") else reader.latest_month(figures)
    history = service.values.history(series_key(found.code, breakdown)) if not found.derived else []
    return _reply(
        views.indicator_page(figures, found, history, Period.month(month.year, month.last), members)
    )


@bp.route("/values", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def enter_value() -> Response:
    new = http.body(NewValue)
    done = indicator_service().submit(new, http.actor(), _reach(permissions.VALUES_ENTER))
    return _reply(views.series_doc(done.value), 201 if done.changed else 200, {"Cache-Control": "no-store"})


@bp.route("/values/import", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def import_values() -> Response:
    request = http.current_request()
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in (importing.CSV, importing.XLSX):
        raise errors.UnsupportedMediaType(
            f"Gửi tệp CSV (text/csv) hoặc XLSX / Send a CSV (text/csv) or XLSX file, "
            f"not {media_type or 'nothing'!r}."
        )
    raw = request.raw_body
    data = raw.encode("utf-8") if isinstance(raw, str) else (raw or b"")
    if len(data) > MAX_IMPORT_BYTES:
        raise errors.PayloadTooLarge("Tệp tối đa 5 MB / The file may have at most 5 MB.")
    parsed = importing.parse_rows(data, media_type)
    done = indicator_service().submit_many(
        parsed.rows, http.actor(), _reach(permissions.VALUES_ENTER), parsed.errors
    )
    changed = sum(1 for d in done if d.changed)
    return _reply(
        {
            "rows": len(done),
            "changed": changed,
            "unchanged": len(done) - changed,
            "skipped": len(parsed.skipped),
            "skipped_rows": parsed.skipped,
        }
    )


@bp.route("/approvals", methods=["GET"])
@http.problem_json
def approvals() -> Response:
    service = indicator_service()
    items = []
    for value in service.queue(http.actor(), _reach(permissions.VALUES_APPROVE)):
        found = service.catalogue.get(value.indicator)
        items.append(
            views.series_doc(value)
            | {
                "name": found.name.model_dump(),
                "unit": found.unit.model_dump(),
                "approved_value": value.value,
            }
        )
    return _reply({"items": items}, headers={"Cache-Control": "no-store"})


@bp.route("/values/{indicator}/{period}/approve", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def approve(indicator: str, period: str) -> Response:
    sent = http.body(api_v1.Approval)
    done = indicator_service().approve(
        indicator, period, http.actor(), _reach(permissions.VALUES_APPROVE), breakdown=sent.breakdown,
        comment=sent.comment, expected_version=sent.version,
    )  # fmt: skip
    return _reply(views.series_doc(done))


@bp.route("/values/{indicator}/{period}/reject", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reject(indicator: str, period: str) -> Response:
    sent = http.body(api_v1.Rejection)
    done = indicator_service().reject(
        indicator,
        period,
        http.actor(),
        _reach(permissions.VALUES_APPROVE),
        sent.reason,
        breakdown=sent.breakdown,
    )
    return _reply(views.series_doc(done))


@bp.route("/targets/{indicator}/{period}", methods=["PUT"], content_types=http.ANY_BODY)
@http.problem_json
def set_target(indicator: str, period: str) -> Response:
    sent = http.body(api_v1.TargetChange)
    parsed = parse_range(sent.text)
    target = indicator_service().set_target(
        indicator, period, sent.text, parsed.low, parsed.high, http.actor(), sent.resolution
    )
    return _reply(target.model_dump(mode="json", exclude={"set_by"}))


def _pack(pack: Any) -> dict[str, Any]:
    doc = pack.model_dump(mode="json", exclude={"requested_by", "files"})
    store = file_store()
    doc["files"] = (
        {kind: store.url(key) for kind, key in pack.files.items()} if pack.status == "ready" else {}
    )
    return doc


@bp.route("/packs", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def request_pack() -> Response:
    sent = http.body(api_v1.PackRequest)
    pack = pack_service().request(sent.period, sent.cutoff, http.actor())
    return _reply(_pack(pack), 202 if pack.status != "ready" else 200)


@bp.route("/packs", methods=["GET"])
@http.problem_json
def list_packs() -> Response:
    return _reply({"items": [_pack(p) for p in pack_service().recent()]})


@bp.route("/packs/{pack_id}", methods=["GET"])
@http.problem_json
def get_pack(pack_id: str) -> Response:
    return _reply(_pack(pack_service().get(pack_id)), headers={"Cache-Control": "no-store"})
