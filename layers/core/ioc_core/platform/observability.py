"""One Powertools setup for every function, configured from the environment.

The stack gives each function ``POWERTOOLS_SERVICE_NAME`` (``ioc-<function>``) and the one
``POWERTOOLS_METRICS_NAMESPACE``; every function has active tracing. ``observed`` is the one
decorator stack of a plain handler: the Lambda context on every log line, traces (Powertools'
Tracer in Lambda; off outside it), and the metrics it added flushed as EMF when it returns.
Business metrics are named once here, so the dashboard and the functions agree.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.lambda_context import build_lambda_context_model
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

from ioc_core.platform import audit_context
from ioc_core.shared.cloudevents import CloudEvent

NAMESPACE = "PhanThietIOC"
# Business metrics (Count) and the event types that make them.
REPORTS_SUBMITTED = "ReportsSubmitted"
REPORTS_RESOLVED_LATE = "ReportsResolvedLate"
ALERTS_RAISED = "AlertsRaised"
SNAPSHOTS_QUARANTINED = "SnapshotsQuarantined"
EVENTS_DEAD_LETTERED = "EventsDeadLettered"  # SQS: messages sent to any function's DLQ
BUSINESS_METRICS = (REPORTS_SUBMITTED, REPORTS_RESOLVED_LATE, ALERTS_RAISED, SNAPSHOTS_QUARANTINED)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def service_name() -> str:
    return os.environ.get("POWERTOOLS_SERVICE_NAME") or "ioc"


@lru_cache(maxsize=1)
def logger() -> Logger:
    return Logger(service=service_name())


@lru_cache(maxsize=1)
def metrics() -> Metrics:
    return Metrics(
        namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or NAMESPACE, service=service_name()
    )


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    # Outside Lambda Powertools disables itself (no daemon to send to): tests and `ioc dev`.
    return Tracer(service=service_name())


def observed(handler: Handler) -> Handler:
    """Context on the logs, a trace, and the handler's metrics flushed: every plain function.
    What it changes is audited as ``system:<function name>``."""

    @functools.wraps(handler)
    def as_system(event: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(context, "function_name", None) or service_name()
        with audit_context.acting(audit_context.system(name)):
            return handler(event, context, *args, **kwargs)

    wrapped = tracer().capture_lambda_handler(as_system)
    wrapped = logger().inject_lambda_context(wrapped)
    flushed = metrics().log_metrics(wrapped)

    @functools.wraps(handler)
    def cleared(event: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return flushed(event, context, *args, **kwargs)
        finally:
            # The invocation's context leaves the logger with it: in `ioc dev` every function
            # shares one process, and the next log line may be another function's.
            logger().remove_keys(["cold_start", *vars(build_lambda_context_model(context))])
            # Disabled metrics (`ioc dev` without --metrics) are not flushed, so Powertools keeps
            # them; at 100 values of one metric it prints them anyway. Drop them instead.
            if is_metrics_disabled():
                metrics().clear_metrics()

    return cleared  # type: ignore[return-value]


def business_counts(events: Iterable[CloudEvent]) -> dict[str, int]:
    """What a batch of events adds to the business metrics."""
    counts = dict.fromkeys(BUSINESS_METRICS, 0)
    for event in events:
        kind, data = event.short_type, event.data
        if kind == "field_reporting.report.submitted":
            counts[REPORTS_SUBMITTED] += 1
        elif kind == "field_reporting.report.status_changed" and data.get("to") == "resolved":
            counts[REPORTS_RESOLVED_LATE] += int(data.get("on_time") is False)
        elif kind == "cameras.alert.raised":
            counts[ALERTS_RAISED] += 1
        elif kind == "cameras.snapshot.quarantined":
            counts[SNAPSHOTS_QUARANTINED] += 1
    return {name: n for name, n in counts.items() if n}


def record_business(events: Iterable[CloudEvent]) -> dict[str, int]:
    """Add the batch's business metrics (flushed by ``observed``); the counts, for the log."""
    counts = business_counts(events)
    for name, value in counts.items():
        metrics().add_metric(name=name, unit=MetricUnit.Count, value=value)
    return counts
