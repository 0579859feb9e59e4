"""The route table's vocabulary: an operation, its replies and who may call it.

``Access`` is the one authorization rule of a route: the roles that may call it, whether a
caller without a token may, and how the data is narrowed for each role (``scope``). The
API's middleware enforces it on every route; the OpenAPI document publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ioc_core.identity.principal import Role

JSON = "application/json"
Method = Literal["GET", "POST", "PUT"]
PREFIX = "/api/v1"


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role] = frozenset()
    anonymous: bool = False
    scope: str = ""  # words for the document: how each role's view is narrowed

    @property
    def public(self) -> bool:
        return self.anonymous and self.roles == frozenset(Role)


def roles(*names: Role, scope: str = "", anonymous: bool = False) -> Access:
    return Access(frozenset(names), anonymous, scope)


R = Role
PUBLIC = Access(frozenset(Role), anonymous=True)
SIGNED_IN = Access(frozenset(Role))
STAFF_READ = roles(
    R.OPERATOR, R.UNIT_STAFF, R.LEADER, R.PROVINCIAL,
    scope="unit_staff: only reports assigned to their unit; provincial: no personal data",
)  # fmt: skip
UNIT_SCOPE = "unit_staff: only reports assigned to their unit"
OWN_SCOPE = "resident: only their own reports (and masters they follow)"


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
