"""Every accepted report is counted exactly once, whatever the pipe does to its event.

Reports pour in from several threads (phones retrying with the same Idempotency-Key
among them) while the event pump runs, and faults are injected at each hop: Kinesis
refuses records or the whole put, the consumer crashes half-way through a batch after
applying part of it, and batches are delivered twice.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

import pytest

from ioc_core.field_reporting.models import ReportDraft
from ioc_core.field_reporting.service import IntakeService
from ioc_core.field_reporting.stats import PK, deltas, figures
from ioc_core.field_reporting.wiring import stats_projection
from ioc_core.local.lambdas import load_handler
from ioc_core.local.pump import EventPump
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration
POINTS = ((10.928, 108.102), (10.945, 108.28), (10.88, 108.05), (10.93, 108.13))


class FlakyPublisher:
    """Kinesis that refuses some records the first time it sees them, and sometimes all."""

    def __init__(self, real: KinesisPublisher, rng: random.Random) -> None:
        self.real, self.rng, self.seen = real, rng, Counter[str]()
        self.refused = 0
        self.lock = threading.Lock()

    def publish(self, records: list[tuple[str, str]]) -> list[int]:
        with self.lock:
            for _, payload in records:
                self.seen[payload] += 1
            first_try = all(self.seen[p] == 1 for _, p in records)
            if first_try and (self.refused == 0 or self.rng.random() < 0.15):
                self.refused += len(records)
                raise ConnectionError("injected: stream unavailable")
            refuse = [i for i, (_, p) in enumerate(records) if self.seen[p] == 1 and self.rng.random() < 0.2]
        keep = [r for i, r in enumerate(records) if i not in refuse]
        failed_real = self.real.publish(keep)
        self.refused += len(refuse)
        # Report positions in the caller's list (refused ones plus any the real stream refused).
        kept_positions = [i for i in range(len(records)) if i not in refuse]
        return sorted(refuse + [kept_positions[i] for i in failed_real])


class CrashingConsumer:
    """Applies the first part of a batch, then crashes; sometimes delivers a batch twice.

    A batch starting at the same event crashes at most once, so faults stay within the
    mapping's retry budget (beyond it a record goes to the DLQ by design)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.crashes = 0
        self.duplicates = 0
        self.crashed_at: set[str] = set()

    def apply(self, events: list[CloudEvent]) -> None:
        # The first batch always crashes (after applying part of it), later ones at random.
        if events[0].id not in self.crashed_at and (self.crashes == 0 or self.rng.random() < 0.3):
            self.crashed_at.add(events[0].id)
            half = events[: len(events) // 2]
            stats_projection().apply([(e.id, deltas(e)) for e in half])
            self.crashes += 1
            raise RuntimeError("injected: consumer crashed mid-batch")
        stats_projection().apply([(e.id, deltas(e)) for e in events])

    def handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        result = consume_kinesis(event, self.apply)
        if not result["batchItemFailures"] and (self.duplicates == 0 or self.rng.random() < 0.3):
            self.duplicates += 1
            consume_kinesis(event, self.apply)  # the same batch delivered again
        return result


def test_every_accepted_report_is_counted_exactly_once(stack: Settings, intake: IntakeService) -> None:
    from ioc_core.platform.relay import relay

    rng = random.Random(7)
    publisher = FlakyPublisher(KinesisPublisher(stack), rng)
    consumer = CrashingConsumer(rng)
    relay_fn = load_handler(RESOURCES.consumers[0].handler)  # the real module, for its Logger
    assert relay_fn is not None
    pump = EventPump(
        stack,
        handlers={
            "outbox-relay": lambda event, ctx: relay(event, publisher),
            "field-reporting-stats": consumer.handler,
        },
        interval=0.02,
    )
    code = next(
        s.service_code
        for s in intake.catalogue.active_services()
        if not s.attributes and s.type == "realtime"
    )
    accepted: dict[str, str] = {}
    lock = threading.Lock()

    def phone(worker: int) -> None:
        local = random.Random(worker)
        for n in range(15):
            lat, lon = POINTS[(worker + n) % len(POINTS)]
            draft = ReportDraft(service_code=code, lat=lat, lon=lon, description=f"worker {worker} #{n}")
            key = f"w{worker}-{n}"
            for _ in range(local.choice((1, 1, 2, 3))):  # retries of the same request
                result = intake.submit(draft, idempotency_key=key)
                with lock:
                    accepted.setdefault(key, result.report.report_id)
                    assert accepted[key] == result.report.report_id

    pump.start()
    workers = [threading.Thread(target=phone, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    pump.stop()
    pump.drain(timeout=120, settle_rounds=3)

    assert all(m.stats.dead_lettered == 0 for m in pump.mappings)
    counters = stats_projection().read(PK, "all")
    assert figures(counters)["total"] == len(set(accepted.values())) == 60
    per_ward = Counter(intake.repo.get(i).location.ward_code for i in accepted.values())  # type: ignore[union-attr]
    for ward, count in per_ward.items():
        assert stats_projection().read(PK, f"ward#{ward}")["total"] == count
    # The faults really happened, and nothing was given up on.
    assert publisher.refused > 0 and consumer.crashes > 0 and consumer.duplicates > 0
