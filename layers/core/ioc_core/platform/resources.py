"""The one source of truth for AWS resources and event wiring.

The local runtime creates tables, buckets, streams and queues from these definitions and
feeds events to the handlers named here; the CDK stack (infra/) builds the same things
from the same definitions; a test fails if the PynamoDB models or the stack drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Queue:
    logical: str


@dataclass(frozen=True)
class StreamConsumer:
    """A plain Lambda fed by a Kinesis stream or a DynamoDB table stream."""

    function: str
    handler: str  # dotted path under functions/, e.g. field_reporting.stats_consumer.handler.handler
    source_kind: Literal["kinesis", "dynamodb"]
    source: str  # logical name of the stream or table
    dlq: str
    batch_size: int = 100
    retry_attempts: int = 3
    max_record_age_seconds: int = 24 * 3600
    bisect_on_error: bool = True
    layers: tuple[str, ...] = ("core",)
    # Logical names of the tables, buckets, streams and queues the function reads or writes:
    # the stack grants exactly these (the source stream and the DLQ are granted anyway).
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    # Messages it sends through SNS: "sms" (to phone numbers), "push" (to platform endpoints).
    sends: tuple[Literal["sms", "push"], ...] = ()


@dataclass(frozen=True)
class S3Consumer:
    """A plain Lambda run for each object created under a bucket prefix."""

    function: str
    handler: str  # dotted path under functions/
    bucket: str  # logical name of the bucket
    prefix: str
    dlq: str  # on-failure destination once the asynchronous retries are spent
    suffix: str = ""
    retry_attempts: int = 2
    max_event_age_seconds: int = 6 * 3600
    layers: tuple[str, ...] = ("core",)
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    sends: tuple[Literal["sms", "push"], ...] = ()


@dataclass(frozen=True)
class Schedule:
    """A plain Lambda job run on a schedule (EventBridge Scheduler in AWS)."""

    function: str
    handler: str  # dotted path under functions/
    expression: str  # "rate(5 minutes)" or "cron(0 1 * * ? *)"
    dlq: str  # where an invocation the scheduler could not deliver goes
    timezone: str = "Asia/Ho_Chi_Minh"
    retry_attempts: int = 2
    layers: tuple[str, ...] = ("core",)
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    sends: tuple[Literal["sms", "push"], ...] = ()


@dataclass(frozen=True)
class HttpApi:
    name: str
    source_dir: str  # the Chalice project under functions/
    routes_prefixes: tuple[str, ...]
    layers: tuple[str, ...] = ("core",)
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    sends: tuple[Literal["sms", "push"], ...] = ()
    # Route prefixes only signed-in staff may call (the Cognito authorizer); the rest is public.
    staff_prefixes: tuple[str, ...] = ()


CognitoTrigger = Literal["pre_sign_up", "pre_token_generation", "post_confirmation"]


@dataclass(frozen=True)
class UserPool:
    """A Cognito user pool and the triggers it calls (one function serves every pool).
    Locally the dev IdP plays every pool and applies the same claim rules in-process."""

    logical: str
    kind: Literal["staff", "resident"]
    triggers: tuple[CognitoTrigger, ...] = ("pre_token_generation",)
    function: str = "identity-cognito-triggers"
    handler: str = "identity.cognito_triggers.handler.handler"
    layers: tuple[str, ...] = ("core",)
    # What the triggers of this pool touch (the function gets the union over its pools).
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    sends: tuple[Literal["sms", "push"], ...] = ()


@dataclass(frozen=True)
class Resources:
    tables: tuple[Table, ...]
    buckets: tuple[Bucket, ...]
    streams: tuple[Stream, ...]
    queues: tuple[Queue, ...]
    consumers: tuple[StreamConsumer, ...]
    apis: tuple[HttpApi, ...] = field(default=())
    s3_consumers: tuple[S3Consumer, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    user_pools: tuple[UserPool, ...] = ()

    def table(self, logical: str) -> Table:
        return next(t for t in self.tables if t.logical == logical)


_REQUESTED = Key("requested_at")

RESOURCES = Resources(
    tables=(
        Table(
            "reports",
            Key("report_id"),
            indexes=(
                Index("by_status", Key("status"), _REQUESTED),
                Index("by_ward", Key("ward_code"), _REQUESTED),
                Index("by_service", Key("service_code"), _REQUESTED),
                Index("by_reporter", Key("reporter_id"), _REQUESTED),
                Index("by_month", Key("month"), _REQUESTED),
                Index("by_token", Key("token")),
                # Sparse: the reports assigned to a unit (its staff's queue).
                Index("by_unit", Key("unit_code"), _REQUESTED),
            ),
            subsystem="field_reporting",
        ),
        # In-app inboxes (resident accounts, unit and role desks) and the SMS/push delivery log.
        Table(
            "notifications",
            Key("recipient"),
            Key("notification_id"),
            ttl_attribute="expires_at",
            subsystem="field_reporting",
        ),
        # Transactional outbox: written in the same transaction as the state change,
        # published to Kinesis by the relay reading this table's stream.
        Table("outbox", Key("event_id"), stream=True, ttl_attribute="expires_at"),
        Table("idempotency", Key("key"), ttl_attribute="expires_at"),
        Table("api_keys", Key("key_hash"), indexes=(Index("by_name", Key("name")),)),
        Table(
            "accounts",
            Key("account_id"),
            indexes=(Index("by_phone", Key("phone")),),
        ),
        # Read models kept by consumers, and the processed-event markers they dedupe with.
        Table("projections", Key("pk"), Key("sk"), ttl_attribute="expires_at"),
        # Security cameras: the registry, each camera's detector state and health, the alerts
        # operators work, and one marker per processed snapshot object version.
        Table(
            "cameras",
            Key("camera_id"),
            indexes=(Index("by_fleet", Key("fleet"), Key("camera_id")),),
            subsystem="cameras",
        ),
        Table(
            "camera_state",
            Key("camera_id"),
            indexes=(Index("by_last_seen", Key("fleet"), Key("last_seen_at")),),
            subsystem="cameras",
        ),
        Table(
            "camera_alerts",
            Key("alert_id"),
            indexes=(
                Index("by_status", Key("status"), Key("raised_at")),
                Index("by_camera", Key("camera_id"), Key("raised_at")),
            ),
            subsystem="cameras",
        ),
        Table("camera_snapshots", Key("object_id"), ttl_attribute="expires_at", subsystem="cameras"),
    ),
    buckets=(
        Bucket("media", subsystem="field_reporting", expire_prefixes=(("uploads/", 2),)),
        Bucket("evidence", versioned=True),
        Bucket("console", site=True),
        # Camera gateways upload JPEGs under cameras/<camera_id>/; bad ones move to quarantine/.
        Bucket(
            "camera-snapshots",
            subsystem="cameras",
            expire_prefixes=(("cameras/", 30), ("quarantine/", 90)),
            versioned=True,
        ),
        Bucket("camera-evidence", subsystem="cameras", versioned=True),
    ),
    streams=(Stream("events"),),
    queues=(
        Queue("events-dlq"),
        Queue("outbox-relay-dlq"),
        Queue("field-reporting-notifications-dlq"),
        Queue("field-reporting-jobs-dlq"),
        Queue("camera-detector-dlq"),
        Queue("camera-events-dlq"),
        Queue("camera-health-dlq"),
    ),
    consumers=(
        StreamConsumer(
            function="outbox-relay",
            handler="eventbus.outbox_relay.handler.handler",
            source_kind="dynamodb",
            source="outbox",
            dlq="outbox-relay-dlq",
            writes=("events",),
        ),
        StreamConsumer(
            function="field-reporting-stats",
            handler="field_reporting.stats_consumer.handler.handler",
            source_kind="kinesis",
            source="events",
            dlq="events-dlq",
            reads=("projections",),
            writes=("projections",),
        ),
        StreamConsumer(
            function="field-reporting-notifications",
            handler="field_reporting.notifications.handler.handler",
            source_kind="kinesis",
            source="events",
            dlq="field-reporting-notifications-dlq",
            reads=("reports", "notifications"),
            writes=("notifications",),
            sends=("sms",),
        ),
        StreamConsumer(
            function="camera-alert-stats",
            handler="cameras.stats_consumer.handler.handler",
            source_kind="kinesis",
            source="events",
            dlq="camera-events-dlq",
            reads=("projections",),
            writes=("projections",),
        ),
    ),
    apis=(
        HttpApi(
            name="field-reporting-api",
            source_dir="field_reporting/api",
            routes_prefixes=("/open311/v2", "/api/v1", "/discovery."),
            layers=("core", "identity", "media"),
            reads=("reports", "idempotency", "api_keys", "projections", "media", "notifications", "accounts"),
            writes=("reports", "outbox", "idempotency", "media", "notifications", "projections", "api_keys"),
        ),
        HttpApi(
            name="cameras-api",
            source_dir="cameras/api",
            routes_prefixes=("/api/v1/cameras",),
            layers=("core", "identity"),
            # Staff routes check the caller's role in the app: camera gateways call the upload
            # route with their own uploader credentials, not a staff token.
            reads=("cameras", "camera_state", "camera_alerts", "projections", "camera-evidence"),
            writes=("cameras", "camera_state", "camera_alerts", "outbox", "camera-snapshots"),
        ),
    ),
    s3_consumers=(
        S3Consumer(
            function="camera-detector",
            handler="cameras.detector.handler.handler",
            bucket="camera-snapshots",
            prefix="cameras/",
            dlq="camera-detector-dlq",
            layers=("core", "vision"),
            reads=("cameras", "camera_state", "camera_snapshots", "camera-snapshots"),
            writes=(
                "camera_state",
                "camera_alerts",
                "camera_snapshots",
                "outbox",
                "camera-snapshots",
                "camera-evidence",
            ),
        ),
    ),
    schedules=(
        # SLA clocks: warnings at 80 %, escalations at 100 %, each raised once.
        Schedule(
            function="field-reporting-sla",
            handler="field_reporting.jobs.sla_monitor.handler",
            expression="rate(5 minutes)",
            dlq="field-reporting-jobs-dlq",
            reads=("reports",),
            writes=("reports", "outbox"),
        ),
        Schedule(
            function="camera-health",
            handler="cameras.health.handler.handler",
            expression="rate(5 minutes)",
            dlq="camera-health-dlq",
            reads=("cameras", "camera_state"),
            writes=("camera_state", "camera_alerts", "outbox"),
        ),
    ),
    user_pools=(
        # Staff: username, password and TOTP; the unit travels on the access token.
        UserPool("staff", "staff"),
        # Residents: phone number and an SMS code; only Vietnamese mobiles may sign up; a
        # confirmed number becomes a resident account (account.registered, through the outbox).
        UserPool(
            "residents",
            "resident",
            triggers=("pre_sign_up", "pre_token_generation", "post_confirmation"),
            writes=("accounts", "outbox"),
        ),
    ),
)
