"""Issue 11: with a PMTiles basemap configured, the resident app's map reads it from the gateway
by HTTP range requests (header, root directory, a tile) through MapLibre's pmtiles protocol and
draws it under the wards; the other stories run the plain ward background (nothing configured).

The gateway runs in this process with no API behind it (the page's few API calls are answered
by the test), the archive is one vector tile written here: a polygon in Protomaps' ``earth``
layer that covers the world, so the map outside the wards turns from the plain background's
blue to the basemap's earth colour.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_tabs import Tab
from PIL import Image
from playwright.sync_api import Browser, Route, expect

from ioc_core.local.gateway import Gateway
from ioc_core.local.map_files import MapFiles
from ioc_core.platform.code import project_root
from ioc_core.platform.map_style import PMTILES_PATH, MapSettings
from support import free_port, mvt_square, write_pmtiles

pytestmark = pytest.mark.e2e
EARTH = (0xE2, 0xDF, 0xDA)  # @protomaps/basemaps' light flavour
PLAIN = (0xB7, 0xD3, 0xEA)  # frontend/shared/map.ts PLAIN_BACKGROUND


def _wards() -> dict[str, Any]:
    shapes = json.loads((project_root() / "layers/core/ioc_core/data/wards.geojson").read_text("utf-8"))
    for feature in shapes["features"]:
        feature["properties"].setdefault("name_en", feature["properties"]["name_vi"])
    return {"type": "FeatureCollection", "features": shapes["features"]}


def _answer_api(route: Route) -> None:
    path = route.request.url.split("?")[0]
    if path.endswith("/api/v1/wards/boundaries"):
        body: Any = _wards()
    elif path.endswith("/api/v1/reports"):
        body = {"items": [], "total": 0, "days": 30, "limit": 100}
    else:
        body = {}
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    served = Gateway("127.0.0.1", free_port(), apis=())
    served.map_files = MapFiles(
        MapSettings(pmtiles=str(write_pmtiles(tmp_path / "city.pmtiles", mvt_square())))
    )
    served.start()
    try:
        yield served
    finally:
        served.stop()


def _corner_colour(tab: Tab) -> tuple[int, int, int]:
    """A pixel near the map's top-left corner, outside every ward."""
    shot = tab.page.locator(".reports-map").screenshot()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    red, green, blue = image.getpixel((6, 6))  # type: ignore[misc]
    return int(red), int(green), int(blue)


def _close(colour: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def test_a_pmtiles_basemap_is_read_by_ranges_and_drawn_under_the_wards(
    browser: Browser, gateway: Gateway
) -> None:
    tab = Tab(
        browser.new_context(locale="vi-VN", viewport={"width": 900, "height": 1400}), gateway.url, "basemap"
    )
    ranges: list[tuple[int, str]] = []
    tab.page.route("**/api/**", _answer_api)
    tab.page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.request.headers.get("range", "")))
            if r.url.endswith(PMTILES_PATH)
            else None
        ),
    )
    try:
        page = tab.goto("/app/")
        expect(page.locator(".reports-map .maplibregl-canvas")).to_be_visible()
        expect(page.locator(".ward-label").first).to_be_visible()
        # The tile is read and drawn after the style loads: wait for its colour, a few seconds at most.
        colour = _corner_colour(tab)
        for _ in range(40):
            if _close(colour, EARTH):
                break
            page.wait_for_timeout(250)
            colour = _corner_colour(tab)
        assert ranges and all(status == 206 and header.startswith("bytes=") for status, header in ranges), (
            ranges
        )
        assert len(ranges) >= 2, ranges  # the header and directory, then the tile
        tab.shot("01-home")
        assert _close(colour, EARTH), f"the map's corner is {colour}, not the basemap's earth {EARTH}"
        assert not _close(colour, PLAIN)
        tab.audit("home")
        tab.assert_clean()
    finally:
        tab.context.close()


def test_without_webgl_the_page_says_so_and_fetches_no_basemap(browser: Browser, gateway: Gateway) -> None:
    """The no-WebGL path: no map, a notice instead, and the rest of the page as it is."""
    context = browser.new_context(locale="vi-VN")
    context.add_init_script(
        "const plain = HTMLCanvasElement.prototype.getContext;"
        "HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {"
        "  return String(kind).startsWith('webgl') ? null : plain.call(this, kind, ...rest); };"
    )
    tab = Tab(context, gateway.url, "basemap-no-webgl")
    asked: list[str] = []
    tab.page.route("**/api/**", _answer_api)
    tab.page.on("request", lambda r: asked.append(r.url) if "/map/" in r.url else None)
    try:
        page = tab.goto("/app/")
        expect(page.get_by_text("Trình duyệt này không vẽ được bản đồ (cần WebGL).")).to_be_visible()
        expect(page.get_by_role("heading", name="Phản ánh gần đây trong thành phố")).to_be_visible()
        expect(page.locator(".maplibregl-canvas")).to_have_count(0)
        assert not [url for url in asked if url.endswith(PMTILES_PATH)], asked
        tab.audit("home")
        tab.assert_clean()
    finally:
        context.close()
