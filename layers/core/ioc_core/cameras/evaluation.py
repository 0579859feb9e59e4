"""`ioc eval fire DIR`: how well the still-image fire classifier separates fire from non-fire.

Nothing is fitted on the image it scores. Each image's score is the mean of its out-of-fold
probabilities over repeated stratified k-fold cross-validation: the boosted-stump model that
scores an image was fitted on the other folds only. Images marked ambiguous in the manifest
(fireplaces, candles, tyre smoke) are never trained on; they are scored by every fold model
and reported apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ioc_core.cameras.vision.features import FEATURES, still_features
from ioc_core.cameras.vision.learn import StumpEnsemble, roc_auc, stratified_folds

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
OPERATING_THRESHOLD = 0.5
FOLDS = 5
REPEATS = 5


class EvaluationInputError(ValueError):
    """The folder is not a labelled sample: the message says what to pass."""


LAYOUT = "a folder with fire/ and nofire/ images (or a manifest.json listing them)"


@dataclass(frozen=True)
class Sample:
    file: str
    fire: bool
    subset: str  # fire, hard_negative, random_negative, or negative when not known
    ambiguous: bool = False


def load_samples(root: Path) -> list[Sample]:
    """From ``manifest.json`` when present, else every image under ``fire/`` and ``nofire/``."""
    if not root.is_dir():
        raise EvaluationInputError(f"No folder {root}: pass {LAYOUT}.")
    manifest = root / "manifest.json"
    if manifest.exists():
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
            return [
                Sample(
                    file=e["file"],
                    fire=e["label"] == "fire",
                    subset=e.get("subset") or ("fire" if e["label"] == "fire" else "negative"),
                    ambiguous=bool(e.get("ambiguous", False)),
                )
                for e in entries
            ]
        except (ValueError, TypeError, KeyError) as error:
            raise EvaluationInputError(
                f"{manifest} is not a list of {{file, label}} objects ({error})."
            ) from error
    samples = []
    for folder, fire in (("fire", True), ("nofire", False)):
        for path in sorted((root / folder).glob("*")):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                samples.append(Sample(f"{folder}/{path.name}", fire, "fire" if fire else "negative"))
    return samples


def image_features(root: Path, samples: list[Sample]) -> np.ndarray:
    import cv2

    rows = []
    for sample in samples:
        try:
            data = np.fromfile(str(root / sample.file), dtype=np.uint8)
        except OSError as error:
            raise EvaluationInputError(f"Cannot read {root / sample.file}: {error.strerror}.") from error
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if image is None:
            raise EvaluationInputError(f"Cannot decode {root / sample.file} as an image.")
        rows.append(still_features(image))
    return np.vstack(rows)


def out_of_fold_scores(
    x: np.ndarray, fire: np.ndarray, ambiguous: np.ndarray, folds: int = FOLDS, repeats: int = REPEATS
) -> np.ndarray:
    """Each image's probability from models that never saw it, averaged over the repeats."""
    trainable = ~ambiguous
    total = np.zeros(len(fire))
    for repeat in range(repeats):
        assignment = np.full(len(fire), -1)
        assignment[trainable] = stratified_folds(fire[trainable], folds, seed=1000 + repeat)
        for fold in range(folds):
            train = trainable & (assignment != fold)
            model = StumpEnsemble.fit(x[train], fire[train], FEATURES, seed=repeat * folds + fold)
            held_out = assignment == fold
            total[held_out] += model.probability(x[held_out])
            # Ambiguous images are never trained on: every fold model scores them.
            total[ambiguous] += model.probability(x[ambiguous]) / folds
    return total / repeats


def _rate(flags: np.ndarray) -> float | None:
    return round(float(flags.mean()), 4) if len(flags) else None


def metrics(scores: np.ndarray, samples: list[Sample], threshold: float) -> dict[str, Any]:
    fire = np.array([s.fire for s in samples])
    subset = np.array([s.subset for s in samples])
    flagged = scores >= threshold
    true_pos = int((flagged & fire).sum())
    return {
        "auc": round(roc_auc(scores, fire), 4),
        "precision": round(true_pos / max(1, int(flagged.sum())), 4),
        "recall": round(true_pos / max(1, int(fire.sum())), 4),
        "fpr_hard": _rate(flagged[subset == "hard_negative"]),
        "fpr_random": _rate(flagged[subset == "random_negative"]),
        "fpr": _rate(flagged[~fire]),
        "images": len(samples),
        "fire": int(fire.sum()),
        "nofire": int((~fire).sum()),
    }


def evaluate_fire(
    root: Path, folds: int = FOLDS, repeats: int = REPEATS, details: bool = False
) -> dict[str, Any]:
    samples = load_samples(root)
    if not samples:
        raise EvaluationInputError(f"No labelled images in {root}: pass {LAYOUT}.")
    x = image_features(root, samples)
    fire = np.array([s.fire for s in samples])
    ambiguous = np.array([s.ambiguous for s in samples])
    scores = out_of_fold_scores(x, fire, ambiguous, folds, repeats)
    clear = [i for i, s in enumerate(samples) if not s.ambiguous]
    result = metrics(scores[clear], [samples[i] for i in clear], OPERATING_THRESHOLD)
    result["with_ambiguous"] = metrics(scores, samples, OPERATING_THRESHOLD)
    result["ambiguous"] = int(ambiguous.sum())
    result["threshold"] = OPERATING_THRESHOLD
    result["method"] = (
        f"{folds}-fold stratified cross-validation x {repeats} repeats; boosted stumps on "
        f"{len(FEATURES)} still-image features; per-image out-of-fold probability averaged over "
        "repeats; ambiguous images never trained on; scored without them"
    )
    if details:
        result["scores"] = [
            {
                "file": s.file,
                "fire": s.fire,
                "subset": s.subset,
                "ambiguous": s.ambiguous,
                "p": round(float(p), 4),
            }
            for s, p in zip(samples, scores, strict=True)
        ]
    return result
