"""The `ioc dev` log: the gateway's access lines and the Lambdas' metric (EMF) lines only
when asked for (--access-log, --metrics); the accounts and codes always."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from ioc_core.local import dev
from ioc_core.local.lambdas import LocalContext

pytestmark = pytest.mark.unit
CONSOLE = ("ioc.dev_idp", "ioc.notifications", "ioc.gateway.access")
metrics = Metrics(namespace="ioc-dev-log-test", service="dev-log")


@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> None:
    if event.get("count"):
        metrics.add_metric(name="reports", unit=MetricUnit.Count, value=1)


@pytest.fixture
def console() -> Iterator[None]:
    """The console loggers as they were: _console_logs changes process-wide loggers."""
    loggers = [logging.getLogger(name) for name in CONSOLE]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers, lg.level, lg.propagate = handlers, level, propagate


@pytest.fixture
def clean_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")  # a shell's setting does not decide
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        yield


@pytest.mark.usefixtures("clean_warnings")
def test_metric_lines_are_left_out_unless_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    dev._metrics(False)
    assert os.environ["POWERTOOLS_METRICS_DISABLED"] == "true"
    with warnings.catch_warnings(record=True) as caught:
        handler({"count": 1}, LocalContext("stats"))
        handler({}, LocalContext("stats"))  # nothing to publish: Powertools' warning, not shown
        warnings.warn("a warning of our own", UserWarning, stacklevel=1)
    assert "_aws" not in capsys.readouterr().out
    assert [str(w.message) for w in caught] == ["a warning of our own"]  # other warnings stay


@pytest.mark.usefixtures("clean_warnings")
def test_metric_lines_are_printed_with_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    dev._metrics(True)
    handler({"count": 1}, LocalContext("stats"))
    out = capsys.readouterr().out
    assert '"_aws"' in out and '"reports"' in out


@pytest.mark.usefixtures("console")
@pytest.mark.parametrize("asked", [False, True])
def test_access_lines_reach_the_console_only_with_access_log(
    asked: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    dev._console_logs(access_log=asked)
    logging.getLogger("ioc.gateway.access").info("GET /console/ 200 3 ms")
    logging.getLogger("ioc.dev_idp").warning("[dev-idp] staff dieuhanh (operator) password: x")
    out = capsys.readouterr().out
    assert ("GET /console/ 200 3 ms" in out) is asked
    assert "[dev-idp] staff dieuhanh" in out  # the accounts, always
