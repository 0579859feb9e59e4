"""SQS event source mappings, as Lambda runs them, for the local event pump: a queue consumer's
queue is received in batches (messages still delayed stay on the queue, as in AWS), handed to
the handler in the real SQS event shape, and the messages it did not report as failed are
deleted; a failed one comes back after its visibility timeout, and past ``max_receives``
moves to the consumer's dead-letter queue (the queue's redrive policy in AWS)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import boto3

from ioc_core.local.lambdas import Handler, LocalContext, load_handler
from ioc_core.platform.resources import QueueConsumer
from ioc_core.settings import Settings

log = logging.getLogger("ioc.pump.sqs")
# Locally a failed message comes back sooner than the consumer's timeout in AWS.
LOCAL_VISIBILITY_SECONDS = 5


class QueueMapping:
    def __init__(self, consumer: QueueConsumer, settings: Settings, handler: Handler | None = None) -> None:
        self.consumer = consumer
        self.settings = settings
        self.handler = handler or load_handler(consumer.handler)
        self.context = LocalContext(function_name=settings.name(consumer.function))
        self.sqs = boto3.client("sqs", region_name=settings.region, endpoint_url=settings.aws_endpoint)
        self.queue_url = self.sqs.get_queue_url(QueueName=settings.name(consumer.queue))["QueueUrl"]
        self.arn = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        self.invocations = self.delivered = self.failures = self.dead_lettered = 0
        self.stopping = threading.Event()

    def poll(self) -> int:
        done = 0
        while not self.stopping.is_set():
            messages = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=min(10, self.consumer.batch_size),
                WaitTimeSeconds=0, VisibilityTimeout=LOCAL_VISIBILITY_SECONDS, AttributeNames=["All"],
            ).get("Messages", [])  # fmt: skip
            if not messages:
                return done
            done += self._deliver(messages)
        return done

    def _deliver(self, messages: list[dict[str, Any]]) -> int:
        fresh: list[dict[str, Any]] = []
        dead: list[dict[str, Any]] = []
        for m in messages:
            receives = int(m.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            (dead if receives > self.consumer.max_receives else fresh).append(m)
        for message in dead:
            self._dead_letter(message)
        if not fresh:
            return 0
        self.invocations += 1
        try:
            response = self.handler({"Records": [self._record(m) for m in fresh]}, self.context) or {}
            failed = {f["itemIdentifier"] for f in response.get("batchItemFailures") or []}
        except Exception:
            log.exception("%s failed on a batch of %d", self.consumer.function, len(fresh))
            failed = {m["MessageId"] for m in fresh}
        self.failures += len(failed)
        handled = [m for m in fresh if m["MessageId"] not in failed]
        for message in handled:
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        self.delivered += len(handled)
        return len(handled)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.arn,
            "awsRegion": self.settings.region,
        }

    def _dead_letter(self, message: dict[str, Any]) -> None:
        url = self.sqs.get_queue_url(QueueName=self.settings.name(self.consumer.dlq))["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        self.dead_lettered += 1
        log.error("%s: a message sent to %s", self.consumer.function, self.consumer.dlq)
