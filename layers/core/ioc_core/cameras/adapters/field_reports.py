"""Field Reporting's intake as the cameras' FieldReports port: the report is filed by Field
Reporting's own IntakeService (its validation, ward lookup, routing, SLA and events), as the
system on the ``camera`` channel, keyed by the incident so a retry files nothing twice."""

from __future__ import annotations

from ioc_core.cameras.ports import ReportRequest

CHANNEL = "camera"


class IntakeFieldReports:
    def file(self, request: ReportRequest) -> str:
        from ioc_core.field_reporting.models import ReportDraft
        from ioc_core.field_reporting.wiring import intake_service

        draft = ReportDraft(
            service_code=request.service_code,
            lat=request.lat,
            lon=request.lon,
            description=request.description,
            attributes=dict(request.attributes),
            channel=CHANNEL,
        )
        filed = intake_service().submit(draft, idempotency_key=f"camera-incident:{request.incident_id}")
        return filed.report.report_id
