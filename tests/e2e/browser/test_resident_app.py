"""The resident app on a phone (390×844), Vietnamese first: a report written without a signal
waits on the phone and arrives once when the connection returns, even when the first send
reached the city but its answer was lost; a resident about to send a problem already reported
nearby follows that report instead (and finds it followed on another phone); the inbox shows
the unread count in the navigation, marks a notification read when it is opened and all of them
at once; and the app is installable (its
manifest, icons, and a service worker that keeps its shell). axe-core runs on every state and
any console error fails the test."""

from __future__ import annotations

import re
import struct
import time
import uuid
from typing import Any

import pytest
import requests
from browser_tabs import Api, Tab, resident_token, sign_in_resident, staff_token, submit
from e2e_stack import HTTP_TIMEOUT, LocalStack, wait_until
from playwright.sync_api import Page, Request, Route, expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# Events reach a resident's inbox through the local event pump, shared with every subsystem.
INBOX_TIMEOUT = 180.0
OFFLINE_ERRORS = ("ERR_INTERNET_DISCONNECTED", "ERR_FAILED", "Failed to fetch")


def phone_tab(tabs: Any, name: str, where: tuple[float, float] | None = None, **options: Any) -> Tab:
    if where:
        options |= {
            "geolocation": {"latitude": where[0], "longitude": where[1]},
            "permissions": ["geolocation"],
        }
    return tabs(name, viewport=PHONE, is_mobile=True, has_touch=True, **options)


def fill_report(page: Page, category: str, description: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Gửi phản ánh").click()
    page.get_by_label("Lĩnh vực").select_option(category)
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.locator(".ward-hint")).to_have_text(re.compile("^Trong "))
    page.get_by_label("Mô tả").fill(description)


def forgive_offline(tab: Tab) -> None:
    """Chromium logs each request refused while offline: this test goes offline on purpose."""
    tab.errors[:] = [e for e in tab.errors if not any(mark in e for mark in OFFLINE_ERRORS)]


def mine_with(resident: Api, description: str) -> list[str]:
    """The resident's reports with these words (a new account's: a handful)."""
    items = resident.get("/api/v1/me/reports?limit=50")["items"]
    details = [resident.get(f"/api/v1/me/reports/{r['id']}") for r in items]
    return [d["id"] for d in details if d["description"] == description]


def test_a_report_written_offline_arrives_once_when_the_connection_returns(
    local_stack: LocalStack, tabs: Any, plain_category: str
) -> None:
    phone = "0933100001"
    where = (10.9284, 108.1027)
    # No service worker here: the test steers the page's own requests (page.route).
    tab = phone_tab(tabs, "resident-offline", where, service_workers="block")
    page = sign_in_resident(tab, local_stack, phone)
    description = f"Viết khi mất sóng ({uuid.uuid4().hex[:8]})"
    fill_report(page, plain_category, description)

    tab.context.set_offline(True)
    page.locator("form.report-form button[type=submit]").click()
    expect(page.get_by_text("Chưa có kết nối: phản ánh được lưu trên điện thoại")).to_be_visible()
    outbox = page.get_by_role("region", name=re.compile(r"^Chờ gửi \(1\)"))
    expect(outbox).to_be_visible()
    expect(outbox.locator(".badge")).to_have_text("Chờ gửi")
    tab.shot("01-waiting")
    tab.audit("waiting")

    # Back online, the first send reaches the city but its answer is lost on the way back.
    answers: list[int] = []

    def lose_the_answer(route: Route, request: Request) -> None:
        if request.method != "POST":
            route.continue_()
            return
        answers.append(route.fetch().status)
        route.abort("internetdisconnected")

    page.route("**/api/v1/reports", lose_the_answer)
    tab.context.set_offline(False)
    for _ in range(80):  # route handlers run while Playwright waits, not while Python sleeps
        if answers:
            break
        page.wait_for_timeout(250)
    assert answers == [201], answers
    expect(outbox).to_be_visible()  # the phone does not know it arrived: it keeps it

    # The next send, with the same key, is answered with the report the first one made.
    page.unroute("**/api/v1/reports")
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/reports") and r.request.method == "POST"
    ) as reply:
        outbox.get_by_role("button", name="Gửi ngay").click()
    assert reply.value.status == 200 and reply.value.headers.get("idempotent-replayed") == "true"
    expect(outbox).to_have_count(0)
    report_id = reply.value.json()["id"]
    # Listed among the resident's reports (and, once loaded, among the public ones nearby too):
    # that it arrived once is the API's answer below.
    expect(page.get_by_role("link", name=re.compile(re.escape(report_id))).first).to_be_visible()
    tab.shot("02-sent")
    tab.audit("sent")

    resident = Api(local_stack, resident_token(local_stack, phone))
    assert mine_with(resident, description) == [report_id]  # exactly once
    forgive_offline(tab)


