"""RFC 9457 problem details (``application/problem+json``) for every HTTP API of the IOC.

Chalice-free: a handler turns any error into ``(status, document)`` here and only wraps the
result in its framework's response. Titles and details reach people, so they are bilingual
("vi / en"); ``type`` is stable and machine-readable, one URI per ``DomainError.code``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from ioc_core.shared.errors import DomainError, FieldProblem, ValidationFailed

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://phanthiet.lamdong.gov.vn/ioc/problems/"

TITLES: Mapping[int, str] = {
    400: "Yêu cầu không hợp lệ / Bad request",
    401: "Chưa đăng nhập / Unauthenticated",
    403: "Không có quyền / Forbidden",
    404: "Không tìm thấy / Not found",
    405: "Phương thức không được hỗ trợ / Method not allowed",
    409: "Xung đột / Conflict",
    413: "Nội dung quá lớn / Content too large",
    415: "Kiểu nội dung không được hỗ trợ / Unsupported media type",
    422: "Không thể xử lý / Unprocessable content",
    428: "Thiếu phiên bản / Precondition required",
    429: "Quá nhiều yêu cầu / Too many requests",
    500: "Lỗi hệ thống / Internal server error",
}

# The Vietnamese half of a detail whose English comes from the service (by DomainError.code).
_VI_DETAILS: Mapping[str, str] = {
    "validation_error": "Dữ liệu gửi lên không hợp lệ",
    "malformed_body": "Nội dung yêu cầu không đọc được",
    "not_found": "Không tìm thấy",
    "forbidden": "Không có quyền",
    "unauthenticated": "Chưa đăng nhập",
    "too_many_requests": "Quá nhiều yêu cầu",
    "precondition_required": "Thiếu phiên bản (If-Match)",
    "conflict": "Xung đột với một yêu cầu trước",
    "unprocessable": "Không thể dùng giá trị này",
    "payload_too_large": "Nội dung quá lớn",
    "unsupported_media_type": "Kiểu nội dung không được hỗ trợ",
    "method_not_allowed": "Phương thức không được hỗ trợ",
    "invalid_cursor": "Con trỏ trang không hợp lệ",
}

# Vietnamese for the pydantic errors a client can cause; the English is pydantic's own text.
_VI_MESSAGES: Mapping[str, str] = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Trường không được phép",
    "string_type": "Phải là chuỗi ký tự",
    "string_too_short": "Chuỗi quá ngắn (tối thiểu {min_length} ký tự)",
    "string_too_long": "Chuỗi quá dài (tối đa {max_length} ký tự)",
    "string_pattern_mismatch": "Chuỗi sai định dạng",
    "float_type": "Phải là số",
    "int_type": "Phải là số nguyên",
    "finite_number": "Phải là số hữu hạn",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}",
    "literal_error": "Giá trị không được chấp nhận",
    "list_type": "Phải là danh sách",
    "dict_type": "Phải là đối tượng JSON",
    "model_type": "Phải là đối tượng JSON",
    "model_attributes_type": "Phải là đối tượng JSON",
    "too_long": "Quá nhiều phần tử (tối đa {max_length})",
    "too_short": "Quá ít phần tử (tối thiểu {min_length})",
}


def problem(status: int, code: str, detail: str, errors: Iterable[FieldProblem] = ()) -> dict[str, Any]:
    """One problem document; ``errors`` lists every field at fault (empty when none)."""
    return {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": TITLES.get(status, TITLES[400 if status < 500 else 500]),
        "status": status,
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }


def from_domain_error(error: DomainError) -> dict[str, Any]:
    return problem(error.status, error.code, bilingual(error.code, error.message), error.problems)


def bilingual(code: str, message: str) -> str:
    """``message`` as is when it is already "vi / en", else with the Vietnamese for ``code``."""
    vietnamese = _VI_DETAILS.get(code)
    if " / " in message or vietnamese is None:
        return message
    return f"{vietnamese} / {message}"


def invalid_fields(error: ValidationError) -> ValidationFailed:
    """A request model's validation error as the domain's, one problem per field at fault."""
    problems = [FieldProblem(field_path(e["loc"]), _message(e)) for e in error.errors()]
    return ValidationFailed(
        "Dữ liệu gửi lên không hợp lệ / The request has invalid fields.", problems=problems
    )


def internal_error() -> dict[str, Any]:
    detail = "Đã có lỗi, vui lòng thử lại sau / Something went wrong, please try again later."
    return problem(500, "internal_error", detail)


def field_path(loc: Iterable[int | str]) -> str:
    """``("contact", "phone")`` → ``contact.phone``; ``("photos", 0)`` → ``photos[0]``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":  # pydantic's marker for a bad dict key: the key names the field
            path += f".{part}" if path else part
    return path


def _message(error: Mapping[str, Any]) -> str:
    english = str(error["msg"])
    template = _VI_MESSAGES.get(str(error["type"]))
    if template is None:
        return english
    try:
        vietnamese = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        vietnamese = template
    return f"{vietnamese} / {english}"


def to_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
