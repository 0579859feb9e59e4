"""The meeting pack's content, computed from the figures approved by the cut-off date, and the
background job that freezes it: the workbook and the PDF are written once, under their content
hash, and the pack's record then names them. The job runs again harmlessly: a pack that is
ready stays as it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic import events, views
from ioc_core.socio_economic.packs import MeetingPack, PackRepository
from ioc_core.socio_economic.periods import Period
from ioc_core.socio_economic.ports import VersionConflict
from ioc_core.socio_economic.reading import ReadService

ISSUER = ("TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN PHƯỜNG PHAN THIẾT")
SIGNER = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(ký, ghi rõ họ tên)")
RECIPIENTS = (
    "Thường trực HĐND phường",
    "Chủ tịch, các Phó Chủ tịch UBND phường",
    "Các phòng, ban, đơn vị",
    "Lưu: VT, TCKH",
)
CHARTED = ("BUDGET_REVENUE", "TOURIST_ARRIVALS", "PUBLIC_INVEST_DISBURSED")


class FileStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str, sha256: str | None = None) -> None: ...


def _row(r: dict[str, Any]) -> dict[str, Any]:
    forecast = r["forecast"] or {}
    return {
        "code": r["code"],
        "name_vi": r["name"]["vi"],
        "unit": r["unit"]["vi"],
        "value": r["value"],
        "value_status": r["status"] or "estimate",
        "previous": r["previous"],
        "last_year": r["same_period_last_year"],
        "yoy_pct": r["yoy_pct"],
        "plan_pct": r["pct_of_plan"],
        "target": r["target"]["text"] if r["target"] else None,
        "traffic": r["traffic"],
        "forecast": forecast.get("value"),
        "forecast_low": forecast.get("low"),
        "forecast_high": forecast.get("high"),
        "needed_per_month": r["needed_per_month"],
    }


def _chart(code: str, figures: Any, month: Period) -> dict[str, Any] | None:
    indicator = figures.catalogue.get(code)
    months = figures.months(code)
    this = [months.get(f"{month.year}-{m:02d}") for m in range(1, 13)]
    last = [months.get(f"{month.year - 1}-{m:02d}") for m in range(1, 13)]
    if not any(v is not None for v in this):
        return None
    return {
        "title": f"{indicator.name.vi} ({indicator.unit.vi})",
        "kind": "bar",
        "unit": indicator.unit.vi,
        "x_labels": [f"T{m}" for m in range(1, 13)],
        "series": [
            {"name": f"Năm {month.year}", "values": this},
            {"name": f"Năm {month.year - 1}", "values": last},
        ],
    }


def content(
    reader: ReadService, period: str, cutoff: date, issued: date, tasks: list[dict[str, Any]] | None = None
) -> Any:
    from ioc_core.socio_economic.pack.model import PackContent

    when = Period.parse(period)
    month = Period.month(when.year, when.last)
    figures = reader.figures([i.code for i in reader.catalogue.indicators], cutoff=cutoff)
    board = views.dashboard(figures, month)
    counts = board["counts"]
    groups = [
        {
            "code": g["code"],
            "name_vi": g["name"]["vi"],
            "name_en": g["name"]["en"],
            "rows": [_row(r) for r in g["rows"]],
        }
        for g in board["groups"]
        if g["rows"]
    ]
    summary = [
        f"Số liệu chốt đến ngày {cutoff:%d/%m/%Y}, theo chế độ báo cáo của Nghị định 09/2019/NĐ-CP.",
        f"Trong {counts['on_track'] + counts['at_risk'] + counts['off_track']} chỉ tiêu có kế hoạch năm: "
        f"{counts['on_track']} đạt tiến độ, {counts['at_risk']} có nguy cơ không đạt, "
        f"{counts['off_track']} không đạt.",
    ]
    charts = [c for c in (_chart(code, figures, month) for code in CHARTED) if c is not None]
    return PackContent.model_validate(
        {
            "period": when.code,
            "cutoff": cutoff,
            "issued": issued,
            "issuer": {"parent": ISSUER[0], "name": ISSUER[1]},
            "number": "…/BC-UBND",
            "place": "Phan Thiết",
            "subtitle": f"Tình hình kinh tế – xã hội {when.label('vi').lower()}",
            "summary": summary,
            "groups": groups,
            "tasks": tasks or [],
            "charts": charts,
            "signer": {"on_behalf": SIGNER[0], "title": SIGNER[1], "name": SIGNER[2]},
            "recipients": list(RECIPIENTS),
        }
    )


def task_rows(board: list[Any]) -> list[dict[str, Any]]:
    """The task board as the pack's task section: at risk and overdue first (the board's order)."""
    return [
        {
            "task": entry.task.title,
            "owner_unit": entry.task.owner_unit,
            "deadline": entry.task.deadline,
            "done_pct": float(entry.assessment.percent),
            "elapsed_pct": float(entry.assessment.elapsed_pct),
            "at_risk": entry.assessment.at_risk or entry.assessment.overdue,
            "projected_finish": entry.assessment.projection.finish,
        }
        for entry in board
    ]


def frozen_pack(reader: ReadService, period: str, cutoff: date, issued: date, board: list[Any]) -> Any:
    """The pack of a period as approved by the cut-off, frozen (the job's and the CLI's one way)."""
    from ioc_core.socio_economic.pack.freeze import freeze

    return freeze(content(reader, period, cutoff, issued, task_rows(board)))


@dataclass
class PackBuilder:
    packs: PackRepository
    reader: ReadService
    files: FileStore
    clock: Clock
    tasks: Callable[[], list[Any]] | None = None  # the task board, at risk first

    def build(self, pack_id: str) -> MeetingPack | None:
        pack = self.packs.get(pack_id)
        if pack is None or pack.status == "ready":
            return pack
        try:
            board = self.tasks() if self.tasks else []
            frozen = frozen_pack(self.reader, pack.period, pack.cutoff, self.clock.now().date(), board)
        except Exception as error:
            failed = pack.model_copy(
                update={"status": "failed", "error": str(error)[:500], "version": pack.version + 1}
            )
            self.packs.update(failed, pack.version, [])
            raise
        digest = frozen.manifest.content_sha256
        keys: dict[str, str] = {}
        for name, data in frozen.files.items():
            kind = name.rsplit(".", 1)[-1]
            key = f"packs/{digest}/{name}"
            self.files.put(
                key, data, frozen.manifest.files[name].media_type, frozen.manifest.files[name].sha256
            )
            keys[kind] = key
        self.files.put(f"packs/{digest}/manifest.json", frozen.manifest.to_json(), "application/json")
        ready = pack.model_copy(
            update={
                "status": "ready",
                "sha256": digest,
                "files": keys,
                "finished_at": self.clock.now(),
                "file_hashes": {n.rsplit(".", 1)[-1]: e.sha256 for n, e in frozen.manifest.files.items()},
                "version": pack.version + 1,
            }
        )
        event = CloudEvent.new(
            events.PACK_READY,
            subsystem=events.SUBSYSTEM,
            subject=pack.pack_id,
            at=self.clock.now(),
            data={"pack_id": pack.pack_id, "period": pack.period, "sha256": digest},
            sequence=ready.version,
        )
        try:
            self.packs.update(ready, pack.version, [event])
        except VersionConflict:
            return self.packs.get(pack_id)  # built twice at once: the other one's record stands
        return ready
