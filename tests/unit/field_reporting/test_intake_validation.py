"""What intake refuses, all problems at once: attributes, description, photos, media uploads."""

from __future__ import annotations

import pytest

from fakes import IntakeWorld
from ioc_core.field_reporting.models import Photo, ReportDraft, Reporter
from ioc_core.field_reporting.service import MAX_PHOTO_BYTES, sniff_image
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 200
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"\x00" * 200


@pytest.fixture
def world() -> IntakeWorld:
    return IntakeWorld()


def complaint(**changes: object) -> ReportDraft:
    """A tourism complaint: it has multi, single, number, datetime and string attributes."""
    fields: dict[str, object] = {
        "service_code": "tourism_complaint",
        "lat": 10.97,
        "lon": 108.2715,
        "attributes": {"complaint_type": ["overcharging"]},
    }
    return ReportDraft.model_validate(fields | changes)


def problems_of(world: IntakeWorld, draft: ReportDraft) -> dict[str, str]:
    staged = len(world.repo.outbox)
    with pytest.raises(ValidationFailed) as error:
        world.intake.submit(draft)
    assert len(world.repo.outbox) == staged
    return {p.field: p.message for p in error.value.problems}


# -- attributes and description ---------------------------------------------------------------


def test_every_problem_is_reported_at_once(world: IntakeWorld) -> None:
    draft = complaint(
        attributes={
            "colour": "red",
            "complaint_type": ["touts", "pickpocket"],
            "amount_charged_vnd": "nhiều lắm",
            "incident_time": "hôm qua",
            "reply_language": "fr",
        },
        description="x" * 4001,
        reporter=Reporter(phone="12345"),
        photo_keys=["uploads/missing"],
    )

    found = problems_of(world, draft)

    assert set(found) == {
        "attributes.colour",
        "attributes.complaint_type",
        "attributes.amount_charged_vnd",
        "attributes.incident_time",
        "attributes.reply_language",
        "description",
        "reporter.phone",
        "photo_keys",
    }
    assert "pickpocket" in found["attributes.complaint_type"]
    assert "'fr'" in found["attributes.reply_language"]


def test_missing_required_attributes_are_named(world: IntakeWorld) -> None:
    draft = complaint(service_code="bulky_waste_pickup", attributes={"preferred_date": "2026-03-10"})

    assert set(problems_of(world, draft)) == {"attributes.items", "attributes.item_count"}


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("reply_language", "fr"),
        ("reply_language", ["vi", "en"]),  # a single-value list takes one value
        ("complaint_type", ["safety", "beach"]),
        ("amount_charged_vnd", "abc"),
        ("amount_charged_vnd", "nan"),
        ("amount_charged_vnd", "inf"),
        ("incident_time", "2026-13-01T10:00"),
        ("incident_time", "yesterday"),
        ("business_name", "x" * 501),
    ],
)
def test_a_bad_attribute_value_names_its_attribute(
    world: IntakeWorld, code: str, value: str | list[str]
) -> None:
    attributes = {"complaint_type": ["overcharging"], code: value}
    assert set(problems_of(world, complaint(attributes=attributes))) == {f"attributes.{code}"}


def test_valid_attribute_values_are_cleaned(world: IntakeWorld) -> None:
    attributes = {
        "complaint_type": ["touts", "safety", "touts"],
        "reply_language": ["en"],
        "amount_charged_vnd": " 150000 ",
        "incident_time": "2026-03-01 20:15",
        "business_name": "<b>Quán</b>  Hải Sản",
    }
    report = world.intake.submit(complaint(attributes=attributes)).report

    assert report.attributes == {
        "complaint_type": ["touts", "safety"],
        "reply_language": "en",
        "amount_charged_vnd": "150000",
        "incident_time": "2026-03-01T20:15:00+07:00",
        "business_name": "Quán Hải Sản",
    }


def test_a_fixed_attribute_is_not_an_answer(world: IntakeWorld) -> None:
    # electric_hazard's safety_notice is informational (variable: false): clients cannot send it.
    draft = complaint(
        service_code="electric_hazard",
        attributes={"hazard_type": "fallen_wire", "safety_notice": "ok"},
    )
    assert set(problems_of(world, draft)) == {"attributes.safety_notice"}


