"""Sign-in through the local dev IdP and verification through JWKS, as for Cognito."""

from __future__ import annotations

import time

import jwt
import pytest
from chalice.test import Client

from workflow_client import Session, body

pytestmark = pytest.mark.api


def test_a_resident_signs_in_with_the_code_from_the_console_log(session: Session) -> None:
    token = session.resident("0912 345 678")
    me = session.call("GET", "/me", token=token)
    assert me.status_code == 200, me.body
    seen = body(me)
    assert seen["role"] == "resident" and seen["phone"] == "+84912345678"
    assert "listMyReports" in seen["operations"] and "verifyReport" not in seen["operations"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["token_use"] == "access" and claims["cognito:groups"] == ["resident"]


def test_the_same_phone_is_the_same_account(session: Session) -> None:
    first = jwt.decode(session.resident("0912345678"), options={"verify_signature": False})["sub"]
    session.tokens.clear()
    again = jwt.decode(session.resident("+84912345678"), options={"verify_signature": False})["sub"]
    assert first == again


def test_a_wrong_code_is_401_and_five_wrong_codes_end_the_challenge(session: Session) -> None:
    assert session.call("POST", "/auth/otp/start", {"phone": "0987654321"}).status_code == 202
    for _ in range(5):
        wrong = session.call("POST", "/auth/otp/verify", {"phone": "0987654321", "code": "000000"})
        assert wrong.status_code == 401
        assert wrong.headers["Content-Type"] == "application/problem+json"
    assert "ask for a new one" in body(wrong)["detail"]


def test_a_bad_phone_is_400(session: Session) -> None:
    answer = session.call("POST", "/auth/otp/start", {"phone": "12345"})
    assert answer.status_code == 400
    assert body(answer)["errors"][0]["field"] == "phone"


def test_staff_sign_in_needs_password_and_totp(session: Session) -> None:
    token = session.staff("cscc")
    me = body(session.call("GET", "/me", token=token))
    assert (me["role"], me["unit"]) == ("unit_staff", "CSCC")
    creds = session.credentials["cscc"]
    wrong = session.call(
        "POST", "/auth/staff/sign-in", {"username": "cscc", "password": creds.password + "x"}
    )
    assert wrong.status_code == 401
    first = body(
        session.call("POST", "/auth/staff/sign-in", {"username": "cscc", "password": creds.password})
    )
    assert first["challenge"] == "SOFTWARE_TOKEN_MFA"
    bad_code = session.call("POST", "/auth/staff/mfa", {"session": first["session"], "code": "123456"})
    assert bad_code.status_code == 401


def test_refresh_gives_new_tokens_with_the_same_claims(session: Session) -> None:
    creds_token = session.staff("dieuhanh")
    assert creds_token
    first = body(
        session.call(
            "POST", "/auth/staff/sign-in",
            {"username": "dieuhanh", "password": session.credentials["dieuhanh"].password},
        )
    )  # fmt: skip
    import pyotp

    code = pyotp.TOTP(session.credentials["dieuhanh"].totp_secret).now()
    tokens = body(session.call("POST", "/auth/staff/mfa", {"session": first["session"], "code": code}))
    refreshed = session.call("POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    me = body(session.call("GET", "/me", token=body(refreshed)["access_token"]))
    assert me["role"] == "operator"
    assert body(refreshed)["refresh_token"] != tokens["refresh_token"]  # it rotates


def test_a_spent_refresh_token_or_mfa_session_is_401_and_revokes_the_sign_in(session: Session) -> None:
    import pyotp

    session.staff("qldt")  # reads the demo credentials
    creds = session.credentials
    first = body(
        session.call("POST", "/auth/staff/sign-in", {"username": "qldt", "password": creds["qldt"].password})
    )
    code = pyotp.TOTP(creds["qldt"].totp_secret).now()
    tokens = body(session.call("POST", "/auth/staff/mfa", {"session": first["session"], "code": code}))
    replayed = session.call("POST", "/auth/staff/mfa", {"session": first["session"], "code": code})
    assert replayed.status_code == 401 and "used already" in body(replayed)["detail"]
    rotated = body(session.call("POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"]}))
    spent = session.call("POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert spent.status_code == 401
    assert spent.headers["Content-Type"] == "application/problem+json"
    revoked = session.call("POST", "/auth/refresh", {"refresh_token": rotated["refresh_token"]})
    assert revoked.status_code == 401 and "revoked" in body(revoked)["detail"]


def test_jwks_and_openid_configuration(session: Session) -> None:
    keys = body(session.call("GET", "/auth/.well-known/jwks.json"))["keys"]
    assert keys and keys[0]["alg"] == "RS256" and "d" not in keys[0]  # public parts only
    config = body(session.call("GET", "/auth/.well-known/openid-configuration"))
    assert config["jwks_uri"] == f"{config['issuer']}/.well-known/jwks.json"


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-jwt", "Basic abc", "Bearer "],
)
def test_a_bad_token_is_401_even_on_public_routes(session: Session, header: str) -> None:
    answer = session.client.http.get("/api/v1/categories", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_another_issuer_or_expired_is_401(session: Session) -> None:
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None
    now = int(time.time())
    base = {"sub": "x", "iat": now, "token_use": "access", "client_id": provider.config.client_id,
            "cognito:groups": ["operator"], "username": "x"}  # fmt: skip
    issuer = provider.config.issuer
    for claims in (
        {**base, "iss": "https://evil.example", "exp": now + 60},
        {**base, "iss": issuer, "exp": now - 3600},
        {**base, "iss": issuer, "exp": now + 60, "client_id": "other-app"},
    ):
        token = provider._sign(claims)
        assert session.call("GET", "/me", token=token).status_code == 401
    good = provider._sign({**base, "iss": provider.config.issuer, "exp": now + 60})
    assert session.call("GET", "/me", token=good).status_code == 200


def test_sign_in_is_identity_s_own_api_with_its_own_document(identity_client: Client) -> None:
    from openapi_spec_validator import validate

    answer = identity_client.http.get("/api/v1/auth/openapi.json")
    assert answer.status_code == 200
    document = body(answer)
    validate(document)
    documented = {(m.upper(), path) for path, item in document["paths"].items() for m in item}
    routed = {(m, path) for path, entries in identity_client._app.routes.items() for m in entries}
    assert documented == routed
    administering = {
        "/api/v1/auth/roles", "/api/v1/auth/staff", "/api/v1/auth/staff/{username}/grants",
        "/api/v1/auth/staff/{username}/disable", "/api/v1/auth/staff/{username}/enable",
        "/api/v1/auth/staff/{username}/mfa-reset", "/api/v1/auth/staff/{username}/password-reset",
    }  # fmt: skip
    signing_in = [
        op for path, item in document["paths"].items() if path not in administering for op in item.values()
    ]
    assert signing_in and all(op["x-roles"][0] == "anonymous" for op in signing_in)
    assert {"staffNewPassword", "staffMfaSetup"} <= {op["operationId"] for op in signing_in}
    managing = [
        document["paths"]["/api/v1/auth/staff/{username}/grants"]["put"],
        document["paths"]["/api/v1/auth/staff"]["post"],
        *(
            document["paths"][f"/api/v1/auth/staff/{{username}}/{a}"]["post"]
            for a in ("disable", "enable", "mfa-reset", "password-reset")
        ),
    ]
    for op in managing:
        assert (op["x-permission"], op["x-roles"]) == ("identity.staff.manage", ["admin"]), op["operationId"]


def test_a_sign_in_that_is_not_json_is_a_415_problem(identity_client: Client) -> None:
    answer = identity_client.http.post(
        "/api/v1/auth/otp/start", headers={"Content-Type": "text/plain"}, body="0912345678"
    )
    assert answer.status_code == 415
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_codes_asked_again_too_soon_and_repeated_wrong_passwords_are_429_with_retry_after(
    session: Session,
) -> None:
    assert session.call("POST", "/auth/otp/start", {"phone": "0987654322"}).status_code == 202
    again = session.call("POST", "/auth/otp/start", {"phone": "0987654322"})
    assert again.status_code == 429
    assert again.headers["Content-Type"] == "application/problem+json"
    assert 0 < int(again.headers["Retry-After"]) <= 30
    assert body(again)["status"] == 429 and "A code was just sent" in body(again)["detail"]
    session.staff("cscc")
    password = session.credentials["cscc"].password
    for _ in range(5):
        wrong = session.call("POST", "/auth/staff/sign-in", {"username": "cscc", "password": "wrong"})
        assert wrong.status_code == 401
    locked = session.call("POST", "/auth/staff/sign-in", {"username": "cscc", "password": password})
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "30"
    assert "Too many failed attempts" in body(locked)["detail"]
