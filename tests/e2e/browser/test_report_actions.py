"""The report actions the story test does not take, each in a real browser, Vietnamese first:
a resident withdraws a report, disputes a resolution ("not fixed") and answers an operator's
question; an operator asks a resident for information and merges a duplicate into its master.
Each test sets up through the API what it is not about, drives the form, checks what the page
shows and what the API then says of the report. Screenshots and axe-core reports go to
test-artifacts/browser/; any console error fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from browser_tabs import (
    Api,
    Tab,
    expect_status,
    open_report,
    png,
    resident_token,
    sign_in_resident,
    sign_in_staff,
    staff_token,
    submit,
)
from e2e_stack import HTTP_TIMEOUT, LocalStack
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

UNIT, UNIT_USER, OPERATOR = "QLDT", "qldt", "dieuhanh"
PHONE_VIEW = {"viewport": {"width": 412, "height": 915}}
DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}


def after_photo(stack: LocalStack, staff: Api) -> str:
    """An uploaded photo's key (presigned POST straight to storage, as the console does)."""
    ticket = staff.post("/api/v1/uploads", {"content_type": "image/png"}, expected=201)
    stored = requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("after.png", png(64, 48, (70, 140, 70)), "image/png")},
        timeout=HTTP_TIMEOUT,
    )
    assert 200 <= stored.status_code < 300, stored.text
    return str(ticket["key"])


def mine(resident: Api, report_id: str) -> dict[str, Any]:
    return resident.get(f"/api/v1/me/reports/{report_id}")


def open_mine(tab: Tab, report_id: str) -> Page:
    page = tab.goto(f"/app/reports/{report_id}")
    expect(page.get_by_role("heading", name=f"Phản ánh {report_id}", level=1)).to_be_visible()
    return page


def operator_acts(tab: Tab, stack: LocalStack, report_id: str, field: str, value: str) -> Page:
    """The operator opens the report in the console and fills one action's field (kept as a
    screenshot and checked by axe before the test sends it)."""
    sign_in_staff(tab, stack, OPERATOR)
    page = open_report(tab, report_id)
    page.locator(field).fill(value)
    tab.shot("01-form")
    tab.audit("form")
    return page


def resident_badge(page: Page, label: str) -> None:
    expect(page.locator("h1 + p .badge")).to_have_text(label)


def test_resident_withdraws_a_report(local_stack: LocalStack, tabs: Any, plain_category: str) -> None:
    phone = "0987100001"
    resident = Api(local_stack, resident_token(local_stack, phone))
    report_id = submit(resident, plain_category, "Cây đổ chắn lối đi (kiểm thử rút phản ánh).")

    tab: Tab = tabs("withdraw", **PHONE_VIEW)
    sign_in_resident(tab, local_stack, phone)
    page = open_mine(tab, report_id)
    resident_badge(page, "Chờ tiếp nhận")
    page.locator("summary", has_text="Rút phản ánh").click()
    form = page.locator("form", has=page.get_by_label("Lý do rút"))
    form.get_by_label("Lý do rút").select_option("reported_by_mistake")
    tab.shot("01-withdraw-form")
    tab.audit("withdraw-form")
    form.get_by_role("button", name="Rút phản ánh").click()

    expect(page.get_by_text("Đã rút phản ánh.")).to_be_visible()
    resident_badge(page, "Đã rút")
    expect(page.locator("summary", has_text="Rút phản ánh")).to_have_count(0)
    tab.shot("02-withdrawn")
    tab.audit("withdrawn")

    state = mine(resident, report_id)
    assert state["status"]["code"] == "withdrawn"
    assert state["status"]["state"] == "closed"
    assert "withdraw" not in state["allowed_actions"]
    assert state["history"][-1]["reason"] == "reported_by_mistake"


def test_resident_disputes_a_resolution(local_stack: LocalStack, tabs: Any, plain_category: str) -> None:
    phone = "0987100002"
    resident = Api(local_stack, resident_token(local_stack, phone))
    report_id = submit(resident, plain_category, "Đèn đường hỏng cả dãy (kiểm thử khiếu nại kết quả).")
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    operator.staff_act(report_id, "verify")
    operator.staff_act(report_id, "assign", unit=UNIT)
    unit = Api(local_stack, staff_token(local_stack, UNIT_USER))
    unit.staff_act(report_id, "start")
    unit.staff_act(report_id, "resolve", note="Đã thay bóng đèn.", after_photo=after_photo(local_stack, unit))

    tab: Tab = tabs("dispute", **PHONE_VIEW)
    sign_in_resident(tab, local_stack, phone)
    page = open_mine(tab, report_id)
    resident_badge(page, "Đã xử lý")
    page.locator("summary", has_text="Chưa được khắc phục?").click()
    page.get_by_label("Lý do", exact=True).fill("Đèn vẫn tắt vào buổi tối.")
    tab.shot("01-dispute-form")
    tab.audit("dispute-form")
    page.get_by_role("button", name="Yêu cầu xử lý lại").click()

    expect(page.get_by_text("Phản ánh đã được mở lại.")).to_be_visible()
    resident_badge(page, "Mở lại")
    expect(page.get_by_text("Đèn vẫn tắt vào buổi tối.")).to_be_visible()  # in the timeline
    tab.shot("02-disputed")
    tab.audit("disputed")

    state = mine(resident, report_id)
    assert state["status"]["code"] == "reopened"
    assert state["status"]["state"] == "open"
    assert {"dispute", "rate"}.isdisjoint(state["allowed_actions"])
    last = state["history"][-1]
    assert (last["status"], last["note"]) == ("reopened", "Đèn vẫn tắt vào buổi tối.")


