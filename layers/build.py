"""Build the Lambda layers without Docker: ``python layers/build.py [core] [vision] [analytics]``.

Wheels for the Lambda runtime (CPython 3.12 on Amazon Linux 2023, glibc 2.34) come from PyPI
with ``--platform manylinux_2_28_x86_64`` (and the other glibc tags up to 2.34)
and ``--only-binary=:all:``, into build/layers/<name>/python.
Third-party packages are reinstalled only when a layer's requirements change (a stamp keyed on
them, the platform and the Python version); the core package is copied on every build. Tests
and caches are trimmed; each layer's unzipped size is printed as a JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "layers"
LAYERS = ("core", "identity", "media", "vision", "analytics", "documents")
# Layers whose packages are also the project's runtime dependencies: split out of core so that
# a function carries only what it imports (the detector needs neither JWTs nor Pillow, and its
# OpenCV leaves little of the 250 MB).
SPLIT_FROM_CORE = ("identity", "media")
LAMBDA_PYTHON = "3.12"
# pip takes the listed tags only (no older-glibc expansion), so name each glibc Lambda's 2.34 runs.
PLATFORMS = (
    "manylinux_2_34_x86_64",
    "manylinux_2_28_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
)
# In the Lambda Python runtime already; leaving them out keeps room in the 250 MB budget.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3")
# Chalice packs its own runtime into each app's deployment zip.
PACKED_BY_CHALICE = ("chalice",)
TRIM_DIRS = ("__pycache__", "tests", "bin")


def _name(requirement: str) -> str:
    for separator in "<>=!~[; ":
        requirement = requirement.split(separator)[0]
    return requirement.strip().lower().replace("_", "-")


def requirements(layer: str) -> list[str]:
    if layer == "core":
        split = {_name(r) for name in SPLIT_FROM_CORE for r in requirements(name)}
        skip = {*RUNTIME_PROVIDED, *PACKED_BY_CHALICE, *split}
        return [r for r in project_dependencies() if _name(r) not in skip]
    lines = (ROOT / "layers" / layer / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def project_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def stamp_key(layer: str) -> str:
    spec = {"requirements": requirements(layer), "python": LAMBDA_PYTHON, "platforms": PLATFORMS}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _trim(site: Path) -> None:
    for name in TRIM_DIRS:
        for folder in sorted(site.rglob(name), key=lambda p: len(p.parts), reverse=True):
            if folder.is_dir():
                shutil.rmtree(folder)


def _drop_distributions(site: Path, names: tuple[str, ...]) -> None:
    """Remove installed distributions (and their files) pulled in as dependencies."""
    for info in site.glob("*.dist-info"):
        if _name(info.name.removesuffix(".dist-info").rsplit("-", 1)[0]) not in names:
            continue
        record = info / "RECORD"
        for line in record.read_text(encoding="utf-8").splitlines() if record.exists() else []:
            top = line.split(",")[0].split("/")[0]
            target = site / top
            # RECORD also lists scripts outside the target ("../../bin/..."): never leave the site.
            if top in ("", ".", "..") or top.endswith(".dist-info") or not target.exists():
                continue
            if target.resolve().parent == site.resolve():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
        shutil.rmtree(info)


def _install(layer: str, site: Path) -> None:
    requirement_file = OUT / f"{layer}.requirements.txt"
    requirement_file.write_text("\n".join(requirements(layer)) + "\n", encoding="utf-8")
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
        "--target", str(site), *[f"--platform={tag}" for tag in PLATFORMS], "--implementation", "cp",
        "--python-version", LAMBDA_PYTHON, "--only-binary=:all:", "-r", str(requirement_file),
    ]  # fmt: skip
    subprocess.run(command, check=True)  # noqa: S603 (our own interpreter and arguments)
    if layer == "core":
        _drop_distributions(site, RUNTIME_PROVIDED)
    _trim(site)


def _copy_core_package(site: Path) -> None:
    target = site / "ioc_core"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        ROOT / "layers" / "core" / "ioc_core",
        target,
        # The embedded stack (moto, the pump) is for the laptop, not for Lambda.
        ignore=lambda folder, names: [
            n for n in names if n in ("__pycache__", "local") or n.endswith(".pyc")
        ],
    )


def build(layer: str, force: bool = False) -> dict[str, object]:
    if layer not in LAYERS:
        raise SystemExit(f"unknown layer {layer!r}: one of {', '.join(LAYERS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    site = OUT / layer / "python"
    stamp = OUT / f"{layer}.stamp"
    key = stamp_key(layer)
    rebuilt = force or not stamp.exists() or stamp.read_text() != key or not site.is_dir()
    if rebuilt:
        shutil.rmtree(OUT / layer, ignore_errors=True)
        stamp.unlink(missing_ok=True)
        _install(layer, site)
        stamp.write_text(key)
    if layer == "core":
        _copy_core_package(site)
    return {"layer": layer, "bytes": tree_size(OUT / layer), "rebuilt": rebuilt, "path": str(OUT / layer)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layers", nargs="*", default=list(LAYERS))
    parser.add_argument("--force", action="store_true", help="reinstall even if the stamp matches")
    options = parser.parse_args(argv)
    for layer in options.layers:
        print(json.dumps(build(layer, options.force)), flush=True)


if __name__ == "__main__":
    main()
