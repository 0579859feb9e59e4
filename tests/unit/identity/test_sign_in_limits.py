"""The dev IdP's attempt limits (Cognito's in AWS): wrong passwords and authenticator codes lock
a username out for longer and longer; one-time codes per phone have a cooldown and a quota."""

from __future__ import annotations

import logging
import re
import time

import pyotp
import pytest

from fakes import PhoneResidents, dev_idp_config
from ioc_core.identity.adapters import InMemoryDevIdpStore
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.shared.errors import TooManyRequests

pytestmark = pytest.mark.unit
CONFIG = dev_idp_config()


class Clock:
    def __init__(self) -> None:
        self.now = float(int(time.time()))  # whole seconds (exact waits); tokens read the real clock

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def idp(clock: Clock) -> DevIdentityProvider:
    return DevIdentityProvider(CONFIG, InMemoryDevIdpStore(), PhoneResidents(), clock=clock)


def _locked_out_for(call: object) -> int:
    with pytest.raises(TooManyRequests) as refused:
        call()  # type: ignore[operator]
    assert refused.value.retry_after is not None
    assert refused.value.headers() == {"Retry-After": str(refused.value.retry_after)}
    return refused.value.retry_after


@pytest.mark.parametrize("username", ["dieuhanh", "nobody-by-this-name"])
def test_five_wrong_passwords_lock_a_username_out_for_longer_each_time(
    idp: DevIdentityProvider, clock: Clock, username: str
) -> None:
    password = {c.username: c.password for c in idp.ensure_staff()}.get(username, "whatever")
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            idp.staff_sign_in(username, "wrong")
    assert _locked_out_for(lambda: idp.staff_sign_in(username, password)) == 30  # even the right one
    clock.now += 31
    with pytest.raises(Unauthenticated):
        idp.staff_sign_in(username, "wrong")
    assert _locked_out_for(lambda: idp.staff_sign_in(username, password)) == 60  # it doubles
    with pytest.raises(TooManyRequests):
        idp.staff_sign_in(username.upper(), password)  # the same name, however written
    clock.now += 61
    if username == "dieuhanh":
        idp.staff_sign_in(username, password)  # a success starts afresh
        for _ in range(4):
            with pytest.raises(Unauthenticated):
                idp.staff_sign_in(username, "wrong")
        idp.staff_sign_in(username, password)


def test_the_lock_out_stops_growing_at_fifteen_minutes(idp: DevIdentityProvider, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            idp.staff_sign_in("dieuhanh", "wrong")
    waits = []
    for _ in range(8):
        waits.append(_locked_out_for(lambda: idp.staff_sign_in("dieuhanh", "wrong")))
        clock.now += waits[-1]
        with pytest.raises(Unauthenticated):
            idp.staff_sign_in("dieuhanh", "wrong")
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_wrong_authenticator_codes_lock_the_account_out(idp: DevIdentityProvider, clock: Clock) -> None:
    operator = next(c for c in idp.ensure_staff() if c.username == "dieuhanh")
    session = idp.staff_sign_in("dieuhanh", operator.password).session
    totp = pyotp.TOTP(operator.totp_secret)  # codes on the real clock, as the IdP checks them
    wrong = next(c for c in ("000000", "111111", "222222") if not totp.verify(c, valid_window=1))
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            idp.answer_mfa(session, wrong)
    assert _locked_out_for(lambda: idp.answer_mfa(session, totp.now())) == 30
    clock.now += 31
    assert idp.answer_mfa(session, totp.now()).access_token


def _code(caplog: pytest.LogCaptureFixture) -> str:
    return str(re.findall(r"one-time code for \+84\d{9}: (\d{6})", caplog.text)[-1])


def test_a_new_code_waits_thirty_seconds_and_a_phone_gets_five_in_fifteen_minutes(
    idp: DevIdentityProvider, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ioc.dev_idp")
    idp.start_phone_sign_in("0912345678")
    assert _locked_out_for(lambda: idp.start_phone_sign_in("0912345678")) == 30
    idp.start_phone_sign_in("0987654321")  # another phone is another quota
    for _ in range(4):
        clock.now += 31
        idp.start_phone_sign_in("0912345678")
    clock.now += 31
    assert _locked_out_for(lambda: idp.start_phone_sign_in("+84912345678")) == 900 - 5 * 31
    assert idp.verify_phone_code("0912345678", _code(caplog)).access_token  # the last code still works
    clock.now += 900 - 5 * 31
    idp.start_phone_sign_in("0912345678")


def test_a_used_or_spent_code_may_be_followed_by_a_new_one_at_once(
    idp: DevIdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ioc.dev_idp")
    idp.start_phone_sign_in("0912345678")
    idp.verify_phone_code("0912345678", _code(caplog))
    idp.start_phone_sign_in("0912345678")  # a new sign-in, not a resend
    wrong = f"{(int(_code(caplog)) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            idp.verify_phone_code("0912345678", wrong)
    idp.start_phone_sign_in("0912345678")
    assert idp.verify_phone_code("0912345678", _code(caplog)).access_token


@pytest.mark.parametrize("username", ["dieuhanh", "nobody-by-this-name"])
def test_a_wrong_password_costs_one_password_check_known_username_or_not(
    idp: DevIdentityProvider, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    from ioc_core.identity import dev_idp, dev_passwords

    idp.ensure_staff()
    checked: list[str] = []
    real = dev_idp.check_password
    monkeypatch.setattr(
        dev_idp, "check_password", lambda p, stored: checked.append(stored) or real(p, stored)
    )
    with pytest.raises(Unauthenticated, match="Wrong username or password"):
        idp.staff_sign_in(username, "wrong")
    assert len(checked) == 1
    assert checked[0].startswith(f"pbkdf2_sha256${dev_passwords.PBKDF2_ROUNDS}$")  # as dear as a real one
