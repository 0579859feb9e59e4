"""Least-privilege IAM statements from a function's ``reads`` and ``writes`` (logical names).

Exact actions on exact ARNs; CDK's grant helpers are avoided because they add wildcard
actions (``kms:GenerateDataKey*``, ``kms:ReEncrypt*``) that AwsSolutions-IAM5 flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aws_cdk import Aws
from aws_cdk import aws_iam as iam
from constructs import IConstruct

from infra.nag import acknowledge
from ioc_core.platform.resources import Resources

if TYPE_CHECKING:  # the data stack grants its own functions too (the user pools' triggers)
    from infra.stacks.data import DataStack

TABLE_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:DescribeTable"]
TABLE_WRITE = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
]
KINESIS_CONSUME = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:SubscribeToShard",
]
DYNAMODB_STREAM_CONSUME = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
COGNITO_ADMINISTER = [
    "cognito-idp:ListUsers",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    # The administrator's accounts: create (no invitation sent), disable (and sign out
    # everywhere) or enable, reset the authenticator, and set a new temporary password (not
    # AdminResetUserPassword, which sends a code). Never AdminDeleteUser.
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminSetUserMFAPreference",
    "cognito-idp:AdminSetUserPassword",
]
# Who is in a group (a unit's staff), read in one call: no account's other groups, no change.
COGNITO_LIST_MEMBERS = ["cognito-idp:ListUsersInGroup"]
KMS_READ = ["kms:Decrypt"]
KMS_WRITE = ["kms:Decrypt", "kms:GenerateDataKey"]


class Grants:
    """Collects statements for one role, then attaches them as one inline policy."""

    def __init__(self, data: DataStack, resources: Resources) -> None:
        self.data = data
        self.resources = resources
        self.statements: list[iam.PolicyStatement] = []
        self._kms: set[str] = set()
        self._object_arns: list[str] = []
        self._star_reasons: list[str] = []
        self._acknowledgements: list[tuple[str, str]] = []

    def _kind(self, logical: str) -> str:
        kinds = [
            kind
            for kind, names in (
                ("table", self.data.tables),
                ("bucket", self.data.buckets),
                ("stream", self.data.streams),
                ("queue", self.data.queues),
            )
            if logical in names
        ]
        if len(kinds) != 1:
            raise ValueError(f"{logical!r} names {len(kinds) or 'no'} defined resources")
        return kinds[0]

    def function(self, definition: Any) -> Grants:
        """What a resource definition (a consumer, job or API) declares: reads, writes, its DLQ, sends."""
        dlq = getattr(definition, "dlq", None)
        return (
            self.read(definition.reads)
            .write((*definition.writes, *([dlq] if dlq else [])))
            .send(definition.sends)
            .administer(getattr(definition, "administers", ()))
            .list_members(getattr(definition, "lists_members", ()))
        )

    def list_members(self, pools: Iterable[str]) -> Grants:
        for logical in pools:
            self._allow(COGNITO_LIST_MEMBERS, [self.data.user_pools[logical].user_pool_arn])
        return self

    def administer(self, pools: Iterable[str]) -> Grants:
        """A pool's users and their group memberships: list and read them, add and remove a
        member (the groups themselves are the stack's; nobody creates or deletes them); create,
        disable, enable an account and reset its MFA (nobody deletes one)."""
        for logical in pools:
            self._allow(COGNITO_ADMINISTER, [self.data.user_pools[logical].user_pool_arn])
        return self

    def read(self, names: Iterable[str]) -> Grants:
        for logical in names:
            kind = self._kind(logical)
            if kind == "table":
                table = self.data.tables[logical]
                indexes = [f"{table.table_arn}/index/{i.name}" for i in self.resources.table(logical).indexes]
                self._allow(TABLE_READ, [table.table_arn, *indexes])
                self._kms.update(KMS_READ)
            elif kind == "bucket":
                self._objects(["s3:GetObject"], logical)
                self._kms.update(KMS_READ)
            elif kind == "stream":
                self._allow(KINESIS_CONSUME, [self.data.streams[logical].stream_arn])
            else:
                queue = self.data.queues[logical]
                self._allow(
                    [
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                    ],
                    [queue.queue_arn],
                )
                self._kms.update(KMS_READ)
        return self

    def write(self, names: Iterable[str]) -> Grants:
        for logical in names:
            kind = self._kind(logical)
            if kind == "table":
                self._allow(TABLE_WRITE, [self.data.tables[logical].table_arn])
                self._kms.update(KMS_WRITE)
            elif kind == "bucket":
                self._objects(["s3:PutObject"], logical)
                self._kms.update(KMS_WRITE)
            elif kind == "stream":
                self._allow(
                    ["kinesis:PutRecord", "kinesis:PutRecords"], [self.data.streams[logical].stream_arn]
                )
            else:
                # A room's own work queue (not a dead-letter queue) is found by name: GetQueueUrl.
                own = logical in {q.logical for q in self.resources.own_queues}
                actions = ["sqs:GetQueueUrl", "sqs:SendMessage"] if own else ["sqs:SendMessage"]
                self._allow(actions, [self.data.queues[logical].queue_arn])
                self._kms.update(KMS_WRITE)
        return self

    def send(self, channels: Iterable[str]) -> Grants:
        """SNS messages: ``sms`` to phone numbers, ``push`` to mobile platform endpoints."""
        for channel in channels:
            if channel == "sms":
                self._allow(["sns:Publish"], ["*"])
                self._star_reasons.append(
                    "sns:Publish of an SMS names a phone number, which has no ARN, so the statement "
                    "needs Resource *; the action is Publish only."
                )
            elif channel == "push":
                endpoints = f"arn:{Aws.PARTITION}:sns:{Aws.REGION}:{Aws.ACCOUNT_ID}:endpoint/*"
                self._allow(["sns:Publish"], [endpoints])
                self._acknowledgements.append(
                    (
                        "Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/*",
                        "Push messages go to the mobile platform endpoints residents' devices register "
                        "at run time; only endpoints (no topics) in this account and region.",
                    )
                )
            else:
                raise ValueError(f"unknown channel {channel!r}")
        return self

    def consume_table_stream(self, logical: str) -> Grants:
        table = self.data.tables[logical]
        if table.table_stream_arn is None:
            raise ValueError(f"table {logical!r} has no stream")
        self._allow(DYNAMODB_STREAM_CONSUME, [table.table_stream_arn])
        self._kms.update(KMS_READ)
        # ListStreams has no resource-level permission; the mapping's role needs it.
        self._allow(["dynamodb:ListStreams"], ["*"])
        self._star_reasons.append(
            "dynamodb:ListStreams has no resource-level permission (the service authorization "
            "reference lists no resource type); it returns stream ARNs only, no data."
        )
        return self

    def _objects(self, actions: list[str], logical: str) -> None:
        # By name, not by the bucket's Arn attribute: no cross-stack export, and a finding id
        # that reads the same in every stack.
        arn = f"arn:{Aws.PARTITION}:s3:::{self.data.naming.name(logical)}/*"
        self._allow(actions, [arn])
        self._object_arns.append(logical)

    def _allow(self, actions: list[str], resources: list[str]) -> None:
        self.statements.append(iam.PolicyStatement(actions=sorted(set(actions)), resources=resources))

    def attach(self, role: iam.IRole, policy_scope: IConstruct) -> None:
        """Add the statements to ``role`` and acknowledge the wildcards they cannot avoid."""
        statements = list(self.statements)
        if self._kms:
            statements.append(
                iam.PolicyStatement(actions=sorted(self._kms), resources=[self.data.key.key_arn])
            )
        for statement in statements:
            role.add_to_principal_policy(statement)
        for reason in self._star_reasons:
            acknowledge(policy_scope, "IAM5", reason, "Resource::*")
        for finding, reason in self._acknowledgements:
            acknowledge(policy_scope, "IAM5", reason, finding)
        for logical in sorted(set(self._object_arns)):
            acknowledge(
                policy_scope,
                "IAM5",
                f"Object-level S3 actions (the exact ones) on the objects of the {logical} bucket: "
                "keys are created at run time (per upload, per snapshot), so the grant names the "
                "bucket's objects, not single keys.",
                f"Resource::arn:<AWS::Partition>:s3:::{self.data.naming.printed(logical)}/*",
            )
