"""The one unit directory: every room names a unit as the directory does, the rooms' data list
only codes, and a ward's own units come from the administrative-unit registry."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from ioc_core.admin_units import default_registry
from ioc_core.admin_units.registry import today_in_vietnam
from ioc_core.field_reporting.catalogue import default_catalogue as field_catalogue
from ioc_core.field_reporting.catalogue import load_catalogue
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.platform.units import default_directory, load
from ioc_core.socio_economic.catalogue import default_catalogue as indicator_catalogue

pytestmark = pytest.mark.unit


def _room_data(package: str, path: str) -> dict[str, object]:
    return dict(json.loads(resources.files(package).joinpath(path).read_text("utf-8")))


def test_the_rooms_data_list_unit_codes_and_never_name_a_unit() -> None:
    for package, path in (
        ("ioc_core.field_reporting", "data/services.json"),
        ("ioc_core.socio_economic", "data/catalogue.json"),
    ):
        data = _room_data(package, path)
        assert data["units"] and all(isinstance(code, str) for code in data["units"]), path  # type: ignore[attr-defined]
    assert "ward_units" not in _room_data("ioc_core.field_reporting", "data/routing.json")


def test_both_rooms_name_every_unit_as_the_directory_does() -> None:
    directory = default_directory()
    shared = {u.code for u in field_catalogue().units} & {u.code for u in indicator_catalogue().units}
    assert {"QLDT", "VHXH"} <= shared
    for unit in field_catalogue().units:
        assert unit.name.model_dump() == directory.name(unit.code).model_dump()
        assert unit.kind == directory.units[unit.code].kind
    for indicator_unit in indicator_catalogue().units:
        assert indicator_unit.name.model_dump() == directory.name(indicator_unit.code).model_dump()
    router = Router(field_catalogue(), default_registry(), routing_data(), today_in_vietnam())
    for code in router.units:
        assert router.unit_name(code).model_dump() == directory.name(code).model_dump()


def test_a_wards_own_units_are_named_from_the_registry_and_the_stand_ins_are_not_units() -> None:
    directory = default_directory()
    committee = directory.get("UBND_22918")
    assert committee is not None and committee.ward_code == "22918" and committee.kind == "ward"
    assert committee.name.model_dump() == {
        "vi": "UBND Phường Mũi Né",
        "en": "People's Committee of Mui Ne Ward",
    }
    police = directory.get("CA_22945")
    assert police is not None and police.name.vi == "Công an Phường Phan Thiết"
    assert directory.known("UBND_22918") and directory.known("CSCC") and directory.known("THONGKE")
    assert not directory.known("UBND_PHUONG")  # it stands for a ward's unit: work never goes to it
    assert (
        not directory.known("UBND_99999") and not directory.known("NOPE") and not directory.known("UBND_2291")
    )
    assert directory.routed_code("UBND_PHUONG", "22945") == "UBND_22945"
    assert directory.routed_code("CSCC", "22945") == "CSCC"
    assert directory.names(["NOPE", "QLDT", "NOPE"]) == {
        "NOPE": {"vi": "NOPE", "en": "NOPE"},
        "QLDT": {"vi": "Phòng Quản lý đô thị", "en": "Urban Management Office"},
    }


def test_the_registry_is_read_only_when_a_wards_unit_is_asked_for() -> None:
    asked: list[str] = []

    class Wards:
        def get(self, code: str) -> object:
            asked.append(code)
            if code != "00001":
                raise KeyError(code)
            return SimpleNamespace(code=code, name=SimpleNamespace(vi="Phường Một", en="Ward One"))

    text = json.dumps(
        {
            "version": "t",
            "units": [
                {"code": "QLDT", "name": {"vi": "Phòng", "en": "Office"}, "kind": "department"},
                {
                    "code": "UBND_PHUONG",
                    "name": {"vi": "UBND phường", "en": "The ward's committee"},
                    "kind": "ward",
                    "per_ward": {
                        "code": "UBND_{ward}",
                        "vi": "UBND {ward_vi}",
                        "en": "Committee of {ward_en}",
                    },
                },
            ],
        }
    )
    directory = load(text, Wards)
    assert directory.name("QLDT").vi == "Phòng" and asked == []
    assert directory.name("UBND_00001").model_dump() == {
        "vi": "UBND Phường Một",
        "en": "Committee of Ward One",
    }
    assert directory.get("UBND_00002") is None
    assert directory.get("UBND_00001") is not None and asked == ["00001", "00002"]  # asked once each


def test_a_unit_listed_twice_or_a_room_naming_an_unknown_code_is_refused(tmp_path: Path) -> None:
    twice = {"code": "QLDT", "name": {"vi": "a", "en": "a"}, "kind": "department"}
    with pytest.raises(ValueError, match="listed twice"):
        load(json.dumps({"version": "t", "units": [twice, twice]}), default_registry)
    data = _room_data("ioc_core.field_reporting", "data/services.json")
    data["units"] = ["QLDT", "NO_SUCH_UNIT"]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ValueError, match="NO_SUCH_UNIT"):
        load_catalogue(path)


def test_the_indicator_catalogue_looks_up_its_owner_units_by_code() -> None:
    catalogue = indicator_catalogue()
    finance = catalogue.unit("TCKH")
    assert finance is not None and finance.name.vi == "Phòng Tài chính – Kế hoạch"
    assert catalogue.unit("CSCC") is None  # the city's, but it owns no indicator
    assert catalogue.unit_name("NOPE").model_dump() == {"vi": "NOPE", "en": "NOPE"}
