"""The administrator's roles console: the catalogue, the staff list, and grants that the
account's next token carries (a unit's staff given a second unit sees its queue)."""

from __future__ import annotations

import json
from typing import Any

import pyotp
import pytest

from workflow_client import Session, body

pytestmark = pytest.mark.api


def test_the_catalogue_names_every_room_s_roles_and_what_they_permit(session: Session) -> None:
    answer = session.call("GET", "/auth/roles", token=session.staff("cscc"))
    assert answer.status_code == 200, answer.body
    catalogue = body(answer)
    roles = {r["name"]: r for r in catalogue["roles"]}
    assert {
        "operator",
        "leader",
        "admin",
        "unit_staff",
        "ward_leader",
        "resident",
        "provincial",
    } <= roles.keys()
    assert roles["unit_staff"]["scope"] == "unit" and roles["ward_leader"]["scope"] == "ward"
    assert "field_reporting.reports.work" in roles["unit_staff"]["permissions"]
    assert "cameras.alerts.handle" in roles["operator"]["permissions"]
    assert roles["leader"]["title"] == {"vi": "Lãnh đạo", "en": "Leader"}
    assert {"CSCC", "MTDT", "UBND_22945"} <= {u["code"] for u in catalogue["units"]}
    assert "22945" in {w["code"] for w in catalogue["wards"]}


def test_a_second_unit_granted_reaches_the_account_s_next_token(session: Session) -> None:
    admin = session.staff("quantri")
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert listed["source"] == "dev-idp"
    cscc = next(u for u in listed["users"] if u["username"] == "cscc")
    assert cscc["grants"] == [{"role": "unit_staff", "scope": "CSCC"}]
    chair = next(u for u in listed["users"] if u["username"] == "chutich-phanthiet")
    assert len(chair["grants"]) == 2  # one account, two roles

    before = session.staff("cscc")
    denied = session.call("GET", "/workflow/reports?unit=MTDT", token=before)
    assert denied.status_code == 403

    grants = [{"role": "unit_staff", "scope": "CSCC"}, {"role": "unit_staff", "scope": "MTDT"}]
    put = session.call("PUT", "/auth/staff/cscc/grants", {"grants": grants}, token=admin)
    assert put.status_code == 200, put.body
    assert body(put)["grants"] == grants

    after = _refresh(session, "cscc")
    me = body(session.call("GET", "/me", token=after))
    assert me["grants"] == grants and "field_reporting.reports.work" in me["permissions"]
    assert session.call("GET", "/workflow/reports?unit=MTDT", token=after).status_code == 200
    assert session.call("GET", "/workflow/reports?unit=QLDT", token=after).status_code == 403


def _refresh(session: Session, username: str) -> str:
    refresh = session.refresh_tokens[username]
    answer = session.call("POST", "/auth/refresh", {"refresh_token": refresh})
    assert answer.status_code == 200, answer.body
    return str(json.loads(answer.body)["access_token"])


def test_bad_grants_are_a_400_problem_and_change_nothing(session: Session) -> None:
    admin = session.staff("quantri")
    answer = session.call(
        "PUT", "/auth/staff/cscc/grants", {"grants": [{"role": "unit_staff", "scope": "NOPE"}]}, token=admin
    )
    assert answer.status_code == 400
    problem: dict[str, Any] = body(answer)
    assert problem["errors"][0]["field"] == "grants[0].scope", problem
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert next(u for u in listed["users"] if u["username"] == "cscc")["grants"] == [
        {"role": "unit_staff", "scope": "CSCC"}
    ]
    last = session.call("PUT", "/auth/staff/quantri/grants", {"grants": [{"role": "operator"}]}, token=admin)
    assert last.status_code == 409
    assert session.call("PUT", "/auth/staff/nobody/grants", {"grants": []}, token=admin).status_code == 404


# -- accounts: create, the first sign-in, disable and enable, reset the authenticator -----------
NEW = {
    "username": "lan",
    "name": "Lê Thị Lan",
    "email": "Lan@PhanThiet.gov.vn",
    "phone": "0912 000 111",
    "grants": [{"role": "unit_staff", "scope": "CSCC"}],
}
NEW_PASSWORD = "Mật-khẩu-mới-2026!"


