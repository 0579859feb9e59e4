"""Identity errors, mapped by every API like the domain's own (problem+json, Open311)."""

from __future__ import annotations

from ioc_core.shared.errors import DomainError


class Unauthenticated(DomainError):
    """No valid token where one is required (401)."""

    code = "unauthenticated"
    status = 401
