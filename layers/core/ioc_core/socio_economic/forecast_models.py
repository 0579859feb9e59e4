"""What the year-end forecast returns (see forecast.py for how it is made)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.socio_economic.targets import Direction, Status, TargetRange

Aggregation = Literal["sum", "average", "last"]
AGGREGATIONS: tuple[Aggregation, ...] = ("sum", "average", "last")


class ForecastInputError(ValidationFailed, ValueError):
    """Too little or unusable history; the message says what is missing."""

    def __init__(self, message: str) -> None:
        super().__init__(message, problems=[FieldProblem("history", message)])


class NeededMonth(BaseModel):
    """What one remaining month must bring for the year to reach its target, and whether that
    month ever brought as much (``best_past``: its highest past value, the lowest when less is
    better)."""

    model_config = ConfigDict(frozen=True)

    period: str
    amount: float
    best_past: float | None
    best_past_year: int | None
    achieved_before: bool


class HoltWintersCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: float
    seasonal: Literal["additive", "multiplicative"]
    alpha: float
    beta: float
    gamma: float
    one_step_rmse: float
    months_used: int


class Forecast(BaseModel):
    """The projection in the indicator's yearly terms (a total, a year's average, December's
    level), its band, and against the target: status, % of plan and the months' needed amounts."""

    model_config = ConfigDict(frozen=True)

    year: int
    through: str
    aggregation: Aggregation
    method: str
    value: float
    low: float
    high: float
    ytd: float
    share: float  # the part of the year reached by the cut-off (the ratio, for "last")
    tet_shift: float  # how much the Tết alignment moved that share
    years_used: list[int]
    holt_winters: HoltWintersCheck | None
    target: TargetRange | None
    good: Direction
    status: Status
    percent_of_plan: float | None
    needed_total: float | None  # the rest of the year's amount (for "last": December's level)
    needed_flat: float | None  # that amount spread evenly over the remaining months
    needed: list[NeededMonth]


class ForecastSet(BaseModel):
    forecasts: dict[str, Forecast]
    unavailable: dict[str, str]  # series → why it has no forecast
