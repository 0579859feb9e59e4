"""The route table's vocabulary: an operation, its replies and who may call it.

``Access`` is the one authorization rule of a route: the permission a signed-in caller needs
(``ioc_core.platform.access``: the rooms' policy says which roles hold it), whether a caller
without a token may call, and how the data is narrowed (``scope``, words for the document).
The API's middleware enforces it on every route; the OpenAPI document publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    from ioc_core.identity.principal import Principal

JSON = "application/json"
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
PREFIX = "/api/v1"


@dataclass(frozen=True)
class Access:
    permission: str | None = None  # None: any signed-in caller (or anyone, with ``anonymous``)
    anonymous: bool = False
    scope: str = ""  # words for the document: how each role's view is narrowed
    device: bool = False  # a device with its own key, checked by the route

    @property
    def public(self) -> bool:
        return self.anonymous and self.permission is None and not self.device


def needs(permission: str, scope: str = "", anonymous: bool = False) -> Access:
    return Access(permission, anonymous, scope)


PUBLIC = Access(anonymous=True)
SIGNED_IN = Access()
# Callers that hold no staff or resident token (a camera gateway with its own key): the route
# checks their credential itself.
DEVICE = Access(anonymous=True, scope="a device with its own key, checked by the route", device=True)


@dataclass(frozen=True)
class Reply:
    description: str
    model: type[BaseModel] | None = None
    media_type: str | None = JSON
    schema: Mapping[str, Any] | None = None
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: Method
    path: str  # under PREFIX, as the blueprint declares it
    operation_id: str
    summary: str
    tag: str
    replies: Mapping[int, Reply]
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)  # name → pattern
    idempotency_key: bool = False
    access: Access = PUBLIC
    if_match: bool = False

    @property
    def full_path(self) -> str:
        return PREFIX + self.path


@dataclass(frozen=True)
class RouteTable:
    """Every operation of one API under its prefix: what the middleware enforces (a route of
    the prefix missing here serves nobody), what the OpenAPI document publishes, and what a
    test compares with the app's routes both ways."""

    prefix: str  # the part of /api/v1 this table governs, e.g. /api/v1/cameras
    operations: tuple[Operation, ...]

    def __post_init__(self) -> None:
        routes = [(op.method, op.full_path) for op in self.operations]
        twice = {r for r in routes if routes.count(r) > 1}
        outside = [p for _, p in routes if not p.startswith(self.prefix)]
        if twice or outside:
            raise ValueError(f"route table {self.prefix}: twice {twice}, outside the prefix {outside}")

    def governs(self, full_path: str) -> bool:
        return full_path == self.prefix or full_path.startswith(self.prefix.rstrip("/") + "/")

    def operation_for(self, method: str, full_path: str) -> Operation | None:
        """The row of a route as the app declares it (``/api/v1/cameras/{camera_id}``)."""
        return self._by_route.get((method.upper(), full_path))

    def methods(self, full_path: str) -> tuple[str, ...]:
        """The methods the table takes on a route (none: not a route of the table); any other
        method there is a 405 whose ``Allow`` lists these."""
        return self._methods_by_route.get(full_path, ())

    def allowed_operations(self, principal: Principal) -> list[str]:
        """What the caller may call here (the console offers only these)."""
        return [
            op.operation_id
            for op in self.operations
            if not op.access.device and (op.access.permission is None or principal.can(op.access.permission))
        ]

    @cached_property  # the middleware looks a route up on every request: built once
    def _by_route(self) -> Mapping[tuple[str, str], Operation]:
        return {(op.method, op.full_path): op for op in self.operations}

    @cached_property
    def _methods_by_route(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for op in self.operations:
            found.setdefault(op.full_path, []).append(op.method)
        return {path: tuple(sorted(methods)) for path, methods in found.items()}
