"""`make test` tier by tier: every step and every pytest tier is timed, and a table closes the run.

Steps are make targets: lint, frontend, synth. Pytest tiers are directories of tests/, each run
as its own pytest process with its output streamed:

    unit         tests/unit          in-memory fakes, no network
    integration  tests/integration   adapters against moto
    api          tests/api           the Chalice apps on moto
    infra        tests/infra         the synthesised CDK app (IOC_CDK_OUT, from `make synth`)
    e2e          tests/e2e           the running local stack, browser tests included

Every test file is in exactly one tier and carries that tier's marker (tests/unit/test_tiers.py).
The last line is the sum over the tiers, ``N passed, N failed`` (then ``, N skipped`` when some
were skipped). A step or tier that fails with no failed test to show for it (lint, a build, a
collection error, no tests collected) counts as one failure, so a failing run never reads
"0 failed". The exit code is 1 when anything failed.

    python tests/tiers.py [--only NAMES] [--skip NAMES] [-m MARKEXPR] [-n WORKERS] [--make MAKE]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NO_TESTS_COLLECTED = 5  # pytest's exit code


@dataclass(frozen=True)
class Tier:
    """A pytest tier: its directories (relative to the checkout) and the marker its files carry."""

    name: str
    paths: tuple[str, ...]
    marker: str
    parallel: bool = True  # -n WORKERS --dist loadfile
    expect_tests: bool = True  # no test collected (exit 5) is then a failure
    cdk_out: bool = False  # IOC_CDK_OUT points at the synthesised app


STEPS = ("lint", "frontend", "synth")
TIERS = (
    Tier("unit", ("tests/unit",), "unit"),
    Tier("integration", ("tests/integration",), "integration"),
    Tier("api", ("tests/api",), "api"),
    Tier("infra", ("tests/infra",), "infra", cdk_out=True),
    # One process, so one local stack: on a 2-core machine two stacks catching up on the demo
    # history at once (each about a core for five minutes) beside a browser left every page
    # slow, and the tests' waits became timing tests.
    Tier("e2e", ("tests/e2e",), "e2e", parallel=False),
)
NAMES = (*STEPS, *(t.name for t in TIERS))


@dataclass(frozen=True)
class Counts:
    passed: int = 0
    failed: int = 0  # failed tests and errors
    skipped: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.passed + other.passed, self.failed + other.failed, self.skipped + other.skipped)

    def line(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return f"{text}, {self.skipped} skipped" if self.skipped else text


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    returncode: int
    counts: Counts | None  # None for a make step
    expect_tests: bool = True

    @property
    def ok(self) -> bool:
        if self.returncode == NO_TESTS_COLLECTED and self.counts is not None:
            return not self.expect_tests
        return self.returncode == 0

    @property
    def tally(self) -> Counts:
        """What this step or tier adds to the closing line: a failure even when no test failed."""
        counts = self.counts or Counts()
        if not self.ok and counts.failed == 0:
            counts += Counts(failed=1)
        return counts

    def describe(self) -> str:
        if self.counts is None:
            return "ok" if self.ok else f"FAILED (exit {self.returncode})"
        if self.returncode == NO_TESTS_COLLECTED:
            return "no tests collected" + ("" if self.ok else " (FAILED)")
        text = self.counts.line()
        return text if self.ok or self.counts.failed else f"{text} (FAILED, exit {self.returncode})"


_SUMMARY_END = re.compile(r"\bin \d+(?:\.\d+)?s\b")
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)\b")


def parse_summary(lines: Iterable[str]) -> Counts | None:
    """The counts of pytest's closing line ("3 passed, 1 failed, 2 skipped in 4.1s"), if any."""
    for line in reversed(list(lines)):
        if not _SUMMARY_END.search(line):
            continue
        found = _COUNT.findall(line)
        if not found and "no tests ran" not in line:
            continue
        total: dict[str, int] = {}
        for number, word in found:
            key = "failed" if word.startswith("error") else word
            total[key] = total.get(key, 0) + int(number)
        return Counts(**total)
    return None


def run_streamed(command: Sequence[str], env: dict[str, str]) -> tuple[int, list[str]]:
    """Run, copying the output through as it comes; the exit code and the last lines."""
    tail: deque[str] = deque(maxlen=40)
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            tail.append(line.rstrip("\n"))
    return process.returncode, list(tail)


def pytest_command(tier: Tier, workers: int, markexpr: str | None) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-q", *tier.paths]
    if tier.parallel:
        command += ["-n", str(workers), "--dist", "loadfile"]
    if markexpr:
        command += ["-m", markexpr]
    return command


def tier_env(tier: Tier) -> dict[str, str]:
    env = dict(os.environ)
    cdk_out = env.pop("IOC_CDK_OUT", None) or str(ROOT / "cdk.out")
    if tier.cdk_out:
        env["IOC_CDK_OUT"] = cdk_out
    return env


def banner(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def run_step(step: str, make: str) -> Result:
    banner(f"{step}: {make} {step}")
    started = time.monotonic()
    code, _ = run_streamed([*make.split(), "--no-print-directory", step], dict(os.environ))
    return Result(step, time.monotonic() - started, code, None)


def run_tier(tier: Tier, workers: int, markexpr: str | None) -> Result:
    command = pytest_command(tier, workers, markexpr)
    banner(f"{tier.name}: pytest {shlex.join(command[3:])}")
    started = time.monotonic()
    code, tail = run_streamed(command, tier_env(tier))
    counts = parse_summary(tail) or Counts()
    return Result(tier.name, time.monotonic() - started, code, counts, tier.expect_tests)


def table(results: Sequence[Result]) -> list[str]:
    width = max([len("total"), *(len(r.name) for r in results)])
    rows = [f"{'tier':<{width}}  {'seconds':>8}  result"]
    rows += [f"{r.name:<{width}}  {r.seconds:>8.1f}  {r.describe()}" for r in results]
    rows.append(f"{'total':<{width}}  {sum(r.seconds for r in results):>8.1f}")
    return rows


def closing_line(results: Sequence[Result]) -> str:
    total = Counts()
    for result in results:
        total += result.tally
    return total.line()


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)} (known: {', '.join(NAMES)})")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=_names, default=list(NAMES), help="steps and tiers to run")
    parser.add_argument("--skip", type=_names, default=[], help="steps and tiers to leave out")
    parser.add_argument("-m", dest="markexpr", help="marker expression for every pytest tier")
    parser.add_argument("-n", dest="workers", type=int, default=int(os.environ.get("PYTEST_WORKERS", 2)))
    parser.add_argument("--make", default=os.environ.get("MAKE", "make"), help="the make to run steps")
    args = parser.parse_args(argv)
    chosen = [n for n in NAMES if n in args.only and n not in args.skip]

    results: list[Result] = []
    try:
        for name in chosen:
            if name in STEPS:
                results.append(run_step(name, args.make))
            else:
                tier = next(t for t in TIERS if t.name == name)
                results.append(run_tier(tier, args.workers, args.markexpr))
    except KeyboardInterrupt:
        print("\ninterrupted", flush=True)
        results.append(Result("(interrupted)", 0.0, 130, None))
    print()
    print("\n".join(table(results)))
    print(closing_line(results), flush=True)
    return 0 if results and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
