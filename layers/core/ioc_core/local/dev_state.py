"""Where a running `ioc dev` says it is: ``.ioc/dev.json`` in the checkout.

`ioc dev` writes it once it holds its ports and removes it when it stops, so an `ioc` command
in another terminal finds the stack's ports without being told them. A file left behind by
a stack that was killed names a process that is gone: `read` still returns it, and whoever
connects says the stack has stopped (see `is_alive`). ``IOC_DEV_STATE`` puts the file
elsewhere: the test suites' stacks use their own, so they never hide a developer's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ioc_core.platform.code import project_root

STATE_ENV = "IOC_DEV_STATE"


@dataclass(frozen=True)
class DevState:
    host: str
    port: int
    aws_port: int
    pid: int
    started_at: str  # ISO 8601, for people reading the message that the stack has stopped

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def aws_endpoint(self) -> str:
        return f"http://{self.host}:{self.aws_port}"


def state_path() -> Path:
    override = os.environ.get(STATE_ENV)
    return Path(override) if override else project_root() / ".ioc" / "dev.json"


def write(state: DevState, path: Path | None = None) -> Path:
    """Replace the file in one step: a reader never sees half of it."""
    target = path or state_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    partial.replace(target)
    return target


def read(path: Path | None = None) -> DevState | None:
    """The recorded stack, or None when there is no file or it is not one `ioc dev` wrote."""
    target = path or state_path()
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        return DevState(
            host=str(raw["host"]),
            port=int(raw["port"]),
            aws_port=int(raw["aws_port"]),
            pid=int(raw["pid"]),
            started_at=str(raw["started_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove(state: DevState, path: Path | None = None) -> None:
    """Remove the file if it is still ``state``'s: a second `ioc dev` may have replaced it."""
    target = path or state_path()
    if read(target) == state:
        target.unlink(missing_ok=True)


def is_alive(state: DevState) -> bool:
    """The process that wrote the file still runs."""
    try:
        os.kill(state.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True
