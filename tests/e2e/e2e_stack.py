"""Helpers for the end-to-end tests: the `ioc dev` subprocess, ports, the `ioc` CLI.

A module of its own (not conftest.py) so the tests can import it by name.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

ROOT = Path(__file__).resolve().parents[2]
# Launch to "Ready in": the demo loaded and projected into the statistics and inboxes (about
# five minutes on a 2-core machine); a bound against a hang, not a speed target.
START_TIMEOUT = 900.0
STOP_TIMEOUT = 15.0
HTTP_TIMEOUT = 15.0

T = TypeVar("T")


def ioc_binary() -> Path:
    """The ``ioc`` entry point of the venv running the tests (`.venv/bin/ioc` normally)."""
    beside = Path(sys.executable).parent / "ioc"
    return beside if beside.exists() else ROOT / ".venv" / "bin" / "ioc"


def free_port() -> int:
    """As tests/conftest.py's helper (conftest modules are not importable by name)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    """Nobody listens (connect is refused) and the port can be bound again."""
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as sock:
        # As the stack's own check: sockets in TIME_WAIT do not make a port taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus IOC_*/AWS_* (other test levels set them), plus ``extra``. A
    stack started with it records its ports apart from the checkout's ``.ioc/dev.json``, so
    it never hides (nor, stopping, removes) a developer's `make dev`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IOC_", "AWS_"))}
    env["PYTHONUNBUFFERED"] = "1"
    env["IOC_DEV_STATE"] = str(Path(tempfile.gettempdir()) / f"ioc-e2e-{os.getpid()}-dev.json")
    env.update(extra)
    return env


def wait_until(
    produce: Callable[[], T], done: Callable[[T], bool], timeout: float, interval: float = 0.5
) -> tuple[bool, T]:
    """Call ``produce`` until ``done`` holds or ``timeout`` passes; (held, last value)."""
    deadline = time.monotonic() + timeout
    while True:
        value = produce()
        if done(value):
            return True, value
        if time.monotonic() > deadline:
            return False, value
        time.sleep(interval)


def run_ioc(
    *args: str, endpoint: str | None = None, state: Path | None = None, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """``ioc *args`` told the local AWS ``endpoint`` (IOC_AWS_ENDPOINT), or left to find the
    stack as a developer's terminal does: from the record at ``state`` (IOC_DEV_STATE)."""
    extra = {"IOC_AWS_ENDPOINT": endpoint} if endpoint is not None else {}
    if state is not None:
        extra["IOC_DEV_STATE"] = str(state)
    return subprocess.run(
        [str(ioc_binary()), *args],
        env=clean_env(**extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class LocalStack:
    api_port: int
    aws_port: int
    log_path: Path
    process: subprocess.Popen[bytes]
    state_path: Path  # where it records its ports (IOC_DEV_STATE)
    ready_after: float = 0.0  # seconds from launch to "Ready in"
    figures_at_ready: dict[str, Any] = field(default_factory=dict)  # read the moment it said so
    # The figures once the demo history was projected, read before any test changed data.
    demo_figures: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def aws_url(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.get(self.url + path, timeout=HTTP_TIMEOUT, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(self.url + path, timeout=HTTP_TIMEOUT, **kwargs)

    def stats(self) -> dict[str, Any]:
        response = self.get("/api/v1/stats/field-reporting")
        assert response.status_code == 200, response.text
        figures: dict[str, Any] = response.json()
        return figures

    def ioc(self, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """An ``ioc`` command against this stack's local AWS."""
        return run_ioc(*args, endpoint=self.aws_url, timeout=timeout)


def settled(stack: LocalStack, total: int, timeout: float) -> dict[str, Any]:
    """Figures once ``total`` is reached and nothing moves for 2 s (the pump polls every 0.25 s)."""
    reached, figures = wait_until(stack.stats, lambda f: f["total"] >= total, timeout)
    assert reached, f"stats total still {figures['total']} after {timeout:.0f} s, expected {total}"
    for _ in range(30):
        time.sleep(1)
        again = stack.stats()
        if again == figures:
            time.sleep(1)
            last = stack.stats()
            if last == again:
                return last
            again = last
        figures = again
    raise AssertionError(f"stats never settled: {figures}")


def quiet(stack: LocalStack) -> dict[str, Any]:
    """Figures once whatever earlier tests set moving has reached them (the stack is shared)."""
    return settled(stack, 0, timeout=60)


def start(log_path: Path) -> LocalStack:
    api_port, aws_port = free_port(), free_port()
    while aws_port == api_port:
        aws_port = free_port()
    state_path = log_path.with_name("dev.json")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ioc_binary()), "dev", "--port", str(api_port), "--aws-port", str(aws_port)],
            env=clean_env(IOC_DEV_STATE=str(state_path)),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return LocalStack(api_port, aws_port, log_path, process, state_path)


def kill(stack: LocalStack) -> None:
    if stack.process.poll() is None:
        stack.process.kill()
        stack.process.wait(timeout=10)
