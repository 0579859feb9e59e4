"""Small learners in numpy: boosted decision stumps (an additive model that ships as JSON),
ROC AUC, and stratified folds for cross-validation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Stump:
    feature: int
    threshold: float
    left: float  # added to the margin when x[feature] < threshold
    right: float


@dataclass
class StumpEnsemble:
    """Gradient-boosted stumps on the logistic loss (Newton leaf values, L2 on leaves)."""

    features: list[str]
    base: float = 0.0
    stumps: list[Stump] = field(default_factory=list)
    fitted_on: str = ""

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: np.ndarray,
        features: list[str],
        rounds: int = 200,
        rate: float = 0.1,
        bins: int = 16,
        min_leaf: int = 6,
        l2: float = 1.0,
        subsample: float = 0.8,
        seed: int = 0,
        fitted_on: str = "",
    ) -> StumpEnsemble:
        rng = np.random.default_rng(seed)
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        prior = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
        model = cls(features=list(features), base=float(np.log(prior / (1 - prior))), fitted_on=fitted_on)
        cuts = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, bins + 1)[1:-1])) for j in range(x.shape[1])]
        binned = np.stack(
            [np.searchsorted(cuts[j], x[:, j], side="right") for j in range(x.shape[1])], axis=1
        )
        margin = np.full(len(y), model.base)
        for _ in range(rounds):
            p = 1.0 / (1.0 + np.exp(-margin))
            grad, hess = y - p, p * (1 - p)
            rows = np.flatnonzero(rng.random(len(y)) < subsample)
            stump = _best_stump(binned[rows], grad[rows], hess[rows], cuts, min_leaf, l2)
            if stump is None:
                break
            stump.left *= rate
            stump.right *= rate
            model.stumps.append(stump)
            margin += np.where(x[:, stump.feature] < stump.threshold, stump.left, stump.right)
        return model

    def margin(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        out = np.full(len(x), self.base)
        for s in self.stumps:
            out += np.where(x[:, s.feature] < s.threshold, s.left, s.right)
        return out

    def probability(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.margin(x))))

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": "boosted_stumps",
                "fitted_on": self.fitted_on,
                "features": self.features,
                "base": round(self.base, 6),
                "stumps": [
                    [s.feature, round(s.threshold, 6), round(s.left, 6), round(s.right, 6)]
                    for s in self.stumps
                ],
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, raw: str) -> StumpEnsemble:
        doc = json.loads(raw)
        return cls(
            features=list(doc["features"]),
            base=float(doc["base"]),
            stumps=[Stump(int(f), float(t), float(a), float(b)) for f, t, a, b in doc["stumps"]],
            fitted_on=str(doc.get("fitted_on", "")),
        )

    @classmethod
    def load(cls, path: Path) -> StumpEnsemble:
        return cls.from_json(path.read_text(encoding="utf-8"))


def _best_stump(
    binned: np.ndarray, grad: np.ndarray, hess: np.ndarray, cuts: list[np.ndarray], min_leaf: int, l2: float
) -> Stump | None:
    total_g, total_h, n = grad.sum(), hess.sum(), len(grad)
    best: tuple[float, int, int] | None = None
    for j, edges in enumerate(cuts):
        k = len(edges) + 1
        if k < 2:
            continue
        g = np.cumsum(np.bincount(binned[:, j], grad, k))[:-1]
        h = np.cumsum(np.bincount(binned[:, j], hess, k))[:-1]
        c = np.cumsum(np.bincount(binned[:, j], None, k))[:-1]
        gain = g**2 / (h + l2) + (total_g - g) ** 2 / (total_h - h + l2) - total_g**2 / (total_h + l2)
        gain[(c < min_leaf) | (n - c < min_leaf)] = -np.inf
        t = int(np.argmax(gain))
        if np.isfinite(gain[t]) and gain[t] > 1e-9 and (best is None or gain[t] > best[0]):
            best = (float(gain[t]), j, t)
    if best is None:
        return None
    _, j, t = best
    g = np.bincount(binned[:, j], grad, len(cuts[j]) + 1)
    h = np.bincount(binned[:, j], hess, len(cuts[j]) + 1)
    gl, hl = g[: t + 1].sum(), h[: t + 1].sum()
    return Stump(j, float(cuts[j][t]), float(gl / (hl + l2)), float((total_g - gl) / (total_h - hl + l2)))


def roc_auc(scores: Any, labels: Any) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average ranks over ties
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def stratified_folds(labels: Any, k: int, seed: int) -> np.ndarray:
    """Fold number per sample, each class spread evenly over the k folds."""
    y = np.asarray(labels, dtype=bool)
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(y), dtype=int)
    offset = 0
    for value in (True, False):
        idx = np.flatnonzero(y == value)
        rng.shuffle(idx)
        folds[idx] = (np.arange(len(idx)) + offset) % k
        offset += len(idx)
    return folds


def to_list(values: Any) -> list[Any]:
    return list(np.asarray(values).tolist())
