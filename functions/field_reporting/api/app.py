"""Field Reporting HTTP API (Chalice): Open311 GeoReport v2 and the mobile JSON API.

Routes are thin: parse the wire format, call the intake service, render. The domain lives
in the core layer (ioc_core.field_reporting); each blueprint maps errors to its own format.
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib import access, admin, auth, http, mobile, open311, residents, workflow

app = Chalice(app_name="ioc-field-reporting")
app.api.binary_types.append("multipart/form-data")
app.register_blueprint(open311.bp, url_prefix="/open311/v2")
app.register_blueprint(mobile.bp, url_prefix="/api/v1")
# Workflow (issue 4): sign-in, the console's workflow, the resident's own reports, administration.
# Every /api/v1 route passes the access middleware: its roles come from the OpenAPI route table.
app.register_blueprint(access.bp)
app.register_blueprint(http.bp)  # no routes: lends the shared helpers the current request
app.register_blueprint(auth.bp, url_prefix="/api/v1")
app.register_blueprint(workflow.bp, url_prefix="/api/v1")
app.register_blueprint(residents.bp, url_prefix="/api/v1")
app.register_blueprint(admin.bp, url_prefix="/api/v1")

# Open311 clients look for discovery at the site root as well as under the v2 base.
app.route("/discovery.json", content_types=open311.ANY_TYPE)(open311.discovery)
app.route("/discovery.xml", content_types=open311.ANY_TYPE)(open311.discovery)
