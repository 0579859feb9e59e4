"""The one source of truth for AWS resources and event wiring.

The local runtime creates tables, buckets, streams and queues from these definitions and
feeds events to the handlers named here; the CDK stack (infra/) builds the same things
from the same definitions; a test fails if the PynamoDB models or the stack drift.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Literal

KeyType = Literal["S", "N"]


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType = "S"


@dataclass(frozen=True)
class Index:
    name: str
    partition: Key
    sort: Key | None = None


@dataclass(frozen=True)
class Table:
    logical: str
    partition: Key
    sort: Key | None = None
    indexes: tuple[Index, ...] = ()
    stream: bool = False
    ttl_attribute: str | None = None
    subsystem: str = "platform"


@dataclass(frozen=True)
class Bucket:
    logical: str
    subsystem: str = "platform"
    # Prefixes whose objects expire (days), e.g. abandoned presigned uploads.
    expire_prefixes: tuple[tuple[str, int], ...] = ()
    # Keep every version of every object (evidence must survive an overwrite or a delete).
    versioned: bool = False
    # Static files served to browsers through the CDN (the console): rebuilt from the repo,
    # so it lives with its distribution, not with the data.
    site: bool = False


@dataclass(frozen=True)
class Stream:
    logical: str
    shards: int = 1
    retention_hours: int = 168
    # A shard serves 5 GetRecords calls a second to all its polling (standard) consumers, and
    # each Lambda mapping polls every shard once a second: past 4 (one call spare for retries
    # and tools) consumers throttle one another, whatever their filters, so a fifth must use
    # enhanced fan-out (``StreamConsumer.fan_out``) or another stream (README: capacity).
    polling_consumers_max: int = 4


@dataclass(frozen=True)
class Queue:
    logical: str


@dataclass(frozen=True)
class Archive:
    """Every record of a stream, kept in a bucket as gzipped JSON lines under hourly partitions
    (``<prefix>year=YYYY/month=MM/day=DD/hour=HH/``, UTC): Kinesis Data Firehose in AWS, the
    same layout from a stand-in locally (ioc_core.local.firehose)."""

    logical: str
    stream: str
    bucket: str
    prefix: str = "events/"
    error_prefix: str = "errors/"
    buffer_seconds: int = 300
    buffer_mb: int = 64

    def partition(self, at: datetime) -> str:
        """The folder of records that arrived at ``at``: Firehose's ``!{timestamp:...}``
        namespaces as the stack configures them."""
        at = at.astimezone(UTC)
        return f"{self.prefix}year={at:%Y}/month={at:%m}/day={at:%d}/hour={at:%H}/"


Send = Literal["sms", "push"]


@dataclass(frozen=True, kw_only=True)
class Permissions:
    """What a function's role may touch: the stack grants exactly these, locally nothing checks."""

    layers: tuple[str, ...] = ("core",)
    # Logical names of the tables, buckets, streams and queues the function reads or writes
    # (a consumer's source stream and its dead-letter queue are granted anyway).
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    # Messages it sends through SNS: "sms" (to phone numbers), "push" (to platform endpoints).
    sends: tuple[Send, ...] = ()
    # User pools whose accounts' roles (group memberships) it administers.
    administers: tuple[str, ...] = ()
    # User pools whose groups' members it lists, and nothing more (who works in a unit).
    lists_members: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Function(Permissions):
    """A plain Lambda with a handler under functions/ (consumers, jobs, pool triggers)."""

    function: str
    handler: str  # dotted path under functions/, e.g. field_reporting.stats_consumer.handler.handler


@dataclass(frozen=True, kw_only=True)
class DeadLettered(Function):
    """A function invoked for events: what it could not process after its retries goes to
    its own dead-letter queue, derived from its name (never declared a second time)."""

    @property
    def dlq(self) -> str:
        return f"{self.function}-dlq"


@dataclass(frozen=True, kw_only=True)
class StreamConsumer(DeadLettered):
    """A plain Lambda fed by a Kinesis stream or a DynamoDB table stream."""

    source_kind: Literal["kinesis", "dynamodb"]
    source: str  # logical name of the stream or table
    # The CloudEvent types it takes (short names, ``field_reporting.report.submitted``): Lambda
    # event filtering in AWS, the same filter in the local pump. Empty: every record (a table stream).
    event_types: tuple[str, ...] = ()
    # Every CloudEvent of the city's, whatever its type (the archive): a prefix filter.
    every_event: bool = False
    batch_size: int = 100
    retry_attempts: int = 3
    max_record_age_seconds: int = 24 * 3600
    bisect_on_error: bool = True
    # Enhanced fan-out: a dedicated 2 MB/s per shard pushed to the function (about 70 ms instead
    # of the one-second poll), for busy or latency-bound consumers; costs per consumer-shard-hour.
    fan_out: bool = False


@dataclass(frozen=True, kw_only=True)
class QueueConsumer(DeadLettered):
    """A plain Lambda fed by an SQS queue of its room's (``own_queues``): short waits ride the
    queue's per-message delay (up to 15 minutes). A message it fails ``max_receives`` times
    moves to its dead-letter queue (the queue's redrive policy)."""

    queue: str  # logical name of the queue
    batch_size: int = 10
    max_receives: int = 5
    # A received message stays invisible this long: more than the function's whole batch takes.
    visibility_timeout_seconds: int = 180


