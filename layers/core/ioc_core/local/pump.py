"""The local event pump: what Lambda's event source mappings do in AWS.

It polls each stream named in the resource definitions (Kinesis streams and DynamoDB
table streams), hands batches in the real Lambda event shape to the same handlers, and
keeps the mapping's contract: partial batch failures resume at the failed record, a
failing batch is bisected, retries are bounded, and what still fails goes to the DLQ.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3

from ioc_core.local import firehose
from ioc_core.local.lambdas import Handler, LocalContext, load_handler
from ioc_core.local.s3_events import S3Mapping
from ioc_core.local.sqs_events import QueueMapping
from ioc_core.platform.filters import consumer_pattern, kinesis_record_matches
from ioc_core.platform.resources import Resources, StreamConsumer
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings

log = logging.getLogger("ioc.pump")
# Records read from a Kinesis shard at a time, whatever the consumer's batch size: Lambda's poller
# reads large pages, filters them, then batches what is left (a batch of one is not a read of one).
READ_PAGE = 500


@dataclass
class ShardReader:
    """Reads one shard forward; records not yet acknowledged wait in ``pending``."""

    fetch: Callable[[str], tuple[list[dict[str, Any]], str | None]]
    iterator: str | None
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    failing: str | None = None

    def fill(self, limit: int) -> None:
        while self.iterator and len(self.pending) < limit:
            records, self.iterator = self.fetch(self.iterator)
            if not records:
                break
            self.pending.extend(records)


@dataclass
class ConsumerStats:
    invocations: int = 0
    delivered: int = 0
    failures: int = 0
    dead_lettered: int = 0
    filtered_out: int = 0


class Mapping:
    """One event source mapping: a source stream → a handler."""

    def __init__(self, consumer: StreamConsumer, settings: Settings, handler: Handler | None = None) -> None:
        self.consumer = consumer
        self.settings = settings
        self.handler = handler or load_handler(consumer.handler)
        self.context = LocalContext(function_name=settings.name(consumer.function))
        self.stats = ConsumerStats()
        # Once a poll has found every shard read to its end (since ``EventPump.rearm``): what was
        # there before is processed; events arriving later, a camera's every few seconds, do not
        # undo it.
        self.reached_end = False
        self.epoch = 0  # rearm's count: a poll begun before the last rearm proves nothing
        # The event types it takes, as its mapping's filter in AWS (None: every record).
        self.pattern = consumer_pattern(consumer)
        self.stopping = threading.Event()  # set by EventPump.stop: finish the batch, then return
        kw = {"region_name": settings.region, "endpoint_url": settings.aws_endpoint}
        self.sqs = boto3.client("sqs", **kw)
        self.readers: list[ShardReader] = []
        if consumer.source_kind == "kinesis":
            self._open_kinesis(boto3.client("kinesis", **kw))
        else:
            self._open_dynamodb(boto3.client("dynamodb", **kw), boto3.client("dynamodbstreams", **kw))

    # -- sources ------------------------------------------------------------------
    def _open_kinesis(self, client: Any) -> None:
        name = self.settings.name(self.consumer.source)
        self.source_arn = client.describe_stream(StreamName=name)["StreamDescription"]["StreamARN"]

        def fetch(iterator: str) -> tuple[list[dict[str, Any]], str | None]:
            # Pages whose records the filter drops entirely are read through: an empty answer
            # means the shard has nothing more for now, not that this consumer wants none of it.
            while True:
                out = client.get_records(
                    ShardIterator=iterator, Limit=max(READ_PAGE, self.consumer.batch_size)
                )
                records = [self._kinesis_record(r, shard) for r in out["Records"]]
                taken = [r for r in records if kinesis_record_matches(self.pattern, r)]
                self.stats.filtered_out += len(records) - len(taken)
                following = out.get("NextShardIterator")
                if taken or not records or not following:
                    return taken, following
                iterator = following

        for shard in client.list_shards(StreamName=name)["Shards"]:
            it = client.get_shard_iterator(
                StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            self.readers.append(ShardReader(fetch, it))

    def _kinesis_record(self, raw: dict[str, Any], shard: dict[str, Any]) -> dict[str, Any]:
        arrival = raw.get("ApproximateArrivalTimestamp") or datetime.now(UTC)
        return {
            "kinesis": {
                "kinesisSchemaVersion": "1.0",
                "partitionKey": raw["PartitionKey"],
                "sequenceNumber": raw["SequenceNumber"],
                "data": base64.b64encode(raw["Data"]).decode("ascii"),
                "approximateArrivalTimestamp": arrival.timestamp(),
            },
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"{shard['ShardId']}:{raw['SequenceNumber']}",
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": f"arn:aws:iam::000000000000:role/{self.context.function_name}",
            "awsRegion": self.settings.region,
            "eventSourceARN": self.source_arn,
        }

    def _open_dynamodb(self, dynamodb: Any, streams: Any) -> None:
        table = self.settings.name(self.consumer.source)
        self.source_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]

        def fetch(iterator: str) -> tuple[list[dict[str, Any]], str | None]:
            out = streams.get_records(ShardIterator=iterator, Limit=self.consumer.batch_size)
            return [self._dynamodb_record(r) for r in out["Records"]], out.get("NextShardIterator")

        shards = streams.describe_stream(StreamArn=self.source_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            it = streams.get_shard_iterator(
                StreamArn=self.source_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            self.readers.append(ShardReader(fetch, it))

    def _dynamodb_record(self, raw: dict[str, Any]) -> dict[str, Any]:
        body = dict(raw["dynamodb"])
        created = body.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            body["ApproximateCreationDateTime"] = int(created.timestamp())
        return {
            **{k: v for k, v in raw.items() if k != "dynamodb"},
            "dynamodb": body,
            "eventSourceARN": self.source_arn,
        }

    # -- delivery -----------------------------------------------------------------
    def poll(self) -> int:
        """Deliver what is waiting on every shard; the number of records acknowledged."""
        done, epoch = 0, self.epoch
        for reader in self.readers:
            reader.fill(self.consumer.batch_size)
            while reader.pending and not self.stopping.is_set():
                acknowledged = self._deliver(reader)
                done += acknowledged
                if acknowledged == 0:
                    break  # failing: try again on the next poll
                reader.fill(self.consumer.batch_size)
        # At the tip of every shard: a whole poll found nothing new and nothing waits.
        if done == 0 and not any(r.pending for r in self.readers) and epoch == self.epoch:
            self.reached_end = True
        return done

    def _deliver(self, reader: ShardReader) -> int:
        batch = reader.pending[: self.consumer.batch_size]
        failed_at = self._invoke_bisecting(batch)
        acknowledged = len(batch) if failed_at is None else failed_at
        if failed_at is not None:
            # Retries are counted for the record the batch now starts at, as Lambda does.
            failing = self._identifier(batch[failed_at])
            reader.attempts = reader.attempts + 1 if failing == reader.failing else 1
            reader.failing = failing
            self.stats.failures += 1
            if reader.attempts > self.consumer.retry_attempts:
                self._dead_letter(batch[failed_at : failed_at + 1])
                acknowledged = failed_at + 1  # give up on the failing record only
                reader.attempts, reader.failing = 0, None
        else:
            reader.attempts = 0
        del reader.pending[:acknowledged]
        self.stats.delivered += acknowledged
        return acknowledged

    def _invoke_bisecting(self, batch: list[dict[str, Any]]) -> int | None:
        """Index of the first record not processed, or None when all were."""
        try:
            failed = self._invoke(batch)
        except Exception:
            log.exception("%s failed on a batch of %d", self.consumer.function, len(batch))
            if not self.consumer.bisect_on_error or len(batch) == 1:
                return 0
            half = len(batch) // 2
            first = self._invoke_bisecting(batch[:half])
            if first is not None:
                return first
            second = self._invoke_bisecting(batch[half:])
            return None if second is None else half + second
        return failed

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        self.stats.invocations += 1
        response = self.handler({"Records": batch}, self.context) or {}
        failures = response.get("batchItemFailures") or []
        if not failures:
            return None
        ids = [self._identifier(r) for r in batch]
        positions = [ids.index(f["itemIdentifier"]) for f in failures if f.get("itemIdentifier") in ids]
        # An identifier the batch does not hold fails the whole batch, as in AWS.
        return min(positions) if positions else 0

    def _identifier(self, record: dict[str, Any]) -> str:
        if self.consumer.source_kind == "kinesis":
            return str(record["kinesis"]["sequenceNumber"])
        return str(record["dynamodb"]["SequenceNumber"])

    def _dead_letter(self, records: list[dict[str, Any]]) -> None:
        url = self.sqs.get_queue_url(QueueName=self.settings.name(self.consumer.dlq))["QueueUrl"]
        body = {
            "requestContext": {
                "condition": "RetryAttemptsExhausted",
                "functionArn": self.context.invoked_function_arn,
            },
            "sourceArn": self.source_arn,
            "records": records,
        }
        self.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body, default=str))
        self.stats.dead_lettered += len(records)
        log.error("%s: %d record(s) sent to %s", self.consumer.function, len(records), self.consumer.dlq)


class EventPump:
    def __init__(
        self,
        settings: Settings,
        resources: Resources = RESOURCES,
        handlers: dict[str, Handler] | None = None,
        interval: float = 0.25,
    ) -> None:
        handlers = handlers or {}
        self.mappings = [Mapping(c, settings, handlers.get(c.function)) for c in resources.consumers]
        # Firehose's archives: the same layout in the local bucket, from a stand-in the pump feeds.
        self.mappings += [
            Mapping(
                firehose.consumer_of(a),
                settings,
                handlers.get(a.logical) or firehose.FirehoseStandIn(a, settings),
            )
            for a in resources.archives
        ]
        # S3 consumers: asynchronous invocations per object event (see s3_events).
        self.s3_mappings = [S3Mapping(c, settings, handlers.get(c.function)) for c in resources.s3_consumers]
        # Queue consumers: SQS event source mappings (see sqs_events).
        self.queue_mappings = [
            QueueMapping(c, settings, handlers.get(c.function)) for c in resources.queue_consumers
        ]
        self.interval = interval
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def poll_once(self) -> int:
        moved = sum(m.poll() for m in self.s3_mappings) + sum(m.poll() for m in self.mappings)
        return moved + sum(m.poll() for m in self.queue_mappings)

    def drain(self, timeout: float = 120.0, settle_rounds: int = 2) -> int:
        """Poll until nothing moves for ``settle_rounds`` rounds in a row."""
        workers: list[Mapping | S3Mapping | QueueMapping] = [
            *self.mappings,
            *self.s3_mappings,
            *self.queue_mappings,
        ]
        for stopping in [m.stopping for m in workers]:
            stopping.clear()  # a drain after stop() runs in the caller's thread
        deadline = time.monotonic() + timeout
        total, quiet = 0, 0
        while quiet < settle_rounds:
            if time.monotonic() > deadline:
                raise TimeoutError("event pump did not settle")
            moved = self.poll_once()
            total += moved
            quiet = quiet + 1 if moved == 0 and not self._has_pending() else 0
        return total

    def rearm(self) -> None:
        """Count every consumer behind again, until its next poll finds its sources read to the end."""
        for mapping in self.mappings:
            mapping.epoch += 1
            mapping.reached_end = False

    def behind(self) -> list[str]:
        """The consumers (functions) that have not yet read their sources to the end once."""
        return [m.consumer.function for m in self.mappings if not m.reached_end]

    def delivered(self) -> int:
        return sum(m.stats.delivered for m in self.mappings)

    def _has_pending(self) -> bool:
        return any(r.pending for m in self.mappings for r in m.readers)

    def start(self) -> None:
        """One thread per mapping, as each event source mapping is its own poller in AWS:
        a backlog on one consumer (or a slow detector) never delays another."""
        workers: list[Mapping | S3Mapping | QueueMapping] = [
            *self.mappings,
            *self.s3_mappings,
            *self.queue_mappings,
        ]
        for mapping in workers:
            name = f"ioc-pump-{mapping.consumer.function}"
            thread = threading.Thread(target=self._run, args=(mapping,), name=name, daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, mapping: Mapping | S3Mapping | QueueMapping) -> None:
        while not self._stop.is_set():
            try:
                mapping.poll()
            except Exception:  # keep pumping: a broken poll must not stop the system
                log.exception("event pump poll failed for %s", mapping.consumer.function)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        for mapping in self.mappings:
            mapping.stopping.set()
        for s3_mapping in self.s3_mappings:
            s3_mapping.stopping.set()
        for queue_mapping in self.queue_mappings:
            queue_mapping.stopping.set()
        # One deadline for all: a thread still in a batch is a daemon and ends with the process.
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
