"""GET /api/v1/overview: every room's tile from its projections, for leaders and operators."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.api
WARD = "22945"  # Phường Phan Thiết


def _report_event(short: str, report_id: str, at: datetime, **data: Any) -> CloudEvent:
    base = {"report_id": report_id, "service_code": "pothole", "ward_code": WARD, "unit": "QLDT"}
    return CloudEvent.new(short, subsystem="field_reporting", subject=report_id, at=at, data=base | data)


def _live_a_little(now: datetime) -> None:
    """Three reports today: one resolved and rated 5, one past due, one rated 2 last month."""
    from ioc_core.cameras import events as cam
    from ioc_core.cameras.incidents import default_policy, grow, open_incident
    from ioc_core.cameras.models import AlertKind, CameraAlert, IncidentStatus
    from ioc_core.cameras.stats import deltas as camera_deltas
    from ioc_core.cameras.wiring import stats_projection as camera_projection
    from ioc_core.field_reporting.stats import projection_deltas
    from ioc_core.field_reporting.wiring import stats_projection

    last_month = now.replace(day=1) - timedelta(days=3)
    stream = [
        _report_event("field_reporting.report.submitted", "PT-1", now),
        _report_event(
            "field_reporting.report.status_changed",
            "PT-1",
            now,
            **{"from": "in_progress", "to": "resolved"},
            on_time=True,
            overdue=False,
            was_overdue=False,
        ),
        _report_event("field_reporting.report.rated", "PT-1", now, score=5, previous_score=None),
        _report_event("field_reporting.report.submitted", "PT-2", now),
        _report_event(
            "field_reporting.report.sla_escalated",
            "PT-2",
            now,
            clock="verify",
            overdue=True,
            was_overdue=False,
        ),
        _report_event("field_reporting.report.submitted", "PT-3", last_month),
        _report_event("field_reporting.report.rated", "PT-3", last_month, score=2, previous_score=None),
    ]
    stats_projection().apply([(e.id, projection_deltas(e)) for e in stream])
    fire = CameraAlert(alert_id="a-fire", camera_id="pt-hd-01", ward_code=WARD, zone_id="street",
                       kind=AlertKind.FIRE, confidence=0.9, severity="critical", raised_at=now)  # fmt: skip
    again = fire.model_copy(update={"alert_id": "a-fire-2"})  # the same fire, seen again
    silent = fire.model_copy(
        update={"alert_id": "a-silent", "kind": AlertKind.CAMERA_SILENT, "severity": "low"}
    )
    policy = default_policy()
    burning = open_incident(fire, policy, [], now)
    dead = open_incident(silent, policy, [], now)
    events = [cam.alert_raised(a) for a in (fire, again, silent)]
    events += [cam.incident_opened(burning), cam.incident_updated(grow(burning, again, policy), "a-fire-2")]
    events.append(cam.incident_opened(dead))
    closed = cam.incident_status_changed(
        dead.model_copy(update={"status": IncidentStatus.CLOSED}), dead.status, now, "operator"
    )
    camera_projection().apply([(e.id, d) for e in [*events, closed] if (d := camera_deltas(e))])


def _figures(tile: dict[str, Any], part: str = "figures") -> dict[str, Any]:
    return {f["key"]: f["value"] for f in tile[part]}


def test_leaders_see_every_room_s_tile_with_its_figures(
    overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    now = datetime.now(VN_TZ)
    _live_a_little(now)
    answer = overview_client.http.get("/api/v1/overview", headers=bearer("leader"))
    assert answer.status_code == 200, answer.body
    tiles = {t["room"]: t for t in json.loads(answer.body)["tiles"]}
    assert list(tiles) == ["field_reporting", "cameras", "socio_economic"]  # the rooms' order
    indicators = _figures(tiles["socio_economic"])  # no figures entered on this stack: nothing off track
    assert indicators == dict.fromkeys(
        ("off_track", "at_risk", "on_track", "awaiting_approval", "tasks_at_risk", "tasks_overdue"), 0
    )
    reports = _figures(tiles["field_reporting"])
    assert reports["received"] == 3 and reports["resolved"] == 1 and reports["overdue"] == 1
    assert reports["received_today"] == 2 and reports["resolved_today"] == 1
    assert reports["satisfaction_today"] == 100.0 and reports["satisfaction"] == 50.0
    worst = tiles["field_reporting"]["ranking"]["items"][0]
    assert worst["key"] == WARD and worst["value"] == 1 and worst["label"]["vi"].startswith("Phường")
    cameras = tiles["cameras"]
    assert _figures(cameras, "alerts")["fire"] == 1  # two alerts, one fire
    assert _figures(cameras)["active_alerts"] == 1 and _figures(cameras)["silent_cameras"] == 0  # closed
    assert next(a for a in cameras["alerts"] if a["key"] == "fire")["tone"] == "bad"


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("resident", 403), ("unit_staff", 403), ("operator", 200)]
)
def test_the_overview_is_for_leaders_operators_and_administrators(
    overview_client: Client, bearer: Callable[[str], dict[str, str]], role: str | None, status: int
) -> None:
    answer = overview_client.http.get("/api/v1/overview", headers=bearer(role) if role else {})
    assert answer.status_code == status
