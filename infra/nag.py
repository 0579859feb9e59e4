"""cdk-nag (AwsSolutions) as a policy-validation plugin, and the one way to acknowledge a finding.

Every acknowledgement names the exact finding (rule and, for IAM4/IAM5, the offending action
or resource) on the narrowest construct, with the reason it cannot be fixed.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def check(app: App) -> None:
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


_REASONS: dict[tuple[str, str], list[str]] = {}


def acknowledge(scope: IConstruct, rule: str, reason: str, finding: str | None = None) -> None:
    """``acknowledge(role, "IAM5", "...", "Resource::*")`` → ``AwsSolutions::AwsSolutions-IAM5[Resource::*]``.

    Two reasons for the same finding on the same construct (X-Ray and ListStreams both need
    ``Resource::*``) are joined, not overwritten.
    """
    rule_id = f"AwsSolutions::AwsSolutions-{rule}" + (f"[{finding}]" if finding else "")
    reasons = _REASONS.setdefault((scope.node.path, rule_id), [])
    if reason not in reasons:
        reasons.append(reason)
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=" ".join(reasons)))
