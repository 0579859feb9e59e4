"""Photo links: public ones answer only while their report is public; staff and the resident
who sent a photo get links the API signed for that photo, valid a day (a page shows them)."""

from __future__ import annotations

from ioc_core.field_reporting.wiring import intake_service
from ioc_core.platform.api import cursor_key
from ioc_core.platform.api.cursors import InvalidCursor
from ioc_core.shared.errors import FieldProblem, ValidationFailed

_CONTEXT = "photo:"


def public(report_id: str, key: str) -> str:
    return intake_service().photo_url(key, report_id=report_id)


def private(key: str) -> str:
    photo_id = key.rpartition("/")[2]
    return intake_service().photo_url(key, access=cursor_key.signer().seal(photo_id, _CONTEXT + photo_id))


def check(photo_id: str, access: str) -> None:
    """``access`` is a link this API signed for this photo; a 400 naming it otherwise."""
    try:
        cursor_key.signer().open(access, _CONTEXT + photo_id, "access")
    except InvalidCursor as error:  # the signer speaks of cursors: say what this is
        raise ValidationFailed(
            "Liên kết ảnh không hợp lệ hoặc đã hết hạn / The photo link is not one this API signed"
            " for this photo, or it has expired: open the report again for a fresh link.",
            problems=[FieldProblem("access", "not a link this API signed for this photo, or expired")],
        ) from error
