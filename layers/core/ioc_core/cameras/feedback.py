"""False alarms tune a camera, and the tuning fades: each false alarm makes that camera a
little harder to alarm for that kind of finding, and the learned part of every threshold
decays back toward the default with a half-life (``data/false_alarm_feedback.json``), so a
week of glare in the dry season does not blind the camera for the rest of the year.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field

from ioc_core.cameras.models import CHANGE_KINDS, AlertKind
from ioc_core.cameras.vision.state import Tuning

POLICY_PATH = Path(__file__).resolve().parent / "data" / "false_alarm_feedback.json"
# The thresholds feedback moves, and so the ones that decay (rounded as stored).
LEARNED: dict[str, int] = {"fire_threshold": 3, "smoke_growth": 3, "change_area_fraction": 4}


class FeedbackPolicy(BaseModel):
    fire_step: float = Field(gt=0, le=0.3)
    fire_max: float = Field(gt=0, le=1)
    smoke_growth_factor: float = Field(ge=1, le=3)
    smoke_growth_max: float = Field(ge=1, le=10)
    change_factor: float = Field(ge=1, le=3)
    change_max: float = Field(gt=0, le=1)
    half_life_days: float = Field(gt=0, le=3650)


@cache
def default_policy(path: Path = POLICY_PATH) -> FeedbackPolicy:
    return FeedbackPolicy.model_validate_json(path.read_text(encoding="utf-8"))


def decayed(tuning: Tuning, now: datetime, policy: FeedbackPolicy | None = None) -> Tuning:
    """The thresholds in force at ``now``: what false alarms added, halved every half-life.
    Tuning no false alarm touched (no ``tuned_at``) is returned as it is."""
    if tuning.tuned_at is None:
        return tuning
    policy = policy or default_policy()
    days = max(0.0, (now - tuning.tuned_at).total_seconds() / 86400)
    kept = 0.5 ** (days / policy.half_life_days)
    defaults = Tuning()
    faded = tuning.model_copy()
    for name, digits in LEARNED.items():
        default = float(getattr(defaults, name))
        setattr(faded, name, round(default + (float(getattr(tuning, name)) - default) * kept, digits))
    return faded


def after_false_alarm(
    tuning: Tuning, kind: AlertKind, now: datetime, policy: FeedbackPolicy | None = None
) -> Tuning:
    """The camera's tuning after a false alarm of ``kind`` at ``now``: the faded thresholds,
    one step harder for that kind, and the time the step was learned."""
    policy = policy or default_policy()
    tuned = decayed(tuning, now, policy).model_copy(update={"tuned_at": now})
    tuned.false_alarms += 1
    if kind in (AlertKind.FIRE, AlertKind.SMOKE):
        tuned.fire_threshold = round(min(policy.fire_max, tuned.fire_threshold + policy.fire_step), 3)
        if kind is AlertKind.SMOKE:
            growth = tuned.smoke_growth * policy.smoke_growth_factor
            tuned.smoke_growth = round(min(policy.smoke_growth_max, growth), 3)
    elif kind in CHANGE_KINDS:
        fraction = tuned.change_area_fraction * policy.change_factor
        tuned.change_area_fraction = round(min(policy.change_max, fraction), 4)
    return tuned
