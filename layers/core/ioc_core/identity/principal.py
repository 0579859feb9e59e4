"""Roles and the caller (principal) as the API sees them, from verified token claims."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    RESIDENT = "resident"  # a citizen: their own reports and personal data
    OPERATOR = "operator"  # IOC operator: verifies and routes
    UNIT_STAFF = "unit_staff"  # a ward or department: what is assigned to it
    LEADER = "leader"  # reads everything, changes nothing
    ADMIN = "admin"  # catalogue, routing, users, API keys
    PROVINCIAL = "provincial"  # the province's system: read-only integration


STAFF = frozenset({Role.OPERATOR, Role.UNIT_STAFF, Role.LEADER, Role.ADMIN, Role.PROVINCIAL})
# When a caller holds several roles, the one with the widest view of the data acts.
PRECEDENCE = (Role.OPERATOR, Role.LEADER, Role.PROVINCIAL, Role.ADMIN, Role.UNIT_STAFF, Role.RESIDENT)
GROUPS_CLAIM = "cognito:groups"
UNIT_CLAIM = "custom:unit"
PROVINCIAL_SCOPE = "ioc/provincial.read"


@dataclass(frozen=True)
class Principal:
    sub: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    unit: str | None = None
    phone: str | None = None
    username: str | None = None
    name: str | None = None

    @property
    def authenticated(self) -> bool:
        return bool(self.sub)

    @property
    def role(self) -> Role | None:
        return next((r for r in PRECEDENCE if r in self.roles), None)

    def acting_role(self, allowed: Iterable[Role]) -> Role | None:
        """The caller's role that a rule allowing ``allowed`` lets act (the widest)."""
        permitted = set(allowed) & self.roles
        return next((r for r in PRECEDENCE if r in permitted), None)

    @property
    def actor(self) -> str:
        """How history records the caller: role and username (residents by account)."""
        role = self.role.value if self.role else "anonymous"
        return f"{role}:{self.username or self.sub}"


ANONYMOUS = Principal(sub="")


def principal_from_claims(claims: Mapping[str, Any], kind: str = "any") -> Principal:
    """Cognito claims → principal. Groups name roles; unknown groups are ignored. A
    client-credentials token with the provincial scope is the provincial system.

    ``kind`` is what the issuing pool may grant: every user of the residents' pool is a
    resident and nothing else (a group added there by mistake grants nothing); a staff pool's
    user in no group has no role; the local dev IdP ("any") issues both, so there a user in
    no group is a resident."""
    username = claims.get("cognito:username") or claims.get("username")
    roles: set[Role] = set()
    if kind == "resident":
        roles.add(Role.RESIDENT)
    else:
        groups = claims.get(GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        roles = {Role(g) for g in groups if g in Role._value2member_map_}
        if kind == "staff":
            roles.discard(Role.RESIDENT)  # residents never sign in to the staff pool
        scopes = str(claims.get("scope") or "").split()
        if PROVINCIAL_SCOPE in scopes:
            roles.add(Role.PROVINCIAL)
        if kind == "any" and not groups and not roles and username:
            roles.add(Role.RESIDENT)  # self-registered users are residents
    unit = claims.get(UNIT_CLAIM)
    if Role.UNIT_STAFF in roles and not unit:
        roles.discard(Role.UNIT_STAFF)  # unit staff without a unit can see nothing
    return Principal(
        sub=str(claims["sub"]),
        roles=frozenset(roles),
        unit=str(unit) if unit else None,
        phone=claims.get("phone_number"),
        username=username or claims.get("client_id"),
        name=claims.get("name"),
    )