def test_a_resident_follows_a_report_nearby_instead_of_sending_theirs(
    local_stack: LocalStack, tabs: Any, plain_category: str
) -> None:
    where = (10.9293, 108.1031)  # a place of this test's own, in Phường Phan Thiết
    first = Api(local_stack, resident_token(local_stack, "0933100002"))
    body = {"service_code": plain_category, "lat": where[0], "long": where[1],
            "description": "Đã báo rồi, gọi 0912 345 678"}  # fmt: skip
    report_id = str(first.post("/api/v1/reports", body, expected=201)["id"])

    tab = phone_tab(tabs, "resident-nearby", where)
    page = sign_in_resident(tab, local_stack, "0933100003")
    fill_report(page, plain_category, "Cũng thấy vấn đề này")
    nearby = page.get_by_role("region", name=re.compile("phản ánh tương tự gần đây"))
    expect(nearby).to_be_visible()
    card = nearby.locator("li", has_text=report_id)
    expect(card).to_contain_text("cách 0 m")
    expect(card).to_contain_text("Đã báo rồi, gọi •••78")  # masked, as anyone sees it
    expect(page.get_by_role("button", name="Vẫn gửi phản ánh của tôi")).to_be_visible()
    tab.shot("01-nearby")
    tab.audit("nearby")

    page.get_by_role("button", name=f"Theo dõi {report_id} thay vì gửi mới").click()
    expect(page.get_by_role("heading", name=f"Phản ánh {report_id}", level=1)).to_be_visible()
    expect(page.get_by_text(f"Bạn đang theo dõi phản ánh {report_id}")).to_be_visible()
    tab.shot("02-following")
    tab.audit("following")
    page.get_by_role("link", name="← Phản ánh của tôi").click()
    expect(
        page.get_by_role("link", name=re.compile(f"{re.escape(report_id)}.*đang theo dõi"))
    ).to_be_visible()

    follower = Api(local_stack, resident_token(local_stack, "0933100003"))
    assert follower.get(f"/api/v1/me/reports/{report_id}")["id"] == report_id
    operator = Api(local_stack, staff_token(local_stack, "dieuhanh"))
    assert operator.get(f"/api/v1/workflow/reports/{report_id}")["followers"] == 1
    assert mine_with(follower, "Cũng thấy vấn đề này") == []  # nothing new was sent

    # Another phone (nothing of this one's storage): signed in, the followed report is there.
    other = sign_in_resident(phone_tab(tabs, "resident-other-phone", where), local_stack, "0933100003")
    other.get_by_role("navigation").get_by_role("link", name="Phản ánh của tôi").click()
    listed = other.get_by_role("link", name=re.compile(f"{re.escape(report_id)}.*đang theo dõi"))
    expect(listed).to_be_visible()
    assert [r["id"] for r in follower.get("/api/v1/me/follows")["items"]] == [report_id]


def unread_name(n: int) -> re.Pattern[str]:
    """The inbox link as a screen reader says it: its count in words (the badge is hidden)."""
    return re.compile(rf"^Thông báo\s*\({n} chưa đọc\)\s*$")


