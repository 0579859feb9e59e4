"""The indicator catalogue, loaded from a versioned data file (``data/catalogue.json``).

An indicator says who owns it, how often it is reported, how its values add up over time
(a quarter of a monthly sum is the sum of its months; of a rate, its average or its last
value; of a ratio, the ratio of the summed parts) and over wards or sectors, which direction
is good, and, for a derived indicator, its formula. Formulas are arithmetic over indicator
codes, parsed once with :mod:`ast` and never evaluated by Python: ``X[sector:agri]`` is a
breakdown's value, ``plan(X)`` is X's target for the year. The file lists its owner units by
code; the platform's unit directory (``platform/data/units.json``) names them.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from ioc_core.platform.units import resolve_codes
from ioc_core.shared.errors import FieldProblem, ValidationFailed

Frequency = Literal["monthly", "quarterly", "six_monthly", "yearly"]
TimeAggregation = Literal["sum", "average", "last", "ratio"]
SpaceAggregation = Literal["sum", "average", "ratio", "none"]
Direction = Literal["up", "down"]
CITY = "city"
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,47}$")
_REF = re.compile(r"([A-Z][A-Z0-9_]+)\[(ward|sector):([a-z0-9_]+)\]")


class Bilingual(BaseModel):
    vi: str
    en: str


class Indicator(BaseModel):
    code: str = Field(pattern=_CODE.pattern)
    group: str
    name: Bilingual
    unit: Bilingual
    frequency: Frequency
    owner_unit: str
    time_aggregation: TimeAggregation = "sum"
    space_aggregation: SpaceAggregation = "sum"
    good: Direction = "up"
    decimals: int = Field(default=1, ge=0, le=4)
    breakdowns: list[Literal["ward", "sector"]] = Field(default_factory=list)
    formula: str | None = None
    # A change rate (growth, a year-on-year index): it may be negative, and it is no share of 100.
    signed: bool = False
    fed_by: str | None = Field(default=None, description="The room whose events feed it")
    demo: dict[str, float | str] | None = None
    note: str | None = None

    @property
    def derived(self) -> bool:
        return self.formula is not None

    @property
    def is_share(self) -> bool:
        """A share of a whole (a rate of 0–100 %), not a change rate."""
        return self.unit.vi == "%" and not self.signed

    @property
    def is_count(self) -> bool:
        return self.unit.vi != "%" and not self.signed


class Unit(BaseModel):
    code: str
    name: Bilingual


class Group(BaseModel):
    code: str
    name: Bilingual


class Catalogue(BaseModel):
    version: str
    description: str = ""
    units: list[Unit]
    groups: list[Group]
    breakdowns: dict[str, Bilingual]
    sectors: list[Group]
    indicators: list[Indicator]

    @field_validator("units", mode="before")
    @classmethod
    def _named_by_the_directory(cls, units: object) -> object:
        return resolve_codes(units)

    @field_validator("indicators")
    @classmethod
    def _unique(cls, indicators: list[Indicator]) -> list[Indicator]:
        codes = [i.code for i in indicators]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"indicator codes listed twice: {twice}")
        return indicators

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        message = f"Không có chỉ tiêu {code!r} trong danh mục / No indicator {code!r} in the catalogue."
        raise ValidationFailed(message, problems=[FieldProblem("indicator", message)])

    def has(self, code: str) -> bool:
        return any(i.code == code for i in self.indicators)

    def in_group(self, group: str) -> list[Indicator]:
        return [i for i in self.indicators if i.group == group]

    def unit(self, code: str) -> Unit | None:
        """One of the catalogue's owner units; None for any other code (like ``formula``)."""
        return next((u for u in self.units if u.code == code), None)

    def unit_name(self, code: str) -> Bilingual:
        unit = self.unit(code)
        return unit.name if unit else Bilingual(vi=code, en=code)

    def formula(self, code: str) -> Formula | None:
        indicator = self.get(code)
        return parse_formula(indicator.formula) if indicator.formula else None

    def check(self) -> Catalogue:
        """Every group, owner and formula input is known; a derived indicator takes no entry."""
        groups = {g.code for g in self.groups}
        sectors = {s.code for s in self.sectors}
        problems: list[str] = []
        for indicator in self.indicators:
            if indicator.group not in groups:
                problems.append(f"{indicator.code}: unknown group {indicator.group}")
            if self.unit(indicator.owner_unit) is None:
                problems.append(f"{indicator.code}: unknown owner unit {indicator.owner_unit}")
            if indicator.formula:
                formula = parse_formula(indicator.formula)
                for ref in formula.refs:
                    if not self.has(ref.code):
                        problems.append(f"{indicator.code}: formula names unknown {ref.code}")
                    elif ref.kind == "sector" and ref.member not in sectors:
                        problems.append(f"{indicator.code}: unknown sector {ref.member}")
        if problems:
            raise ValueError("catalogue: " + "; ".join(problems))
        return self


