"""Saved queue filters: names, the keys kept, the limit per person, forgetting one."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import ValidationError

from fakes import MONDAY_9AM, InMemorySavedFilters
from ioc_core.field_reporting.saved_filters import MAX_SAVED, QueueFilterSet, SavedFilterService
from ioc_core.shared.clock import FixedClock
from ioc_core.shared.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.unit

OVERDUE = QueueFilterSet(overdue=True)


@pytest.fixture
def service() -> SavedFilterService:
    return SavedFilterService(InMemorySavedFilters(), FixedClock(MONDAY_9AM))


def test_a_saved_filter_is_the_owner_s_alone_and_listed_by_name(service: SavedFilterService) -> None:
    service.save("staff-1", "quá hạn", OVERDUE)
    service.save("staff-1", "Đèn đường", QueueFilterSet(category="street_light"))
    service.save("staff-2", "Của tôi", QueueFilterSet(mine=True))
    assert [s.name for s in service.list("staff-1")] == ["quá hạn", "Đèn đường"]
    assert [s.name for s in service.list("staff-2")] == ["Của tôi"]


def test_saving_a_name_again_replaces_it(service: SavedFilterService) -> None:
    _, created = service.save("staff-1", "Quá hạn", OVERDUE)
    again, created_again = service.save("staff-1", "  Quá hạn ", QueueFilterSet(overdue=True, ward="22945"))
    assert (created, created_again) == (True, False)
    assert service.list("staff-1") == [again]


def test_names_are_nfc_so_two_keyboards_make_one_name(service: SavedFilterService) -> None:
    decomposed = unicodedata.normalize("NFD", "Quá hạn")
    assert decomposed != "Quá hạn"
    service.save("staff-1", decomposed, OVERDUE)
    service.save("staff-1", "Quá hạn", OVERDUE)
    assert [s.name for s in service.list("staff-1")] == ["Quá hạn"]
    service.forget("staff-1", decomposed)
    assert service.list("staff-1") == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "a/b", "tab\there"])
def test_a_bad_name_is_a_400_naming_the_field(service: SavedFilterService, name: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        service.save("staff-1", name, OVERDUE)
    assert [p.field for p in raised.value.problems] == ["name"]


def test_sixty_characters_is_a_name(service: SavedFilterService) -> None:
    service.save("staff-1", "ư" * 60, OVERDUE)
    assert [len(s.name) for s in service.list("staff-1")] == [60]


def test_the_thirty_first_is_refused_naming_the_limit_but_replacing_still_works(
    service: SavedFilterService,
) -> None:
    for n in range(MAX_SAVED):
        service.save("staff-1", f"bộ lọc {n}", OVERDUE)
    with pytest.raises(Conflict) as raised:
        service.save("staff-1", "một nữa", OVERDUE)
    assert "30" in raised.value.message
    service.save("staff-1", "bộ lọc 3", QueueFilterSet(mine=True))  # a replacement is not a new one
    service.save("staff-2", "một nữa", OVERDUE)  # another person's count is theirs
    assert len(service.list("staff-1")) == MAX_SAVED


def test_forgetting_one_not_kept_is_a_404(service: SavedFilterService) -> None:
    service.save("staff-1", "Quá hạn", OVERDUE)
    with pytest.raises(NotFound):
        service.forget("staff-2", "Quá hạn")
    service.forget("staff-1", "Quá hạn")
    with pytest.raises(NotFound):
        service.forget("staff-1", "Quá hạn")


@pytest.mark.parametrize(
    "filters",
    [
        {"colour": "red"},  # not a filter of the queue
        {"status": "lost"},
        {"status": "received,lost"},
        {"ward": "phu thuy"},
        {"unit": "cscc"},
        {"q": "x" * 201},
        {"q": ""},
        {"overdue": "true"},  # strict: a boolean
        {"sort": "priority"},
        {"mine": 1},
    ],
)
def test_only_the_queue_s_filters_with_bounded_values_are_kept(filters: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        QueueFilterSet.model_validate(filters)


def test_every_filter_of_the_queue_is_kept() -> None:
    every = {
        "q": "đường hỏng", "status": "received,in_progress", "ward": "22918", "category": "road_damage",
        "unit": "CSCC", "overdue": True, "mine": False, "sort": "-submitted",
    }  # fmt: skip
    assert QueueFilterSet.model_validate(every).model_dump() == every
    assert QueueFilterSet.model_validate({"status": "all"}).status == "all"
