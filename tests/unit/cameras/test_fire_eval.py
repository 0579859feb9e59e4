"""`ioc eval fire` on the shared labelled sample: cross-validated, never fitted on what it scores.

The sample lives beside the repository (../shared/datasets/fire_eval; internal use only, never
copied here). CI has shared/ beside the clone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ioc_core.cameras.evaluation import evaluate_fire

pytestmark = pytest.mark.unit

FIRE_EVAL = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "fire_eval"


@pytest.fixture(scope="module")
def result() -> dict[str, object]:
    if not (FIRE_EVAL / "manifest.json").exists():
        pytest.skip(f"the labelled sample is not beside the repository ({FIRE_EVAL} is absent)")
    return evaluate_fire(FIRE_EVAL)


@pytest.mark.slow  # ≈ 20 s: the cross-validated evaluation of 250 images (the fixture)
def test_auc_meets_the_target_without_the_ambiguous_images(result: dict[str, object]) -> None:
    assert result["images"] == 250 and result["ambiguous"] == 7
    assert float(result["auc"]) >= 0.90  # type: ignore[arg-type]
    print(json.dumps({k: result[k] for k in ("auc", "precision", "recall", "fpr_hard", "fpr_random")}))


@pytest.mark.slow  # the same evaluation when run alone
def test_every_figure_is_reported_with_and_without_the_ambiguous_images(result: dict[str, object]) -> None:
    for name in ("auc", "precision", "recall", "fpr_hard", "fpr_random"):
        assert 0.0 <= float(result[name]) <= 1.0  # type: ignore[arg-type]
        assert name in result["with_ambiguous"]  # type: ignore[operator]
    assert "cross-validation" in str(result["method"])


def test_the_cli_prints_one_json_object(tmp_path: Path) -> None:
    import subprocess
    import sys

    import cv2
    import numpy as np

    rng = np.random.default_rng(0)
    for folder, tint in (("fire", (20, 120, 250)), ("nofire", (200, 160, 90))):
        (tmp_path / folder).mkdir()
        for i in range(10):
            image = np.clip(rng.normal(tint, 30, (60, 80, 3)), 0, 255).astype(np.uint8)
            cv2.imwrite(str(tmp_path / folder / f"{i}.jpg"), image)
    out = subprocess.run(
        [sys.executable, "-m", "ioc_core.cli", "eval", "fire", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    figures = json.loads(out.stdout)
    assert {"auc", "precision", "recall", "fpr_hard", "fpr_random"} <= set(figures)
    assert figures["fpr_hard"] is None  # no manifest: no hard negatives named
