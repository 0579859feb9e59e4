"""The administrator's console and the notification pages in a real browser, Vietnamese first:
the administrator lands on the routing table, changes one rule (a unit the API does not know
is refused, field by field, then a real one saved), creates an Open311 API key that a partner
then submits with, and reads the staff accounts; an operator reads the routing table without
editing it, and after a report changes status finds the resident's message in the log of
messages (locally logged, not sent) and the event in the desk's inbox. The administrator also
creates a staff account, whose holder signs in the first time (a new password for the
temporary one, then an authenticator set up), gives it a new temporary password (the
authenticator kept), and disables it: the next sign-in is refused.
Every staff role then walks its own nav: no page it is offered is refused, and no page calls an
API that refuses it. The leader lands on the overview ("Tổng quan"): a tile per room with its
figures, in vi and en. Screenshots and axe-core reports in test-artifacts/browser/; any console
error fails the test.
"""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from browser_tabs import (
    LAT,
    LONG,
    Api,
    resident_token,
    sign_in_staff,
    sign_out,
    staff_token,
    submit,
)
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import Page, Response, expect

from ioc_core.local.demo_history import PUBLISHED

pytestmark = pytest.mark.e2e

ADMIN, OPERATOR, LEADER = "quantri", "dieuhanh", "lanhdao"
DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
# An administrator's rule: street lights in Phan Thiết ward go to the urban management office.
RULE = {"service_code": "street_light_out", "ward_code": "22945", "unit": "QLDT"}
REFUSED = "Vai trò của bạn không được xem trang này."


def nav(page: Page) -> list[str]:
    """The pages the navigation offers, by name (an unread count beside a name left out)."""
    return page.get_by_role("navigation", name="Chức năng").locator(".nav-label").all_inner_texts()


@pytest.fixture(scope="module", autouse=True)
def verified_report(local_stack: LocalStack, plain_category: str) -> str:
    """A resident's report the operator verified, made first: its message reaches the log once
    the event pump has worked through the demo history's events (minutes after the start), so
    the other tests run meanwhile and the one reading the log comes last."""
    resident = Api(local_stack, resident_token(local_stack, "0912000444"))
    report_id = submit(resident, plain_category, "Rác tồn đọng trước chợ (kiểm thử nhật ký tin nhắn).")
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    operator.staff_act(report_id, "verify", note="Đã tiếp nhận, đang chuyển đơn vị")
    return report_id


def change_a_routing_rule(page: Page, tab: Any) -> None:
    page.get_by_role("button", name="Thêm quy tắc").click()
    page.locator("#rule-0-service_code").select_option(RULE["service_code"])
    page.locator("#rule-0-ward_code").select_option(RULE["ward_code"])
    page.get_by_label("Mã đơn vị xử lý").fill("KHONG_CO")
    page.get_by_role("button", name="Lưu bảng định tuyến").click()
    refused = page.get_by_role("alert")
    expect(refused).to_contain_text("Quy tắc định tuyến không hợp lệ")
    problem = "Quy tắc 1 · Mã đơn vị xử lý: Không có đơn vị KHONG_CO"
    expect(refused.get_by_role("link", name=problem)).to_be_visible()
    expect(page.get_by_label("Mã đơn vị xử lý")).to_have_attribute("aria-invalid", "true")
    tab.take_back_refusal(400, "/api/v1/admin/routing")
    tab.shot("02-routing-refused")
    tab.audit("routing-refused")

    page.get_by_label("Mã đơn vị xử lý").fill(RULE["unit"])
    page.get_by_role("button", name="Lưu bảng định tuyến").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu 1 quy tắc")).to_be_visible()
    in_force = page.get_by_role("table", name="Quy tắc định tuyến đang áp dụng")
    expect(in_force.locator("tr.source-admin")).to_contain_text("Phòng Quản lý đô thị")
    tab.shot("03-routing-saved")
    tab.audit("routing-saved")


