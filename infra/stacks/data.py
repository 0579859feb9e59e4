"""Stateful data: tables, buckets, streams, queues, the data key and the user pools.

Everything here is generated from ``RESOURCES``; nothing restates a key or an index.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StageConfig
from infra.grants import Grants
from infra.nag import acknowledge
from infra.naming import Naming, pascal
from infra.stacks.identity import UserPools
from ioc_core.platform.resources import Bucket, Key, Resources, Table

_ATTRIBUTE_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}


def _attribute(key: Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=_ATTRIBUTE_TYPES[key.type])


class DataStack(Stack):
    def __init__(
        self, scope: Construct, stage: StageConfig, naming: Naming, resources: Resources, **kwargs: Any
    ) -> None:
        super().__init__(scope, naming.stack("data"), stack_name=naming.stack("data"), **kwargs)
        self.stage = stage
        self.naming = naming
        self.removal = RemovalPolicy.RETAIN if stage.removal_policy == "retain" else RemovalPolicy.DESTROY
        self.key = kms.Key(
            self,
            "DataKey",
            alias=f"alias/ioc-{stage.name}-data",
            description=f"Phan Thiet IOC {stage.name}: tables, buckets, stream, queues, alarm topic",
            enable_key_rotation=True,
            removal_policy=self.removal,
            pending_window=Duration.days(7 if stage.removal_policy == "destroy" else 30),
        )
        # CloudWatch alarms publish to the KMS-encrypted alarm topic.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],  # in a key policy "*" means this key
                conditions={"StringEquals": {"aws:SourceAccount": self.account}},
            )
        )
        self.tables = {t.logical: self._table(t) for t in resources.tables}
        self.access_logs = self._access_log_bucket()
        self.buckets = {b.logical: self._bucket(b) for b in resources.buckets if not b.site}
        self.streams = {
            s.logical: kinesis.Stream(
                self,
                f"{pascal(s.logical)}Stream",
                stream_name=naming.name(s.logical),
                stream_mode=kinesis.StreamMode.PROVISIONED,
                shard_count=s.shards,
                retention_period=Duration.hours(s.retention_hours),
                # The AWS-managed key: producers and consumers need no KMS grants (AwsSolutions-KDS3).
                encryption=kinesis.StreamEncryption.MANAGED,
                removal_policy=self.removal,
            )
            for s in resources.streams
        }
        self.queues: dict[str, sqs.Queue] = {}
        # Dead-letter queues first: a queue a function consumes redrives to its consumer's.
        fed = {c.queue for c in resources.queue_consumers}
        # cdk-nag sees these as the dead-letter queue of a work queue: nothing to acknowledge.
        redriven_to = {c.dlq for c in resources.queue_consumers}
        for queue in sorted(resources.queues, key=lambda q: q.logical in fed):
            consumer = resources.consumer_of(queue.logical)
            self.queues[queue.logical] = sqs.Queue(
                self,
                f"{pascal(queue.logical)}Queue",
                queue_name=naming.name(queue.logical),
                encryption=sqs.QueueEncryption.KMS,
                encryption_master_key=self.key,
                data_key_reuse=Duration.hours(1),
                enforce_ssl=True,
                retention_period=Duration.days(stage.dlq_retention_days),
                removal_policy=self.removal,
                **(
                    {
                        "visibility_timeout": Duration.seconds(consumer.visibility_timeout_seconds),
                        "dead_letter_queue": sqs.DeadLetterQueue(
                            max_receive_count=consumer.max_receives, queue=self.queues[consumer.dlq]
                        ),
                    }
                    if consumer
                    else {}
                ),
            )
            if consumer or queue.logical in redriven_to:
                continue  # a work queue with its dead-letter queue, or that dead-letter queue
            # Each of these is the terminal dead-letter queue of a consumer or a job.
            acknowledge(
                self.queues[queue.logical],
                "SQS3",
                "A dead-letter queue (on-failure destination of an event source mapping, an "
                "asynchronous invocation or a schedule); failed records stay here for inspection "
                "and a redrive, so it has no dead-letter queue of its own.",
            )
        pools = UserPools(self, stage, naming, resources, self.removal)
        self.user_pool, self.resident_pool = pools.staff, pools.residents
        self.user_pools = pools.pools
        self.auth_client_ids, self.resident_client_ids = pools.auth_client_ids, pools.resident_client_ids
        self.trigger_functions = pools.trigger_functions
        self._grant_triggers(resources)
        self._api_gateway_logging()

    # -- tables ---------------------------------------------------------------------------
    def _table(self, table: Table) -> dynamodb.Table:
        construct = dynamodb.Table(
            self,
            f"{pascal(table.logical)}Table",
            table_name=self.naming.name(table.logical),
            partition_key=_attribute(table.partition),
            sort_key=_attribute(table.sort) if table.sort else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=self.stage.deletion_protection,
            stream=dynamodb.StreamViewType.NEW_IMAGE if table.stream else None,
            time_to_live_attribute=table.ttl_attribute,
            removal_policy=self.removal,
        )
        for index in table.indexes:
            construct.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition),
                sort_key=_attribute(index.sort) if index.sort else None,
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return construct

    # -- buckets --------------------------------------------------------------------------
    def _access_log_bucket(self) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogsBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,  # S3 server access logs cannot target SSE-KMS
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(expiration=Duration.days(self.stage.access_log_retention_days))
            ],
            removal_policy=self.removal,
        )
        return bucket

    def _bucket(self, bucket: Bucket) -> s3.Bucket:
        cors = None
        if bucket.expire_prefixes:  # browsers POST uploads straight to it (presigned)
            cors = [
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.GET],
                    allowed_origins=[self.stage.base_url],
                    allowed_headers=["*"],
                    max_age=3600,
                )
            ]
        rules = [
            s3.LifecycleRule(
                prefix=prefix,
                expiration=Duration.days(days),
                # In a versioned bucket an expired object only becomes a noncurrent version:
                # without this it would be kept (and paid for) forever.
                noncurrent_version_expiration=Duration.days(1) if bucket.versioned else None,
            )
            for prefix, days in bucket.expire_prefixes
        ]
        rules.append(s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(7)))
        construct = s3.Bucket(
            self,
            f"{pascal(bucket.logical)}Bucket",
            bucket_name=self.naming.name(bucket.logical),
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            versioned=bucket.versioned,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=f"{bucket.logical}/",
            lifecycle_rules=rules,
            cors=cors,
            removal_policy=self.removal,
        )
        return construct

    def _grant_triggers(self, resources: Resources) -> None:
        """Each trigger function may touch what the pools it serves declare, nothing more."""
        for name, plain in self.trigger_functions.items():
            grants = Grants(self, resources)
            for pool in resources.user_pools:
                if pool.function == name:
                    grants.function(pool)
            grants.attach(plain.role, plain.role)

    # -- account-level settings the APIs need -----------------------------------------------
    def _api_gateway_logging(self) -> None:
        """API Gateway writes access and execution logs through one role per account and region."""
        role = iam.Role(
            self,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway pushes access and execution logs to CloudWatch Logs",
        )
        log_groups = [
            f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:API-Gateway-Execution-Logs_*",
            f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:/ioc/{self.stage.name}/*",
        ]
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogGroups",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                    "logs:GetLogEvents",
                    "logs:FilterLogEvents",
                ],
                resources=log_groups,
            )
        )
        for arn in log_groups:
            acknowledge(
                role,
                "IAM5",
                "API Gateway names its execution log groups API-Gateway-Execution-Logs_<api id>/<stage> "
                "when it creates them, and this stage's access log groups share the /ioc/<stage>/ "
                "prefix: the groups are not known when the role is made.",
                f"Resource::{_nag_arn(arn)}",
            )
        self.api_gateway_account = apigateway.CfnAccount(
            self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn
        )


def _nag_arn(arn: str) -> str:
    """How cdk-nag prints an ARN built from pseudo parameters."""
    for token, printed in (
        ("${Token[AWS.Partition", "<AWS::Partition>"),
        ("${Token[AWS.Region", "<AWS::Region>"),
        ("${Token[AWS.AccountId", "<AWS::AccountId>"),
    ):
        while token in arn:
            start = arn.index(token)
            end = arn.index("}", start) + 1
            arn = arn[:start] + printed + arn[end:]
    return arn
