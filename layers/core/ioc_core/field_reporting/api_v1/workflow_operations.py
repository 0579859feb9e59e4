"""The route table of the workflow, identity and administration API (issue 4).

Read with ``platform/api/routes.py``: every row names its roles (``access``); the middleware of the
API enforces exactly this table, and the route × role test walks it.
"""

from __future__ import annotations

from ioc_core.field_reporting import permissions as p
from ioc_core.field_reporting.api_v1 import schemas as m
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.identity import schemas as a
from ioc_core.platform.api.openapi import ETAG
from ioc_core.platform.api.routes import PUBLIC, SIGNED_IN, Operation, Reply, needs
from ioc_core.platform.permissions import API_KEYS_MANAGE

UNIT_SCOPE = "unit_staff: only reports assigned to their unit"
STAFF_READ = needs(
    p.REPORTS_READ,
    scope=f"{UNIT_SCOPE}; ward_leader: only their ward's reports; provincial: no personal data",
)
OWN_SCOPE = "resident: only their own reports (and masters they follow)"
OWN = needs(p.OWN_REPORTS, scope=OWN_SCOPE)

_ID = {"report_id": m.REPORT_ID_PATTERN}
_NOTIFICATION = {"notification_id": w.NOTIFICATION_ID_PATTERN}
_DESK = needs(p.INBOX_READ, scope="the caller's own desk: operators, their unit, or leaders")
_CHANGE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 428)


def _detail(description: str = "The report after the change") -> dict[int, Reply]:
    return {200: Reply(description, w.ReportDetail, headers=(ETAG,))}


def _mine(description: str = "Your report after the change") -> dict[int, Reply]:
    return {200: Reply(description, w.MyReportDetail, headers=(ETAG,))}


def _staff_action(
    action: str, op_id: str, summary: str, body: type, permission: str, scope: str = ""
) -> Operation:
    return Operation(
        "POST", f"/workflow/reports/{{report_id}}/{action}", op_id, summary, "workflow", _detail(),
        errors=_CHANGE_ERRORS, body=body, path_params=_ID, access=needs(permission, scope), if_match=True,
    )  # fmt: skip


def _resident_action(action: str, op_id: str, summary: str, body: type) -> Operation:
    return Operation(
        "POST", f"/me/reports/{{report_id}}/{action}", op_id, summary, "my reports", _mine(),
        errors=_CHANGE_ERRORS, body=body, path_params=_ID, access=OWN,
        if_match=True,
    )  # fmt: skip


ME_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET", "/me", "getMe", "The caller: role, unit and allowed operations", "auth",
        {200: Reply("The caller", a.MeView)}, errors=(401,), access=SIGNED_IN,
    ),
)  # fmt: skip


