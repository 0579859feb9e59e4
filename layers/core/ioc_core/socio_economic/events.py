"""Socio-economic CloudEvents, in the room's namespace. No personal data: events name the
indicator, the period and the owner unit, never the staff who entered or approved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ioc_core.platform.rooms import Label
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.models import SeriesValue, Target

SUBSYSTEM = "socio_economic"
VALUE_SUBMITTED = "socio_economic.indicator.value.submitted"
VALUE_APPROVED = "socio_economic.indicator.value.approved"
VALUE_REVISED = "socio_economic.indicator.value.revised"
VALUE_REJECTED = "socio_economic.indicator.value.rejected"
TARGET_SET = "socio_economic.indicator.target.set"
PACK_REQUESTED = "socio_economic.pack.requested"
PACK_READY = "socio_economic.pack.ready"
VALUE_EVENTS = (VALUE_SUBMITTED, VALUE_APPROVED, VALUE_REVISED, VALUE_REJECTED, TARGET_SET)
EMITS = (*VALUE_EVENTS, PACK_REQUESTED, PACK_READY)


def value_event(short: str, value: SeriesValue, unit: str, at: datetime) -> CloudEvent:
    entry = value.pending if short == VALUE_SUBMITTED else value.approved
    data: dict[str, object] = {
        "indicator": value.indicator,
        "breakdown": value.breakdown,
        "period": value.period,
        "owner_unit": unit,
        "state": value.state,
        "value": entry.value if entry else None,
        "status": entry.status if entry else None,
        "source": entry.source if entry else None,
        "revision": len(value.revisions),
    }
    if short == VALUE_REVISED and value.revisions:
        last = value.revisions[-1]
        data |= {"old_value": last.old_value, "old_status": last.old_status, "reason": last.reason}
    return CloudEvent.new(
        short,
        subsystem=SUBSYSTEM,
        subject=f"{value.series}@{value.period}",
        at=at,
        data=data,
        sequence=value.version,
    )


def target_set(target: Target, unit: str) -> CloudEvent:
    return CloudEvent.new(
        TARGET_SET,
        subsystem=SUBSYSTEM,
        subject=f"{target.indicator}@{target.period}",
        at=target.set_at,
        data={
            "indicator": target.indicator,
            "period": target.period,
            "owner_unit": unit,
            "text": target.text,
            "low": target.low,
            "high": target.high,
            "resolution": target.resolution,
        },
        sequence=target.version,
    )


def audit_words() -> Mapping[str, Label]:
    return {
        VALUE_SUBMITTED: Label("Nhập số liệu chỉ tiêu", "Indicator value entered"),
        VALUE_APPROVED: Label("Phê duyệt số liệu chỉ tiêu", "Indicator value approved"),
        VALUE_REVISED: Label("Điều chỉnh số liệu đã duyệt", "Approved value revised"),
        VALUE_REJECTED: Label("Trả lại số liệu", "Indicator value sent back"),
        TARGET_SET: Label("Đặt chỉ tiêu kế hoạch", "Target set"),
        PACK_REQUESTED: Label("Yêu cầu lập báo cáo họp", "Meeting pack requested"),
        PACK_READY: Label("Báo cáo họp đã lập", "Meeting pack ready"),
    }
