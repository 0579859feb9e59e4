"""The file where a running `ioc dev` records its ports: written whole, read back, removed
only by the stack that wrote it, and a stack that was killed is told from a running one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ioc_core.local import dev_state
from ioc_core.local.dev_state import DevState

pytestmark = pytest.mark.unit
STATE = DevState("127.0.0.1", 8250, 4650, os.getpid(), "2026-03-02T09:15:00+07:00")


def test_what_is_written_is_read_back_and_nothing_else_is_left(tmp_path: Path) -> None:
    path = dev_state.write(STATE, tmp_path / ".ioc" / "dev.json")
    assert dev_state.read(path) == STATE
    assert STATE.url == "http://127.0.0.1:8250" and STATE.aws_endpoint == "http://127.0.0.1:4650"
    assert [p.name for p in path.parent.iterdir()] == ["dev.json"]  # no partial file left over


@pytest.mark.parametrize("content", [None, "", "{not json", '{"host": "127.0.0.1"}', '["a list"]'])
def test_no_file_or_one_ioc_dev_did_not_write_reads_as_none(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "dev.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert dev_state.read(path) is None


def test_a_stack_removes_its_own_file_and_leaves_a_later_ones(tmp_path: Path) -> None:
    path = tmp_path / "dev.json"
    dev_state.write(STATE, path)
    later = DevState("127.0.0.1", 8251, 4651, os.getpid() + 1, "2026-03-02T10:00:00+07:00")
    dev_state.write(later, path)  # a second `ioc dev` on other ports
    dev_state.remove(STATE, path)
    assert dev_state.read(path) == later
    dev_state.remove(later, path)
    assert not path.exists()
    dev_state.remove(later, path)  # twice (the stop, then the end of run) is harmless


def test_the_file_is_in_the_checkout_unless_told_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ioc_core.platform.code import project_root

    monkeypatch.delenv(dev_state.STATE_ENV, raising=False)
    assert dev_state.state_path() == project_root() / ".ioc" / "dev.json"
    monkeypatch.setenv(dev_state.STATE_ENV, str(tmp_path / "elsewhere.json"))
    assert dev_state.state_path() == tmp_path / "elsewhere.json"


def test_a_killed_stack_is_told_from_a_running_one() -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    assert dev_state.is_alive(STATE)
    assert not dev_state.is_alive(DevState("127.0.0.1", 8250, 4650, int(gone.stdout), STATE.started_at))
