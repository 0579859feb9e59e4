"""assign-person names an active member of the report's unit (the staff directory's), else a
422 naming ``username``; GET /workflow/units/{unit}/staff is the console's picker."""

from __future__ import annotations

from typing import Any

import pytest

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api


def _cscc_report(session: Session) -> str:
    sent = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"}
    created = session.call("POST", "/reports", sent, token=session.resident())
    assert created.status_code == 201, created.body
    report_id = str(body(created)["id"])
    verified = session.call(
        "POST", f"/workflow/reports/{report_id}/verify", {"unit": "CSCC", "version": 1},
        token=session.staff("dieuhanh"),
    )  # fmt: skip
    assert verified.status_code == 200, verified.body
    return report_id


def _name(session: Session, report_id: str, username: str | None, who: str = "dieuhanh") -> Any:
    return session.call(
        "POST", f"/workflow/reports/{report_id}/assign-person", {"username": username, "version": 3},
        token=session.staff(who),
    )  # fmt: skip


@pytest.mark.parametrize(
    "username",
    ["qldt", "nobody", "chutich-phanthiet", "quantri"],  # another unit's, unknown, not CSCC's, admin
)
def test_someone_not_of_the_report_s_unit_is_a_422_naming_the_field(session: Session, username: str) -> None:
    report_id = _cscc_report(session)
    answer = _name(session, report_id, username)
    assert answer.status_code == 422, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = body(answer)
    assert [e["field"] for e in problem["errors"]] == ["username"]
    assert " / " in problem["detail"] and "CSCC" in problem["detail"]


def test_a_disabled_account_cannot_be_named(session: Session) -> None:
    from ioc_core.identity.wiring import dev_idp

    report_id = _cscc_report(session)
    provider = dev_idp()
    assert provider is not None
    provider.staff_pool.set_enabled("cscc", False)
    try:
        assert _name(session, report_id, "cscc").status_code == 422
    finally:
        provider.staff_pool.set_enabled("cscc", True)
    assert _name(session, report_id, "cscc").status_code == 200


def test_the_picker_lists_the_unit_s_active_staff(session: Session) -> None:
    listed = session.call("GET", "/workflow/units/CSCC/staff", token=session.staff("dieuhanh"))
    assert listed.status_code == 200, listed.body
    assert body(listed) == {
        "unit": "CSCC", "members": [{"username": "cscc", "name": "Công ty Chiếu sáng công cộng"}],
    }  # fmt: skip
    assert listed.headers["Cache-Control"] == "no-store"
    own = session.call("GET", "/workflow/units/CSCC/staff", token=session.staff("cscc"))
    assert own.status_code == 200
    other = session.call("GET", "/workflow/units/QLDT/staff", token=session.staff("cscc"))
    assert other.status_code == 403
    unknown = session.call("GET", "/workflow/units/NOPE/staff", token=session.staff("dieuhanh"))
    assert unknown.status_code == 404
    assert session.call("GET", "/workflow/units/CSCC/staff", token=session.resident()).status_code == 403
