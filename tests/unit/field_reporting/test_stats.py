"""The statistics projection: each event's counter deltas, and the figures published from them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakes import MONDAY_9AM, new_report
from ioc_core.field_reporting import events
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.stats import PK, deltas, figures
from ioc_core.field_reporting.workflow import ALLOWED, rate, transition
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.unit

S = ReportStatus
LATER = MONDAY_9AM + timedelta(hours=1)
ROWS = [(PK, "all"), (PK, "ward#22918"), (PK, "service#street_light_out")]


def moved(start: ReportStatus, to: ReportStatus) -> CloudEvent:
    report = new_report().model_copy(update={"status": start})
    return transition(report, to, actor="officer", at=LATER)[1]


def rated(score: int, previous: int | None = None) -> CloudEvent:
    report = new_report().model_copy(update={"status": S.RESOLVED})
    if previous is not None:
        report = rate(report, score=previous, comment=None, at=LATER)[0]
    return rate(report, score=score, comment=None, at=LATER)[1]


# -- deltas ---------------------------------------------------------------------------------


def test_a_submission_counts_once_as_received_on_city_ward_and_service_rows() -> None:
    change = {"total": 1, "status_received": 1}
    assert deltas(events.submitted(new_report())) == dict.fromkeys(ROWS, change)


def test_a_status_change_moves_one_count_between_statuses() -> None:
    change = {"status_in_progress": -1, "status_resolved": 1}
    assert deltas(moved(S.IN_PROGRESS, S.RESOLVED)) == dict.fromkeys(ROWS, change)


def test_a_reassignment_changes_no_status_count() -> None:
    assert deltas(moved(S.ASSIGNED, S.ASSIGNED)) == {}


@pytest.mark.parametrize(
    ("score", "previous", "change"),
    [
        (5, None, {"ratings": 1, "positive_ratings": 1}),
        (4, None, {"ratings": 1, "positive_ratings": 1}),  # 4 is the positive threshold
        (3, None, {"ratings": 1}),
        (1, None, {"ratings": 1}),
        (2, 5, {"positive_ratings": -1}),  # a re-rating replaces: ratings stay the same
        (4, 3, {"positive_ratings": 1}),
    ],
)
def test_a_rating_counts_ratings_and_positive_ones(
    score: int, previous: int | None, change: dict[str, int]
) -> None:
    assert deltas(rated(score, previous)) == dict.fromkeys(ROWS, change)


@pytest.mark.parametrize(("score", "previous"), [(5, 4), (1, 3)])
def test_a_re_rating_on_the_same_side_changes_nothing(score: int, previous: int) -> None:
    assert deltas(rated(score, previous)) == {}


def test_an_account_registration_counts_on_the_city_row_only() -> None:
    event = CloudEvent.new(
        "identity.account.registered",
        subsystem="accounts",
        subject="acct-1",
        at=LATER,
        data={"ward_code": "22918"},
    )
    assert deltas(event) == {(PK, "all"): {"accounts": 1}}


def test_an_unknown_event_changes_nothing() -> None:
    event = CloudEvent.new("cameras.offline", subsystem="cameras", subject="cam-1", at=LATER, data={})
    assert deltas(event) == {}


# -- figures --------------------------------------------------------------------------------


def test_figures_derive_open_reports_and_satisfaction() -> None:
    counters = {
        "total": 10,
        "status_received": 2,
        "status_in_progress": 3,
        "status_resolved": 3,
        "status_rejected": 1,
        "status_withdrawn": 1,
        "ratings": 3,
        "positive_ratings": 2,
        "accounts": 4,
    }

    result = figures(counters)

    assert result["total"] == 10
    assert result["resolved"] == 3
    assert result["in_progress"] == 5  # total − (resolved + rejected + withdrawn)
    assert result["satisfaction_rate"] == 0.667
    assert (result["ratings"], result["positive_ratings"], result["accounts"]) == (3, 2, 4)
    assert result["by_status"] == {
        "received": 2,
        "verified": 0,
        "rejected": 1,
        "assigned": 0,
        "in_progress": 3,
        "resolved": 3,
        "reopened": 0,
        "withdrawn": 1,
    }


def test_figures_without_ratings_have_no_satisfaction_rate() -> None:
    result = figures({})
    assert result["satisfaction_rate"] is None
    assert (result["total"], result["in_progress"], result["accounts"]) == (0, 0, 0)


# -- property: the projection agrees with the reports ---------------------------------------

SERVICES = ("street_light_out", "road_damage")
WARDS = ("22918", "22924", "22945")
# Each step: which report, which of its next moves (index into the sorted options), a score.
Plan = list[tuple[int, int, int]]
steps: st.SearchStrategy[Plan] = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 7), st.integers(1, 5)), max_size=60
)


def replay(
    count: int, plan: Plan, moves: Callable[[ReportStatus], list[str]]
) -> tuple[list[Report], list[CloudEvent]]:
    """Reports after the plan, and every event it staged."""
    reports = [
        new_report(f"PT-{n:08d}", service_code=SERVICES[n % 2], ward_code=WARDS[n % 3]) for n in range(count)
    ]
    staged = [events.submitted(r) for r in reports]
    for which, choice, score in plan:
        n = which % count
        options = moves(reports[n].status)
        if not options:
            continue
        option = options[choice % len(options)]
        if option == "rate":
            reports[n], event = rate(reports[n], score=score, comment=None, at=LATER)
        else:
            reports[n], event = transition(reports[n], S(option), actor="officer", at=LATER)
        staged.append(event)
    return reports, staged


def direct_figures(reports: list[Report]) -> dict[str, object]:
    ratings = [r.rating.score for r in reports if r.rating]
    positive = sum(score >= 4 for score in ratings)
    by_status = Counter(r.status.value for r in reports)
    return {
        "total": len(reports),
        "resolved": by_status[S.RESOLVED.value],
        "in_progress": sum(not r.status.is_closed for r in reports),
        "ratings": len(ratings),
        "positive_ratings": positive,
        "satisfaction_rate": round(positive / len(ratings), 3) if ratings else None,
        "accounts": 0,
        "by_status": {s.value: by_status[s.value] for s in S},
    }


def assert_projection_agrees(reports: list[Report], staged: list[CloudEvent]) -> None:
    counters: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for event in staged:
        for row, change in deltas(event).items():
            counters[row].update(change)
    assert figures(counters[(PK, "all")]) == direct_figures(reports)
    for ward in WARDS:
        in_ward = [r for r in reports if r.location.ward_code == ward]
        assert figures(counters[(PK, f"ward#{ward}")]) == direct_figures(in_ward)
    for code in SERVICES:
        of_service = [r for r in reports if r.service_code == code]
        assert figures(counters[(PK, f"service#{code}")]) == direct_figures(of_service)


def moves_without_reassignment(status: ReportStatus) -> list[str]:
    return sorted(s.value for s in ALLOWED[status] if s is not status) + (
        ["rate"] if status is S.RESOLVED else []
    )


def every_legal_move(status: ReportStatus) -> list[str]:
    return sorted(s.value for s in ALLOWED[status]) + (["rate"] if status is S.RESOLVED else [])


@settings(database=None, max_examples=200)
@given(count=st.integers(1, 6), plan=steps)
def test_summed_deltas_equal_figures_of_the_final_reports(count: int, plan: Plan) -> None:
    assert_projection_agrees(*replay(count, plan, moves_without_reassignment))


@settings(database=None, derandomize=True, max_examples=200)
@given(count=st.integers(1, 6), plan=steps)
def test_summed_deltas_equal_figures_including_reassignments(count: int, plan: Plan) -> None:
    assert_projection_agrees(*replay(count, plan, every_legal_move))


# -- merged duplicates are counted as their master is ---------------------------------------


def test_a_merged_duplicate_counts_in_process_then_resolved_then_open_again_with_its_master() -> None:
    """The city counts a second report of the same problem among those received, resolved when
    its master is: 1,104 received = 1,025 resolved + 79 in process, duplicates included."""
    totals: Counter[str] = Counter()

    def apply(event: CloudEvent) -> None:
        for name, delta in deltas(event).get((PK, "all"), {}).items():
            totals[name] += delta

    master, duplicate = new_report(), new_report().model_copy(update={"report_id": "PT-TEST0002"})
    for report in (master, duplicate):
        apply(events.submitted(report))
    master, step = transition(master, S.VERIFIED, actor="o", at=LATER)
    apply(step)
    _, step = transition(duplicate, S.REJECTED, actor="o", at=LATER, action="merge", reason="duplicate")
    apply(step)
    master = master.model_copy(update={"merged": [duplicate.report_id]})
    apply(events.merged(master, duplicate.report_id))
    assert (figures(totals)["in_progress"], figures(totals)["resolved"]) == (2, 0)
    assert figures(totals)["by_status"]["rejected"] == 1  # what the duplicate itself is

    for to in (S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED):
        master, step = transition(master, to, actor="o", at=LATER)
        apply(step)
    assert (figures(totals)["total"], figures(totals)["in_progress"], figures(totals)["resolved"]) == (
        2,
        0,
        2,
    )

    master, step = transition(master, S.REOPENED, actor="resident", at=LATER)
    apply(step)
    assert (figures(totals)["in_progress"], figures(totals)["resolved"]) == (2, 0)
