"""cdk-nag (AwsSolutions): no open finding; every acknowledgement is used, exact and explained."""

from __future__ import annotations

import json

import pytest
from infra_templates import Assembly

pytestmark = pytest.mark.infra


def _acknowledgements(assembly: Assembly) -> dict[tuple[str, str], str]:
    """(construct path, rule id) → reason, from the acknowledgements recorded in the assembly."""
    found = {}
    for metadata in assembly.directory.glob("*.metadata.json"):
        for path, entries in json.loads(metadata.read_text()).items():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    for rule, reason in entry["data"].items():
                        found[(path.strip("/"), rule)] = reason
    return found


def test_awssolutions_reports_no_open_finding(assembly: Assembly) -> None:
    (report,) = [
        r for r in assembly.validation_report()["pluginReports"] if r["pluginName"] == "AwsSolutions"
    ]
    assert report["violations"] == []
    assert report["conclusion"] == "success"


def test_every_acknowledgement_is_specific_explained_and_used(assembly: Assembly) -> None:
    (report,) = [
        r for r in assembly.validation_report()["pluginReports"] if r["pluginName"] == "AwsSolutions"
    ]
    used = {(s["acknowledgedAt"], s["acknowledgedId"]) for s in report["suppressedViolations"]}
    acknowledged = {k: v for k, v in _acknowledgements(assembly).items() if k[1].startswith("AwsSolutions::")}
    assert acknowledged
    for (path, rule), reason in acknowledged.items():
        assert (path, rule) in used, f"{path}: {rule} acknowledges nothing"
        assert len(reason) >= 60, f"{path}: {rule}: say why"
        if rule.split("-")[-1].startswith(("IAM4", "IAM5")):
            assert rule.endswith("]"), f"{path}: {rule} must name the exact finding"
    # Nothing is acknowledged for a whole stack or app.
    assert all("/" in path for path, _ in acknowledged)
