"""The ports' contract suites (tests/contracts/) on the real adapters, on moto: the same
suites tests/unit/field_reporting/test_port_contracts_in_memory.py runs on the fakes."""

from __future__ import annotations

import boto3
import pytest

from contracts.inbox import InboxContract, StoreClock
from contracts.photo_store import PhotoStoreContract
from contracts.report_repository import Outbox, ReportRepositoryContract
from contracts.saved_filters import SavedFilterStoreContract
from contracts.search_index import SearchIndexContract
from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
from ioc_core.field_reporting.adapters.notifications import DynamoInbox
from ioc_core.field_reporting.adapters.s3 import S3PhotoStore
from ioc_core.field_reporting.adapters.saved_filters import DynamoSavedFilters
from ioc_core.field_reporting.adapters.search_index import DynamoSearchIndex
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


class TestDynamoReportRepository(ReportRepositoryContract):
    @pytest.fixture
    def repo(self, stack: Settings) -> DynamoReportRepository:
        return DynamoReportRepository(stack)

    @pytest.mark.xfail(
        strict=True,
        reason="adapter bug: a queue of several statuses reads the status index one status after "
        "another (all received, then all verified…), not newest first as the port and the API "
        "(GET /workflow/reports) say; the fake is newest first. Fixing it means merging the "
        "partitions in the adapter, with a cursor per status in the page token.",
    )
    def test_a_queue_of_several_statuses_is_newest_first(self, repo: DynamoReportRepository) -> None:
        super().test_a_queue_of_several_statuses_is_newest_first(repo)

    @pytest.fixture
    def outbox(self, stack: Settings) -> Outbox:
        client = boto3.client("dynamodb", region_name=stack.region, endpoint_url=stack.aws_endpoint)

        def event_ids() -> list[str]:  # test inspection only: the relay reads the table's stream
            return [item["event_id"]["S"] for item in client.scan(TableName=stack.name("outbox"))["Items"]]

        return event_ids


class TestS3PhotoStore(PhotoStoreContract):
    @pytest.fixture
    def photos(self, stack: Settings) -> S3PhotoStore:
        return S3PhotoStore(stack)


class TestDynamoInbox(InboxContract):
    @pytest.fixture
    def inbox(self, stack: Settings, clock: StoreClock) -> DynamoInbox:
        return DynamoInbox(stack, clock=clock)


class TestDynamoSearchIndex(SearchIndexContract):
    @pytest.fixture
    def index(self, stack: Settings) -> DynamoSearchIndex:
        return DynamoSearchIndex(stack)


class TestDynamoSavedFilters(SavedFilterStoreContract):
    @pytest.fixture
    def store(self, stack: Settings) -> DynamoSavedFilters:
        return DynamoSavedFilters()  # on the models the stack bound
