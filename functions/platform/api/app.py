"""Platform HTTP API (Chalice): the leader's overview under /api/v1/overview (every room's tile
from its projections) and the audit log under /api/v1/audit. The platform kit checks every
route against its table."""

from __future__ import annotations

from chalice import Chalice

from chalicelib import audit, routes
from ioc_core.platform.api import http
from ioc_core.platform.api_v1 import TABLE
from ioc_core.platform.audit.api import TABLE as AUDIT

app = Chalice(app_name="ioc-platform")
http.install(app, TABLE)
http.install(app, AUDIT)
app.register_blueprint(routes.bp, url_prefix="/api/v1/overview")
app.register_blueprint(audit.bp, url_prefix="/api/v1/audit")
