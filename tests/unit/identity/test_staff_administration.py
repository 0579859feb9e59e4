"""The administrator grants roles: checked against the rooms' policy before the directory changes."""

from __future__ import annotations

import pytest

from fakes import InMemoryStaffDirectory
from ioc_core.identity.staff import Scopes, StaffAdministration
from ioc_core.platform.access import Grant, policy
from ioc_core.platform.rooms import Label
from ioc_core.shared.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.unit
SCOPES = Scopes(
    units={"CSCC": Label("Chiếu sáng", "Lighting"), "MTDT": Label("Môi trường", "Environment")},
    wards={"22945": Label("Phường Phan Thiết", "Phan Thiet Ward")},
)


def _admin(accounts: dict[str, tuple[str, list[str]]]) -> tuple[StaffAdministration, InMemoryStaffDirectory]:
    directory = InMemoryStaffDirectory(accounts)
    return StaffAdministration(directory, policy(), SCOPES), directory


def test_grants_replace_what_the_account_held() -> None:
    admin, directory = _admin({"binh": ("Bình", ["unit_staff@CSCC"]), "quantri": ("QT", ["admin"])})
    changed = admin.set_grants(
        "binh", [Grant("unit_staff", "MTDT"), Grant("ward_leader", "22945")], by="quantri"
    )
    assert changed.grants == {Grant("unit_staff", "MTDT"), Grant("ward_leader", "22945")}
    assert directory.users["binh"][1] == {"unit_staff@MTDT", "ward_leader@22945"}
    assert admin.set_grants("binh", [], by="quantri").grants == frozenset()
    assert directory.users["binh"][1] == set()


@pytest.mark.parametrize(
    ("grant", "field"),
    [
        (Grant("janitor"), "grants[0].role"),  # no room declares it
        (Grant("resident"), "grants[0].role"),  # not a staff role
        (Grant("provincial"), "grants[0].role"),  # a machine's
        (Grant("unit_staff"), "grants[0].scope"),  # a unit role needs its unit
        (Grant("unit_staff", "NOPE"), "grants[0].scope"),  # a unit no room knows
        (Grant("unit_staff", "22945"), "grants[0].scope"),  # a ward is not a unit
        (Grant("ward_leader", "CSCC"), "grants[0].scope"),
        (Grant("operator", "CSCC"), "grants[0].scope"),  # a city-wide role takes no scope
    ],
)
def test_a_grant_the_policy_cannot_make_is_a_400_naming_the_field(grant: Grant, field: str) -> None:
    admin, directory = _admin({"binh": ("Bình", ["unit_staff@CSCC"]), "quantri": ("QT", ["admin"])})
    with pytest.raises(ValidationFailed) as raised:
        admin.set_grants("binh", [grant], by="quantri")
    assert [p.field for p in raised.value.problems] == [field]
    assert directory.users["binh"][1] == {"unit_staff@CSCC"}  # nothing half-done


def test_the_last_administrator_keeps_the_role() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "an": ("An", ["operator"])})
    with pytest.raises(Conflict, match="at least one administrator"):
        admin.set_grants("quantri", [Grant("operator")], by="quantri")
    assert directory.users["quantri"][1] == {"admin"}
    admin.set_grants("an", [Grant("operator"), Grant("admin")], by="quantri")
    assert admin.set_grants("quantri", [Grant("operator")], by="quantri").grants == {Grant("operator")}


def test_an_unknown_account_is_a_404() -> None:
    admin, _ = _admin({"quantri": ("QT", ["admin"])})
    with pytest.raises(NotFound):
        admin.set_grants("nobody", [Grant("operator")], by="quantri")
