"""The operators' inbox in a real browser, Vietnamese first: the navigation shows the desk's
unread count (the demo history leaves them well over a thousand), the inbox lists them with
dates for people and each piece of a notification once, "Đánh dấu đã đọc" reads one, "Đánh
dấu tất cả đã đọc" clears the desk and the badge goes away; the API says the same. axe-core
runs on each state and any console error fails the test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_tabs import Api, sign_in_staff, staff_token
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

OPERATOR = "dieuhanh"
DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
LABELS = ("Chờ tiếp nhận", "Đã tiếp nhận", "Đã chuyển xử lý", "Đang xử lý", "Đã xử lý", "Mở lại")
UNREAD = "/api/v1/workflow/notifications/unread-count"


def vi_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def inbox_link(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=re.compile("^Hộp thư"))


def quiet_desk(operator: Api) -> int:
    """The desk's unread count once nothing more is arriving. The built-in camera simulator's
    fire (pt-hd-01, at a fixed point of its scene, minutes after the start) pages the operators'
    desk, and so may a camera story run before this one: wait for that page, then for a count
    that holds, so the figures below are the desk's and not a moving target."""

    def scripted_page() -> list[Any]:
        items = operator.get("/api/v1/workflow/notifications?limit=100")["items"]
        return [n for n in items if n["kind"] == "camera_paged" and "pt-hd-01" in n["title"]["vi"]]

    paged, _ = wait_until(scripted_page, bool, 600, interval=5)
    assert paged, "the simulator's fire never paged the operators' desk"
    seen: list[int] = []

    def held() -> list[int]:
        seen.append(operator.get(UNREAD)["unread"])
        return seen[-4:]

    steady, last = wait_until(held, lambda xs: len(xs) == 4 and len(set(xs)) == 1, 120, interval=5)
    assert steady, f"the desk kept changing: {last}"
    return last[-1]


def test_operator_clears_the_desk_and_the_badge_goes_to_zero(local_stack: LocalStack, tabs: Any) -> None:
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    unread = quiet_desk(operator)
    assert unread > 1000, unread  # the demo history's

    tab = tabs("inbox", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OPERATOR)
    badge = inbox_link(page).locator(".nav-count")
    expect(badge).to_contain_text(vi_number(unread))
    expect(inbox_link(page)).to_have_accessible_name(re.compile(f"{re.escape(vi_number(unread))} chưa đọc"))

    inbox_link(page).click()
    expect(page.get_by_role("heading", name="Hộp thư của bộ phận", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Thông báo của bộ phận, mới nhất trước")
    expect(table).to_be_visible()
    expect(page.get_by_text(f"50 thông báo đã tải, {vi_number(unread)} chưa đọc")).to_be_visible()
    first_time = table.locator("time").first
    expect(first_time).to_contain_text(re.compile(r"\d{2}:\d{2}, \d{2}/\d{2}/\d{4}"))
    assert re.search(r"[+]\d{2}:\d{2}$", first_time.get_attribute("datetime") or "")  # ISO for machines
    for text in table.locator("tbody tr").all_inner_texts():
        assert all(text.count(label) <= 1 for label in LABELS), text  # each piece once
    tab.shot("01-inbox")
    tab.audit("inbox")

    # One read: its row's button, the count and the badge follow.
    table.get_by_role("button", name=re.compile("^Đánh dấu đã đọc")).first.click()
    expect(badge).to_contain_text(vi_number(unread - 1))
    assert operator.get(UNREAD)["unread"] == unread - 1

    # Load more pages by the API's cursor.
    page.get_by_role("button", name="Tải thêm").click()
    expect(page.get_by_text(f"100 thông báo đã tải, {vi_number(unread - 1)} chưa đọc")).to_be_visible()

    # All read: the whole desk, not only what is loaded.
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    marked = page.get_by_text(f"Đã đánh dấu {vi_number(unread - 1)} thông báo là đã đọc.")
    expect(marked).to_be_visible(timeout=30_000)  # ~17 transactions on a busy local AWS
    expect(badge).to_have_count(0)
    expect(table.locator(".unread-badge")).to_have_count(0)
    expect(page.get_by_role("button", name="Đánh dấu tất cả đã đọc")).to_be_disabled()
    tab.shot("02-all-read")
    tab.audit("all-read")
    assert operator.get(UNREAD) == {"unread": 0}
    assert operator.post("/api/v1/workflow/notifications/read-all", {}) == {"marked": 0, "unread": 0}

    # The same page in English.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Mark all as read")).to_be_disabled()
    expect(page.get_by_text("100 notifications loaded, 0 unread")).to_be_visible()
    tab.audit("all-read-en")
