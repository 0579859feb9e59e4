"""The caller (principal) as the APIs see it, from verified token claims.

What an account holds are grants (``ioc_core.platform.access``): roles by name, a unit or ward
role with its scope. Groups on the token carry them (``unit_staff@CSCC``); what they allow is
the rooms' policy, asked by permission: ``principal.can(P)``, ``principal.reach(P)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ioc_core.platform.access import Grant, Policy, Reach, policy

GROUPS_CLAIM = "cognito:groups"
# Before grants carried their scope, a unit's staff had the group "unit_staff" and the unit in
# this attribute; tokens of such accounts still work (the pre-token trigger copies it).
UNIT_CLAIM = "custom:unit"
PROVINCIAL_SCOPE = "ioc/provincial.read"
RESIDENT = "resident"
PROVINCIAL = "provincial"


@dataclass(frozen=True)
class Principal:
    sub: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    phone: str | None = None
    username: str | None = None
    name: str | None = None

    @property
    def authenticated(self) -> bool:
        return bool(self.sub)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def scopes(self, role: str) -> list[str]:
        """The units or wards this caller holds ``role`` for."""
        return sorted(g.scope for g in self.grants if g.role == role and g.scope)

    def can(self, permission: str, rules: Policy | None = None) -> bool:
        return bool(self.reach(permission, rules))

    def reach(self, permission: str, rules: Policy | None = None) -> Reach:
        return (rules or policy()).reach(self.grants, permission)

    def acting_role(self, permission: str, rules: Policy | None = None) -> str | None:
        """The caller's role that acts with ``permission`` (the widest of those holding it)."""
        return (rules or policy()).acting_role(self.grants, permission)


ANONYMOUS = Principal(sub="")


def grants_from_claims(
    claims: Mapping[str, Any], kind: str = "any", rules: Policy | None = None
) -> set[Grant]:
    """Groups → grants, by the policy (unknown groups grant nothing).

    ``kind`` is what the issuing pool may grant: every user of the residents' pool is a
    resident and nothing else (a group added there by mistake grants nothing); a staff pool's
    user in no group has no role and never a resident's; the local dev IdP ("any") issues
    both, so there a user in no group is a resident. A client-credentials token with the
    provincial scope is the provincial system."""
    rules = rules or policy()
    if kind == "resident":
        return {Grant(RESIDENT)}
    groups = claims.get(GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    unit = claims.get(UNIT_CLAIM)
    grants: set[Grant] = set()
    for group in groups:
        grant = rules.grant(str(group))
        if grant is None and unit and "@" not in str(group):
            grant = rules.grant(f"{group}@{unit}")  # an account from before scoped groups
        if grant is not None:
            grants.add(grant)
    if kind == "staff":
        grants = {g for g in grants if rules.roles[g.role].pool != "resident"}
    if PROVINCIAL_SCOPE in str(claims.get("scope") or "").split():
        grants.add(Grant(PROVINCIAL))
    username = claims.get("cognito:username") or claims.get("username")
    if kind == "any" and not groups and not grants and username:
        grants.add(Grant(RESIDENT))  # self-registered users are residents
    return grants


def principal_from_claims(claims: Mapping[str, Any], kind: str = "any") -> Principal:
    username = claims.get("cognito:username") or claims.get("username")
    return Principal(
        sub=str(claims["sub"]),
        grants=frozenset(grants_from_claims(claims, kind)),
        phone=claims.get("phone_number"),
        username=username or claims.get("client_id"),
        name=claims.get("name"),
    )


def groups(grants: Iterable[Grant]) -> list[str]:
    return sorted(g.group for g in grants)
