"""Benchmark plumbing: a local AWS in-process, timing, and the one-line JSON result form."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def start_local_aws() -> Any:
    """moto's server on a free port, as `make dev` runs it; returns the server."""
    import logging
    import socket

    from ioc_core.local.aws import LocalAws

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    aws = LocalAws("127.0.0.1", port)
    aws.start()
    os.environ.update(
        {
            "IOC_AWS_ENDPOINT": aws.endpoint,
            "IOC_RESOURCE_PREFIX": "bench",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            "POWERTOOLS_METRICS_NAMESPACE": "bench",
        }
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    return aws


def median_seconds(fn: Callable[[int], None], runs: int, warmup: int = 10) -> float:
    for i in range(warmup):
        fn(-1 - i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved(
    a: Callable[[int], None], b: Callable[[int], None], rounds: int = 5, runs: int = 40
) -> tuple[float, float]:
    """Medians of a and b measured in alternating rounds, so drift hits both alike."""
    a_samples, b_samples = [], []
    for r in range(rounds):
        a_samples.append(median_seconds(lambda i, r=r: a(r * 10_000 + i), runs, warmup=3 if r else 10))
        b_samples.append(median_seconds(lambda i, r=r: b(r * 10_000 + i), runs, warmup=3 if r else 10))
    return statistics.median(a_samples), statistics.median(b_samples)


def emit(name: str, value: float, unit: str, floor: float, target: float) -> dict[str, Any]:
    line = {
        "name": name,
        "value": round(value, 6),
        "unit": unit,
        "floor": round(floor, 6),
        "ratio": round(value / floor, 3),
        "target": target,
    }
    print(json.dumps(line), flush=True)
    return line
