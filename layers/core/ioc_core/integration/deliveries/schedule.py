"""When a failed delivery is tried again: Svix's schedule (immediately, 5 s, 5 min, 30 min, 2 h,
5 h, 10 h, 10 h: eight attempts over about 27 hours and a half), each wait spread by jitter so
that the deliveries of one outage do not all come back at the same second, and never sooner
than the partner's ``Retry-After`` on 429 and 503."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# The wait before each attempt; the first goes at once.
SCHEDULE: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
ATTEMPTS = len(SCHEDULE)
JITTER = 0.1  # each wait is drawn from [90 %, 110 %] of the schedule's
# A partner's Retry-After is honoured up to this; a longer one is the schedule's last wait.
MAX_RETRY_AFTER = timedelta(hours=10)
RETRY_AFTER_STATUSES = (429, 503)


def next_wait(
    failed_attempts: int, rng: random.Random, retry_after: timedelta | None = None
) -> timedelta | None:
    """The wait after ``failed_attempts`` tries have failed, or None when none is left (park)."""
    if failed_attempts >= ATTEMPTS:
        return None
    scheduled = SCHEDULE[failed_attempts]
    wait = scheduled * rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        wait = max(wait, min(retry_after, MAX_RETRY_AFTER))
    return wait


def retry_after(status: int | None, header: str | None, now: datetime) -> timedelta | None:
    """RFC 9110 ``Retry-After`` (seconds or an HTTP date) of a 429 or 503; None when absent,
    unreadable or on another status."""
    if status not in RETRY_AFTER_STATUSES or not header:
        return None
    header = header.strip()
    if header.isdigit():
        return timedelta(seconds=int(header))
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - now)
