"""The SavedFilterStore contract, one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``SavedFilterStoreContract`` and provides ``store``, an empty
store (tests/unit/field_reporting/test_port_contracts_in_memory.py: the fake;
tests/integration/field_reporting/test_port_contracts_adapters.py: DynamoDB on moto).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import MONDAY_9AM
from ioc_core.field_reporting.ports import SavedFilterStore
from ioc_core.field_reporting.saved_filters import QueueFilterSet, SavedFilter


def saved(name: str, minutes: int = 0, **filters: object) -> SavedFilter:
    return SavedFilter(
        name=name,
        filters=QueueFilterSet.model_validate(filters or {"status": "received"}),
        updated_at=MONDAY_9AM + timedelta(minutes=minutes),
    )


class SavedFilterStoreContract:
    @pytest.fixture
    def store(self) -> SavedFilterStore:
        raise NotImplementedError

    def test_what_is_put_reads_back_whole(self, store: SavedFilterStore) -> None:
        every = {"q": "đường hỏng", "ward": "22918", "overdue": True, "mine": True, "sort": "-due",
                 "status": "received,verified", "category": "road_damage", "unit": "CSCC"}  # fmt: skip
        kept = saved("Đường hỏng phường Phú Thủy", **every)
        store.put("staff-1", kept)
        assert store.list("staff-1") == [kept]

    def test_a_name_put_again_is_replaced_not_added(self, store: SavedFilterStore) -> None:
        store.put("staff-1", saved("Việc của tôi", 0, mine=True))
        store.put("staff-1", saved("Việc của tôi", 5, mine=True, overdue=True))
        (only,) = store.list("staff-1")
        assert only.filters == QueueFilterSet(mine=True, overdue=True)
        assert only.updated_at == MONDAY_9AM + timedelta(minutes=5)

    def test_each_owner_reads_only_their_own(self, store: SavedFilterStore) -> None:
        store.put("staff-1", saved("Quá hạn", overdue=True))
        store.put("staff-2", saved("Quá hạn", ward="22945"))
        assert [s.filters.ward for s in store.list("staff-2")] == ["22945"]
        assert [s.filters.overdue for s in store.list("staff-1")] == [True]
        assert store.list("staff-3") == []

    def test_delete_says_whether_there_was_one(self, store: SavedFilterStore) -> None:
        store.put("staff-1", saved("A"))
        store.put("staff-1", saved("B"))
        assert store.delete("staff-1", "A") is True
        assert store.delete("staff-1", "A") is False  # a retry
        assert store.delete("staff-2", "B") is False  # another's
        assert [s.name for s in store.list("staff-1")] == ["B"]

    def test_names_differing_only_in_case_are_two(self, store: SavedFilterStore) -> None:
        store.put("staff-1", saved("quá hạn"))
        store.put("staff-1", saved("Quá hạn"))
        assert sorted(s.name for s in store.list("staff-1")) == ["Quá hạn", "quá hạn"]
