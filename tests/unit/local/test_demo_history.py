"""The demo history reproduces the city's published figures, from its events alone."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

import pytest

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.stats import PK, deltas, figures
from ioc_core.local.demo_history import PUBLISHED, DemoHistory
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.unit
Histories = list[tuple[Report, list[CloudEvent]]]


def test_events_of_the_demo_history_add_up_to_the_published_figures(
    history: DemoHistory, histories: Histories
) -> None:
    totals: dict[str, int] = defaultdict(int)
    for _, events in histories:
        for event in events:
            for (pk, sk), counters in deltas(event).items():
                if (pk, sk) == (PK, "all"):
                    for name, delta in counters.items():
                        totals[name] += delta
    totals["accounts"] = len(history.accounts())
    got = figures(totals)
    assert {
        k: got[k] for k in ("total", "resolved", "in_progress", "ratings", "positive_ratings", "accounts")
    } == {
        # The published reports, the duplicates merged into their masters among them.
        "total": PUBLISHED.reports,
        "resolved": PUBLISHED.resolved,
        "in_progress": PUBLISHED.open,
        "ratings": PUBLISHED.ratings,
        "positive_ratings": PUBLISHED.positive,
        "accounts": PUBLISHED.accounts,
    }
    assert got["by_status"]["rejected"] == PUBLISHED.duplicates
    assert got["satisfaction_rate"] == 0.848


def test_the_history_is_realistic_and_deterministic(histories: Histories, now: datetime) -> None:
    reports = [r for r, _ in histories]
    assert len({r.report_id for r in reports}) == len(reports)
    assert all(r.requested_at <= now and r.updated_at <= now for r in reports)
    span_days = (now - min(r.requested_at for r in reports)).days
    assert 600 <= span_days <= 730  # two years of history
    assert len({r.location.ward_code for r in reports}) >= 6
    assert len({r.service_code for r in reports}) >= 12
    statuses = Counter(r.status for r in reports)
    assert len(reports) == PUBLISHED.reports
    # Each merged duplicate counts as resolved with its (resolved) master.
    assert statuses[ReportStatus.RESOLVED] == PUBLISHED.resolved - PUBLISHED.duplicates
    assert statuses[ReportStatus.REJECTED] == PUBLISHED.duplicates
    assert set(statuses) - {ReportStatus.RESOLVED, ReportStatus.REJECTED} <= {
        ReportStatus.RECEIVED,
        ReportStatus.VERIFIED,
        ReportStatus.ASSIGNED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.REOPENED,
    }
    for report, events in histories:  # each history is a legal, contiguous sequence
        assert [int(e.sequence or 0) for e in events] == list(range(1, len(events) + 1))
        assert report.version == len(events)
    again = DemoHistory(default_catalogue(), default_registry(), now).reports()
    assert [r.model_dump() for r, _ in again] == [r.model_dump() for r in reports]
