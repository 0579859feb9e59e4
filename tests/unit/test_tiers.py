"""The tiers of `make test` (tests/tiers.py): every test file in exactly one, carrying its marker,
and the closing line summed from pytest's own summaries. Files are listed, not collected: no
pytest runs inside this one."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from tiers import NAMES, NO_TESTS_COLLECTED, ROOT, STEPS, TIERS, Counts, Result, closing_line, parse_summary

pytestmark = pytest.mark.unit

TESTS = ROOT / "tests"
PYTEST = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]


def listed_test_files() -> list[Path]:
    """What pytest collects from testpaths with its default file patterns."""
    found = {p for pattern in ("test_*.py", "*_test.py") for p in TESTS.rglob(pattern)}
    return sorted(p for p in found if "__pycache__" not in p.parts)


def markers_of(path: Path) -> set[str]:
    """The pytest.mark.<name> markers of the module-level ``pytestmark``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            return {
                n.attr
                for n in ast.walk(node.value)
                if isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Attribute)
                and n.value.attr == "mark"
            }
    return set()


def tier_of(path: Path) -> list[str]:
    return [t.name for t in TIERS if any(path.is_relative_to(ROOT / p) for p in t.paths)]


def test_the_file_patterns_and_test_paths_are_pytests_defaults() -> None:
    # listed_test_files() lists what pytest collects only while these hold.
    assert PYTEST["testpaths"] == ["tests"]
    assert "python_files" not in PYTEST
    assert len(listed_test_files()) >= 60  # the suite, not an empty glob


def test_every_test_file_is_in_exactly_one_tier() -> None:
    placed = {path.relative_to(ROOT).as_posix(): tier_of(path) for path in listed_test_files()}
    assert {f: tiers for f, tiers in placed.items() if len(tiers) != 1} == {}


def test_every_test_file_carries_its_tiers_marker_and_no_other() -> None:
    tier_markers = {t.marker for t in TIERS}
    wrong = {}
    for path in listed_test_files():
        expected = {t.marker for t in TIERS if t.name in tier_of(path)}
        if markers_of(path) & tier_markers != expected:
            wrong[path.relative_to(ROOT).as_posix()] = sorted(markers_of(path) & tier_markers)
    assert wrong == {}


def test_every_tier_has_test_files_and_every_marker_is_registered() -> None:
    registered = {line.split(":", 1)[0] for line in PYTEST["markers"]}
    for tier in TIERS:
        assert all((ROOT / p).is_dir() for p in tier.paths), tier
        assert any(tier_of(path) == [tier.name] for path in listed_test_files()), tier
        assert tier.marker in registered, tier
    assert len(set(NAMES)) == len(STEPS) + len(TIERS) == 8


@pytest.mark.parametrize(
    ("tail", "counts"),
    [
        (["..s.", "3 passed, 1 skipped in 0.51s"], Counts(3, 0, 1)),
        (["FAILED tests/x.py::t - 2 passed in 1s", "1 failed, 2 passed in 4.20s (0:00:04)"], Counts(2, 1)),
        (["1 passed, 2 errors, 3 deselected, 4 warnings in 9.0s"], Counts(1, 2)),
        (["= 5 passed in 12.00s ="], Counts(5)),
        (["no tests ran in 0.01s"], Counts()),
        (["ERROR: file or directory not found: tests/nowhere", ""], None),
    ],
)
def test_the_counts_come_from_pytests_closing_line(tail: list[str], counts: Counts | None) -> None:
    assert parse_summary(tail) == counts


def test_the_closing_line_sums_the_tiers_and_names_skips_only_when_there_are_some() -> None:
    unit = Result("unit", 3.0, 0, Counts(10, 0, 0))
    api = Result("api", 5.0, 1, Counts(4, 2, 0))
    assert closing_line([unit, api]) == "14 passed, 2 failed"
    assert closing_line([unit, Result("e2e", 1.0, 0, Counts(1, 0, 3))]) == "11 passed, 0 failed, 3 skipped"


def test_a_failure_without_a_failed_test_still_counts_as_one() -> None:
    lint = Result("lint", 2.0, 2, None)
    empty = Result("infra", 1.0, NO_TESTS_COLLECTED, Counts())
    broken = Result("api", 1.0, 2, Counts())  # a collection error before any test ran
    assert [r.ok for r in (lint, empty, broken)] == [False, False, False]
    assert closing_line([Result("unit", 1.0, 0, Counts(7)), lint, empty, broken]) == "7 passed, 3 failed"
    optional = Result("extra", 1.0, NO_TESTS_COLLECTED, Counts(), expect_tests=False)
    assert optional.ok and closing_line([optional]) == "0 passed, 0 failed"
