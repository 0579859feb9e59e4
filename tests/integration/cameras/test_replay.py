"""`ioc cameras simulate DIR --camera ID`: a folder replayed as a camera's snapshots, uploaded
through presigned POSTs as a gateway does; what is not a JPEG ends in quarantine."""

from __future__ import annotations

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
