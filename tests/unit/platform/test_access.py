"""Roles and permissions as data: the rooms' declarations are checked, and a grant reaches as
far as its role's scope says."""

from __future__ import annotations

import pytest

from ioc_core.platform.access import Grant, Policy, RoleDefinition, permission, policy
from ioc_core.platform.rooms import Label, Room

pytestmark = pytest.mark.unit
L = Label("x", "x")


def _room(name: str, roles: tuple[RoleDefinition, ...] = (), *perms: object) -> Room:
    return Room(name=name, title=L, roles=roles, permissions=perms)  # type: ignore[arg-type]


def test_the_rooms_policy_is_consistent() -> None:
    rules = policy()
    assert {
        "operator",
        "leader",
        "admin",
        "resident",
        "provincial",
        "unit_staff",
        "ward_leader",
    } <= rules.roles.keys()
    assert all(p.roles <= rules.roles.keys() for p in rules.permissions.values())


def test_a_permission_names_only_declared_roles_and_its_own_room() -> None:
    officer = RoleDefinition("health_officer", L)
    with pytest.raises(ValueError, match="names roles no room declares"):
        Policy.of(
            [_room("health", (officer,), permission("health.cases.read", L, "health_officer", "nurse"))]
        )
    with pytest.raises(ValueError, match="names only its own permissions"):
        Policy.of([_room("health", (officer,), permission("cameras.alerts.read", L, "health_officer"))])
    with pytest.raises(ValueError, match="declared twice"):
        Policy.of([_room("health", (officer,)), _room("education", (officer,))])


def test_a_grant_reaches_what_its_role_s_scope_says() -> None:
    rules = Policy.of(
        [
            _room(
                "health",
                (RoleDefinition("health_officer", L), RoleDefinition("clinic_staff", L, scope="unit"),
                 RoleDefinition("ward_nurse", L, scope="ward")),
                permission("health.cases.read", L, "health_officer", "clinic_staff", "ward_nurse"),
                permission("health.outbreaks.declare", L, "health_officer"),
            )
        ]
    )  # fmt: skip
    clinic = [Grant("clinic_staff", "TYT_22945"), Grant("ward_nurse", "22918")]
    reach = rules.reach(clinic, "health.cases.read")
    assert (reach.city, reach.units, reach.wards) == (False, {"TYT_22945"}, {"22918"})
    assert reach.unit("TYT_22945") and not reach.unit("TYT_22918") and reach.ward("22918")
    assert not rules.reach(clinic, "health.outbreaks.declare")
    assert rules.reach([Grant("health_officer")], "health.cases.read").city
    assert rules.acting_role([*clinic, Grant("health_officer")], "health.cases.read") == "health_officer"
    with pytest.raises(KeyError, match="no room declares"):
        rules.reach(clinic, "health.cases.delete")


@pytest.mark.parametrize(
    ("group", "grant"),
    [("operator", Grant("operator")), ("unit_staff@CSCC", Grant("unit_staff", "CSCC")),
     ("ward_leader@22945", Grant("ward_leader", "22945")), ("operator@CSCC", None), ("unit_staff", None),
     ("ward_leader@", None), ("unknown", None), ("Operator", None), ("unit_staff@CS CC", None)],
)  # fmt: skip
def test_groups_carry_grants(group: str, grant: Grant | None) -> None:
    assert policy().grant(group) == grant
    if grant is not None:
        assert grant.group == group
