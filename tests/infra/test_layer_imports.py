"""Each function starts with only its own layers: its handler imports nothing that lives in a
layer it does not have. Checked by importing every handler in a fresh interpreter in which the
packages of the other layers cannot be imported (as in Lambda, where they are not there)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from infra_templates import ROOT

from infra.functions import handler_location
from infra.layers import LAYERS_DIR
from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.infra

FUNCTIONS = ROOT / "functions"
# Layers with a package of their own; core's packages are in every function.
OPTIONAL_LAYERS = ("identity", "media", "vision", "analytics", "documents")

_IMPORT = """
import importlib, importlib.abc, json, sys
blocked = set(json.loads(sys.argv[1]))
class Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not in this function's layers)")
        return None
sys.meta_path.insert(0, Missing())
sys.path.insert(0, sys.argv[2])
importlib.import_module(sys.argv[3])
"""


def _packages(layer: str) -> set[str]:
    """Top-level import names a built layer provides."""
    site = LAYERS_DIR / layer / "python"
    names = set()
    for entry in site.iterdir():
        if entry.name.endswith((".dist-info", ".libs")) or entry.name.startswith("_"):
            continue
        if entry.is_dir() or entry.suffix in (".py", ".so"):
            names.add(entry.name.split(".")[0])
    return names


def _functions() -> list[tuple[str, Path, str, tuple[str, ...]]]:
    """(name, code directory, module the runtime imports first, layers) of every function."""
    found = [(api.name, FUNCTIONS / api.source_dir, "app", api.layers) for api in RESOURCES.apis]
    plain = (
        *RESOURCES.consumers, *RESOURCES.queue_consumers, *RESOURCES.s3_consumers, *RESOURCES.schedules,
        *RESOURCES.user_pools,
    )  # fmt: skip
    for definition in plain:
        code, entry = handler_location(definition.handler)
        found.append((definition.function, code, entry.split(".")[0], definition.layers))
    return sorted(set(found))


@pytest.fixture(scope="module")
def layer_packages() -> dict[str, set[str]]:
    missing = [name for name in ("core", *OPTIONAL_LAYERS) if not (LAYERS_DIR / name / "python").is_dir()]
    if missing:
        pytest.skip(f"layers not built: {missing} (make layers)")
    return {name: _packages(name) for name in ("core", *OPTIONAL_LAYERS)}


@pytest.mark.parametrize(("name", "code", "module", "layers"), _functions(), ids=lambda v: str(v))
def test_a_function_imports_only_what_its_layers_ship(
    layer_packages: dict[str, set[str]], name: str, code: Path, module: str, layers: tuple[str, ...]
) -> None:
    assert "core" in layers, name
    provided = set().union(*(layer_packages[layer] for layer in layers))
    blocked = set().union(*(layer_packages[layer] for layer in OPTIONAL_LAYERS)) - provided
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT, json.dumps(sorted(blocked)), str(code), module],
        capture_output=True,
        text=True,
        cwd=code,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{name} ({', '.join(layers)}) cannot start:\n{done.stderr[-2500:]}"


def test_the_split_layers_really_left_core() -> None:
    """What moved out of core is not also shipped in it (it would count twice in the budget)."""
    if not all((LAYERS_DIR / name / "python").is_dir() for name in ("core", "identity", "media")):
        pytest.skip("layers not built (make layers)")
    core = _packages("core")
    assert not core & (_packages("identity") | _packages("media"))
    assert {"jwt", "cryptography", "PIL"}.isdisjoint(core)
