"""Cameras in a real browser, Vietnamese first: a camera gateway uploads snapshots through
presigned uploads (capture times from the camera), a fire appears and grows, the detector
raises alerts with evidence, and they are one incident: the operator sees one card in the
console's incident queue with its latest images and its timeline, verifies it and dispatches
a unit once, and closes it; the camera map shows the camera's ward and health and the
false-alarm page its figures. Screenshots in test-artifacts/browser/, axe-core
checks, and any console error fails the test.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from browser_tabs import Tab, sign_in_staff, sign_out, staff_token
from e2e_stack import HTTP_TIMEOUT, LocalStack, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CAMERA = "pt-e2e-01"
API = "/api/v1/cameras"


def gateway_uploads_a_fire(stack: LocalStack, uploader_key: str) -> None:
    """What a camera gateway does: a presigned upload per snapshot, stamped with its capture
    time (every 4 minutes); a fire starts at minute 20 and grows."""
    from ioc_core.cameras.vision.jpeg import encode_jpeg
    from ioc_core.cameras.vision.scenes import Scene, SceneEvent

    scene = Scene(
        seed=77,
        width=960,
        height=540,
        start_minute=12 * 60,
        events=[SceneEvent("fire", 20, 0.55, 0.72, 0.05, 12)],
    )
    # The last capture is two minutes old: the health job (every 5 minutes) must not find the
    # camera silent (30 minutes) while the test looks at its health.
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=38)
    for step in range(10):
        taken = (start + timedelta(minutes=4 * step)).isoformat()
        grant = requests.post(
            f"{stack.url}{API}/{CAMERA}/uploads",
            params={"taken_at": taken},
            headers={"X-Camera-Key": uploader_key},
            timeout=HTTP_TIMEOUT,
        )
        assert grant.status_code == 201, grant.text
        post = grant.json()
        files = {"file": ("snapshot.jpg", encode_jpeg(scene.render(step * 4.0), 85), "image/jpeg")}
        stored = requests.post(post["url"], data=post["fields"], files=files, timeout=HTTP_TIMEOUT)
        assert stored.status_code in (200, 204), stored.text


def test_camera_alert_story(local_stack: LocalStack, tabs: Any) -> None:
    admin = {"Authorization": f"Bearer {staff_token(local_stack, 'quantri')}"}
    camera = {
        "camera_id": CAMERA,
        "name": "Chợ Phan Thiết",
        "ward_code": "22945",
        "lat": 10.929,
        "lon": 108.101,
        "kind": "hd",
        "zones": [
            {
                "zone_id": "street",
                "kind": "fire_watch",
                "polygon": [[0, 0.25], [1, 0.25], [1, 1], [0, 1]],
                "name": "Mặt phố",
                "name_en": "Street",
            }
        ],
    }
    registered = requests.post(f"{local_stack.url}{API}", json=camera, headers=admin, timeout=HTTP_TIMEOUT)
    assert registered.status_code == 201, registered.text
    gateway_uploads_a_fire(local_stack, registered.json()["uploader_key"])

    def fire_incidents() -> list[dict[str, Any]]:
        answer = requests.get(f"{local_stack.url}{API}/incidents", headers=admin, timeout=HTTP_TIMEOUT)
        return [i for i in answer.json()["incidents"] if i["camera_id"] == CAMERA and i["kind"] == "fire"]

    found, incidents = wait_until(fire_incidents, bool, 90)
    assert found, f"no fire incident for {CAMERA}:\n{local_stack.log_tail()}"
    alerts = requests.get(f"{local_stack.url}{API}/{CAMERA}/alerts", headers=admin, timeout=HTTP_TIMEOUT)
    fires = [a for a in alerts.json()["alerts"] if a["kind"] == "fire"]
    assert len(incidents) == 1, "one fire is one incident"
    assert sorted(e["alert_id"] for e in incidents[0]["timeline"]) == sorted(a["alert_id"] for a in fires)
    assert incidents[0]["paged"] == ["dieuhanh"], "a fire pages the operator on shift"

    console: Tab = tabs("cameras", viewport={"width": 1366, "height": 900})
    # A leader reads the queue and its evidence but may not act (only operators verify,
    # dispatch and close): the card shows no action.
    page = sign_in_staff(console, local_stack, "lanhdao")
    page.get_by_role("link", name="Sự cố camera").click()
    read_only = page.get_by_role("article").filter(has=page.get_by_role("heading", name=f"Cháy – {CAMERA}"))
    expect(read_only).to_be_visible()
    expect(read_only.get_by_role("button")).to_have_count(0)
    sign_out(page)
    # The page reaches the operators' desk inbox too, and opens the incidents from there.
    operator = {"Authorization": f"Bearer {staff_token(local_stack, 'dieuhanh')}"}

    def paged_in_inbox() -> list[dict[str, Any]]:
        inbox = f"{local_stack.url}/api/v1/workflow/notifications?limit=50"
        answer = requests.get(inbox, headers=operator, timeout=HTTP_TIMEOUT)
        return [n for n in answer.json()["items"] if n.get("incident_id") == incidents[0]["incident_id"]]

    reached, pages = wait_until(paged_in_inbox, bool, 120, interval=2)
    assert reached and len(pages) == 1, f"the page did not reach the operators' inbox once: {pages}"
    page = sign_in_staff(console, local_stack, "dieuhanh")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=re.compile("^Hộp thư")).click()
    expect(page.get_by_role("heading", name="Hộp thư của bộ phận", level=1)).to_be_visible()
    page.get_by_role("link", name=f"Cháy tại camera {CAMERA}, Phường Phan Thiết").click()
    expect(page.get_by_role("heading", name="Sự cố từ camera", level=1)).to_be_visible()
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=f"Cháy – {CAMERA}"))
    expect(card).to_have_count(1)  # one fire, one card
    expect(card.get_by_text("Khẩn cấp").or_(card.get_by_text("Cao")).first).to_be_visible()
    expect(card.get_by_text("Phường Phan Thiết", exact=False)).to_be_visible()
    expect(card.get_by_text("Vùng: Mặt phố", exact=False)).to_be_visible()
    card.get_by_text("Diễn biến", exact=False).click()  # the timeline expands
    expect(card.locator(".cam-timeline li")).to_have_count(len(fires))
    for name in ("Ảnh camera có khoanh vùng", "Ảnh cắt độ phân giải đầy đủ"):
        image = card.get_by_role("img", name=name)
        expect(image).to_be_visible()
        wait_until(lambda image=image: image.evaluate("i => i.complete && i.naturalWidth"), bool, 10)
        assert image.evaluate("i => i.naturalWidth") > 0, f"{name} did not load"
    console.shot("cameras-01-alert-queue")
    console.audit("camera-alert-queue")

    card.get_by_role("button", name="Xác minh: sự việc thật").click()
    expect(card.get_by_text("Đã xác minh").first).to_be_visible()
    card.get_by_label("Đơn vị điều động").fill("Đội PCCC Phan Thiết")
    card.get_by_role("button", name="Điều động").click()
    expect(card.get_by_text("Đơn vị: Đội PCCC Phan Thiết")).to_be_visible()
    console.shot("cameras-02-dispatched")
    expect(card.get_by_role("button", name="Điều động")).to_have_count(0)  # dispatched once
    card.get_by_role("button", name="Đóng sự cố").click()
    expect(card).to_have_count(0)
    page.get_by_role("button", name="Đã đóng").click()
    closed = page.get_by_role("article").filter(has=page.get_by_role("heading", name=f"Cháy – {CAMERA}"))
    expect(closed.get_by_text("Đã đóng", exact=True)).to_be_visible()

    page.get_by_role("link", name="Camera", exact=True).click()
    expect(page.get_by_role("heading", name="Bản đồ camera")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=CAMERA)
    expect(row.get_by_text("Đang gửi ảnh")).to_be_visible(timeout=20_000)
    expect(row.get_by_role("cell", name="Phường Phan Thiết")).to_be_visible()  # a name, not 22945
    expect(page.get_by_text("Trang 1/", exact=False)).to_be_visible()  # all 61 and more, a page at a time
    expect(page.locator(".reports-map .camera-dot, .reports-map .map-cluster").first).to_be_visible()
    console.shot("cameras-03-map")
    console.audit("camera-map")

    def verdicts() -> list[dict[str, Any]]:
        answer = requests.get(f"{local_stack.url}{API}/stats", headers=admin, timeout=HTTP_TIMEOUT)
        return [c for c in answer.json()["cameras"] if c["camera_id"] == CAMERA and c["verified"]]

    # The counters follow the event stream, behind the demo history the stack is still projecting.
    counted, _ = wait_until(verdicts, bool, 180, interval=2)
    assert counted, "the camera counters never counted the verdict"
    page.get_by_role("link", name="Báo động giả").click()
    expect(page.get_by_role("heading", name="Tỷ lệ báo động giả theo camera")).to_be_visible()
    stats_row = page.get_by_role("row").filter(has_text=CAMERA)
    expect(stats_row).to_contain_text("0 %")
    console.shot("cameras-04-false-alarms")
    console.audit("camera-false-alarms")


def test_an_administrator_gives_a_camera_a_new_uploader_key(local_stack: LocalStack, tabs: Any) -> None:
    """A gateway's key leaked: the administrator issues a new one in the console, sees it once,
    and the old key stops working at once."""
    admin = {"Authorization": f"Bearer {staff_token(local_stack, 'quantri')}"}
    camera = {
        "camera_id": "pt-e2e-02",
        "name": "Cầu Trần Hưng Đạo",
        "ward_code": "22945",
        "lat": 10.931,
        "lon": 108.099,
        "kind": "ward",
        "zones": [],
    }
    registered = requests.post(f"{local_stack.url}{API}", json=camera, headers=admin, timeout=HTTP_TIMEOUT)
    assert registered.status_code == 201, registered.text
    old = registered.json()["uploader_key"]

    console: Tab = tabs("camera-key", viewport={"width": 1366, "height": 900})
    page = sign_in_staff(console, local_stack, "quantri")
    page.get_by_role("link", name="Camera", exact=True).click()
    row = page.get_by_role("row").filter(has_text="pt-e2e-02")
    row.get_by_role("button", name="Cấp khóa mới cho pt-e2e-02 · Cầu Trần Hưng Đạo").click()
    row.get_by_role(
        "button", name="Xác nhận: khóa cũ ngừng hoạt động (pt-e2e-02 · Cầu Trần Hưng Đạo)"
    ).click()
    shown = row.locator("code.cam-key")
    expect(shown).to_be_visible()
    expect(row.get_by_text("Chỉ hiển thị một lần", exact=False)).to_be_visible()
    new = shown.inner_text().strip()
    assert new and new != old
    console.shot("cameras-05-new-uploader-key")
    console.audit("camera-uploader-key")

    def presign(key: str) -> int:
        answer = requests.post(
            f"{local_stack.url}{API}/pt-e2e-02/uploads", headers={"X-Camera-Key": key}, timeout=HTTP_TIMEOUT
        )
        return answer.status_code

    assert presign(old) == 403
    assert presign(new) == 201
    # An operator sees the same table, without the key column or its buttons.
    sign_out(page)
    page = sign_in_staff(console, local_stack, "dieuhanh")
    page.get_by_role("link", name="Camera", exact=True).click()
    row = page.get_by_role("row").filter(has_text="pt-e2e-02")
    expect(row).to_be_visible()
    expect(page.get_by_role("columnheader", name="Khóa tải ảnh")).to_have_count(0)
    expect(row.get_by_role("button")).to_have_count(0)
