"""IntakeService.submit on in-memory fakes: the report built, its event, idempotency, location."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta

import pytest

from fakes import MONDAY_9AM, IntakeWorld
from ioc_core.admin_units import default_registry
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import HistoryEntry, ReportDraft, Reporter, ReportStatus
from ioc_core.field_reporting.ports import ReportQuery
from ioc_core.field_reporting.service import SubmitResult, fingerprint
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import TYPE_PREFIX
from ioc_core.shared.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.unit

MUI_NE = "22918"
BINH_THUAN = "22960"
MUI_NE_POINT = (10.97, 108.2715)  # inside Phường Mũi Né's boundary
HANOI = (21.03, 105.85)


@pytest.fixture
def world() -> IntakeWorld:
    return IntakeWorld()


def street_light(**changes: object) -> ReportDraft:
    fields: dict[str, object] = {
        "service_code": "street_light_out",
        "lat": MUI_NE_POINT[0],
        "lon": MUI_NE_POINT[1],
        "description": "Đèn đường tắt cả tuần",
        "attributes": {"lights_affected": "several"},
    }
    return ReportDraft.model_validate(fields | changes)


def problem_fields(error: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {p.field for p in error.value.problems}


# -- the report built ---------------------------------------------------------------------


def test_submit_stores_a_received_report_located_routed_and_due(world: IntakeWorld) -> None:
    result = world.intake.submit(street_light())

    report = result.report
    assert result.created is True
    assert re.fullmatch(r"PT-[0-9A-HJKMNP-TV-Z]{8}", report.report_id)
    assert report.status is ReportStatus.RECEIVED
    assert report.version == 1
    assert report.location.ward_code == MUI_NE
    assert report.agency_responsible == "CSCC"  # street lighting company, from the catalogue
    assert report.requested_at == MONDAY_9AM
    # SLA 8 h verify + 24 h resolve = 32 working hours: Mon 6 h, Tue–Thu 22.5 h, Fri 07:30 + 3.5 h.
    assert report.expected_at == datetime(2026, 3, 6, 11, 0, tzinfo=VN_TZ)
    assert report.history == [
        HistoryEntry(at=MONDAY_9AM, status=ReportStatus.RECEIVED, actor="channel:open311")
    ]
    assert report.token is None
    assert world.repo.get(report.report_id) == report


def test_submit_stages_exactly_one_submitted_cloudevent(world: IntakeWorld) -> None:
    report = world.intake.submit(street_light()).report

    assert len(world.repo.outbox) == 1
    event = world.repo.outbox[0]
    assert event.specversion == "1.0"
    assert event.type == f"{TYPE_PREFIX}field_reporting.report.submitted"
    assert event.subject == report.report_id
    assert event.time == "2026-03-02T09:00:00+07:00"
    assert event.sequence == "000000000001"
    assert event.data["ward_code"] == MUI_NE
    assert event.data["service_code"] == "street_light_out"
    assert event.data["status"] == "received"
    assert event.data["expected_datetime"] == "2026-03-06T11:00:00+07:00"


def test_submitted_event_carries_no_personal_data(world: IntakeWorld) -> None:
    reporter = Reporter(
        account_id="acct-7781",
        first_name="Hương",
        last_name="Võ Thị",
        phone="0912345678",
        email="huong.vo@example.vn",
        device_id="device-pixel-42",
    )
    report = world.intake.submit(street_light(reporter=reporter)).report

    assert report.reporter.phone == "+84912345678"  # stored, normalised
    raw = world.repo.outbox[0].to_json()
    for personal in ("acct-7781", "Hương", "Võ Thị", "912345678", "huong.vo", "device-pixel-42"):
        assert personal not in raw
    assert set(json.loads(raw)["data"]) == {
        "report_id",
        "service_code",
        "ward_code",
        "status",
        "agency_responsible",
        "unit",
        "lat",
        "long",
        "channel",
        "requested_datetime",
        "expected_datetime",
        "photo_count",
    }


def test_batch_service_hands_out_a_token_that_finds_the_report(world: IntakeWorld) -> None:
    draft = street_light(
        service_code="bulky_waste_pickup", attributes={"items": ["mattress"], "item_count": "1"}
    )
    report = world.intake.submit(draft).report

    assert report.token is not None
    assert re.fullmatch(r"TK-[0-9a-f]{16}", report.token)
    assert world.intake.by_token(report.token).report_id == report.report_id


def test_unknown_token_and_id_are_not_found(world: IntakeWorld) -> None:
    with pytest.raises(NotFound):
        world.intake.by_token("TK-0000000000000000")
    with pytest.raises(NotFound):
        world.intake.get("PT-NOPE0000")


# -- idempotency ----------------------------------------------------------------------------


def test_retry_with_same_key_and_draft_returns_the_first_report(world: IntakeWorld) -> None:
    first = world.intake.submit(street_light(), idempotency_key="retry-1")
    again = world.intake.submit(street_light(), idempotency_key="retry-1")

    assert first.created is True
    assert again.created is False
    assert again.report == first.report
    assert len(world.repo.reports) == 1
    assert len(world.repo.outbox) == 1


def test_same_key_with_a_different_draft_is_a_conflict(world: IntakeWorld) -> None:
    world.intake.submit(street_light(), idempotency_key="retry-1")

    with pytest.raises(Conflict, match="different report"):
        world.intake.submit(street_light(description="Một báo cáo khác"), idempotency_key="retry-1")
    assert len(world.repo.outbox) == 1


def test_a_retry_typed_in_decomposed_unicode_is_the_same_request(world: IntakeWorld) -> None:
    text = "Đèn đường hỏng ở phường Mũi Né"
    first = world.intake.submit(street_light(description=text), idempotency_key="nfd-1")
    again = world.intake.submit(
        street_light(description=unicodedata.normalize("NFD", text)), idempotency_key="nfd-1"
    )

    assert again.created is False
    assert again.report.report_id == first.report.report_id


def test_a_retry_that_would_not_pass_now_still_gets_its_report(world: IntakeWorld) -> None:
    world.photos.put("uploads/p1", b"\xff\xd8\xff\xe0" + b"\x00" * 60, "image/jpeg")
    first = world.intake.submit(street_light(photo_keys=["uploads/p1"]), idempotency_key="retry-2")
    del world.photos.objects["uploads/p1"]  # e.g. the upload bucket's lifecycle rule ran

    again = world.intake.submit(street_light(photo_keys=["uploads/p1"]), idempotency_key="retry-2")

    assert again.created is False
    assert again.report.report_id == first.report.report_id


def test_a_retry_after_its_service_was_withdrawn_still_gets_its_report(world: IntakeWorld) -> None:
    first = world.intake.submit(street_light(), idempotency_key="retry-3")
    world.catalogue = _without_service(world, "street_light_out")

    again = world.intake.submit(street_light(), idempotency_key="retry-3")

    assert again.created is False
    assert again.report.report_id == first.report.report_id


def test_without_a_key_each_submission_is_a_new_report(world: IntakeWorld) -> None:
    first = world.intake.submit(street_light())
    second = world.intake.submit(street_light())

    assert first.report.report_id != second.report.report_id
    assert len(world.repo.outbox) == 2


def test_a_concurrent_retry_that_stored_first_wins_the_race(world: IntakeWorld) -> None:
    winner: list[SubmitResult] = []

    def other_request() -> None:  # passed the claim check too, and stores first
        winner.append(world.intake.submit(street_light(), idempotency_key="race-1"))

    world.repo.before_add = other_request

    result = world.intake.submit(street_light(), idempotency_key="race-1")

    assert winner[0].created is True
    assert result.created is False
    assert result.report.report_id == winner[0].report.report_id
    assert len(world.repo.reports) == 1
    assert len(world.repo.outbox) == 1


def test_a_concurrent_request_with_another_draft_is_a_conflict(world: IntakeWorld) -> None:
    def other_request() -> None:
        world.intake.submit(street_light(description="khác"), idempotency_key="race-1")

    world.repo.before_add = other_request

    with pytest.raises(Conflict, match="different report"):
        world.intake.submit(street_light(), idempotency_key="race-1")
    assert len(world.repo.reports) == 1


def test_a_claim_whose_report_is_not_stored_yet_is_a_conflict(world: IntakeWorld) -> None:
    world.repo.claims["half-1"] = ("PT-GHOST000", fingerprint(street_light()))

    with pytest.raises(Conflict, match="still being stored"):
        world.intake.submit(street_light(), idempotency_key="half-1")
    assert world.repo.outbox == []


# -- service --------------------------------------------------------------------------------


def test_unknown_service_is_not_found(world: IntakeWorld) -> None:
    with pytest.raises(NotFound, match="no_such_service"):
        world.intake.submit(street_light(service_code="no_such_service"))


def _without_service(world: IntakeWorld, code: str) -> Catalogue:
    """A copy of the catalogue with ``code`` deactivated: the cached one is shared."""
    catalogue = world.catalogue.model_copy(deep=True)
    service = catalogue.service(code)
    assert service is not None
    service.active = False
    return catalogue


def test_inactive_service_is_not_found(world: IntakeWorld) -> None:
    world.catalogue = _without_service(world, "street_light_out")

    with pytest.raises(NotFound):
        world.intake.submit(street_light())
    assert world.repo.outbox == []


# -- location -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lat", "lon", "field"), [(10.97, None, "lon"), (None, 108.27, "lat")])
def test_half_a_coordinate_is_a_problem(world: IntakeWorld, lat: float, lon: float, field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(lat=lat, lon=lon))
    assert problem_fields(error) == {field}


@pytest.mark.parametrize(("lat", "lon"), [HANOI, (95.0, 108.0), (10.97, 190.0)])
def test_coordinates_outside_the_city_are_a_problem(world: IntakeWorld, lat: float, lon: float) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(lat=lat, lon=lon))
    assert problem_fields(error) == {"lat"}


def test_no_location_at_all_is_a_problem(world: IntakeWorld) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(lat=None, lon=None))
    assert problem_fields(error) == {"lat"}


def test_an_address_naming_a_ward_is_placed_at_the_wards_point(world: IntakeWorld) -> None:
    address = "12 Nguyễn Đình Chiểu, phường Mũi Né"
    report = world.intake.submit(street_light(lat=None, lon=None, address=address)).report

    assert report.location.ward_code == MUI_NE
    assert (report.location.lat, report.location.lon) == default_registry().representative_point(MUI_NE)
    assert report.location.address == address


def test_an_address_naming_no_ward_is_a_problem(world: IntakeWorld) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(lat=None, lon=None, address="12 Nguyễn Đình Chiểu"))
    assert problem_fields(error) == {"address"}


def test_the_city_suffix_does_not_hide_the_named_ward(world: IntakeWorld) -> None:
    address = "Khu phố 3, phường Bình Thuận, TP. Phan Thiết"
    report = world.intake.submit(street_light(lat=None, lon=None, address=address)).report

    assert report.location.ward_code == BINH_THUAN


# -- reporter -------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["0912345678", "+84912345678", "84912345678", "0912 345 678"])
def test_mobile_numbers_are_stored_in_e164(world: IntakeWorld, phone: str) -> None:
    report = world.intake.submit(street_light(reporter=Reporter(phone=phone))).report
    assert report.reporter.phone == "+84912345678"


@pytest.mark.parametrize("phone", ["12345", "02523822222"])
def test_a_number_that_is_no_vietnamese_mobile_is_a_problem(world: IntakeWorld, phone: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(reporter=Reporter(phone=phone)))
    assert problem_fields(error) == {"reporter.phone"}


def test_a_malformed_email_is_a_problem(world: IntakeWorld) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(street_light(reporter=Reporter(email="not an email")))
    assert problem_fields(error) == {"reporter.email"}


# -- queries --------------------------------------------------------------------------------


def test_search_pages_a_ward_newest_first(world: IntakeWorld) -> None:
    ids = []
    for hour in range(5):
        world.clock.at = MONDAY_9AM + timedelta(hours=hour)
        ids.append(world.intake.submit(street_light()).report.report_id)

    seen: list[str] = []
    token: str | None = None
    while True:
        page = world.intake.search(ReportQuery(ward_code=MUI_NE, limit=2, token=token))
        seen.extend(r.report_id for r in page.items)
        token = page.next_token
        if token is None:
            break

    assert seen == ids[::-1]


# -- finding and listing for the public ---------------------------------------------------------


def test_an_id_is_found_whatever_its_case(world: IntakeWorld) -> None:
    report_id = world.intake.submit(street_light()).report.report_id
    assert world.intake.get(report_id.lower()).report_id == report_id
    assert world.intake.get(report_id.swapcase()).report_id == report_id


def test_the_public_list_leaves_out_rejected_withdrawn_and_old_reports(world: IntakeWorld) -> None:
    ids = [world.intake.submit(street_light()).report.report_id for _ in range(4)]
    for report_id, status in zip(ids[1:3], (ReportStatus.REJECTED, ReportStatus.WITHDRAWN), strict=True):
        world.repo.reports[report_id] = world.repo.reports[report_id].model_copy(update={"status": status})
    world.clock.at += timedelta(days=10)
    later = world.intake.submit(street_light()).report.report_id
    page = world.intake.public_reports(days=30, limit=10)
    listed = [r.report_id for r in page.items]
    assert listed[0] == later and set(listed[1:]) == {ids[0], ids[3]} and page.total == 3  # newest first
    assert [r.report_id for r in world.intake.public_reports(days=5, limit=10).items] == [later]
    capped = world.intake.public_reports(days=30, limit=1)
    assert [r.report_id for r in capped.items] == [later] and capped.total == 3
    assert world.intake.public_reports(days=30, limit=10, ward_code=BINH_THUAN).items == []
