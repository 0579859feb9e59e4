"""Business metrics are counted from the events, named once for the functions and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ioc_core.local.lambdas import LocalContext
from ioc_core.platform import observability as obs
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.unit
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _event(short: str, **data: object) -> CloudEvent:
    return CloudEvent.new(short, subsystem=short.split(".")[0], subject="x", at=AT, data=dict(data))


def test_a_batch_counts_what_the_city_watches_and_nothing_else() -> None:
    batch = [
        _event("field_reporting.report.submitted"),
        _event("field_reporting.report.submitted"),
        _event("field_reporting.report.status_changed", to="resolved", on_time=False),
        _event("field_reporting.report.status_changed", to="resolved", on_time=True),
        _event("field_reporting.report.status_changed", to="assigned"),
        _event("cameras.alert.raised", kind="fire"),
        _event("cameras.snapshot.quarantined", reason="truncated"),
        _event("identity.account.registered"),
    ]
    assert obs.business_counts(batch) == {
        obs.REPORTS_SUBMITTED: 2,
        obs.REPORTS_RESOLVED_LATE: 1,
        obs.ALERTS_RAISED: 1,
        obs.SNAPSHOTS_QUARANTINED: 1,
    }
    assert obs.business_counts([]) == {}


def test_the_service_name_and_namespace_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "ioc-field-reporting-stats")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PhanThietIOC")
    for cached in (obs.logger, obs.metrics, obs.tracer):
        cached.cache_clear()
    try:
        assert obs.logger().service == "ioc-field-reporting-stats"
        assert obs.metrics().namespace == "PhanThietIOC"
    finally:
        for cached in (obs.logger, obs.metrics, obs.tracer):
            cached.cache_clear()


def test_disabled_metrics_never_print_however_many_invocations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Powertools keeps metrics it may not flush and prints them at its 100-value limit: a
    `make dev` log without --metrics showed a metrics line once the demo history had played."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")

    @obs.observed
    def handler(event: dict[str, object], context: object) -> None:
        obs.metrics().add_metric(name="ReportsSubmitted", unit="Count", value=1)

    context = LocalContext("field-reporting-stats")
    for _ in range(150):
        handler({}, context)
    assert '"_aws"' not in capsys.readouterr().out


def test_a_function_context_does_not_outlive_its_invocation() -> None:
    """Locally every function shares one process and one logger: after the camera detector ran,
    an administrator's change logged by the API read "function_name": "…camera-detector"."""
    context_keys = {"function_name", "function_arn", "function_request_id", "cold_start"}
    seen: dict[str, object] = {}

    @obs.observed
    def handler(event: dict[str, object], context: object) -> None:
        seen.update(obs.logger().get_current_keys())

    handler({}, LocalContext("camera-detector"))
    assert seen["function_name"] == "camera-detector" and context_keys <= set(seen)
    assert not context_keys & set(obs.logger().get_current_keys())
