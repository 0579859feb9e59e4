"""End to end: `ioc dev` as a subprocess, spoken to over real HTTP and through the `ioc` CLI.

One stack serves the session (tests/e2e/conftest.py), the browser tests' too. Figures move
only through the event pump (outbox → relay → Kinesis → stats consumer), so each test reads
them once earlier tests' changes have settled, waits for the change it caused and checks it
settles at exactly that value. The published demo figures are the ones the stack read before
any test changed data.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import struct
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from e2e_stack import (
    HTTP_TIMEOUT,
    LocalStack,
    clean_env,
    free_port,
    ioc_binary,
    quiet,
    run_ioc,
    settled,
    wait_until,
)

from ioc_core.local.demo_world import DemoPhotos, DemoWorld

pytestmark = pytest.mark.e2e

# The city's published figures, and 24 duplicates the demo merges into their masters:
# submitted and closed as rejected, so they count in the total and nowhere else.
DEMO = {
    "total": 1104,
    "resolved": 1025,
    "in_progress": 79,
    "ratings": 984,
    "positive_ratings": 834,
    "satisfaction_rate": 0.848,
    "accounts": 3700,
}
# Where Phan Thiet's city centre is: inside the city boundaries.
LAT, LONG = "10.928", "108.102"


def tiny_png() -> bytes:
    """A valid 1×1 RGB PNG, built here so the bytes round trip can be compared exactly."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x0a\x92\x8c")  # filter byte, then one sea-blue pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def demo_figures(local_stack: LocalStack) -> dict[str, Any]:
    """The figures once the pump had projected the whole demo history, before any test ran."""
    return local_stack.demo_figures


@pytest.fixture(scope="module")
def plain_service(local_stack: LocalStack) -> str:
    """A service code whose definition requires no attribute, found through Open311."""
    listed = local_stack.get("/open311/v2/services.json")
    assert listed.status_code == 200, listed.text
    services = listed.json()
    # Services without metadata first: they need no definition at all.
    for service in sorted(services, key=lambda s: bool(s["metadata"])):
        code = service["service_code"]
        definition = local_stack.get(f"/open311/v2/services/{code}.json")
        assert definition.status_code == 200, definition.text
        body = definition.json()
        assert body["service_code"] == code
        if not any(a["required"] for a in body["attributes"]):
            return str(code)
    pytest.fail("every service requires an attribute")


# -- 1. demo figures ----------------------------------------------------------------------------


def test_demo_figures_are_the_published_ones(local_stack: LocalStack, demo_figures: dict[str, Any]) -> None:
    assert demo_figures == DEMO
    print(f"ioc dev ready after {local_stack.ready_after:.1f} s")


def test_ready_means_the_projections_hold_the_demo(local_stack: LocalStack) -> None:
    """The review found 69 reports in the statistics right after "Ready": it now waits for every
    consumer (statistics, inboxes) to reach the end of its streams, and says so."""
    assert {k: v for k, v in local_stack.figures_at_ready.items() if k in DEMO} == DEMO
    assert "statistics and inboxes hold the demo history" in local_stack.log()


# -- 2. seeding twice ---------------------------------------------------------------------------


def test_seeding_again_changes_nothing(local_stack: LocalStack, demo_figures: dict[str, Any]) -> None:
    before = quiet(local_stack)
    seeded = local_stack.ioc("seed")
    assert seeded.returncode == 0, seeded.stderr
    assert "demo data already loaded" in seeded.stdout
    assert "reports" not in seeded.stdout  # no progress: nothing was written
    time.sleep(3)  # a dozen pump rounds: anything re-emitted would show by now
    assert local_stack.stats() == before
    # `ioc stats` reads the same projection as the API.
    printed = local_stack.ioc("stats")
    assert printed.returncode == 0, printed.stderr
    assert {k: v for k, v in json.loads(printed.stdout).items() if k in DEMO} == before


