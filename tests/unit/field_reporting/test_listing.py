"""Partners' listing rules, in the domain's words (the Open311 layer names them start_date…)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ioc_core.field_reporting.listing import WINDOW, Listing, listed, window
from ioc_core.field_reporting.models import Page
from ioc_core.field_reporting.ports import ReportQuery
from ioc_core.shared.errors import ValidationFailed

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_the_window_defaults_to_90_days_and_refuses_more() -> None:
    assert window(None, None, NOW) == (NOW - WINDOW, NOW)
    start = NOW - timedelta(days=200)
    assert window(start, None, NOW) == (start, start + WINDOW)
    with pytest.raises(ValidationFailed) as before:
        window(NOW, NOW - timedelta(seconds=1), NOW)
    with pytest.raises(ValidationFailed) as too_long:
        window(start, start + WINDOW + timedelta(seconds=1), NOW)
    assert [p.field for p in before.value.problems + too_long.value.problems] == ["end", "end"]


def test_a_later_page_walks_the_tokens_in_steps_of_at_most_1000() -> None:
    asked: list[ReportQuery] = []

    def search(query: ReportQuery) -> Page:
        asked.append(query)
        return Page(items=[], next_token=f"t{len(asked)}")

    listed(search, Listing(page=4, size=700), NOW)
    assert [(q.limit, q.token) for q in asked] == [(1000, None), (1000, "t1"), (100, "t2"), (700, "t3")]
    assert listed(search, Listing(ids=("a",) * 1000 + ("b",)), NOW) == []  # ids are deduplicated first


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(None, datetime(1, 1, 1, tzinfo=UTC), "end"), (datetime(9999, 12, 31, tzinfo=UTC), None, "start")],
)
def test_a_moment_at_the_calendar_s_edge_is_bad_input(
    start: datetime | None, end: datetime | None, field: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        window(start, end, NOW)
    assert [p.field for p in raised.value.problems] == [field]
