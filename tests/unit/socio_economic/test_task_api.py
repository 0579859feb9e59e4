"""The task routes through the platform kit, in-process: the blueprint and TASK_OPERATIONS
agree both ways, and the views parse, call the service (on fakes) and render, with the kit's
roles, ETags and problem+json. The room's permissions are stood in by a policy of this test."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from chalice import Chalice
from chalice.test import Client
from task_fakes import NOW, TaskWorld

from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant, Policy, RoleDefinition, permission
from ioc_core.platform.api import http, openapi
from ioc_core.platform.api.routes import RouteTable
from ioc_core.platform.rooms import Label
from ioc_core.socio_economic.tasks import api

pytestmark = pytest.mark.unit

BLUEPRINT = Path(__file__).resolve().parents[3] / "functions/socio_economic/api/chalicelib/tasks.py"
ROLES = {
    "operator": "city",
    "leader": "city",
    "admin": "city",
    "statistics_officer": "city",
    "unit_staff": "unit",
}
POLICY = Policy(
    roles={name: RoleDefinition(name, Label(name, name), scope) for name, scope in ROLES.items()},  # type: ignore[arg-type]
    permissions={
        p.name: p
        for p in (
            permission(api.READ, Label("Xem", "Read"), *ROLES),
            permission(api.MANAGE, Label("Quản lý", "Manage"), "leader", "statistics_officer"),
            permission(api.REPORT, Label("Báo cáo", "Report"), "unit_staff"),
        )
    },
)
TOKENS = {
    "thongke": Principal("s-1", frozenset({Grant("statistics_officer")}), username="thongke"),
    "kinhte": Principal("s-2", frozenset({Grant("unit_staff", "KINHTE")}), username="kinhte"),
    "yte": Principal("s-3", frozenset({Grant("unit_staff", "YTE")}), username="yte"),
    "dieuhanh": Principal("s-4", frozenset({Grant("operator")}), username="dieuhanh"),
}


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("se_tasks_blueprint", BLUEPRINT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TASKS = _load()
TABLE = RouteTable(TASKS.URL_PREFIX, api.TASK_OPERATIONS)
APP = Chalice(app_name="ioc-socio-economic-tasks-test")  # once: Chalice registers a blueprint once


def _authenticate(authorization: str | None) -> Principal:
    from ioc_core.identity.principal import ANONYMOUS

    return TOKENS.get((authorization or "").removeprefix("Bearer "), ANONYMOUS)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> TaskWorld:
    world = TaskWorld()
    monkeypatch.setattr(TASKS, "task_service", lambda: world.service)
    monkeypatch.setattr(TASKS, "evidence_store", lambda: world.evidence)
    for holder in ("ioc_core.platform.access", "ioc_core.platform.api.http", "ioc_core.identity.principal"):
        monkeypatch.setattr(f"{holder}.policy", lambda: POLICY)
    return world


@pytest.fixture
def client(world: TaskWorld) -> Iterator[Client]:
    with Client(APP, stage_name="test") as test_client:
        yield test_client


http.install(APP, TABLE, authenticate=_authenticate)
APP.register_blueprint(TASKS.bp, url_prefix=TASKS.URL_PREFIX)


def call(client: Client, method: str, path: str, who: str | None, body: Any = None, **headers: str) -> Any:
    sent = {"Content-Type": "application/json", **headers}
    if who:
        sent["Authorization"] = f"Bearer {who}"
    raw = json.dumps(body).encode() if body is not None else b""
    return client.http.request(method, TASKS.URL_PREFIX + path, headers=sent, body=raw)


NEW = {
    "title": "Chuẩn bị bắn pháo hoa đêm Giao thừa",
    "source": "directive",
    "source_ref": "Thông báo 45/TB-UBND ngày 02/03/2026",
    "owner_unit": "KINHTE",
    "co_units": ["VHXH"],
    "start": "2026-03-01",
    "deadline": "2026-03-31",
}


def test_every_operation_has_a_view_and_every_view_an_operation(client: Client) -> None:
    routes = {(method, path) for path, entries in APP.routes.items() for method in entries}
    assert routes == {(op.method, op.full_path) for op in api.TASK_OPERATIONS}
    assert all(op.full_path.startswith("/api/v1/socio-economic/tasks") for op in api.TASK_OPERATIONS)
    document = openapi.build(TABLE, "Tasks", "Task register")
    assert "patch" in document["paths"]["/api/v1/socio-economic/tasks/{task_id}"]


def test_the_office_registers_and_a_unit_reports_through_the_routes(client: Client, world: TaskWorld) -> None:
    created = call(client, "POST", "", "thongke", NEW)
    assert created.status_code == 201, created.body
    task = json.loads(created.body)
    assert task["task_id"] == "NV-2026-0001" and created.headers["ETag"] == '"1"'
    assert task["standing"]["elapsed_pct"] == 50.0 and task["standing"]["at_risk"]
    upload = call(client, "POST", "/NV-2026-0001/evidence-uploads", "kinhte",
                  {"filename": "Kế hoạch bắn pháo hoa.pdf", "content_type": "application/pdf"})  # fmt: skip
    assert upload.status_code == 201
    key = world.evidence.upload(json.loads(upload.body)["key"])
    body = {"percent": 60, "note": "Đã chọn vị trí bắn", "evidence": [key]}
    reported = call(client, "POST", "/NV-2026-0001/progress", "kinhte", body, **{"If-Match": '"1"'})
    assert reported.status_code == 200, reported.body
    doc = json.loads(reported.body)
    assert doc["percent"] == 60 and doc["progress"][0]["evidence"][0]["key"] == key
    assert doc["progress"][0]["evidence"][0]["url"].startswith("https://s3.test/")
    again = call(client, "POST", "/NV-2026-0001/progress", "kinhte", body, **{"If-Match": '"1"'})
    assert again.status_code == 409 and json.loads(again.body)["current_version"] == 2


def test_roles_and_units_are_checked(client: Client, world: TaskWorld) -> None:
    assert call(client, "POST", "", "kinhte", NEW).status_code == 403  # a unit does not register
    assert call(client, "POST", "", None, NEW).status_code == 401
    call(client, "POST", "", "thongke", NEW)
    note = {"percent": 10, "note": "Không phải đơn vị được giao"}
    assert call(client, "POST", "/NV-2026-0001/progress", "yte", note).status_code == 403
    assert call(client, "POST", "/NV-2026-0001/progress", "dieuhanh", note).status_code == 403
    assert call(client, "GET", "/NV-2026-0001", "yte").status_code == 404  # not one of its units'
    assert call(client, "GET", "/NV-2026-0001", "dieuhanh").status_code == 200
    board = json.loads(call(client, "GET", "", "yte").body)
    assert board["tasks"] == []


def test_bad_input_is_a_400_naming_the_field(client: Client, world: TaskWorld) -> None:
    before = call(client, "POST", "", "thongke", NEW | {"deadline": "2026-02-01"})
    assert before.status_code == 400
    assert [e["field"] for e in json.loads(before.body)["errors"]] == ["deadline"]
    bad = call(client, "POST", "", "thongke", NEW | {"source": "rumour", "owner_unit": "kinh te"})
    assert bad.status_code == 400
    assert {e["field"] for e in json.loads(bad.body)["errors"]} == {"source", "owner_unit"}
    call(client, "POST", "", "thongke", NEW)
    percent = call(client, "POST", "/NV-2026-0001/progress", "kinhte", {"percent": 120, "note": "x"})
    assert percent.status_code == 400 and json.loads(percent.body)["errors"][0]["field"] == "percent"
    assert call(client, "GET", "/NV-0001", "thongke").status_code in (400, 404)


def test_patch_needs_if_match_and_changes_what_it_names(client: Client, world: TaskWorld) -> None:
    call(client, "POST", "", "thongke", NEW)
    assert call(client, "PATCH", "/NV-2026-0001", "thongke", {"deadline": "2026-04-30"}).status_code == 428
    changed = call(
        client, "PATCH", "/NV-2026-0001", "thongke", {"deadline": "2026-04-30"}, **{"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.body
    doc = json.loads(changed.body)
    assert (
        doc["deadline"] == "2026-04-30" and doc["title"] == NEW["title"] and changed.headers["ETag"] == '"2"'
    )


def test_the_board_filters_and_closes(client: Client, world: TaskWorld) -> None:
    call(client, "POST", "", "thongke", NEW)
    call(client, "POST", "", "thongke", NEW | {"owner_unit": "YTE", "co_units": [], "deadline": "2026-12-31"})
    board = json.loads(call(client, "GET", "?at_risk=true", "dieuhanh").body)
    assert [t["task_id"] for t in board["tasks"]] == ["NV-2026-0001"] and board["at_risk"] == 1
    assert "progress" not in board["tasks"][0] and board["tasks"][0]["reports"] == 0
    mine = json.loads(call(client, "GET", "?owner_unit=YTE", "dieuhanh").body)
    assert [t["task_id"] for t in mine["tasks"]] == ["NV-2026-0002"]
    done = call(client, "POST", "/NV-2026-0001/complete", "thongke", {"note": "Đã hoàn thành"})
    assert done.status_code == 200 and json.loads(done.body)["status"] == "done"
    cancel = call(client, "POST", "/NV-2026-0002/cancel", "thongke", {})
    assert cancel.status_code == 400
    closed = json.loads(call(client, "GET", "?status=done", "dieuhanh").body)
    assert [t["task_id"] for t in closed["tasks"]] == ["NV-2026-0001"]
    assert world.clock.now() == NOW


def test_units_are_the_citys_and_the_replies_name_them(client: Client, world: TaskWorld) -> None:
    from ioc_core.platform.units import default_directory

    world.service.unit_exists = default_directory().known  # as the room wires it
    stranger = call(client, "POST", "", "thongke", NEW | {"co_units": ["QLDT", "UBND_99999"]})
    assert stranger.status_code == 400
    assert [e["field"] for e in json.loads(stranger.body)["errors"]] == ["co_units[1]"]
    created = call(client, "POST", "", "thongke", NEW | {"co_units": ["QLDT", "UBND_22918"]})
    assert created.status_code == 201, created.body
    names = json.loads(created.body)["unit_names"]
    assert names["UBND_22918"] == {"vi": "UBND Phường Mũi Né", "en": "People's Committee of Mui Ne Ward"}
    assert names["QLDT"]["vi"] == "Phòng Quản lý đô thị" and names["KINHTE"]["en"] == "Economy Office"
    [row] = json.loads(call(client, "GET", "", "thongke").body)["tasks"]
    assert row["unit_names"] == names


def test_the_owner_unit_acknowledges_through_the_route(client: Client, world: TaskWorld) -> None:
    call(client, "POST", "", "thongke", NEW)
    assert call(client, "POST", "/NV-2026-0001/acknowledge", "yte", {}).status_code == 403
    assert call(client, "POST", "/NV-2026-0001/acknowledge", "thongke", {}).status_code == 403  # the office
    acked = call(client, "POST", "/NV-2026-0001/acknowledge", "kinhte", {}, **{"If-Match": '"1"'})
    assert acked.status_code == 200, acked.body
    assert json.loads(acked.body)["acknowledged_at"] and acked.headers["ETag"] == '"2"'
    stale = call(client, "POST", "/NV-2026-0001/acknowledge", "kinhte", {"version": 1})
    assert stale.status_code == 409
