"""What of a report leaves the city's staff, and for whom. No I/O here.

Every note of a report's history has a visibility, decided by the step that wrote it:

- ``public``: the city's public resolution note; anyone may read it (masked, see below);
- ``reporter``: the conversation with the residents who follow the report (the staff question,
  the resident's reply, a dispute, a withdrawal): those residents and staff;
- ``staff``: everything else (verify, assign, start, reject, merge notes): staff only.

Public and provincial views carry only status changes and public notes, and free text in them
(a description, a public note, an address) has phone numbers, citizen-ID numbers and e-mail
addresses masked: residents type them into descriptions although the form asks them not to.
The original stays for the city's staff. Photos are public only once their report is
(verified by the city, not rejected or withdrawn) and they are among its photos.
"""

from __future__ import annotations

import re

from ioc_core.field_reporting.models import HistoryEntry, Report, ReportStatus, Visibility

MASK = "•••"

# E-mail first (its digits are not a phone), then 12-digit citizen IDs (CCCD, also written in
# groups), phone numbers (Vietnamese, with +84/84/0, spaces, dots or dashes) and last the old
# 9-digit identity cards (CMND).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CITIZEN_ID = re.compile(r"(?<![\w+])(?:\d[\s.\-]?){11}\d(?!\w)")
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\w)")
_IDENTITY_CARD = re.compile(r"(?<!\w)\d{9}(?!\w)")


def mask_personal(text: str | None) -> str | None:
    """``text`` with e-mail addresses, phone numbers and citizen-ID numbers replaced by a mask
    that keeps the last two digits of numbers (enough for the resident to recognise their own)."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: MASK + "@" + MASK, text)
    for pattern in (_CITIZEN_ID, _PHONE, _IDENTITY_CARD):
        text = pattern.sub(_keep_tail, text)
    return text


def _keep_tail(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return MASK + digits[-2:]


def steps(report: Report) -> list[tuple[HistoryEntry, bool]]:
    """Each step of the history, and whether it changed the report's status (submission does)."""
    statuses = [entry.status for entry in report.history]
    return [(entry, i == 0 or entry.status != statuses[i - 1]) for i, entry in enumerate(report.history)]


def status_steps(report: Report) -> list[HistoryEntry]:
    """The steps that changed the report's status: what public views tell."""
    return [entry for entry, changed in steps(report) if changed]


def public_note(entry: HistoryEntry) -> str | None:
    """The note as anyone may read it: only a public one, masked."""
    return mask_personal(entry.note) if entry.visibility is Visibility.PUBLIC else None


def shown_to_reporter(entry: HistoryEntry) -> bool:
    """A step a following resident sees in their own view of the report."""
    return entry.visibility is not Visibility.STAFF


def is_public(report: Report) -> bool:
    """Verified by the city and neither rejected nor withdrawn: its photos may be shown."""
    return report.status not in (ReportStatus.RECEIVED, ReportStatus.REJECTED, ReportStatus.WITHDRAWN)


# What a public listing (the app's first page and map) shows: not a report the city rejected
# (abuse, a duplicate) nor one its reporter withdrew.
LISTED_STATUSES = tuple(s for s in ReportStatus if s not in (ReportStatus.REJECTED, ReportStatus.WITHDRAWN))


def public_photo_keys(report: Report) -> set[str]:
    """The photo keys a public view may show: none until the report is public."""
    if not is_public(report):
        return set()
    return {p.key for p in (*report.photos, *report.after_photos)}
