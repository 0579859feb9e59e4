"""The audit log in a real browser, Vietnamese first: the administrator creates an Open311 key
and revokes it in the console, then finds the revocation in "Nhật ký hệ thống" by searching for
the partner's name without its diacritics, with their own username and the address they came
from; the leader reads the same log in English. axe-core finds nothing serious on either page,
and any console error fails the test (browser_tabs.Tab)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_tabs import Api, sign_in_staff, staff_token
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ADMIN, LEADER = "quantri", "lanhdao"
DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
PARTNER = "Hệ thống Đối tác Mũi Né"


def _revoked_in_the_log(admin: Api) -> bool:
    """The audit writer reads the outbox stream a moment after the change (the event pump)."""
    (key,) = [k for k in admin.get("/api/v1/admin/api-keys")["items"] if k["name"] == PARTNER]
    found = admin.get(f"/api/v1/audit?target={key['key_id']}")["items"]
    return "platform.api_key.revoked" in {e["action"] for e in found}


def test_an_administrator_revokes_a_key_and_finds_it_in_the_audit_log(
    local_stack: LocalStack, tabs: Any
) -> None:
    tab = tabs("audit-admin", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, ADMIN)
    page.get_by_role("link", name="Khóa API Open311").click()
    page.get_by_label("Tên đối tác hoặc hệ thống").fill(PARTNER)
    page.get_by_role("button", name="Tạo khóa").click()
    expect(page.get_by_text("Hãy sao chép khóa ngay bây giờ.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=PARTNER)
    row.get_by_role("button", name=f"Thu hồi khóa “{PARTNER}”").click()
    row.get_by_role("button", name=f"Thu hồi “{PARTNER}”").click()
    expect(page.get_by_text(f"Đã thu hồi khóa “{PARTNER}”.")).to_be_visible()
    admin = Api(local_stack, staff_token(local_stack, ADMIN))
    ready, _ = wait_until(lambda: _revoked_in_the_log(admin), bool, 60, interval=0.5)
    assert ready, "the revocation never reached the audit log"

    page.get_by_role("link", name="Nhật ký hệ thống").click()
    expect(page.get_by_role("heading", name="Nhật ký hệ thống", level=1)).to_be_visible()
    page.get_by_label("Tìm theo từ").fill("thu hoi doi tac mui ne")  # no diacritics, any case
    page.get_by_label("Người thực hiện").fill(ADMIN)  # their own actions: one index, not every day's entries
    page.get_by_label("Loại thao tác").select_option("platform.api_key.")
    page.get_by_role("button", name="Lọc", exact=True).click()
    table = page.get_by_role(
        "table", name="Nhật ký hệ thống: thời điểm, người thực hiện, thao tác, đối tượng và nơi gửi"
    )
    revoked = table.get_by_role("row").filter(has_text="Thu hồi khóa API")
    expect(revoked).to_have_count(1, timeout=20_000)  # the live demo keeps the local stack busy
    expect(revoked).to_contain_text(PARTNER)
    expect(revoked).to_contain_text(f"{ADMIN} · admin")
    expect(revoked).to_contain_text("POST /api/v1/admin/api-keys/{key_id}/revoke")
    expect(revoked).to_contain_text("127.0.0.1")  # the local gateway's address; CloudFront's viewer in AWS
    expect(table.get_by_role("row").filter(has_text="Cấp khóa API")).to_have_count(0)  # the words exclude it
    tab.shot("01-audit-found")
    tab.audit("audit-found")

    page.get_by_label("Tìm theo từ").fill("")  # every action of theirs: the key created, then revoked
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(table.get_by_role("row").filter(has_text=PARTNER)).to_have_count(2, timeout=20_000)


def test_the_leader_reads_the_log_in_english(local_stack: LocalStack, tabs: Any) -> None:
    tab = tabs("audit-leader", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, LEADER)
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Nhật ký hệ thống").click()
    expect(page.get_by_role("heading", name="Nhật ký hệ thống", level=1)).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    expect(
        page.get_by_role("table", name="Audit log: time, actor, action, target and origin")
    ).to_be_visible()
    tab.shot("02-audit-leader-en")
    tab.audit("audit-leader-en")
