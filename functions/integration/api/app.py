"""Integration HTTP API (Chalice) under /api/v1/integration. Routes are thin: parse, call one
service, render; the platform kit checks every route against the room's route tables (the
administrators' subscriptions have their own)."""

from __future__ import annotations

from chalice import Chalice

from chalicelib import directives, pull, routes, subscriptions
from ioc_core.integration.api_v1 import TABLE
from ioc_core.integration.subscriptions_api import TABLE as SUBSCRIPTIONS
from ioc_core.platform.api import http

app = Chalice(app_name="ioc-integration")
http.install(app, TABLE)
http.install(app, SUBSCRIPTIONS)
app.register_blueprint(routes.bp, url_prefix="/api/v1/integration")
app.register_blueprint(directives.bp, url_prefix="/api/v1/integration/directives")
app.register_blueprint(pull.bp, url_prefix="/api/v1/integration")
app.register_blueprint(subscriptions.bp, url_prefix="/api/v1/integration/subscriptions")
