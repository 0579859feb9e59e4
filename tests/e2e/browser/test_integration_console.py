"""The province's subscriptions in a real browser, Vietnamese first, against a running stack:
the administrator subscribes a loopback receiver (its secret shown once, gone after a reload),
a resident's report reaches the receiver signed (checked by hand with hmac: not the package
that signs), and the delivery log shows the attempt; the page reads in English too. axe-core
on each page and no console errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_tabs import Api, resident_token, sign_in_staff, submit
from e2e_stack import LocalStack, wait_until
from playwright.sync_api import expect
from webhooks import loopback_receiver, verified

pytestmark = pytest.mark.e2e

DESK_VIEW = {"viewport": {"width": 1366, "height": 900}}
TYPE = "field_reporting.report.submitted"


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    with loopback_receiver("/province/hook") as (url, received):
        yield url, received.requests


def test_an_administrator_subscribes_the_province_and_reads_the_delivery_log(
    local_stack: LocalStack, tabs: Any, plain_category: str, receiver: tuple[str, list[Any]]
) -> None:
    url, received = receiver
    tab = tabs("integration-admin", **DESK_VIEW)
    page = sign_in_staff(tab, local_stack, "quantri")
    page.get_by_role("link", name="Đăng ký nhận sự kiện", exact=True).click()
    expect(page.get_by_role("heading", name="Đăng ký nhận sự kiện của tỉnh")).to_be_visible()
    page.get_by_label("Địa chỉ nhận (https)").fill(url)
    page.get_by_label("Loại sự kiện").fill(TYPE)
    page.get_by_label("Ghi chú (bên nhận)").fill("Trung tâm giám sát tỉnh (kiểm thử)")
    page.get_by_role("button", name="Tạo đăng ký").click()
    shown = page.get_by_label("Khóa ký", exact=True)
    expect(shown).to_be_visible()
    secret = shown.input_value()
    assert secret.startswith("whsec_")
    tab.shot("01-created")
    tab.audit("subscriptions-created")

    resident = Api(local_stack, resident_token(local_stack, "0912000777"))
    report_id = submit(resident, plain_category, "Ống nước vỡ (kiểm thử gửi sự kiện cho tỉnh).")
    arrived, _ = wait_until(
        lambda: [b for _, b in received if report_id.encode() in b], bool, 120, interval=0.5
    )
    assert arrived, f"no delivery of {report_id} within 120 s"
    headers, body = next((h, b) for h, b in received if report_id.encode() in b)
    assert headers["content-type"].startswith("application/cloudevents+json")
    assert verified(secret, headers, body)

    page.reload()
    expect(page.get_by_role("heading", name="Các đăng ký")).to_be_visible()
    assert secret not in page.content()  # shown once
    page.get_by_role("link", name=url).click()
    expect(page.get_by_role("heading", name="Nhật ký gửi")).to_be_visible()
    expect(page.get_by_role("cell", name="đã nhận").first).to_be_visible()
    expect(page.get_by_text("Không có sự kiện bị treo.")).to_be_visible()
    tab.shot("02-delivery-log")
    tab.audit("delivery-log")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    expect(page.get_by_role("cell", name="delivered").first).to_be_visible()
    tab.audit("delivery-log-en")
    tab.assert_clean()
