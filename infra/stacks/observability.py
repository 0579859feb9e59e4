"""Observability: alarms on function errors and throttles, DLQ depth, stream iterator age and API
5XX, all to one encrypted topic, and a dashboard of the whole system."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.config import StageConfig
from infra.naming import Naming, pascal
from infra.stacks.data import DataStack
from ioc_core.platform import observability as obs
from ioc_core.platform.resources import Resources


class ObservabilityStack(Stack):
    def __init__(
        self,
        scope: Construct,
        stage: StageConfig,
        naming: Naming,
        resources: Resources,
        data: DataStack,
        functions: dict[str, str],
        apis: dict[str, str],
        **kwargs: Any,
    ) -> None:
        """``functions``: logical name → physical function name; ``apis``: logical → API name."""
        super().__init__(
            scope, naming.stack("observability"), stack_name=naming.stack("observability"), **kwargs
        )
        alarms = stage.alarms
        self.period = Duration.minutes(alarms.period_minutes)
        self.topic = sns.Topic(
            self, "AlarmTopic", topic_name=naming.name("alarms"), master_key=data.key, enforce_ssl=True
        )
        if alarms.email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarms.email))
        self.action = cw_actions.SnsAction(self.topic)
        stream_consumers = {c.function for c in resources.consumers}
        widgets: list[cw.IWidget] = [
            cw.TextWidget(markdown=f"# Phan Thiet IOC — {stage.name}", width=24, height=1)
        ]

        for logical, name in functions.items():
            metric = self._lambda(name)
            self._alarm(
                f"{pascal(logical)}Errors", metric("Errors"), alarms.function_errors, f"{name} errors"
            )
            self._alarm(
                f"{pascal(logical)}Throttles",
                metric("Throttles"),
                alarms.function_throttles,
                f"{name} throttled",
            )
            if logical in stream_consumers:
                self._alarm(
                    f"{pascal(logical)}IteratorAge",
                    metric("IteratorAge", "Maximum"),
                    alarms.iterator_age_seconds * 1000,
                    f"{name} is behind its stream",
                )
            widgets.append(
                cw.GraphWidget(
                    title=logical,
                    left=[metric("Invocations"), metric("Errors"), metric("Throttles")],
                    right=[metric("Duration", "p99")],
                    width=8,
                )
            )
        for stream in resources.streams:
            age = cw.Metric(
                namespace="AWS/Kinesis",
                metric_name="GetRecords.IteratorAgeMilliseconds",
                dimensions_map={"StreamName": naming.name(stream.logical)},
                statistic="Maximum",
                period=self.period,
            )
            self._alarm(
                f"{pascal(stream.logical)}StreamIteratorAge",
                age,
                alarms.iterator_age_seconds * 1000,
                f"stream {stream.logical}: records wait to be read",
            )
            incoming = cw.Metric(
                namespace="AWS/Kinesis",
                metric_name="IncomingRecords",
                dimensions_map={"StreamName": naming.name(stream.logical)},
                statistic="Sum",
                period=self.period,
            )
            widgets.append(
                cw.GraphWidget(title=f"stream {stream.logical}", left=[incoming], right=[age], width=8)
            )
        depth_metrics = []
        # Dead-letter queues only: a work queue (the province's deliveries) is busy by design.
        for queue in resources.dead_letter_queues:
            depth = cw.Metric(
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                dimensions_map={"QueueName": naming.name(queue.logical)},
                statistic="Maximum",
                period=self.period,
            )
            depth_metrics.append(depth)
            self._alarm(
                f"{pascal(queue.logical)}Depth", depth, alarms.dlq_messages, f"messages in {queue.logical}"
            )
        widgets.append(cw.GraphWidget(title="dead-letter queues", left=depth_metrics, width=8))
        # What the city watches: business metrics the functions emit (EMF, one namespace).
        business = [
            cw.MathExpression(
                expression=f"SEARCH('{{{obs.NAMESPACE},service}} MetricName=\"{name}\"', 'Sum', 300)",
                label=name,
                using_metrics={},
                period=self.period,
            )
            for name in obs.BUSINESS_METRICS
        ]
        dead_lettered = [
            cw.Metric(
                namespace="AWS/SQS",
                metric_name="NumberOfMessagesSent",
                dimensions_map={"QueueName": naming.name(queue.logical)},
                statistic="Sum",
                label=f"{obs.EVENTS_DEAD_LETTERED} {queue.logical}",
                period=self.period,
            )
            for queue in resources.dead_letter_queues
        ]
        widgets.append(cw.GraphWidget(title="the city's business", left=business, width=8))
        widgets.append(cw.GraphWidget(title="events dead-lettered", left=dead_lettered, width=8))
        for logical, api_name in apis.items():

            def api_metric(metric_name: str, statistic: str = "Sum", api_name: str = api_name) -> cw.Metric:
                return cw.Metric(
                    namespace="AWS/ApiGateway",
                    metric_name=metric_name,
                    dimensions_map={"ApiName": api_name, "Stage": "api"},
                    statistic=statistic,
                    period=self.period,
                )

            self._alarm(f"{pascal(logical)}5xx", api_metric("5XXError"), alarms.api_5xx, f"{logical} 5XX")
            widgets.append(
                cw.GraphWidget(
                    title=f"API {logical}",
                    left=[api_metric("Count"), api_metric("4XXError"), api_metric("5XXError")],
                    right=[api_metric("Latency", "p99")],
                    width=8,
                )
            )
        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"ioc-{stage.name}")
        self.dashboard.add_widgets(widgets[0])
        for row in range(1, len(widgets), 3):  # three 8-wide graphs a row
            self.dashboard.add_widgets(*widgets[row : row + 3])
        CfnOutput(self, "AlarmTopicArn", value=self.topic.topic_arn)

    def _lambda(self, function_name: str) -> Callable[..., cw.Metric]:
        def metric(metric_name: str, statistic: str = "Sum") -> cw.Metric:
            return cw.Metric(
                namespace="AWS/Lambda",
                metric_name=metric_name,
                dimensions_map={"FunctionName": function_name},
                statistic=statistic,
                period=self.period,
            )

        return metric

    def _alarm(self, construct_id: str, metric: cw.Metric, threshold: float, description: str) -> None:
        alarm = cw.Alarm(
            self,
            f"{construct_id}Alarm",
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(self.action)
        alarm.add_ok_action(self.action)
