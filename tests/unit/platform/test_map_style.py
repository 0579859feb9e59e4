"""The maps' config document: a style URL (with its key), a PMTiles basemap, or the plain ward
background; nothing else reaches the browser (issue 11)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ioc_core.platform.map_style import PMTILES_PATH, MapSettings, browser_map, with_key
from ioc_core.settings import load_settings

pytestmark = pytest.mark.unit


def test_no_map_settings_keep_the_plain_ward_background() -> None:
    assert browser_map(MapSettings()).model_dump(exclude_none=True) == {"kind": "wards"}


def test_a_pmtiles_file_is_read_through_the_gateway_path_never_its_disk_path() -> None:
    shown = browser_map(
        MapSettings(pmtiles="/srv/maps/phan-thiet.pmtiles", glyphs_url="/fonts/{fontstack}/{range}.pbf")
    )
    assert shown.kind == "pmtiles"
    assert shown.pmtiles_url == PMTILES_PATH
    assert "/srv/" not in shown.model_dump_json()
    assert shown.glyphs_url == "/fonts/{fontstack}/{range}.pbf"
    assert shown.attribution and "OpenStreetMap" in shown.attribution


def test_a_style_url_wins_and_carries_the_key_in_its_query() -> None:
    settings = MapSettings(
        style_url="https://maps.geo.ap-southeast-1.amazonaws.com/maps/v0/maps/ioc-dev-map/style-descriptor",
        pmtiles="/srv/phan-thiet.pmtiles",
        api_key="v1.public.abc",
        attribution="© Esri",
    )
    shown = browser_map(settings)
    assert shown.kind == "style"
    assert shown.style_url == f"{settings.style_url}?key=v1.public.abc"
    assert shown.pmtiles_url is None
    assert shown.attribution == "© Esri"


def test_a_key_replaces_one_already_in_the_url_and_keeps_the_rest() -> None:
    assert with_key("https://tiles.example/style.json?lang=vi&key=old", "new") == (
        "https://tiles.example/style.json?lang=vi&key=new"
    )
    assert with_key("https://tiles.example/style.json", None) == "https://tiles.example/style.json"


@pytest.mark.parametrize("value", ["/srv/phan-thiet.mbtiles", "https://example.org/tiles/{z}/{x}/{y}.pbf"])
def test_pmtiles_must_name_an_archive(value: str) -> None:
    with pytest.raises(ValidationError, match="pmtiles"):
        MapSettings(pmtiles=value)


def test_the_environment_sets_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_MAP_PMTILES", "https://example.org/extracts/phan-thiet.pmtiles?v=2")
    monkeypatch.setenv("IOC_MAP_ATTRIBUTION", "© Protomaps © OpenStreetMap")
    monkeypatch.delenv("IOC_MAP_STYLE_URL", raising=False)
    settings = load_settings().map
    assert settings.pmtiles_is_remote
    assert browser_map(settings).attribution == "© Protomaps © OpenStreetMap"
