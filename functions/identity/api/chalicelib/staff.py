"""Roles and the staff directory under /api/v1/auth: the catalogue every signed-in console
reads (to name roles and offer pages), and the administrator's grants."""

from __future__ import annotations

import unicodedata

from chalice import Blueprint, Response

from ioc_core.identity import schemas
from ioc_core.identity.phones import staff_phone
from ioc_core.identity.staff import CreatedStaff, NewStaff, StaffAccount, known_scopes
from ioc_core.identity.wiring import dev_idp, staff_administration
from ioc_core.platform.access import Grant, policy
from ioc_core.platform.api import http
from ioc_core.platform.rooms import Label

bp = Blueprint(__name__)


def _names(label: Label) -> schemas.Names:
    return schemas.Names(vi=label.vi, en=label.en)


def _staff(account: StaffAccount) -> schemas.StaffView:
    grants = [schemas.GrantView(role=g.role, scope=g.scope) for g in sorted(account.grants)]
    return schemas.StaffView(
        username=account.username,
        name=account.name,
        grants=grants,
        enabled=account.enabled,
        must_change_password=account.must_change_password,
    )


@bp.route("/roles", methods=["GET"])
@http.problem_json
def list_roles() -> Response:
    rules, known = policy(), known_scopes()
    held = {name: [p.name for p in rules.permissions.values() if name in p.roles] for name in rules.roles}
    return http.reply(
        schemas.RoleCatalogue(
            roles=[
                schemas.RoleView(
                    name=r.name, title=_names(r.title), scope=r.scope, pool=r.pool, permissions=held[r.name]
                )
                for r in rules.roles.values()
            ],
            permissions=[
                schemas.PermissionView(name=p.name, room=p.room, title=_names(p.title))
                for p in rules.permissions.values()
            ],
            units=[schemas.ScopeView(code=c, name=_names(n)) for c, n in sorted(known.units.items())],
            wards=[schemas.ScopeView(code=c, name=_names(n)) for c, n in sorted(known.wards.items())],
        ),
        headers={"Cache-Control": "private, max-age=300"},
    )


@bp.route("/staff", methods=["GET"])
@http.problem_json
def list_staff() -> Response:
    users = [_staff(a) for a in staff_administration().accounts()]
    return http.reply(schemas.StaffList(source="dev-idp" if dev_idp() else "cognito", users=users))


@bp.route("/staff/{username}/grants", methods=["PUT"], content_types=http.ANY_BODY)
@http.problem_json
def put_staff_grants(username: str) -> Response:
    body = http.body(schemas.GrantsUpdate)
    who, _ = http.signed_in()
    grants = [Grant(g.role, g.scope) for g in body.grants]
    account = staff_administration().set_grants(username, grants, by=who.username or who.sub)
    return http.reply(_staff(account))


@bp.route("/staff", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def create_staff() -> Response:
    body = http.body(schemas.StaffCreate)
    who, _ = http.signed_in()
    account = NewStaff(
        username=body.username,
        name=unicodedata.normalize("NFC", body.name.strip()),
        email=body.email.lower(),
        phone=staff_phone(body.phone) if body.phone else None,
    )
    grants = [Grant(g.role, g.scope) for g in body.grants]
    created = staff_administration().create(account, grants, by=who.username or who.sub)
    return http.reply(_temporary(created), 201, headers={"Cache-Control": "no-store"})


def _temporary(created: CreatedStaff) -> schemas.StaffCreated:
    return schemas.StaffCreated(
        account=_staff(created.account),
        temporary_password=created.temporary_password,
        valid_days=created.valid_days,
    )


@bp.route("/staff/{username}/disable", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def disable_staff(username: str) -> Response:
    who, _ = http.signed_in()
    return http.reply(_staff(staff_administration().disable(username, by=who.username or who.sub)))


@bp.route("/staff/{username}/enable", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def enable_staff(username: str) -> Response:
    who, _ = http.signed_in()
    return http.reply(_staff(staff_administration().enable(username, by=who.username or who.sub)))


@bp.route("/staff/{username}/mfa-reset", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reset_staff_mfa(username: str) -> Response:
    who, _ = http.signed_in()
    return http.reply(_staff(staff_administration().reset_mfa(username, by=who.username or who.sub)))


@bp.route("/staff/{username}/password-reset", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reset_staff_password(username: str) -> Response:
    who, _ = http.signed_in()
    issued = staff_administration().reset_password(username, by=who.username or who.sub)
    return http.reply(_temporary(issued), headers={"Cache-Control": "no-store"})
