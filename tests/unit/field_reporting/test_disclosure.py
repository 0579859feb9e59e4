"""What leaves the city's staff: note visibility, masked personal data, public photos."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import MONDAY_9AM, new_report
from ioc_core.field_reporting import disclosure, workflow
from ioc_core.field_reporting.models import HistoryEntry, Photo, Report, ReportStatus, Visibility

pytestmark = pytest.mark.unit

S = ReportStatus
LATER = MONDAY_9AM + timedelta(hours=3)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("gọi 0912345678 nhé", "gọi •••78 nhé"),
        ("SĐT: 0912 345 678.", "SĐT: •••78."),
        ("số +84 912-345-678 hoặc 84912345678", "số •••78 hoặc •••78"),
        ("máy bàn 0252.3821.234", "máy bàn •••34"),
        ("CCCD 079123456789, CMND 261234567", "CCCD •••89, CMND •••67"),
        ("CCCD 079 123 456 789", "CCCD •••89"),
        ("thư cho an.nguyen+pt@gmail.com.vn gấp", "thư cho •••@••• gấp"),
    ],
)
def test_phone_numbers_citizen_ids_and_emails_are_masked(typed: str, shown: str) -> None:
    assert disclosure.mask_personal(typed) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Đèn đường số 12 Trần Hưng Đạo tắt từ 01/12/2026 lúc 19:30",
        "Ổ gà sâu 0,5 m, rộng 120 cm, trước nhà 123/45",
        "Phí 10.000 đồng; 2 xe tải; mã PT-2026-00001",
        "",
    ],
)
def test_ordinary_numbers_addresses_and_dates_are_left_alone(text: str) -> None:
    assert disclosure.mask_personal(text) == text


@pytest.mark.parametrize(
    ("action", "visibility"),
    [
        ("resolve", Visibility.PUBLIC),
        ("request_info", Visibility.REPORTER),
        ("provide_info", Visibility.REPORTER),
        ("dispute", Visibility.REPORTER),
        ("withdraw", Visibility.REPORTER),
        ("verify", Visibility.STAFF),
        ("reject", Visibility.STAFF),
        ("assign", Visibility.STAFF),
        ("merge", Visibility.STAFF),
        (None, Visibility.STAFF),
    ],
)
def test_every_note_has_the_visibility_of_its_step(action: str | None, visibility: Visibility) -> None:
    entry = HistoryEntry(at=LATER, status=S.VERIFIED, actor="x", note="n", action=action)
    assert entry.visibility is visibility
    # A stored entry from before visibilities were recorded reads the same.
    stored = entry.model_dump(mode="json")
    del stored["visibility"]
    assert HistoryEntry.model_validate(stored).visibility is visibility


def _lived() -> Report:
    report = new_report()
    report, _ = workflow.transition(report, S.VERIFIED, actor="operator:an", at=LATER, note="gọi 0912345678")
    report = workflow.noted(report, "request_info", actor="operator:an", at=LATER, note="Số nhà mấy?")
    report = workflow.noted(report, "provide_info", actor="resident", at=LATER, note="Nhà tôi, 0987654321")
    report, _ = workflow.assign(report, "CSCC", actor="operator:an", at=LATER, note="nội bộ: gấp")
    report, _ = workflow.transition(report, S.IN_PROGRESS, actor="unit:b", at=LATER)
    after = Photo(key="uploads/" + "b" * 32, content_type="image/jpeg", size=10)
    report, _ = workflow.resolve(
        report, note="Đã thay bóng; hỏi 0912345678", after_photo=after, actor="unit:b", at=LATER
    )
    report, _ = workflow.dispute(
        report, by="resident", at=LATER + timedelta(days=1), comment="Vẫn tắt, CCCD 079123456789"
    )
    return report


def test_public_history_tells_status_changes_and_only_the_resolution_note_masked() -> None:
    report = _lived()
    public = [(e.status, disclosure.public_note(e)) for e in disclosure.status_steps(report)]

    assert public == [
        (S.RECEIVED, None),
        (S.VERIFIED, None),
        (S.ASSIGNED, None),
        (S.IN_PROGRESS, None),
        (S.RESOLVED, "Đã thay bóng; hỏi •••78"),
        (S.REOPENED, None),
    ]
    assert report.status_notes == "Đã thay bóng; hỏi 0912345678"  # staff keep the original


def test_events_carry_only_the_public_note_masked() -> None:
    report, _ = workflow.transition(new_report(), S.VERIFIED, actor="operator:an", at=LATER, note="nội bộ")
    report, _ = workflow.assign(report, "CSCC", actor="operator:an", at=LATER)
    report, started = workflow.transition(report, S.IN_PROGRESS, actor="unit:b", at=LATER, note="x")
    after = Photo(key="uploads/" + "b" * 32, content_type="image/jpeg", size=10)
    _, resolved = workflow.resolve(
        report, note="Xong, gọi 0912345678", after_photo=after, actor="u", at=LATER
    )
    _, withdrawn = workflow.transition(
        new_report(), S.WITHDRAWN, actor="resident", at=LATER, note="tôi là 0912345678", action="withdraw"
    )

    assert started.data["note"] is None
    assert resolved.data["note"] == "Xong, gọi •••78"
    assert withdrawn.data["note"] is None


@pytest.mark.parametrize(
    ("status", "public"),
    [(S.RECEIVED, False), (S.REJECTED, False), (S.WITHDRAWN, False), (S.VERIFIED, True), (S.RESOLVED, True)],
)
def test_photos_are_public_once_the_city_has_verified_the_report(status: ReportStatus, public: bool) -> None:
    photo = Photo(key="uploads/" + "a" * 32, content_type="image/jpeg", size=10)
    report = new_report().model_copy(update={"status": status, "photos": [photo]})
    assert disclosure.public_photo_keys(report) == ({photo.key} if public else set())