def create_an_api_key(page: Page, tab: Any) -> str:
    page.get_by_role("link", name="Khóa API Open311").click()
    expect(page.get_by_role("heading", name="Khóa API Open311", level=1)).to_be_visible()
    page.get_by_label("Tên đối tác hoặc hệ thống").fill("Cổng dịch vụ công tỉnh")
    page.get_by_role("button", name="Tạo khóa").click()
    expect(page.get_by_text("Hãy sao chép khóa ngay bây giờ.")).to_be_visible()
    key = page.get_by_label("Khóa API", exact=True).input_value()
    assert key.startswith("ioc_"), key
    tab.shot("04-api-key")
    tab.audit("api-key")
    return key


def test_administrator_routes_keys_and_users(local_stack: LocalStack, tabs: Any) -> None:
    tab = tabs("admin", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, ADMIN)
    expect(page.get_by_role("heading", name="Bảng định tuyến phản ánh", level=1)).to_be_visible()
    assert page.url.endswith("/console/admin/routing")
    assert not {"Phản ánh", "Bản đồ", "Hộp thư"} & set(nav(page)), nav(page)
    tab.shot("01-routing")
    tab.audit("routing")

    change_a_routing_rule(page, tab)
    admin = Api(local_stack, staff_token(local_stack, ADMIN))
    assert {**RULE, "source": "admin"} in admin.get("/api/v1/admin/routing")["rules"]

    key = create_an_api_key(page, tab)
    form = {"service_code": RULE["service_code"], "lat": LAT, "long": LONG}
    form["attribute[lights_affected]"] = "one"
    refused = local_stack.post("/open311/v2/requests.json", data={**form, "api_key": key + "x"})
    assert refused.status_code == 403, refused.text
    posted = local_stack.post("/open311/v2/requests.json", data={**form, "api_key": key})
    assert posted.status_code == 201, posted.text
    report_id = posted.json()[0]["service_request_id"]
    # The partner's report is routed by the administrator's new rule.
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))
    assert operator.get(f"/api/v1/workflow/reports/{report_id}")["unit"]["code"] == RULE["unit"]

    revoke_the_key(page, tab, key)
    gone = local_stack.post("/open311/v2/requests.json", data={**form, "api_key": key})
    assert gone.status_code == 403, gone.text

    grant_a_second_unit(page, tab, admin)
    create_an_account_that_signs_in_then_is_disabled(page, tab, tabs, admin)


def revoke_the_key(page: Page, tab: Any, key: str) -> None:
    """The list names the key by its partner and last four characters, never the key; revoking
    asks once more, then the row says when and by whom."""
    row = page.get_by_role("row").filter(has_text="Cổng dịch vụ công tỉnh").filter(has_text=f"…{key[-4:]}")
    expect(row).to_contain_text("Đang dùng")
    expect(page.locator(".keys-table")).not_to_contain_text(key)
    row.get_by_role("button", name="Thu hồi khóa “Cổng dịch vụ công tỉnh”").click()
    row.get_by_role("button", name="Thu hồi “Cổng dịch vụ công tỉnh”").click()
    expect(page.get_by_text("Đã thu hồi khóa “Cổng dịch vụ công tỉnh”.")).to_be_visible()
    revoked = page.get_by_role("row").filter(has_text=f"…{key[-4:]}")
    expect(revoked).to_contain_text("Đã thu hồi lúc")
    tab.shot("05-api-key-revoked")
    tab.audit("api-key-revoked")


