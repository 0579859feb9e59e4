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


# -- accounts: create, disable and enable, reset the authenticator ------------------------------
def test_a_new_account_gets_a_temporary_password_and_its_roles() -> None:
    from ioc_core.identity.password_policy import password_problems
    from ioc_core.identity.staff import NewStaff

    admin, directory = _admin({"quantri": ("QT", ["admin"])})
    lan = NewStaff("lan", "Lê Thị Lan", email="lan@phanthiet.gov.vn")
    created = admin.create(lan, [Grant("unit_staff", "CSCC")], by="quantri")
    assert created.account.must_change_password and created.account.enabled
    assert created.account.grants == {Grant("unit_staff", "CSCC")}
    assert password_problems(created.temporary_password) == []
    assert directory.temporary["lan"] == created.temporary_password
    assert directory.users["lan"] == ("Lê Thị Lan", {"unit_staff@CSCC"})
    assert directory.contacts["lan"] == ("lan@phanthiet.gov.vn", None)
    again = admin.create(NewStaff("lan2", "Lan"), [], by="quantri")
    assert again.temporary_password != created.temporary_password


def test_a_taken_username_is_a_409_and_a_bad_role_a_400_before_anything_is_created() -> None:
    from ioc_core.identity.staff import NewStaff

    admin, directory = _admin({"quantri": ("QT", ["admin"])})
    with pytest.raises(Conflict, match="taken"):
        admin.create(NewStaff("quantri", "Khác"), [], by="quantri")
    with pytest.raises(ValidationFailed):
        admin.create(NewStaff("lan", "Lan"), [Grant("unit_staff", "NOPE")], by="quantri")
    assert "lan" not in directory.users


def test_disable_and_enable_and_the_refresh_tokens_are_signed_out() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "an": ("An", ["operator"])})
    assert admin.disable("an", by="quantri").enabled is False
    assert directory.disabled == {"an"} and directory.signed_out == ["an"]
    assert next(a for a in admin.accounts() if a.username == "an").enabled is False
    assert admin.enable("an", by="quantri").enabled is True
    assert directory.disabled == set()
    with pytest.raises(NotFound):
        admin.disable("nobody", by="quantri")


def test_an_administrator_never_disables_or_resets_themselves() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "qt2": ("QT2", ["admin"])})
    with pytest.raises(Conflict, match="your own account"):
        admin.disable("quantri", by="quantri")
    with pytest.raises(Conflict, match="your own"):
        admin.reset_mfa("quantri", by="quantri")
    assert directory.disabled == set() and directory.mfa_resets == []


def test_the_last_enabled_administrator_is_never_disabled_nor_reset() -> None:
    admin, directory = _admin(
        {"quantri": ("QT", ["admin"]), "qt2": ("QT2", ["admin"]), "an": ("An", ["operator"])}
    )
    admin.disable("qt2", by="quantri")  # another administrator remains
    with pytest.raises(Conflict, match="at least one administrator"):
        admin.disable("quantri", by="an")
    with pytest.raises(Conflict, match="at least one administrator"):
        admin.reset_mfa("quantri", by="an")
    # A disabled administrator is no administrator the city keeps: the role may not go either.
    with pytest.raises(Conflict, match="at least one administrator"):
        admin.set_grants("quantri", [Grant("operator")], by="an")
    assert directory.disabled == {"qt2"} and directory.mfa_resets == []
    admin.enable("qt2", by="quantri")
    assert admin.reset_mfa("quantri", by="qt2").username == "quantri"
    assert directory.mfa_resets == ["quantri"]


def test_resetting_the_authenticator_of_someone_else() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "an": ("An", ["operator"])})
    assert admin.reset_mfa("an", by="quantri").grants == {Grant("operator")}
    assert directory.mfa_resets == ["an"]
    with pytest.raises(NotFound):
        admin.reset_mfa("nobody", by="quantri")


def test_a_new_temporary_password_for_someone_else_signs_them_out_and_keeps_their_roles() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "an": ("An", ["operator"])})
    issued = admin.reset_password("an", by="quantri")
    assert issued.account.must_change_password and issued.account.grants == {Grant("operator")}
    assert directory.temporary["an"] == issued.temporary_password and directory.signed_out == ["an"]
    assert len(issued.temporary_password) >= 12 and issued.valid_days > 0
    again = admin.reset_password("an", by="quantri")
    assert again.temporary_password != issued.temporary_password  # each one made afresh
    assert directory.mfa_resets == [] and directory.users["an"][1] == {"operator"}


def test_no_temporary_password_for_oneself_a_disabled_account_or_nobody() -> None:
    admin, directory = _admin({"quantri": ("QT", ["admin"]), "an": ("An", ["operator"])})
    with pytest.raises(Conflict, match="your own account"):
        admin.reset_password("quantri", by="quantri")
    admin.disable("an", by="quantri")
    with pytest.raises(Conflict, match="enable it first"):
        admin.reset_password("an", by="quantri")
    with pytest.raises(NotFound):
        admin.reset_password("nobody", by="quantri")
    assert directory.temporary == {}
