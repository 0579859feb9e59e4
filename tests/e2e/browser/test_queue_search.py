"""Staff find a resident's report the way a phone call goes: by the caller's number, then by the
words they use, typed without diacritics; then export what the filter shows as Excel.
Screenshots and axe-core reports go to test-artifacts/browser/; any console error fails."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from browser_tabs import Api, Tab, resident_token, sign_in_staff, staff_token, submit
from e2e_stack import LocalStack
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
PHONE = "0987300042"
WORDS = "Nắp cống vỡ toang trước tiệm bánh căn, xe máy suýt sụp"


def searched(staff: Api, q: str, report_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The search reply once the search projection holds the report (it is a consumer)."""
    deadline = time.monotonic() + timeout
    while True:
        found = staff.get(f"/api/v1/workflow/reports?q={q}")
        if report_id in [i["id"] for i in found["items"]] or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def search(page: Page, text: str) -> None:
    page.get_by_label("Tìm kiếm").fill(text)
    page.get_by_role("button", name="Lọc", exact=True).click()


def first_row(page: Page) -> Any:
    return page.locator("table.queue tbody tr").first.locator("th[scope=row]")


def test_staff_find_a_callers_report_by_phone_and_by_words_without_marks(
    local_stack: LocalStack, tabs: Any, plain_category: str
) -> None:
    resident = Api(local_stack, resident_token(local_stack, PHONE))
    report_id = submit(resident, plain_category, WORDS)
    staff = Api(local_stack, staff_token(local_stack, "dieuhanh"))
    assert report_id in [i["id"] for i in searched(staff, "0987300042", report_id)["items"]]

    tab: Tab = tabs("queue-search", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, "dieuhanh")
    page.get_by_role("link", name="Phản ánh", exact=True).first.click()
    expect(page.get_by_role("heading", name="Hàng đợi phản ánh")).to_be_visible()
    expect(page.locator("#queue-count")).to_contain_text("trên")  # the queue says how many match

    search(page, "0987 300 042")  # as the caller reads it out
    expect(first_row(page)).to_have_text(report_id)
    expect(page.locator("#queue-count")).to_have_text("Hiển thị 1 trên 1 phản ánh")
    tab.shot("01-by-phone")
    tab.audit("queue-by-phone")

    search(page, "nap cong vo banh can")  # no diacritics, any case
    expect(first_row(page)).to_have_text(report_id)
    assert "q=nap+cong+vo+banh+can" in page.url  # a search can be shared like any filter
    tab.shot("02-by-words")

    search(page, report_id.lower())
    expect(first_row(page)).to_have_text(report_id)

    from openpyxl import load_workbook

    search(page, "nap cong vo banh can")
    expect(first_row(page)).to_have_text(report_id)
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Xuất Excel (.xlsx)").click()
    saved = downloaded.value
    assert saved.suggested_filename.startswith("phan-anh-") and saved.suggested_filename.endswith(".xlsx")
    path = saved.path()
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã phản ánh" and report_id in [r[0] for r in rows[1:]]
    assert not any(PHONE in str(cell) for row in rows for cell in row)  # no contact in the file
    tab.audit("queue-export")
