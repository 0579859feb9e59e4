"""The small learners: boosted stumps, ROC AUC with ties, stratified folds."""

from __future__ import annotations

import numpy as np
import pytest

from ioc_core.cameras.vision.learn import StumpEnsemble, roc_auc, stratified_folds

pytestmark = pytest.mark.unit


def test_auc_counts_ties_as_half() -> None:
    assert roc_auc([0.9, 0.8, 0.1], [1, 1, 0]) == 1.0
    assert roc_auc([0.5, 0.5], [1, 0]) == 0.5
    assert roc_auc([0.1, 0.9], [1, 0]) == 0.0


def test_stumps_learn_a_threshold_and_survive_json() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 3))
    y = (x[:, 1] > 0.3).astype(float)
    model = StumpEnsemble.fit(x, y, ["a", "b", "c"], rounds=60)
    assert roc_auc(model.probability(x), y) > 0.99
    again = StumpEnsemble.from_json(model.to_json())
    assert np.allclose(again.probability(x), model.probability(x), atol=1e-4)
    assert {s.feature for s in model.stumps} == {1}


def test_folds_spread_each_class_evenly() -> None:
    labels = np.array([1] * 10 + [0] * 40)
    folds = stratified_folds(labels, 5, seed=3)
    for k in range(5):
        assert (labels[folds == k] == 1).sum() == 2
        assert (folds == k).sum() == 10
