"""The city's units, named once for every room (``data/units.json``).

A unit is a department, an agency or a company the city's work goes to, or a ward's own unit.
The file lists each once, with its Vietnamese and English name; a listed unit of kind ``ward``
with ``per_ward`` (``UBND_PHUONG``: "the People's Committee of the ward where it is") stands
for one unit in each ward (``UBND_22945``), named from the administrative-unit registry, which
stays the one list of wards. Field Reporting routes to these units and Socio-economic
reporting gives them indicators and tasks; each room's data names the codes it uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["department", "agency", "company", "ward"]
_WARD_CODE = r"(\d{5})"
_CACHED_WARD_UNITS = 512


class Name(BaseModel):
    model_config = ConfigDict(frozen=True)

    vi: str
    en: str


class PerWard(BaseModel):
    """How a ward's own unit is coded and named: ``UBND_{ward}``, ``UBND {ward_vi}``."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z_]*\{ward\}$")
    vi: str
    en: str

    def code_in(self, ward_code: str) -> str:
        return self.code.format(ward=ward_code)

    def ward_of(self, code: str) -> str | None:
        """The ward a code of this kind belongs to (``UBND_22945`` → ``22945``), if it is one."""
        match = re.fullmatch(re.escape(self.code.replace("{ward}", "")) + _WARD_CODE, code)
        return match.group(1) if match else None


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")
    name: Name
    kind: Kind
    ward_code: str | None = None  # a ward's own unit: its ward
    per_ward: PerWard | None = None  # a stand-in for each ward's own unit

    @property
    def stands_for_ward(self) -> bool:
        return self.per_ward is not None


class Ward(Protocol):
    """A ward as the administrative-unit registry holds it (``code``, ``name.vi``, ``name.en``)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> Any: ...


class WardLookup(Protocol):
    def get(self, code: str) -> Any: ...


class UnitDirectory:
    """The listed units, and each ward's own units for any ward the registry knows (a task
    registered before a ward merger keeps its unit's name)."""

    def __init__(self, version: str, units: Iterable[Unit], wards: Callable[[], WardLookup]) -> None:
        self.version = version
        self.units = {u.code: u for u in units}
        self._wards = wards  # the registry is read only when a ward's unit is asked for
        self._by_ward: dict[str, Unit | None] = {}

    @property
    def per_ward(self) -> list[Unit]:
        """The stand-ins for each ward's own units, in the file's order."""
        return [u for u in self.units.values() if u.stands_for_ward]

    def listed(self, code: str) -> Unit | None:
        """A unit as the file lists it, stand-ins included; no ward registry needed."""
        return self.units.get(code)

    def get(self, code: str) -> Unit | None:
        """A listed unit or a ward's own unit; None for a code the city does not have."""
        found = self.units.get(code)
        if found is not None:
            return found
        if code not in self._by_ward:
            if len(self._by_ward) >= _CACHED_WARD_UNITS:  # codes come from requests: keep it bounded
                self._by_ward.clear()
            self._by_ward[code] = self._ward_unit(code)
        return self._by_ward[code]

    def known(self, code: str) -> bool:
        """A unit work can go to: listed or a ward's own, not a stand-in."""
        found = self.get(code)
        return found is not None and not found.stands_for_ward

    def name(self, code: str) -> Name:
        """The unit's name; an unknown code is named by itself."""
        found = self.get(code)
        return found.name if found else Name(vi=code, en=code)

    def names(self, codes: Iterable[str]) -> dict[str, dict[str, str]]:
        """Each code's name as the APIs reply it ({"vi", "en"}); an unknown code keeps itself."""
        return {code: self.name(code).model_dump() for code in dict.fromkeys(codes)}

    def for_ward(self, stand_in: Unit, ward: Ward) -> Unit:
        """The ward's own unit a stand-in means there (``UBND_PHUONG`` in 22945: ``UBND_22945``)."""
        assert stand_in.per_ward is not None, f"{stand_in.code} stands for no ward's unit"
        template = stand_in.per_ward
        return Unit(
            code=template.code_in(ward.code),
            name=Name(
                vi=template.vi.format(ward_vi=ward.name.vi), en=template.en.format(ward_en=ward.name.en)
            ),
            kind="ward",
            ward_code=ward.code,
        )

    def routed_code(self, code: str, ward_code: str) -> str:
        """The unit a category's unit means in a ward: a stand-in becomes the ward's own."""
        found = self.units.get(code)
        return found.per_ward.code_in(ward_code) if found and found.per_ward else code

    def _ward_unit(self, code: str) -> Unit | None:
        for stand_in in self.per_ward:
            assert stand_in.per_ward is not None
            ward_code = stand_in.per_ward.ward_of(code)
            if ward_code is None:
                continue
            try:
                ward = self._wards().get(ward_code)
            except KeyError:
                return None
            return self.for_ward(stand_in, ward)
        return None


def load(text: str, wards: Callable[[], WardLookup]) -> UnitDirectory:
    data = json.loads(text)
    units = [Unit.model_validate(u) for u in data["units"]]
    codes = [u.code for u in units]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ValueError(f"units listed twice: {twice}")
    return UnitDirectory(str(data["version"]), units, wards)


def _registry() -> WardLookup:
    from ioc_core.admin_units.registry import default_registry

    return default_registry()


@lru_cache(maxsize=1)
def default_directory() -> UnitDirectory:
    text = resources.files("ioc_core.platform").joinpath("data/units.json").read_text("utf-8")
    return load(text, _registry)


def resolve_codes(codes: Any, directory: UnitDirectory | None = None) -> Any:
    """A room's data lists the codes of the units it uses; each becomes the directory's unit (as
    a dict, for the room's own model). Anything but a list of codes is left for pydantic."""
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return codes
    directory = directory or default_directory()
    unknown = [c for c in codes if directory.listed(c) is None]
    if unknown:
        raise ValueError(f"units not in the unit directory (platform/data/units.json): {unknown}")
    return [directory.units[c].model_dump() for c in codes]
