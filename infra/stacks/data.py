"""Stateful data: tables, buckets, streams, queues, the data key and the user pools.

Everything here is generated from ``RESOURCES``; nothing restates a key or an index.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StageConfig
from infra.functions import Layers, PlainFunction, plain_function
from infra.nag import acknowledge
from infra.naming import Naming, pascal
from ioc_core.identity.principal import PROVINCIAL_SCOPE
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
        for queue in resources.queues:
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
            )
            # Each of these is the terminal dead-letter queue of a consumer or a job.
            acknowledge(
                self.queues[queue.logical],
                "SQS3",
                "A dead-letter queue (on-failure destination of an event source mapping, an "
                "asynchronous invocation or a schedule); failed records stay here for inspection "
                "and a redrive, so it has no dead-letter queue of its own.",
            )
        self._user_pools(resources)
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

    # -- identity -------------------------------------------------------------------------
    def _user_pools(self, resources: Resources) -> None:
        """Two pools, because Cognito cannot require MFA in a pool whose users sign in without a
        password: staff (TOTP required) and residents (phone number + SMS one-time code)."""
        self.trigger_functions: dict[str, PlainFunction] = {}
        layers = Layers(self)
        self.pools: dict[str, cognito.UserPool] = {}
        for definition in resources.user_pools:
            pool = self._staff_pool() if definition.kind == "staff" else self._resident_pool()
            if definition.function not in self.trigger_functions:
                self.trigger_functions[definition.function] = plain_function(
                    self,
                    definition.function,
                    definition.handler,
                    definition.layers,
                    layers,
                    self.naming,
                    self.stage,
                )
            function = self.trigger_functions[definition.function].function
            for trigger in definition.triggers:
                if trigger == "pre_sign_up":
                    pool.add_trigger(cognito.UserPoolOperation.PRE_SIGN_UP, function)
                else:
                    pool.add_trigger(
                        cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
                        function,
                        cognito.LambdaVersion.V2_0,
                    )
            self.pools[definition.logical] = pool
        self.user_pool = self.pools["staff"]
        self.resident_pool = self.pools["residents"]

    def _pool(self, construct_id: str, logical: str, **props: Any) -> cognito.UserPool:
        return cognito.UserPool(
            self,
            construct_id,
            user_pool_name=self.naming.name(logical),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=self.stage.deletion_protection,
            removal_policy=self.removal,
            **props,
        )

    def _staff_pool(self) -> cognito.UserPool:
        """City staff sign in to the console: no self sign-up, TOTP MFA required, threat protection.
        A unit's staff carry their unit as ``custom:unit``, which only an administrator sets."""
        pool = self._pool(
            "StaffUserPool",
            "staff",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={"unit": cognito.StringAttribute(min_len=1, max_len=64, mutable=True)},
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        )
        # The API answers the console's sign-in (password, then TOTP) for it.
        self.console_client = self._app_client(
            pool,
            "ConsoleClient",
            "console",
            cognito.AuthFlow(user_password=True, user_srp=True),
            Duration.hours(12),
        )
        # The province's monitoring center reads with its own credentials (client credentials).
        provincial = cognito.ResourceServerScope(
            scope_name=PROVINCIAL_SCOPE.split("/", 1)[1], scope_description="Read-only integration"
        )
        api = pool.add_resource_server(
            "IocResourceServer", identifier=PROVINCIAL_SCOPE.split("/", 1)[0], scopes=[provincial]
        )
        pool.add_domain(
            "StaffDomain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"{self.naming.prefix}-phanthiet"),
        )
        self.provincial_client = pool.add_client(
            "ProvincialClient",
            user_pool_client_name=self.naming.name("provincial"),
            generate_secret=True,
            auth_flows=cognito.AuthFlow(),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[cognito.OAuthScope.resource_server(api, provincial)],
            ),
            access_token_validity=Duration.hours(1),
        )
        # The app clients whose tokens the APIs accept (the console's first).
        self.auth_client_ids = [
            self.console_client.user_pool_client_id,
            self.provincial_client.user_pool_client_id,
        ]
        CfnOutput(self, "StaffUserPoolId", value=pool.user_pool_id)
        CfnOutput(self, "ConsoleClientId", value=self.console_client.user_pool_client_id)
        return pool

    def _app_client(
        self,
        pool: cognito.UserPool,
        construct_id: str,
        logical: str,
        flows: cognito.AuthFlow,
        refresh: Duration,
    ) -> cognito.UserPoolClient:
        """A public app client (no secret: the API calls it for a browser). Users may change
        their own name and nothing else: never a unit (the API's scope) nor the phone (the
        resident's account)."""
        return pool.add_client(
            construct_id,
            user_pool_client_name=self.naming.name(logical),
            auth_flows=flows,
            disable_o_auth=True,
            generate_secret=False,
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True),
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=refresh,
        )

    def _resident_pool(self) -> cognito.UserPool:
        """Residents sign up and in with their phone number and a code by SMS (no password).
        The pre sign-up trigger keeps SMS to Vietnamese mobiles; threat protection blocks abuse."""
        pool = self._pool(
            "ResidentUserPool",
            "residents",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(phone=True),
            auto_verify=cognito.AutoVerifiedAttrs(phone=True),
            keep_original=cognito.KeepOriginalAttrs(phone=True),
            standard_attributes=cognito.StandardAttributes(
                phone_number=cognito.StandardAttribute(required=True, mutable=False),
                fullname=cognito.StandardAttribute(required=False, mutable=True),
            ),
            sign_in_policy=cognito.SignInPolicy(
                allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(password=True, sms_otp=True)
            ),
            user_verification=cognito.UserVerificationConfig(
                sms_message="IOC Phan Thiet: ma xac nhan cua ban la {####}. Khong chia se ma nay."
            ),
            mfa=cognito.Mfa.OFF,
            account_recovery=cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
        )
        acknowledge(
            pool,
            "COG2",
            "Residents sign in without a password, by a one-time code sent by SMS to the phone "
            "number that is their account: the code is the possession factor. Cognito allows no "
            "required MFA in a pool with passwordless sign-in; staff are in their own pool, which "
            "requires TOTP.",
        )
        acknowledge(
            pool.node.find_child("smsRole"),
            "IAM5",
            "Cognito's SMS role (made by CDK, assumable only by Cognito with this pool's external "
            "id) publishes SMS to phone numbers, which have no ARN: sns:Publish needs Resource *.",
            "Resource::*",
        )
        self.resident_client = self._app_client(
            pool, "ResidentAppClient", "resident-app", cognito.AuthFlow(user=True), Duration.days(30)
        )
        self.resident_client_ids = [self.resident_client.user_pool_client_id]
        CfnOutput(self, "ResidentUserPoolId", value=pool.user_pool_id)
        CfnOutput(self, "ResidentAppClientId", value=self.resident_client.user_pool_client_id)
        return pool

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
