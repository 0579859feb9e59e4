"""Staff search: words insensitive to case and diacritics, ids in any case, phones for those who
may read personal data, the queue's filters and the caller's reach, kept by the projection."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest

from fakes import MONDAY_9AM, InMemorySearchIndex, IntakeWorld
from ioc_core.admin_units import default_registry
from ioc_core.field_reporting import events, search, sla
from ioc_core.field_reporting.models import ReportDraft, Reporter, ReportStatus
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.field_reporting.sla import default_calendar
from ioc_core.field_reporting.workflow_service import Caller, QueueFilters, WorkflowService
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant
from ioc_core.shared.errors import ValidationFailed
from ioc_core.shared.text import fold, words

pytestmark = pytest.mark.unit
OPERATOR = Caller(Principal("op-1", frozenset({Grant("operator")}), username="an"), "operator")
PROVINCE = Caller(Principal("pv-1", frozenset({Grant("provincial")}), username="tinh"), "provincial")
CSCC = Caller(Principal("u-1", frozenset({Grant("unit_staff", "CSCC")}), username="cscc"), "unit_staff")


class Town:
    """Intake, workflow and the search projection on the fakes; ``sync`` plays the consumer."""

    def __init__(self) -> None:
        self.world = IntakeWorld()
        self.index = InMemorySearchIndex()
        router = Router(self.world.catalogue, default_registry(), routing_data(), MONDAY_9AM.date())
        self.world_router = router
        self.flow = WorkflowService(
            self.world.repo,
            self.world.photos,
            self.world.catalogue,
            router,
            default_calendar(),
            self.world.clock,
            search=self.index,
        )
        self.synced = 0

    def submit(self, description: str, phone: str | None = None, address: str | None = None) -> str:
        intake = self.world.intake
        intake.router = self.world_router
        draft = ReportDraft(
            service_code="street_light_out", lat=10.928, lon=108.102, description=description,
            address=address, attributes={"lights_affected": "one"}, reporter=Reporter(phone=phone),
            channel="mobile",
        )  # fmt: skip
        report_id = intake.submit(draft).report.report_id
        self.world.clock.at += timedelta(minutes=5)
        return report_id

    def sync(self) -> int:
        fresh = self.world.repo.outbox[self.synced :]
        self.synced = len(self.world.repo.outbox)
        return search.reindex(self.world.repo, self.index, fresh, self.world.catalogue)

    def ids(self, caller: Caller = OPERATOR, **filters: object) -> list[str]:
        return [r.report_id for r in self.flow.queue(caller, QueueFilters(**filters)).items]  # type: ignore[arg-type]


@pytest.fixture
def town() -> Town:
    return Town()


def test_folding_drops_case_and_every_vietnamese_mark() -> None:
    assert fold("Đường HỎNG") == "duong hong"
    decomposed = unicodedata.normalize("NFD", "Đèn đường hỏng")
    assert words(decomposed) == words("Đèn đường hỏng") == ["den", "duong", "hong"]
    assert words("ổ gà, sâu 20cm!") == ["o", "ga", "sau", "20cm"]


def test_words_find_reports_whatever_the_marks_and_all_words_must_match(town: Town) -> None:
    road = town.submit("Đường hỏng trước số 12 Trần Hưng Đạo")
    light = town.submit("Đèn đường tắt cả tuần")
    town.sync()
    assert town.ids(q="duong hong") == [road]
    assert town.ids(q="DUONG") == [light, road]  # newest first
    assert town.ids(q="tran hung dao") == [road]
    assert town.ids(q="hong tuan") == []  # every word, not any
    assert town.ids(q="duo") == []  # whole words


def test_a_report_id_is_found_in_any_case_and_first(town: Town) -> None:
    first = town.submit("Cây đổ")
    town.submit(f"Giống phản ánh {first}")  # mentions the id in its text
    town.sync()
    assert town.ids(q=first.lower())[0] == first


def test_a_phone_finds_the_reporter_only_for_those_who_may_read_personal_data(town: Town) -> None:
    theirs = town.submit("Rác ở hẻm", phone="0912 345 678")
    typed = town.submit("Gọi cho tôi 0912345678 khi xong")  # a phone typed into the text
    town.sync()
    assert town.ids(q="+84912345678") == [theirs]
    assert town.ids(q="0912.345.678") == [theirs]  # the text's copy is masked, not indexed
    with pytest.raises(ValidationFailed) as refused:
        town.ids(PROVINCE, q="0912345678")
    assert refused.value.problems[0].field == "q"
    assert typed not in town.ids(PROVINCE, q="0912345678 xong") + town.ids(q="0912345678 xong")


def test_search_keeps_the_queue_filters_and_the_callers_reach(town: Town) -> None:
    a, b, c = (town.submit(f"Đèn hỏng số {n}") for n in range(3))
    town.flow.verify(OPERATOR, a, 1, None)
    town.flow.assign(OPERATOR, a, 2, "CSCC", None)
    town.flow.reject(OPERATOR, c, 1, "not_city_matter", None)
    town.sync()
    assert town.ids(q="den hong") == [c, b, a]  # every status by default
    assert town.ids(q="den hong", statuses=(ReportStatus.RECEIVED,)) == [b]
    assert town.ids(CSCC, q="den hong") == [a]  # a unit sees what was assigned to it
    assert town.ids(q="den hong", unit="CSCC") == [a]
    assert town.ids(q="den hong", category="road_damage") == []
    page = town.flow.queue(OPERATOR, QueueFilters(q="den hong", limit=2))
    assert page.total == 3 and len(page.items) == 2 and page.next_token is not None
    rest = town.flow.queue(OPERATOR, QueueFilters(q="den hong", limit=2, cursor=page.next_token))
    assert [r.report_id for r in rest.items] == [a] and rest.next_token is None and rest.total == 3


def test_overdue_in_the_index_agrees_with_the_sla_rules(town: Town) -> None:
    report_id = town.submit("Ngập nước")
    town.sync()
    for hours in (0, 6, 30, 200):
        now = MONDAY_9AM + timedelta(hours=hours)
        report = town.world.repo.get(report_id)
        assert report is not None
        (doc,) = town.index.docs([report_id])
        assert doc.overdue(now) == sla.overdue(report, now), hours
    town.world.clock.at += timedelta(days=30)
    assert town.ids(q="ngap nuoc", overdue=True) == [report_id]
    assert town.ids(q="ngap nuoc", overdue=False) == []


def test_the_projection_is_idempotent_and_follows_the_report(town: Town) -> None:
    report_id = town.submit("Ổ gà lớn")
    town.sync()
    replayed = list(town.world.repo.outbox)
    catalogue = town.world.catalogue
    assert search.reindex(town.world.repo, town.index, replayed, catalogue) == 0  # same state: no write
    town.flow.verify(OPERATOR, report_id, 1, None)
    town.sync()
    (doc,) = town.index.docs([report_id])
    assert doc.status is ReportStatus.VERIFIED and doc.version == 2
    report = town.world.repo.get(report_id)
    assert report is not None
    other = events.submitted(report).model_copy(update={"type": "vn.gov.lamdong.phanthiet.ioc.x.other"})
    town.index.stored.clear()
    assert search.reindex(town.world.repo, town.index, [other], catalogue) == 0  # not a type it takes


@pytest.mark.parametrize(
    ("q", "field"),
    [(" ", "q"), ("!!!", "q"), ("a b c d e f g h i", "q"), ("x" * 201, "q")],
)
def test_bad_search_text_is_a_clear_400(town: Town, q: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        town.ids(q=q)
    assert refused.value.problems[0].field == field


def test_a_cursor_from_another_listing_is_refused(town: Town) -> None:
    town.submit("Cây đổ")
    town.sync()
    with pytest.raises(ValidationFailed) as refused:
        town.flow.queue(OPERATOR, QueueFilters(q="cay", cursor="eyJwIjoic3RhdHVzIn0"))
    assert refused.value.problems[0].field == "cursor"


def test_an_export_of_a_search_reads_its_reports_once(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [town.submit(f"Đèn tắt số {n}") for n in range(7)]
    town.sync()
    from ioc_core.field_reporting import workflow_service

    monkeypatch.setattr(workflow_service, "EXPORT_PAGE", 2)  # pages of the queue, were it paged
    calls: list[object] = []
    query = town.world.repo.query
    monkeypatch.setattr(town.world.repo, "query", lambda q: calls.append(q) or query(q))
    exported = town.flow.export(OPERATOR, QueueFilters(q="den tat", limit=2))
    assert [r.report_id for r in exported] == made[::-1] and len(calls) == 1


def test_overdue_pages_walk_every_match_once_with_a_total(town: Town) -> None:
    made = [town.submit(f"Ngập nước {n}") for n in range(5)]
    town.world.clock.at += timedelta(days=30)
    seen, cursor = [], None
    while True:
        page = town.flow.queue(OPERATOR, QueueFilters(overdue=True, limit=2, cursor=cursor))
        assert page.total == 5
        seen += [r.report_id for r in page.items]
        cursor = page.next_token
        if cursor is None:
            break
    assert seen == made[::-1]