def grant_a_second_unit(page: Page, tab: Any, admin: Api) -> None:
    """The administrator gives the street-lighting company's account the environment company's
    unit as well: one account, two scoped roles, as the staff directory then holds them."""
    page.get_by_role("link", name="Tài khoản cán bộ").click()
    users = page.get_by_role("table", name="Tài khoản cán bộ: tên đăng nhập, họ tên và các vai trò")
    expect(users.get_by_role("row").filter(has_text=OPERATOR)).to_contain_text("Trực ban IOC")
    expect(users.get_by_role("row").filter(has_text="chutich-phanthiet")).to_contain_text("Lãnh đạo phường")
    tab.shot("05-users")
    tab.audit("users")
    row = users.get_by_role("row").filter(has_text="Công ty Chiếu sáng công cộng")
    row.get_by_role("button", name="Phân quyền cscc").click()
    row.get_by_label("Vai trò", exact=True).select_option("unit_staff")
    row.get_by_label("Đơn vị", exact=True).select_option("MTDT")
    row.get_by_role("button", name="Thêm vai trò").click()
    tab.audit("grants-editor")
    row.get_by_role("button", name="Lưu").click()
    expect(row.get_by_role("button", name="Phân quyền cscc")).to_be_visible()
    expect(row.get_by_role("listitem")).to_have_count(2)
    tab.shot("06-grants")
    held = next(u for u in admin.get("/api/v1/auth/staff")["users"] if u["username"] == "cscc")
    assert held["grants"] == [
        {"role": "unit_staff", "scope": "CSCC"},
        {"role": "unit_staff", "scope": "MTDT"},
    ]
    admin.put("/api/v1/auth/staff/cscc/grants", {"grants": [{"role": "unit_staff", "scope": "CSCC"}]})


NEWCOMER, NEWCOMER_PASSWORD = "nguyenlan", "Mật-khẩu-của-Lan-2026!"


def choose_a_password(page: Page, temporary: str) -> None:
    """A temporary password signs in to the "new password" step, filled with the newcomer's own."""
    page.get_by_label("Tên đăng nhập").fill(NEWCOMER)
    page.get_by_label("Mật khẩu").fill(temporary)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới", level=1)).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEWCOMER_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEWCOMER_PASSWORD)


