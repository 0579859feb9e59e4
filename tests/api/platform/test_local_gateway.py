"""The local gateway's HTTP framing, replayed from the review: a chunked body reaches the API,
a malformed Content-Length is a 400 (not a closed connection or a hung handler), an oversized
body a 413, and a burst of connections waits in the backlog instead of being reset."""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ioc_core.local.gateway import MAX_BODY_BYTES, Gateway
from ioc_core.local.map_files import MapFiles
from ioc_core.platform.map_style import MapSettings
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from support import free_port, write_pmtiles

pytestmark = pytest.mark.api
REPORT = json.dumps(
    {
        "service_code": "sidewalk_damage",
        "lat": 10.9289,
        "long": 108.1021,
        "description": "Vỉa hè (chunked)",
    }
).encode("utf-8")


@pytest.fixture
def gateway(stack: Settings) -> Iterator[tuple[str, int]]:
    apis = tuple(api for api in RESOURCES.apis if api.name == "field-reporting-api")
    served = Gateway("127.0.0.1", free_port(), apis)
    served.start()
    try:
        host, port = served.url.removeprefix("http://").split(":")
        yield host, int(port)
    finally:
        served.stop()


def exchange(address: tuple[str, int], raw: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send ``raw`` as is and read one reply (the server must answer, not hang or hang up)."""
    with socket.create_connection(address, timeout=timeout) as connection:
        connection.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            assert chunk, f"connection closed without a reply; got {data!r}"
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = connection.recv(65536)
            assert chunk, "reply cut short"
            body += chunk
        return int(lines[0].split()[1]), headers, body[:length]


def post(path: str, extra: str, body: bytes = b"") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n".encode()
        + body
    )


def test_a_chunked_body_reaches_the_api(gateway: tuple[str, int]) -> None:
    chunks = [REPORT[:20], REPORT[20:]]
    body = b"".join(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
    status, headers, reply = exchange(
        gateway, post("/api/v1/reports", "Transfer-Encoding: chunked\r\n", body)
    )
    assert status == 201, reply
    assert json.loads(reply)["description"] == "Vỉa hè (chunked)"
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("length", ["abc", "-1", "1, 2"])
def test_a_malformed_content_length_is_a_400(gateway: tuple[str, int], length: str) -> None:
    status, _, _ = exchange(gateway, post("/api/v1/reports", f"Content-Length: {length}\r\n", REPORT))
    assert status == 400


def test_a_body_over_api_gateways_limit_is_a_413(gateway: tuple[str, int]) -> None:
    status, _, _ = exchange(gateway, post("/api/v1/reports", f"Content-Length: {MAX_BODY_BYTES + 1}\r\n"))
    assert status == 413


def test_a_burst_of_connections_is_served_not_reset(gateway: tuple[str, int]) -> None:
    def one(_: int) -> int:
        raw = b"GET /api/v1/categories HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        return exchange(gateway, raw, timeout=60)[0]

    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses == [200] * 200


def test_each_answer_is_an_access_line_without_its_query(
    gateway: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    """What `ioc dev --access-log` prints: method, path, status, time; never the query, which
    may carry a photo link's signature or an Open311 API key."""
    raw = b"GET /api/v1/categories?api_key=s3cret HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with caplog.at_level(logging.INFO, logger="ioc.gateway.access"):
        assert exchange(gateway, raw)[0] == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "ioc.gateway.access"]
    assert len(lines) == 1 and re.fullmatch(r"GET /api/v1/categories 200 \d+ ms", lines[0]), lines


def test_the_gateway_serves_the_map_config_and_basemap_ranges_with_its_headers(tmp_path: Path) -> None:
    """Issue 11: `/map/` on the gateway's own origin, as the console bucket serves it in AWS."""
    archive = write_pmtiles(tmp_path / "phan-thiet.pmtiles")
    served = Gateway("127.0.0.1", free_port(), apis=())
    served.map_files = MapFiles(MapSettings(pmtiles=str(archive)))
    served.start()
    try:
        host, port = served.url.removeprefix("http://").split(":")
        address = (host, int(port))
        status, headers, body = exchange(address, b"GET /map/config.json HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 200 and json.loads(body)["kind"] == "pmtiles"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        status, headers, body = exchange(
            address, b"GET /map/basemap.pmtiles HTTP/1.1\r\nHost: x\r\nRange: bytes=0-6\r\n\r\n"
        )
        assert (status, body) == (206, b"PMTiles")
        assert headers["content-range"] == f"bytes 0-6/{archive.stat().st_size}"
    finally:
        served.stop()


def test_an_app_loaded_again_after_another_is_itself(stack: Settings) -> None:
    """Chalice puts an app's folder on sys.path only once: loading Field Reporting, then another
    room's app, then Field Reporting again must not serve the other room's routes."""
    from ioc_core.local.server import ApiApp

    apis = {api.name: api for api in RESOURCES.apis}
    ApiApp(apis["field-reporting-api"])
    ApiApp(apis["socio-economic-api"])
    again = ApiApp(apis["field-reporting-api"])
    reply = again.handle("GET", "/open311/v2/discovery.json", {}, None)
    assert reply.status == 200, reply


def test_a_path_segment_in_vietnamese_reaches_the_api_as_api_gateway_decodes_it(
    gateway: tuple[str, int],
) -> None:
    """WSGI hands the path over as Latin-1 (PEP 3333); API Gateway gives a view the segment
    decoded from UTF-8: a saved filter named "Quá hạn" is that name, not its bytes' mojibake."""
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None
    token = provider.issue("operator-9", "operator.9", ["operator"]).access_token
    body = json.dumps({"filters": {"overdue": True}}).encode()
    raw = (
        f"PUT /api/v1/me/saved-filters/Qu%C3%A1%20h%E1%BA%A1n HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    status, _, reply = exchange(gateway, raw)
    assert status == 201, reply
    assert json.loads(reply)["name"] == "Quá hạn"
