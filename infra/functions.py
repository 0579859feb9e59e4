"""Plain Lambda functions (Powertools handlers under functions/): one role, one log group each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig
from infra.layers import layer_dir
from infra.nag import acknowledge
from infra.naming import Naming, pascal
from ioc_core.platform.code import handler_file
from ioc_core.platform.observability import NAMESPACE

# One Python for every function, Chalice's included; the layers are built for it.
RUNTIME = lambda_.Runtime.PYTHON_3_12
METRICS_NAMESPACE = NAMESPACE  # the one namespace of every function's metrics


def handler_location(dotted: str) -> tuple[Path, str]:
    """``eventbus.outbox_relay.handler.handler`` → (functions/eventbus/outbox_relay, ``handler.handler``)."""
    path, attribute = handler_file(dotted)
    if not path.is_file():
        raise FileNotFoundError(f"no handler module {path} for {dotted}")
    return path.parent, f"{path.stem}.{attribute}"


def runtime_environment(naming: Naming, stage: StageConfig, service: str) -> dict[str, str]:
    """What ioc_core.settings reads in Lambda. IOC_AWS_ENDPOINT stays unset: real AWS."""
    return {
        "IOC_STAGE": stage.name,
        "IOC_RESOURCE_PREFIX": naming.prefix,
        "IOC_PUBLIC_BASE_URL": stage.base_url,
        "POWERTOOLS_SERVICE_NAME": service,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def log_group(scope: Construct, construct_id: str, name: str, stage: StageConfig) -> logs.LogGroup:
    group = logs.LogGroup(
        scope,
        construct_id,
        log_group_name=name,
        removal_policy=RemovalPolicy.RETAIN if stage.removal_policy == "retain" else RemovalPolicy.DESTROY,
    )
    cast(logs.CfnLogGroup, group.node.default_child).retention_in_days = stage.log_retention_days
    return group


def execution_role(scope: Construct, construct_id: str) -> iam.Role:
    """A role that may write traces, and nothing else until granted (logs: ``allow_logs``)."""
    role = iam.Role(scope, construct_id, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(
        iam.PolicyStatement(actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources=["*"])
    )
    acknowledge(
        role,
        "IAM5",
        "X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions: "
        "active tracing needs them on *.",
        "Resource::*",
    )
    return role


def allow_logs(role: iam.Role, groups: list[logs.LogGroup]) -> None:
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[g.log_group_arn for g in groups]
        )
    )


class Layers:
    """The layer versions one stack's functions use, each created once per stack."""

    def __init__(self, scope: Construct) -> None:
        self.scope = scope
        self._versions: dict[str, lambda_.LayerVersion] = {}

    def get(self, names: tuple[str, ...]) -> list[lambda_.ILayerVersion]:
        return [self._version(name) for name in names]

    def _version(self, name: str) -> lambda_.LayerVersion:
        if name not in self._versions:
            self._versions[name] = lambda_.LayerVersion(
                self.scope,
                f"{pascal(name)}Layer",
                code=lambda_.Code.from_asset(str(layer_dir(name))),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[lambda_.Architecture.X86_64],
                description=f"Phan Thiet IOC {name} layer (layers/build.py {name})",
            )
        return self._versions[name]


@dataclass
class PlainFunction:
    function: lambda_.Function
    role: iam.Role
    code_dir: Path


class FunctionDefinition(Protocol):
    """What every plain function's definition in RESOURCES says (consumers, jobs, pool triggers)."""

    @property
    def function(self) -> str: ...
    @property
    def handler(self) -> str: ...
    @property
    def layers(self) -> tuple[str, ...]: ...


def plain_function(
    scope: Stack,
    definition: FunctionDefinition,
    layers: Layers,
    naming: Naming,
    stage: StageConfig,
    extra_environment: Mapping[str, str] | None = None,
) -> PlainFunction:
    logical, layer_names = definition.function, definition.layers
    code, entry = handler_location(definition.handler)
    name = naming.name(logical)
    group = log_group(scope, f"{pascal(logical)}Logs", f"/aws/lambda/{name}", stage)
    role = execution_role(scope, f"{pascal(logical)}Role")
    allow_logs(role, [group])
    function = lambda_.Function(
        scope,
        f"{pascal(logical)}Function",
        function_name=name,
        runtime=RUNTIME,
        architecture=lambda_.Architecture.X86_64,
        code=lambda_.Code.from_asset(str(code), exclude=["__pycache__", "*.pyc"]),
        handler=entry,
        layers=layers.get(layer_names),
        role=role,
        memory_size=stage.functions.memory_mb,
        timeout=Duration.seconds(stage.functions.timeout_seconds),
        tracing=lambda_.Tracing.ACTIVE,
        log_group=group,
        environment={**runtime_environment(naming, stage, f"ioc-{logical}"), **(extra_environment or {})},
    )
    acknowledge(
        function,
        "L1",
        f"Pinned to {RUNTIME.name}, like every function here: the closest Amazon Linux 2023 runtime to "
        "the 3.11 the code is developed and tested on (pyproject allows <3.13), and the Python the "
        "layers' binary wheels are built for (layers/build.py). Move all of them together.",
    )
    return PlainFunction(function=function, role=role, code_dir=code)
