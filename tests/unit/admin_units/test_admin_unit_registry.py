"""Administrative units: versioned data, successor chains and point-in-polygon look-ups."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ioc_core
from ioc_core.admin_units import (
    WARDS_GEOJSON_ENV,
    AdminUnit,
    AdminUnitRegistry,
    WardBoundary,
    boundaries_from_geojson,
    default_registry,
)
from ioc_core.admin_units.models import ring_signed_area

pytestmark = pytest.mark.unit

DATA_DIR = Path(ioc_core.__file__).parent / "data"
UNITS_JSON = DATA_DIR / "admin_units.json"
WARDS_GEOJSON = DATA_DIR / "wards.geojson"

REFORM_DAY = date(2025, 7, 1)
AFTER_REFORM = date(2025, 8, 15)
BEFORE_REFORM = date(2025, 3, 1)
BEFORE_1253 = date(2024, 6, 1)

# Post-reform NSO codes (vietnam-provinces 2025.10.1, Tỉnh Lâm Đồng).
PHAN_THIET = "22945"
MUI_NE = "22918"
PHU_THUY = "22924"
HAM_THANG = "22933"
TIEN_THANH = "22954"
BINH_THUAN = "22960"
TUYEN_QUANG = "22963"
NEW_UNITS = {PHAN_THIET, MUI_NE, PHU_THUY, HAM_THANG, TIEN_THANH, BINH_THUAN, TUYEN_QUANG}


@pytest.fixture(scope="module")
def registry() -> AdminUnitRegistry:
    # Explicit paths: a developer's IOC_WARDS_GEOJSON must not change what these tests check.
    return AdminUnitRegistry.load(UNITS_JSON, WARDS_GEOJSON)


@pytest.fixture
def fresh_default_registry() -> Any:
    default_registry.cache_clear()
    yield default_registry
    default_registry.cache_clear()


def _square(lon: float, lat: float, size: float) -> list[list[float]]:
    """A closed counter-clockwise square ring with its south-west corner at (lon, lat)."""
    return [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]


def _feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


# -- locate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        pytest.param(10.9297, 108.1003, PHAN_THIET, id="water-tower"),
        pytest.param(10.9216, 108.0940, PHAN_THIET, id="former-lac-dao"),
        pytest.param(10.9338, 108.0972, PHAN_THIET, id="former-phu-trinh"),
        pytest.param(10.9450, 108.2800, MUI_NE, id="mui-ne"),
        pytest.param(10.9553, 108.2248, MUI_NE, id="former-ham-tien"),
        pytest.param(10.9920, 108.2496, MUI_NE, id="former-thien-nghiep"),
        pytest.param(10.9402, 108.1640, PHU_THUY, id="former-phu-hai"),
        pytest.param(10.9355, 108.1325, PHU_THUY, id="former-thanh-hai"),
        pytest.param(10.9472, 108.1065, HAM_THANG, id="former-xuan-an"),
        pytest.param(10.9704, 108.1607, HAM_THANG, id="former-phu-long"),
        pytest.param(10.9343, 108.0865, BINH_THUAN, id="former-phu-tai"),
        pytest.param(10.9776, 108.0421, BINH_THUAN, id="former-ham-hiep"),
        pytest.param(10.9169, 108.0843, TIEN_THANH, id="former-duc-long"),
        pytest.param(10.8386, 108.0389, TIEN_THANH, id="former-tien-thanh"),
        pytest.param(10.9235, 108.0715, TUYEN_QUANG, id="former-tien-loi"),
    ],
)
def test_known_points_locate_to_their_ward(
    registry: AdminUnitRegistry, lat: float, lon: float, expected: str
) -> None:
    unit = registry.locate(lat, lon, AFTER_REFORM)

    assert unit is not None
    assert unit.code == expected
    assert unit.valid_from == REFORM_DAY


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        pytest.param(10.85, 108.15, id="sea-off-the-centre"),
        pytest.param(10.90, 108.30, id="sea-off-mui-ne"),
        pytest.param(10.75, 108.00, id="sea-south-west"),
        pytest.param(21.0285, 105.8542, id="hanoi"),
        pytest.param(11.94, 108.44, id="da-lat"),
    ],
)
def test_points_in_the_sea_or_far_away_are_nowhere(
    registry: AdminUnitRegistry, lat: float, lon: float
) -> None:
    assert registry.locate(lat, lon, AFTER_REFORM) is None


def test_locate_without_a_date_uses_today(registry: AdminUnitRegistry) -> None:
    unit = registry.locate(10.9297, 108.1003)

    assert unit is not None
    assert unit.code == PHAN_THIET


def test_current_boundaries_do_not_guess_pre_reform_units(registry: AdminUnitRegistry) -> None:
    # The demo boundaries describe the new wards; which old ward a point was in is unknown.
    assert registry.locate(10.9297, 108.1003, BEFORE_REFORM) is None


def test_historic_boundary_locates_the_old_unit_then_its_successor(
    registry: AdminUnitRegistry,
) -> None:
    phu_trinh = WardBoundary(
        code="22930",
        polygons=((tuple((x, y) for x, y in _square(108.09, 10.93, 0.01)),),),
        valid_on=BEFORE_REFORM,
    )
    historic = AdminUnitRegistry(registry.units, [phu_trinh])

    before = historic.locate(10.935, 108.095, BEFORE_REFORM)
    after = historic.locate(10.935, 108.095, AFTER_REFORM)

    assert before is not None and before.name.vi == "Phường Phú Trinh"
    assert after is not None and after.code == PHAN_THIET and after.valid_from == REFORM_DAY


def test_a_hole_is_outside_the_polygon() -> None:
    outer = tuple((x, y) for x, y in _square(108.0, 10.0, 1.0))
    hole = tuple((x, y) for x, y in _square(108.4, 10.4, 0.2))
    boundary = WardBoundary(code=PHAN_THIET, polygons=((outer, hole),))

    assert boundary.contains(10.2, 108.2)
    assert not boundary.contains(10.5, 108.5)
    assert not boundary.contains(11.5, 108.5)


# -- versioned data --------------------------------------------------------------------------


def test_every_old_unit_has_a_successor_in_force_after_the_reform(
    registry: AdminUnitRegistry,
) -> None:
    old_units = [u for u in registry.units if u.valid_to is not None]
    assert len(old_units) == 24

    for unit in old_units:
        assert unit.successor is not None, unit.key
        assert unit.successor_day is not None
        successor = registry.get(unit.successor, unit.successor_day)
        assert unit.code in successor.predecessors, unit.key
        for day in (REFORM_DAY, AFTER_REFORM):
            final = registry.successor_of(unit.code, day)
            assert final.active_on(day), unit.key
            assert final.code in NEW_UNITS


def test_every_predecessor_exists_and_points_back(registry: AdminUnitRegistry) -> None:
    for unit in registry.units:
        for code in unit.predecessors:
            assert unit.predecessor_day is not None
            predecessor = registry.get(code, unit.predecessor_day)
            assert predecessor.successor == unit.code, (unit.key, code)
            assert predecessor.valid_to == unit.predecessor_day


def test_successor_chain_crosses_both_reforms(registry: AdminUnitRegistry) -> None:
    # Hưng Long → Bình Hưng (Resolution 1253, 1 Dec 2024) → Phường Phan Thiết (1 Jul 2025).
    assert registry.successor_of("22951", BEFORE_1253).name.vi == "Phường Hưng Long"
    assert registry.successor_of("22951", BEFORE_REFORM).name.vi == "Phường Bình Hưng"
    assert registry.successor_of("22939", BEFORE_REFORM).code == "22951"
    assert registry.successor_of("22939", AFTER_REFORM).code == PHAN_THIET
    assert registry.successor_of("23131", AFTER_REFORM).code == TUYEN_QUANG


def test_successor_of_unknown_or_future_code_raises(registry: AdminUnitRegistry) -> None:
    with pytest.raises(KeyError):
        registry.successor_of("99999", AFTER_REFORM)


def test_legacy_units_follow_merges_transitively(registry: AdminUnitRegistry) -> None:
    names = {u.name.vi for u in registry.legacy_units_of(PHAN_THIET)}

    assert names == {
        "Phường Phú Trinh",
        "Phường Lạc Đạo",
        "Phường Bình Hưng",
        "Phường Đức Nghĩa",
        "Phường Đức Thắng",
        "Phường Hưng Long",
    }
    assert len(registry.legacy_units_of(PHAN_THIET)) == 8  # Lạc Đạo, Bình Hưng twice
    assert registry.legacy_units_of("22930") == []


def test_keys_are_unique_and_codes_unique_on_every_day(registry: AdminUnitRegistry) -> None:
    keys = [u.key for u in registry.units]
    assert len(keys) == len(set(keys))
    for day in (BEFORE_1253, date(2024, 12, 1), BEFORE_REFORM, date(2025, 6, 30), REFORM_DAY):
        codes = [u.code for u in registry.active_on(day)]
        assert len(codes) == len(set(codes)), day


def test_overlapping_versions_of_a_code_are_rejected(registry: AdminUnitRegistry) -> None:
    unit = registry.get(PHAN_THIET, AFTER_REFORM)
    clash = unit.model_copy(update={"valid_from": date(2025, 6, 1)})

    with pytest.raises(ValueError, match="same day"):
        AdminUnitRegistry([unit, clash])


def test_units_in_force_match_the_reforms(registry: AdminUnitRegistry) -> None:
    after = registry.active_on(REFORM_DAY)
    assert {u.code for u in after} == NEW_UNITS
    assert {u.province.name for u in after} == {"Tỉnh Lâm Đồng"}

    phan_thiet_city = "Thành phố Phan Thiết"
    last_day = [u for u in registry.active_on(date(2025, 6, 30)) if u.legacy_district == phan_thiet_city]
    before_1253 = [u for u in registry.active_on(BEFORE_1253) if u.legacy_district == phan_thiet_city]
    assert Counter(u.level for u in last_day) == {"ward": 11, "commune": 4}
    assert Counter(u.level for u in before_1253) == {"ward": 14, "commune": 4}


def test_get_picks_the_version_by_date(registry: AdminUnitRegistry) -> None:
    assert registry.get(PHU_THUY, BEFORE_REFORM).province.code == "60"
    assert registry.get(PHU_THUY, AFTER_REFORM).province.code == "68"
    assert registry.get(PHU_THUY).valid_from == REFORM_DAY
    with pytest.raises(KeyError):
        registry.get("00000")
    with pytest.raises(KeyError):
        registry.get("22930", AFTER_REFORM)  # Phú Trinh ended on 30 June 2025


# -- boundaries ------------------------------------------------------------------------------


def test_every_unit_in_force_after_the_reform_has_one_boundary(
    registry: AdminUnitRegistry,
) -> None:
    codes = Counter(b.code for b in registry.boundaries)

    assert set(codes) == NEW_UNITS
    assert all(count == 1 for count in codes.values())


def test_demo_rings_are_closed_and_counter_clockwise() -> None:
    document = json.loads(WARDS_GEOJSON.read_text(encoding="utf-8"))

    for feature in document["features"]:
        assert feature["properties"]["approximate"] is True
        outer = [tuple(p) for p in feature["geometry"]["coordinates"][0]]
        assert outer[0] == outer[-1]
        assert ring_signed_area(tuple(outer)) > 0, feature["properties"]["code"]


def test_polygons_do_not_overlap_on_a_grid(registry: AdminUnitRegistry) -> None:
    min_lat, min_lon, max_lat, max_lon = registry.bounds()
    steps = 120
    covered = 0
    for i in range(steps + 1):
        lat = min_lat + (max_lat - min_lat) * i / steps
        for j in range(steps + 1):
            lon = min_lon + (max_lon - min_lon) * j / steps
            hits = sum(b.contains(lat, lon) for b in registry.boundaries)
            assert hits <= 1, (lat, lon)
            covered += hits
    assert covered > (steps + 1) ** 2 * 0.3  # the grid really crosses the polygons


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(min_value=10.77, max_value=11.03),
    lon=st.floats(min_value=107.98, max_value=108.36),
)
def test_no_point_is_in_two_wards(registry: AdminUnitRegistry, lat: float, lon: float) -> None:
    assert sum(b.contains(lat, lon) for b in registry.boundaries) <= 1


def test_wards_share_edges_and_leave_no_gap() -> None:
    """Every edge inside the city is shared (in reverse) by exactly two wards, and the
    unshared edges form one closed outer ring: no holes between the wards."""
    document = json.loads(WARDS_GEOJSON.read_text(encoding="utf-8"))
    edges: Counter[tuple[tuple[float, float], tuple[float, float]]] = Counter()
    for feature in document["features"]:
        ring = [tuple(p) for p in feature["geometry"]["coordinates"][0]]
        for start, end in pairwise(ring):
            edges[(start, end)] += 1
    assert all(count == 1 for count in edges.values())

    outer = {start: end for (start, end) in edges if (end, start) not in edges}
    assert len(outer) == sum(1 for (s, e) in edges if (e, s) not in edges)
    start = next(iter(outer))
    current, length = outer[start], 1
    while current != start:
        current, length = outer[current], length + 1
    assert length == len(outer)


def test_bounds_cover_the_city(registry: AdminUnitRegistry) -> None:
    min_lat, min_lon, max_lat, max_lon = registry.bounds()

    assert min_lat < 10.928 < max_lat and min_lon < 108.102 < max_lon
    assert 10.7 < min_lat < max_lat < 11.1
    assert 107.9 < min_lon < max_lon < 108.4


# -- boundary files from elsewhere -------------------------------------------------------------


def test_env_variable_replaces_the_demo_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default_registry: Any
) -> None:
    path = _write_geojson(
        tmp_path / "official.geojson",
        [
            _feature(
                {"ma_xa": 22945},
                {
                    "type": "MultiPolygon",
                    "coordinates": [[_square(100.0, 1.0, 1.0)], [_square(103.0, 1.0, 1.0)]],
                },
            ),
            _feature({"MA_XA": "22918"}, {"type": "Polygon", "coordinates": [_square(100.0, 5.0, 1.0)]}),
            _feature(
                {"ward_code": "22924"},
                {
                    "type": "Polygon",
                    "coordinates": [_square(100.0, 8.0, 1.0), _square(100.25, 8.25, 0.5)],
                },
            ),
            _feature({"ma_xa": "01234"}, {"type": "Polygon", "coordinates": [_square(0.0, 0.0, 1.0)]}),
        ],
    )
    monkeypatch.setenv(WARDS_GEOJSON_ENV, str(path))

    registry = fresh_default_registry()

    def code_at(lat: float, lon: float) -> str | None:
        unit = registry.locate(lat, lon, AFTER_REFORM)
        return unit.code if unit else None

    assert code_at(1.5, 100.5) == PHAN_THIET
    assert code_at(1.5, 103.5) == PHAN_THIET  # second part of the MultiPolygon
    assert code_at(1.5, 102.0) is None  # between the parts
    assert code_at(5.5, 100.5) == MUI_NE
    assert code_at(8.1, 100.1) == PHU_THUY
    assert code_at(8.5, 100.5) is None  # in the hole
    assert code_at(10.9297, 108.1003) is None  # the demo polygons are gone
    assert len(registry.boundaries) == 3  # unknown codes ignored
    assert registry.bounds() == (1.0, 100.0, 9.0, 104.0)


def test_default_registry_is_loaded_once(fresh_default_registry: Any) -> None:
    assert fresh_default_registry() is fresh_default_registry()


def test_a_boundary_file_without_known_codes_is_rejected(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "wrong.geojson",
        [_feature({"code": "01234"}, {"type": "Polygon", "coordinates": [_square(0, 0, 1)]})],
    )

    with pytest.raises(ValueError, match="matches a unit code"):
        AdminUnitRegistry.load(UNITS_JSON, path)


@pytest.mark.parametrize(
    ("properties", "geometry", "message"),
    [
        pytest.param({}, {"type": "Polygon", "coordinates": [_square(0, 0, 1)]}, "no code", id="no-code"),
        pytest.param(
            {"code": "22945"}, {"type": "Point", "coordinates": [0, 0]}, "not a Polygon", id="point"
        ),
    ],
)
def test_unusable_features_are_rejected(
    properties: dict[str, Any], geometry: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        boundaries_from_geojson({"type": "FeatureCollection", "features": [_feature(properties, geometry)]})


def test_open_rings_are_rejected() -> None:
    ring = _square(0, 0, 1)[:-1]
    with pytest.raises(ValueError, match="closed"):
        boundaries_from_geojson(
            {
                "type": "FeatureCollection",
                "features": [_feature({"code": "22945"}, {"type": "Polygon", "coordinates": [ring]})],
            }
        )


# -- text hygiene ----------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize("path", [UNITS_JSON, WARDS_GEOJSON], ids=lambda p: p.name)
def test_data_files_are_nfc(path: Path) -> None:
    # Checked on the raw file: the models normalise, so the loaded values would always pass.
    strings = _strings(json.loads(path.read_text(encoding="utf-8")))

    assert any(not s.isascii() for s in strings)
    assert [s for s in strings if unicodedata.normalize("NFC", s) != s] == []


def test_models_normalise_decomposed_names(registry: AdminUnitRegistry) -> None:
    decomposed = unicodedata.normalize("NFD", "Phường Phan Thiết")
    data = registry.get(PHAN_THIET).model_dump()
    data["name"]["vi"] = decomposed

    unit = AdminUnit.model_validate(data)

    assert decomposed != "Phường Phan Thiết"
    assert unit.name.vi == "Phường Phan Thiết"