def test_operator_asks_and_the_resident_replies(
    local_stack: LocalStack, tabs: Any, plain_category: str
) -> None:
    phone = "0987100003"
    resident = Api(local_stack, resident_token(local_stack, phone))
    report_id = submit(resident, plain_category, "Nước ngập sau mưa (kiểm thử hỏi thêm thông tin).")
    question = "Ngập ở đoạn nào, gần số nhà mấy?"
    answer = "Trước số nhà 12, đoạn gần chợ."

    # -- the operator asks, in the console ---------------------------------------------------------
    console: Tab = tabs("request-info", **DESK_VIEW)
    page = operator_acts(console, local_stack, report_id, "#action-request_info-text", question)
    page.get_by_role("button", name="Hỏi thêm người dân").click()
    expect(page.get_by_text("Đã cập nhật: Chờ tiếp nhận.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text(question)).to_be_visible()
    expect(page.locator("#action-request_info-text")).to_have_count(0)  # asked once at a time
    expect(page.locator(".waiting-note")).to_have_text("Chờ người dân trả lời")
    # History in sentences, the unchanged status not repeated, no "(operator:dieuhanh)".
    steps = page.locator(".timeline > li")
    expect(steps.last.locator(".step-text")).to_have_text(
        "Điều hành viên dieuhanh hỏi thêm người dân; chờ người dân trả lời"
    )
    expect(steps.last.locator(".badge")).to_have_count(0)
    expect(page.locator(".timeline")).not_to_contain_text("operator:")
    console.shot("02-info-requested")
    console.audit("info-requested")
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    asked = operator.get(f"/api/v1/workflow/reports/{report_id}")
    assert asked["waiting_on_resident"] is True
    assert "request_info" not in asked["allowed_actions"]

    # -- the resident answers, in the app ----------------------------------------------------------
    app: Tab = tabs("reply", **PHONE_VIEW)
    sign_in_resident(app, local_stack, phone)
    page = open_mine(app, report_id)
    box = page.get_by_role("region", name="Thành phố cần thêm thông tin")
    expect(box.get_by_text(question)).to_be_visible()
    expect(page.locator(".waiting-note")).to_have_text("Chờ người dân trả lời")
    expect(page.locator(".timeline")).not_to_contain_text("dieuhanh")  # no staff username
    box.get_by_label("Trả lời của bạn").fill(answer)
    app.shot("01-reply-form")
    app.audit("reply-form")
    box.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã gửi trả lời.")).to_be_visible()
    expect(page.get_by_role("region", name="Thành phố cần thêm thông tin")).to_have_count(0)
    expect(page.locator(".timeline").get_by_text(answer)).to_be_visible()
    app.shot("02-replied")
    app.audit("replied")

    state = mine(resident, report_id)
    assert state["waiting_on_resident"] is False
    assert state["question"] is None
    assert "reply" not in state["allowed_actions"]
    assert state["history"][-1]["note"] == answer
    assert operator.get(f"/api/v1/workflow/reports/{report_id}")["waiting_on_resident"] is False


def test_operator_merges_a_duplicate(local_stack: LocalStack, tabs: Any, plain_category: str) -> None:
    first, second = "0987100004", "0987100005"
    master_reporter = Api(local_stack, resident_token(local_stack, first))
    duplicate_reporter = Api(local_stack, resident_token(local_stack, second))
    master_id = submit(master_reporter, plain_category, "Rác thải đổ trộm ven đường (bản gốc).")
    duplicate_id = submit(duplicate_reporter, plain_category, "Bãi rác ven đường, cùng chỗ (bản trùng).")

    console: Tab = tabs("merge", **DESK_VIEW)
    page = operator_acts(console, local_stack, duplicate_id, "#action-merge-master", master_id)
    page.get_by_role("button", name="Gộp vào phản ánh gốc").click()
    expect(page.get_by_text("Đã cập nhật: Từ chối tiếp nhận.")).to_be_visible()
    expect_status(page, "Từ chối tiếp nhận")
    expect(page.get_by_text("Vai trò của bạn không có thao tác nào ở trạng thái này.")).to_be_visible()
    console.shot("02-merged")
    console.audit("merged")

    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    duplicate = operator.get(f"/api/v1/workflow/reports/{duplicate_id}")
    assert duplicate["status"]["code"] == "rejected"
    assert duplicate["merged_into"] == master_id
    master = operator.get(f"/api/v1/workflow/reports/{master_id}")
    assert master["status"]["code"] == "received"
    assert master["merged"] == [duplicate_id]
    # The duplicate's reporter now follows the master.
    followed = duplicate_reporter.get(f"/api/v1/me/reports/{master_id}")
    assert followed["id"] == master_id
    assert mine(duplicate_reporter, duplicate_id)["merged_into"] == master_id
