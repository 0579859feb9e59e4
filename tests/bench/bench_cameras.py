"""Camera snapshot analysis: everything from JPEG bytes to alerts, against a full-resolution
`cv2.imdecode` of the same 1920×1080 snapshot in the same run (target ratio ≤ 1.0, ≤ 0.85 for
margin: analysis decodes at reduced resolution). Also the process's peak memory (target under
512 MB).

Measured (2026-12, 2-core machine shared with other work, load 3.5–4.5, this file alone in
18 runs alternating with the code before): 0.72–0.99, median 0.87, against 0.77–1.01, median
0.91. The reduced decode alone is 0.64–0.70 of the floor; the analysis after it costs about
0.75 ms in a warm loop (0.83 before, fastest runs) and up to twice that after a decode."""

from __future__ import annotations

import resource
import sys
from datetime import datetime, timedelta

import cv2
import numpy as np

from common import emit, interleaved
from ioc_core.cameras.simulator import STREET_WATCH, VERGE
from ioc_core.cameras.vision import reference as refs
from ioc_core.cameras.vision.analysis import analyse
from ioc_core.cameras.vision.jpeg import decode_for_analysis, encode_jpeg, inspect
from ioc_core.cameras.vision.scenes import Scene, Weather
from ioc_core.cameras.vision.state import DetectorState, Tuning
from ioc_core.shared.clock import VN_TZ

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=VN_TZ)
ZONES = [STREET_WATCH, VERGE]


def main() -> int:
    scene = Scene(seed=3, width=1920, height=1080, start_minute=11 * 60, weather=Weather(shake_px=1.0))
    history = [encode_jpeg(scene.render(t), quality=90) for t in (0, 4, 8, 12, 16)]
    views = [decode_for_analysis(d, inspect(d)) for d in history]
    references = {"day": refs.Reference(refs.median_reference(views))}
    state = DetectorState()
    for n, view in enumerate(views):  # warm tracks and caches as a running camera has them
        state = analyse(view, NOON + timedelta(minutes=4 * n), ZONES, Tuning(), state, references).state
    snapshot = encode_jpeg(scene.render(30), quality=90)
    buffer = np.frombuffer(snapshot, np.uint8)
    at = NOON + timedelta(minutes=30)

    def analyse_snapshot(_: int) -> None:
        view = decode_for_analysis(snapshot, inspect(snapshot))
        analyse(view, at, ZONES, Tuning(), state, references)

    def full_decode(_: int) -> None:
        cv2.imdecode(buffer, cv2.IMREAD_COLOR)

    ours, floor = interleaved(analyse_snapshot, full_decode, rounds=5, runs=40)
    emit("cameras.analyse_snapshot_1080p", ours, "s", floor, 1.0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit("cameras.peak_memory", peak_mb, "MB", 512.0, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
