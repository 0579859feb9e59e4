"""Administration (routing, API keys, users), duplicate suggestions at intake and the
detailed statistics for the console's charts, under /api/v1."""

from __future__ import annotations

import re

from chalice import Blueprint, Response

from chalicelib import access
from chalicelib.workflow import view
from ioc_core.admin_units.registry import default_registry, today_in_vietnam
from ioc_core.field_reporting.api_v1 import workflow_presenter as present
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.field_reporting.models import Text
from ioc_core.field_reporting.routing import InvalidRules
from ioc_core.field_reporting.stats import (
    CITY_ROW,
    PK,
    detailed_figures,
    last_months,
    month_figures,
    month_row,
    scope_row,
)
from ioc_core.field_reporting.wiring import api_keys, router, stats_projection, workflow_service
from ioc_core.platform.api import http
from ioc_core.platform.api_keys import ApiKeyInfo, hash_key
from ioc_core.shared.clock import iso
from ioc_core.shared.errors import FieldProblem, NotFound, ValidationFailed

KEY_ID = r"[0-9a-f]{64}"

bp = Blueprint(__name__)


def _routing() -> w.RoutingView:
    table = router()
    rules = [
        w.RoutingRuleView(service_code=r.service_code, ward_code=r.ward_code, unit=r.unit, source=r.source)  # type: ignore[arg-type]
        for r in table.rules()
    ]
    return w.RoutingView(version=table.version, rules=rules)


@bp.route("/admin/routing", methods=["GET"])
@http.problem_json
def get_routing() -> Response:
    return http.reply(_routing())


@bp.route("/admin/routing", methods=["PUT"], content_types=http.ANY_BODY)
@http.problem_json
def put_routing() -> Response:
    body = http.body(w.RoutingUpdate)
    rules = [rule.model_dump() for rule in body.rules]
    try:
        router().replace_admin_rules(rules)
    except InvalidRules as error:
        raise ValidationFailed(
            "Quy tắc định tuyến không hợp lệ / Invalid routing rules.",
            problems=[FieldProblem(field, message) for field, message in error.problems],
        ) from error
    return http.reply(_routing())


@bp.route("/admin/api-keys", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def create_api_key() -> Response:
    body = http.body(w.ApiKeyRequest)
    raw = api_keys().create(body.name, by=access.principal().username)
    return http.reply(w.ApiKeyCreated(name=body.name.strip(), api_key=raw, key_id=hash_key(raw)), 201)


def _key_view(key: ApiKeyInfo) -> w.ApiKeyView:
    return w.ApiKeyView(
        key_id=key.key_id, name=key.name, hint=key.hint, created_datetime=iso(key.created_at),
        created_by=key.created_by, active=key.active,
        revoked_datetime=iso(key.revoked_at) if key.revoked_at else None, revoked_by=key.revoked_by,
    )  # fmt: skip


@bp.route("/admin/api-keys", methods=["GET"])
@http.problem_json
def list_api_keys() -> Response:
    return http.reply(w.ApiKeyList(items=[_key_view(k) for k in api_keys().list()]))


@bp.route("/admin/api-keys/{key_id}/revoke", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def revoke_api_key(key_id: str) -> Response:
    who = access.principal()
    found = api_keys().revoke(key_id, by=who.username or who.sub) if re.fullmatch(KEY_ID, key_id) else None
    if found is None:
        raise NotFound(f"Không có khoá API này / No API key '{key_id[:64]}'.")
    return http.reply(_key_view(found))


@bp.route("/nearby-reports", methods=["GET"])
@http.problem_json
def list_nearby_reports() -> Response:
    query = http.query(w.NearbyQuery)
    service, found = workflow_service().nearby(query.service_code, query.lat, query.long)
    rule = service.duplicate
    return http.reply(present.nearby_view(found, rule.radius_m, rule.window_hours, view(personal=False)))


def _rows(by: str) -> list[tuple[str, str, Text]]:
    """(code, counter row, name) of every ward, unit or category (or the city)."""
    if by == "city":
        return [("all", CITY_ROW, Text(vi="Toàn thành phố", en="Whole city"))]
    if by == "ward":
        units = default_registry().active_on(today_in_vietnam())
        return [(u.code, scope_row("ward", u.code), Text(vi=u.name.vi, en=u.name.en)) for u in units]
    if by == "unit":
        return [(code, scope_row("unit", code), u.unit.name) for code, u in router().units.items()]
    services = workflow_service().catalogue.services
    return [(s.service_code, scope_row("service", s.service_code), s.name) for s in services]


@bp.route("/stats/field-reporting/breakdown", methods=["GET"])
@http.problem_json
def stats_breakdown() -> Response:
    query = http.query(w.BreakdownQuery)
    rows = _rows(query.by)
    counters = stats_projection().read_many(PK, [row for _, row, _ in rows])
    return http.reply(
        w.BreakdownView(
            by=query.by,
            rows=[
                w.BreakdownRow(
                    code=code,
                    name=present.m.Names(vi=name.vi, en=name.en),
                    figures=w.DetailedFigures.model_validate(detailed_figures(counters[row])),
                )
                for code, row, name in rows
            ],
        )
    )


@bp.route("/stats/field-reporting/monthly", methods=["GET"])
@http.problem_json
def stats_monthly() -> Response:
    query = http.query(w.MonthlyQuery)
    chosen = [
        (k, v) for k, v in (("ward", query.ward), ("unit", query.unit), ("service", query.category)) if v
    ]
    if len(chosen) > 1:
        raise ValidationFailed(
            "Chọn một phạm vi / Ask for one scope: a ward, a unit or a category.",
            problems=[
                FieldProblem(chosen[1][0] if chosen[1][0] != "service" else "category", "one scope at a time")
            ],
        )
    kind, code = chosen[0] if chosen else (None, None)
    rows = {m: month_row(m, kind, code) for m in last_months(query.months, today_in_vietnam())}
    counters = stats_projection().read_many(PK, list(rows.values()))
    return http.reply(
        w.MonthlyView(
            scope=f"{kind}:{code}" if kind else "city",
            months=[
                w.MonthFigures.model_validate(month_figures(m, counters[row])) for m, row in rows.items()
            ],
        )
    )
