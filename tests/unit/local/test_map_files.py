"""The local gateway's ``/map/``: the config document, and a PMTiles archive served by byte
range as a PMTiles reader reads it (header, root directory, a tile), from a file or relayed
from a URL (issue 11). The archive is a tiny PMTiles v3 written here, never a download."""

from __future__ import annotations

import io
import json
import struct
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from ioc_core.local.map_files import MapFiles, byte_range
from ioc_core.platform.map_style import CONFIG_PATH, PMTILES_PATH, MapSettings
from support import PMTILES_HEADER_BYTES as HEADER_BYTES
from support import PMTILES_TILE as TILE
from support import write_pmtiles

pytestmark = pytest.mark.unit


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_pmtiles(tmp_path / "phan-thiet.pmtiles")


def _get(files: MapFiles, path: str, range_: str | None = None) -> tuple[int, dict[str, str], bytes]:
    reply = files.handle("GET", path, {"Range": range_} if range_ else {})
    assert reply is not None
    return reply.status, dict(reply.headers), reply.body


def test_a_reader_finds_the_tile_by_ranges_alone(archive: Path) -> None:
    files = MapFiles(MapSettings(pmtiles=str(archive)))
    status, headers, head = _get(files, PMTILES_PATH, f"bytes=0-{HEADER_BYTES - 1}")
    assert status == 206
    assert headers["Content-Range"] == f"bytes 0-126/{archive.stat().st_size}"
    assert headers["Accept-Ranges"] == "bytes"
    assert head[:7] == b"PMTiles" and head[7] == 3
    root_at, root_length = struct.unpack_from("<2Q", head, 8)
    data_at = struct.unpack_from("<Q", head, 8 + 6 * 8)[0]
    _, _, directory = _get(files, PMTILES_PATH, f"bytes={root_at}-{root_at + root_length - 1}")
    entries, tile_id, run, length, offset_plus_one = directory  # every value fits one varint byte
    assert (entries, tile_id, run) == (1, 0, 1)
    start = data_at + offset_plus_one - 1
    status, _, tile = _get(files, PMTILES_PATH, f"bytes={start}-{start + length - 1}")
    assert (status, tile) == (206, TILE)


def test_without_a_range_the_whole_archive_and_past_its_end_a_416(archive: Path) -> None:
    files = MapFiles(MapSettings(pmtiles=str(archive)))
    status, headers, body = _get(files, PMTILES_PATH)
    assert (status, body) == (200, archive.read_bytes())
    assert headers["ETag"]
    size = archive.stat().st_size
    status, headers, _ = _get(files, PMTILES_PATH, f"bytes={size}-")
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=90-500", (90, 99)),  # a last byte past the end is the end
        ("bytes=0-1,5-9", None),  # several ranges: the whole file, as RFC 9110 allows
        ("items=0-9", None),
        (None, None),
    ],
)
def test_range_headers(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=9-3", "bytes=-0"])
def test_unsatisfiable_ranges(header: str) -> None:
    with pytest.raises(ValueError):
        byte_range(header, 100)


def test_the_config_names_the_gateway_path_and_other_paths_are_not_the_maps(archive: Path) -> None:
    files = MapFiles(MapSettings(pmtiles=str(archive)))
    status, headers, body = _get(files, CONFIG_PATH)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["pmtiles_url"] == PMTILES_PATH
    assert files.handle("GET", "/map/other.pmtiles", {}) is None
    reply = files.handle("POST", PMTILES_PATH, {})
    assert reply is not None and reply.status == 405


def test_no_basemap_configured_is_a_404_and_the_config_says_wards() -> None:
    files = MapFiles(MapSettings())
    assert _get(files, PMTILES_PATH)[0] == 404
    assert json.loads(_get(files, CONFIG_PATH)[2]) == {"kind": "wards"}


class FakeAnswer(io.BytesIO):
    def __init__(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        super().__init__(body)
        self.status = status
        self.headers = Message()
        for key, value in headers.items():
            self.headers[key] = value


def test_a_remote_archive_is_relayed_range_by_range(archive: Path) -> None:
    asked: list[Any] = []
    whole = archive.read_bytes()

    def opener(request: urllib.request.Request, timeout: float) -> FakeAnswer:
        asked.append(request.get_header("Range"))
        return FakeAnswer(206, whole[:127], {"Content-Range": f"bytes 0-126/{len(whole)}", "ETag": '"v1"'})

    files = MapFiles(MapSettings(pmtiles="https://example.org/phan-thiet.pmtiles"), opener=opener)
    status, headers, body = _get(files, PMTILES_PATH, "bytes=0-126")
    assert asked == ["bytes=0-126"]
    assert (status, body[:7]) == (206, b"PMTiles")
    assert headers["Content-Range"] == f"bytes 0-126/{len(whole)}"
    assert headers["ETag"] == '"v1"'


def test_an_unreachable_remote_archive_is_a_502() -> None:
    def opener(request: urllib.request.Request, timeout: float) -> FakeAnswer:
        raise urllib.error.URLError("no route")

    files = MapFiles(MapSettings(pmtiles="https://example.org/phan-thiet.pmtiles"), opener=opener)
    assert _get(files, PMTILES_PATH, "bytes=0-126")[0] == 502
