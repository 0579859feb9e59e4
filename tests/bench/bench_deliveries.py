"""The province's deliveries: one forwarder invocation (the Lambda handler with an SQS batch of
10 due deliveries, each a different entity) per delivery, against bare HTTP POSTs of the same
body to the same loopback receiver in the same run (kept-alive http.client, one after another);
and the lag from an event's commit (its outbox transaction) to the receiver having it, through
the local event pump (relay, stream, fan-out consumer, queue, forwarder), median and p99.

Both run on moto in this process: each delivery's DynamoDB reads and writes (the delivery, its
lane, its lease, its outcome, the attempt log) go through moto's HTTP server, which is far
slower than DynamoDB's single-digit milliseconds is beside a loopback POST; the pump polls
every 0.25 s per hop, where Lambda's mappings poll every second (SQS long-polls).

Measured on the shared 2-core machine (four runs; the floor itself moved from 0.13 to 1.7 ms
with the other work on it): through moto 25–48 ms per delivery, 30–190× the bare POST (a moto
put or get is 8–9 ms, a lane query 40 ms: storage, not the forwarder, is the time); on the
in-memory repositories 0.7–1.7 ms, 0.4–7× (0.4× once its workers kept their connections: ten
sends side by side against one at a time). Lag from commit to delivery: median 0.70–1.03 s,
p99 1.1–1.5 s (three pump hops of up to 0.25 s each, the relay's included)."""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = 1.5
BATCH = 10
LAG_EVENTS = 60


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        received = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                received.arrived.setdefault(self.headers.get("webhook-id") or "", time.perf_counter())
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> int:
    from common import emit, interleaved, start_local_aws

    aws = start_local_aws()
    receiver = Receiver()
    try:
        from ioc_core.integration.deliveries.fanout import position
        from ioc_core.integration.deliveries.models import Delivery
        from ioc_core.integration.deliveries.service import NewSubscription
        from ioc_core.integration.deliveries.wiring import delivery_store, subscription_service
        from ioc_core.local.lambdas import LocalContext, load_handler
        from ioc_core.local.provision import provision
        from ioc_core.platform.wiring import ready
        from ioc_core.shared.clock import SystemClock
        from ioc_core.shared.cloudevents import CloudEvent

        settings = ready()
        provision(settings)
        url = f"http://127.0.0.1:{receiver.port}/hooks"
        sub = subscription_service().create(NewSubscription(url=url), by="bench").subscription
        forward = load_handler("integration.forwarder.handler.handler")
        context = LocalContext(function_name="bench-forwarder")
        sample = CloudEvent.new(
            "field_reporting.report.submitted", subsystem="field_reporting", subject="PT-0",
            at=SystemClock().now(),
            data={"report_id": "PT-0", "ward_code": "22945", "service_code": "DEN_DUONG"},
        )  # fmt: skip
        body = sample.to_json().encode()
        counter = iter(range(10**9))

        def through_forwarder(_: int) -> None:
            now = SystemClock().now()
            records = []
            for _ in range(BATCH):
                n = next(counter)
                event = sample.model_copy(
                    update={"id": str(uuid.uuid4()), "subject": f"PT-{n}", "partitionkey": f"PT-{n}"}
                )
                delivery = Delivery(
                    subscription_id=sub.subscription_id, event_id=event.id, event_type=event.short_type,
                    entity=event.partitionkey or "", position=position(str(n)), body=event.to_json(),
                    due_at=now,
                    created_at=now, updated_at=now,
                )  # fmt: skip
                delivery_store().add(delivery)
                records.append(
                    {"messageId": str(n), "body": json.dumps({"delivery_id": delivery.delivery_id})}
                )
            start = time.perf_counter()
            answer = forward({"Records": records}, context)
            elapsed.append((time.perf_counter() - start) / BATCH)
            if answer["batchItemFailures"]:
                raise RuntimeError(f"forwarder failed: {answer}")

        connection = HTTPConnection("127.0.0.1", receiver.port, timeout=10)

        def bare_posts(_: int) -> None:
            start = time.perf_counter()
            for _ in range(BATCH):
                connection.request("POST", "/hooks", body=body, headers={"content-type": "application/json"})
                response = connection.getresponse()
                response.read()
            bare.append((time.perf_counter() - start) / BATCH)

        elapsed: list[float] = []
        bare: list[float] = []
        interleaved(through_forwarder, bare_posts, rounds=3, runs=10)
        per_delivery, floor = statistics.median(elapsed), statistics.median(bare)
        emit("integration.forwarder.per_delivery", per_delivery, "s", floor, TARGET)
        in_memory(receiver, sample, bare_posts, bare)
        lag(settings, receiver)
        return 0
    finally:
        receiver.stop()
        aws.stop()


