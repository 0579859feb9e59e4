"""/api/v1/integration/directives: the province's signed webhook (Standard Webhooks); its
operations are part of the room's one route table (``api_v1.TABLE``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ioc_core.integration.directives import InboundDirective
from ioc_core.platform.api.routes import DEVICE, Operation, Reply


class DirectiveReceipt(BaseModel):
    status: Literal["accepted", "duplicate"]
    directive_id: str


OPERATIONS: tuple[Operation, ...] = (
    Operation("POST", "/integration/directives", "receiveDirective",
              "For the province's monitoring center: a directive, as a CloudEvent of type"
              " vn.gov.lamdong.ioc.task.assigned signed with Standard Webhooks; it becomes a task"
              " of the city's task register once (a repeated webhook-id or directive is ignored)",
              "directives", {202: Reply("Stored (or a duplicate, ignored)", DirectiveReceipt)},
              errors=(400, 401, 409, 413, 415), body=InboundDirective, access=DEVICE),
)  # fmt: skip
