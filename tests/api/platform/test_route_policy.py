"""Every route of every API, called by every kind of caller, against the policy as the city
wrote it down here: independent of the route tables and the rooms' permission data the
middleware reads, so a wrong entry in either (a permission on the wrong route, a role given a
permission it should not hold) fails this test.

A caller the policy allows gets anything but 401/403 (the routes are called with empty or
wrong bodies, so a 400, 404, 409 or 428 is fine); one it does not allows gets 403, and an
anonymous caller 401 where a token is needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.cameras.api_v1 import TABLE as CAMERAS
from ioc_core.field_reporting.api_v1.openapi import TABLE as FIELD_REPORTING
from ioc_core.identity.api_v1 import TABLE as IDENTITY
from ioc_core.integration.api_v1 import TABLE as INTEGRATION
from ioc_core.integration.subscriptions_api import TABLE as SUBSCRIPTIONS
from ioc_core.platform.api.routes import Operation, RouteTable
from ioc_core.platform.api_v1 import TABLE as OVERVIEW
from ioc_core.platform.audit.api import TABLE as AUDIT
from ioc_core.socio_economic.api_v1 import TABLE as SOCIO_ECONOMIC
from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api

ANYONE = "anyone"  # no token needed; any token is fine too
SIGNED_IN = "signed in"  # any account with a role
DEVICE = "device"  # the route checks a device's own key
CALLERS = (
    "resident",
    "operator",
    "unit_staff",
    "ward_leader",
    "leader",
    "admin",
    "provincial",
    "statistics_officer",
)
GROUPS = {"unit_staff": ["unit_staff@CSCC"], "ward_leader": ["ward_leader@22945"]}

STAFF_READERS = {"operator", "leader", "provincial", "unit_staff", "ward_leader"}
WATCHERS = {"operator", "leader", "admin"}
INDICATOR_READERS = {"operator", "leader", "admin", "statistics_officer", "unit_staff", "ward_leader"}
INDICATOR_KEEPERS = {"statistics_officer", "unit_staff"}  # a unit's own figures; the office's all


def _each(rule: str | set[str], *operations: str) -> dict[str, str | set[str]]:
    return {op: rule for op in operations}


# operationId → who may call it, as the city's access policy says.
POLICY: dict[str, str | set[str]] = {
    # Field Reporting: residents and the public
    "createUpload": {"anonymous", "resident", "operator", "unit_staff"},
    "submitReport": {"anonymous", "resident", "operator"},
    **_each(
        ANYONE, "getReport", "getPhoto", "listCategories", "listWards", "getWardBoundaries",
        "getFieldReportingStats", "getOpenApi", "listNearbyReports", "getStatsBreakdown", "getStatsMonthly",
        "listPublicReports",
    ),
    "getMe": SIGNED_IN,
    **_each(
        {"resident"}, "listMyReports", "listMyFollows", "getMyReport", "rateReport", "disputeReport",
        "withdrawReport", "replyToQuestion", "listMyNotifications", "markNotificationRead",
        "markMyNotificationsRead", "followReport",
    ),
    # the workflow
    "listQueue": STAFF_READERS,
    "exportQueue": STAFF_READERS,  # the queue as a file: same readers, same scope
    "getReportDetail": STAFF_READERS,
    "listOverdue": STAFF_READERS,
    **_each({"operator"}, "verifyReport", "rejectReport", "assignReport", "mergeDuplicate"),
    **_each({"unit_staff"}, "startWork", "resolveReport"),
    "requestInfo": {"operator", "unit_staff"},
    "addInternalNote": {"operator", "unit_staff"},
    "handBack": {"unit_staff"},
    "assignPerson": {"operator", "unit_staff"},
    "listUnitStaff": {"operator", "unit_staff"},  # who can be named: any unit's, or one's own
    "listDuplicates": {"operator", "leader"},
    "listUnits": STAFF_READERS | {"admin"},
    **_each(
        {"operator", "unit_staff", "leader"}, "listStaffNotifications", "countStaffUnread",
        "markStaffNotificationsRead", "markStaffNotificationRead",
    ),
    "getDeliveryLog": {"operator", "admin"},
    # a person's own saved queue filters: people who work the queue, not the provincial system
    **_each(
        {"operator", "leader", "unit_staff", "ward_leader"}, "listSavedFilters", "putSavedFilter",
        "deleteSavedFilter",
    ),
    "getRouting": {"operator", "leader", "admin"},
    "putRouting": {"admin"},
    **_each({"admin"}, "createApiKey", "listApiKeys", "revokeApiKey"),
    # Cameras
    **_each(
        WATCHERS, "listCameras", "getCamerasOpenApi", "cameraStats", "alertQueue", "getAlert", "getCamera",
        "cameraAlerts", "incidentQueue", "getIncident",
    ),
    **_each({"operator"}, "verifyAlert", "dispatchAlert", "closeAlert", "verifyIncident", "dispatchIncident",
            "closeIncident"),
    **_each({"admin"}, "registerCamera", "setZones", "rotateUploaderKey"),
    "presignUpload": DEVICE,
    # the overview
    "getOverview": WATCHERS,
    "getOverviewOpenApi": WATCHERS,
    "getAuditOpenApi": {"admin", "leader"},
    # the audit log: who did what, for those who run the system and those it answers to
    "searchAudit": {"admin", "leader"},
    # Socio-economic reporting: the city's staff read, units and the statistics office enter and
    # approve, the office keeps targets, leaders and the office ask for the pack and direct tasks.
    **_each(
        INDICATOR_READERS, "getSocioEconomicOpenApi", "indicatorCatalogue", "indicatorDashboard",
        "getIndicator", "listPacks", "getPack",
    ),
    **_each(
        INDICATOR_KEEPERS, "enterValue", "importValues", "indicatorEntryTemplate", "approvalQueue",
        "approveValue", "rejectValue",
    ),
    "setTarget": {"statistics_officer"},
    "requestPack": {"leader", "statistics_officer"},
    **_each({"operator", "leader", "admin", "statistics_officer", "unit_staff"}, "taskBoard", "getTask"),
    **_each({"leader", "statistics_officer"}, "registerTask", "changeTask", "completeTask", "cancelTask"),
    **_each({"unit_staff"}, "reportTaskProgress", "presignTaskEvidence", "acknowledgeTask"),
    # Provincial integration: the event contract is public (it holds no data)
    "getIntegrationOpenApi": ANYONE,
    **_each(ANYONE, "listEventSchemas", "getEventSchema", "getEventsAsyncApi"),
    "receiveDirective": DEVICE,  # the province's signed webhook: the route checks the signature
    # the province's system pulls events, the snapshot and its NGSI-LD entities
    **_each({"provincial", "admin"}, "pullEvents", "getSnapshot", "listNgsiLdEntities"),
    # ...where the city's events go, and the secrets that sign them, are the administrators'
    **_each({"admin"}, "listSubscriptions", "createSubscription", "getSubscription", "deleteSubscription",
            "pauseSubscription", "resumeSubscription", "rotateSubscriptionSecret", "listDeliveryAttempts",
            "listParkedDeliveries", "redriveSubscription", "replaySubscription"),
    # identity
    **_each(
        ANYONE, "startPhoneSignIn", "verifyPhoneSignIn", "staffSignIn", "staffMfa", "refreshTokens",
        "getJwks", "getOpenIdConfiguration", "getIdentityOpenApi", "staffNewPassword", "staffMfaSetup",
    ),
    "listRoles": SIGNED_IN,
    "listStaff": {"admin"},
    **_each({"admin"}, "putStaffGrants", "createStaff", "disableStaff", "enableStaff", "resetStaffMfa",
        "resetStaffPassword",
    ),
}  # fmt: skip


def _allowed(rule: str | set[str], caller: str) -> bool:
    if rule == ANYONE:
        return True
    if rule == SIGNED_IN:
        return caller != "anonymous"
    assert isinstance(rule, set)
    return caller in rule


def _report(session: Session, issue: Callable[[str], str]) -> str:
    """The resident's report in ward 22945, assigned to CSCC: every caller's scope reaches it."""
    created = session.call(
        "POST", "/reports", {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"},
        token=session.resident(),
    )  # fmt: skip
    assert created.status_code == 201, created.body
    report_id = str(body(created)["id"])
    operator = issue("operator")
    for action, change in (("verify", {"version": 1}), ("assign", {"unit": "CSCC", "version": 2})):
        moved = session.call("POST", f"/workflow/reports/{report_id}/{action}", change, token=operator)
        assert moved.status_code == 200, moved.body
    return report_id


def _path(op: Operation, report_id: str) -> str:
    values = {"report_id": report_id, "notification_id": "nope", "photo_id": "0" * 32,
              "camera_id": "pt-hd-09", "alert_id": "nope", "incident_id": "nope",
              "username": "cscc", "key_id": "0" * 64, "code": "BUDGET_REVENUE", "indicator": "BUDGET_REVENUE",
              "period": "2026-11", "pack_id": "pack-2026-11-none", "task_id": "NV-2026-0001",
              "name": "policy", "unit": "CSCC", "event_type": "field_reporting.report.submitted",
              "version": "v1", "subscription_id": "sub_" + "0" * 20}  # fmt: skip
    path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], op.full_path)
    return path


def test_every_route_answers_every_caller_as_the_policy_says(
    session: Session,
    cameras_client: Client,
    overview_client: Client,
    socio_economic_client: Client,
    integration_client: Client,
) -> None:
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None

    def issue(caller: str) -> str:
        if caller == "resident":
            return session.resident()
        return provider.issue(f"{caller}-1", f"{caller}.policy", GROUPS.get(caller, [caller])).access_token

    tables: list[tuple[RouteTable, Client]] = [
        (FIELD_REPORTING, session.client), (IDENTITY, session.auth), (CAMERAS, cameras_client),
        (OVERVIEW, overview_client), (AUDIT, overview_client), (SOCIO_ECONOMIC, socio_economic_client),
        (INTEGRATION, integration_client), (SUBSCRIPTIONS, integration_client),
    ]  # fmt: skip
    ops = {op.operation_id for table, _ in tables for op in table.operations}
    assert ops == POLICY.keys(), (
        f"routes without a policy: {ops - POLICY.keys()}; gone: {POLICY.keys() - ops}"
    )

    report_id = _report(session, issue)
    tokens = {caller: issue(caller) for caller in CALLERS}
    wrong: list[str] = []
    for table, client in tables:
        for op in table.operations:
            rule = POLICY[op.operation_id]
            if rule == DEVICE:
                assert op.access.device, f"{op.operation_id} is a device's route"
                continue
            for caller in ("anonymous", *CALLERS):
                got = _call(client, op, _path(op, report_id), tokens.get(caller))
                if _allowed(rule, caller):
                    if got in (401, 403):
                        wrong.append(f"{op.operation_id} as {caller}: {got}, the policy allows it")
                elif got != (401 if caller == "anonymous" else 403):
                    wrong.append(f"{op.operation_id} as {caller}: {got}, the policy refuses it")
    assert not wrong, "\n".join(wrong)


def _call(client: Client, op: Operation, path: str, token: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    raw = b"{}" if op.method in ("POST", "PUT", "PATCH") else b""
    answer: Any = client.http.request(op.method, path, headers=headers, body=raw)
    if answer.status_code >= 500:
        pytest.fail(f"{op.operation_id} {path}: {answer.status_code} {answer.body[:200]!r}")
    return int(answer.status_code)


def test_a_token_without_a_role_gets_403_on_signed_in_routes(session: Session) -> None:
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None
    nobody = provider.issue("staff-new", "moi", ["janitor"]).access_token  # a group of no role
    answer = session.call("GET", "/me", token=nobody)
    assert answer.status_code == 403
    assert "no role" in json.loads(answer.body)["detail"]