def _first_sign_in(session: Session, temporary: str) -> dict[str, Any]:
    """The new person's first sign-in, as the console walks it: new password, then authenticator."""
    first = session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": temporary})
    assert first.status_code == 200, first.body
    assert body(first)["challenge"] == "NEW_PASSWORD_REQUIRED" and body(first)["secret_code"] is None
    weak = session.call(
        "POST", "/auth/staff/new-password", {"session": body(first)["session"], "new_password": "ngan"}
    )
    assert weak.status_code == 400 and body(weak)["errors"][0]["field"] == "new_password"
    setup = session.call(
        "POST", "/auth/staff/new-password", {"session": body(first)["session"], "new_password": NEW_PASSWORD}
    )
    assert setup.status_code == 200, setup.body
    assert setup.headers["Cache-Control"] == "no-store"
    challenge = body(setup)
    assert challenge["challenge"] == "MFA_SETUP" and challenge["otpauth_uri"].startswith("otpauth://totp/")
    code = pyotp.TOTP(challenge["secret_code"]).now()
    signed = session.call("POST", "/auth/staff/mfa-setup", {"session": challenge["session"], "code": code})
    assert signed.status_code == 200, signed.body
    return {**body(signed), "secret": challenge["secret_code"]}


def test_an_administrator_creates_an_account_whose_first_sign_in_sets_password_and_authenticator(
    session: Session,
) -> None:
    admin = session.staff("quantri")
    created = session.call("POST", "/auth/staff", NEW, token=admin)
    assert created.status_code == 201, created.body
    assert created.headers["Cache-Control"] == "no-store"
    reply = body(created)
    assert reply["account"] == {
        "username": "lan", "name": "Lê Thị Lan", "grants": NEW["grants"], "enabled": True,
        "must_change_password": True,
    }  # fmt: skip
    assert reply["valid_days"] == 3 and len(reply["temporary_password"]) >= 12
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert "temporary_password" not in json.dumps(listed)
    assert next(u for u in listed["users"] if u["username"] == "lan")["must_change_password"] is True

    signed = _first_sign_in(session, reply["temporary_password"])
    me = body(session.call("GET", "/me", token=signed["access_token"]))
    assert (me["username"], me["name"], me["unit"]) == ("lan", "Lê Thị Lan", "CSCC")
    again = session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": NEW_PASSWORD})
    assert body(again)["challenge"] == "SOFTWARE_TOKEN_MFA"
    taken = session.call("POST", "/auth/staff", NEW, token=admin)
    assert taken.status_code == 409 and "taken" in body(taken)["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "Lan Anh"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"email": None}, "email"),  # the staff pool requires one
        ({"phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"grants": [{"role": "unit_staff", "scope": "NOPE"}]}, "grants[0].scope"),
    ],
)
def test_bad_account_details_are_a_400_naming_the_field(
    session: Session, change: dict[str, Any], field: str
) -> None:
    admin = session.staff("quantri")
    sent = {k: v for k, v in {**NEW, **change}.items() if v is not None}
    answer = session.call("POST", "/auth/staff", sent, token=admin)
    assert answer.status_code == 400, answer.body
    problem = body(answer)
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert " / " in problem["title"] or " / " in problem.get("detail", ""), problem  # vi / en
    assert field in [e["field"] for e in problem["errors"]], problem
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert "lan" not in {u["username"] for u in listed["users"]}


def test_a_disabled_account_cannot_sign_in_nor_refresh_and_enabling_lets_it_sign_in_again(
    session: Session,
) -> None:
    admin = session.staff("quantri")
    temporary = body(session.call("POST", "/auth/staff", NEW, token=admin))["temporary_password"]
    signed = _first_sign_in(session, temporary)

    disabled = session.call("POST", "/auth/staff/lan/disable", token=admin)
    assert disabled.status_code == 200, disabled.body
    assert body(disabled)["enabled"] is False
    refused = session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": NEW_PASSWORD})
    assert refused.status_code == 401 and "disabled" in body(refused)["detail"]
    gone = session.call("POST", "/auth/refresh", {"refresh_token": signed["refresh_token"]})
    assert gone.status_code == 401

    assert body(session.call("POST", "/auth/staff/lan/enable", token=admin))["enabled"] is True
    back = session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": NEW_PASSWORD})
    code = pyotp.TOTP(signed["secret"]).now()
    tokens = session.call("POST", "/auth/staff/mfa", {"session": body(back)["session"], "code": code})
    assert tokens.status_code == 200, tokens.body
    still_gone = session.call("POST", "/auth/refresh", {"refresh_token": signed["refresh_token"]})
    assert still_gone.status_code == 401  # the sign-out outlives the re-enable


def test_a_reset_authenticator_is_set_up_again_at_the_next_sign_in(session: Session) -> None:
    admin = session.staff("quantri")
    temporary = body(session.call("POST", "/auth/staff", NEW, token=admin))["temporary_password"]
    old = _first_sign_in(session, temporary)["secret"]
    reset = session.call("POST", "/auth/staff/lan/mfa-reset", token=admin)
    assert reset.status_code == 200, reset.body
    again = body(session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": NEW_PASSWORD}))
    assert again["challenge"] == "MFA_SETUP" and again["secret_code"] != old


def test_a_lost_password_gets_a_new_temporary_one_shown_once_and_the_authenticator_stays(
    session: Session,
) -> None:
    admin = session.staff("quantri")
    temporary = body(session.call("POST", "/auth/staff", NEW, token=admin))["temporary_password"]
    signed = _first_sign_in(session, temporary)
    reset = session.call("POST", "/auth/staff/lan/password-reset", token=admin)
    assert reset.status_code == 200, reset.body
    assert reset.headers["Cache-Control"] == "no-store"
    issued = body(reset)
    assert issued["account"]["username"] == "lan" and issued["account"]["must_change_password"] is True
    listed = body(session.call("GET", "/auth/staff", token=admin))["users"]
    assert next(u for u in listed if u["username"] == "lan")["must_change_password"] is True
    # The old password no longer signs in, its refresh token is revoked, and the new one asks
    # for a password of one's own, then the authenticator already enrolled (not a new one).
    old = session.call("POST", "/auth/staff/sign-in", {"username": "lan", "password": NEW_PASSWORD})
    assert old.status_code == 401
    refreshed = session.call("POST", "/auth/refresh", {"refresh_token": signed["refresh_token"]})
    assert refreshed.status_code == 401
    first = body(
        session.call(
            "POST", "/auth/staff/sign-in", {"username": "lan", "password": issued["temporary_password"]}
        )
    )
    assert first["challenge"] == "NEW_PASSWORD_REQUIRED"
    changed = {"session": first["session"], "new_password": "Mật-khẩu-khác-2026!"}
    chosen = session.call("POST", "/auth/staff/new-password", changed)
    assert chosen.status_code == 200 and body(chosen)["challenge"] == "SOFTWARE_TOKEN_MFA", chosen.body
    code = pyotp.TOTP(signed["secret"]).now()
    tokens = session.call("POST", "/auth/staff/mfa", {"session": body(chosen)["session"], "code": code})
    assert tokens.status_code == 200, tokens.body


def test_an_administrator_never_disables_or_resets_themselves_nor_the_last_administrator(
    session: Session,
) -> None:
    admin = session.staff("quantri")
    for action in ("disable", "mfa-reset", "password-reset"):
        mine = session.call("POST", f"/auth/staff/quantri/{action}", token=admin)
        assert mine.status_code == 409, mine.body
        assert mine.headers["Content-Type"].startswith("application/problem+json")
        assert "your own" in body(mine)["detail"]
    second = {**NEW, "username": "qt2", "email": "qt2@phanthiet.gov.vn", "grants": [{"role": "admin"}]}
    assert session.call("POST", "/auth/staff", second, token=admin).status_code == 201
    assert session.call("POST", "/auth/staff/qt2/disable", token=admin).status_code == 200
    # qt2 is disabled: quantri is the last administrator, whoever asks
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None
    other = provider.issue("staff-qt2", "qt2", ["admin"]).access_token  # its access token lasts its hour
    last = session.call("POST", "/auth/staff/quantri/disable", token=other)
    assert last.status_code == 409 and "at least one administrator" in body(last)["detail"]
    assert session.call("POST", "/auth/staff/nobody/disable", token=admin).status_code == 404
    assert session.call("POST", "/auth/staff/lan/disable", token=session.staff("dieuhanh")).status_code == 403
