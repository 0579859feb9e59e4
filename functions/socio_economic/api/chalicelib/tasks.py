"""/api/v1/socio-economic/tasks routes: parse, call one service, render. The contract (route
table, roles, request models) is ioc_core.socio_economic.tasks.api; the platform kit checks
the caller before a view runs and turns errors into RFC 9457 problem+json.

Registered by the room's app: ``app.register_blueprint(tasks.bp, url_prefix=tasks.URL_PREFIX)``.
"""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Response

from ioc_core.platform.api import http
from ioc_core.platform.api.routes import JSON
from ioc_core.platform.units import default_directory
from ioc_core.shared.errors import NotFound
from ioc_core.socio_economic.tasks import api
from ioc_core.socio_economic.tasks.models import Task, TaskStatus
from ioc_core.socio_economic.tasks.rules import Assessment
from ioc_core.socio_economic.tasks.service import Actor, TaskChanges, TaskDraft
from ioc_core.socio_economic.tasks.wiring import evidence_store, task_service

URL_PREFIX = "/api/v1" + api.PATH
bp = Blueprint(__name__)


def _reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": JSON, **(headers or {})},
    )


def _actor() -> Actor:
    """The caller as the service sees them: their units (as a reporter) and whether they are
    the registering office (they manage tasks)."""
    who, _ = http.signed_in()
    reports = who.reach(api.REPORT)
    return Actor(
        username=who.username or who.sub,
        units=reports.units,
        office=who.can(api.MANAGE) or reports.city,
    )


def _visible(task: Task) -> bool:
    """A unit's staff read the tasks their units own or co-operate on; city roles read all."""
    reach = http.principal().reach(api.READ)
    return reach.city or bool(reach.units & task.units)


def _standing(assessment: Assessment) -> dict[str, Any]:
    projection = assessment.projection
    return {
        "elapsed_pct": assessment.elapsed_pct,
        "gap": assessment.gap,
        "at_risk": assessment.at_risk,
        "overdue": assessment.overdue,
        "projected_finish": projection.finish.isoformat() if projection.finish else None,
        "projection": projection.method,
        "late_by_days": projection.late_by_days,
    }


def _summary(task: Task, assessment: Assessment) -> dict[str, Any]:
    """A board row: the task without its history (its count and latest report instead)."""
    doc = task.model_dump(mode="json", exclude={"progress"})
    latest = task.progress[-1] if task.progress else None
    doc["reports"] = len(task.progress)
    doc["last_report_at"] = latest.model_dump(mode="json")["at"] if latest else None
    doc["standing"] = _standing(assessment)
    doc["unit_names"] = default_directory().names([task.owner_unit, *task.co_units])
    return doc


def _tagged(task: Task, status: int = 200) -> Response:
    """The whole task with its history, its evidence links and its version as the ETag."""
    doc = task.model_dump(mode="json")
    store = evidence_store()
    for entry in doc["progress"]:
        entry["evidence"] = [{"key": key, "url": store.url(key)} for key in entry["evidence"]]
    doc["standing"] = _standing(task_service().assess(task))
    doc["unit_names"] = default_directory().names([task.owner_unit, *task.co_units])
    return _reply(doc, status, http.etag(task.version))


def _readable(task_id: str) -> Task:
    task = task_service().get(task_id)
    if not _visible(task):
        raise NotFound(f"Không có nhiệm vụ này / No task {task_id[:40]}.")
    return task


@bp.route("", methods=["GET"])
@http.problem_json
def task_board() -> Response:
    query = http.query(api.BoardQuery)
    at_risk = None if query.at_risk is None else query.at_risk == "true"
    entries = task_service().board(query.owner_unit, TaskStatus(query.status), at_risk)
    rows = [_summary(e.task, e.assessment) for e in entries if _visible(e.task)]
    return _reply(
        {
            "tasks": rows,
            "at_risk": sum(r["standing"]["at_risk"] for r in rows),
            "overdue": sum(r["standing"]["overdue"] for r in rows),
        }
    )


@bp.route("", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def register_task() -> Response:
    new = http.body(api.NewTask)
    draft = TaskDraft(
        title=new.title,
        title_en=new.title_en,
        source=new.source,
        source_ref=new.source_ref,
        owner_unit=new.owner_unit,
        co_units=tuple(new.co_units),
        start=new.start,
        deadline=new.deadline,
        expected_output=new.expected_output,
    )
    return _tagged(task_service().register(draft, _actor()), 201)


@bp.route("/{task_id}", methods=["GET"])
@http.problem_json
def get_task(task_id: str) -> Response:
    return _tagged(_readable(task_id))


@bp.route("/{task_id}", methods=["PATCH"], content_types=http.ANY_BODY)
@http.problem_json
def change_task(task_id: str) -> Response:
    patch = http.body(api.TaskPatch)
    version = http.required_version(patch)
    changes = TaskChanges(
        **{k: v for k, v in patch.model_dump(exclude={"version"}).items() if k in patch.model_fields_set}
    )
    return _tagged(task_service().update(task_id, changes, _actor(), version))


@bp.route("/{task_id}/progress", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def report_progress(task_id: str) -> Response:
    sent = http.body(api.ProgressReport)
    task = task_service().report_progress(
        task_id, _actor(), sent.percent, sent.note, sent.evidence, http.expected_version(sent)
    )
    return _tagged(task)


@bp.route("/{task_id}/acknowledge", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def acknowledge_task(task_id: str) -> Response:
    sent = http.body(api.TaskChange)
    return _tagged(task_service().acknowledge(task_id, _actor(), http.expected_version(sent)))


@bp.route("/{task_id}/evidence-uploads", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def presign_evidence(task_id: str) -> Response:
    sent = http.body(api.EvidenceUpload)
    return _reply(task_service().presign_evidence(task_id, _actor(), sent.filename, sent.content_type), 201)


@bp.route("/{task_id}/complete", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def complete_task(task_id: str) -> Response:
    sent = http.body(api.CompleteTask)
    return _tagged(task_service().complete(task_id, _actor(), sent.note, http.expected_version(sent)))


@bp.route("/{task_id}/cancel", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def cancel_task(task_id: str) -> Response:
    sent = http.body(api.CancelTask)
    return _tagged(task_service().cancel(task_id, _actor(), sent.reason, http.expected_version(sent)))