WORKFLOW_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET", "/workflow/reports", "listQueue",
        "The queue: filter by status, ward, category, unit, overdue; newest first, by cursor",
        "workflow", {200: Reply("A page", w.QueuePage)}, errors=(400, 401, 403),
        query=w.QueueQuery, access=STAFF_READ,
    ),
    Operation(
        "GET", "/workflow/reports/export", "exportQueue",
        "The queue's filters (and q) as a file: CSV (UTF-8 with BOM) or XLSX, headers in vi or en,"
        " times in Vietnam time, no reporter contact, text never a formula; at most 5,000 reports",
        "workflow",
        {200: Reply("The file (text/csv or the XLSX media type, by format)", media_type="text/csv",
                    schema={"type": "string"})},
        errors=(400, 401, 403), query=w.ExportQuery, access=STAFF_READ,
    ),
    Operation(
        "GET", "/workflow/reports/{report_id}", "getReportDetail",
        "A report with its whole history (who, when, why) and the caller's allowed actions",
        "workflow", _detail("The report"), errors=(401, 403, 404), path_params=_ID, access=STAFF_READ,
    ),
    _staff_action(
        "verify", "verifyReport", "Verify (received → verified); with unit, assign to it in the same change",
        w.VerifyRequest, p.REPORTS_TRIAGE,
    ),
    _staff_action("reject", "rejectReport", "Reject with a reason", w.RejectRequest, p.REPORTS_TRIAGE),
    _staff_action(
        "assign", "assignReport", "Assign to a unit, or re-route (a transfer is counted)",
        w.AssignRequest, p.REPORTS_TRIAGE,
    ),
    _staff_action("start", "startWork", "Start work (assigned → in_progress)", w.NoteRequest,
                  p.REPORTS_WORK, UNIT_SCOPE),
    _staff_action(
        "resolve", "resolveReport", "Resolve with a note and an after-photo", w.ResolveRequest,
        p.REPORTS_WORK, UNIT_SCOPE,
    ),
    Operation(
        "POST", "/workflow/reports/{report_id}/assign-person", "assignPerson",
        "Name who inside the unit works on the report (the unit's staff take it or pass it on):"
        " an active staff member of the report's unit (GET /workflow/units/{unit}/staff), else 422",
        "workflow", _detail(), errors=(*_CHANGE_ERRORS, 422), body=w.AssignPersonRequest, path_params=_ID,
        access=needs(p.REPORTS_ASK, f"operators; {UNIT_SCOPE}"), if_match=True,
    ),
    _staff_action(
        "hand-back", "handBack",
        "A unit returns a wrongly routed report to the operators (verified, unassigned), with a reason",
        w.HandBackRequest, p.REPORTS_WORK, UNIT_SCOPE,
    ),
    _staff_action(
        "note", "addInternalNote",
        "An internal note: staff see it in the history; never public, never the resident's",
        w.InternalNoteRequest, p.REPORTS_ASK, f"operators; {UNIT_SCOPE}",
    ),
    _staff_action(
        "request-info", "requestInfo", "Ask the resident; the SLA clock pauses until they reply",
        w.InfoRequest, p.REPORTS_ASK, UNIT_SCOPE,
    ),
    Operation(
        "POST", "/workflow/reports/{report_id}/merge", "mergeDuplicate",
        "Merge this report into its master: its reporters follow and rate the master", "workflow",
        {200: Reply("Both reports after the merge", w.MergeResult)}, errors=_CHANGE_ERRORS,
        body=w.MergeRequest, path_params=_ID, access=needs(p.REPORTS_TRIAGE), if_match=True,
    ),
    Operation(
        "GET", "/workflow/reports/{report_id}/duplicates", "listDuplicates",
        "Open reports of the same category nearby (the category's radius and time window)",
        "workflow", {200: Reply("Candidates, nearest first", w.DuplicateList)},
        errors=(401, 403, 404), path_params=_ID, access=needs(p.DUPLICATES_READ),
    ),
    Operation(
        "GET", "/workflow/overdue", "listOverdue", "Open reports past due (or past 80 % of a clock)",
        "workflow", {200: Reply("Overdue reports, most overdue first", w.QueuePage)},
        errors=(400, 401, 403), query=w.OverdueQuery, access=STAFF_READ,
    ),
    Operation(
        "GET", "/workflow/units", "listUnits", "Units a report can be assigned to", "workflow",
        {200: Reply("Units", w.UnitsView)}, errors=(401, 403),
        access=needs(p.UNITS_READ),
    ),
    Operation(
        "GET", "/workflow/units/{unit}/staff", "listUnitStaff",
        "Who can be named on the unit's reports: its active staff (the staff directory's)", "workflow",
        {200: Reply("The unit's staff, by username", w.UnitStaffView)}, errors=(401, 403, 404),
        path_params={"unit": w.UNIT_CODE_PATTERN},
        access=needs(p.REPORTS_ASK, "operators: any unit; unit_staff: their own unit"),
    ),
    Operation(
        "GET", "/workflow/notifications", "listStaffNotifications",
        "The inbox of the caller's desk: operators, their unit, or leaders", "workflow",
        {200: Reply("Notifications, newest first", w.NotificationPage)}, errors=(400, 401, 403),
        query=w.InboxQuery, access=_DESK,
    ),
    Operation(
        "GET", "/workflow/notifications/unread-count", "countStaffUnread",
        "How many of the desk's notifications are unread (cheap: for a badge that polls)", "workflow",
        {200: Reply("The unread count", w.UnreadCount)}, errors=(401, 403), access=_DESK,
    ),
    Operation(
        "POST", "/workflow/notifications/read-all", "markStaffNotificationsRead",
        "Mark every notification of the desk read (those that arrive meanwhile stay unread)",
        "workflow", {200: Reply("How many this call marked, how many stay unread", w.MarkedRead)},
        errors=(401, 403), access=_DESK,
    ),
    Operation(
        "POST", "/workflow/notifications/{notification_id}/read", "markStaffNotificationRead",
        "Mark one notification of the desk read (again: nothing changes)", "workflow",
        {200: Reply("How many this call marked, how many stay unread", w.MarkedRead)},
        errors=(401, 403, 404), path_params=_NOTIFICATION, access=_DESK,
    ),
    Operation(
        "GET", "/notifications/log", "getDeliveryLog",
        "SMS and push messages sent (locally: logged instead of sent)", "workflow",
        {200: Reply("Latest deliveries", w.DeliveryLog)}, errors=(401, 403),
        access=needs(p.DELIVERIES_READ),
    ),
    # -- the resident's own -------------------------------------------------------------------
    Operation(
        "GET", "/me/reports", "listMyReports", "The reports you sent (those you follow: /me/follows)",
        "my reports",
        {200: Reply("A page", w.MyReportsPage)}, errors=(400, 401, 403), query=w.PageQuery,
        access=OWN,
    ),
    Operation(
        "GET", "/me/follows", "listMyFollows",
        "The reports you follow (someone else's), on any device you sign in on: the latest"
        " followed first", "my reports", {200: Reply("The followed reports", w.MyFollows)},
        errors=(400, 401, 403), query=w.FollowsQuery, access=OWN,
    ),
    Operation(
        "GET", "/me/reports/{report_id}", "getMyReport", "Your report, its history and your actions",
        "my reports", _mine("Your report"), errors=(401, 403, 404), path_params=_ID,
        access=OWN,
    ),
    Operation(
        "POST", "/reports/{report_id}/follow", "followReport",
        "Follow an open report instead of sending the same problem: its notifications reach you,"
        " it is among yours and you may rate its resolution (again: nothing changes)", "my reports",
        {200: Reply("The report as you now follow it", w.MyReportDetail, headers=(ETAG,))},
        errors=(401, 403, 404, 409), path_params=_ID, access=OWN,
    ),
    _resident_action("rate", "rateReport", "Rate a resolution (1–5)", w.RateRequest),
    _resident_action("dispute", "disputeReport", "Not fixed: reopen the report", w.DisputeRequest),
    _resident_action("withdraw", "withdrawReport", "Withdraw your report", w.WithdrawRequest),
    _resident_action("reply", "replyToQuestion", "Answer the city's question (its clock runs again)",
                     w.ReplyRequest),
    Operation(
        "GET", "/me/notifications", "listMyNotifications", "Your inbox: every status change",
        "my reports", {200: Reply("Notifications, newest first", w.NotificationPage)},
        errors=(400, 401, 403), query=w.InboxQuery, access=OWN,
    ),
    Operation(
        "POST", "/me/notifications/read-all", "markMyNotificationsRead",
        "Mark your whole inbox read (those that arrive meanwhile stay unread)", "my reports",
        {200: Reply("How many this call marked, how many stay unread", w.MarkedRead)},
        errors=(401, 403), access=OWN,
    ),
    Operation(
        "POST", "/me/notifications/{notification_id}/read", "markNotificationRead",
        "Mark one of your notifications read (again: nothing changes)", "my reports",
        {200: Reply("How many this call marked, how many stay unread", w.MarkedRead)},
        errors=(401, 403, 404), path_params=_NOTIFICATION, access=OWN,
    ),
    # -- public: duplicates at intake, detailed statistics -----------------------------------
    Operation(
        "GET", "/nearby-reports", "listNearbyReports",
        "Before submitting: open reports of the category nearby (follow one instead)", "reports",
        {200: Reply("Nearby open reports, no personal data", w.NearbyView)}, errors=(400,),
        query=w.NearbyQuery, access=PUBLIC,
    ),
    Operation(
        "GET", "/stats/field-reporting/breakdown", "getStatsBreakdown",
        "Figures per ward, unit or category: totals, resolution, on-time and satisfaction rates",
        "stats", {200: Reply("Rows", w.BreakdownView)}, errors=(400,), query=w.BreakdownQuery,
    ),
    Operation(
        "GET", "/stats/field-reporting/monthly", "getStatsMonthly",
        "Monthly series for charts (the city, or one ward, unit or category)", "stats",
        {200: Reply("Months, oldest first", w.MonthlyView)}, errors=(400,), query=w.MonthlyQuery,
    ),
    # -- administration -----------------------------------------------------------------------
    Operation(
        "GET", "/admin/routing", "getRouting", "Routing: category × ward → unit", "admin",
        {200: Reply("The routing table in force", w.RoutingView)}, errors=(401, 403),
        access=needs(p.ROUTING_READ),
    ),
    Operation(
        "PUT", "/admin/routing", "putRouting", "Replace the administrator's routing rules", "admin",
        {200: Reply("The routing table in force", w.RoutingView)},
        errors=(400, 401, 403, 413, 415), body=w.RoutingUpdate, access=needs(p.ROUTING_MANAGE),
    ),
    Operation(
        "POST", "/admin/api-keys", "createApiKey", "A new Open311 API key, shown once", "admin",
        {201: Reply("The key", w.ApiKeyCreated)}, errors=(400, 401, 403, 413, 415),
        body=w.ApiKeyRequest, access=needs(API_KEYS_MANAGE),
    ),
    Operation(
        "GET", "/admin/api-keys", "listApiKeys", "Every Open311 API key (never the key itself), newest first",
        "admin", {200: Reply("The keys", w.ApiKeyList)}, errors=(401, 403), access=needs(API_KEYS_MANAGE),
    ),
    Operation(
        "POST", "/admin/api-keys/{key_id}/revoke", "revokeApiKey",
        "Revoke a key for good (a second call changes nothing)", "admin",
        {200: Reply("The key, revoked", w.ApiKeyView)}, errors=(401, 403, 404),
        path_params={"key_id": "^[0-9a-f]{64}$"}, access=needs(API_KEYS_MANAGE),
    ),
)  # fmt: skip
