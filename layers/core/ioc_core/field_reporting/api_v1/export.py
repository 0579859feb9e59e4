"""The queue as a spreadsheet for a paper file or a meeting: the columns staff read, in vi or en.

No reporter contact leaves in a file (a spreadsheet travels by e-mail and USB stick): staff who
need a phone open the report. Free text is masked as the caller's views are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from ioc_core.field_reporting import sla
from ioc_core.field_reporting.api_v1.presenter import ward_ref
from ioc_core.field_reporting.api_v1.workflow_presenter import View
from ioc_core.field_reporting.models import STATUS_LABELS, Report, Text
from ioc_core.platform.exports import Cell, Sheet

Lang = Literal["vi", "en"]
COLUMNS: tuple[Text, ...] = (
    Text(vi="Mã phản ánh", en="Report id"),
    Text(vi="Thời điểm gửi (giờ Việt Nam)", en="Submitted (Vietnam time)"),
    Text(vi="Lĩnh vực", en="Category"),
    Text(vi="Phường", en="Ward"),
    Text(vi="Địa chỉ", en="Address"),
    Text(vi="Nội dung", en="Description"),
    Text(vi="Trạng thái", en="Status"),
    Text(vi="Đơn vị xử lý", en="Unit"),
    Text(vi="Hạn xử lý", en="Due"),
    Text(vi="Quá hạn", en="Overdue"),
    Text(vi="Thời điểm đóng", en="Closed"),
    Text(vi="Kênh gửi", en="Channel"),
    Text(vi="Số ảnh", en="Photos"),
    Text(vi="Số lần chuyển đơn vị", en="Transfers"),
    Text(vi="Đánh giá (1–5)", en="Rating (1–5)"),
)
TITLE = Text(vi="Phản ánh", en="Reports")
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


def _due(report: Report) -> datetime | None:
    current = sla.active_clock(report.sla)
    return current[1].due_at if current else report.expected_at


def _row(report: Report, view: View, lang: Lang) -> list[Cell]:
    service = view.catalogue.service(report.service_code)
    ward = ward_ref(view.wards, report.location.ward_code, report.requested_at.date())
    unit = view.router.unit_name(report.unit) if report.unit else None
    return [
        report.report_id,
        report.requested_at,
        getattr(service.name, lang) if service else report.service_code,
        getattr(ward.name, lang),
        view.text(report.location.address),
        view.text(report.description),
        getattr(STATUS_LABELS[report.status], lang),
        getattr(unit, lang) if unit else None,
        _due(report),
        sla.overdue(report, view.now),
        report.closed_at,
        report.channel,
        len(report.photos),
        report.transfers,
        report.rating.score if report.rating else None,
    ]


def sheet(reports: Sequence[Report], view: View, lang: Lang = "vi") -> Sheet:
    return Sheet(
        title=getattr(TITLE, lang),
        headers=[getattr(c, lang) for c in COLUMNS],
        rows=[_row(r, view, lang) for r in reports],
    )
