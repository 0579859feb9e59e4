"""Roles and permissions as data, declared by the rooms.

A room declares the permissions its routes and services need (``field_reporting.reports.triage``)
and which roles hold each, and it may bring roles of its own (a health officer, a traffic-police
liaison). A role says how far what it holds reaches: the whole city, one unit, one ward, or the
caller's own records. An account holds several roles, each as a ``Grant`` (the role and, for a
unit or ward role, which one): ``unit_staff@CSCC`` is the street-lighting company's staff,
``ward_leader@22945`` the chair of Phan Thiết ward. Cognito groups and the local dev IdP carry
grants by these names, so the token says what the account holds and the policy says what that
allows (FixMyStreet keeps per-body permissions the same way).

Code asks for permissions, never for role names: ``principal.can(P)`` and ``principal.reach(P)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ioc_core.platform.rooms import Label, Room

ScopeKind = Literal["city", "unit", "ward", "own"]
Pool = Literal["staff", "resident", "machine"]
SCOPE_ORDER: tuple[ScopeKind, ...] = ("city", "unit", "ward", "own")  # the widest acts first
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_SCOPE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_PERMISSION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,3}$")


@dataclass(frozen=True)
class RoleDefinition:
    """A role a room brings: its name (the Cognito group), title, and how far it reaches."""

    name: str
    title: Label
    scope: ScopeKind = "city"
    pool: Pool = "staff"  # who may hold it: staff accounts, residents, or a machine client

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"role name {self.name!r}: lower-case letters, digits and _")

    @property
    def scoped(self) -> bool:
        return self.scope in ("unit", "ward")


@dataclass(frozen=True)
class Permission:
    """``<room>.<thing>.<verb>`` and the roles that hold it (any room's roles)."""

    name: str
    title: Label
    roles: frozenset[str]

    def __post_init__(self) -> None:
        if not _PERMISSION.match(self.name):
            raise ValueError(f"permission {self.name!r}: '<room>.<thing>.<verb>' in lower case")

    @property
    def room(self) -> str:
        return self.name.split(".", 1)[0]


def permission(name: str, title: Label, *roles: str) -> Permission:
    return Permission(name, title, frozenset(roles))


@dataclass(frozen=True, order=True)
class Grant:
    """One role an account holds; ``scope`` names the unit or ward of a scoped role."""

    role: str
    scope: str | None = None

    @property
    def group(self) -> str:
        """The Cognito group (and dev IdP group) that carries this grant."""
        return f"{self.role}@{self.scope}" if self.scope else self.role

    @classmethod
    def from_group(cls, group: str) -> Grant | None:
        role, _, scope = group.partition("@")
        if not _NAME.match(role) or (scope and not _SCOPE.match(scope)):
            return None
        return cls(role, scope or None)


@dataclass(frozen=True)
class Reach:
    """How far one permission reaches for one caller (empty: not at all)."""

    city: bool = False
    units: frozenset[str] = frozenset()
    wards: frozenset[str] = frozenset()
    own: bool = False

    def __bool__(self) -> bool:
        return self.city or bool(self.units) or bool(self.wards) or self.own

    def __or__(self, other: Reach) -> Reach:
        return Reach(
            self.city or other.city, self.units | other.units, self.wards | other.wards, self.own or other.own
        )

    def unit(self, code: str | None) -> bool:
        return self.city or (code is not None and code in self.units)

    def ward(self, code: str | None) -> bool:
        return self.city or (code is not None and code in self.wards)


NOWHERE = Reach()


@dataclass(frozen=True)
class Policy:
    """Every room's roles and permissions, checked once."""

    roles: Mapping[str, RoleDefinition] = field(default_factory=dict)
    permissions: Mapping[str, Permission] = field(default_factory=dict)

    @classmethod
    def of(cls, rooms: Iterable[Room]) -> Policy:
        roles: dict[str, RoleDefinition] = {}
        permissions: dict[str, Permission] = {}
        for room in rooms:
            for role in room.roles:
                if role.name in roles:
                    raise ValueError(f"role {role.name!r} is declared twice")
                roles[role.name] = role
            for p in room.permissions:
                if p.room != room.name:
                    raise ValueError(
                        f"room {room.name} declares {p.name}: a room names only its own permissions"
                    )
                if p.name in permissions:
                    raise ValueError(f"permission {p.name!r} is declared twice")
                permissions[p.name] = p
        for p in permissions.values():
            unknown = sorted(p.roles - roles.keys())
            if unknown:
                raise ValueError(f"permission {p.name} names roles no room declares: {unknown}")
        return cls(roles, permissions)

    def grant(self, group: str) -> Grant | None:
        """The grant a group carries; None for an unknown role or a scoped role without its
        scope (unit staff with no unit can see nothing), or a scope on a city-wide role."""
        grant = Grant.from_group(group)
        role = self.roles.get(grant.role) if grant else None
        if grant is None or role is None or role.scoped != (grant.scope is not None):
            return None
        return grant

    def require(self, name: str) -> Permission:
        try:
            return self.permissions[name]
        except KeyError:
            raise KeyError(f"no room declares the permission {name!r}") from None

    def reach(self, grants: Iterable[Grant], name: str) -> Reach:
        holders = self.require(name).roles
        reach = NOWHERE
        for grant in grants:
            if grant.role in holders:
                reach = reach | self._reach_of(grant)
        return reach

    def _reach_of(self, grant: Grant) -> Reach:
        kind = self.roles[grant.role].scope
        scope = frozenset({grant.scope}) if grant.scope else frozenset()
        return {
            "city": Reach(city=True),
            "unit": Reach(units=scope),
            "ward": Reach(wards=scope),
            "own": Reach(own=True),
        }[kind]

    def acting_role(self, grants: Iterable[Grant], name: str) -> str | None:
        """The role that acts when ``grants`` use permission ``name``: the widest one."""
        holders = self.require(name).roles
        held = [self.roles[g.role] for g in grants if g.role in holders]
        if not held:
            return None
        order = list(self.roles)
        return min(held, key=lambda r: (SCOPE_ORDER.index(r.scope), order.index(r.name))).name

    def permissions_of(self, grants: Iterable[Grant]) -> dict[str, Reach]:
        grants = tuple(grants)
        reached = {name: self.reach(grants, name) for name in self.permissions}
        return {name: reach for name, reach in reached.items() if reach}

    def holders(self, name: str) -> list[str]:
        """The roles holding a permission, in declaration order (for documents)."""
        holders = self.require(name).roles
        return [r for r in self.roles if r in holders]


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The policy of ``ioc_core.rooms.ROOMS`` (read when first needed: tests swap the rooms)."""
    from ioc_core import rooms

    return Policy.of(rooms.ROOMS)
