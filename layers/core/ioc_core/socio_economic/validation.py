"""Validation rules as data (``data/validation_rules.json``), run on every entry.

An error refuses the value with the rule's words; a warning lets it in, and the value cannot
be approved until it carries a comment that explains it. Relation rules (the sectors add up
to GRDP, international arrivals stay within all arrivals) are checked once both sides are
known, against the other side's newest figure (pending first, else approved).
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field

from ioc_core.socio_economic.catalogue import CITY, Bilingual, Catalogue, Indicator
from ioc_core.socio_economic.models import Finding
from ioc_core.socio_economic.periods import Period

# (indicator, breakdown, period) → its newest figure, or None
Lookup = Callable[[str, str, str], float | None]


class Rule(BaseModel):
    id: str
    kind: Literal["range", "parts_sum", "not_above", "outlier"]
    severity: Literal["error", "warning"]
    message: Bilingual
    indicators: list[str] = Field(default_factory=list)
    applies_to: Literal["rates", "counts", "all"] | None = None
    min: float | None = None
    max: float | None = None
    breakdown: Literal["ward", "sector"] | None = None
    tolerance_pct: float = 0.5
    limit: str | None = None
    sd: float = 3.0
    min_years: int = 3
    min_change_pct: float = 15.0

    def covers(self, indicator: Indicator) -> bool:
        if indicator.code in self.indicators:
            return True
        if self.applies_to == "all":
            return True
        if self.applies_to == "rates":
            return indicator.is_share
        if self.applies_to == "counts":
            return indicator.is_count
        return False


class Rules(BaseModel):
    version: str
    description: str = ""
    rules: list[Rule]


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    text = (
        resources.files("ioc_core.socio_economic").joinpath("data/validation_rules.json").read_text("utf-8")
    )
    return Rules.model_validate(json.loads(text))


def _finding(rule: Rule, detail: str) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message_vi=rule.message.vi,
        message_en=rule.message.en,
        detail=detail,
    )


def _range(rule: Rule, value: float) -> str | None:
    if rule.min is not None and value < rule.min:
        return f"{value:g} < {rule.min:g}"
    if rule.max is not None and value > rule.max:
        return f"{value:g} > {rule.max:g}"
    return None


def _members(catalogue: Catalogue, kind: str, wards: Sequence[str]) -> list[str]:
    return (
        [f"sector:{s.code}" for s in catalogue.sectors] if kind == "sector" else [f"ward:{w}" for w in wards]
    )


def _parts_sum(
    rule: Rule, code: str, breakdown: str, period: str, value: float, members: list[str], lookup: Lookup
) -> str | None:
    if rule.breakdown is None or not (breakdown == CITY or breakdown.startswith(f"{rule.breakdown}:")):
        return None
    figures = {m: (value if m == breakdown else lookup(code, m, period)) for m in members}
    total = value if breakdown == CITY else lookup(code, CITY, period)
    if total is None or any(v is None for v in figures.values()):
        return None  # checked when the last side arrives
    parts = sum(v for v in figures.values() if v is not None)
    if abs(parts - total) > abs(total) * rule.tolerance_pct / 100:
        return f"{parts:,.2f} ≠ {total:,.2f}"
    return None


def _not_above(rule: Rule, breakdown: str, period: str, value: float, lookup: Lookup) -> str | None:
    if rule.limit is None:
        return None
    limit = lookup(rule.limit, breakdown, period)
    if limit is not None and value > limit:
        return f"{value:,.2f} > {rule.limit} {limit:,.2f}"
    return None


def change(indicator: Indicator, now: float, before: float) -> float | None:
    """Year on year: points for a rate, a percentage for an amount."""
    if indicator.unit.vi == "%":
        return now - before
    return None if before == 0 else (now / before - 1) * 100


def _outlier(
    rule: Rule, indicator: Indicator, period: Period, value: float, lookup: Lookup, breakdown: str
) -> str | None:
    years = [period.year - k for k in range(0, rule.min_years + 2)]
    figures = [value] + [
        lookup(indicator.code, breakdown, Period(y, period.first, period.last).code) for y in years[1:]
    ]
    changes: list[float] = []
    for now, before in itertools.pairwise(figures[1:]):
        if now is None or before is None:
            break
        moved = change(indicator, now, before)
        if moved is not None:
            changes.append(moved)
    last_year = figures[1]
    if last_year is None or len(changes) < rule.min_years:
        return None
    this = change(indicator, value, last_year)
    if this is None:
        return None
    mean, spread = statistics.fmean(changes), statistics.pstdev(changes)
    if abs(this) >= rule.min_change_pct and abs(this - mean) > rule.sd * max(spread, 1e-9):
        return f"{this:+.1f} vs {mean:+.1f} ± {spread:.1f}"
    return None


def check(
    catalogue: Catalogue,
    indicator: Indicator,
    breakdown: str,
    period: Period,
    value: float,
    lookup: Lookup,
    wards: Sequence[str] = (),
    rules: Rules | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    for rule in (rules or default_rules()).rules:
        if not rule.covers(indicator):
            continue
        detail: str | None = None
        if rule.kind == "range":
            detail = _range(rule, value)
        elif rule.kind == "parts_sum" and rule.breakdown is not None:
            members = _members(catalogue, rule.breakdown, wards)
            detail = _parts_sum(rule, indicator.code, breakdown, period.code, value, members, lookup)
        elif rule.kind == "not_above":
            detail = _not_above(rule, breakdown, period.code, value, lookup)
        elif rule.kind == "outlier":
            detail = _outlier(rule, indicator, period, value, lookup, breakdown)
        if detail is not None:
            findings.append(_finding(rule, detail))
    return findings