def test_the_inbox_counts_unread_and_marks_them_read(
    local_stack: LocalStack, tabs: Any, plain_category: str
) -> None:
    phone = "0933100004"
    resident = Api(local_stack, resident_token(local_stack, phone))
    report_id = submit(resident, plain_category, "Thông báo cho tôi")
    operator = Api(local_stack, staff_token(local_stack, "dieuhanh"))
    operator.staff_act(report_id, "verify", note="Đã xem", unit="CSCC")  # verified, then assigned
    arrived, inbox = wait_until(
        lambda: resident.get("/api/v1/me/notifications"), lambda i: i["unread"] >= 2, INBOX_TIMEOUT
    )
    assert arrived, f"the resident's notifications did not arrive: {inbox}"
    unread = inbox["unread"]

    tab = phone_tab(tabs, "resident-inbox")
    page = sign_in_resident(tab, local_stack, phone)
    link = page.get_by_role("navigation").get_by_role("link", name=re.compile("^Thông báo"))
    expect(link).to_have_accessible_name(unread_name(unread))
    link.click()
    expect(page.get_by_role("heading", name="Thông báo", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"{unread} thông báo chưa đọc")).to_be_visible()
    item = page.locator(".inbox a.unread").first
    expect(item).to_contain_text(f"Phản ánh {report_id}")
    tab.shot("01-inbox")
    tab.audit("inbox")

    item.click()  # opening it reads it
    expect(page.get_by_role("heading", name=f"Phản ánh {report_id}", level=1)).to_be_visible()
    assert resident.get("/api/v1/me/notifications")["unread"] == unread - 1
    expect(link).to_have_accessible_name(unread_name(unread - 1))
    link.click()
    page.get_by_role("button", name="Đánh dấu đã đọc tất cả").click()
    expect(page.get_by_text("Bạn đã đọc hết thông báo.")).to_be_visible()
    expect(page.locator(".count-badge")).to_have_count(0)
    assert resident.get("/api/v1/me/notifications")["unread"] == 0
    tab.shot("02-all-read")
    tab.audit("all-read")

    # The same page in English: every line follows the switch.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_text("You have read every notification.")).to_be_visible()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_app_is_installable_and_keeps_its_shell(local_stack: LocalStack, tabs: Any) -> None:
    manifest = requests.get(f"{local_stack.url}/app/manifest.webmanifest", timeout=HTTP_TIMEOUT)
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    app = manifest.json()
    assert (app["start_url"], app["scope"], app["display"], app["lang"]) == (
        "/app/",
        "/app/",
        "standalone",
        "vi",
    )
    assert app["short_name"] and app["theme_color"] == "#0b4f94"
    for icon in app["icons"]:
        image = requests.get(local_stack.url + icon["src"], timeout=HTTP_TIMEOUT)
        assert image.headers["Content-Type"] == "image/png"
        assert f"{png_size(image.content)[0]}x{png_size(image.content)[1]}" == icon["sizes"]
    assert {i["sizes"] for i in app["icons"]} == {"192x192", "512x512"}

    tab = phone_tab(tabs, "resident-install")
    page = tab.goto("/app/")
    expect(page.get_by_role("heading", name="Phản ánh gần đây trong thành phố")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Hiển thị \d+ trên [\d.]+ phản ánh trong 30 ngày qua$"))
    ).to_be_visible()
    # The city's reports, clustered where they lie close together (MapLibre's GeoJSON clusters).
    expect(page.locator(".public-reports .report-dot, .public-reports .map-cluster").first).to_be_visible()
    tab.shot("01-home-public")
    tab.audit("home-public")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    started = time.monotonic()
    kept: list[str] = []
    while time.monotonic() - started < 20 and "/app/index.html" not in kept:
        kept = page.evaluate(
            """async () => {
                const names = (await caches.keys()).filter((n) => n.startsWith("ioc-app-"));
                if (names.length !== 1) return [];
                const cache = await caches.open(names[0]);
                return (await cache.keys()).map((r) => new URL(r.url).pathname);
            }"""
        )
        time.sleep(0.25)
    assert "/app/index.html" in kept and any(p.endswith(".js") for p in kept), kept

    # Without a connection the app still starts from what the worker kept.
    tab.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("link", name="+ Gửi phản ánh mới")).to_be_visible()
    tab.context.set_offline(False)
    forgive_offline(tab)
