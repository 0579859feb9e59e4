"""The socio-economic room in a real browser, Vietnamese first: the statistics officer sees the
dashboard with indicators off track, opens one and reads its year-end forecast and what each
remaining month needs; a TCKH officer revises a figure, cannot approve their own entry, and a
second officer approves it, after which the indicator's page shows the revision as a difference;
an import with a bad row shows the row at fault and writes nothing; the entry template for a
month downloads as Excel and CSV and, filled in one row, imports that row; the meeting pack is
requested and its download links and hash appear. axe-core runs on each page and any console
error fails the test (browser_tabs.Tab), except the refusals the stories ask for."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from browser_tabs import Api, Tab, sign_in_staff, sign_out, staff_token
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

API = "/api/v1/socio-economic"
STATISTICS, OFFICER, SECOND, LEADER = "thongke", "tckh", "tckh2", "lanhdao"
DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
PHONE_VIEW = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def vi_amount(value: float, decimals: int) -> str:
    """A figure as the console writes it in Vietnamese: "1.234,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vi_period(period: str) -> str:
    year, month = period.split("-")
    return f"Tháng {int(month)}/{year}"


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=name, exact=True).click()


def revisable(api: Api, owner: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A monthly figure of ``owner``'s that a person enters, and its latest approved city value
    with nothing waiting on it: what the officer revises."""
    catalogue = api.get(f"{API}/catalogue")
    for indicator in catalogue["indicators"]:
        if indicator["owner_unit"] != owner or indicator["derived"] or indicator["fed_by"]:
            continue
        if indicator["frequency"] != "monthly":
            continue
        series = api.get(f"{API}/indicators/{indicator['code']}?breakdown=city")["series"]
        approved = [p for p in series if p["state"] == "approved" and p["value"] and not p["pending"]]
        if approved:
            return indicator, approved[-1]
    raise AssertionError(f"no monthly figure of {owner} to revise in the demo")


def point(api: Api, code: str, period: str) -> dict[str, Any]:
    series = api.get(f"{API}/indicators/{code}?breakdown=city")["series"]
    return next(p for p in series if p["period"] == period)


def test_the_statistics_officer_finds_what_is_off_track_and_its_forecast(
    local_stack: LocalStack, tabs: Any
) -> None:
    officer = Api(local_stack, staff_token(local_stack, STATISTICS))
    board = officer.get(f"{API}/dashboard")
    assert board["counts"]["off_track"] > 0, board["counts"]  # the demo has some behind plan
    off = next(r for g in board["groups"] for r in g["rows"] if r["traffic"] == "off_track" and r["forecast"])

    tab: Tab = tabs("se-dashboard", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, STATISTICS)
    nav(page, "Chỉ tiêu KT-XH")
    expect(page.get_by_role("heading", name="Chỉ tiêu kinh tế – xã hội", level=1)).to_be_visible()
    counts = page.get_by_role("list", name="Số chỉ tiêu theo mức đạt kế hoạch")
    expect(counts.locator("#se-count-off_track .kpi-value")).to_have_text(str(board["counts"]["off_track"]))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=off["name"]["vi"], exact=True))
    expect(row.get_by_text("Chậm tiến độ")).to_be_visible()  # the colour has its words
    tab.shot("01-dashboard")
    tab.audit("dashboard")

    # A group at a time: the others' rows go.
    group = next(g for g in board["groups"] if any(r["code"] == off["code"] for r in g["rows"]))
    page.get_by_label("Nhóm chỉ tiêu", exact=True).select_option(group["code"])
    expect(page.get_by_role("heading", level=2, name=group["name"]["vi"], exact=True)).to_be_visible()
    expect(page.locator("section h2")).to_have_count(1)

    row.get_by_role("link", name=off["name"]["vi"], exact=True).click()
    expect(page.get_by_role("heading", name=off["name"]["vi"], level=1)).to_be_visible()
    forecast = officer.get(f"{API}/indicators/{off['code']}?breakdown=city")["forecast"]
    heading = page.get_by_role("heading", name=f"Dự báo cả năm {forecast['year']}", level=2)
    expect(heading).to_be_visible()
    section = page.locator("section.se-forecast")
    expect(section.get_by_text("Chậm tiến độ").or_(section.get_by_text("Có nguy cơ")).first).to_be_visible()
    if forecast["needed"]:
        needed = page.get_by_role("table", name=re.compile("^Mức cần đạt ở mỗi tháng còn lại"))
        expect(needed.locator("tbody tr")).to_have_count(len(forecast["needed"]))
        expect(needed.get_by_text(re.compile("^(Đã từng đạt|Chưa từng đạt)$")).first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Lũy kế năm"))).to_be_visible()  # the year's chart
    tab.shot("02-indicator")
    tab.audit("indicator")

    # On a phone the same dashboard, each indicator a card.
    phone: Tab = tabs("se-phone", **PHONE_VIEW)
    page = sign_in_staff(phone, local_stack, STATISTICS)
    page.goto(f"{local_stack.url}/console/indicators")
    expect(page.get_by_role("heading", name="Chỉ tiêu kinh tế – xã hội", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=off["name"]["vi"], exact=True)).to_be_visible()
    phone.shot("03-dashboard-phone")
    phone.audit("dashboard-phone")


def test_a_revised_figure_needs_a_second_officer(local_stack: LocalStack, tabs: Any) -> None:
    first = Api(local_stack, staff_token(local_stack, OFFICER))
    indicator, held = revisable(first, "TCKH")
    code, period, decimals = indicator["code"], held["period"], indicator["decimals"]
    revised = round(held["value"] * 1.01 + 10**-decimals, decimals)  # a small change: no outlier

    tab: Tab = tabs("se-entry", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OFFICER)
    nav(page, "Nhập số liệu")
    expect(page.get_by_role("heading", name="Nhập số liệu chỉ tiêu", level=1)).to_be_visible()
    page.get_by_label("Chỉ tiêu", exact=True).select_option(code)
    page.get_by_label("Kỳ", exact=True).fill(period)
    # The period's figure is approved: the form asks why it is revised.
    reason = page.get_by_label("Lý do điều chỉnh số đã duyệt")
    expect(reason).to_be_visible()
    page.get_by_label(re.compile(r"^Giá trị \(")).fill(vi_amount(revised, decimals))
    page.get_by_label("Mức độ số liệu").select_option("official")
    page.get_by_label("Ghi chú").fill("Số chính thức của Chi cục Thống kê")
    reason.fill("Cục Thống kê công bố số chính thức")
    tab.audit("entry")
    page.get_by_role("button", name="Gửi số liệu").click()
    expect(page.get_by_text(f"Đã gửi số liệu {vi_period(period)}, chờ người thứ hai duyệt.")).to_be_visible()
    assert point(first, code, period)["pending"]["value"] == pytest.approx(revised)
    tab.shot("04-entered")

    # Nobody approves their own entry: their queue leaves it out; on the indicator's page the
    # API refuses it and the page says why.
    heading = f"{indicator['name']['vi']} – {vi_period(period)}"
    nav(page, "Duyệt số liệu")
    expect(page.get_by_role("heading", name="Duyệt số liệu", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    page.goto(f"{local_stack.url}/console/indicators/{code}")
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=heading, exact=True))
    expect(card.get_by_text(re.compile("^cũ: .+ – mới: .+"))).to_be_visible()
    expect(card.get_by_text("Số liệu do bạn nhập", exact=False)).to_be_visible()
    card.get_by_role("textbox", name=re.compile("^Ý kiến người duyệt")).fill("Tự duyệt")
    card.get_by_role("button", name=f"Duyệt {heading}").click()
    expect(card.get_by_role("alert")).to_contain_text("Không tự phê duyệt số liệu mình nhập")
    tab.take_back_refusal(403, f"{API}/values/{code}/{period}/approve")
    assert point(first, code, period)["pending"], "the refused approval changed nothing"
    tab.shot("05-own-refused")
    tab.audit("own-refused")
    sign_out(page)

    page = sign_in_staff(tab, local_stack, SECOND)
    nav(page, "Duyệt số liệu")
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=heading, exact=True))
    expect(card).to_be_visible()
    tab.audit("approvals")
    card.get_by_role("textbox", name=re.compile("^Ý kiến người duyệt")).fill("Đã đối chiếu với Chi cục")
    card.get_by_role("button", name=f"Duyệt {heading}").click()
    expect(page.get_by_text(f"Đã duyệt: {indicator['name']['vi']}.")).to_be_visible()
    expect(card).to_have_count(0)
    now = point(first, code, period)
    assert now["state"] == "approved" and now["value"] == pytest.approx(revised), now
    assert now["approved_by"] and SECOND in now["approved_by"], now

    # The indicator's page shows the revision as a difference: who, why, old and new.
    page.goto(f"{local_stack.url}/console/indicators/{code}")
    values = page.get_by_role("table", name=re.compile("^Số liệu theo kỳ"))
    period_cell = page.get_by_role("rowheader", name=vi_period(period), exact=True)
    row = values.get_by_role("row").filter(has=period_cell)
    expect(row).to_contain_text(SECOND)
    row.get_by_text(re.compile(r"lần điều chỉnh$")).click()
    new = f"mới: {vi_amount(revised, decimals)} (Chính thức)"
    change = row.locator(".se-revisions li").filter(has_text=new)
    expect(change).to_have_count(1)
    expect(change).to_contain_text(f"cũ: {vi_amount(held['value'], decimals)}")
    expect(change).to_contain_text(OFFICER)  # who entered it
    expect(change).to_contain_text("Lý do: Cục Thống kê công bố số chính thức")
    assert "→" not in row.inner_text()
    tab.shot("06-revision")
    tab.audit("indicator-revision")


def test_an_import_with_a_bad_row_writes_nothing(local_stack: LocalStack, tabs: Any) -> None:
    officer = Api(local_stack, staff_token(local_stack, OFFICER))
    indicator, held = revisable(officer, "TCKH")
    code, period = indicator["code"], held["period"]
    before = point(officer, code, period)
    good = f"{code},{period},city,{held['value'] + 1},official,,Số chính thức"
    bad = f"{code},{period[:4]}-01,city,mười hai,official,,Số chính thức"
    csv = "indicator,period,breakdown,value,status,comment,reason\n" + good + "\n" + bad + "\n"

    tab: Tab = tabs("se-import", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OFFICER)
    nav(page, "Nhập số liệu")
    page.get_by_label("Tệp số liệu (.csv, .xlsx)").set_input_files(
        {"name": "so-lieu.csv", "mimeType": "text/csv", "buffer": csv.encode("utf-8")}
    )
    page.get_by_role("button", name="Nhập tệp").click()
    errors = page.get_by_role("table", name="Các dòng lỗi trong tệp: dòng, cột và lỗi")
    expect(errors).to_be_visible()
    expect(page.get_by_text("Không dòng nào được ghi.", exact=False)).to_be_visible()
    rows = errors.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("value")  # the column at fault
    expect(rows.first.get_by_role("rowheader")).to_have_text(re.compile(r"^[23]$"))  # the bad row
    tab.take_back_refusal(400, f"{API}/values/import")
    assert point(officer, code, period) == before, "a file with a bad row wrote its good row"
    tab.shot("07-import-refused")
    tab.audit("import-refused")


def test_the_entry_template_downloads_for_a_month_and_imports_the_rows_filled_in(
    local_stack: LocalStack, tabs: Any
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    officer = Api(local_stack, staff_token(local_stack, OFFICER))
    theirs = {i["code"] for i in officer.get(f"{API}/catalogue")["indicators"] if i["owner_unit"] == "TCKH"}
    tab: Tab = tabs("se-template", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OFFICER)
    nav(page, "Nhập số liệu")
    template = page.get_by_role("group", name="Tải mẫu nhập liệu")
    month = template.get_by_label("Tháng báo cáo").input_value()
    with page.expect_download() as downloaded:
        template.get_by_role("button", name="Tải mẫu nhập liệu (Excel)").click()
    assert downloaded.value.suggested_filename == f"mau-nhap-lieu-TCKH-{month}.xlsx"
    sheet = load_workbook(io.BytesIO(downloaded.value.path().read_bytes())).active
    assert sheet is not None
    header, *book_rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("indicator", "period", "breakdown", "value") and book_rows
    assert {r[0] for r in book_rows} <= theirs and all(r[3] is None for r in book_rows)
    with page.expect_download() as downloaded:
        template.get_by_role("button", name="Tải mẫu nhập liệu (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(downloaded.value.path().read_bytes().decode("utf-8-sig"))))
    assert [r["indicator"] for r in rows] == [r[0] for r in book_rows]
    filled = next(r for r in rows if r["indicator"] == "BUDGET_SPENDING")
    filled["value"], filled["reason"] = "1,5", "Thử mẫu nhập liệu"  # the demo may hold it approved
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    page.get_by_label("Tệp số liệu (.csv, .xlsx)").set_input_files(
        {
            "name": "mau-da-dien.csv",
            "mimeType": "text/csv",
            "buffer": out.getvalue().encode(),
        }
    )
    page.get_by_role("button", name="Nhập tệp").click()
    done = re.compile(
        r"Đã đọc 1 dòng: 1 số liệu mới hoặc thay đổi, 0 không đổi\. \d+ dòng để trống giá trị được bỏ qua"
    )
    expect(page.get_by_text(done)).to_be_visible()
    assert point(officer, filled["indicator"], month)["pending"]["value"] == 1.5
    tab.shot("08-entry-template")
    tab.audit("entry-template")

    page.get_by_role("button", name="English").click()
    english = page.get_by_role("group", name="Download entry template")
    expect(english.get_by_role("button", name="Download entry template (CSV)")).to_be_visible()
    expect(english.get_by_role("button", name="Download entry template (Excel)")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()


def test_the_meeting_pack_is_made_and_its_links_appear(local_stack: LocalStack, tabs: Any) -> None:
    tab: Tab = tabs("se-pack", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, STATISTICS)
    nav(page, "Tài liệu họp")
    expect(page.get_by_role("heading", name="Tài liệu phục vụ họp", level=1)).to_be_visible()
    board = Api(local_stack, staff_token(local_stack, STATISTICS)).get(f"{API}/dashboard")
    period = board["period"]
    page.get_by_label("Kỳ báo cáo (tháng)").fill(period)
    expect(page.get_by_label("Ngày chốt số liệu")).not_to_have_value("")  # the month's end by default
    page.get_by_role("button", name="Lập tài liệu họp").click()
    status = page.locator(".se-pack-status")
    working = re.compile("Đang chờ lập|Đang lập tài liệu|Đã lập xong")
    expect(status.get_by_role("status")).to_have_text(working)
    expect(status.get_by_text("Đã lập xong")).to_be_visible(timeout=120_000)  # a background job
    files = status.locator(".se-files")
    expect(files.get_by_role("link").or_(files.get_by_role("button"))).to_have_count(2)
    expect(files.get_by_text(f"Tải bảng tính Excel {period}")).to_be_visible()
    expect(files.get_by_text(f"Tải báo cáo PDF {period}")).to_be_visible()
    expect(status.locator("code.se-hash")).to_have_text(re.compile("^[0-9a-f]{64}$"))
    tab.shot("08-pack-ready")
    tab.audit("pack-ready")
    made = page.get_by_role("table", name=re.compile("^Tài liệu đã lập"))
    expect(made.get_by_role("rowheader", name=vi_period(period))).not_to_have_count(0)  # kept


def test_the_task_board_puts_overdue_and_at_risk_first_and_a_unit_reports(
    local_stack: LocalStack, tabs: Any
) -> None:
    officer = Api(local_stack, staff_token(local_stack, OFFICER))
    board = officer.get(f"{API}/tasks?status=open")
    assert board["overdue"] + board["at_risk"] > 0, board  # the demo register has some behind
    ours = next(t for t in board["tasks"] if t["owner_unit"] == "TCKH")
    percent = min(100, ours["percent"] + 5)

    tab: Tab = tabs("se-tasks", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OFFICER)
    nav(page, "Nhiệm vụ")
    expect(page.get_by_role("heading", name="Theo dõi nhiệm vụ", level=1)).to_be_visible()
    cards = page.locator("article.se-task")
    expect(cards).to_have_count(len(board["tasks"]))
    expect(cards.first.get_by_text(re.compile("^(Quá hạn|Có nguy cơ chậm)$")).first).to_be_visible()
    card = cards.filter(has=page.get_by_role("heading", name=ours["title"], exact=True))
    expect(card.get_by_text(f"Đã làm {ours['percent']} %")).to_be_visible()
    expect(card.get_by_text(re.compile(r"^Thời gian đã qua \d+ %$"))).to_be_visible()
    tab.shot("09-tasks")
    tab.audit("tasks")

    card.get_by_text("Tiến độ và báo cáo tiến độ").click()
    card.get_by_label("Đã hoàn thành (%)").fill(str(percent))
    card.get_by_label("Nội dung đã làm").fill("Hoàn thành thêm phần khảo sát hiện trạng")
    files = card.get_by_label("Tệp minh chứng")
    # A file the register does not take is refused before anything is sent.
    files.set_input_files({"name": "ghi-chu.txt", "mimeType": "text/plain", "buffer": b"x"})
    card.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(card.get_by_role("alert")).to_contain_text("ghi-chu.txt")
    assert officer.get(f"{API}/tasks/{ours['task_id']}")["percent"] == ours["percent"]
    # The evidence goes to storage first, then the report names it.
    minutes = b"%PDF-1.4\n% bien ban khao sat\n%%EOF\n"
    files.set_input_files({"name": "Biên bản khảo sát.pdf", "mimeType": "application/pdf", "buffer": minutes})
    card.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(page.get_by_text("Đã báo cáo tiến độ.")).to_be_visible()
    reported = officer.get(f"{API}/tasks/{ours['task_id']}")
    assert reported["percent"] == percent
    [evidence] = reported["progress"][-1]["evidence"]
    assert evidence["key"].endswith("-bien-ban-khao-sat.pdf")
    link = card.locator(".se-evidence a", has_text=evidence["key"].split("/")[-1])
    expect(link).to_be_visible()
    assert page.request.get(link.get_attribute("href") or "").body() == minutes
    tab.audit("task-reported")


def test_a_provincial_directive_reaches_its_unit_who_acknowledges_it(
    local_stack: LocalStack, tabs: Any
) -> None:
    """The province signs a directive with the secret `ioc dev` keeps (as the stack does in AWS)
    and sends it through the gateway; it becomes a task of TCKH's, in TCKH's inbox and on its
    board awaiting acknowledgement; the unit's officer acknowledges it on the board."""
    import boto3

    from ioc_core.integration.province import LOCAL_SECRET, directive_event, send

    secrets = boto3.client(
        "secretsmanager", region_name="ap-southeast-1", endpoint_url=local_stack.aws_url,
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip
    [name] = [s["Name"] for s in secrets.list_secrets()["SecretList"] if s["Name"].endswith(LOCAL_SECRET)]
    secret = str(secrets.get_secret_value(SecretId=name)["SecretString"])
    title = "Rà soát phương án phòng chống bão số 9 trên địa bàn"
    document = directive_event(
        "CD-2026-0909", title, "TCKH", date(2030, 1, 15), document_ref="Công văn 909/UBND-KT"
    )
    status, answer = send(local_stack.url, secret, document)
    assert (status, answer["status"]) == (202, "accepted"), answer
    officer = Api(local_stack, staff_token(local_stack, OFFICER))
    held, board = wait_until(
        lambda: officer.get(f"{API}/tasks?owner_unit=TCKH&status=open")["tasks"],
        lambda tasks: any(t.get("directive_id") == "CD-2026-0909" for t in tasks), 120,
    )  # fmt: skip
    assert held, "the directive did not become a task"
    task = next(t for t in board if t.get("directive_id") == "CD-2026-0909")
    assert task["source"] == "province" and not task.get("acknowledged_at")

    tab: Tab = tabs("se-directive", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, OFFICER)
    nav(page, "Nhiệm vụ")
    card = page.locator("article.se-task").filter(has=page.get_by_role("heading", name=title, exact=True))
    expect(card.get_by_text("Chờ đơn vị xác nhận")).to_be_visible()
    tab.audit("directive-task")
    card.get_by_role("button", name="Xác nhận đã nhận nhiệm vụ").click()
    expect(card.get_by_text("Đơn vị đã xác nhận")).to_be_visible()
    expect(card.get_by_role("button", name="Xác nhận đã nhận nhiệm vụ")).to_have_count(0)
    assert officer.get(f"{API}/tasks/{task['task_id']}")["acknowledged_at"]
    tab.shot("10-directive-acknowledged")
    tab.audit("directive-acknowledged")
