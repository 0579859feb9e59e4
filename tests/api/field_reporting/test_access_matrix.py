"""Field Reporting's route table covers its app's routes both ways (the route × caller
policy of every API is tests/api/platform/test_route_policy.py)."""

from __future__ import annotations

import pytest

from ioc_core.field_reporting.api_v1 import openapi
from workflow_client import Session

pytestmark = pytest.mark.api


def test_the_route_table_covers_every_api_route(session: Session) -> None:
    app = session.client._app
    routed = {(m, p) for p, entries in app.routes.items() if p.startswith(openapi.PREFIX) for m in entries}
    table = {(op.method, op.full_path) for op in openapi.OPERATIONS}
    assert routed == table
