"""Fit the fire region model on generated sequences and write it into the package.

    python -m ioc_core.cameras.vision.train

Training data: fire episodes and quarter-day runs (sunrise, sunset, night traffic, rain,
shake) of synthetic cameras with seeds from ``TRAINING_SEED_BASE`` up; the sequence benchmark
uses seeds below it, so nothing it scores was trained on. A region is a positive when its
centre lies in a burning fire's box. Deterministic: the same code writes the same file.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from ioc_core.cameras.sequences import TRAINING_SEED_BASE, event_scene, run_camera
from ioc_core.cameras.vision.fire import MODEL_PATH, REGION_FEATURES
from ioc_core.cameras.vision.learn import StumpEnsemble
from ioc_core.cameras.vision.scenes import Scene, Weather

FIRE_EPISODES = 40
QUARTER_DAYS = 12


def training_set() -> tuple[np.ndarray, np.ndarray]:
    untrained = StumpEnsemble(features=REGION_FEATURES)  # scores 0.5: no alerts shape the data
    xs: list[np.ndarray] = []
    ys: list[int] = []
    for i in range(FIRE_EPISODES):
        run = run_camera(event_scene(TRAINING_SEED_BASE + i, "fire"), 60, model=untrained, collect=True)
        xs += run.features
        ys += run.labels
    rng = np.random.default_rng(TRAINING_SEED_BASE)
    for i in range(QUARTER_DAYS):
        start = float(rng.choice([4 * 60, 10 * 60, 16 * 60, 22 * 60]))
        weather = Weather(
            rain=bool(rng.random() < 0.3), shake_px=float(rng.choice([0.5, 1.5])), cloudy=float(rng.random())
        )
        scene = Scene(seed=TRAINING_SEED_BASE + 100 + i, start_minute=start, weather=weather)
        run = run_camera(scene, 6 * 60, model=untrained, collect=True)
        xs += run.features
        ys += [0] * len(run.features)
    return np.vstack(xs), np.array(ys)


def main() -> int:
    started = time.perf_counter()
    x, y = training_set()
    model = StumpEnsemble.fit(
        x,
        y,
        REGION_FEATURES,
        rounds=150,
        fitted_on=(
            f"{len(y)} candidate regions ({int(y.sum())} fire) from generated sequences, "
            f"seeds {TRAINING_SEED_BASE}+; python -m ioc_core.cameras.vision.train"
        ),
    )
    MODEL_PATH.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"{model.fitted_on}: written to {MODEL_PATH} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
