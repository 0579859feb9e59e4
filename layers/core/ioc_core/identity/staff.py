"""The administrator's staff directory: who holds which roles, for which unit or ward.

The directory itself is the identity provider's (Cognito's staff pool in AWS, the dev IdP
locally): a grant is a group membership (``unit_staff@CSCC``), so a token carries exactly what
the directory holds. This service checks a change against the rooms' policy before it is made:
known roles a staff account may hold, a unit or ward for exactly the roles that need one, and
never an administrator taking away the last administrator's role.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ioc_core.platform.access import Grant, Policy
from ioc_core.platform.rooms import Label
from ioc_core.shared.errors import Conflict, FieldProblem, NotFound, ValidationFailed

log = logging.getLogger("ioc.identity.staff")
ADMIN = "admin"
MAX_GRANTS = 20


@dataclass(frozen=True)
class StaffAccount:
    username: str
    name: str
    grants: frozenset[Grant]


class StaffDirectory(Protocol):
    """The staff accounts of the identity provider, with their groups."""

    def accounts(self) -> list[StaffAccount]: ...

    def account(self, username: str) -> StaffAccount | None: ...

    def replace_groups(self, username: str, add: Iterable[str], remove: Iterable[str]) -> None:
        """Add and remove group memberships (the groups exist: the stack creates them)."""


@dataclass(frozen=True)
class Scopes:
    """What a unit or ward role can be scoped to: the rooms' units and the wards in force."""

    units: Mapping[str, Label]
    wards: Mapping[str, Label]

    def names(self, kind: str) -> Mapping[str, Label]:
        return self.units if kind == "unit" else self.wards if kind == "ward" else {}


@lru_cache(maxsize=1)
def known_scopes() -> Scopes:
    """The units the rooms route work to and the wards in force today (read once: the rooms'
    data files and the ward registry, not on every request)."""
    from ioc_core import rooms
    from ioc_core.admin_units.registry import default_registry, today_in_vietnam

    units = {code: name for room in rooms.ROOMS for code, name in room.units()}
    wards = {w.code: Label(w.name.vi, w.name.en) for w in default_registry().active_on(today_in_vietnam())}
    return Scopes(units, wards)


def staff_groups(policy: Policy, scopes: Scopes) -> list[str]:
    """Every group a staff account can be in: each city-wide staff role, and each unit or ward
    role once per unit or ward (the stack creates them; the directory only adds members)."""
    groups: list[str] = []
    for role in policy.roles.values():
        if role.pool != "staff":
            continue
        if role.scoped:
            groups += [Grant(role.name, code).group for code in sorted(scopes.names(role.scope))]
        else:
            groups.append(role.name)
    return groups


@dataclass
class StaffAdministration:
    directory: StaffDirectory
    policy: Policy
    scopes: Scopes

    def accounts(self) -> list[StaffAccount]:
        return sorted(self.directory.accounts(), key=lambda a: a.username)

    def set_grants(self, username: str, grants: Iterable[Grant], by: str) -> StaffAccount:
        """Make ``grants`` exactly what the account holds; the next token it gets carries them."""
        wanted = frozenset(grants)
        self._check(wanted)
        account = self.directory.account(username)
        if account is None:
            raise NotFound(f"Không có tài khoản '{username}' / No staff account '{username}'.")
        if ADMIN in {g.role for g in account.grants} - {g.role for g in wanted}:
            others = [a for a in self.directory.accounts() if a.username != username]
            if not any(Grant(ADMIN) in a.grants for a in others):
                raise Conflict(
                    "Phải còn ít nhất một quản trị viên / The city must keep at least one administrator:"
                    " grant the role to someone else first."
                )
        current = {g.group for g in account.grants}
        target = {g.group for g in wanted}
        self.directory.replace_groups(username, sorted(target - current), sorted(current - target))
        log.warning(
            "staff grants changed",
            extra={
                "username": username,
                "by": by,
                "added": sorted(target - current),
                "removed": sorted(current - target),
            },
        )
        return StaffAccount(account.username, account.name, wanted)

    def _check(self, grants: frozenset[Grant]) -> None:
        problems: list[FieldProblem] = []
        if len(grants) > MAX_GRANTS:
            problems.append(FieldProblem("grants", f"at most {MAX_GRANTS} roles per account"))
        for i, grant in enumerate(sorted(grants)):
            role = self.policy.roles.get(grant.role)
            where = f"grants[{i}]"
            if role is None or role.pool != "staff":
                known = ", ".join(r.name for r in self.policy.roles.values() if r.pool == "staff")
                problems.append(
                    FieldProblem(f"{where}.role", f"'{grant.role}' is not a staff role; roles: {known}")
                )
            elif role.scoped and grant.scope not in self.scopes.names(role.scope):
                problems.append(
                    FieldProblem(
                        f"{where}.scope", f"'{grant.role}' needs a {role.scope}: '{grant.scope}' is not one"
                    )
                )
            elif not role.scoped and grant.scope is not None:
                problems.append(FieldProblem(f"{where}.scope", f"'{grant.role}' is city-wide: send no scope"))
        if problems:
            raise ValidationFailed("Vai trò không hợp lệ / Some roles cannot be granted.", problems=problems)


def grants_of(groups: Iterable[str], policy: Policy) -> frozenset[Grant]:
    """The grants a directory's groups carry (groups of no role are left out)."""
    return frozenset(g for g in (policy.grant(name) for name in groups) if g is not None)
