"""The whole story in a real browser, Vietnamese first: a resident signs in by phone and
submits a report with a photo and a location; an operator verifies it and assigns it to a
unit; the unit starts and resolves it with an after-photo; the resident rates it; and the
statistics page shows the change. Every page is screenshotted (test-artifacts/browser/),
checked by axe-core, and any console error fails the test.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from browser_tabs import Tab, expect_status, open_report, png, sign_in_staff, sign_out
from e2e_stack import HTTP_TIMEOUT, LocalStack, wait_until
from playwright.sync_api import expect

from ioc_core.local.demo_history import PUBLISHED

pytestmark = pytest.mark.e2e

PHONE = "0912345678"
# Phan Thiết ward, in the city centre: the phone "is" here (browser geolocation).
WHERE = {"latitude": 10.928, "longitude": 108.102}
UNIT, UNIT_USER = "QLDT", "qldt"
BREAKDOWN = "/api/v1/stats/field-reporting/breakdown?by=city"
# Events reach the statistics through the local event pump, shared with every subsystem.
STATS_TIMEOUT = 180.0


def vi_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def city_figures(stack: LocalStack) -> dict[str, Any]:
    response = requests.get(stack.url + BREAKDOWN, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    figures: dict[str, Any] = response.json()["rows"][0]["figures"]
    return figures


def settled_figures(stack: LocalStack, done: Any = lambda f: True, timeout: float = 120) -> dict[str, Any]:
    """The city's figures once ``done`` holds and they stay unchanged for 2 s (the event pump
    projects the demo history for a while after the stack is ready)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] | None = None
    steady_since = time.monotonic()
    while time.monotonic() < deadline:
        figures = city_figures(stack)
        if figures != last:
            last, steady_since = figures, time.monotonic()
        elif done(figures) and time.monotonic() - steady_since >= 2:
            return figures
        time.sleep(0.25)
    raise AssertionError(f"figures never settled: {last}")


