"""Tokens of the dev IdP verified through JWKS exactly as Cognito's: issuer, client,
token use, expiry, signature and key rotation; claims → roles."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from fakes import PhoneResidents, dev_idp_config
from ioc_core.identity.adapters import InMemoryDevIdpStore
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import principal_from_claims
from ioc_core.identity.verifier import CallableJwks, TokenVerifier
from ioc_core.platform.access import Grant

pytestmark = pytest.mark.unit
CONFIG = dev_idp_config()


@pytest.fixture
def verifier(idp: DevIdentityProvider) -> TokenVerifier:
    return TokenVerifier(CONFIG.issuer, CONFIG.client_ids, CallableJwks(idp.jwks))


def test_id_and_access_tokens_verify_and_name_the_caller(
    idp: DevIdentityProvider, verifier: TokenVerifier
) -> None:
    tokens = idp.issue("staff-x", "x", ["unit_staff@CSCC", "ward_leader@22945"], {"name": "X"})
    for token in (tokens.access_token, tokens.id_token):
        principal = verifier.principal(f"Bearer {token}")
        assert principal is not None
        assert principal.sub == "staff-x"
        assert principal.grants == {Grant("unit_staff", "CSCC"), Grant("ward_leader", "22945")}
    with pytest.raises(Unauthenticated):
        verifier.verify(tokens.refresh_token)  # token_use refresh is not for APIs


def _forged(idp: DevIdentityProvider, **changes: Any) -> str:
    now = int(time.time())
    claims = {"sub": "s", "iss": CONFIG.issuer, "iat": now, "exp": now + 60, "token_use": "access",
              "client_id": "ioc-local-web", "username": "s"} | changes  # fmt: skip
    return idp._sign({k: v for k, v in claims.items() if v is not None})


@pytest.mark.parametrize(
    "changes",
    [{"iss": "https://cognito-idp.example/other"}, {"client_id": "someone-else"}, {"exp": 1},
     {"token_use": "refresh"}, {"token_use": None}, {"token_use": "id", "aud": "someone-else"}],
)  # fmt: skip
def test_claims_are_checked_as_cognito_does(
    idp: DevIdentityProvider, verifier: TokenVerifier, changes: dict
) -> None:
    with pytest.raises(Unauthenticated):
        verifier.verify(_forged(idp, **changes))


def test_a_token_signed_by_another_key_is_refused(verifier: TokenVerifier) -> None:
    stranger = DevIdentityProvider(CONFIG, InMemoryDevIdpStore(), PhoneResidents())
    with pytest.raises(Unauthenticated, match="unknown key"):
        verifier.verify(stranger.issue("s", "s", ["operator"]).access_token)


def test_the_jwks_is_cached_and_read_again_for_a_new_key() -> None:
    store = InMemoryDevIdpStore()
    idp = DevIdentityProvider(CONFIG, store, PhoneResidents())
    fetched: list[int] = []

    def jwks() -> dict[str, Any]:
        fetched.append(1)
        return DevIdentityProvider(CONFIG, store, PhoneResidents()).jwks()

    clock = [1000.0]
    verifier = TokenVerifier(CONFIG.issuer, CONFIG.client_ids, CallableJwks(jwks), clock=lambda: clock[0])
    for _ in range(3):
        verifier.verify(idp.issue("s", "s", ["operator"]).access_token)
    assert len(fetched) == 1
    store.documents.pop("keys")  # the key rotates
    rotated = DevIdentityProvider(CONFIG, store, PhoneResidents())
    clock[0] += 120
    verifier.verify(rotated.issue("s", "s", ["operator"]).access_token)
    assert len(fetched) == 2


def test_claims_to_grants() -> None:
    resident = principal_from_claims({"sub": "a", "token_use": "id", "cognito:username": "a"})
    assert resident.grants == {Grant("resident")}
    machine = principal_from_claims({"sub": "c", "token_use": "access", "scope": "ioc/provincial.read"})
    assert machine.grants == {Grant("provincial")}
    unitless = principal_from_claims({"sub": "u", "cognito:groups": ["unit_staff"], "username": "u"})
    assert unitless.grants == frozenset()  # unit staff without a unit see nothing
    # A scope on a city-wide role, an unknown role, a malformed group: all grant nothing.
    odd = principal_from_claims(
        {"sub": "o", "cognito:groups": ["operator@CSCC", "janitor", "unit_staff@", "x@@y"], "username": "o"}
    )
    assert odd.grants == frozenset()
    # An account from before scoped groups: "unit_staff" and the unit in custom:unit.
    legacy = principal_from_claims(
        {"sub": "l", "cognito:groups": ["unit_staff"], "custom:unit": "CSCC", "username": "l"}
    )
    assert legacy.grants == {Grant("unit_staff", "CSCC")}


def test_several_roles_act_by_permission() -> None:
    both = principal_from_claims({"sub": "b", "cognito:groups": ["leader", "operator"], "username": "b"})
    assert both.acting_role("field_reporting.reports.triage") == "operator"
    assert both.acting_role("field_reporting.duplicates.read") == "operator"  # both hold it: the first
    assert both.can("cameras.alerts.handle") and not both.can("field_reporting.routing.manage")
    chair = principal_from_claims(
        {"sub": "c", "cognito:groups": ["ward_leader@22945", "unit_staff@UBND_22945"], "username": "c"}
    )
    reach = chair.reach("field_reporting.reports.read")
    assert (reach.city, reach.units, reach.wards) == (False, {"UBND_22945"}, {"22945"})
    assert chair.acting_role("field_reporting.reports.read") == "unit_staff"  # a unit before a ward
    assert chair.reach("field_reporting.reports.work").units == {"UBND_22945"}
    assert not chair.reach("field_reporting.reports.work").wards  # a ward leader does not work reports


def test_phone_codes_are_hashed_expire_and_are_single_use(idp: DevIdentityProvider, caplog: Any) -> None:
    caplog.set_level("INFO", logger="ioc.dev_idp")
    idp.start_phone_sign_in("0912345678")
    code = caplog.records[-1].getMessage().split(": ")[1].split()[0]
    stored = next(v for k, v in idp.store.documents.items() if k.startswith("otp-"))  # type: ignore[attr-defined]
    assert code not in stored and "+84912345678" not in stored
    assert idp.verify_phone_code("0912345678", code).access_token
    with pytest.raises(Unauthenticated):
        idp.verify_phone_code("0912345678", code)
    idp.start_phone_sign_in("0912345678")
    late = DevIdentityProvider(CONFIG, idp.store, PhoneResidents(), clock=lambda: time.time() + 600)
    with pytest.raises(Unauthenticated, match="No valid code"):
        late.verify_phone_code("0912345678", "000000")


def test_staff_need_password_and_totp(idp: DevIdentityProvider) -> None:
    credentials = {c.username: c for c in idp.ensure_staff()}
    assert idp.ensure_staff() == []  # created once
    operator = credentials["dieuhanh"]
    assert operator.password not in str(idp.store.load("staff"))  # kept hashed
    session = idp.staff_sign_in("dieuhanh", operator.password).session
    tokens = idp.answer_mfa(session, pyotp.TOTP(operator.totp_secret).now())
    assert tokens.access_token
    with pytest.raises(Unauthenticated):
        idp.staff_sign_in("dieuhanh", "wrong")
    with pytest.raises(Unauthenticated):
        idp.answer_mfa(session, "000000")
