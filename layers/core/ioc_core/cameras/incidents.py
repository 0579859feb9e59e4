"""Camera alerts become incidents: one fire is one incident, whatever the number of snapshots
that saw it.

An alert of the same camera, zone and kind as an incident still being worked, within the
policy's window of that incident's latest alert, joins it as evidence on its timeline; the
incident's severity rises as it grows (more alerts, longer, surer). The join is decided when
the detector (or the health check) commits the alert, in the same transaction: the camera's
state points at each zone's latest incident, so the next alert finds it with the state it
reads anyway. An alert already on an incident's timeline changes nothing (idempotent by id).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ioc_core.cameras import events
from ioc_core.cameras.models import (
    JOINABLE,
    SEVERITIES,
    AlertKind,
    CameraAlert,
    CameraState,
    Incident,
    IncidentAction,
    IncidentEvidence,
)
from ioc_core.cameras.ports import IncidentRepository, Roster
from ioc_core.shared.cloudevents import CloudEvent

POLICY_PATH = Path(__file__).resolve().parent / "data" / "incident_policy.json"
PAGED_KINDS = (AlertKind.FIRE, AlertKind.SMOKE)  # the on-duty operator hears of these at once


@dataclass(frozen=True)
class IncidentPolicy:
    join_window: timedelta = timedelta(minutes=30)
    rise_alerts: tuple[int, ...] = (3, 6)
    rise_minutes: tuple[float, ...] = (15,)
    rise_confidence: tuple[float, ...] = (0.9,)
    # kind → (Field Reporting service code, the answers it requires, as JSON)
    report_services: tuple[tuple[str, tuple[str, str]], ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> IncidentPolicy:
        rises = data.get("rises", {})
        return cls(
            join_window=timedelta(minutes=float(data["join_window_minutes"])),
            rise_alerts=tuple(int(n) for n in rises.get("alerts", ())),
            rise_minutes=tuple(float(n) for n in rises.get("minutes", ())),
            rise_confidence=tuple(float(n) for n in rises.get("confidence", ())),
            report_services=tuple(
                (kind, (str(spec["service_code"]), json.dumps(spec.get("attributes", {}), sort_keys=True)))
                for kind, spec in sorted(data.get("report_services", {}).items())
            ),
        )

    def report_service(self, kind: AlertKind) -> tuple[str, dict[str, Any]] | None:
        """The service a linked field report of ``kind`` is filed under, and its answers."""
        found = dict(self.report_services).get(kind.value)
        return (found[0], json.loads(found[1])) if found else None


@cache
def default_policy(path: Path = POLICY_PATH) -> IncidentPolicy:
    return IncidentPolicy.from_data(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class IncidentChange:
    """An incident to write with an alert: ``expected_version`` 0 for a new one."""

    incident: Incident
    expected_version: int


def incident_id_for(alert: CameraAlert) -> str:
    """Derived from the alert that opened it: a retried commit opens the same incident."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"incident#{alert.alert_id}"))


def severity_of(timeline: list[IncidentEvidence], policy: IncidentPolicy) -> str:
    """The worst alert's severity, one step up for each growth rule met, at most critical."""
    rank = max(SEVERITIES.index(e.severity) if e.severity in SEVERITIES else 0 for e in timeline)
    minutes = (max(e.at for e in timeline) - min(e.at for e in timeline)).total_seconds() / 60
    peak = max(e.confidence for e in timeline)
    rank += sum(len(timeline) >= n for n in policy.rise_alerts)
    rank += sum(minutes >= m for m in policy.rise_minutes)
    rank += sum(peak >= c for c in policy.rise_confidence)
    return SEVERITIES[min(rank, len(SEVERITIES) - 1)]


def evidence_of(alert: CameraAlert) -> IncidentEvidence:
    return IncidentEvidence(
        alert_id=alert.alert_id,
        at=alert.raised_at,
        confidence=alert.confidence,
        severity=alert.severity,
        snapshots=alert.snapshots,
        box=alert.box,
        evidence=alert.evidence,
    )


def joins(incident: Incident, alert: CameraAlert, policy: IncidentPolicy) -> bool:
    same = (incident.camera_id, incident.zone_id, incident.kind) == (
        alert.camera_id,
        alert.zone_id,
        alert.kind,
    )
    return (
        same
        and incident.status in JOINABLE
        and abs(alert.raised_at - incident.updated_at) <= policy.join_window
    )


def open_incident(alert: CameraAlert, policy: IncidentPolicy, paged: list[str], at: datetime) -> Incident:
    timeline = [evidence_of(alert)]
    return Incident(
        incident_id=incident_id_for(alert),
        camera_id=alert.camera_id,
        ward_code=alert.ward_code,
        zone_id=alert.zone_id,
        kind=alert.kind,
        severity=severity_of(timeline, policy),
        peak_confidence=alert.confidence,
        opened_at=alert.raised_at,
        updated_at=alert.raised_at,
        timeline=timeline,
        paged=paged,
        history=[
            IncidentAction(action="opened", by=alert.history[0].by if alert.history else "detector", at=at)
        ],
    )


def grow(incident: Incident, alert: CameraAlert, policy: IncidentPolicy) -> Incident:
    """The incident with the alert on its timeline (in time order) and its severity again."""
    grown = incident.model_copy(deep=True)
    grown.timeline = sorted([*grown.timeline, evidence_of(alert)], key=lambda e: e.at)
    grown.severity = max(grown.severity, severity_of(grown.timeline, policy), key=SEVERITIES.index)
    grown.peak_confidence = max(grown.peak_confidence, alert.confidence)
    grown.updated_at = max(grown.updated_at, alert.raised_at)
    grown.version = incident.version + 1
    return grown


class IncidentBook:
    """Where each new alert goes: onto the incident it belongs to, or a new one."""

    def __init__(
        self, incidents: IncidentRepository, roster: Roster, policy: IncidentPolicy | None = None
    ) -> None:
        self.incidents = incidents
        self.roster = roster
        self.policy = policy or default_policy()

    def take(
        self, state: CameraState, alerts: list[CameraAlert], at: datetime
    ) -> tuple[list[IncidentChange], list[CloudEvent]]:
        """The incidents to write with ``alerts`` and their events; ``state`` (the camera's
        state about to be committed with them) learns each zone's latest incident."""
        changed: dict[str, IncidentChange] = {}
        staged: list[CloudEvent] = []
        for alert in sorted(alerts, key=lambda a: a.raised_at):
            key = f"{alert.zone_id}#{alert.kind.value}"
            current = self._current(state, key, changed)
            if current is not None and current.has(alert.alert_id):
                continue  # a redelivered alert: already evidence
            if current is not None and joins(current, alert, self.policy):
                incident = grow(current, alert, self.policy)
                base = (
                    changed[current.incident_id].expected_version
                    if current.incident_id in changed
                    else current.version
                )
                staged.append(events.incident_updated(incident, alert.alert_id))
            else:
                paged = [self.roster.on_duty(alert.raised_at)] if alert.kind in PAGED_KINDS else []
                incident = open_incident(alert, self.policy, paged, at)
                base = 0
                staged.append(events.incident_opened(incident))
                staged += [events.operator_paged(incident, who, at) for who in paged]
            changed[incident.incident_id] = IncidentChange(incident, base)
            state.incidents[key] = incident.incident_id
        return list(changed.values()), staged

    def _current(self, state: CameraState, key: str, changed: dict[str, IncidentChange]) -> Incident | None:
        incident_id = state.incidents.get(key)
        if incident_id is None:
            return None
        if incident_id in changed:
            return changed[incident_id].incident
        return self.incidents.get(incident_id)
