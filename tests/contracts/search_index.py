"""The SearchIndex contract, one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``SearchIndexContract`` and provides ``index``, an empty index
(tests/unit/field_reporting/test_port_contracts_in_memory.py: the fake;
tests/integration/field_reporting/test_port_contracts_adapters.py: DynamoDB on moto).
"""

from __future__ import annotations

import pytest

from fakes import MONDAY_9AM
from ioc_core.field_reporting.models import ReportStatus
from ioc_core.field_reporting.ports import SearchIndex
from ioc_core.field_reporting.search import SearchDoc


def doc(report_id: str, version: int, *terms: str, status: ReportStatus = ReportStatus.RECEIVED) -> SearchDoc:
    return SearchDoc(
        report_id=report_id,
        version=version,
        status=status,
        ward_code="22918",
        service_code="road_damage",
        requested_at=MONDAY_9AM,
        terms=sorted(terms),
    )


class SearchIndexContract:
    @pytest.fixture
    def index(self) -> SearchIndex:
        raise NotImplementedError

    def test_postings_and_docs_read_back(self, index: SearchIndex) -> None:
        assert index.put([doc("PT-1", 1, "duong", "hong"), doc("PT-2", 1, "duong", "tel:+84901234567")]) == 2
        assert index.postings("duong", 10) == {"PT-1", "PT-2"}
        assert index.postings("hong", 10) == {"PT-1"}
        assert index.postings("tel:+84901234567", 10) == {"PT-2"}
        assert index.postings("nothing", 10) == set()
        assert sorted(d.report_id for d in index.docs(["PT-2", "PT-1", "PT-9", "PT-1"])) == ["PT-1", "PT-2"]
        assert index.docs([]) == []

    def test_a_new_version_moves_its_postings(self, index: SearchIndex) -> None:
        index.put([doc("PT-1", 1, "duong", "hong")])
        assert index.put([doc("PT-1", 2, "duong", "sua", status=ReportStatus.RESOLVED)]) == 1
        assert index.postings("hong", 10) == set()
        assert index.postings("sua", 10) == {"PT-1"}
        (stored,) = index.docs(["PT-1"])
        assert stored.version == 2 and stored.status is ReportStatus.RESOLVED

    def test_an_older_version_or_a_replay_changes_nothing(self, index: SearchIndex) -> None:
        index.put([doc("PT-1", 3, "moi")])
        assert index.put([doc("PT-1", 2, "cu")]) == 0
        assert index.put([doc("PT-1", 3, "moi")]) == 0
        assert index.postings("cu", 10) == set()
        assert [d.version for d in index.docs(["PT-1"])] == [3]

    def test_the_newest_of_one_batch_wins(self, index: SearchIndex) -> None:
        assert index.put([doc("PT-1", 2, "b"), doc("PT-1", 1, "a"), doc("PT-1", 3, "c")]) == 1
        assert index.postings("a", 10) == index.postings("b", 10) == set()
        assert index.postings("c", 10) == {"PT-1"}

    def test_postings_stop_at_the_limit(self, index: SearchIndex) -> None:
        index.put([doc(f"PT-{n:03d}", 1, "duong") for n in range(30)])
        assert len(index.postings("duong", 7)) == 7
        assert len(index.postings("duong", 100)) == 30
        assert len(index.docs([f"PT-{n:03d}" for n in range(30)] * 5)) == 30  # > one batch get of 100
