"""Year-end forecast of a monthly indicator and what it still needs to reach its target.

The default is the seasonal share: the year so far ÷ the share of the year that past years had
reached by the same month (the statistics office's own reasoning), with a band from the spread
of the last three years' shares. Tết moves between January and February, so a January cut-off
compares unlike months; the share is therefore Tết-aligned: the Tết period's share of the year
is estimated from every past year (where its days fell against how the months came out) and the
past shares are moved to this year's dates. Holt-Winters runs beside it as a cross-check when
two years of months exist, never instead of it."""

from __future__ import annotations

from collections.abc import Mapping

from ioc_core.socio_economic import forecast_batch
from ioc_core.socio_economic.forecast_models import (
    Aggregation,
    Forecast,
    ForecastInputError,
    ForecastSet,
    HoltWintersCheck,
    NeededMonth,
)
from ioc_core.socio_economic.targets import Direction, TargetRange

__all__ = [
    "Forecast",
    "ForecastInputError",
    "ForecastSet",
    "HoltWintersCheck",
    "NeededMonth",
    "forecast_many",
    "forecast_year_end",
]


def forecast_year_end(
    history: Mapping[str, float],
    year: int,
    through_month: int,
    *,
    aggregation: Aggregation = "sum",
    target: TargetRange | None = None,
    good: Direction = "up",
    cross_check: bool = True,
    tet_aligned: bool = True,
) -> Forecast:
    """The year-end of one series, ``history`` mapping "YYYY-MM" to its value; months after
    ``through_month`` of ``year`` are ignored (what was not known at the cut-off)."""
    targets = {"": target} if target is not None else {}
    forecasts, refused = forecast_batch.run(
        {"": history}, year, through_month, {"": aggregation}, targets, {"": good}, cross_check, tet_aligned
    )
    if refused:
        raise refused[""]
    return Forecast.model_validate(forecasts[""])


def forecast_many(
    histories: Mapping[str, Mapping[str, float]],
    year: int,
    through_month: int,
    *,
    aggregations: Mapping[str, Aggregation] | None = None,
    targets: Mapping[str, TargetRange] | None = None,
    goods: Mapping[str, Direction] | None = None,
    cross_check: bool = True,
    tet_aligned: bool = True,
) -> ForecastSet:
    """Every series at one cut-off, computed together (one array for the seasonal shares, the
    Tết effects and the needed amounts, the Holt-Winters checks of series of the same length
    in one batch); a series that cannot be forecast is listed with the reason, not raised. The
    same numbers as ``forecast_year_end`` series by series."""
    forecasts, refused = forecast_batch.run(
        histories,
        year,
        through_month,
        aggregations or {},
        targets or {},
        goods or {},
        cross_check,
        tet_aligned,
    )
    unavailable = {code: error.message for code, error in refused.items()}
    return ForecastSet.model_validate({"forecasts": forecasts, "unavailable": unavailable})
