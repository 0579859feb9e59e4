"""Finding reports the way staff are asked about them: by id, by the reporter's phone, by words.

The search index is a projection (``SearchDoc`` per report plus one posting per word), kept by
the search consumer from the report's current state; a query never scans the reports table.
Words match whole, insensitive to case and Vietnamese diacritics ("duong hong" finds "Đường
hỏng"), every word of the query must match. Words are taken from the text after personal data
is masked, so a phone number typed into a description is found only through the phone index,
which only callers who may read personal data can query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from ioc_core.field_reporting import events
from ioc_core.field_reporting.access import assigned_to
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.disclosure import mask_personal
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.ports import ReportQuery, ReportRepository, SearchIndex
from ioc_core.field_reporting.sla import active_clock
from ioc_core.shared.cloudevents import CloudEvent, short_type
from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.shared.text import normalize_vn_phone, words

PHONE = "tel:"
MAX_WORDS = 8
MAX_QUERY = 200
# The most postings read of one word (a city's reports holding it).
MAX_CANDIDATES = 5000


class SearchDoc(BaseModel):
    """What the index keeps of one report: what the queue filters on, and its words."""

    report_id: str
    version: int
    status: ReportStatus
    ward_code: str
    service_code: str
    unit_code: str | None = None  # set once assigned, as the queue's unit index
    assignee: str | None = None
    requested_at: datetime
    overdue_from: datetime | None = None  # None: not overdue whatever the time
    terms: list[str]

    def overdue(self, now: datetime) -> bool:
        return self.overdue_from is not None and now > self.overdue_from


def overdue_from(report: Report) -> datetime | None:
    """The moment after which ``sla.overdue`` holds, until the report changes again."""
    if report.status.is_closed:
        return None
    current = active_clock(report.sla)
    if current is None:
        return report.expected_at
    clock = current[1]
    held = clock.stopped_at or clock.paused_at
    if held is not None:
        return clock.due_at if held > clock.due_at else None
    return clock.due_at


def terms_of(report: Report, catalogue: Catalogue | None = None) -> list[str]:
    """The report's words (id, description, address, category) and its reporter's phone."""
    text = [report.report_id, report.description or "", report.location.address or ""]
    if catalogue is not None:
        service = catalogue.service(report.service_code)
        if service is not None:
            text += [service.name.vi, service.name.en]
    found = set(words(mask_personal(" ".join(text)) or ""))
    phone = normalize_vn_phone(report.reporter.phone or "")
    if phone:
        found.add(PHONE + phone)
    return sorted(found)


def doc_of(report: Report, catalogue: Catalogue | None = None) -> SearchDoc:
    return SearchDoc(
        report_id=report.report_id,
        version=report.version,
        status=report.status,
        ward_code=report.location.ward_code,
        service_code=report.service_code,
        unit_code=report.unit if assigned_to(report, report.unit) else None,
        assignee=report.assignee,
        requested_at=report.requested_at,
        overdue_from=overdue_from(report),
        terms=terms_of(report, catalogue),
    )


@dataclass(frozen=True)
class Wanted:
    """A parsed query: the terms every match holds, and the id it may name."""

    terms: tuple[str, ...]
    report_id: str | None


def parse(q: str, personal: bool) -> Wanted:
    text = q.strip()
    if not text or len(text) > MAX_QUERY:
        raise ValidationFailed(
            "Từ khoá tìm kiếm không hợp lệ / The search text is not valid.",
            problems=[FieldProblem("q", f"1 to {MAX_QUERY} characters")],
        )
    phone = normalize_vn_phone(text)
    if phone is not None:
        if not personal:
            raise ValidationFailed(
                "Bạn không được tìm theo số điện thoại / You may not search by phone number.",
                problems=[FieldProblem("q", "a phone number needs personal-data access")],
            )
        return Wanted((PHONE + phone,), None)
    found = tuple(dict.fromkeys(words(text)))
    if not found:
        raise ValidationFailed(
            "Từ khoá tìm kiếm không có chữ hay số / The search text has no letters or digits.",
            problems=[FieldProblem("q", "give a report id, a phone number or words")],
        )
    if len(found) > MAX_WORDS:
        raise ValidationFailed(
            "Quá nhiều từ / Too many words.", problems=[FieldProblem("q", f"at most {MAX_WORDS} words")]
        )
    looks_like_id = " " not in text and "-" in text
    return Wanted(found, text.upper() if looks_like_id else None)


@dataclass(frozen=True)
class Filters:
    """The queue's filters, already narrowed to the caller's reach."""

    statuses: tuple[ReportStatus, ...] = ()
    ward: str | None = None
    unit: str | None = None
    category: str | None = None
    overdue: bool | None = None
    assignee: str | None = None

    def keep(self, doc: SearchDoc, now: datetime) -> bool:
        return (
            (self.assignee is None or doc.assignee == self.assignee)
            and (not self.statuses or doc.status in self.statuses)
            and (self.ward is None or doc.ward_code == self.ward)
            and (self.unit is None or doc.unit_code == self.unit)
            and (self.category is None or doc.service_code == self.category)
            and (self.overdue is None or doc.overdue(now) == self.overdue)
        )


@dataclass(frozen=True)
class Found:
    report_ids: list[str]  # newest first, an exact id first of all
    total: int


def find(index: SearchIndex, wanted: Wanted, filters: Filters, now: datetime) -> Found:
    """Every report holding all the wanted terms and passing the filters. The postings (keys
    only, cheap) of every term are intersected first; only the reports left are read."""
    posted: set[str] | None = None
    for term in sorted(wanted.terms, key=len, reverse=True):
        ids = index.postings(term, MAX_CANDIDATES)
        posted = ids if posted is None else posted & ids
        if not posted:
            break
    exact = wanted.report_id
    candidates = list(dict.fromkeys([*([exact] if exact else []), *sorted(posted or ())]))
    docs = [d for d in index.docs(candidates) if filters.keep(d, now)]
    docs.sort(key=lambda d: (d.report_id == exact, d.requested_at, d.report_id), reverse=True)
    return Found([d.report_id for d in docs], len(docs))


def changes(old: SearchDoc | None, new: SearchDoc) -> tuple[list[str], list[str]]:
    """(terms to add, terms to remove) to turn ``old``'s postings into ``new``'s."""
    before = set(old.terms) if old is not None else set()
    after = set(new.terms)
    return sorted(after - before), sorted(before - after)


def supersedes(doc: SearchDoc, stored: SearchDoc | None) -> bool:
    """Whether ``doc`` is to replace ``stored``: newer, or the same version indexed otherwise."""
    return stored is None or doc.version > stored.version or (doc.version == stored.version and doc != stored)


def newest(docs: Iterable[SearchDoc]) -> dict[str, SearchDoc]:
    """The highest version of each report among ``docs``."""
    latest: dict[str, SearchDoc] = {}
    for doc in docs:
        if doc.report_id not in latest or doc.version >= latest[doc.report_id].version:
            latest[doc.report_id] = doc
    return latest


# A report's indexed state changes with these (a rating or an SLA warning changes none of it).
TAKES = (
    events.SUBMITTED,
    events.STATUS_CHANGED,
    events.MERGED,
    events.INFO_REQUESTED,
    events.INFO_PROVIDED,
    events.ASSIGNEE_CHANGED,
)


def reindex(
    repo: ReportRepository,
    index: SearchIndex,
    events_in: Sequence[CloudEvent],
    catalogue: Catalogue | None = None,
) -> int:
    """The search consumer's work: the reports the events are about, indexed as they are now.
    State, not deltas: a replayed or late event indexes the same current report again."""
    ids = tuple(dict.fromkeys(e.subject for e in events_in if short_type(e.type) in TAKES and e.subject))
    reports = repo.query(ReportQuery(report_ids=ids, limit=len(ids))).items if ids else []
    return index.put([doc_of(r, catalogue) for r in reports])
