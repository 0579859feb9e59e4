"""The ports' contract suites (tests/contracts/) on the in-memory fakes the unit tests use;
tests/integration/field_reporting/test_port_contracts_adapters.py runs the same suites on the
real adapters, so a fake that behaves otherwise fails here or there."""

from __future__ import annotations

import pytest

from contracts.inbox import InboxContract, StoreClock
from contracts.photo_store import PhotoStoreContract
from contracts.report_repository import Outbox, ReportRepositoryContract
from contracts.saved_filters import SavedFilterStoreContract
from contracts.search_index import SearchIndexContract
from fakes import (
    InMemoryInbox,
    InMemoryPhotoStore,
    InMemoryReportRepository,
    InMemorySavedFilters,
    InMemorySearchIndex,
)

pytestmark = pytest.mark.unit


class TestInMemoryReportRepository(ReportRepositoryContract):
    @pytest.fixture
    def repo(self) -> InMemoryReportRepository:
        return InMemoryReportRepository()

    @pytest.fixture
    def outbox(self, repo: InMemoryReportRepository) -> Outbox:
        return lambda: [event.id for event in repo.outbox]


class TestInMemoryPhotoStore(PhotoStoreContract):
    @pytest.fixture
    def photos(self) -> InMemoryPhotoStore:
        return InMemoryPhotoStore()


class TestInMemoryInbox(InboxContract):
    @pytest.fixture
    def inbox(self, clock: StoreClock) -> InMemoryInbox:
        return InMemoryInbox(clock)


class TestInMemorySearchIndex(SearchIndexContract):
    @pytest.fixture
    def index(self) -> InMemorySearchIndex:
        return InMemorySearchIndex()


class TestInMemorySavedFilters(SavedFilterStoreContract):
    @pytest.fixture
    def store(self) -> InMemorySavedFilters:
        return InMemorySavedFilters()
