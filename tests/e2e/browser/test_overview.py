"""The leader's overview in a real browser, Vietnamese first: the leader signs in and lands on
"Tổng quan", one tile per room with its headline figures from the projections (the demo's
published figures for Field Reporting, active alerts and silent cameras for the cameras), the
wards needing attention, and each tile links to its room; in English the same page reads in
English. Screenshots and axe-core reports in test-artifacts/browser/; a console error fails."""

from __future__ import annotations

from typing import Any

import pytest
from browser_tabs import Api, sign_in_staff, staff_token
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import expect

from ioc_core.local.demo_history import PUBLISHED

pytestmark = pytest.mark.e2e
LEADER = "lanhdao"


def _received(overview: dict[str, Any]) -> int:
    (tile,) = [t for t in overview["tiles"] if t["room"] == "field_reporting"]
    return int(next(f["value"] for f in tile["figures"] if f["key"] == "received"))


def test_the_leader_lands_on_the_overview_with_a_tile_per_room(local_stack: LocalStack, tabs: Any) -> None:
    leader = Api(local_stack, staff_token(local_stack, LEADER))
    everything = PUBLISHED.reports + PUBLISHED.duplicates  # every submission counts
    caught_up, seen = wait_until(
        lambda: leader.get("/api/v1/overview"), lambda o: _received(o) >= everything, 240
    )
    assert caught_up, f"the overview shows {_received(seen)} reports, expected {everything}"

    tab = tabs("overview", viewport={"width": 1366, "height": 900})
    page = sign_in_staff(tab, local_stack, LEADER)
    expect(page.get_by_role("heading", name="Tổng quan thành phố", level=1)).to_be_visible()
    reports = page.get_by_role("region", name="Phản ánh hiện trường")
    expect(reports.locator('[data-key="received"] dd')).to_have_text(f"{everything:,}".replace(",", "."))
    expect(reports.locator('[data-key="resolved"] dd')).to_have_text(
        f"{PUBLISHED.resolved:,}".replace(",", ".")
    )
    expect(reports.locator('[data-key="in_progress"] dd')).to_have_text(str(PUBLISHED.open))
    expect(reports.get_by_role("heading", name="Phường cần chú ý (quá hạn)")).to_be_visible()
    expect(reports.locator(".ov-ranking li").first).to_contain_text("Phường")
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
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phản ánh")
