"""Identity HTTP API (Chalice) under /api/v1/auth: residents sign in by phone and a one-time
code, staff by password and an authenticator code; tokens are refreshed; locally the dev IdP
also serves its keys. The platform kit checks every route against identity's route table."""

from __future__ import annotations

from chalice import Chalice

from chalicelib import routes, staff
from ioc_core.identity.api_v1 import TABLE
from ioc_core.platform.api import http

app = Chalice(app_name="ioc-identity")
http.install(app, TABLE)
app.register_blueprint(routes.bp, url_prefix="/api/v1/auth")
app.register_blueprint(staff.bp, url_prefix="/api/v1/auth")