def test_the_demo_history_went_through_the_workflow(
    local_stack: LocalStack, demo_figures: dict[str, Any]
) -> None:
    """Transfers, disputes, merged duplicates and escalations reached the statistics, and the
    SLA job finds overdue reports among the open ones (the console's overdue filter)."""
    response = requests.get(
        local_stack.url + "/api/v1/stats/field-reporting/breakdown?by=city", timeout=HTTP_TIMEOUT
    )
    assert response.status_code == 200, response.text
    city = response.json()["rows"][0]["figures"]
    assert city["transfers"] >= 30
    assert city["reopened"] >= 10
    assert city["escalations"] >= 50
    assert city["rejected"] >= 24  # the merged duplicates
    assert 0.5 < city["on_time_rate"] < 1
    # The after-photos of the demo's resolutions are public (without location metadata), each
    # through the report that shows it; a photo id alone opens nothing.
    closed = local_stack.get("/open311/v2/requests.json?status=closed").json()
    resolved = next(
        view
        for view in (local_stack.get(f"/api/v1/reports/{r['service_request_id']}").json() for r in closed)
        if view["after_photos"]
    )
    photo = requests.get(resolved["after_photos"][0], timeout=HTTP_TIMEOUT)
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG"), photo.status_code
    photo_id = DemoPhotos(DemoWorld.photos).keys[0].rpartition("/")[2]
    bare = requests.get(f"{local_stack.url}/api/v1/photos/{photo_id}", timeout=HTTP_TIMEOUT)
    assert bare.status_code == 404
    ran = local_stack.ioc("jobs", "run", "field-reporting-sla")
    assert ran.returncode == 0, ran.stderr
    run = json.loads(ran.stdout.strip().splitlines()[-1])
    assert run["scanned"] >= DEMO["in_progress"]
    assert run["overdue"] >= 10


# -- 3. Open311 ---------------------------------------------------------------------------------


def test_open311_discovery(local_stack: LocalStack) -> None:
    as_json = local_stack.get("/open311/v2/discovery.json")
    assert as_json.headers["X-Content-Type-Options"] == "nosniff"  # API replies too, as CloudFront adds it
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["Content-Type"].startswith("application/json")
    endpoint = as_json.json()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"{local_stack.url}/open311/v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    as_xml = local_stack.get("/open311/v2/discovery.xml")
    assert as_xml.status_code == 200, as_xml.text
    assert as_xml.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(as_xml.content)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == endpoint["url"]
    assert root.findtext("changeset") == as_json.json()["changeset"]


def test_open311_submit_reaches_the_stats(
    local_stack: LocalStack, demo_figures: dict[str, Any], plain_service: str
) -> None:
    created = local_stack.ioc("api-key", "create", "e2e")
    assert created.returncode == 0, created.stderr
    lines = created.stdout.splitlines()
    assert len(lines) == 1, created.stdout
    key = lines[0]
    assert re.fullmatch(r"[\x21-\x7e]{16,}", key), key
    assert "shown once" in created.stderr

    before = quiet(local_stack)
    form = {
        "service_code": plain_service,
        "lat": LAT,
        "long": LONG,
        "description": "Kiểm thử đầu cuối / end-to-end test",
    }
    for refused in ({}, {"api_key": "not-a-key"}):
        denied = local_stack.post("/open311/v2/requests.json", data={**form, **refused})
        assert denied.status_code == 403, denied.text
        assert denied.json()[0]["code"] == "403"

    posted = local_stack.post("/open311/v2/requests.json", data={**form, "api_key": key})
    assert posted.status_code in (200, 201), posted.text
    [item] = posted.json()
    report_id = item["service_request_id"]
    assert report_id

    fetched = local_stack.get(f"/open311/v2/requests/{report_id}.json")
    assert fetched.status_code == 200, fetched.text
    [request] = fetched.json()
    assert request["service_request_id"] == report_id
    assert request["service_code"] == plain_service
    assert request["status"] == "open"
    assert (request["lat"], request["long"]) == (float(LAT), float(LONG))

    after = settled(local_stack, before["total"] + 1, timeout=30)
    assert after["total"] == before["total"] + 1  # the two refused POSTs stored nothing
    assert after["in_progress"] == before["in_progress"] + 1
    assert after["resolved"] == before["resolved"]


# -- 4. mobile API with a photo -----------------------------------------------------------------


