"""Wake-ups on the forwarder's SQS queue: a message per delivery, delayed until it is due when
that is at most the queue's 15 minutes away (the sweep queues the longer waits when they come)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import boto3

from ioc_core.integration.deliveries.resources import QUEUE
from ioc_core.settings import Settings
from ioc_core.shared.clock import Clock

MAX_DELAY_SECONDS = 900
BATCH = 10  # SQS's SendMessageBatch


class SqsWakeups:
    def __init__(self, settings: Settings, clock: Clock, client: Any | None = None) -> None:
        self.settings, self.clock = settings, clock
        self.client = client or boto3.client(
            "sqs", region_name=settings.region, endpoint_url=settings.aws_endpoint
        )
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = str(self.client.get_queue_url(QueueName=self.settings.name(QUEUE))["QueueUrl"])
        return self._url

    def wake(self, delivery_ids: Sequence[tuple[str, datetime]]) -> None:
        now = self.clock.now()
        entries = []
        for delivery_id, at in delivery_ids:
            delay = max(0, math.ceil((at - now).total_seconds()))
            if delay > MAX_DELAY_SECONDS:
                continue  # the sweep finds it on the due index
            entries.append({"MessageBody": json.dumps({"delivery_id": delivery_id}), "DelaySeconds": delay})
        for start in range(0, len(entries), BATCH):
            chunk = [{"Id": str(n), **e} for n, e in enumerate(entries[start : start + BATCH])]
            failed = self.client.send_message_batch(QueueUrl=self.url, Entries=chunk).get("Failed") or []
            if failed:  # the sweep would find them within a minute, but a lost first try is a late one
                raise RuntimeError(f"{len(failed)} wake-ups refused by the queue: {failed[0].get('Message')}")


def delivery_ids(event: dict[str, Any]) -> list[tuple[str, str]]:
    """(message id, delivery id) of an SQS event's records."""
    return [(r["messageId"], json.loads(r["body"])["delivery_id"]) for r in event.get("Records", [])]