def in_memory(receiver: Receiver, sample: Any, bare_posts: Any, bare: list[float]) -> None:
    """The same batch on the in-memory repositories: what the forwarder costs beside its storage
    (signing, the HTTP client, the lane and lease bookkeeping, the thread pool)."""
    sys.path.insert(0, str(ROOT / "tests" / "unit" / "integration"))
    from delivery_fakes import World  # type: ignore[import-not-found]

    from common import emit, interleaved
    from ioc_core.integration.deliveries.http_sender import HttpSender
    from ioc_core.integration.deliveries.service import NewSubscription
    from ioc_core.shared.clock import SystemClock

    world = World(HttpSender(allow_loopback=True, resolver=None))
    world.clock = SystemClock()  # type: ignore[assignment]
    world.forwarder.clock = world.service.clock = world.fanout.clock = world.clock
    world.service.create(NewSubscription(url=f"http://127.0.0.1:{receiver.port}/hooks"), by="bench")
    counter = iter(range(10**9))
    elapsed: list[float] = []

    def through_forwarder(_: int) -> None:
        events = []
        for _ in range(BATCH):
            n = next(counter)
            events.append(
                sample.model_copy(
                    update={"id": str(uuid.uuid4()), "subject": f"M-{n}", "partitionkey": f"M-{n}"}
                )
            )
        world.publish(*events)
        due = world.wakeups.take_due(world.clock.now())
        start = time.perf_counter()
        world.forwarder.forward_many(due)
        elapsed.append((time.perf_counter() - start) / BATCH)

    bare.clear()
    interleaved(through_forwarder, bare_posts, rounds=3, runs=10)
    floor = statistics.median(bare)
    emit("integration.forwarder.per_delivery_in_memory", statistics.median(elapsed), "s", floor, TARGET)


def lag(settings: Any, receiver: Receiver) -> None:
    """Events committed one by one through the outbox, delivered through the running pump."""
    from ioc_core.integration.deliveries.resources import delivery_resources
    from ioc_core.local.pump import EventPump
    from ioc_core.platform.dynamo import transaction
    from ioc_core.platform.outbox import stage_events
    from ioc_core.platform.resources import Resources
    from ioc_core.rooms import RESOURCES
    from ioc_core.shared.clock import SystemClock
    from ioc_core.shared.cloudevents import CloudEvent

    relay = next(c for c in RESOURCES.consumers if c.function == "outbox-relay")
    pump = EventPump(settings, Resources(consumers=(relay,)) + delivery_resources())
    pump.drain(timeout=120)  # what the first half left on the stream
    pump.start()
    committed: dict[str, float] = {}
    try:
        for n in range(LAG_EVENTS):
            event = CloudEvent.new(
                "field_reporting.report.submitted", subsystem="field_reporting", subject=f"LAG-{n}",
                at=SystemClock().now(), data={"report_id": f"LAG-{n}", "ward_code": "22945"},
            )  # fmt: skip
            with transaction(settings) as tx:
                stage_events(tx, [event])
            committed[event.id] = time.perf_counter()
            time.sleep(0.05)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(e in receiver.arrived for e in committed):
            time.sleep(0.05)
    finally:
        pump.stop()
    lags = sorted(receiver.arrived[e] - t for e, t in committed.items() if e in receiver.arrived)
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else float("nan")
    for name, value in (("median", statistics.median(lags) if lags else float("nan")), ("p99", p99)):
        line = {
            "name": f"integration.delivery_lag.{name}", "value": round(value, 4), "unit": "s",
            "events": len(committed), "delivered": len(lags), "pump_interval_s": pump.interval,
        }  # fmt: skip
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