@dataclass(frozen=True)
class Ref:
    """One input of a formula: an indicator, its value for one breakdown member, or its plan."""

    code: str
    kind: Literal["value", "ward", "sector", "plan"] = "value"
    member: str | None = None

    @property
    def breakdown(self) -> str:
        return f"{self.kind}:{self.member}" if self.kind in ("ward", "sector") else CITY


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    refs: tuple[Ref, ...]

    def evaluate(self, values: Mapping[Ref, float | None]) -> float | None:
        """None when an input is missing or a denominator is zero: a figure not yet known."""
        return _eval(self.tree, values)


def _placeholder(match: re.Match[str]) -> str:
    return f"__{match.group(2)}__{match.group(1)}__{match.group(3)}"


def parse_formula(text: str) -> Formula:
    try:
        tree = ast.parse(_REF.sub(_placeholder, text), mode="eval").body
    except SyntaxError as error:
        raise ValueError(f"formula {text!r}: {error.msg}") from error
    refs: list[Ref] = []
    _collect(tree, refs, text)
    return Formula(text, tree, tuple(dict.fromkeys(refs)))


def _name_ref(name: str) -> Ref:
    if name.startswith("__"):
        _, kind, code, member = name.split("__")
        return Ref(code, kind, member)  # type: ignore[arg-type]
    return Ref(name)


def _collect(node: ast.expr, refs: list[Ref], text: str) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        _collect(node.left, refs, text)
        _collect(node.right, refs, text)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return
    elif isinstance(node, ast.Name):
        refs.append(_name_ref(node.id))
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "plan"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
    ):
        refs.append(Ref(node.args[0].id, "plan"))
    else:
        raise ValueError(f"formula {text!r}: only codes, numbers, + - * / and plan(CODE)")


def _eval(node: ast.expr, values: Mapping[Ref, float | None]) -> float | None:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # parse_formula let numbers only
    if isinstance(node, ast.Name):
        return values.get(_name_ref(node.id))
    if isinstance(node, ast.Call):
        return values.get(Ref(node.args[0].id, "plan"))  # type: ignore[attr-defined]
    assert isinstance(node, ast.BinOp)
    left, right = _eval(node.left, values), _eval(node.right, values)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return None if right == 0 else left / right


def inputs(catalogue: Catalogue, codes: Iterable[str]) -> list[Ref]:
    """Every stored input the codes need, derived indicators expanded (no derived of derived)."""
    refs: list[Ref] = []
    for code in codes:
        formula = catalogue.formula(code)
        refs.extend(formula.refs if formula else (Ref(code),))
    return list(dict.fromkeys(refs))


def load(text: str) -> Catalogue:
    return Catalogue.model_validate(json.loads(text)).check()


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    data = resources.files("ioc_core.socio_economic").joinpath("data/catalogue.json").read_text("utf-8")
    return load(data)
