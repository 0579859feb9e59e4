"""`ioc cameras simulate DIR [--camera ID]`: a folder replayed as a camera's snapshots, uploaded
through presigned POSTs as a gateway does; what is not a JPEG ends in quarantine. The replay
has a camera of its own and never drives one `make dev` simulates, nor an inactive one."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ioc_core.cameras.models import Camera
from ioc_core.cameras.vision.jpeg import encode_jpeg
from ioc_core.local.pump import EventPump
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


def test_a_folder_replays_as_snapshots(
    stack: Settings, camera: Camera, pump: EventPump, tmp_path: Path
) -> None:
    from ioc_core.cameras.simulator import replay
    from ioc_core.cameras.stats import PK
    from ioc_core.cameras.wiring import camera_service, stats_projection

    rng = np.random.default_rng(1)
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(encode_jpeg(rng.integers(0, 255, (270, 480, 3), dtype=np.uint8)))
    (tmp_path / "notes.txt").write_text("not a snapshot")
    said: list[str] = []
    assert replay(tmp_path, camera.camera_id, None, interval=0, say=said.append) == 0
    assert len(said) == 3 and all("cameras/pt-test-01/" in line for line in said)
    pump.drain(timeout=60)
    state = camera_service().states.get(camera.camera_id)
    assert state is not None and state.snapshots == 2
    assert stats_projection().read(PK, f"camera#{camera.camera_id}").get("quarantined_not_jpeg") == 1


def _one_snapshot(folder: Path) -> Path:
    rng = np.random.default_rng(2)
    (folder / "a.jpg").write_bytes(encode_jpeg(rng.integers(0, 255, (90, 160, 3), dtype=np.uint8)))
    return folder


def test_without_a_camera_the_replay_uses_one_of_its_own(stack: Settings, tmp_path: Path) -> None:
    from ioc_core.cameras.simulator import REPLAY_CAMERA, replay
    from ioc_core.cameras.wiring import camera_service

    said: list[str] = []
    assert replay(_one_snapshot(tmp_path), None, None, interval=0, say=said.append) == 0
    assert said == [f"a.jpg → {said[0].split(' → ')[1]}"] and f"cameras/{REPLAY_CAMERA}/" in said[0]
    own = camera_service().get(REPLAY_CAMERA)
    assert own.active and own.silent_after_minutes == 24 * 60  # no silence alarm between replays
    assert replay(tmp_path, REPLAY_CAMERA, None, interval=0, say=said.append) == 0  # registered once
    assert camera_service().get(REPLAY_CAMERA).created_at == own.created_at


def test_a_camera_the_built_in_simulation_drives_is_refused_and_keeps_its_key(
    stack: Settings, tmp_path: Path
) -> None:
    from ioc_core.cameras.simulator import REPLAY_CAMERA, ReplayError, register_fleet, replay
    from ioc_core.cameras.wiring import camera_service

    register_fleet(["pt-w-01"])  # what `make dev` does before its simulation starts
    key_before = camera_service().get("pt-w-01").uploader_key_hash
    with pytest.raises(ReplayError) as refused:
        replay(_one_snapshot(tmp_path), "pt-w-01", None, interval=0, say=lambda _: None)
    assert "pt-w-01 is driven by the built-in simulator" in str(refused.value)
    assert f"replay as {REPLAY_CAMERA}" in str(refused.value)
    assert camera_service().get("pt-w-01").uploader_key_hash == key_before  # the simulation goes on


def test_an_inactive_camera_is_reported_as_inactive(stack: Settings, tmp_path: Path) -> None:
    from ioc_core.cameras.simulator import ReplayError, register_fleet, replay
    from ioc_core.cameras.wiring import camera_service

    register_fleet(["pt-w-01"])  # every other camera is registered inactive
    key_before = camera_service().get("pt-w-02").uploader_key_hash
    with pytest.raises(ReplayError, match=r"^Camera pt-w-02 is inactive: it takes no snapshots\."):
        replay(_one_snapshot(tmp_path), "pt-w-02", None, interval=0, say=lambda _: None)
    assert camera_service().get("pt-w-02").uploader_key_hash == key_before
    with pytest.raises(ReplayError, match="No camera pt-nope-9 is registered"):
        replay(tmp_path, "pt-nope-9", None, interval=0, say=lambda _: None)


def test_a_wrong_key_is_a_message_not_a_traceback(stack: Settings, camera: Camera, tmp_path: Path) -> None:
    from ioc_core.cameras.simulator import ReplayError, replay

    with pytest.raises(ReplayError, match="pt-test-01 refused the uploader key"):
        replay(_one_snapshot(tmp_path), camera.camera_id, "not-its-key", interval=0, say=lambda _: None)


def test_the_command_exits_2_with_one_line(
    stack: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ioc_core.cameras.simulator import register_fleet
    from ioc_core.cli import main

    register_fleet(["pt-w-01"])
    for name in ("IOC_AWS_ENDPOINT", "IOC_PUBLIC_BASE_URL"):  # restored after the test
        monkeypatch.setenv(name, os.environ.get(name, ""))
    monkeypatch.setenv("IOC_AWS_ENDPOINT", str(stack.aws_endpoint))
    monkeypatch.setenv("IOC_DEV_STATE", str(tmp_path / "dev.json"))  # not the checkout's
    folder = str(_one_snapshot(tmp_path))
    for camera_id, expected in (
        ("pt-w-02", "Camera pt-w-02 is inactive"),
        ("pt-hd-01", "built-in simulator"),
    ):
        assert main(["cameras", "simulate", folder, "--camera", camera_id, "--interval", "0"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("error: ") and expected in err
