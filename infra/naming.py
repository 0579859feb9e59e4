"""Physical names, the same rule as the runtime's ``Settings.name``: ``<prefix>-<logical>``."""

from __future__ import annotations

from aws_cdk import Aws

from infra.config import StageConfig


def pascal(logical: str) -> str:
    """``outbox-relay-dlq`` → ``OutboxRelayDlq``: construct ids, hence stable logical ids."""
    return "".join(part[:1].upper() + part[1:] for part in logical.replace("_", "-").split("-") if part)


class Naming:
    def __init__(self, stage: StageConfig) -> None:
        self.stage = stage
        # A pseudo parameter, not a cross-stack reference: every stack resolves it alone.
        self.prefix = stage.resource_prefix.replace("{account}", Aws.ACCOUNT_ID)

    def name(self, logical: str) -> str:
        return f"{self.prefix}-{logical}"

    def printed(self, logical: str) -> str:
        """``name(logical)`` as cdk-nag prints it in a finding: ``ioc-dev-<AWS::AccountId>-media``."""
        return f"{self.stage.resource_prefix.replace('{account}', '<AWS::AccountId>')}-{logical}"

    def stack(self, part: str) -> str:
        return f"ioc-{self.stage.name}-{part}"
