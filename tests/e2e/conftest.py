"""The real local stack, started the way `make dev` starts it, as a subprocess.

``local_stack`` (session scope, and the e2e tier runs in one process: one stack, shared by
tests/e2e/test_local_stack.py and the browser tests) runs ``ioc dev --port P --aws-port A``
with its output in a log file, waits for "Ready in", then for the event pump to project the
whole demo history, and keeps those figures (``demo_figures``) before any test changes data.
Tests never assume each other's order: they compare with figures they read first, or use data
of their own. On teardown it sends SIGTERM and checks a clean stop: exit code 0 within 15 s,
"Stopped; ports freed." in the log, and both ports free again. When a test using it fails, the
last lines of the log are attached to the failure report.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_stack import START_TIMEOUT, STOP_TIMEOUT, LocalStack, kill, port_free, settled, start, wait_until

from ioc_core.local.demo_history import PUBLISHED

# The projection works through the two years of demo events: a bound against a hang, not a
# speed target.
DEMO_TIMEOUT = 300.0


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    stack = start(tmp_path_factory.mktemp("ioc-dev") / "ioc-dev.log")
    started = time.monotonic()
    ready, _ = wait_until(
        lambda: "Ready in" in stack.log() or stack.process.poll() is not None,
        bool,
        START_TIMEOUT,
        interval=0.2,
    )
    if not ready or stack.process.poll() is not None:
        code = stack.process.poll()
        kill(stack)
        why = f"exited with {code}" if code is not None else f"not ready within {START_TIMEOUT:.0f} s"
        pytest.fail(f"`ioc dev` {why}; log tail:\n{stack.log_tail()}")
    stack.ready_after = time.monotonic() - started
    stack.figures_at_ready = stack.stats()
    try:
        stack.demo_figures = _caught_up_with_the_demo(stack)
        yield stack
    finally:
        _stop_and_check(stack)


def _caught_up_with_the_demo(stack: LocalStack) -> dict[str, Any]:
    try:
        return settled(stack, PUBLISHED.reports, timeout=DEMO_TIMEOUT)
    except AssertionError as failure:
        pytest.fail(f"the demo history never reached the statistics: {failure}\n{stack.log_tail()}")


def _stop_and_check(stack: LocalStack) -> None:
    if stack.process.poll() is not None:
        pytest.fail(f"`ioc dev` died during the tests ({stack.process.returncode}):\n{stack.log_tail()}")
    stack.process.send_signal(signal.SIGTERM)
    asked = time.monotonic()
    try:
        code = stack.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        kill(stack)
        pytest.fail(f"`ioc dev` still running {STOP_TIMEOUT:.0f} s after SIGTERM:\n{stack.log_tail()}")
    took = time.monotonic() - asked
    assert code == 0, f"`ioc dev` exited with {code} after SIGTERM:\n{stack.log_tail()}"
    assert "Stopped; ports freed." in stack.log(), stack.log_tail()
    assert not stack.state_path.exists(), "the stopped stack left its record of ports behind"
    taken = [p for p in (stack.api_port, stack.aws_port) if not port_free(p)]
    assert not taken, f"ports still taken after the stop ({took:.1f} s): {taken}\n{stack.log_tail()}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    stack = getattr(item, "funcargs", {}).get("local_stack")
    if report.failed and isinstance(stack, LocalStack):
        report.sections.append(("ioc dev log (last lines)", stack.log_tail()))
