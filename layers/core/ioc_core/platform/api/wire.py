"""The wire bases every /api/v1 contract shares: strict requests, closed replies, and the
RFC 9457 problem every error is."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Problem", "ProblemField", "WireReply", "WireRequest"]


class WireRequest(BaseModel):
    """A request body: strict types and no unknown fields, in this API and the workflow API."""

    model_config = ConfigDict(extra="forbid", strict=True)


class WireReply(BaseModel):
    """A reply: every field declared, so the OpenAPI document is the whole truth."""

    model_config = ConfigDict(extra="forbid")


class ProblemField(WireReply):
    field: str
    message: str


class Problem(WireReply):
    """RFC 9457 problem details."""

    type: str = Field(json_schema_extra={"format": "uri"})
    title: str
    status: int
    detail: str
    errors: list[ProblemField]
    # Workflow conflicts (409) only: where the report is now and what the caller may do.
    current_version: int | None = None
    allowed_actions: list[str] | None = None
