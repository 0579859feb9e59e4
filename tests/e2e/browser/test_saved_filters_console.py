"""Saved filters follow the person, not the browser: the operator saves a filter at one desk and
finds it at another (two browser contexts of the same account); filters an older console kept
in a browser move up to the account once. Any console error or axe-core violation fails."""

from __future__ import annotations

from typing import Any

import pytest
from browser_tabs import Api, Tab, sign_in_staff, staff_token
from e2e_stack import LocalStack
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
NAME = "Đèn hỏng quá hạn"
LEGACY = "Cống vỡ (máy cũ)"


def open_queue(tab: Tab, stack: LocalStack) -> Page:
    page = sign_in_staff(tab, stack, "dieuhanh")
    page.get_by_role("link", name="Phản ánh", exact=True).first.click()
    expect(page.get_by_role("heading", name="Hàng đợi phản ánh")).to_be_visible()
    return page


def saved_list(page: Page) -> Any:
    return page.get_by_role("list", name="Bộ lọc đã lưu")


def test_a_filter_saved_at_one_desk_is_there_at_the_next(local_stack: LocalStack, tabs: Any) -> None:
    first = tabs("saved-filters-desk-1", **DESK_VIEW)
    page = open_queue(first, local_stack)
    page.get_by_label("Tìm kiếm").fill("den hong")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.get_by_label("Lưu bộ lọc này với tên").fill(NAME)
    page.get_by_role("button", name="Lưu bộ lọc", exact=True).click()
    expect(saved_list(page).get_by_role("button", name=NAME, exact=True)).to_be_visible()
    first.shot("01-saved")
    first.audit("saved-filters")

    second = tabs("saved-filters-desk-2", **DESK_VIEW)
    other = open_queue(second, local_stack)
    chip = saved_list(other).get_by_role("button", name=NAME, exact=True)
    expect(chip).to_be_visible()
    chip.click()
    expect(other.get_by_label("Tìm kiếm")).to_have_value("den hong")
    assert "q=den+hong" in other.url
    second.shot("02-at-the-next-desk")

    # An older console's filters, kept in this browser: they go up once, the local copy goes.
    subject = other.evaluate(
        "() => Object.values(localStorage).map(v => { try { return JSON.parse(v) } catch { return null } })"
        ".find(s => s && s.subject && s.token).subject"
    )
    key = f"ioc.console.filters.{subject}"
    legacy = [{"name": LEGACY, "filters": {"q": "cong vo", "overdue": True}}]
    other.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [key, legacy])
    other.reload()
    expect(saved_list(other).get_by_role("button", name=LEGACY, exact=True)).to_be_visible()
    expect(other.get_by_text("Đã chuyển 1 bộ lọc")).to_be_visible()
    assert other.evaluate("(k) => localStorage.getItem(k)", key) is None
    staff = Api(local_stack, staff_token(local_stack, "dieuhanh"))
    assert {i["name"] for i in staff.get("/api/v1/me/saved-filters")["items"]} >= {NAME, LEGACY}

    saved_list(other).get_by_role("button", name=f"Xóa bộ lọc đã lưu {NAME}").click()
    expect(saved_list(other).get_by_role("button", name=NAME, exact=True)).to_have_count(0)
    page.reload()
    expect(saved_list(page).get_by_role("button", name=LEGACY, exact=True)).to_be_visible()
    expect(saved_list(page).get_by_role("button", name=NAME, exact=True)).to_have_count(0)
    second.audit("saved-filters-moved")
