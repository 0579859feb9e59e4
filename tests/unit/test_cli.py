"""`ioc`'s argument handling: the commands that talk to the running stack take `ioc dev`'s
--port/--aws-port and fall back on what it recorded; mistakes in what is passed are one line
on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ioc_core import cli
from ioc_core.local import aws, dev_state
from ioc_core.local.dev_state import DevState

pytestmark = pytest.mark.unit
RECORDED = DevState("127.0.0.1", 8250, 4650, os.getpid(), "2026-03-02T09:15:00+07:00")
ON_STACK = (
    ["seed"],
    ["stats"],
    ["api-key", "create", "x"],
    ["jobs", "run", "x"],
    ["cameras", "simulate", "d"],
)


@dataclass
class Probe:
    """The local AWS endpoints a command probed, and whether they answer."""

    answers: bool = False
    probed: list[str] = field(default_factory=list)

    def __call__(self, endpoint: str) -> bool:
        self.probed.append(endpoint)
        return self.answers


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Probe:
    """No environment pointing anywhere (restored after the test, whatever _connect set), a
    state file of the test's own, and a probe in place of the network."""
    for name in ("IOC_AWS_ENDPOINT", "IOC_PUBLIC_BASE_URL", "PORT", "AWS_PORT"):
        # Set first so monkeypatch records the original (often: absent) and restores it after
        # _connect wrote its own; a bare delenv of an absent name records nothing.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv(dev_state.STATE_ENV, str(tmp_path / "dev.json"))
    fake = Probe()
    monkeypatch.setattr(aws, "is_running", fake)
    return fake


@pytest.mark.parametrize("command", ON_STACK, ids=lambda c: " ".join(c[:2]))
def test_every_command_on_the_stack_takes_dev_s_port_options(command: list[str]) -> None:
    given = cli.parser().parse_args([*command, "--port", "8250", "--aws-port", "4650"])
    assert (given.port, given.aws_port) == (8250, 4650)
    assert (cli.parser().parse_args(command).port, cli.parser().parse_args(command).aws_port) == (None, None)


def test_dev_names_the_same_options_and_defaults_to_port_and_aws_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORT", "8250")
    monkeypatch.setenv("AWS_PORT", "4650")
    given = cli.parser().parse_args(["dev"])
    assert (given.port, given.aws_port, given.access_log, given.metrics) == (8250, 4650, False, False)
    monkeypatch.delenv("PORT")
    monkeypatch.delenv("AWS_PORT")
    assert (cli.parser().parse_args(["dev"]).port, cli.parser().parse_args(["dev"]).aws_port) == (8000, 4566)


def test_dev_help_lists_the_log_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["dev", "--help"])
    shown = capsys.readouterr().out
    assert "--access-log" in shown and "--metrics" in shown and ".ioc/dev.json" in shown


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_a_port_that_is_no_port_is_refused(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.parser().parse_args(["stats", "--aws-port", port])
    assert exited.value.code == 2
    assert "no TCP port" in capsys.readouterr().err


def test_without_flags_the_ports_come_from_what_dev_recorded(probe: Probe) -> None:
    dev_state.write(RECORDED)
    probe.answers = True
    cli._connect(cli.parser().parse_args(["stats"]))
    assert probe.probed == ["http://127.0.0.1:4650"]
    assert os.environ["IOC_AWS_ENDPOINT"] == "http://127.0.0.1:4650"
    assert os.environ["IOC_PUBLIC_BASE_URL"] == "http://127.0.0.1:8250"


def test_a_stale_record_says_to_run_make_dev_or_pass_the_ports(
    probe: Probe, capsys: pytest.CaptureFixture[str]
) -> None:
    dev_state.write(RECORDED)  # by this process, alive; but nothing answers on its ports
    assert_exits_2(["stats"])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: The local stack recorded in ")
    assert "has stopped" in err and "`make dev`" in err and "--port/--aws-port" in err


def test_flags_override_the_record(probe: Probe, capsys: pytest.CaptureFixture[str]) -> None:
    dev_state.write(RECORDED)
    assert_exits_2(["api-key", "create", "x", "--aws-port", "4651"])
    assert probe.probed == ["http://127.0.0.1:4651"]
    assert "make dev AWS_PORT=4651" in capsys.readouterr().err


def test_eval_fire_on_a_missing_folder_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    assert cli.main(["eval", "fire", str(missing)]) == 2
    out, err = capsys.readouterr()
    layout = "a folder with fire/ and nofire/ images (or a manifest.json listing them)"
    assert out == "" and err == f"error: No folder {missing}: pass {layout}.\n"


def test_eval_fire_on_a_folder_that_is_no_sample_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["eval", "fire", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"error: No labelled images in {tmp_path}: pass a folder")
    (tmp_path / "fire").mkdir()
    (tmp_path / "fire" / "a.jpg").write_bytes(b"not a jpeg")
    assert cli.main(["eval", "fire", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: Cannot decode {tmp_path / 'fire' / 'a.jpg'} as an image.\n"
    (tmp_path / "manifest.json").write_text('[{"file": "fire/b.jpg"}]', encoding="utf-8")
    assert cli.main(["eval", "fire", str(tmp_path)]) == 2
    assert "manifest.json is not a list of {file, label} objects" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('[{"file": "fire/b.jpg", "label": "fire"}]', encoding="utf-8")
    assert cli.main(["eval", "fire", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"error: Cannot read {tmp_path / 'fire' / 'b.jpg'}")


def test_simulate_a_missing_folder_is_told_before_any_stack_is_asked(
    probe: Probe, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["cameras", "simulate", str(tmp_path / "nope")]) == 2
    assert probe.probed == []
    assert (
        capsys.readouterr().err
        == f"error: No folder {tmp_path / 'nope'}: pass a folder of images, sent in name order.\n"
    )


def assert_exits_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
