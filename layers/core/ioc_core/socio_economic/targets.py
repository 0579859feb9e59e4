"""Targets as the People's Council resolution writes them ("8–8,5 %", "≥ 95", "10.000"), the
colour a projection earns against one, and the comparisons every figure carries (% of plan,
year on year, against the previous period)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ioc_core.shared.errors import FieldProblem, ValidationFailed

Direction = Literal["up", "down"]
Status = Literal["on_track", "at_risk", "off_track", "no_target"]

# Amber: within 5 % of the line (the statistics office's "gần đạt"), red beyond it.
AT_RISK_MARGIN = 0.05


class TargetRange(BaseModel):
    """A target as a range; an open end is None ("≥ 95": low 95, high None)."""

    model_config = ConfigDict(frozen=True)

    low: float | None
    high: float | None
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> TargetRange:
        if self.low is None and self.high is None:
            raise ValueError("a target needs at least one bound")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"the low end {self.low} is above the high end {self.high}")
        return self

    def line(self, good: Direction = "up") -> float:
        """The bound a projection must clear: the low end when more is better, else the high."""
        first, second = (self.low, self.high) if good == "up" else (self.high, self.low)
        return first if first is not None else second  # type: ignore[return-value]


_NUMBER = r"[-−]?\d[\d.,\s]*"
_AT_LEAST = ("≥", ">=", ">", "trên", "tối thiểu", "ít nhất", "không dưới", "at least", "over")
_AT_MOST = ("≤", "<=", "<", "dưới", "tối đa", "không quá", "không vượt quá", "at most", "under")
_RANGE = re.compile(rf"^(?:từ\s*)?({_NUMBER})\s*(?:–|—|-|đến|to)\s*({_NUMBER})$")


def _number(raw: str, text: str) -> float:
    """A number as Vietnamese documents write it: comma for decimals, dots or spaces between
    thousands ("10.851,5"); a dot before one or two digits is a decimal point ("8.5")."""
    digits = raw.replace("−", "-").replace(" ", "").replace("\u00a0", "")
    if "," in digits:
        digits = digits.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", digits):
        digits = digits.replace(".", "")
    try:
        return float(digits)
    except ValueError:
        raise _unreadable(text) from None


def _unreadable(text: str) -> ValidationFailed:
    return ValidationFailed(
        f"Không đọc được chỉ tiêu / Cannot read the target {text!r}.",
        problems=[FieldProblem("target", "e.g. '8–8,5 %', '≥ 95', '10.000', '≤ 3'")],
    )


def parse_range(text: str) -> TargetRange:
    """The target written in the resolution, as a range. Units and % signs are dropped."""
    original = unicodedata.normalize("NFC", text).strip()
    body = re.sub(r"\s*(%|tỷ đồng|triệu đồng|tỷ|triệu|người|lượt|tấn|ha)\s*$", "", original.lower())
    body = body.strip()
    for words, side in ((_AT_LEAST, "low"), (_AT_MOST, "high")):
        for word in sorted(words, key=len, reverse=True):
            if body.startswith(word):
                value = _number(body[len(word) :].strip(), original)
                low, high = (value, None) if side == "low" else (None, value)
                return TargetRange(low=low, high=high, text=original)
    if re.fullmatch(_NUMBER, body):
        value = _number(body, original)
        return TargetRange(low=value, high=value, text=original)
    match = _RANGE.match(body)
    if match is None:
        raise _unreadable(original)
    low, high = _number(match.group(1), original), _number(match.group(2), original)
    if low > high:
        raise ValidationFailed(
            f"Cận dưới lớn hơn cận trên / The target {original!r} has its low end above its high end.",
            problems=[FieldProblem("target", "write the smaller number first")],
        )
    return TargetRange(low=low, high=high, text=original)


def status(projected: float | None, target: TargetRange | None, good: Direction = "up") -> Status:
    """On track when the projection clears the target's line, at risk within 5 % of it."""
    if target is None or projected is None:
        return "no_target"
    line = target.line(good)
    if good == "up":
        if projected >= line:
            return "on_track"
        return "at_risk" if projected >= line - AT_RISK_MARGIN * abs(line) else "off_track"
    if projected <= line:
        return "on_track"
    return "at_risk" if projected <= line + AT_RISK_MARGIN * abs(line) else "off_track"


def percent_of_plan(value: float | None, target: TargetRange | None, good: Direction = "up") -> float | None:
    """``value`` as a percentage of the target's line (108.5 for 10 851 against 10 000)."""
    if value is None or target is None:
        return None
    line = target.line(good)
    return None if line == 0 else value / line * 100.0


def change_pct(now: float | None, before: float | None) -> float | None:
    """The change from ``before`` to ``now`` in percent (year on year, against the previous
    period); None when either is missing or ``before`` is zero."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before) * 100.0