def test_mobile_report_with_photo(local_stack: LocalStack, demo_figures: dict[str, Any]) -> None:
    categories = local_stack.get("/api/v1/categories").json()
    code = next(
        s["code"]
        for group in categories["groups"]
        for s in group["services"]
        if not any(a["required"] for a in s["attributes"])
    )

    ticket = local_stack.post("/api/v1/uploads", json={"content_type": "image/png"})
    assert ticket.status_code == 201, ticket.text
    upload = ticket.json()
    assert upload["url"].startswith(local_stack.aws_url), upload["url"]
    assert upload["fields"]["key"] == upload["key"]
    png = tiny_png()
    # The phone's upload: a multipart POST straight to storage, the policy fields first.
    stored = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("photo.png", png, "image/png")},
        timeout=HTTP_TIMEOUT,
    )
    assert 200 <= stored.status_code < 300, stored.text

    before = quiet(local_stack)
    body = {
        "service_code": code,
        "lat": float(LAT),
        "long": float(LONG),
        "description": "Vỉa hè hư hỏng (kiểm thử đầu cuối)",
        "photos": [upload["key"]],
    }
    headers = {"Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    first = local_stack.post("/api/v1/reports", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    second = local_stack.post("/api/v1/reports", json=body, headers=headers)
    assert second.status_code == 200, second.text
    assert second.headers.get("Idempotent-Replayed") == "true"
    report_id = first.json()["id"]
    assert second.json()["id"] == report_id
    assert first.headers["Location"] == second.headers["Location"] == f"/api/v1/reports/{report_id}"

    tracked = local_stack.get(f"/api/v1/reports/{report_id}")
    assert tracked.status_code == 200, tracked.text
    photo_id = upload["key"].rpartition("/")[2]
    assert tracked.json()["photos"] == []  # public once the city has verified the report
    assert local_stack.get(f"/api/v1/photos/{photo_id}?report={report_id}").status_code == 404

    # The sender's reply links the photo for them.
    [link] = first.json()["photos"]
    assert link.startswith(f"{local_stack.url}/api/v1/photos/{photo_id}?access=")
    photo = requests.get(link, timeout=HTTP_TIMEOUT)
    assert photo.status_code == 200
    assert [r.status_code for r in photo.history] == [302]
    assert photo.url.startswith(local_stack.aws_url)
    assert photo.content == png

    after = settled(local_stack, before["total"] + 1, timeout=30)
    assert after["total"] == before["total"] + 1  # two POSTs, one report


def test_two_hundred_concurrent_submissions_are_all_served_and_counted(local_stack: LocalStack) -> None:
    """The review's burst: 200 submissions at once on loopback (the old gateway reset 86 of
    them). None is reset or answered 5xx, and the statistics move by the number of 201s."""
    before = quiet(local_stack)
    body = {"service_code": "sidewalk_damage", "lat": float(LAT), "long": float(LONG)}

    def submit(n: int) -> int:
        with requests.Session() as session:  # a connection each, opened at once
            answer = session.post(
                f"{local_stack.url}/api/v1/reports",
                json={**body, "description": f"Vỉa hè hư hỏng, đợt kiểm thử {n}"},
                timeout=120,
            )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(submit, range(200)))  # a reset connection raises here
    assert [s for s in statuses if s >= 500] == []
    created = statuses.count(201)
    assert created == 200, sorted(set(statuses))
    after = settled(local_stack, before["total"] + created, timeout=120)
    assert after["total"] == before["total"] + created


# -- 5., 6. failing fast ------------------------------------------------------------------------


