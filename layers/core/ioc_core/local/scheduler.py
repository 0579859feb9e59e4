"""The local scheduler: what EventBridge Scheduler does in AWS, for the jobs named in the
resource definitions (``RESOURCES.schedules``), run in a thread of ``ioc dev``.

``rate(N minutes|hours)`` runs every N; ``cron(...)`` expressions are run hourly locally
(their exact calendar is the scheduler's in AWS). ``ioc jobs run NAME`` runs one job now.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

from ioc_core.local.lambdas import LocalContext, load_handler
from ioc_core.platform.resources import Resources, Schedule
from ioc_core.rooms import RESOURCES

log = logging.getLogger("ioc.scheduler")
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


def interval_seconds(expression: str) -> float:
    match = _RATE.match(expression.strip())
    if match is None:
        return 3600.0
    return int(match.group(1)) * _UNITS[match.group(2).rstrip("s")]


def find(name: str, resources: Resources = RESOURCES) -> Schedule:
    for schedule in resources.schedules:
        if schedule.function == name:
            return schedule
    names = ", ".join(s.function for s in resources.schedules)
    raise KeyError(f"no scheduled job '{name}'; jobs: {names}")


def run_job(schedule: Schedule, prefix: str = "ioc-local") -> Any:
    """One run, with the event EventBridge Scheduler sends."""
    event = {"source": "aws.scheduler", "detail-type": "Scheduled Event", "resources": [schedule.function]}
    return load_handler(schedule.handler)(event, LocalContext(function_name=f"{prefix}-{schedule.function}"))


class Scheduler:
    def __init__(self, resources: Resources = RESOURCES, only: tuple[str, ...] | None = None) -> None:
        self.schedules = [s for s in resources.schedules if only is None or s.function in only]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs: dict[str, int] = {s.function: 0 for s in self.schedules}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="ioc-scheduler", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        due = {s.function: time.monotonic() + min(interval_seconds(s.expression), 30) for s in self.schedules}
        while not self._stop.is_set():
            now = time.monotonic()
            for schedule in self.schedules:
                if now >= due[schedule.function]:
                    due[schedule.function] = now + interval_seconds(schedule.expression)
                    try:
                        run_job(schedule)
                        self.runs[schedule.function] += 1
                    except Exception:  # a failing job must not stop the others
                        log.exception("scheduled job %s failed", schedule.function)
            self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)  # a daemon: a job mid-run ends with the process
