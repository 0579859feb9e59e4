"""Which running stack an `ioc` command talks to, and a clear message when none answers.

The ports come from, first to last: ``--port``/``--aws-port``; ``IOC_PUBLIC_BASE_URL``/
``IOC_AWS_ENDPOINT``; what the running `ioc dev` recorded (``.ioc/dev.json``); ``$PORT``/
``$AWS_PORT`` and the defaults, as `ioc dev` itself chooses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from ioc_core.local.dev_state import DevState, is_alive
from ioc_core.settings import LOCAL_API_PORT, LOCAL_AWS_PORT

LOCALHOST = "127.0.0.1"


class Source(StrEnum):
    FLAGS = "flags"
    ENVIRONMENT = "environment"
    STATE = "state"
    DEFAULTS = "defaults"


class StackUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Target:
    api_url: str
    aws_endpoint: str | None  # None: AWS proper (IOC_AWS_ENDPOINT set empty)
    source: Source  # where the AWS endpoint came from: what the message on failure says
    state: DevState | None = None
    aws_port: int | None = None  # as passed with --aws-port

    def environment(self) -> dict[str, str]:
        """What the settings read, so every adapter binds to this stack."""
        return {"IOC_AWS_ENDPOINT": self.aws_endpoint or "", "IOC_PUBLIC_BASE_URL": self.api_url}


def resolve(port: int | None, aws_port: int | None, env: Mapping[str, str], state: DevState | None) -> Target:
    host = state.host if state else LOCALHOST
    if port is not None:
        api_url = f"http://{host}:{port}"
    elif env.get("IOC_PUBLIC_BASE_URL"):
        api_url = env["IOC_PUBLIC_BASE_URL"]
    elif state is not None:
        api_url = state.url
    else:
        api_url = f"http://{LOCALHOST}:{env.get('PORT') or LOCAL_API_PORT}"
    if aws_port is not None:
        return Target(api_url, f"http://{host}:{aws_port}", Source.FLAGS, state, aws_port)
    if "IOC_AWS_ENDPOINT" in env:
        return Target(api_url, env["IOC_AWS_ENDPOINT"] or None, Source.ENVIRONMENT, state)
    if state is not None:
        return Target(api_url, state.aws_endpoint, Source.STATE, state)
    endpoint = f"http://{LOCALHOST}:{env.get('AWS_PORT') or LOCAL_AWS_PORT}"
    return Target(api_url, endpoint, Source.DEFAULTS)


def check(target: Target, where: str, answers: Callable[[str], bool]) -> None:
    """Raise StackUnavailable, saying what to do, unless the target's local AWS answers.
    ``where`` names the state file for the message; ``answers`` probes an endpoint."""
    endpoint = target.aws_endpoint
    if endpoint is None:
        return
    state = target.state
    if target.source is Source.STATE and state is not None:
        if is_alive(state) and answers(endpoint):
            return
        raise StackUnavailable(
            f"The local stack recorded in {where} (started {state.started_at}, API port "
            f"{state.port}, AWS port {state.aws_port}) has stopped: nothing answers at {endpoint}. "
            "Start it with `make dev`, or pass --port/--aws-port where one runs."
        )
    if answers(endpoint):
        return
    if target.source is Source.FLAGS:
        raise StackUnavailable(
            f"No local AWS answers at {endpoint} (--aws-port {target.aws_port}). Start the stack "
            f"there with `make dev AWS_PORT={target.aws_port}`, or leave --aws-port out to use the "
            "one `make dev` is running."
        )
    if target.source is Source.ENVIRONMENT:
        raise StackUnavailable(
            f"No local AWS answers at {endpoint} (IOC_AWS_ENDPOINT). Start the system with "
            "`make dev` (or `ioc dev`) in another terminal, or set IOC_AWS_ENDPOINT to where it runs."
        )
    raise StackUnavailable(
        f"No local AWS answers at {endpoint}, and no running `ioc dev` is recorded in {where}. "
        "Start the system with `make dev` (or `ioc dev`) in another terminal, or pass "
        "--port/--aws-port where it runs."
    )
