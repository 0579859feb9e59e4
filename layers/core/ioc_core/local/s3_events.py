"""S3 event notifications and schedules, as AWS delivers them, for the local event pump.

In AWS, S3 invokes an S3 consumer asynchronously, one event per object, retrying a failed
invocation a bounded number of times before sending it to the on-failure destination (the
DLQ). Locally, provisioning points each consumer's bucket and prefix at an SQS queue (S3 →
SQS notifications work in moto); the pump drains it and calls the handler with
``{"Records": [record]}``, the real S3 event shape (keys URL-encoded, as S3 sends them).
Retries here are immediate, not spaced over minutes as Lambda spaces them.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3

from ioc_core.local.lambdas import Handler, LocalContext, load_handler
from ioc_core.platform.resources import Resources, S3Consumer
from ioc_core.settings import Settings

log = logging.getLogger("ioc.pump.s3")


def notification_queue(settings: Settings, consumer: S3Consumer) -> str:
    """The local stand-in for S3's asynchronous invocation of ``consumer``."""
    return settings.name(f"{consumer.function}-s3-events")


def configure_notifications(settings: Settings, resources: Resources) -> None:
    """Idempotent: a queue per S3 consumer and the bucket notifications that feed it."""
    kw = {"region_name": settings.region, "endpoint_url": settings.aws_endpoint}
    sqs, s3 = boto3.client("sqs", **kw), boto3.client("s3", **kw)
    by_bucket: dict[str, list[dict[str, Any]]] = {}
    for consumer in resources.s3_consumers:
        url = sqs.create_queue(QueueName=notification_queue(settings, consumer))["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        rules = [{"Name": "prefix", "Value": consumer.prefix}]
        if consumer.suffix:
            rules.append({"Name": "suffix", "Value": consumer.suffix})
        by_bucket.setdefault(settings.name(consumer.bucket), []).append(
            {
                "Id": consumer.function,
                "QueueArn": arn,
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": rules}},
            }
        )
    for bucket, configurations in by_bucket.items():
        current = s3.get_bucket_notification_configuration(Bucket=bucket).get("QueueConfigurations", [])
        if sorted(c["Id"] for c in current) != sorted(c["Id"] for c in configurations):
            s3.put_bucket_notification_configuration(
                Bucket=bucket, NotificationConfiguration={"QueueConfigurations": configurations}
            )


class S3Mapping:
    """One S3 consumer: its notification queue → the handler, retries, then the DLQ."""

    def __init__(self, consumer: S3Consumer, settings: Settings, handler: Handler | None = None) -> None:
        self.consumer = consumer
        self.settings = settings
        self.handler = handler or load_handler(consumer.handler)
        self.context = LocalContext(function_name=settings.name(consumer.function))
        self.sqs = boto3.client("sqs", region_name=settings.region, endpoint_url=settings.aws_endpoint)
        self.queue_url = self.sqs.get_queue_url(QueueName=notification_queue(settings, consumer))["QueueUrl"]
        self.invocations = self.delivered = self.failures = self.dead_lettered = 0
        self.stopping = threading.Event()  # set by EventPump.stop: finish the event, then return

    def poll(self) -> int:
        done = 0
        while not self.stopping.is_set():
            messages = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=300
            ).get("Messages", [])
            if not messages:
                return done
            for message in messages:
                body = json.loads(message["Body"])
                for record in body.get("Records", []):  # s3:TestEvent has none
                    self._invoke({"Records": [record]})
                    done += 1
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return done

    def _invoke(self, event: dict[str, Any]) -> None:
        error: Exception | None = None
        for _ in range(1 + self.consumer.retry_attempts):
            self.invocations += 1
            try:
                self.handler(event, self.context)
                self.delivered += 1
                return
            except Exception as failure:  # what Lambda would record as an Unhandled error
                error = failure
                self.failures += 1
                log.exception("%s failed on an S3 event", self.consumer.function)
        self._dead_letter(event, error)

    def _dead_letter(self, event: dict[str, Any], error: Exception | None) -> None:
        """The on-failure destination record of an asynchronous invocation."""
        url = self.sqs.get_queue_url(QueueName=self.settings.name(self.consumer.dlq))["QueueUrl"]
        body = {
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(),
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"{self.context.invoked_function_arn}:$LATEST",
                "condition": "RetriesExhausted",
                "approximateInvokeCount": 1 + self.consumer.retry_attempts,
            },
            "requestPayload": event,
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled",
            },
            "responsePayload": {"errorMessage": str(error), "errorType": type(error).__name__},
        }
        self.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body, default=str))
        self.dead_lettered += 1
        log.error("%s: an S3 event sent to %s", self.consumer.function, self.consumer.dlq)