def test_the_description_limit_counts_text_after_html_is_stripped(world: IntakeWorld) -> None:
    report = world.intake.submit(complaint(description="<p>" + "x" * 4000 + "</p>")).report
    assert report.description == "x" * 4000

    assert set(problems_of(world, complaint(description="<p>" + "x" * 4001 + "</p>"))) == {"description"}


# -- photos ---------------------------------------------------------------------------------


def test_uploaded_photos_are_typed_by_their_bytes_not_their_label(world: IntakeWorld) -> None:
    world.photos.put("uploads/a", JPEG, "image/png")
    world.photos.put("uploads/b", PNG, "application/octet-stream")

    report = world.intake.submit(complaint(photo_keys=["uploads/a", "uploads/b"])).report

    assert report.photos == [
        Photo(key="uploads/a", content_type="image/jpeg", size=len(JPEG)),
        Photo(key="uploads/b", content_type="image/png", size=len(PNG)),
    ]
    assert world.repo.outbox[0].data["photo_count"] == 2


def test_a_photo_of_exactly_eight_megabytes_is_accepted(world: IntakeWorld) -> None:
    world.photos.put("uploads/big", JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG)), "image/jpeg")

    report = world.intake.submit(complaint(photo_keys=["uploads/big"])).report

    assert report.photos[0].size == MAX_PHOTO_BYTES


@pytest.mark.parametrize(
    ("key", "stored", "message"),
    [
        ("uploads/never-uploaded", None, "upload it first"),
        ("private/elsewhere", JPEG, "upload it first"),
        ("uploads/doc", PDF, "not a JPEG"),
        ("uploads/huge", JPEG + b"\x00" * MAX_PHOTO_BYTES, "larger than 8 MB"),
    ],
)
def test_a_photo_that_is_not_an_uploaded_image_is_a_problem(
    world: IntakeWorld, key: str, stored: bytes | None, message: str
) -> None:
    if stored is not None:
        world.photos.put(key, stored, "image/jpeg")

    found = problems_of(world, complaint(photo_keys=[key]))

    assert set(found) == {"photo_keys"}
    assert message in found["photo_keys"]


def test_more_than_three_photos_is_a_problem(world: IntakeWorld) -> None:
    keys = [f"uploads/p{i}" for i in range(4)]
    for key in keys:
        world.photos.put(key, JPEG, "image/jpeg")

    assert "at most 3" in problems_of(world, complaint(photo_keys=keys))["photo_keys"]


@pytest.mark.parametrize(
    ("head", "kind"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp"), (HEIC, "image/heic"), (PDF, None)],
)
def test_sniff_image_reads_magic_bytes(head: bytes, kind: str | None) -> None:
    assert sniff_image(head[:32]) == kind


# -- media uploads ----------------------------------------------------------------------------


def test_store_media_keeps_an_image_under_uploads_with_its_sniffed_type(world: IntakeWorld) -> None:
    key = world.intake.store_media(PNG)

    assert key.startswith("uploads/")
    assert world.photos.objects[key] == (PNG, "image/png")
    report = world.intake.submit(complaint(photo_keys=[key])).report
    assert report.photos[0].content_type == "image/png"


def test_store_media_names_photos_by_content_so_a_retry_stores_nothing_new(world: IntakeWorld) -> None:
    first = world.intake.store_media(JPEG)
    again = world.intake.store_media(JPEG)
    other = world.intake.store_media(JPEG + b"\x01")

    assert first == again
    assert other != first
    assert len(world.photos.objects) == 2


@pytest.mark.parametrize("data", [PDF, b"", JPEG + b"\x00" * MAX_PHOTO_BYTES])
def test_store_media_refuses_what_is_no_photo(world: IntakeWorld, data: bytes) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.store_media(data)

    assert [p.field for p in error.value.problems] == ["media"]
    assert world.photos.objects == {}


def test_presign_photo_returns_an_upload_slot_under_uploads(world: IntakeWorld) -> None:
    slot = world.intake.presign_photo("image/webp")

    assert str(slot["key"]).startswith("uploads/")
    assert slot["max_bytes"] == MAX_PHOTO_BYTES
    assert slot["fields"] == {"key": slot["key"], "Content-Type": "image/webp"}


@pytest.mark.parametrize("content_type", ["application/pdf", "image/gif", "image/svg+xml", ""])
def test_presign_photo_refuses_unsupported_types(world: IntakeWorld, content_type: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        world.intake.presign_photo(content_type)

    assert [p.field for p in error.value.problems] == ["content_type"]
