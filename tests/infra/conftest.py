"""The synthesised CDK app, read once per session.

``make test`` and ``make infra`` synthesise first (``make synth``: the CDK CLI, cdk-nag,
cfn-lint) and point IOC_CDK_OUT at cdk.out; run alone, the fixture synthesises offline into a
temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from infra_templates import OFFLINE, ROOT, STAGES, Assembly, Stage


def _synthesise(directory: Path) -> None:
    out = directory / "cdk.out"
    env = {**os.environ, **OFFLINE, "CDK_OUTDIR": str(out), "PYTHONPATH": str(ROOT)}
    env.pop("AWS_PROFILE", None)
    # Chalice packs into ./chalice.out: keep that out of the checkout.
    done = subprocess.run(
        [sys.executable, "-m", "infra.app"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.fail(f"synth failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")


@pytest.fixture(scope="session")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    given = os.environ.get("IOC_CDK_OUT")
    if given and (Path(given) / "manifest.json").is_file():
        return Assembly(Path(given))
    directory = tmp_path_factory.mktemp("synth")
    _synthesise(directory)
    return Assembly(directory / "cdk.out")


@pytest.fixture(scope="session", params=STAGES)
def stage(request: pytest.FixtureRequest, assembly: Assembly) -> Stage:
    return assembly.stage(request.param)


@pytest.fixture(scope="session")
def prod(assembly: Assembly) -> Stage:
    return assembly.stage("prod")
