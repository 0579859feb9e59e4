"""Event functions: plain Lambdas fed by Kinesis, DynamoDB table streams and S3 notifications."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from constructs import Construct

from infra.config import StageConfig
from infra.functions import Layers, PlainFunction, log_group, plain_function
from infra.grants import Grants
from infra.nag import acknowledge
from infra.naming import Naming, pascal
from infra.stacks.data import DataStack
from ioc_core.platform.filters import consumer_pattern
from ioc_core.platform.resources import Archive, QueueConsumer, Resources, S3Consumer, StreamConsumer


def _filter(consumer: StreamConsumer) -> lambda_.CfnEventSourceMapping.FilterCriteriaProperty | None:
    pattern = consumer_pattern(consumer)
    if pattern is None:
        return None
    return lambda_.CfnEventSourceMapping.FilterCriteriaProperty(
        filters=[
            lambda_.CfnEventSourceMapping.FilterProperty(pattern=json.dumps(pattern, separators=(",", ":")))
        ]
    )


class EventFunctionsStack(Stack):
    def __init__(
        self,
        scope: Construct,
        stage: StageConfig,
        naming: Naming,
        resources: Resources,
        data: DataStack,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, naming.stack("events"), stack_name=naming.stack("events"), **kwargs)
        self.stage, self.naming, self.resources, self.data = stage, naming, resources, data
        self.layers = Layers(self)
        self.functions: dict[str, PlainFunction] = {}
        self._buckets: dict[str, s3.IBucket] = {}
        for consumer in resources.consumers:
            self.functions[consumer.function] = self._stream_consumer(consumer)
        for queue_consumer in resources.queue_consumers:
            self.functions[queue_consumer.function] = self._queue_consumer(queue_consumer)
        for s3_consumer in resources.s3_consumers:
            self.functions[s3_consumer.function] = self._s3_consumer(s3_consumer)
        self.archives = {archive.logical: self._archive(archive) for archive in resources.archives}
        for child in self.node.children:
            if child.node.id.startswith("BucketNotificationsHandler"):
                acknowledge(
                    child,
                    "IAM4",
                    "CDK's BucketNotificationsHandler, the custom resource that writes the bucket "
                    "notification configuration at deploy time, comes with AWSLambdaBasicExecutionRole "
                    "(logs only); CDK owns its role and offers no way to replace it.",
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                )

    def _archive(self, archive: Archive) -> firehose.CfnDeliveryStream:
        """Kinesis Data Firehose: every record of the stream, gzipped JSON lines by hour (UTC),
        into the archive bucket (the local runtime's stand-in writes the same layout)."""
        id_ = pascal(archive.logical)
        role = iam.Role(self, f"{id_}Role", assumed_by=iam.ServicePrincipal("firehose.amazonaws.com"))
        grants = Grants(self.data, self.resources).read([archive.stream]).write([archive.bucket])
        grants.attach(role, role)
        bucket_arn = f"arn:{Aws.PARTITION}:s3:::{self.naming.name(archive.bucket)}"
        # What Firehose's S3 destination needs beyond PutObject (the AWS documentation's list).
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket",
                         "s3:ListBucketMultipartUploads"],
                resources=[bucket_arn, f"{bucket_arn}/*"],
            )
        )  # fmt: skip
        logs = log_group(
            self, f"{id_}Logs", f"/aws/kinesisfirehose/{self.naming.name(archive.logical)}", self.stage
        )
        logs.grant_write(role)
        errors = archive.error_prefix + "!{firehose:error-output-type}/"
        stream = firehose.CfnDeliveryStream(
            self,
            id_,
            delivery_stream_name=self.naming.name(archive.logical),
            delivery_stream_type="KinesisStreamAsSource",
            kinesis_stream_source_configuration=firehose.CfnDeliveryStream.KinesisStreamSourceConfigurationProperty(
                kinesis_stream_arn=self.data.streams[archive.stream].stream_arn, role_arn=role.role_arn
            ),
            extended_s3_destination_configuration=firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty(
                bucket_arn=bucket_arn,
                role_arn=role.role_arn,
                prefix=archive.prefix
                + "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
                error_output_prefix=errors
                + "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
                compression_format="GZIP",
                buffering_hints=firehose.CfnDeliveryStream.BufferingHintsProperty(
                    interval_in_seconds=archive.buffer_seconds, size_in_m_bs=archive.buffer_mb
                ),
                encryption_configuration=firehose.CfnDeliveryStream.EncryptionConfigurationProperty(
                    kms_encryption_config=firehose.CfnDeliveryStream.KMSEncryptionConfigProperty(
                        awskms_key_arn=self.data.key.key_arn
                    )
                ),
                # One event per line (JSON lines), as the local stand-in writes them.
                processing_configuration=firehose.CfnDeliveryStream.ProcessingConfigurationProperty(
                    enabled=True,
                    processors=[
                        firehose.CfnDeliveryStream.ProcessorProperty(
                            type="AppendDelimiterToRecord",
                            parameters=[
                                firehose.CfnDeliveryStream.ProcessorParameterProperty(
                                    parameter_name="Delimiter", parameter_value="\\n"
                                )
                            ],
                        )
                    ],
                ),
                cloud_watch_logging_options=firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty(
                    enabled=True, log_group_name=logs.log_group_name, log_stream_name="DestinationDelivery"
                ),
            ),
        )
        stream.node.add_dependency(role)
        acknowledge(
            stream,
            "KDF1",
            "Firehose's own server-side encryption applies to Direct PUT only: this delivery stream "
            "reads a Kinesis stream encrypted at rest (KMS) and writes objects encrypted with the "
            "data key (KMS), so nothing is held unencrypted.",
        )
        return stream

    def _function(self, definition: StreamConsumer | QueueConsumer | S3Consumer) -> PlainFunction:
        return plain_function(self, definition, self.layers, self.naming, self.stage)

    def _stream_consumer(self, consumer: StreamConsumer) -> PlainFunction:
        fn = self._function(consumer)
        grants = Grants(self.data, self.resources).function(consumer)
        if consumer.source_kind == "kinesis":
            grants.read([consumer.source])
            source_arn = self.data.streams[consumer.source].stream_arn
            if consumer.fan_out:  # its own read pipe per shard, pushed (SubscribeToShard)
                registered = kinesis.CfnStreamConsumer(
                    self,
                    f"{pascal(consumer.function)}StreamConsumer",
                    stream_arn=source_arn,
                    consumer_name=self.naming.name(consumer.function),
                )
                source_arn = registered.attr_consumer_arn
                fn.role.add_to_policy(
                    iam.PolicyStatement(
                        actions=["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
                        resources=[source_arn],
                    )
                )
        else:
            grants.consume_table_stream(consumer.source)
            source_arn = self.data.tables[consumer.source].table_stream_arn or ""
        grants.attach(fn.role, fn.role)
        # Partial batch responses, bisection, bounded retries and age, then the DLQ: a poison
        # record never blocks its shard (the defaults retry forever).
        mapping = lambda_.CfnEventSourceMapping(
            self,
            f"{pascal(consumer.function)}Mapping",
            function_name=fn.function.function_name,
            event_source_arn=source_arn,
            starting_position="TRIM_HORIZON",
            batch_size=consumer.batch_size,
            maximum_batching_window_in_seconds=1,
            function_response_types=["ReportBatchItemFailures"],
            bisect_batch_on_function_error=consumer.bisect_on_error,
            maximum_retry_attempts=consumer.retry_attempts,
            maximum_record_age_in_seconds=consumer.max_record_age_seconds,
            destination_config=lambda_.CfnEventSourceMapping.DestinationConfigProperty(
                on_failure=lambda_.CfnEventSourceMapping.OnFailureProperty(
                    destination=self.data.queues[consumer.dlq].queue_arn
                )
            ),
            # Only the event types the consumer takes are delivered (and paid for); the local
            # pump applies the same pattern.
            filter_criteria=_filter(consumer),
        )
        # The mapping checks the role's permissions when it is created.
        mapping.node.add_dependency(fn.role)
        mapping.node.add_dependency(fn.function)
        return fn

    def _queue_consumer(self, consumer: QueueConsumer) -> PlainFunction:
        fn = self._function(consumer)
        Grants(self.data, self.resources).function(consumer).read([consumer.queue]).attach(fn.role, fn.role)
        # Partial batch responses: a message the function reports failed comes back alone; past
        # the queue's max receives it moves to the consumer's dead-letter queue (redrive policy).
        mapping = lambda_.CfnEventSourceMapping(
            self,
            f"{pascal(consumer.function)}Mapping",
            function_name=fn.function.function_name,
            event_source_arn=self.data.queues[consumer.queue].queue_arn,
            batch_size=consumer.batch_size,
            function_response_types=["ReportBatchItemFailures"],
        )
        mapping.node.add_dependency(fn.role)
        mapping.node.add_dependency(fn.function)
        return fn

    def _s3_consumer(self, consumer: S3Consumer) -> PlainFunction:
        fn = self._function(consumer)
        Grants(self.data, self.resources).function(consumer).read([consumer.bucket]).attach(fn.role, fn.role)
        # S3 notifications, not EventBridge: the handler gets the S3 event shape (URL-encoded
        # keys) the local runtime feeds it. The bucket is imported by name, so the notification
        # lives here and the data stack never refers to this one.
        bucket = self._buckets.get(consumer.bucket) or s3.Bucket.from_bucket_name(
            self, f"{pascal(consumer.bucket)}Bucket", self.naming.name(consumer.bucket)
        )
        self._buckets[consumer.bucket] = bucket
        bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.LambdaDestination(fn.function),
            s3.NotificationKeyFilter(prefix=consumer.prefix, suffix=consumer.suffix or None),
        )
        # S3 invokes asynchronously: bounded retries and age, then the on-failure queue.
        lambda_.CfnEventInvokeConfig(
            self,
            f"{pascal(consumer.function)}InvokeConfig",
            function_name=fn.function.function_name,
            qualifier="$LATEST",
            maximum_retry_attempts=consumer.retry_attempts,
            maximum_event_age_in_seconds=consumer.max_event_age_seconds,
            destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(
                    destination=self.data.queues[consumer.dlq].queue_arn
                )
            ),
        ).node.add_dependency(fn.role)
        return fn
