"""Routing as data: category × ward → the unit that processes the report.

A category's unit comes from the catalogue; a unit there that stands for a ward's own
(``UBND_PHUONG``: "the People's Committee of the ward where it is") becomes that ward's own unit
(``UBND_22945``), coded and named by the platform's unit directory.
Rules of ``data/routing.json`` override a category in one ward, and rules the administrator
stores (``PUT /admin/routing``) override those.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import Text, Unit
from ioc_core.platform.units import UnitDirectory, default_directory


class WardNames(Protocol):
    def active_on(self, day: date) -> Iterable[Any]: ...


@dataclass(frozen=True)
class Rule:
    service_code: str
    ward_code: str | None
    unit: str
    source: str  # catalogue, data, admin


@dataclass(frozen=True)
class DirectoryUnit:
    unit: Unit
    ward_code: str | None = None


class InvalidRules(ValueError):
    """The administrator's rules name what does not exist, or one category × ward twice."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems  # (field as the request names it, "rules[0].unit"; message)


class RuleStore(Protocol):
    def load(self) -> list[dict[str, str]] | None: ...

    def save(self, rules: list[dict[str, str]]) -> None: ...


class Router:
    def __init__(
        self,
        catalogue: Catalogue,
        wards: WardNames,
        data: dict[str, Any],
        today: date,
        store: RuleStore | None = None,
        refresh_seconds: float = 60,
        directory: UnitDirectory | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.directory = directory or default_directory()
        self.store = store
        self.refresh_seconds = refresh_seconds
        self._loaded_at = float("-inf")
        self.version = str(data["version"])
        stand_ins = self.directory.per_ward
        stand_in_codes = {u.code for u in stand_ins}
        self.data_rules = {(r["service_code"], r["ward_code"]): r["unit"] for r in data.get("rules", [])}
        self.admin_rules: dict[tuple[str, str], str] = {}
        self.ward_codes: set[str] = set()
        self.units: dict[str, DirectoryUnit] = {
            u.code: DirectoryUnit(u) for u in catalogue.units if u.code not in stand_in_codes
        }
        for ward in wards.active_on(today):
            self.ward_codes.add(ward.code)
            for stand_in in stand_ins:
                own = self.directory.for_ward(stand_in, ward)
                unit = Unit(code=own.code, name=Text(vi=own.name.vi, en=own.name.en), kind=own.kind)
                self.units[own.code] = DirectoryUnit(unit, ward.code)

    def with_admin_rules(self, rules: Iterable[dict[str, str]]) -> Router:
        self.admin_rules = {(r["service_code"], r["ward_code"]): r["unit"] for r in rules}
        return self

    def replace_admin_rules(self, rules: list[dict[str, str]]) -> None:
        """Store the administrator's rules (they override the data file's); rules naming an
        unknown category, ward or unit, or one category × ward twice, are refused whole."""
        problems = self._problems(rules)
        if problems:
            raise InvalidRules(problems)
        if self.store is not None:
            self.store.save(rules)
        self.with_admin_rules(rules)
        self._loaded_at = time.monotonic()

    def _problems(self, rules: list[dict[str, str]]) -> list[tuple[str, str]]:
        """(field, "tiếng Việt / English") for each thing a rule gets wrong."""
        problems, seen = [], set()
        for index, rule in enumerate(rules):
            where, code, ward, unit = f"rules[{index}]", rule["service_code"], rule["ward_code"], rule["unit"]
            if self.catalogue.service(code) is None:
                problems.append((f"{where}.service_code", f"Không có lĩnh vực {code} / no category {code}"))
            if ward not in self.ward_codes:
                problems.append((f"{where}.ward_code", f"Không có phường {ward} / unknown ward {ward}"))
            if unit not in self.units:
                problems.append((f"{where}.unit", f"Không có đơn vị {unit} / unknown unit {unit}"))
            if (code, ward) in seen:
                problems.append((where, "Trùng lĩnh vực và phường / this category and ward come twice"))
            seen.add((code, ward))
        return problems

    def _refresh(self) -> None:
        """Other instances' changes arrive within ``refresh_seconds``."""
        if self.store is None or time.monotonic() - self._loaded_at < self.refresh_seconds:
            return
        self.with_admin_rules(self.store.load() or [])
        self._loaded_at = time.monotonic()

    def route(self, service_code: str, ward_code: str) -> str:
        """The unit for a category in a ward."""
        self._refresh()
        key = (service_code, ward_code)
        if key in self.admin_rules:
            return self.admin_rules[key]
        if key in self.data_rules:
            return self.data_rules[key]
        service = self.catalogue.service(service_code)
        return self.directory.routed_code(service.unit if service else "QLDT", ward_code)

    def unit(self, code: str) -> DirectoryUnit | None:
        return self.units.get(code)

    def unit_name(self, code: str) -> Text:
        found = self.units.get(code) or _catalogue_unit(self.catalogue, code)
        return found.unit.name if found else Text(vi=code, en=code)

    def rules(self) -> list[Rule]:
        self._refresh()
        listed = [Rule(s.service_code, None, s.unit, "catalogue") for s in self.catalogue.services]
        listed += [Rule(s, w, u, "data") for (s, w), u in sorted(self.data_rules.items())]
        listed += [Rule(s, w, u, "admin") for (s, w), u in sorted(self.admin_rules.items())]
        return listed


def _catalogue_unit(catalogue: Catalogue, code: str) -> DirectoryUnit | None:
    unit = catalogue.unit(code)
    return DirectoryUnit(unit) if unit else None


@lru_cache(maxsize=1)
def routing_data() -> dict[str, Any]:
    raw = resources.files("ioc_core.field_reporting").joinpath("data/routing.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data
