"""The dev IdP on its real store (the local Secrets Manager): one contract for both stores, and
the attempt limits holding when requests arrive at once."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp
import pytest

from fakes import PhoneResidents, dev_idp_config
from ioc_core.identity.adapters import InMemoryDevIdpStore, SecretsManagerDevIdpStore
from ioc_core.identity.dev_idp import OTP_ATTEMPTS, DevIdentityProvider
from ioc_core.identity.dev_store import DevIdpStore, change
from ioc_core.identity.errors import Unauthenticated
from ioc_core.settings import Settings
from ioc_core.shared.errors import TooManyRequests

pytestmark = pytest.mark.integration
CONFIG = dev_idp_config("http://127.0.0.1:9/api/v1/auth")
PARALLEL = 20


@pytest.fixture(params=["in-memory", "secrets-manager"])
def store(request: pytest.FixtureRequest) -> DevIdpStore:
    if request.param == "in-memory":
        return InMemoryDevIdpStore()
    return SecretsManagerDevIdpStore(request.getfixturevalue("stack"))


@pytest.fixture
def provider(stack: Settings) -> DevIdentityProvider:
    return DevIdentityProvider(CONFIG, SecretsManagerDevIdpStore(stack), PhoneResidents())


def _in_parallel(call: Callable[[], Any], times: int = PARALLEL) -> list[Any]:
    def outcome() -> Any:
        try:
            return call()
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(lambda _: outcome(), range(times)))


def test_a_replace_writes_only_over_the_version_read(store: DevIdpStore) -> None:
    assert store.load_versioned("doc") == (None, None)
    assert store.replace("doc", {"n": 1}, None)
    assert not store.replace("doc", {"n": 1}, None)  # it exists now
    first, version = store.load_versioned("doc")
    assert first == {"n": 1}
    assert store.replace("doc", {"n": 2}, version)
    assert not store.replace("doc", {"n": 2}, version)  # the same write again, over a stale version
    assert store.load("doc") == {"n": 2}


def test_a_change_from_many_threads_loses_no_update(store: DevIdpStore) -> None:
    _in_parallel(lambda: change(store, "counter", lambda c: {"n": (c or {"n": 0})["n"] + 1}), times=8)
    assert store.load("counter") == {"n": 8}


def _sent_code(provider: DevIdentityProvider, phone: str, caplog: pytest.LogCaptureFixture) -> str:
    """Ask for a code for ``phone`` (0… form) and read it from the console log, as a developer does."""
    caplog.set_level(logging.INFO, logger="ioc.dev_idp")
    provider.start_phone_sign_in(phone)
    return str(re.findall(rf"one-time code for \+84{phone[1:]}: (\d{{6}})", caplog.text)[-1])


def test_twenty_wrong_codes_at_once_are_compared_at_most_five_times(
    provider: DevIdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    code = _sent_code(provider, "0912345678", caplog)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    answers = _in_parallel(lambda: provider.verify_phone_code("0912345678", wrong))
    assert all(isinstance(a, Unauthenticated) for a in answers), answers
    compared = [a for a in answers if "The code is not right" in a.message]
    assert len(compared) == OTP_ATTEMPTS  # the others were refused uncompared
    with pytest.raises(Unauthenticated, match="ask for a new one"):
        provider.verify_phone_code("0912345678", code)


def test_the_right_code_sent_twice_at_once_signs_in_once(
    provider: DevIdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    code = _sent_code(provider, "0912345679", caplog)
    answers = _in_parallel(lambda: provider.verify_phone_code("0912345679", code), times=4)
    assert sum(not isinstance(a, Exception) for a in answers) == 1, answers


def test_twenty_wrong_passwords_at_once_are_checked_at_most_five_times(
    provider: DevIdentityProvider,
) -> None:
    password = next(c.password for c in provider.ensure_staff() if c.username == "dieuhanh")
    answers = _in_parallel(lambda: provider.staff_sign_in("dieuhanh", "wrong"))
    assert sum(isinstance(a, Unauthenticated) for a in answers) == 5  # the others: 429 unchecked
    assert all(isinstance(a, Unauthenticated | TooManyRequests) for a in answers), answers
    with pytest.raises(TooManyRequests):
        provider.staff_sign_in("dieuhanh", password)


def test_an_mfa_session_answered_twice_at_once_signs_in_once(provider: DevIdentityProvider) -> None:
    operator = next(c for c in provider.ensure_staff() if c.username == "dieuhanh")
    session = provider.staff_sign_in("dieuhanh", operator.password).session
    code = pyotp.TOTP(operator.totp_secret).now()
    answers = _in_parallel(lambda: provider.answer_mfa(session, code), times=4)
    assert sum(not isinstance(a, Exception) for a in answers) == 1, answers


def test_a_refresh_token_sent_twice_at_once_revokes_its_sign_in(provider: DevIdentityProvider) -> None:
    operator = next(c for c in provider.ensure_staff() if c.username == "dieuhanh")
    session = provider.staff_sign_in("dieuhanh", operator.password).session
    signed_in = provider.answer_mfa(session, pyotp.TOTP(operator.totp_secret).now())
    answers = _in_parallel(lambda: provider.refresh(signed_in.refresh_token), times=4)
    refreshed = [a for a in answers if not isinstance(a, Exception)]
    assert len(refreshed) <= 1, answers
    for tokens in refreshed:  # the others were replays of a spent token: the winner's is revoked
        with pytest.raises(Unauthenticated, match="revoked"):
            provider.refresh(tokens.refresh_token)