def test_report_story(local_stack: LocalStack, tabs: Any) -> None:
    # The stack is shared: the figures before this story, once earlier tests' changes are in.
    start = settled_figures(local_stack, lambda f: f["total"] >= PUBLISHED.reports)
    resident: Tab = tabs(
        "resident",
        viewport={"width": 412, "height": 915},
        geolocation=WHERE,
        permissions=["geolocation"],
    )
    console: Tab = tabs("console", viewport={"width": 1366, "height": 900})

    # -- the resident signs in by phone (the dev IdP prints the one-time code) -------------------
    page = resident.goto("/app/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Phản ánh của tôi")).to_be_visible()
    resident.shot("01-home")
    resident.audit("home")
    page.get_by_role("navigation").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Số điện thoại").fill(PHONE)
    page.get_by_role("button", name="Nhận mã xác thực").click()
    code = wait_until(
        lambda: re.findall(r"one-time code for \+84912345678: (\d{6})", local_stack.log()), bool, 10
    )[1]
    assert code, "the dev IdP printed no one-time code"
    page.get_by_label("Mã xác thực").fill(code[-1])
    resident.shot("02-sign-in-code")
    resident.audit("sign-in-code")
    page.get_by_role("button", name="Đăng nhập").click()
    # A first sign-in registers the account (through the outbox) while the demo's events are
    # still being worked through: more than the default five seconds on a loaded machine.
    expect(page.get_by_text("Đã đăng nhập: +84912345678")).to_be_visible(timeout=20_000)

    # -- … and submits a report: category, its question, location, words, photo -----------------
    page.get_by_role("navigation").get_by_role("link", name="Gửi phản ánh").click()
    page.get_by_label("Lĩnh vực").select_option("road_damage")
    severity = page.locator("#attr-severity")
    severity.select_option(index=1)
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.locator(".ward-hint")).to_have_text("Trong Phường Phan Thiết")
    page.get_by_label("Mô tả").fill("Ổ gà lớn giữa đường, xe máy dễ ngã (kiểm thử trình duyệt).")
    # The form says what the public will not see of what the resident types.
    expect(page.locator("#privacy-hint")).to_contain_text("số CCCD và email trong mô tả sẽ được che")
    page.get_by_label("Ảnh hiện trường").set_input_files(
        files=[{"name": "o-ga.png", "mimeType": "image/png", "buffer": png(160, 120, (120, 90, 60))}]
    )
    expect(page.get_by_role("img", name="Ảnh đã chọn")).to_be_visible()
    resident.shot("03-new-report")
    resident.audit("new-report")
    page.get_by_role("button", name="Gửi phản ánh").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Phản ánh \S+$"))
    report_id = heading.inner_text().removeprefix("Phản ánh ").strip()
    expect(page.get_by_text(f"Đã gửi phản ánh {report_id}")).to_be_visible()
    photo = page.get_by_role("img", name="Ảnh 1 của phản ánh")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 160", arg=photo.element_handle())
    resident.shot("04-tracking")
    resident.audit("tracking")

    # The figures before the city acts: this report is counted.
    before = settled_figures(local_stack, lambda f: f["total"] >= start["total"] + 1)
    assert before["total"] == start["total"] + 1

    # -- an operator finds it in the queue, verifies it and assigns it ---------------------------
    page = sign_in_staff(console, local_stack, "dieuhanh", shoot=True)
    # Operators start on the overview, one tile per room; the queue is one link away.
    expect(page.get_by_role("heading", name="Tổng quan thành phố", level=1)).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Phản ánh", exact=True).click()
    expect(page.get_by_role("heading", name="Hàng đợi phản ánh")).to_be_visible()
    page.get_by_label("Trạng thái").select_option("received")
    page.get_by_label("Lĩnh vực").select_option("road_damage")
    page.get_by_label("Phường/xã").select_option("22945")
    page.get_by_role("button", name="Lọc", exact=True).click()
    row_link = page.get_by_role("link", name=report_id)
    expect(row_link).to_be_visible()
    console.shot("03-queue")
    console.audit("queue")
    row_link.click()
    expect(page.get_by_role("heading", name=f"Phản ánh {report_id}")).to_be_visible()
    expect_status(page, "Chờ tiếp nhận")
    expect(page.get_by_text("+84912345678")).to_be_visible()
    place = page.get_by_role("region", name=re.compile("^Vị trí phản ánh trên bản đồ"))
    expect(place.locator(".place-pin")).to_have_count(1)  # the report's pin
    console.shot("04-detail-received")
    console.audit("detail")
    page.locator("#action-verify-text").fill("Đã xác minh qua ảnh hiện trường.")
    # The routing table names the unit: verify and assign are one step, unless unticked.
    also = page.get_by_label("Chuyển luôn cho Phòng Quản lý đô thị (theo bảng phân công)")
    expect(also).to_be_checked()
    page.get_by_role("button", name="Xác minh, tiếp nhận").click()
    expect_status(page, "Đã chuyển xử lý")
    console.shot("05-detail-assigned")

    page.get_by_role("navigation").get_by_role("link", name="Bản đồ").click()
    expect(page.get_by_role("heading", name="Bản đồ phản ánh")).to_be_visible()
    # One dot per report, or a numbered cluster where they lie close together (here: the same point).
    expect(page.locator(".reports-map .report-dot, .reports-map .map-cluster").first).to_be_visible()
    expect(page.get_by_text("Đang tải…")).to_have_count(0)
    expect(page.locator(".ward-label").first).to_be_visible()
    console.shot("06-map")
    console.audit("map")
    sign_out(page)

    # -- the unit starts the work and resolves it with an after-photo ----------------------------
    sign_in_staff(console, local_stack, UNIT_USER)
    page = open_report(console, report_id)
    page.get_by_role("button", name="Bắt đầu xử lý").click()
    expect_status(page, "Đang xử lý")
    page.get_by_label("Ảnh sau xử lý").set_input_files(
        files=[{"name": "da-va.png", "mimeType": "image/png", "buffer": png(160, 120, (70, 140, 70))}]
    )
    page.locator("#action-resolve-text").fill("Đã vá ổ gà, thảm lại mặt đường.")
    page.get_by_role("button", name="Báo cáo đã xử lý").click()
    expect_status(page, "Đã xử lý")
    expect(page.get_by_role("img", name="Ảnh sau khi xử lý").first).to_be_visible()
    console.shot("07-detail-resolved")
    console.audit("detail-resolved")
    sign_out(page)

    # -- the resident sees the result and rates it -----------------------------------------------
    page = resident.goto(f"/app/reports/{report_id}")
    expect(page.locator("h1 + p .badge")).to_have_text("Đã xử lý")
    expect(page.get_by_text("Đã vá ổ gà, thảm lại mặt đường.").first).to_be_visible()
    stars = page.get_by_role("radiogroup", name="Đánh giá")
    stars.locator("label").filter(has=page.get_by_role("radio", name="5/5 sao")).click()
    expect(stars.get_by_role("radio", name="5/5 sao")).to_be_checked()
    page.get_by_label("Nhận xét (không bắt buộc)").fill("Sửa nhanh, cảm ơn!")
    resident.shot("05-rate")
    resident.audit("rate")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá.")).to_be_visible()
    expect(page.get_by_text("Bạn đã đánh giá 5/5 sao.")).to_be_visible()
    resident.shot("06-rated")

    # -- the statistics page shows the change ----------------------------------------------------
    after = settled_figures(
        local_stack,
        lambda f: f["resolved"] == before["resolved"] + 1 and f["ratings"] == before["ratings"] + 1,
        timeout=STATS_TIMEOUT,
    )
    assert after["positive_ratings"] == before["positive_ratings"] + 1
    assert after["total"] == before["total"]
    page = sign_in_staff(console, local_stack, "lanhdao")
    page.get_by_role("navigation").get_by_role("link", name="Thống kê").click()
    expect(page.locator("#kpi-total .kpi-value")).to_have_text(vi_number(after["total"]))
    expect(page.locator("#kpi-resolved .kpi-value")).to_have_text(vi_number(after["resolved"]))
    ratings = f"{vi_number(after['ratings'])} lượt đánh giá"
    expect(page.locator("#kpi-satisfaction .kpi-note")).to_have_text(ratings)
    expect(page.locator("canvas")).to_have_count(4)
    console.shot("08-stats")
    console.audit("stats")
    # One ward, over 12 months: the cards follow the scope, and say what they count.
    wards = local_stack.get("/api/v1/stats/field-reporting/breakdown?by=ward").json()["rows"]
    ward = next(r for r in wards if r["code"] == "22945")
    page.get_by_label("Phạm vi", exact=True).select_option("ward")
    page.locator("#s-code").select_option("22945")
    page.get_by_label("Kỳ", exact=True).select_option("12")
    expect(page.locator("#kpi-total .kpi-value")).to_have_text(vi_number(ward["figures"]["total"]))
    expect(page.get_by_role("heading", name=f"{ward['name']['vi']}: trong 12 tháng gần nhất")).to_be_visible()
    expect(page.locator("#kpi-reopened .kpi-note")).to_contain_text("người dân báo chưa xử lý xong")
    console.audit("stats-ward")
    page.get_by_label("Phạm vi", exact=True).select_option("city")
    expect(page.locator("#kpi-resolved .kpi-value")).to_have_text(vi_number(after["resolved"]))

    # The same page in English: lang follows, numbers are formatted the English way.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Field reporting statistics")).to_be_visible()
    expect(page.locator("#kpi-resolved .kpi-value")).to_have_text(f"{after['resolved']:,}")
    console.shot("09-stats-en")
    console.audit("stats-en")
