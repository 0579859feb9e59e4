"""Photo links: public ones answer only while their report is public; staff and the resident
who sent a photo get links the API signed for that photo, valid a day (a page shows them)."""

from __future__ import annotations

from ioc_core.field_reporting.wiring import intake_service
from ioc_core.platform.api import cursor_key

_CONTEXT = "photo:"


def public(report_id: str, key: str) -> str:
    return intake_service().photo_url(key, report_id=report_id)


def private(key: str) -> str:
    photo_id = key.rpartition("/")[2]
    return intake_service().photo_url(key, access=cursor_key.signer().seal(photo_id, _CONTEXT + photo_id))


def check(photo_id: str, access: str) -> None:
    """``access`` is a link this API signed for this photo; a 400 naming it otherwise."""
    cursor_key.signer().open(access, _CONTEXT + photo_id, "access")
