"""Accepting a report through the Lambda handler, against a bare PynamoDB write.

The handler path is the whole of intake: an API Gateway proxy event into the Chalice
app, JSON parsing and validation, the ward from the coordinates, the SLA due time, and one
DynamoDB transaction holding the report, its idempotency claim and its outbox event. The
floor is one PynamoDB put of the same report item on the same local AWS, in the same run.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = 3.0


def api_event(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": "POST",
            "path": f"/api{path}",
            "stage": "api",
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }


def main() -> dict[str, Any]:
    from common import emit, interleaved, start_local_aws

    aws = start_local_aws()
    try:
        from ioc_core.field_reporting.adapters.dynamo import ReportItem
        from ioc_core.field_reporting.models import ReportDraft
        from ioc_core.field_reporting.wiring import intake_service
        from ioc_core.local.lambdas import LocalContext
        from ioc_core.local.provision import provision
        from ioc_core.platform.wiring import ready

        settings = ready()
        provision(settings)
        sys.path.insert(0, str(ROOT / "functions" / "field_reporting" / "api"))
        from app import app  # type: ignore[import-not-found]

        intake = intake_service()
        code = next(
            s.service_code
            for s in intake.catalogue.active_services()
            if not s.attributes and s.type == "realtime"
        )
        body = {"service_code": code, "lat": 10.928, "long": 108.102, "description": "Đèn đường không sáng"}
        template = ReportItem.of(intake.prepare(ReportDraft(service_code=code, lat=10.928, lon=108.102)))
        context = LocalContext(function_name="bench-api")

        def through_handler(i: int) -> None:
            headers = {"Content-Type": "application/json", "Idempotency-Key": f"bench-{uuid.uuid4()}"}
            response = app(api_event("/api/v1/reports", body, headers), context)
            if response["statusCode"] != 201:
                raise RuntimeError(f"handler answered {response['statusCode']}: {response['body'][:300]}")

        def bare_write(i: int) -> None:
            item = ReportItem(**{**template.attribute_values, "report_id": f"PT-B{uuid.uuid4().hex[:12]}"})
            item.save()

        handler_s, floor_s = interleaved(through_handler, bare_write)
        return emit("field_reporting.accept_report", handler_s, "s", floor_s, TARGET)
    finally:
        aws.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
