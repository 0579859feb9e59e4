"""Evidence files of a task's progress: what may be uploaded, and under which key.

A unit uploads each file straight to the bucket with a presigned POST (the bucket enforces
the size and the content type), then names the keys in its progress report.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.shared.text import fold
from ioc_core.socio_economic.tasks.models import evidence_prefix

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    XLSX: (".xlsx",),
    DOCX: (".docx",),
}
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * 1024 * 1024  # 20 MB: a scanned report or a few photos
    content_types: tuple[str, ...] = tuple(CONTENT_TYPES)


LIMITS = UploadLimits()


def evidence_key(task_id: str, filename: str, content_type: str) -> str:
    """tasks/<task_id>/<random>-<file name folded to ASCII>: two uploads of "Báo cáo.pdf" never
    overwrite each other, and the key stays readable."""
    allowed = CONTENT_TYPES.get(content_type.strip().lower())
    if allowed is None:
        raise ValidationFailed(
            "Chỉ nhận tệp PDF, JPEG, PNG, XLSX hoặc DOCX / Evidence must be PDF, JPEG, PNG, XLSX or DOCX.",
            problems=[FieldProblem("content_type", f"one of {', '.join(CONTENT_TYPES)}")],
        )
    stem, dot, extension = fold(filename).rpartition(".")
    if not dot or f".{extension}" not in allowed:
        raise ValidationFailed(
            f"Tên tệp phải kết thúc bằng {' hoặc '.join(allowed)} / "
            f"The file name must end in {' or '.join(allowed)}.",
            problems=[FieldProblem("filename", f"ends in {' or '.join(allowed)}")],
        )
    safe = _UNSAFE.sub("-", stem).strip("-.")[:80] or "tep"
    return f"{evidence_prefix(task_id)}{secrets.token_hex(4)}-{safe}.{extension}"
