"""Versioned administrative units of Phan Thiết (Tỉnh Lâm Đồng since 1 July 2025).

Units and boundaries are data (``ioc_core/data/admin_units.json``, ``wards.geojson``); this
package answers "which ward is this point in, on that day" and "what did this old code become".
"""

from ioc_core.admin_units.models import (
    AdminUnit,
    AdminUnitsDocument,
    Level,
    LocalizedName,
    ProvinceRef,
    WardBoundary,
)
from ioc_core.admin_units.registry import (
    WARDS_GEOJSON_ENV,
    AdminUnitRegistry,
    boundaries_from_geojson,
    default_registry,
)

__all__ = [
    "WARDS_GEOJSON_ENV",
    "AdminUnit",
    "AdminUnitRegistry",
    "AdminUnitsDocument",
    "Level",
    "LocalizedName",
    "ProvinceRef",
    "WardBoundary",
    "boundaries_from_geojson",
    "default_registry",
]
