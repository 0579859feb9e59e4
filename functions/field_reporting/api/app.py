"""Field Reporting HTTP API (Chalice): Open311 GeoReport v2 and the mobile JSON API.

Routes are thin: parse the wire format, call the intake service, render. The domain lives
in the core layer (ioc_core.field_reporting); each blueprint maps errors to its own format.
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib import admin, auth, mobile, notifications, open311, residents, saved_filters, workflow
from ioc_core.field_reporting.api_v1.openapi import TABLE
from ioc_core.platform import exports
from ioc_core.platform.api import http

app = Chalice(app_name="ioc-field-reporting")
app.api.binary_types.append("multipart/form-data")
app.api.binary_types.append(exports.MEDIA_TYPES["xlsx"])  # exports leave as bytes, not text
app.register_blueprint(open311.bp, url_prefix="/open311/v2")
app.register_blueprint(mobile.bp, url_prefix="/api/v1")
# Sign-in, the console's workflow, the resident's own reports, the inboxes, administration.
# Every /api/v1 route passes the platform kit's middleware: its roles come from the route
# table, and a route the table does not name serves nobody; Open311 (its own keys) is outside
# the table's prefix.
http.install(app, TABLE)
app.register_blueprint(auth.bp, url_prefix="/api/v1")
app.register_blueprint(workflow.bp, url_prefix="/api/v1")
app.register_blueprint(residents.bp, url_prefix="/api/v1")
app.register_blueprint(notifications.bp, url_prefix="/api/v1")
app.register_blueprint(saved_filters.bp, url_prefix="/api/v1")
app.register_blueprint(admin.bp, url_prefix="/api/v1")

# Open311 clients look for discovery at the site root as well as under the v2 base.
app.route("/discovery.json", content_types=open311.ANY_TYPE)(open311.discovery)
app.route("/discovery.xml", content_types=open311.ANY_TYPE)(open311.discovery)
