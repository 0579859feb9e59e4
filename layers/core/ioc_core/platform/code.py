"""Where a function's code lives: ``functions/<room>/…`` of the checkout.

Handlers are named by dotted paths under functions/ (``field_reporting.stats_consumer.handler.handler``)
and HTTP APIs by their Chalice project folder there. ``IOC_EXTRA_FUNCTIONS`` (folders joined by
``os.pathsep``) adds roots searched after it: how a test brings a throwaway room's code without
writing into the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

EXTRA_FUNCTIONS = "IOC_EXTRA_FUNCTIONS"


def project_root() -> Path:
    """The checkout: ioc_core lives in layers/core/ioc_core."""
    return Path(__file__).resolve().parents[4]


def function_roots() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(EXTRA_FUNCTIONS, "").split(os.pathsep) if p]
    return [project_root() / "functions", *extra]


def function_path(relative: str | Path) -> Path:
    """The first root holding ``relative``; the checkout's path when none does."""
    roots = function_roots()
    for root in roots:
        if (root / relative).exists():
            return root / relative
    return roots[0] / relative


def handler_file(dotted: str) -> tuple[Path, str]:
    """``platform.outbox_relay.handler.handler`` → (…/outbox_relay/handler.py, ``handler``)."""
    module_path, _, attribute = dotted.rpartition(".")
    return function_path(Path(*module_path.split(".")).with_suffix(".py")), attribute
