"""The socio-economic room's /api/v1/socio-economic contract: request models and the route table.

Units enter their indicators, a second person approves, the statistics office keeps targets;
everyone on the city's staff reads the dashboard; leaders ask for the meeting pack. The
platform kit enforces this table on every route (failing closed) and builds the OpenAPI
document from it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field

from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, Operation, Reply, RouteTable, needs
from ioc_core.platform.api.wire import WireRequest
from ioc_core.socio_economic import permissions as p
from ioc_core.socio_economic.catalogue import CITY

READ = needs(p.INDICATORS_READ)
ENTER = needs(p.VALUES_ENTER)
APPROVE = needs(p.VALUES_APPROVE)
TARGETS = needs(p.TARGETS_SET)
PACKS = needs(p.PACKS_MAKE)
_CODE = {"code": r"^[A-Z][A-Z0-9_]{1,47}$"}
_VALUE = {"indicator": r"^[A-Z][A-Z0-9_]{1,47}$", "period": r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"}
_PACK = {"pack_id": r"^pack-[A-Za-z0-9-]{4,60}$"}
_OBJECT = {"type": "object"}


class Approval(WireRequest):
    breakdown: str = Field(default=CITY, min_length=1, max_length=40)
    comment: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, ge=1, description="The value's version as read")


class Rejection(WireRequest):
    breakdown: str = Field(default=CITY, min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=2000)


class TargetChange(WireRequest):
    text: str = Field(min_length=1, max_length=60, description='As the resolution words it: "8–8,5 %"')
    resolution: str | None = Field(default=None, max_length=300)


class PackRequest(WireRequest):
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$")
    cutoff: date | None = Field(
        default=None, strict=False, description="The data cut-off day, YYYY-MM-DD (default: the period's)"
    )


class TemplateQuery(WireRequest):
    period: str = Field(min_length=1, max_length=20, description="The month, YYYY-MM")
    format: Literal["csv", "xlsx"] = Field(default="csv", description="csv: UTF-8 with BOM; xlsx: Excel")


def _reply(description: str, status: int = 200) -> dict[int, Reply]:
    return {status: Reply(description, schema=_OBJECT)}


_CHANGE = (400, 401, 403, 404, 409, 413, 415)
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/socio-economic/openapi.json",
        "getSocioEconomicOpenApi",
        "This document",
        "meta",
        _reply("OpenAPI 3.1"),
        access=READ,
    ),
    Operation(
        "GET",
        "/socio-economic/catalogue",
        "indicatorCatalogue",
        "The indicator catalogue: groups, owner units, breakdowns, formulas",
        "indicators",
        _reply("The catalogue"),
        errors=(401, 403),
        access=READ,
    ),
    Operation(
        "GET",
        "/socio-economic/dashboard",
        "indicatorDashboard",
        "Every indicator for a month: value, comparisons, % of plan, traffic colour, forecast",
        "indicators",
        _reply("The dashboard"),
        errors=(400, 401, 403),
        access=READ,
    ),
    Operation(
        "GET",
        "/socio-economic/indicators/{code}",
        "getIndicator",
        "One indicator: its history, approvals, revisions, targets, forecast, breakdown",
        "indicators",
        _reply("The indicator"),
        errors=(400, 401, 403, 404),
        path_params=_CODE,
        access=READ,
    ),
    Operation(
        "POST",
        "/socio-economic/values",
        "enterValue",
        "Enter a value (it waits for approval)",
        "values",
        {**_reply("Entered", 201), **_reply("Unchanged: the same value was entered")},
        errors=_CHANGE,
        access=ENTER,
    ),
    Operation(
        "POST",
        "/socio-economic/values/import",
        "importValues",
        "Import values from CSV or XLSX: all rows or none, a row-by-row error report; rows with"
        " the value left blank are skipped and counted; one transaction, so at most 99 values"
        " change per file (more: 413, send it in parts)",
        "values",
        _reply("Imported"),
        errors=_CHANGE,
        access=ENTER,
    ),
    Operation(
        "GET",
        "/socio-economic/indicators/entry-template",
        "indicatorEntryTemplate",
        "The caller's indicators due in a month as a file to fill in and import: the import's"
        " columns, the value blank (a row left blank is skipped), the name and unit as hints",
        "values",
        {
            200: Reply(
                "The file (text/csv or the XLSX media type, by format)",
                media_type="text/csv",
                schema={"type": "string"},
            )
        },
        errors=(400, 401, 403),
        query=TemplateQuery,
        access=ENTER,
    ),
    Operation(
        "GET",
        "/socio-economic/approvals",
        "approvalQueue",
        "Entries waiting for the caller's approval",
        "values",
        _reply("The queue"),
        errors=(401, 403),
        access=APPROVE,
    ),
    Operation(
        "POST",
        "/socio-economic/values/{indicator}/{period}/approve",
        "approveValue",
        "Approve a colleague's entry (never one's own)",
        "values",
        _reply("Approved"),
        errors=_CHANGE,
        body=Approval,
        path_params=_VALUE,
        access=APPROVE,
    ),
    Operation(
        "POST",
        "/socio-economic/values/{indicator}/{period}/reject",
        "rejectValue",
        "Send an entry back with a reason",
        "values",
        _reply("Sent back"),
        errors=_CHANGE,
        body=Rejection,
        path_params=_VALUE,
        access=APPROVE,
    ),
    Operation(
        "PUT",
        "/socio-economic/targets/{indicator}/{period}",
        "setTarget",
        "Set a year's (or quarter's) target as the resolution words it",
        "targets",
        _reply("The target"),
        errors=_CHANGE,
        body=TargetChange,
        path_params=_VALUE,
        access=TARGETS,
    ),
    Operation(
        "POST",
        "/socio-economic/packs",
        "requestPack",
        "Ask for the meeting pack of a period (a background job)",
        "packs",
        _reply("Queued", 202),
        errors=_CHANGE,
        body=PackRequest,
        access=PACKS,
    ),
    Operation(
        "GET",
        "/socio-economic/packs",
        "listPacks",
        "Recent meeting packs",
        "packs",
        _reply("Packs"),
        errors=(401, 403),
        access=READ,
    ),
    Operation(
        "GET",
        "/socio-economic/packs/{pack_id}",
        "getPack",
        "A pack's job state and download links",
        "packs",
        _reply("The pack"),
        errors=(401, 403, 404),
        path_params=_PACK,
        access=READ,
    ),
)


def _table() -> RouteTable:
    try:
        from ioc_core.socio_economic.tasks.api import TASK_OPERATIONS
    except ImportError:  # the task register not yet present
        TASK_OPERATIONS = ()
    return RouteTable(f"{PREFIX}/socio-economic", OPERATIONS + tuple(TASK_OPERATIONS))


TABLE = _table()

DESCRIPTION = """\
Socio-economic reporting of the Phan Thiết IOC: the indicator catalogue, the dashboard (values
with the previous period, the same period last year, year to date, % of the annual plan, the
traffic colour and the year-end forecast), entry and bulk import by the owner units,
maker-checker approval, revisions with reasons, targets as ranges, the meeting pack and the
task register. Errors are RFC 9457 problem+json in Vietnamese and English; each operation
lists its roles in `x-roles`.
"""


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(
        TABLE, "Phan Thiết IOC: socio-economic reporting (/api/v1/socio-economic)", DESCRIPTION
    )
