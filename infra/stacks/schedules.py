"""Scheduled jobs: plain Lambdas run by EventBridge Scheduler, in one schedule group per stage."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from infra.config import StageConfig
from infra.functions import Layers, PlainFunction, plain_function
from infra.grants import KMS_WRITE, Grants
from infra.naming import Naming, pascal
from infra.stacks.data import DataStack
from ioc_core.platform.resources import Resources, Schedule


class ScheduledJobsStack(Stack):
    def __init__(
        self,
        scope: Construct,
        stage: StageConfig,
        naming: Naming,
        resources: Resources,
        data: DataStack,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, naming.stack("schedules"), stack_name=naming.stack("schedules"), **kwargs)
        self.stage, self.naming, self.resources, self.data = stage, naming, resources, data
        self.layers = Layers(self)
        self.group = scheduler.CfnScheduleGroup(self, "Group", name=naming.name("jobs"))
        self.functions: dict[str, PlainFunction] = {}
        for schedule in resources.schedules:
            self.functions[schedule.function] = self._job(schedule)

    def _job(self, schedule: Schedule) -> PlainFunction:
        fn = plain_function(self, schedule, self.layers, self.naming, self.stage)
        Grants(self.data, self.resources).function(schedule).attach(fn.role, fn.role)
        dlq = self.data.queues[schedule.dlq]
        invoker = iam.Role(
            self,
            f"{pascal(schedule.function)}SchedulerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": self.account}}
            ),
        )
        invoker.add_to_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[fn.function.function_arn])
        )
        invoker.add_to_policy(iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[dlq.queue_arn]))
        invoker.add_to_policy(iam.PolicyStatement(actions=KMS_WRITE, resources=[self.data.key.key_arn]))
        scheduler.CfnSchedule(
            self,
            f"{pascal(schedule.function)}Schedule",
            name=schedule.function,
            group_name=self.group.ref,
            schedule_expression=schedule.expression,
            schedule_expression_timezone=schedule.timezone,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=fn.function.function_arn,
                role_arn=invoker.role_arn,
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=schedule.retry_attempts, maximum_event_age_in_seconds=3600
                ),
                dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(arn=dlq.queue_arn),
            ),
        ).node.add_dependency(invoker)
        # The scheduler invokes asynchronously: a job that fails after its retries lands in the DLQ too.
        lambda_.CfnEventInvokeConfig(
            self,
            f"{pascal(schedule.function)}InvokeConfig",
            function_name=fn.function.function_name,
            qualifier="$LATEST",
            maximum_retry_attempts=schedule.retry_attempts,
            destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(destination=dlq.queue_arn)
            ),
        ).node.add_dependency(fn.role)
        return fn
