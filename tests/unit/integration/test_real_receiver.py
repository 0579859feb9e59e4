"""Deliveries to a real HTTP receiver on loopback that is down for hours, answers 500s, is
slow (past the forwarder's timeout, after it stored the event), answers 429 with Retry-After
and stores some events before failing (so they come again): nothing is lost, order holds per
entity, every signature verifies by hand (hmac, hashlib: not the package that signs) and each
event is applied once after de-duplication by webhook-id. The clock is simulated (the fakes'
stepping clock), so about a day and a half of retries runs in seconds; no assertion is timed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from delivery_fakes import T0, World

from ioc_core.integration.deliveries.http_sender import HttpSender
from ioc_core.integration.deliveries.models import DeliveryStatus
from ioc_core.integration.deliveries.ports import Answer
from ioc_core.integration.deliveries.service import NewSubscription
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = [pytest.mark.unit, pytest.mark.allow_loopback]
TOLERANCE = 300  # Standard Webhooks: refuse a timestamp more than 5 minutes off
SLOW_SECONDS = 0.4
TIMEOUT_SECONDS = 0.2


@dataclass
class Receiver:
    """The partner's endpoint: verifies, de-duplicates by webhook-id and applies in order. What
    it answers depends on the simulated time (``mode``) and on per-request tricks."""

    secret: str = ""
    clock: object = None
    applied: dict[str, list[int]] = field(default_factory=dict)  # entity → sequences applied
    seen: set[str] = field(default_factory=set)
    requests: int = 0
    bad_signatures: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    tricks: dict[str, int] = field(default_factory=dict)  # a trick → how many times it is still played
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        return self.clock.now()  # type: ignore[attr-defined,no-any-return]

    def verifies(self, headers: dict[str, str], body: bytes) -> bool:
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        msg_id, stamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) - int(self.now().timestamp())) > TOLERANCE:
            return False
        expected = base64.b64encode(
            hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
        )
        offered = [s.split(",", 1) for s in headers.get("webhook-signature", "").split(" ")]
        return any(v == "v1" and hmac.compare_digest(sig.encode(), expected) for v, sig in offered if sig)

    def take(self, trick: str) -> bool:
        with self.lock:
            if self.tricks.get(trick, 0) > 0:
                self.tricks[trick] -= 1
                return True
            return False

    def handle(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        with self.lock:
            self.requests += 1
        if not self.verifies(headers, body):
            self.bad_signatures += 1
            return 401, {}
        if self.take("flaky"):
            return 500, {}
        if self.take("busy"):
            return 429, {"Retry-After": "900"}
        event = CloudEvent.from_json(body)
        with self.lock:
            if headers["webhook-id"] in self.seen:
                self.duplicates += 1
            else:
                # Order per entity: apply only the next sequence; an earlier one missing is a 409.
                done = self.applied.setdefault(event.partitionkey or "", [])
                if done and int(event.sequence or 0) != done[-1] + 1:
                    self.out_of_order += 1
                    return 409, {}
                self.seen.add(headers["webhook-id"])
                done.append(int(event.sequence or 0))
        if self.take("slow"):
            time.sleep(SLOW_SECONDS)  # stored, then too slow: the forwarder gives up, sends it again
        if self.take("stored_then_500"):
            return 500, {}
        return 204, {}


class Endpoint:
    """A ThreadingHTTPServer on a loopback port (0: the system picks), stopped and started again
    on the same port to be "down"."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.start()

    def start(self) -> None:
        receiver = self.receiver

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                status, extra = receiver.handle({k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def up(self) -> bool:
        return self.server is not None


class Outage:
    """The real sender, with the endpoint down for the first three simulated hours."""

    def __init__(self, endpoint: Endpoint, world: World) -> None:
        self.endpoint, self.world = endpoint, world
        self.real = HttpSender(allow_loopback=True, resolver=None)

    def post(self, url: str, headers: dict[str, str], body: bytes, timeout: float) -> Answer:
        down = self.world.clock.now() - T0 < timedelta(hours=3)
        if down and self.endpoint.up:
            self.endpoint.stop()
        elif not down and not self.endpoint.up:
            self.endpoint.start()
        return self.real.post(url, headers, body, timeout)


@pytest.fixture
def setup() -> Iterator[tuple[World, Receiver, Endpoint]]:
    receiver = Receiver(tricks={"flaky": 6, "busy": 3, "slow": 3, "stored_then_500": 3})
    endpoint = Endpoint(receiver)
    world = World(sender=None)
    world.forwarder.sender = Outage(endpoint, world)
    world.forwarder.timeout = TIMEOUT_SECONDS
    receiver.clock = world.clock
    yield world, receiver, endpoint
    endpoint.stop()


def event(entity: str, sequence: int, at: datetime) -> CloudEvent:
    kind = "submitted" if sequence == 1 else "resolved"
    return CloudEvent.new(
        f"field_reporting.report.{kind}", subsystem="field_reporting", subject=entity, at=at,
        data={"report_id": entity, "ward_code": "22945", "step": sequence}, sequence=sequence,
    )  # fmt: skip


def test_nothing_is_lost_order_holds_and_each_event_is_applied_once(
    setup: tuple[World, Receiver, Endpoint],
) -> None:
    world, receiver, endpoint = setup
    url = f"http://127.0.0.1:{endpoint.port}/hooks/province"
    created = world.service.create(NewSubscription(url=url), by="quantri")
    receiver.secret = created.secret
    published: dict[str, list[int]] = {}
    entities = [f"PT-{n}" for n in range(6)]
    # Events come in over seven simulated hours, some twice (the stream is at least once).
    for hour in range(7):
        batch = []
        for entity in entities:
            sequence = len(published.setdefault(entity, [])) + 1
            published[entity].append(sequence)
            batch.append(event(entity, sequence, world.clock.now()))
        world.publish(*batch)
        if hour % 2 == 0:
            world.publish(*batch[:2])  # handed over again
        world.run(until=timedelta(hours=1))
        world.clock.advance(timedelta(hours=1))
    world.run(until=timedelta(days=2))

    sub = created.subscription.subscription_id
    assert world.deliveries.of_subscription(sub, DeliveryStatus.PARKED, 100).items == []
    assert world.deliveries.of_subscription(sub, DeliveryStatus.PENDING, 100).items == []
    assert receiver.applied == published  # every event, once, in its entity's order
    assert receiver.bad_signatures == 0 and receiver.out_of_order == 0
    assert receiver.duplicates >= 3  # the slow and the stored-then-500 answers were sent again
    assert receiver.tricks == {"flaky": 0, "busy": 0, "slow": 0, "stored_then_500": 0}
    log = world.attempts.of_subscription(sub, 1000).items
    assert any(a.status_code is None for a in log)  # while it was down
    assert {429, 500, 204} <= {a.status_code for a in log}
    assert world.clock.now() - T0 > timedelta(hours=7)  # simulated time, not waited for
    assert json.loads(world.deliveries.of_subscription(sub, DeliveryStatus.DELIVERED, 1).items[0].body)["id"]
