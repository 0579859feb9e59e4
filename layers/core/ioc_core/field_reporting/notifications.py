"""Notifications from the report's events: the resident's inbox on every status change,
an SMS (or push) to a reporter who left a phone, and the desks of staff (a unit, the
operators, the leaders) for new work, answers and SLA warnings and escalations. The operators'
desk also hears of the security cameras' pages (a fire or smoke incident, the operator on
shift named), from the cameras room's event, so the page reaches a console and not only an
outside paging system; units' desks hear of the province's directives given them, and the
leaders of those overdue, from the task register's events.

Run by the notifications consumer (Kinesis, at least once): ids are derived from the event,
so a redelivered event stores and sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting import events as ev
from ioc_core.field_reporting.access import assigned_to
from ioc_core.field_reporting.models import STATUS_LABELS, Delivery, Notification, Report, ReportStatus, Text
from ioc_core.field_reporting.ports import MessageSender, NotificationInbox, ReportRepository
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.datetimes import parse_datetime

# The cameras room's page of the operator on shift (its published event; nothing of its tables).
CAMERA_PAGED = "cameras.operator.paged"
# The task register's news of the province's directives: a new one reaches its units' desks, an
# overdue one escalates to the leaders too (the socio-economic room's events; none of its tables).
TASK_REGISTERED = "socio_economic.task.registered"
TASK_OVERDUE = "socio_economic.task.overdue"
# Every event about a report may reach an inbox; camera pages; provincial directives.
TAKES = (*ev.EMITS, CAMERA_PAGED, TASK_REGISTERED, TASK_OVERDUE)
_PAGED_KINDS = {"fire": Text(vi="Cháy", en="Fire"), "smoke": Text(vi="Khói", en="Smoke")}

TEXT_WITHIN = timedelta(hours=24)  # events older than this reach the inbox only
OPERATORS = "role:operator"
LEADERS = "role:leader"


def account(account_id: str) -> str:
    return f"account:{account_id}"


def unit_desk(unit: str) -> str:
    return f"unit:{unit}"


def _status_text(report_id: str, status: ReportStatus, note: str | None) -> tuple[Text, Text | None]:
    # The title names the new status; the body is the note or nothing. It used to fall back to
    # the status label, which the inbox then showed twice ("Đã chuyển xử lý | Đã chuyển xử lý").
    label = STATUS_LABELS[status]
    title = Text(vi=f"Phản ánh {report_id}: {label.vi}", en=f"Report {report_id}: {label.en}")
    return title, Text(vi=note, en=note) if note else None


def _texts(event: CloudEvent, report_id: str) -> tuple[Text, Text | None]:
    data, kind = event.data, event.short_type
    if kind == ev.SUBMITTED:
        return (
            Text(vi=f"Phản ánh mới {report_id}", en=f"New report {report_id}"),
            Text(vi="Chờ tiếp nhận.", en="Waiting for verification."),
        )
    if kind == ev.INFO_REQUESTED:
        return (
            Text(
                vi=f"Phản ánh {report_id}: cần bổ sung thông tin",
                en=f"Report {report_id}: information needed",
            ),
            Text(vi="Vui lòng trả lời câu hỏi trong ứng dụng.", en="Please answer the question in the app."),
        )
    if kind == ev.INFO_PROVIDED:
        return (
            Text(
                vi=f"Phản ánh {report_id}: người dân đã trả lời",
                en=f"Report {report_id}: the resident replied",
            ),
            Text(vi="Đồng hồ SLA tiếp tục chạy.", en="The SLA clock runs again."),
        )
    if kind in (ev.SLA_WARNING, ev.SLA_ESCALATED):
        level = ("Cảnh báo 80%", "Warning 80%") if kind == ev.SLA_WARNING else ("Quá hạn", "Overdue")
        clock = {"verify": ("tiếp nhận", "verification"), "resolve": ("xử lý", "resolution")}[data["clock"]]
        # The due time travels as data (``due_at``): readers show it in their own format.
        return (
            Text(vi=f"{level[0]}: {report_id} ({clock[0]})", en=f"{level[1]}: {report_id} ({clock[1]})"),
            None,
        )
    if kind == ev.STATUS_CHANGED and data.get("action") == "hand_back":
        unit = data.get("from_unit") or ""
        return (
            Text(
                vi=f"Phản ánh {report_id}: đơn vị {unit} trả lại",
                en=f"Report {report_id}: handed back by {unit}",
            ),
            Text(vi="Cần giao lại cho đơn vị đúng.", en="Assign it to the right unit."),
        )
    if kind == ev.MERGED:
        return (
            Text(vi=f"Phản ánh {report_id} được gộp", en=f"Report {report_id} merged"),
            Text(
                vi=f"Phản ánh {data['duplicate_id']} trùng với phản ánh này; bạn sẽ nhận cập nhật của nó.",
                en=f"Report {data['duplicate_id']} duplicates this one; you now follow it.",
            ),
        )
    return _status_text(report_id, ReportStatus(data["to"]), data.get("note"))


def recipients(event: CloudEvent, report: Report) -> list[str]:
    """Who hears of an event: residents of every status change, desks of their work."""
    kind, data = event.short_type, event.data
    unit = data.get("unit")
    residents = [account(a) for a in report.owners]
    if kind == ev.STATUS_CHANGED:
        if data.get("action") == "hand_back":  # a routing correction inside the city
            return [OPERATORS]
        desks: list[str] = []
        to = data["to"]
        if to == ReportStatus.ASSIGNED.value and unit:
            desks.append(unit_desk(unit))
        if to == ReportStatus.REOPENED.value:
            desks += [OPERATORS, *([unit_desk(unit)] if unit else [])]
        return residents + desks
    if kind == ev.SUBMITTED:
        return [OPERATORS]
    if kind in (ev.INFO_REQUESTED, ev.MERGED):
        return residents
    if kind == ev.INFO_PROVIDED:
        return [unit_desk(unit)] if unit and assigned_to(report, unit) else [OPERATORS]
    if kind in (ev.SLA_WARNING, ev.SLA_ESCALATED):
        desk = unit_desk(unit) if data.get("clock") == "resolve" and unit else OPERATORS
        return [desk, LEADERS] if kind == ev.SLA_ESCALATED else [desk]
    return []


class Notifier:
    def __init__(
        self,
        repo: ReportRepository,
        inbox: NotificationInbox,
        sender: MessageSender,
        mask: Callable[[str], str] = lambda phone: phone[:5] + "***" + phone[-3:],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.repo = repo
        self.inbox = inbox
        self.sender = sender
        self.mask = mask
        self.clock = clock

    def handle(self, events: list[CloudEvent]) -> int:
        """Inbox items and messages for a batch of events; the number of new inbox items.

        The batch's items are stored together (transactions of 100: catching up on a backlog
        takes a few calls per batch, not one per item); messages go out after they are stored."""
        notes: list[Notification] = []
        texts: list[tuple[CloudEvent, Report, datetime, str]] = []
        # A report's events come together (one transaction's outbox rows): read it once a batch.
        reports: dict[str, Report | None] = {}
        for event in events:
            if event.short_type == CAMERA_PAGED:
                notes += _camera_page(event)
                continue
            if event.short_type in (TASK_REGISTERED, TASK_OVERDUE):
                notes += _directive(event)
                continue
            if not event.short_type.startswith(ev.REPORT_EVENT) or not event.subject:
                continue
            if event.subject not in reports:
                reports[event.subject] = self.repo.get(event.subject)
            report = reports[event.subject]
            if report is None:
                continue
            notes += self._notes(event, report, texts)
        added = self.inbox.add(notes) if notes else 0
        for event, report, at, text in texts:
            self._text(event, report, at, text)
        return added

    def _notes(
        self, event: CloudEvent, report: Report, texts: list[tuple[CloudEvent, Report, datetime, str]]
    ) -> list[Notification]:
        who = list(dict.fromkeys(recipients(event, report)))
        if not who:
            return []
        at = parse_datetime(event.time)
        title, body = _texts(event, report.report_id)
        status = event.data.get("to") or event.data.get("status")
        due = event.data.get("due_datetime")
        notes = [
            Notification(
                recipient=recipient,
                notification_id=f"{_sortable(at)}_{event.id}",
                report_id=report.report_id,
                kind=event.short_type.removeprefix(ev.REPORT_EVENT),
                title=title,
                body=body,
                status=ReportStatus(status) if status else None,
                created_at=at,
                due_at=parse_datetime(due) if due else None,
            )
            for recipient in who
        ]
        texted = event.short_type in (ev.STATUS_CHANGED, ev.INFO_REQUESTED) and report.reporter.phone
        # A message about something long past (a backlog caught up on) would only confuse: the
        # inbox has it, no SMS goes out.
        if texted and self.clock() - at <= TEXT_WITHIN:
            texts.append((event, report, at, f"{title.vi}. {body.vi}" if body else title.vi))
        return notes

    def _text(self, event: CloudEvent, report: Report, at: datetime, text: str) -> None:
        phone = report.reporter.phone
        assert phone is not None
        delivery = Delivery(
            delivery_id=f"{_sortable(at)}_{event.id}",
            at=at,
            channel=self.sender.channel,
            to=self.mask(phone),
            text=text,
            report_id=report.report_id,
        )
        if self.inbox.log_delivery(delivery):  # logged first: a redelivery sends nothing again
            self.sender.send(phone, text)


def _camera_page(event: CloudEvent) -> list[Notification]:
    """The operators' desk item for a camera page: the kind, the camera and its ward, who is on
    shift; it links to the incident, which the operators verify and dispatch once."""
    data = event.data
    incident, camera, operator = data.get("incident_id"), data.get("camera_id"), data.get("operator")
    if not incident or not camera:
        return []
    kind = _PAGED_KINDS.get(str(data.get("kind")), Text(vi="Sự cố", en="Incident"))
    ward = default_registry().name_of(str(data.get("ward_code")))
    place = Text(
        vi=f"camera {camera}" + (f", {ward.vi}" if ward else ""),
        en=f"camera {camera}" + (f", {ward.en}" if ward else ""),
    )
    at = parse_datetime(event.time)
    # The roster pages the desk itself (``role:operator``) when no shift covers the moment.
    on_shift = (
        Text(vi=f"Báo cho {operator} (trực ca). ", en=f"Paged to {operator} (on shift). ")
        if operator and not str(operator).startswith("role:")
        else Text(vi="Không ca trực nào: báo cả bộ phận. ", en="No shift on duty: the whole desk is paged. ")
    )
    return [
        Notification(
            recipient=OPERATORS,
            notification_id=f"{_sortable(at)}_{event.id}",
            incident_id=str(incident),
            kind="camera_paged",
            title=Text(vi=f"{kind.vi} tại {place.vi}", en=f"{kind.en} at {place.en}"),
            # The incident's id is a UUID, for machines (``incident_id``); people read the queue.
            body=Text(
                vi=f"{on_shift.vi}Xác minh và điều phối sự cố một lần, trên trang Sự cố camera.",
                en=f"{on_shift.en}Verify and dispatch the incident once, on the camera incidents page.",
            ),
            created_at=at,
        )
    ]


def _directive(event: CloudEvent) -> list[Notification]:
    """A provincial directive's task: new, to the desks of its units; overdue, to the owner's
    desk and the leaders'. Other tasks stay on the task board (their office follows them)."""
    data = event.data
    task_id = data.get("task_id")
    if data.get("source") != "province" or not task_id or not data.get("owner_unit"):
        return []
    title = str(data.get("title") or task_id)
    title_en = str(data.get("title_en") or title)
    deadline = date.fromisoformat(str(data["deadline"])).strftime("%d/%m/%Y")
    owner = unit_desk(str(data["owner_unit"]))
    if event.short_type == TASK_REGISTERED:
        kind, who = "directive_registered", [owner, *(unit_desk(str(u)) for u in data.get("co_units") or [])]
        heading = Text(vi=f"Chỉ đạo của tỉnh: {title}", en=f"Provincial directive: {title_en}")
        body = Text(
            vi=f"Hạn {deadline}. Đơn vị chủ trì xác nhận đã nhận trên trang Nhiệm vụ.",
            en=f"Due {deadline}. The owner unit acknowledges it on the Tasks page.",
        )
    else:
        days = int(data.get("days_overdue") or 0)
        kind, who = "directive_overdue", [owner, LEADERS]
        heading = Text(
            vi=f"Chỉ đạo của tỉnh quá hạn: {title}", en=f"Provincial directive overdue: {title_en}"
        )
        body = Text(
            vi=f"Quá hạn {days} ngày (hạn {deadline}). Báo cáo tiến độ, hoặc đề nghị tỉnh gia hạn.",
            en=f"{days} day(s) past its deadline ({deadline}). Report progress, or ask the province"
            " for more time.",
        )
    at = parse_datetime(event.time)
    return [
        Notification(
            recipient=recipient,
            notification_id=f"{_sortable(at)}_{event.id}",
            task_id=str(task_id),
            kind=kind,
            title=heading,
            body=body,
            created_at=at,
        )
        for recipient in dict.fromkeys(who)
    ]  # fmt: skip


def _sortable(at: datetime) -> str:
    """URL-safe and sorting as time (all in Vietnam time)."""
    return to_vn(at).strftime("%Y%m%dT%H%M%S%f")
