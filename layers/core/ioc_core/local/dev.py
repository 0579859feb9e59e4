"""`ioc dev`: the whole system on one machine, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ioc_core.local.aws import LocalAws, is_running, port_free
from ioc_core.local.dev_state import DevState, remove, write
from ioc_core.platform.rooms import Room

if TYPE_CHECKING:
    from ioc_core.local.pump import EventPump


@dataclass
class DevOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    aws_port: int = 4566
    seed: bool = True
    access_log: bool = False  # a line per request the gateway answers
    metrics: bool = False  # the Lambdas' EMF metric lines, as CloudWatch gets them in AWS


CATCH_UP_TIMEOUT = 600.0  # a bound against a broken consumer, not a target
BACKLOG_STAGES = 2  # the outbox relay (table streams → Kinesis), then Kinesis' consumers


def say(message: str) -> None:
    print(message, flush=True)


def run(options: DevOptions) -> int:
    endpoint = f"http://{options.host}:{options.aws_port}"
    if not port_free(options.host, options.port):
        say(f"Port {options.port} is taken. Stop what uses it, or run `make dev PORT=8001`.")
        return 2
    aws: LocalAws | None = None
    if is_running(endpoint):
        say(f"Using the local AWS already running at {endpoint}")
    elif not port_free(options.host, options.aws_port):
        say(f"Port {options.aws_port} is taken by something else. Run `make dev AWS_PORT=4567`.")
        return 2
    else:
        aws = LocalAws(options.host, options.aws_port)
        aws.start()
        say(f"Local AWS (moto) on {endpoint}")
    os.environ["IOC_AWS_ENDPOINT"] = endpoint
    os.environ["IOC_PUBLIC_BASE_URL"] = f"http://{options.host}:{options.port}"
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "ioc-local")
    _metrics(options.metrics)
    state = DevState(options.host, options.port, options.aws_port, os.getpid(), _now())
    try:
        return _serve(options, endpoint, state)
    finally:
        remove(state)  # when the start failed; a stop has removed it already
        if aws:
            aws.stop()


def _serve(options: DevOptions, endpoint: str, state: DevState) -> int:
    """Start everything, record ``state``, wait for Ctrl-C or SIGTERM, stop all but moto."""

    # Imported after the environment is set: settings are read once.
    from ioc_core.identity import wiring as identity_wiring
    from ioc_core.local.gateway import Gateway
    from ioc_core.local.provision import provision
    from ioc_core.local.pump import EventPump
    from ioc_core.local.scheduler import Scheduler
    from ioc_core.local.seed import seed
    from ioc_core.platform.wiring import ready
    from ioc_core.rooms import ROOMS

    settings = ready()
    started = time.monotonic()
    # Hold the console's port from the start (it answers once the demo data is in): chosen by
    # the caller and bound minutes later, it could be taken in between.
    api = Gateway(options.host, options.port)
    write(state)  # for the `ioc` commands of other terminals; removed as this one stops
    provision(settings, progress=lambda m: say(f"  created {m}"))
    if options.seed:
        say("Loading demo data…")
        seed(settings, progress=lambda m: say(f"  {m}"))
    pump = EventPump(settings)
    pump.start()
    services = [start() for room in ROOMS for start in room.dev_services]  # simulators
    scheduler = Scheduler()  # the scheduled jobs of RESOURCES.schedules, on their rates
    scheduler.start()
    _console_logs(options.access_log)
    dev_idp = identity_wiring.dev_idp()
    if dev_idp is not None:  # demo staff: credentials printed once, when first created
        dev_idp.ensure_staff()
    api.start()
    _catch_up(pump)
    say(f"Ready in {time.monotonic() - started:.1f} s: statistics and inboxes hold the demo history.")
    _banner(api.url, endpoint, ROOMS)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):  # wake often: signals are handled between waits
        pass
    # A clean stop takes a few seconds; should a thread hang in it, leave anyway.
    watchdog = threading.Timer(10.0, lambda: os._exit(1))
    watchdog.daemon = True
    watchdog.start()
    say("Stopping…")
    remove(state)  # first: a stop that hangs is ended by the watchdog, skipping the rest
    api.stop()
    for service in services:
        service.stop()
    scheduler.stop()
    pump.stop()
    say("Stopped; ports freed.")
    return 0


def _catch_up(pump: EventPump, timeout: float = CATCH_UP_TIMEOUT) -> None:
    """Wait until every consumer has read its streams to the end (the demo's events are in the
    statistics and inboxes), saying how far it is; past ``timeout``, say what is still behind.

    Events reach Kinesis through the outbox relay: a consumer may reach the end of Kinesis
    while the relay is still feeding it. So once every consumer has reached its end, each must
    reach it again: by then the relay had relayed the whole outbox before the second round."""
    deadline, last_said = time.monotonic() + timeout, time.monotonic()
    for _ in range(BACKLOG_STAGES):
        pump.rearm()
        while pump.behind():
            now = time.monotonic()
            if now > deadline:
                say(f"  still catching up after {timeout:.0f} s: {', '.join(pump.behind())} (see their logs)")
                return
            if now - last_said >= 5:
                behind = ", ".join(pump.behind())
                say(f"  catching up: {pump.delivered():,} events processed; behind: {behind}")
                last_said = now
            time.sleep(0.25)


def _metrics(shown: bool) -> None:
    """EMF lines (one JSON object per Lambda invocation) only when asked for; without them
    Powertools also warns at every flush that it had nothing to publish: not worth a line."""
    import warnings

    os.environ["POWERTOOLS_METRICS_DISABLED"] = "false" if shown else "true"
    if not shown:
        warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


def _now() -> str:
    from datetime import UTC, datetime

    from ioc_core.shared.clock import to_vn

    return to_vn(datetime.now(UTC)).isoformat(timespec="seconds")


def _console_logs(access_log: bool = False) -> None:
    """One-time codes, demo staff credentials and SMS/push messages go to this console, and
    the gateway's access lines when asked for."""
    import logging

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("ioc.dev_idp", "ioc.notifications", *(["ioc.gateway.access"] if access_log else [])):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _banner(url: str, aws: str, rooms: tuple[Room, ...]) -> None:
    lines = [(what, f"{url}{path}") for room in rooms for what, path in room.banner]
    lines += [
        ("Operator console", f"{url}/console/"),
        ("Local AWS (moto)", f"{aws}/moto-api/"),
    ]
    width = max(len(what) for what, _ in lines) + 3
    listed = "\n".join(f"  {what.ljust(width)}{where}" for what, where in lines)
    say(
        f"""
  Phan Thiet IOC — local stack ({", ".join(r.title.en for r in rooms if r.banner)})
  ─────────────────────────────
{listed}

  Try:
    curl {url}/api/v1/stats/field-reporting
    .venv/bin/ioc api-key create my-client        # then POST /open311/v2/requests.json
    curl -X POST {url}/api/v1/reports -H 'Content-Type: application/json' \\
      -d '{{"service_code":"sidewalk_damage","lat":10.928,"long":108.102,"description":"Vỉa hè vỡ"}}'

  Ctrl-C stops everything.
""".rstrip()
    )


if __name__ == "__main__":
    sys.exit(run(DevOptions()))
