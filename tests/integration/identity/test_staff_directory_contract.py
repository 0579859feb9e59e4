"""One contract for every staff directory: the in-memory fake the domain tests use, the dev
IdP's (locally) and Cognito's staff pool (in AWS; here moto's). Groups are the grants."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from fakes import InMemoryStaffDirectory
from ioc_core.identity.staff import StaffDirectory
from ioc_core.platform.access import Grant, policy
from ioc_core.shared.errors import Conflict

pytestmark = pytest.mark.integration
ACCOUNTS = {
    "an": ("Nguyễn Văn An", ["operator"]),
    "binh": ("Trần Thị Bình", ["unit_staff@CSCC", "ward_leader@22945"]),
    "quantri": ("Quản trị", ["admin", "not-a-role"]),  # a group of no role grants nothing
}
GROUPS = sorted({g for _, groups in ACCOUNTS.values() for g in groups} | {"unit_staff@MTDT"})


def _dev_idp() -> StaffDirectory:
    from ioc_core.identity.adapters import DevIdpStaffDirectory, InMemoryDevIdpStore
    from ioc_core.identity.config import IdentityConfig
    from ioc_core.identity.dev_idp import DevIdentityProvider

    config = IdentityConfig("http://127.0.0.1:9/api/v1/auth", ("ioc-local-web",), None, True)
    provider = DevIdentityProvider(config, InMemoryDevIdpStore(), residents=None)  # type: ignore[arg-type]
    provider.store.create(
        "staff",
        {u: {"sub": f"staff-{u}", "name": n, "groups": g, "password": "-", "totp_secret": "-"}
         for u, (n, g) in ACCOUNTS.items()},
    )  # fmt: skip
    return DevIdpStaffDirectory(provider, policy())


def _cognito(endpoint: str) -> StaffDirectory:
    from ioc_core.identity.adapters import CognitoStaffDirectory

    client: Any = boto3.client("cognito-idp", region_name="ap-southeast-1", endpoint_url=endpoint)
    pool = client.create_user_pool(PoolName="staff-contract")["UserPool"]["Id"]
    for group in GROUPS:
        client.create_group(UserPoolId=pool, GroupName=group)
    for username, (name, groups) in ACCOUNTS.items():
        client.admin_create_user(
            UserPoolId=pool, Username=username, UserAttributes=[{"Name": "name", "Value": name}],
            MessageAction="SUPPRESS",
        )  # fmt: skip
        client.admin_set_user_password(  # signed in once already: no longer FORCE_CHANGE_PASSWORD
            UserPoolId=pool, Username=username, Password="Mật-khẩu-2026!", Permanent=True
        )
        for group in groups:
            client.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=group)
    return CognitoStaffDirectory(client, pool, policy())


@pytest.fixture(params=["memory", "dev_idp", "cognito"])
def directory(request: pytest.FixtureRequest) -> Iterator[StaffDirectory]:
    if request.param == "memory":
        yield InMemoryStaffDirectory(ACCOUNTS)
    elif request.param == "dev_idp":
        yield _dev_idp()
    else:
        yield _cognito(request.getfixturevalue("aws"))


def test_accounts_carry_their_groups_as_grants(directory: StaffDirectory) -> None:
    listed = {a.username: a for a in directory.accounts()}
    assert sorted(listed) == ["an", "binh", "quantri"]
    assert listed["binh"].name == "Trần Thị Bình"
    assert listed["binh"].grants == {Grant("unit_staff", "CSCC"), Grant("ward_leader", "22945")}
    assert listed["quantri"].grants == {Grant("admin")}
    one = directory.account("an")
    assert one is not None and one.grants == {Grant("operator")}
    assert directory.account("nobody") is None


def test_replacing_groups_adds_and_removes_only_what_it_names(directory: StaffDirectory) -> None:
    directory.replace_groups("binh", add=["unit_staff@MTDT"], remove=["ward_leader@22945"])
    changed = directory.account("binh")
    assert changed is not None
    assert changed.grants == {Grant("unit_staff", "CSCC"), Grant("unit_staff", "MTDT")}
    untouched = directory.account("an")
    assert untouched is not None and untouched.grants == {Grant("operator")}


def test_a_created_account_must_change_its_password_and_holds_no_group(directory: StaffDirectory) -> None:
    from ioc_core.identity.staff import NewStaff

    directory.create(NewStaff("lan", "Lê Thị Lan", "lan@phanthiet.gov.vn", "+84912000111"), "Tạm-thời-2026!")
    created = directory.account("lan")
    assert created is not None
    assert (created.name, created.grants) == ("Lê Thị Lan", frozenset())
    assert created.must_change_password and created.enabled
    existing = directory.account("an")
    assert existing is not None and not existing.must_change_password
    with pytest.raises(Conflict):
        directory.create(NewStaff("lan", "Khác", "khac@phanthiet.gov.vn"), "Tạm-thời-2026!")


def test_disabling_and_enabling_and_resetting_the_authenticator(directory: StaffDirectory) -> None:
    directory.set_enabled("an", False)
    disabled = directory.account("an")
    assert disabled is not None and disabled.enabled is False
    assert {a.username: a.enabled for a in directory.accounts()} == {
        "an": False,
        "binh": True,
        "quantri": True,
    }
    directory.set_enabled("an", True)
    enabled = directory.account("an")
    assert enabled is not None and enabled.enabled
    directory.reset_mfa("binh")  # the account stays as it was otherwise
    reset = directory.account("binh")
    assert (
        reset is not None
        and reset.enabled
        and reset.grants == {Grant("unit_staff", "CSCC"), Grant("ward_leader", "22945")}
    )


def test_a_new_temporary_password_must_be_changed_and_keeps_the_groups(directory: StaffDirectory) -> None:
    directory.set_temporary_password("binh", "Tạm-mới-2026!")
    reset = directory.account("binh")
    assert reset is not None and reset.must_change_password and reset.enabled
    assert reset.grants == {Grant("unit_staff", "CSCC"), Grant("ward_leader", "22945")}
    other = directory.account("an")
    assert other is not None and not other.must_change_password
