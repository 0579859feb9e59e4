"""Domain errors. Each API maps them to its own wire format in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldProblem:
    field: str
    message: str


class DomainError(Exception):
    """Base class; ``code`` is stable and machine-readable, the message is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def extensions(self) -> dict[str, Any]:
        """Members the problem document adds for this error (RFC 9457 extensions)."""
        return {}

    def headers(self) -> dict[str, str]:
        """Headers the reply carries for this error."""
        return {}


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Unprocessable(DomainError):
    """Well-formed, but what it names cannot be used now (an assignee who is not an active
    member of the report's unit): 422, naming the field."""

    code = "unprocessable"
    status = 422


class StaleVersion(Conflict):
    """The resource changed since the caller read it: the 409 says where it is now, and its
    ETag is what the next attempt sends as If-Match."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version

    def extensions(self) -> dict[str, Any]:
        return {"current_version": self.current_version}

    def headers(self) -> dict[str, str]:
        return {"ETag": f'"{self.current_version}"'}


class PreconditionRequired(Conflict):
    """A change that must name the version it is based on (If-Match or ``version``) did not."""

    code = "precondition_required"
    status = 428


class MethodNotAllowed(DomainError):
    """The route exists, not with this method; ``Allow`` lists the methods it takes."""

    code = "method_not_allowed"
    status = 405

    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(self.allowed)}


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


class TooManyRequests(DomainError):
    """The caller must slow down (too many sign-in attempts, codes requested too often);
    ``retry_after`` is the seconds to wait, sent as Retry-After."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {} if self.retry_after is None else {"Retry-After": str(max(1, self.retry_after))}


class MalformedBody(ValidationFailed):
    """The body is not JSON at all, or not the JSON value the operation takes."""

    code = "malformed_body"


@dataclass
class Problems:
    """Collects field problems so a caller sees all of them at once."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append(FieldProblem(field_name, message))

    def raise_if_any(self, message: str = "The request has invalid fields.") -> None:
        if self.items:
            raise ValidationFailed(message, problems=self.items)
