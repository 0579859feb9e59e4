"""The CDK app: ``python -m infra.app`` (what cdk.json runs), one set of stacks per stage.

Stages are the files in infra/stages/; ``-c stages=prod`` (or IOC_STAGES=prod) picks some.
Every stack is generated from ``RESOURCES``: a table, stream, consumer or schedule added there
is in the next synth, and cdk-nag (AwsSolutions) checks it.
"""

from __future__ import annotations

import os
from typing import Any

from aws_cdk import App, Environment, Tags

from infra import nag
from infra.config import StageConfig, known_stages, load_stage
from infra.functions import PlainFunction
from infra.layers import FunctionBundle, check_budget, layer_dir, tree_size
from infra.naming import Naming
from infra.stacks.api import ApiStack
from infra.stacks.console import ConsoleStack
from infra.stacks.data import DataStack
from infra.stacks.events import EventFunctionsStack
from infra.stacks.observability import ObservabilityStack
from infra.stacks.schedules import ScheduledJobsStack
from ioc_core.platform.resources import Resources
from ioc_core.rooms import RESOURCES

# Feature flags live here, not in cdk.json, so `python -m infra.app`, tests and the CLI agree.
FEATURE_FLAGS = {
    "@aws-cdk/core:target-partitions": ["aws"],
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
    "@aws-cdk/aws-s3:createDefaultLoggingPolicy": True,
    "@aws-cdk/aws-sqs:dlqEncryption": True,
    "@aws-cdk/aws-kms:aliasNameRef": True,
    "@aws-cdk/aws-lambda:recognizeLayerVersion": True,
    "@aws-cdk/aws-apigateway:disableCloudWatchRole": True,
    "@aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021": True,
    "@aws-cdk/core:validateSnapshotRemovalPolicy": True,
    # Exports stay until no stack imports them (the CDK default, stated).
    "@aws-cdk/core:defaultCrossStackReferences": "strong",
}


def build_stage(app: App, stage: StageConfig, resources: Resources) -> None:
    env = Environment(account=stage.account or os.environ.get("CDK_DEFAULT_ACCOUNT"), region=stage.region)
    # A protected stage's stacks cannot be deleted by accident either.
    common: dict[str, Any] = {"env": env, "termination_protection": stage.deletion_protection}
    naming = Naming(stage)
    data = DataStack(app, stage, naming, resources, **common)
    apis = [ApiStack(app, stage, naming, resources, data, api, **common) for api in resources.apis]
    events = EventFunctionsStack(app, stage, naming, resources, data, **common)
    jobs = ScheduledJobsStack(app, stage, naming, resources, data, **common)
    ConsoleStack(app, stage, naming, resources, apis, **common)
    # Physical names, not references: the alarms and the dashboard import nothing.
    functions = {
        logical: naming.name(logical)
        for logical in (*events.functions, *jobs.functions, *data.trigger_functions)
    }
    for api in apis:
        functions.update(api.function_names)
    observability = ObservabilityStack(
        app, stage, naming, resources, data, functions, {a.api.name: a.api_name for a in apis}, **common
    )
    for stack in (events, jobs, *apis):
        observability.add_stack_dependency(stack, "alarms name functions by their physical names")
    check_layer_budget(
        resources,
        {a.api.name: a.code_bytes for a in apis},
        {**events.functions, **jobs.functions, **data.trigger_functions},
    )


def check_layer_budget(
    resources: Resources, api_code: dict[str, int], plain: dict[str, PlainFunction]
) -> dict[str, int]:
    """Fail the synth if any function's code plus layers passes Lambda's 250 MB unzipped."""
    bundles = [FunctionBundle(api.name, api_code[api.name], api.layers) for api in resources.apis]
    for definition in (
        *resources.consumers,
        *resources.queue_consumers,
        *resources.s3_consumers,
        *resources.schedules,
        *{pool.function: pool for pool in resources.user_pools}.values(),
    ):
        bundles.append(
            FunctionBundle(
                definition.function, tree_size(plain[definition.function].code_dir), definition.layers
            )
        )
    used = {name for bundle in bundles for name in bundle.layers}
    return check_budget(bundles, {name: tree_size(layer_dir(name)) for name in used})


def build_app(app: App | None = None, resources: Resources = RESOURCES) -> App:
    app = app or App(context=FEATURE_FLAGS)
    chosen = app.node.try_get_context("stages") or os.environ.get("IOC_STAGES") or ",".join(known_stages())
    for name in [s.strip() for s in str(chosen).split(",") if s.strip()]:
        build_stage(app, load_stage(name), resources)
    Tags.of(app).add("project", "phanthiet-ioc")
    nag.check(app)
    return app


def main() -> None:
    build_app().synth()


if __name__ == "__main__":
    main()