def create_an_account_that_signs_in_then_is_disabled(page: Page, tab: Any, tabs: Any, admin: Api) -> None:
    """The temporary password is shown once, to be handed over; the newcomer's first sign-in
    replaces it and sets up an authenticator; disabled, the account's next sign-in is refused."""
    page.get_by_label("Tên đăng nhập", exact=True).fill(NEWCOMER)
    page.get_by_label("Họ tên hoặc tên đơn vị").fill("Nguyễn Thị Lan")
    page.get_by_label("E-mail công vụ").fill("lan.nguyen@phanthiet.gov.vn")
    page.get_by_label("Vai trò ban đầu").select_option("operator")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Hãy sao chép mật khẩu tạm ngay bây giờ.")).to_be_visible()
    temporary = page.get_by_label("Mật khẩu tạm", exact=True).input_value()
    assert len(temporary) >= 12, temporary
    users = page.get_by_role("table", name="Tài khoản cán bộ: tên đăng nhập, họ tên và các vai trò")
    row = users.get_by_role("row").filter(has_text=NEWCOMER)
    expect(row).to_contain_text("Chờ đăng nhập lần đầu")
    tab.shot("07-account-created")
    tab.audit("account-created")

    newcomer = tabs("newcomer", **DESK_VIEW)
    first = newcomer.goto("/console/")
    choose_a_password(first, temporary)
    newcomer.shot("01-new-password")
    newcomer.audit("new-password")
    first.get_by_role("button", name="Tiếp tục").click()
    expect(first.get_by_role("heading", name="Cài đặt ứng dụng xác thực", level=1)).to_be_visible()
    secret = first.get_by_label("Khóa bí mật").input_value()
    first.get_by_label("Mã đầu tiên của ứng dụng xác thực").fill(pyotp.TOTP(secret).now())
    newcomer.shot("02-authenticator")
    newcomer.audit("authenticator")
    first.get_by_role("button", name="Xác nhận và đăng nhập").click()
    expect(first.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(first.get_by_role("heading", level=1).first).to_be_visible()
    newcomer.shot("03-signed-in")
    sign_out(first)

    page.reload()
    row = page.get_by_role("row").filter(has_text=NEWCOMER)
    expect(row).to_contain_text("Đang hoạt động")
    # A forgotten password: a new temporary one, shown once; the authenticator stays.
    row.get_by_role("button", name=f"Cấp mật khẩu tạm mới cho {NEWCOMER}").click()
    expect(row).to_contain_text("Ứng dụng xác thực giữ nguyên")
    row.get_by_role("button", name=f"Cấp mật khẩu tạm cho “{NEWCOMER}”").click()
    expect(page.get_by_text(f"Đã cấp mật khẩu tạm mới cho {NEWCOMER}.")).to_be_visible()
    again = page.get_by_label("Mật khẩu tạm", exact=True).input_value()
    assert len(again) >= 12 and again != temporary
    expect(page.get_by_role("row").filter(has_text=NEWCOMER)).to_contain_text("Chờ đăng nhập lần đầu")
    tab.audit("password-reset")
    choose_a_password(first, again)
    first.get_by_role("button", name="Tiếp tục").click()
    first.get_by_label("Mã xác thực (ứng dụng Authenticator)").fill(pyotp.TOTP(secret).now())
    first.get_by_role("button", name="Đăng nhập").click()
    expect(first.get_by_role("button", name="Đăng xuất")).to_be_visible()
    sign_out(first)

    page.reload()
    row = page.get_by_role("row").filter(has_text=NEWCOMER)
    expect(row).to_contain_text("Đang hoạt động")
    row.get_by_role("button", name=f"Vô hiệu hóa {NEWCOMER}").click()
    expect(row).to_contain_text("phiên đang mở còn hiệu lực tối đa 1 giờ")
    tab.audit("disable-confirm")
    row.get_by_role("button", name=f"Vô hiệu hóa “{NEWCOMER}”").click()
    expect(page.get_by_text(f"Đã vô hiệu hóa {NEWCOMER}.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=NEWCOMER)).to_contain_text("Đã vô hiệu hóa")
    tab.shot("08-account-disabled")
    tab.audit("account-disabled")
    held = next(u for u in admin.get("/api/v1/auth/staff")["users"] if u["username"] == NEWCOMER)
    assert held["enabled"] is False and held["grants"] == [{"role": "operator", "scope": None}]

    first.get_by_label("Tên đăng nhập").fill(NEWCOMER)
    first.get_by_label("Mật khẩu").fill(NEWCOMER_PASSWORD)
    first.get_by_role("button", name="Tiếp tục").click()
    expect(first.get_by_role("alert")).to_contain_text("tài khoản đã bị vô hiệu hóa")
    newcomer.take_back_refusal(401, "/api/v1/auth/staff/sign-in")
    newcomer.shot("04-refused")
    newcomer.audit("refused")


@pytest.mark.parametrize("username", ["dieuhanh", "qldt", "lanhdao", "tinh", "quantri", "chutich-phanthiet"])
def test_every_role_is_offered_only_what_its_api_allows(
    local_stack: LocalStack, tabs: Any, username: str
) -> None:
    tab = tabs(f"nav-{username}", **DESK_VIEW)
    refused: list[str] = []

    def watch(response: Response) -> None:
        if "/api/" in response.url and response.status in (401, 403):
            refused.append(f"{response.status} {response.request.method} {response.url}")

    tab.page.on("response", watch)
    page = sign_in_staff(tab, local_stack, username)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    landing = page.url
    links = nav(page)
    assert links, f"{username} is offered no page"
    for name in links:
        named = re.compile(f"^{re.escape(name)}( |$)")  # "Hộp thư" or "Hộp thư 298 chưa đọc"
        page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=named).click()
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text(REFUSED)).to_have_count(0)
    assert not refused, f"{username} (landed on {landing}) met refusals: {refused}"


# -- the leader's overview -------------------------------------------------------------------


def _received(overview: dict[str, Any]) -> int:
    (tile,) = [t for t in overview["tiles"] if t["room"] == "field_reporting"]
    return int(next(f["value"] for f in tile["figures"] if f["key"] == "received"))


def test_the_leader_lands_on_the_overview_with_a_tile_per_room(local_stack: LocalStack, tabs: Any) -> None:
    leader = Api(local_stack, staff_token(local_stack, LEADER))
    everything = PUBLISHED.reports  # every submission counts, merged duplicates among them
    readings: list[int] = []

    def settled() -> dict[str, Any]:
        overview = leader.get("/api/v1/overview")
        readings.append(_received(overview))
        return overview

    # Caught up with the demo and with every earlier test's reports: the count no longer moves.
    caught_up, seen = wait_until(
        settled, lambda o: _received(o) >= everything and readings[-3:] == [_received(o)] * 3, 300, interval=2
    )
    assert caught_up, f"the overview shows {_received(seen)} reports, expected {everything}"

    tab = tabs("overview", viewport={"width": 1366, "height": 900})
    page = sign_in_staff(tab, local_stack, LEADER)
    expect(page.get_by_role("heading", name="Tổng quan thành phố", level=1)).to_be_visible()
    reports = page.get_by_role("region", name="Phản ánh hiện trường")
    # The tile says what the API says (earlier tests' reports come on top of the demo's).
    (tile,) = [t for t in seen["tiles"] if t["room"] == "field_reporting"]
    for figure in ("received", "resolved", "in_progress"):
        value = next(f["value"] for f in tile["figures"] if f["key"] == figure)
        expect(reports.locator(f'[data-key="{figure}"] dd')).to_have_text(f"{value:,}".replace(",", "."))
    expect(reports.get_by_role("heading", name="Phường cần chú ý (quá hạn)")).to_be_visible()
    # A ward or commune in force (which one leads depends on what earlier tests of the session added).
    expect(reports.locator(".ov-ranking li").first).to_have_text(re.compile(r"^(Phường|Xã) \S"))
    cameras = page.get_by_role("region", name="Camera an ninh")
    expect(cameras.locator('[data-key="silent_cameras"] dt')).to_have_text("Camera mất tín hiệu")
    expect(cameras.get_by_role("heading", name="Cảnh báo đang mở")).to_be_visible()
    tab.shot("01-overview-vi")
    tab.audit("overview-vi")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="The city at a glance", level=1)).to_be_visible()
    expect(
        page.get_by_role("region", name="Field Reporting").locator('[data-key="overdue"] dt')
    ).to_have_text("Overdue")
    tab.shot("02-overview-en")
    tab.audit("overview-en")
    page.get_by_role("button", name="Tiếng Việt").click()

    page.get_by_role("link", name="Mở Phản ánh hiện trường").click()
    expect(page.get_by_role("heading", name="Hàng đợi phản ánh", level=1)).to_be_visible()


