"""/api/v1/integration/events and /snapshot: read the event log and the snapshot."""

from __future__ import annotations

import json
from dataclasses import replace

from chalice import Blueprint, Response

from ioc_core.integration import event_log, ngsi
from ioc_core.integration.pull_api import EntitiesQuery, EventsPage, EventsQuery, Snapshot
from ioc_core.integration.snapshot import KINDS
from ioc_core.integration.wiring import event_pull, snapshot_store
from ioc_core.platform.api import cursor_key, http
from ioc_core.platform.api.cursors import CursorSigner
from ioc_core.shared.clock import SystemClock, iso

bp = Blueprint(__name__)
NO_STORE = {"Cache-Control": "no-store"}


def _context() -> str:
    # A position is valid for any type filter (it only says how far each shard was read), but
    # only for the caller it was given to.
    return f"integration-events|{http.principal().sub}"


def _signer() -> CursorSigner:
    return replace(cursor_key.signer(), ttl=event_log.RETENTION)


def _seal(position: dict[str, str]) -> str:
    return _signer().seal(event_log.encode(position), _context())


@bp.route("/events", methods=["GET"])
@http.problem_json
def pull_events() -> Response:
    query = http.query(EventsQuery)
    pull = event_pull()
    types = pull.types((query.types or "").split(","))
    opened = _signer().open(query.after, _context(), "after") if query.after else None
    page = pull.page(event_log.decode(opened), types, query.limit)
    events = [e.model_dump(exclude_none=True) for e in page.events]
    body = EventsPage(events=events, next=_seal(page.position), more=page.more)
    return http.reply(body, headers=NO_STORE)


@bp.route("/snapshot", methods=["GET"])
@http.problem_json
def get_snapshot() -> Response:
    marks = event_pull().log.watermarks()  # first: pulling from here may repeat, never skip
    store = snapshot_store()
    held = {kind.name: [e.model_dump(exclude_none=True) for e in store.active(kind.name)] for kind in KINDS}
    body = Snapshot(as_of=iso(SystemClock().now()), after=_seal(marks), **held)
    return http.reply(body, headers=NO_STORE)


@bp.route("/ngsi-ld/entities", methods=["GET"])
@http.problem_json
def ngsi_ld_entities() -> Response:
    query = http.query(EntitiesQuery)
    kind, convert = ngsi.TYPES[query.type]
    entities = [convert(event) for event in snapshot_store().active(kind)]
    return Response(
        body=json.dumps(entities, ensure_ascii=False),
        headers={"Content-Type": "application/ld+json", **NO_STORE},
    )
