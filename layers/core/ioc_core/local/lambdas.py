"""Load the Lambda handlers from functions/ by file, as Lambda does, and a context for them."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ioc_core.platform.code import handler_file

Handler = Callable[[dict[str, Any], Any], dict[str, Any] | None]


@dataclass
class LocalContext:
    """The attributes Powertools and handlers read from the Lambda context."""

    function_name: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ""
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


@cache
def load_handler(dotted: str) -> Handler:
    """``field_reporting.stats_consumer.handler.handler`` → the function, loaded from its file."""
    path, attribute = handler_file(dotted)
    name = "ioc_fn_" + dotted.rpartition(".")[0].replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"no handler module at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    handler: Handler = getattr(module, attribute)
    return handler