@dataclass(frozen=True, kw_only=True)
class S3Consumer(DeadLettered):
    """A plain Lambda run for each object created under a bucket prefix."""

    bucket: str  # logical name of the bucket
    prefix: str
    suffix: str = ""
    retry_attempts: int = 2
    max_event_age_seconds: int = 6 * 3600


@dataclass(frozen=True, kw_only=True)
class Schedule(DeadLettered):
    """A plain Lambda job run on a schedule (EventBridge Scheduler in AWS)."""

    expression: str  # "rate(5 minutes)" or "cron(0 1 * * ? *)"
    timezone: str = "Asia/Ho_Chi_Minh"
    retry_attempts: int = 2


@dataclass(frozen=True, kw_only=True)
class HttpApi(Permissions):
    name: str
    source_dir: str  # the Chalice project under functions/
    routes_prefixes: tuple[str, ...]
    # Secrets the stack generates for this API alone (never in the repository): each names the
    # environment variable that carries its ARN (the app reads the value itself).
    secrets: tuple[str, ...] = ()


CognitoTrigger = Literal["pre_sign_up", "pre_token_generation", "post_confirmation"]


@dataclass(frozen=True, kw_only=True)
class UserPool(Function):
    """A Cognito user pool and the triggers it calls (one function serves every pool; what it
    touches is the union over its pools). Locally the dev IdP plays every pool and applies the
    same claim rules in-process."""

    logical: str
    kind: Literal["staff", "resident"]
    triggers: tuple[CognitoTrigger, ...] = ("pre_token_generation",)
    function: str = "identity-cognito-triggers"
    handler: str = "identity.cognito_triggers.handler.handler"


@dataclass(frozen=True)
class Resources:
    tables: tuple[Table, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    streams: tuple[Stream, ...] = ()
    # Queues of their own; every function's dead-letter queue is added by ``queues``.
    own_queues: tuple[Queue, ...] = ()
    consumers: tuple[StreamConsumer, ...] = ()
    apis: tuple[HttpApi, ...] = ()
    s3_consumers: tuple[S3Consumer, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    user_pools: tuple[UserPool, ...] = ()
    queue_consumers: tuple[QueueConsumer, ...] = ()
    archives: tuple[Archive, ...] = ()

    @property
    def functions(self) -> tuple[Function, ...]:
        """Every plain function once (the pools share their trigger function)."""
        pools = {pool.function: pool for pool in self.user_pools}
        return (*self.consumers, *self.queue_consumers, *self.s3_consumers, *self.schedules, *pools.values())

    @property
    def queues(self) -> tuple[Queue, ...]:
        return tuple(dict.fromkeys((*self.own_queues, *(Queue(f.dlq) for f in self.dead_lettered))))

    @property
    def dead_lettered(self) -> tuple[DeadLettered, ...]:
        return (*self.consumers, *self.queue_consumers, *self.s3_consumers, *self.schedules)

    @property
    def dead_letter_queues(self) -> tuple[Queue, ...]:
        """The queues no function consumes: where failures wait (their first message alarms)."""
        return tuple(q for q in self.queues if self.consumer_of(q.logical) is None)

    def consumer_of(self, queue: str) -> QueueConsumer | None:
        """The function a queue feeds, if any (the others are dead-letter queues)."""
        return next((c for c in self.queue_consumers if c.queue == queue), None)

    def table(self, logical: str) -> Table:
        return next(t for t in self.tables if t.logical == logical)

    def __add__(self, other: Resources) -> Resources:
        return Resources(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Resources)))

    def check(self) -> Resources:
        """Names are unique across rooms: two rooms declaring one table is a mistake."""
        kinds = {
            "table": [t.logical for t in self.tables],
            "bucket": [b.logical for b in self.buckets],
            "stream": [s.logical for s in self.streams],
            "queue": [q.logical for q in self.own_queues] + [f.dlq for f in self.dead_lettered],
            "function": [f.function for f in self.functions],
            "api": [a.name for a in self.apis],
            "user pool": [p.logical for p in self.user_pools],
            "archive": [a.logical for a in self.archives],
        }
        for kind, names in kinds.items():
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{kind} declared twice: {', '.join(twice)}")
        own = {q.logical for q in self.own_queues}
        for consumer in self.queue_consumers:
            if consumer.queue not in own:
                raise ValueError(f"{consumer.function} consumes {consumer.queue!r}, which no room declares")
        for stream in self.streams:
            polling = [
                c.function
                for c in self.consumers
                if c.source_kind == "kinesis" and c.source == stream.logical and not c.fan_out
            ]
            if len(polling) > stream.polling_consumers_max:
                raise ValueError(
                    f"stream {stream.logical}: {len(polling)} polling consumers ({', '.join(polling)}) share "
                    f"each shard's 5 reads a second; at most {stream.polling_consumers_max}: give the busy "
                    "ones fan_out=True, or a stream of their own"
                )
        return self
