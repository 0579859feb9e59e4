"""Forecasting many series at once gives what one at a time gives, series by series: with
targets either way, levels and averages, gaps, integer values, at every cut-off; and the
dashboard's one batch per cut-off gives the rows a forecast per indicator gave."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from ioc_core.shared.clock import VN_TZ
from ioc_core.socio_economic import forecast_batch, holt_winters, views
from ioc_core.socio_economic.catalogue import default_catalogue
from ioc_core.socio_economic.demo import DemoValues, demo_targets
from ioc_core.socio_economic.demo_history import generate, sample_specs
from ioc_core.socio_economic.engine import Figures
from ioc_core.socio_economic.forecast import forecast_many, forecast_year_end
from ioc_core.socio_economic.periods import Period
from ioc_core.socio_economic.targets import TargetRange

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("cut", [1, 2, 6, 8, 11, 12])
def test_every_series_alone_equals_the_batch(cut: int) -> None:
    specs = sample_specs(24)
    histories = generate(specs, 2019, 2025, seed=7)
    histories[specs[0].code].pop("2022-05")  # a gap: a shorter Holt-Winters run, fewer full years
    histories[specs[1].code] = {p: round(v) for p, v in histories[specs[1].code].items()}  # ints
    histories[specs[2].code].pop(f"2025-{cut:02d}")  # cannot be forecast: listed, not raised
    kinds = {spec.code: spec.aggregation for spec in specs}
    goods = {spec.code: "down" if n % 3 == 0 else "up" for n, spec in enumerate(specs)}
    targets = {}
    for n, (code, months) in enumerate(histories.items()):
        last = [months[f"2024-{m:02d}"] for m in range(1, 13)]
        line = {"sum": sum(last), "average": sum(last) / 12, "last": last[-1]}[kinds[code]]
        if n % 4:  # the others have none
            targets[code] = TargetRange(low=line * (0.9 + 0.05 * (n % 5)), high=None, text="≥")
    forecast_batch.forget_fits()  # every fit below made afresh, alone or in the batch
    together = forecast_many(histories, 2025, cut, aggregations=kinds, targets=targets, goods=goods)  # type: ignore[arg-type]
    assert set(together.unavailable) == {specs[2].code}
    for code, history in histories.items():
        if code in together.unavailable:
            with pytest.raises(ValueError, match="lacks months up to the cut-off"):
                forecast_year_end(history, 2025, cut, aggregation=kinds[code])
            continue
        forecast_batch.forget_fits()
        alone = forecast_year_end(
            history,
            2025,
            cut,
            aggregation=kinds[code],
            target=targets.get(code),
            good=goods[code],  # type: ignore[arg-type]
        )
        assert together.forecasts[code] == alone
        assert (alone.holt_winters is not None) and (
            len(alone.needed) == (12 - cut if code in targets else 0)
        )


def test_a_remembered_fit_is_the_fit_and_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    histories = generate(sample_specs(12), 2020, 2025)
    forecast_batch.forget_fits()
    fresh = forecast_many(histories, 2025, 7)
    assert forecast_many(histories, 2025, 7) == fresh  # from memory
    changed = dict(
        histories,
        **{code: dict(h, **{"2025-07": h["2025-07"] * 1.5}) for code, h in list(histories.items())[:1]},
    )
    again = forecast_many(changed, 2025, 7)  # the changed series is fitted anew, the others remembered
    code = next(iter(histories))
    assert again.forecasts[code].holt_winters != fresh.forecasts[code].holt_winters
    forecast_batch.forget_fits()
    assert forecast_many(changed, 2025, 7) == again
    monkeypatch.setattr(forecast_batch, "_FITS_KEPT", 5)
    forecast_batch.forget_fits()
    assert forecast_many(histories, 2025, 7) == fresh and len(forecast_batch._FITS) == 5


def test_the_additive_operator_is_the_recursion_run_on_the_data() -> None:
    y = np.array([[v for _, v in sorted(m.items())] for m in generate(sample_specs(5), 2021, 2024).values()])
    run = holt_winters._run(y)
    sse, level, trend, season = holt_winters._additive(y)
    size = len(holt_winters._GRID)
    assert np.allclose(sse, run.sse.reshape(-1, size), rtol=1e-10)
    assert np.allclose(level, run.level.reshape(-1, size), rtol=1e-12)
    assert np.allclose(trend, run.trend.reshape(-1, size), rtol=1e-9, atol=1e-9)
    assert np.allclose(season, run.season.reshape(12, -1, size).transpose(1, 0, 2), rtol=1e-9, atol=1e-9)


def test_the_log_form_sums_the_recursions_errors_in_the_series_units_over_blocks_of_rows_and_months() -> None:
    # 20 series (two blocks of rows) over 70 months (several blocks of columns, each reading
    # only the months its errors depend on)
    histories = generate(sample_specs(20), 2019, 2024, last_month=10)
    y = np.array([[v for _, v in sorted(m.items())] for m in histories.values()])
    assert y.shape == (20, 70) and len(holt_winters._column_blocks(70)) > 3
    run = holt_winters._run(np.log(y), keep_errors=True)
    assert run.errors is not None
    size = len(holt_winters._GRID)
    in_units = y[:, 12:, None] * np.expm1(-run.errors.reshape(58, -1, size).transpose(1, 0, 2))
    sse, level, _, season = holt_winters._additive(np.log(y), y)
    assert np.allclose(sse, (in_units**2).sum(axis=1), rtol=1e-9)
    assert np.allclose(level, run.level.reshape(-1, size), rtol=1e-12)
    assert np.allclose(season, run.season.reshape(12, -1, size).transpose(1, 0, 2), rtol=1e-9, atol=1e-9)


def test_a_season_that_grows_with_the_level_is_fitted_multiplicative_and_a_constant_one_additive() -> None:
    months = np.arange(56)
    noise = np.random.default_rng(3).normal(0, 0.002, (2, 56))
    shape = 1 + 0.3 * np.sin(2 * np.pi * months / 12)
    growing = 100 * 1.03 ** (months / 12) * shape * (1 + noise[0])  # the swing grows with the level
    constant = (1000 + 2 * months + 30 * np.sin(2 * np.pi * months / 12)) * (1 + noise[1])  # it stays
    fit = holt_winters.fit_forecast(np.array([growing, constant]), 0, 4)
    assert fit.multiplicative.tolist() == [True, False]
    truth = np.array([100 * 1.03 ** (m / 12) * (1 + 0.3 * np.sin(2 * np.pi * m / 12)) for m in range(56, 60)])
    assert np.allclose(fit.forecasts[0], truth, rtol=0.01)
    steps = np.arange(56, 60)
    assert np.allclose(fit.forecasts[1], 1000 + 2 * steps + 30 * np.sin(2 * np.pi * steps / 12), rtol=0.01)
    # a month of zero leaves only the additive kind, without a warning or a NaN
    with_zero = growing.copy()
    with_zero[5] = 0.0
    assert not holt_winters.fit_forecast(with_zero[None, :], 0, 4).multiplicative[0]


def test_the_dashboard_batch_gives_the_rows_one_forecast_at_a_time_gave() -> None:
    now = datetime(2025, 9, 15, tzinfo=VN_TZ)
    catalogue = default_catalogue()
    figures = Figures.of(catalogue, DemoValues(catalogue, now, ["w1", "w2"]).values(), demo_targets(now))
    month = Period.month(2025, 8)
    board = views.dashboard(figures, month)
    forecast_rows = [r for g in board["groups"] for r in g["rows"] if r["forecast"] is not None]
    assert len(forecast_rows) >= 5 and any(r["forecast"]["holt_winters"] for r in forecast_rows)
    for group in board["groups"]:
        for shown in group["rows"]:
            assert shown == views.row(catalogue.get(shown["code"]), figures, month)
