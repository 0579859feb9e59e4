"""The units the room names: the offices of its catalogue, and each ward's People's Committee
("UBND_<ward code>", as Field Reporting routes to it), named from the administrative-unit
registry. Tasks are registered only for units found here, and the board shows their names."""

from __future__ import annotations

import re
from functools import lru_cache

from ioc_core.admin_units.registry import default_registry
from ioc_core.socio_economic.catalogue import Bilingual, Catalogue, default_catalogue

_WARD_COMMITTEE = re.compile(r"^UBND_(\d{5})$")


def unit_name(code: str, catalogue: Catalogue | None = None) -> Bilingual | None:
    """The unit's name in vi and en, or None for a code the city does not have."""
    catalogue = catalogue or default_catalogue()
    for unit in catalogue.units:
        if unit.code == code:
            return unit.name
    return _ward_committee(code)


def known(code: str) -> bool:
    return unit_name(code) is not None


def names(codes: list[str]) -> dict[str, dict[str, str]]:
    """Each code's name as the API replies it ({"vi", "en"}); an unknown code keeps itself."""
    out = {}
    for code in dict.fromkeys(codes):
        name = unit_name(code)
        out[code] = name.model_dump() if name else {"vi": code, "en": code}
    return out


@lru_cache(maxsize=256)
def _ward_committee(code: str) -> Bilingual | None:
    match = _WARD_COMMITTEE.match(code)
    if not match:
        return None
    try:
        ward = default_registry().get(match.group(1))
    except KeyError:
        return None
    return Bilingual(vi=f"UBND {ward.name.vi}", en=f"People's Committee of {ward.name.en}")
