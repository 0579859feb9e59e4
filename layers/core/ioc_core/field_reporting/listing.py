"""Listing reports for partners (Open311's GET /requests): the rules, not the wire.

Ids name reports whatever the other filters; otherwise a window of at most 90 days (ending now,
or starting at ``start``), newest first, in pages of at most 1,000. Pages are numbered, so a
later page walks the repository's continuation tokens, at most 1,000 rows a step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ioc_core.field_reporting.models import Page, Report, ReportStatus
from ioc_core.field_reporting.ports import ReportQuery
from ioc_core.shared.errors import FieldProblem, ValidationFailed

WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Listing:
    ids: tuple[str, ...] | None = None  # None: not asked by id
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[ReportStatus, ...] = ()
    service_codes: tuple[str, ...] = ()
    page: int = 1
    size: int = MAX_PAGE_SIZE


def window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    if start is None:
        end = end or now
        return _shifted(end, -WINDOW, "end"), end
    if end is None:
        return start, _shifted(start, WINDOW, "start")
    if end < start:
        raise _invalid("end", "is before start")
    if end - start > WINDOW:
        raise _invalid("end", f"more than {WINDOW.days} days after start")
    return start, end


def listed(search: Callable[[ReportQuery], Page], listing: Listing, now: datetime) -> list[Report]:
    page, size = listing.page, min(listing.size, MAX_PAGE_SIZE)
    if listing.ids is not None:
        ids = tuple(dict.fromkeys(listing.ids))
        if len(ids) > MAX_PAGE_SIZE:
            raise _invalid("ids", f"at most {MAX_PAGE_SIZE} ids")
        found = search(ReportQuery(report_ids=ids, limit=len(ids))).items if ids else []
        return found[(page - 1) * size : page * size]
    start, end = window(listing.start, listing.end, now)
    query = ReportQuery(
        service_codes=tuple(dict.fromkeys(listing.service_codes)),
        statuses=listing.statuses,
        start=start,
        end=end,
        limit=size,
    )
    skip, token = (page - 1) * size, None
    while skip:
        chunk = min(skip, MAX_PAGE_SIZE)
        walked = search(replace(query, limit=chunk, token=token))
        if walked.next_token is None:
            return []
        skip, token = skip - chunk, walked.next_token
    return search(replace(query, token=token)).items


def _shifted(moment: datetime, by: timedelta, field: str) -> datetime:
    """``moment + by``; a moment at the calendar's edge (year 1, year 9999) is bad input."""
    try:
        return moment + by
    except OverflowError:
        raise _invalid(
            field, f"{moment.isoformat()} is too far from today for a {WINDOW.days}-day window"
        ) from None


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "Khoảng thời gian không hợp lệ / The listing is not valid.", problems=[FieldProblem(field, message)]
    )
