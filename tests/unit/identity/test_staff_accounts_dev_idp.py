"""The dev IdP's staff pool behaves as Cognito's: an account an administrator creates changes its
temporary password and enrols an authenticator at the first sign-in; a disabled account cannot
sign in and its refresh tokens stop working; a reset authenticator is enrolled again."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyotp
import pytest

from fakes import PhoneResidents, dev_idp_config
from ioc_core.identity.adapters import DevIdpStaffDirectory, InMemoryDevIdpStore
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.ports import Tokens
from ioc_core.identity.staff import NewStaff, Scopes, StaffAdministration
from ioc_core.platform.access import Grant, policy
from ioc_core.platform.rooms import Label
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit
NEW_PASSWORD = "Mật-khẩu-mới-2026!"
SCOPES = Scopes(units={"CSCC": Label("Chiếu sáng", "Lighting")}, wards={})


@dataclass
class Clock:
    now: float = field(default_factory=time.time)  # jwt checks expiry against the real time

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def idp(clock: Clock) -> DevIdentityProvider:
    provider = DevIdentityProvider(dev_idp_config(), InMemoryDevIdpStore(), PhoneResidents(), clock)
    provider.ensure_staff()
    return provider


@pytest.fixture
def admin(idp: DevIdentityProvider) -> StaffAdministration:
    return StaffAdministration(DevIdpStaffDirectory(idp, policy()), policy(), SCOPES)


def _create(admin: StaffAdministration) -> str:
    created = admin.create(
        NewStaff("lan", "Lê Thị Lan", "lan@phanthiet.gov.vn"), [Grant("unit_staff", "CSCC")], by="quantri"
    )
    return created.temporary_password


def _first_sign_in(idp: DevIdentityProvider, temporary: str, clock: Clock) -> tuple[Tokens, str]:
    first = idp.staff_sign_in("lan", temporary)
    setup = idp.answer_new_password(first.session, NEW_PASSWORD)
    assert setup.secret_code
    return idp.verify_mfa_setup(setup.session, pyotp.TOTP(setup.secret_code).at(clock.now)), setup.secret_code


def test_the_first_sign_in_changes_the_password_and_enrols_an_authenticator(
    idp: DevIdentityProvider, admin: StaffAdministration, clock: Clock
) -> None:
    temporary = _create(admin)
    listed = next(a for a in admin.accounts() if a.username == "lan")
    assert listed.must_change_password and listed.enabled

    first = idp.staff_sign_in("lan", temporary)
    assert (first.challenge, first.secret_code) == ("NEW_PASSWORD_REQUIRED", None)
    with pytest.raises(Unauthenticated):
        idp.answer_mfa(first.session, "123456")  # no code answers a new-password step
    for weak, lacking in (("ngắn-1A", "at least 12"), ("chulethuong-khongso!", "uppercase")):
        with pytest.raises(ValidationFailed) as refused:
            idp.answer_new_password(first.session, weak)
        assert refused.value.problems[0].field == "new_password"
        assert lacking in refused.value.problems[0].message
    with pytest.raises(ValidationFailed, match="other than the temporary"):
        idp.answer_new_password(first.session, temporary)

    setup = idp.answer_new_password(first.session, NEW_PASSWORD)  # the same session, still unused
    assert setup.challenge == "MFA_SETUP" and setup.secret_code
    assert setup.otpauth_uri == (
        f"otpauth://totp/IOC%20Phan%20Thiet:lan?secret={setup.secret_code}&issuer=IOC%20Phan%20Thiet"
    )
    with pytest.raises(Unauthenticated, match="used already"):
        idp.answer_new_password(first.session, NEW_PASSWORD)
    with pytest.raises(Unauthenticated, match="not right"):
        idp.verify_mfa_setup(setup.session, pyotp.TOTP(pyotp.random_base32()).at(clock.now))
    tokens = idp.verify_mfa_setup(setup.session, pyotp.TOTP(setup.secret_code).at(clock.now))
    assert idp._own(tokens.refresh_token, "refresh")["groups"] == ["unit_staff@CSCC"]
    assert not next(a for a in admin.accounts() if a.username == "lan").must_change_password

    with pytest.raises(Unauthenticated):
        idp.staff_sign_in("lan", temporary)  # spent
    again = idp.staff_sign_in("lan", NEW_PASSWORD)
    assert again.challenge == "SOFTWARE_TOKEN_MFA"
    assert idp.answer_mfa(again.session, pyotp.TOTP(setup.secret_code).at(clock.now)).access_token


def test_a_temporary_password_expires_after_three_days(
    idp: DevIdentityProvider, admin: StaffAdministration, clock: Clock
) -> None:
    temporary = _create(admin)
    clock.now += 3 * 86_400 + 1
    with pytest.raises(Unauthenticated, match="expired"):
        idp.staff_sign_in("lan", temporary)


def test_a_disabled_account_cannot_sign_in_and_its_refresh_tokens_stop_working(
    idp: DevIdentityProvider, admin: StaffAdministration, clock: Clock
) -> None:
    tokens, secret = _first_sign_in(idp, _create(admin), clock)
    refreshed = idp.refresh(tokens.refresh_token)
    pending = idp.staff_sign_in("lan", NEW_PASSWORD)  # a sign-in half-way when it is disabled

    admin.disable("lan", by="quantri")
    with pytest.raises(Unauthenticated, match="disabled"):
        idp.staff_sign_in("lan", NEW_PASSWORD)
    with pytest.raises(Unauthenticated, match="revoked"):
        idp.refresh(refreshed.refresh_token)
    with pytest.raises(Unauthenticated):
        idp.answer_mfa(pending.session, pyotp.TOTP(secret).at(clock.now))

    admin.enable("lan", by="quantri")
    with pytest.raises(Unauthenticated, match="revoked"):
        idp.refresh(refreshed.refresh_token)  # signed out for good: enabling restores no session
    back = idp.staff_sign_in("lan", NEW_PASSWORD)
    signed_in = idp.answer_mfa(back.session, pyotp.TOTP(secret).at(clock.now))
    assert idp.refresh(signed_in.refresh_token).access_token


def test_a_reset_authenticator_is_enrolled_again_at_the_next_sign_in(
    idp: DevIdentityProvider, admin: StaffAdministration, clock: Clock
) -> None:
    _, old_secret = _first_sign_in(idp, _create(admin), clock)
    admin.reset_mfa("lan", by="quantri")
    setup = idp.staff_sign_in("lan", NEW_PASSWORD)
    assert setup.challenge == "MFA_SETUP" and setup.secret_code and setup.secret_code != old_secret
    with pytest.raises(Unauthenticated):
        idp.answer_mfa(setup.session, pyotp.TOTP(old_secret).at(clock.now))  # the old phone is out
    assert idp.verify_mfa_setup(setup.session, pyotp.TOTP(setup.secret_code).at(clock.now)).access_token
    after = idp.staff_sign_in("lan", NEW_PASSWORD)
    assert after.challenge == "SOFTWARE_TOKEN_MFA"
    assert idp.answer_mfa(after.session, pyotp.TOTP(setup.secret_code).at(clock.now)).access_token


def test_a_new_temporary_password_expires_too_and_a_later_one_replaces_it(
    idp: DevIdentityProvider, admin: StaffAdministration, clock: Clock
) -> None:
    _first_sign_in(idp, _create(admin), clock)
    clock.now += 10 * 86_400  # long after the first one's days
    lapsed = admin.reset_password("lan", by="quantri").temporary_password
    clock.now += 3 * 86_400 + 1
    with pytest.raises(Unauthenticated, match="expired"):
        idp.staff_sign_in("lan", lapsed)
    fresh = admin.reset_password("lan", by="quantri").temporary_password
    with pytest.raises(Unauthenticated):
        idp.staff_sign_in("lan", lapsed)  # replaced
    assert idp.staff_sign_in("lan", fresh).challenge == "NEW_PASSWORD_REQUIRED"
