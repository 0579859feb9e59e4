"""What the web apps' maps draw under the wards: one small document, ``/map/config.json``.

Locally the gateway builds it from the ``IOC_MAP_*`` environment (a PMTiles extract the gateway
serves with range requests, or nothing: the plain ward background); in AWS ``infra.publish``
builds it from the stage's ``map`` settings and the Amazon Location API key the stack created,
and uploads it beside the apps. The document holds no secret: a browser key is public by
design, restricted by the stack to the stage's own origin and to reading its one map.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, field_validator

# Where the local gateway serves IOC_MAP_PMTILES (and where a stage may upload its extract).
PMTILES_PATH = "/map/basemap.pmtiles"
CONFIG_PATH = "/map/config.json"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

MapKind = Literal["wards", "style", "pmtiles"]


class MapSettings(BaseModel):
    """A deployment's map source: a style URL, a PMTiles archive (path or URL), or neither."""

    model_config = ConfigDict(frozen=True)

    style_url: str | None = None
    pmtiles: str | None = None
    glyphs_url: str | None = None
    attribution: str | None = None
    api_key: str | None = None

    @field_validator("pmtiles")
    @classmethod
    def _an_archive(cls, value: str | None) -> str | None:
        if value and not urlsplit(value).path.endswith(".pmtiles"):
            raise ValueError(f"IOC_MAP_PMTILES must name a .pmtiles file or URL, not {value!r}")
        return value

    @property
    def pmtiles_is_remote(self) -> bool:
        return bool(self.pmtiles) and urlsplit(self.pmtiles or "").scheme in ("http", "https")


class BrowserMap(BaseModel):
    """The document the apps load: which background to draw, and from where."""

    model_config = ConfigDict(frozen=True)

    kind: MapKind
    style_url: str | None = None
    pmtiles_url: str | None = None
    # Fonts for the street and place names of a PMTiles basemap; without them no labels are drawn.
    glyphs_url: str | None = None
    attribution: str | None = None


def with_key(url: str, key: str | None) -> str:
    """``url`` with ``key=`` in its query (Amazon Location's and most tile hosts' convention)."""
    if not key:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "key"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("key", key)])))


def browser_map(settings: MapSettings, pmtiles_url: str = PMTILES_PATH) -> BrowserMap:
    """A style URL wins over a PMTiles archive; neither leaves the plain ward background.

    ``pmtiles_url`` is where the browser reads the archive: the gateway's own path locally
    (it serves a file or relays a URL, so the page's CSP stays 'self'), the URL itself in AWS.
    """
    if settings.style_url:
        return BrowserMap(
            kind="style",
            style_url=with_key(settings.style_url, settings.api_key),
            attribution=settings.attribution,
        )
    if settings.pmtiles:
        return BrowserMap(
            kind="pmtiles",
            pmtiles_url=pmtiles_url,
            glyphs_url=settings.glyphs_url,
            attribution=settings.attribution or OSM_ATTRIBUTION,
        )
    return BrowserMap(kind="wards")
