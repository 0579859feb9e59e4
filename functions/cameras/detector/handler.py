"""Lambda: S3 ObjectCreated under cameras/ → snapshot analysis → alerts (idempotent per version).

Thin: the detection lives in the core layer (ioc_core.cameras); OpenCV and numpy come from
the vision layer. Bad snapshots are quarantined inside; only infrastructure failures raise,
and S3's bounded asynchronous retries then the DLQ take over.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.cameras.ports import SnapshotObject
from ioc_core.cameras.wiring import detection_service
from ioc_core.platform import observability

logger = observability.logger()
metrics = observability.metrics()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcomes = []
    for record in S3Event(event).records:
        s3 = record.s3
        obj = SnapshotObject(
            bucket=s3.bucket.name,
            key=unquote_plus(s3.get_object.key),  # S3 event keys are URL-encoded
            version_id=s3.get_object.version_id,
            etag=s3.get_object.etag or "",
            size=int(s3.get_object.size or 0),
        )
        outcome = detection_service().process(obj)
        metrics.add_metric(name=f"snapshots_{outcome.status}", unit=MetricUnit.Count, value=1)
        if outcome.status == "quarantined":
            metrics.add_metric(name=f"quarantined_{outcome.reason}", unit=MetricUnit.Count, value=1)
        if outcome.alerts:
            metrics.add_metric(name="alerts_raised", unit=MetricUnit.Count, value=len(outcome.alerts))
        outcomes.append(
            {
                "key": obj.key,
                "status": outcome.status,
                "reason": outcome.reason,
                "alerts": [a.alert_id for a in outcome.alerts],
            }
        )
    return {"outcomes": outcomes}
