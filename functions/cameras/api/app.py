"""Cameras HTTP API (Chalice) under /api/v1/cameras: the camera map with health, the alert
queue, the incident queue with its timelines, operators' verify / dispatch / close, per-camera
false-alarm rates, and presigned snapshot uploads for camera gateways.

Routes are thin: parse, call one service, render. The domain lives in ioc_core.cameras; the
platform kit checks every route against the cameras' route table, failing closed.
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib import routes
from ioc_core.cameras.api_v1 import TABLE
from ioc_core.platform.api import http

app = Chalice(app_name="ioc-cameras")
http.install(app, TABLE)
app.register_blueprint(routes.bp, url_prefix="/api/v1/cameras")