def test_cli_without_a_running_stack_says_to_run_make_dev() -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run_ioc("api-key", "create", "x", endpoint=endpoint, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "make dev" in result.stderr
    assert endpoint in result.stderr
    assert result.stdout == ""  # no key was made
    assert time.monotonic() - started < 30


def run_dev(api_port: int, aws_port: int) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [str(ioc_binary()), "dev", "--port", str(api_port), "--aws-port", str(aws_port)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, time.monotonic() - started


def test_commands_find_the_stack_from_what_dev_recorded(local_stack: LocalStack, tmp_path: Path) -> None:
    recorded = json.loads(local_stack.state_path.read_text(encoding="utf-8"))
    assert (recorded["port"], recorded["aws_port"]) == (local_stack.api_port, local_stack.aws_port)
    assert recorded["pid"] == local_stack.process.pid
    found = run_ioc("stats", state=local_stack.state_path)  # no flags, no IOC_AWS_ENDPOINT
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] >= DEMO["total"]
    ports = ("--port", str(local_stack.api_port), "--aws-port", str(local_stack.aws_port))
    told = run_ioc("stats", *ports, state=tmp_path / "none.json")  # nothing recorded: the flags
    assert told.returncode == 0, told.stderr


def test_a_record_left_by_a_killed_stack_says_to_run_make_dev(tmp_path: Path) -> None:
    left = tmp_path / "dev.json"  # its pid is above Linux's largest: no such process
    left.write_text(
        json.dumps(
            {"host": "127.0.0.1", "port": free_port(), "aws_port": free_port(), "pid": 2**22 + 1,
             "started_at": "2026-03-02T09:15:00+07:00"}
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = run_ioc("stats", state=left, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "has stopped" in result.stderr and "`make dev`" in result.stderr
    assert "--port/--aws-port" in result.stderr


def test_a_replay_uses_its_own_camera_and_refuses_a_simulated_or_inactive_one(
    local_stack: LocalStack, tmp_path: Path
) -> None:
    from ioc_core.cameras.vision.jpeg import encode_jpeg

    shots = tmp_path / "shots"
    shots.mkdir()
    (shots / "a.jpg").write_bytes(encode_jpeg(np.full((90, 160, 3), 128, dtype=np.uint8)))
    own = local_stack.ioc("cameras", "simulate", str(shots), "--interval", "0")
    assert own.returncode == 0, own.stderr
    assert "a.jpg → cameras/pt-replay-01/" in own.stdout
    for camera, said in (("pt-w-01", "driven by the built-in simulator"), ("pt-w-02", "pt-w-02 is inactive")):
        refused = local_stack.ioc("cameras", "simulate", str(shots), "--camera", camera)
        assert refused.returncode == 2, (refused.stdout, refused.stderr)
        assert said in refused.stderr and "pt-replay-01" in refused.stderr
        assert refused.stderr.count("\n") == 1  # one line, no traceback


def test_the_log_holds_no_access_or_metric_lines_by_default(local_stack: LocalStack) -> None:
    assert local_stack.get("/api/v1/stats/field-reporting").status_code == 200
    log = local_stack.log()
    assert "Ready in" in log and "[dev-idp] staff dieuhanh (operator) password: " in log
    assert "GET /api/v1/stats/field-reporting" not in log
    assert '"_aws"' not in log and "No application metrics to publish" not in log


def test_access_and_metric_lines_when_asked_for(tmp_path: Path) -> None:
    """A stack of its own without demo data (ready in seconds), stopped with SIGTERM."""
    api_port, aws_port = free_port(), free_port()
    state, log_path = tmp_path / "dev.json", tmp_path / "dev.log"
    args = [
        "dev",
        "--no-seed",
        "--access-log",
        "--metrics",
        "--port",
        str(api_port),
        "--aws-port",
        str(aws_port),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ioc_binary()), *args],
            env=clean_env(IOC_DEV_STATE=str(state)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def read() -> str:
            return log_path.read_text(encoding="utf-8", errors="replace")

        ready, _ = wait_until(read, lambda text: "Ready in" in text or process.poll() is not None, 120)
        assert ready and process.poll() is None, read()
        assert json.loads(state.read_text(encoding="utf-8"))["port"] == api_port
        answer = requests.post(
            f"http://127.0.0.1:{api_port}/api/v1/reports?lang=vi",
            json={
                "service_code": "sidewalk_damage",
                "lat": 10.928,
                "long": 108.102,
                "description": "Vỉa hè vỡ",
            },
            timeout=HTTP_TIMEOUT,
        )
        assert answer.status_code == 201, answer.text
        logged, text = wait_until(read, lambda t: '"ReportsSubmitted"' in t, 30)
        assert logged, text
        assert re.search(r"^POST /api/v1/reports 201 \d+ ms$", text, re.MULTILINE), text
        assert "lang=vi" not in text
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert not state.exists()  # a stopped stack leaves no record


def test_second_dev_on_the_same_port_fails_fast(local_stack: LocalStack) -> None:
    # What a second `make dev` in another terminal does: the same two ports.
    second, took = run_dev(local_stack.api_port, local_stack.aws_port)
    assert second.returncode == 2, (second.stdout, second.stderr)
    assert f"Port {local_stack.api_port} is taken" in second.stdout + second.stderr
    assert "Ready in" not in second.stdout
    assert took < 20, f"took {took:.1f} s to refuse"
    # The first stack did not notice.
    assert local_stack.get("/api/v1/stats/field-reporting").status_code == 200


def test_dev_refuses_an_aws_port_held_by_something_else() -> None:
    with socket.socket() as squatter:  # listens, never answers: not a moto server
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        aws_port = squatter.getsockname()[1]
        result, took = run_dev(free_port(), aws_port)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert f"Port {aws_port} is taken by something else" in result.stdout
    assert took < 20, f"took {took:.1f} s to refuse"


# -- the banner's own example -------------------------------------------------------------------


def test_the_banner_example_report_is_accepted(local_stack: LocalStack) -> None:
    log = local_stack.log()
    example = re.search(r"curl -X POST (\S+)/api/v1/reports .*?-d '(\{.*?\})'", log, re.DOTALL)
    assert example, "no POST example in the banner"
    assert example.group(1) == local_stack.url
    answer = local_stack.post(
        "/api/v1/reports",
        data=example.group(2).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 201, answer.text
