"""The Lambda layers built by layers/build.py, and the 250 MB unzipped budget of each function."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS_DIR = ROOT / "build" / "layers"
# Lambda: function code plus all its layers, unzipped.
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024


class LayerMissing(RuntimeError):
    pass


class BudgetExceeded(RuntimeError):
    pass


def tree_size(path: Path) -> int:
    """Unzipped size of a directory: the sum of its files' sizes (what Lambda counts)."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += (Path(folder) / name).stat().st_size
    return total


def layer_dir(name: str, root: Path = LAYERS_DIR) -> Path:
    """The asset directory of a built layer (it holds ``python/``)."""
    path = root / name
    if not (path / "python").is_dir():
        raise LayerMissing(f"layer {name!r} is not built at {path}: run `make layers`")
    return path


@dataclass(frozen=True)
class FunctionBundle:
    function: str
    code_bytes: int
    layers: tuple[str, ...]


def check_budget(
    bundles: Iterable[FunctionBundle],
    layer_sizes: Mapping[str, int],
    limit: int = UNZIPPED_LIMIT_BYTES,
) -> dict[str, int]:
    """Unzipped bytes per function; raises when any function's code plus layers passes the limit."""
    totals = {b.function: b.code_bytes + sum(layer_sizes[name] for name in b.layers) for b in bundles}
    over = {name: size for name, size in totals.items() if size > limit}
    if over:
        # Lambda's "MB" here is MiB: 250 MB = 262,144,000 bytes.
        lines = ", ".join(f"{name}: {size / 2**20:.1f} MB" for name, size in sorted(over.items()))
        raise BudgetExceeded(f"over Lambda's {limit / 2**20:.0f} MB unzipped limit: {lines}")
    return totals
