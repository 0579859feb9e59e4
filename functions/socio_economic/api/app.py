"""Socio-economic HTTP API (Chalice) under /api/v1/socio-economic: the indicator catalogue and
dashboard, one indicator's history with its approvals, revisions, targets and forecast, entry
and bulk import, maker-checker approval, targets, the meeting pack and the task register.

Routes are thin: parse, call one service, render. The domain lives in ioc_core.socio_economic;
the platform kit checks every route against the room's route table, failing closed.
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib import routes, tasks
from ioc_core.platform.api import http
from ioc_core.socio_economic.api_v1 import TABLE
from ioc_core.socio_economic.importing import XLSX

app = Chalice(app_name="ioc-socio-economic")
app.api.binary_types.append(XLSX)  # an imported workbook arrives as bytes, the entry template leaves so
http.install(app, TABLE)
app.register_blueprint(routes.bp, url_prefix="/api/v1/socio-economic")
app.register_blueprint(tasks.bp, url_prefix=tasks.URL_PREFIX)
