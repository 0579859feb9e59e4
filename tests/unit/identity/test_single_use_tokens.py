"""MFA sessions answer once; refresh tokens rotate, and a spent one presented again revokes
every refresh token of its sign-in (OAuth 2.0 Security BCP)."""

from __future__ import annotations

from collections.abc import Callable

import jwt
import pyotp
import pytest

from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.ports import Tokens

pytestmark = pytest.mark.unit


@pytest.fixture
def sign_in(idp: DevIdentityProvider) -> Callable[[], Tokens]:
    operator = next(c for c in idp.ensure_staff() if c.username == "dieuhanh")

    def signed_in() -> Tokens:
        session = idp.staff_sign_in("dieuhanh", operator.password).session
        return idp.answer_mfa(session, pyotp.TOTP(operator.totp_secret).now())

    return signed_in


def test_an_mfa_session_signs_in_once(idp: DevIdentityProvider) -> None:
    operator = next(c for c in idp.ensure_staff() if c.username == "dieuhanh")
    session = idp.staff_sign_in("dieuhanh", operator.password).session
    code = pyotp.TOTP(operator.totp_secret).now()
    assert idp.answer_mfa(session, code).access_token
    with pytest.raises(Unauthenticated, match="used already"):
        idp.answer_mfa(session, code)
    again = idp.staff_sign_in("dieuhanh", operator.password).session  # a new sign-in, a new session
    assert idp.answer_mfa(again, code).access_token


def test_each_refresh_answers_a_new_refresh_token_of_the_same_sign_in(
    idp: DevIdentityProvider, sign_in: Callable[[], Tokens]
) -> None:
    signed_in = sign_in()
    first = idp.refresh(signed_in.refresh_token)
    assert first.refresh_token != signed_in.refresh_token
    second = idp.refresh(first.refresh_token)
    family = {jwt.decode(t, options={"verify_signature": False})["fam"] for t in
              (signed_in.refresh_token, first.refresh_token, second.refresh_token)}  # fmt: skip
    assert len(family) == 1
    expiries = {jwt.decode(t, options={"verify_signature": False})["exp"] for t in
                (signed_in.refresh_token, second.refresh_token)}  # fmt: skip
    assert len(expiries) == 1  # as Cognito's: rotation does not lengthen the sign-in
    assert jwt.decode(second.access_token, options={"verify_signature": False})["username"] == "dieuhanh"


def test_a_spent_refresh_token_presented_again_revokes_its_whole_sign_in(
    idp: DevIdentityProvider, sign_in: Callable[[], Tokens]
) -> None:
    signed_in = sign_in()
    elsewhere = sign_in()  # the same account, another sign-in (another device)
    rotated = idp.refresh(signed_in.refresh_token)
    with pytest.raises(Unauthenticated, match="used already"):
        idp.refresh(signed_in.refresh_token)  # a replay: stolen, or kept by a client gone wrong
    with pytest.raises(Unauthenticated, match="revoked"):
        idp.refresh(rotated.refresh_token)  # its descendant is revoked with it
    assert idp.refresh(elsewhere.refresh_token).access_token  # another sign-in is not


def test_a_refresh_token_from_before_rotation_starts_its_family(
    idp: DevIdentityProvider, sign_in: Callable[[], Tokens]
) -> None:
    claims = jwt.decode(sign_in().refresh_token, options={"verify_signature": False})
    old = idp._sign({k: v for k, v in claims.items() if k != "fam"})
    assert idp.refresh(idp.refresh(old).refresh_token).access_token
    with pytest.raises(Unauthenticated):
        idp.refresh(old)
