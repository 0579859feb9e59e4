"""The local gateway's ``/map/``: the maps' config document and the PMTiles basemap.

A PMTiles reader asks for byte ranges (the header, a directory, a tile), so the archive is
served with ``Range`` as S3 behind CloudFront serves it in AWS: 206 with ``Content-Range``,
416 past the end, the whole file without a Range. An ``IOC_MAP_PMTILES`` URL is relayed
range by range, so the page's CSP stays on its own origin and nothing is downloaded whole.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from typing import Any

from ioc_core.local.server import Reply
from ioc_core.platform.map_style import CONFIG_PATH, PMTILES_PATH, MapSettings, browser_map

log = logging.getLogger("ioc.gateway.map")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RELAY_TIMEOUT_SECONDS = 20
# Reads past this in one reply are refused: a reader asks for tiles and directories, not the file.
MAX_RANGE_BYTES = 32 * 1024 * 1024

Opener = Callable[..., Any]


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) bytes a ``Range`` header asks for; None: send it all.

    Raises ValueError when the range starts past the end (416). A header that is not one
    ``bytes=`` range is ignored, as RFC 9110 allows (the reply is then the whole file).
    """
    match = RANGE.match((header or "").strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise ValueError("an empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise ValueError(f"bytes {start}- of {size}")
    return start, end


class MapFiles:
    def __init__(self, settings: MapSettings, opener: Opener = urllib.request.urlopen) -> None:
        self.settings = settings
        self.opener = opener

    def handle(self, method: str, path: str, headers: dict[str, str]) -> Reply | None:
        """The reply for a ``/map/`` path, or None for a path that is not the map's."""
        if path not in (CONFIG_PATH, PMTILES_PATH):
            return None
        if method not in ("GET", "HEAD"):
            return _reply(405, b"Method not allowed", [("Allow", "GET, HEAD")])
        if path == CONFIG_PATH:
            body = json.dumps(browser_map(self.settings).model_dump(exclude_none=True)).encode()
            return _reply(200, body, [("Content-Type", "application/json"), ("Cache-Control", "no-cache")])
        source = self.settings.pmtiles
        if not source:
            return _reply(404, b"No basemap: set IOC_MAP_PMTILES")
        wanted = headers.get("Range")
        return self._relay(source, wanted) if self.settings.pmtiles_is_remote else _file(Path(source), wanted)

    def _relay(self, url: str, wanted: str | None) -> Reply:
        # Only http(s): MapSettings.pmtiles_is_remote chose this path by the URL's scheme.
        request = urllib.request.Request(url, headers={"Range": wanted} if wanted else {})  # noqa: S310
        try:
            with self.opener(request, timeout=RELAY_TIMEOUT_SECONDS) as answer:
                status, got, body = answer.status, answer.headers, answer.read(MAX_RANGE_BYTES + 1)
        except urllib.error.HTTPError as error:
            status, got, body = error.code, error.headers, b""
        except (urllib.error.URLError, TimeoutError) as error:
            log.warning("basemap %s unreachable: %s", url, error)
            return _reply(502, b"The basemap could not be reached")
        if len(body) > MAX_RANGE_BYTES:
            return _reply(416, b"Ask for a range of the basemap")
        kept = [(k, got[k]) for k in ("Content-Range", "ETag", "Last-Modified") if got.get(k)]
        return _reply(status, body, [("Content-Type", "application/vnd.pmtiles"), *kept])


def _file(path: Path, wanted: str | None) -> Reply:
    if not path.is_file():
        log.warning("IOC_MAP_PMTILES names %s, which is not a file", path)
        return _reply(404, b"The basemap file is missing")
    stat = path.stat()
    size = stat.st_size
    tags = [
        ("Content-Type", "application/vnd.pmtiles"),
        ("ETag", f'"{stat.st_mtime_ns:x}-{size:x}"'),
        ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
    ]
    try:
        chosen = byte_range(wanted, size)
    except ValueError:
        return _reply(416, b"", [("Content-Range", f"bytes */{size}")])
    first, last = chosen if chosen else (0, size - 1)
    if last - first + 1 > MAX_RANGE_BYTES:
        return _reply(416, b"Ask for a range of the basemap", [("Content-Range", f"bytes */{size}")])
    with path.open("rb") as archive:
        archive.seek(first)
        body = archive.read(last - first + 1)
    if chosen is None:
        return _reply(200, body, tags)
    return _reply(206, body, [*tags, ("Content-Range", f"bytes {first}-{last}/{size}")])


def _reply(status: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> Reply:
    head = headers or [("Content-Type", "text/plain; charset=utf-8")]
    return Reply(status, [*head, ("Accept-Ranges", "bytes"), ("Content-Length", str(len(body)))], body)