def test_operator_reads_routing_and_the_residents_messages(
    local_stack: LocalStack, tabs: Any, verified_report: str
) -> None:
    report_id = verified_report
    operator = Api(local_stack, staff_token(local_stack, OPERATOR))

    def messages() -> list[dict[str, Any]]:
        return [d for d in operator.get("/api/v1/notifications/log")["items"] if d["report_id"] == report_id]

    sent, found = wait_until(messages, bool, 300, interval=2)
    assert sent, f"no message to the resident for {report_id}"
    assert found[0]["channel"] == "log" and found[0]["to"].endswith("444")

    tab = tabs("operator-notes", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OPERATOR)
    page.get_by_role("link", name="Định tuyến").click()
    expect(page.get_by_role("heading", name="Bảng định tuyến phản ánh", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Quy tắc định tuyến đang áp dụng")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu bảng định tuyến")).to_have_count(0)
    tab.shot("01-routing-read-only")
    tab.audit("routing-read-only")

    page.get_by_role("link", name="Tin nhắn người dân").click()
    expect(page.get_by_role("heading", name="Tin nhắn gửi người dân", level=1)).to_be_visible()
    expect(page.get_by_text("tin nhắn được ghi vào nhật ký thay vì gửi đi")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=report_id).first
    expect(row).to_contain_text(f"Phản ánh {report_id}: Đã tiếp nhận")
    expect(row).not_to_contain_text("đang chuyển đơn vị")  # the operator's note is staff-only
    expect(row).to_contain_text("Ghi nhật ký (không gửi)")
    tab.shot("02-message-log")
    tab.audit("message-log")

    page.get_by_role("link", name="Hộp thư").click()
    expect(page.get_by_role("heading", name="Hộp thư của bộ phận", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Thông báo của bộ phận, mới nhất trước")).to_be_visible()
    tab.shot("03-inbox")
    tab.audit("inbox")
