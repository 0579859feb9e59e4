"""Camera counters kept by the ``camera-alert-stats`` consumer: alerts and incidents by kind,
incidents still to work, operator verdicts (false-alarm rates per camera) and quarantined
snapshots by reason. "Open" counts incidents: one fire is one, however many alerts it took."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ioc_core.cameras import events as cam_events
from ioc_core.cameras.models import JOINABLE
from ioc_core.shared.cloudevents import CloudEvent, short_type

PK = "cameras#stats"
# What the counters consumer takes (its event filter).
TAKES = (
    cam_events.ALERT_RAISED,
    cam_events.ALERT_STATUS_CHANGED,
    cam_events.SNAPSHOT_QUARANTINED,
    cam_events.INCIDENT_OPENED,
    cam_events.INCIDENT_STATUS_CHANGED,
)
VERDICTS = {"verified": "verified", "false_alarm": "false_alarms"}
_OPEN = {status.value for status in JOINABLE}


def deltas(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    kind, data = short_type(event.type), event.data
    change: dict[str, int] = {}
    if kind == cam_events.ALERT_RAISED:
        change = {"alerts": 1, f"alerts_{data['kind']}": 1}
    elif kind == cam_events.INCIDENT_OPENED:
        change = {"incidents": 1, f"incidents_{data['kind']}": 1, f"open_{data['kind']}": 1}
    elif kind in (cam_events.ALERT_STATUS_CHANGED, cam_events.INCIDENT_STATUS_CHANGED):
        change = _verdict(data)
        if kind == cam_events.INCIDENT_STATUS_CHANGED:
            # Incidents still to work, by kind (the overview's "active alerts"; silent cameras
            # among them).
            was_open, is_open = data.get("from") in _OPEN, data.get("to") in _OPEN
            if was_open != is_open:
                change[f"open_{data['kind']}"] = int(is_open) - int(was_open)
    elif kind == cam_events.SNAPSHOT_QUARANTINED:
        change = {"quarantined": 1, f"quarantined_{data['reason']}": 1}
    if not change:
        return {}
    rows = {(PK, "all"): dict(change)}
    if data.get("camera_id"):
        rows[(PK, f"camera#{data['camera_id']}")] = dict(change)
    return rows


def _verdict(data: dict[str, Any]) -> dict[str, int]:
    if data.get("to") not in VERDICTS:
        return {}
    change = {VERDICTS[data["to"]]: 1}
    if data.get("from") == "verified" and data["to"] == "false_alarm":
        change["verified"] = -1  # a verdict reversed
    return change


def rates(counters: Mapping[str, int]) -> dict[str, Any]:
    verified, false_alarms = counters.get("verified", 0), counters.get("false_alarms", 0)
    judged = verified + false_alarms
    return {
        "alerts": counters.get("alerts", 0),
        "incidents": counters.get("incidents", 0),
        "verified": verified,
        "false_alarms": false_alarms,
        "false_alarm_rate": round(false_alarms / judged, 4) if judged else None,
        "quarantined": counters.get("quarantined", 0),
        "by_kind": {
            k.removeprefix("alerts_"): v for k, v in sorted(counters.items()) if k.startswith("alerts_")
        },
    }
