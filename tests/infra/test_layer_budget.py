"""Lambda's 250 MB unzipped limit: function code plus layers, checked at every synth."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from infra_templates import ROOT

from infra.layers import (
    UNZIPPED_LIMIT_BYTES,
    BudgetExceeded,
    FunctionBundle,
    check_budget,
    layer_dir,
    tree_size,
)

pytestmark = pytest.mark.infra

MB = 1024 * 1024


def _fake_layer(root: Path, name: str, size: int) -> Path:
    """A layer directory whose one file has ``size`` bytes (sparse: no disk used)."""
    folder = root / name / "python" / name
    folder.mkdir(parents=True)
    with (folder / "blob.so").open("wb") as blob:
        blob.truncate(size)
    return root / name


def test_a_function_whose_code_and_layers_pass_250_mb_fails_the_build(tmp_path: Path) -> None:
    sizes = {
        name: tree_size(layer_dir(name, tmp_path))
        for name, size in (("core", 15 * MB), ("vision", 230 * MB))
        if _fake_layer(tmp_path, name, size)
    }
    fits = FunctionBundle("camera-detector", 4 * MB, ("core", "vision"))
    assert check_budget([fits], sizes) == {"camera-detector": 249 * MB}
    too_big = FunctionBundle("camera-detector", 6 * MB, ("core", "vision"))
    with pytest.raises(BudgetExceeded, match=r"250 MB unzipped limit: camera-detector: 251\.0 MB"):
        check_budget([fits, too_big], sizes)
    assert UNZIPPED_LIMIT_BYTES == 250 * MB


def test_a_layer_that_was_not_built_is_named(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="make layers"):
        layer_dir("analytics", tmp_path)


def _build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("layer_build", ROOT / "layers" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_core_layer_leaves_out_what_lambda_and_chalice_provide() -> None:
    build = _build_script()
    names = {build._name(r) for r in build.requirements("core")}
    assert {"pydantic", "pynamodb", "aws-lambda-powertools"} <= names
    assert not names & {"boto3", "botocore", "chalice"}
    # Split into their own layers, for the functions that import them.
    assert not names & {"pyjwt", "pyotp", "pillow"}
    assert build.stamp_key("core") == build.stamp_key("core")
    assert build.stamp_key("vision") != build.stamp_key("analytics")


def test_split_layers_pin_what_the_project_runs_with() -> None:
    """The identity and media layers ship the very requirements the code is tested against."""
    build = _build_script()
    for layer in build.SPLIT_FROM_CORE:
        assert set(build.requirements(layer)) <= set(build.project_dependencies()), layer


@pytest.mark.parametrize("name", ["core", "identity", "media", "vision", "analytics"])
def test_each_built_layer_fits_beside_the_core_layer(name: str) -> None:
    """The real layers (make layers), measured: a vision or analytics function also needs core."""
    if not (ROOT / "build" / "layers" / name / "python").is_dir() and not os.environ.get("IOC_CDK_OUT"):
        pytest.skip("layers not built (make layers)")
    size = tree_size(layer_dir(name))
    core = tree_size(layer_dir("core"))
    assert size + (core if name != "core" else 0) < UNZIPPED_LIMIT_BYTES
