"""Platform HTTP API (Chalice) under /api/v1/overview: the leader's overview, every room's
tile from its projections. The platform kit checks every route against its table."""

from __future__ import annotations

from chalice import Chalice

from chalicelib import routes
from ioc_core.platform.api import http
from ioc_core.platform.api_v1 import TABLE

app = Chalice(app_name="ioc-platform")
http.install(app, TABLE)
app.register_blueprint(routes.bp, url_prefix="/api/v1/overview")
