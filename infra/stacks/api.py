"""One HTTP API: a Chalice app through Chalice's CDK construct, in a stack of its own.

Chalice packages the app as a SAM template; this stack owns what Chalice would otherwise
generate or leave out: the role (least privilege), the runtime and layers, the environment,
log groups, stage throttling and access logs, tracing, the Cognito authorizer and the WAF,
the key the app signs page cursors with, and an ``ANY`` method on every route so the app (not
API Gateway's 403) answers a method a route does not take.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from aws_cdk import ArnFormat, Fn, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from chalice.cdk import Chalice
from constructs import Construct

from infra.config import StageConfig
from infra.functions import (
    RUNTIME,
    Layers,
    allow_logs,
    execution_role,
    log_group,
    runtime_environment,
)
from infra.grants import Grants
from infra.nag import acknowledge
from infra.naming import Naming
from infra.stacks.data import DataStack
from ioc_core.platform.api.cursor_key import SECRET_VARIABLE
from ioc_core.platform.code import function_path
from ioc_core.platform.resources import HttpApi, Resources

API_STAGE = "api"
ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "forwardedFor": "$context.identity.xForwardedFor",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "latencyMs": "$context.responseLatency",
        "integrationError": "$context.integration.error",
        "wafStatus": "$context.waf.status",
        "user": "$context.authorizer.claims.sub",
    },
    separators=(",", ":"),
)


def _any_method(item: dict[str, Any]) -> dict[str, Any]:
    """A route's ANY method: the same Lambda proxy integration as its declared methods."""
    integration = next(op[INTEGRATION] for op in item.values() if isinstance(op, dict) and INTEGRATION in op)
    return {
        "produces": ["application/json"],
        "responses": {"405": {"description": "The route does not take this method"}},
        INTEGRATION: integration,
    }


def _kebab(logical_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical_id).lower()


class ApiStack(Stack):
    def __init__(
        self,
        scope: Construct,
        stage: StageConfig,
        naming: Naming,
        resources: Resources,
        data: DataStack,
        api: HttpApi,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, naming.stack(api.name), stack_name=naming.stack(api.name), **kwargs)
        self.stage, self.naming, self.api, self.data = stage, naming, api, data
        # logical (as in naming) → physical name of each function Chalice generates
        self.function_names: dict[str, str] = {}
        self.api_name = naming.name(api.name)
        layers = Layers(self)
        source_dir = function_path(api.source_dir)
        if not (source_dir / ".chalice" / "config.json").is_file():
            raise FileNotFoundError(f"HttpApi {api.name!r}: no Chalice project at {source_dir}")
        self.role = execution_role(self, "HandlerRole")
        Grants(data, resources).function(api).attach(self.role, self.role)
        self.cursor_key = self._cursor_key()
        self.secrets = {variable: self._own_secret(variable) for variable in api.secrets}
        config: dict[str, Any] = {
            "manage_iam_role": False,
            "iam_role_arn": self.role.role_arn,
            "autogen_policy": False,
            "layers": [layer.layer_version_arn for layer in layers.get(api.layers)],
            "lambda_memory_size": stage.api.memory_mb,
            "lambda_timeout": stage.api.timeout_seconds,
            "xray": True,
            "api_gateway_endpoint_type": "REGIONAL",
            "api_gateway_stage": API_STAGE,
        }
        if stage.api.reserved_concurrency:
            config["reserved_concurrency"] = stage.api.reserved_concurrency
        # Every Chalice project has its own top-level ``app`` and ``chalicelib``: forget the last one's.
        for module in [m for m in sys.modules if m == "app" or m.split(".")[0] == "chalicelib"]:
            del sys.modules[module]
        # Environment variables go in as overrides, not stage_config: Chalice would export them
        # into this process's os.environ while it imports the app.
        self.chalice = Chalice(self, "App", source_dir=str(source_dir), stage_config=config)
        package = Path(self.chalice._sam_package_dir)
        self.template = json.loads((package / "sam.json").read_text())
        with zipfile.ZipFile(package / "deployment.zip") as deployment:
            self.code_bytes = sum(info.file_size for info in deployment.infolist())
        functions = [
            logical
            for logical, resource in self.template["Resources"].items()
            if resource["Type"] == "AWS::Serverless::Function"
        ]
        groups = {
            logical: log_group(self, f"{logical}Logs", f"/aws/lambda/{self._function_name(logical)}", stage)
            for logical in functions
        }
        allow_logs(self.role, list(groups.values()))
        for logical, group in groups.items():
            self._configure_function(logical, group)
        self.rest_api_id = self.chalice.get_resource("RestAPI").ref
        self.api_domain = Fn.join(".", [self.rest_api_id, "execute-api", self.region, self.url_suffix])
        self._configure_stage(log_group(self, "AccessLogs", f"/ioc/{stage.name}/api/{api.name}", stage))
        self._every_method_reaches_the_app()
        self._authorizer(data)
        self._firewall()

    # -- functions ------------------------------------------------------------------------
    def _function_logical(self, logical: str) -> str:
        """APIHandler → the API's name; another Chalice function → ``<api>-<its name>``."""
        return self.api.name if logical == "APIHandler" else f"{self.api.name}-{_kebab(logical)}"

    def _function_name(self, logical: str) -> str:
        return self.naming.name(self._function_logical(logical))

    def _configure_function(self, logical: str, group: logs.LogGroup) -> None:
        function = self.chalice.get_resource(logical)
        name = self._function_name(logical)
        self.function_names[self._function_logical(logical)] = name
        function.add_property_override("FunctionName", name)
        function.add_property_override("Runtime", RUNTIME.name)
        function.add_property_override("LoggingConfig", {"LogGroup": group.log_group_name})
        environment = {
            **runtime_environment(self.naming, self.stage, f"ioc-{self.api.name}"),
            # ioc_core.identity verifies tokens against each pool's issuer and app clients, and
            # answers the sign-in routes through the pools' public app clients.
            "IOC_AUTH_ISSUER": self.data.user_pool.user_pool_provider_url,
            "IOC_AUTH_CLIENT_IDS": ",".join(self.data.auth_client_ids),
            "IOC_AUTH_RESIDENT_ISSUER": self.data.resident_pool.user_pool_provider_url,
            "IOC_AUTH_RESIDENT_CLIENT_IDS": ",".join(self.data.resident_client_ids),
            # The secret's name, never its value: the app reads it once per cold start.
            SECRET_VARIABLE: self.cursor_key.secret_arn,
            **{variable: secret.secret_arn for variable, secret in self.secrets.items()},
        }
        for key, value in environment.items():
            function.add_property_override(f"Environment.Variables.{key}", value)

    def _cursor_key(self) -> secretsmanager.Secret:
        """The key this API signs page cursors with: generated at deploy time (never in the
        repository), one per API, readable by this API's role alone."""
        return self._generated_secret(
            "CursorKey",
            f"HMAC key of {self.api_name}'s page cursors",
            "The key only signs page cursors that expire within a day: replacing it (a new secret "
            "value, then the functions' next cold start) only sends open lists back to page one, "
            "so it is rotated by hand rather than by a rotation function.",
        )

    def _own_secret(self, variable: str) -> secretsmanager.Secret:
        """A secret the room declares for this API (a key shared with a partner): 64 random
        letters and digits (valid base64, 48 bytes), readable by this API's role alone."""
        return self._generated_secret(
            _camel(variable),
            f"{self.api_name}: {variable} (shared with a partner; rotate by hand, with overlap)",
            "A key shared with a partner system (the province signs its directives with it): a "
            "rotation is agreed with the partner, so both keys are accepted for a while (space-"
            "separated in the value) instead of a rotation function changing it alone.",
        )

    def _generated_secret(
        self, construct_id: str, description: str, why_no_rotation: str
    ) -> secretsmanager.Secret:
        """Generated at deploy time (never in the repository), readable by this API's role alone."""
        secret = secretsmanager.Secret(
            self,
            construct_id,
            description=description,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
            removal_policy=RemovalPolicy.RETAIN
            if self.stage.removal_policy == "retain"
            else RemovalPolicy.DESTROY,
        )
        secret.grant_read(self.role)
        acknowledge(secret, "SMG4", why_no_rotation)
        return secret

    # -- stage ----------------------------------------------------------------------------
    def _configure_stage(self, access_logs: logs.LogGroup) -> None:
        rest_api = self.chalice.get_resource("RestAPI")
        rest_api.add_property_override("Name", self.api_name)
        rest_api.add_property_override("TracingEnabled", True)
        # API Gateway wants the group ARN without the ":*" CloudFormation's Arn attribute carries.
        destination = self.format_arn(
            service="logs",
            resource="log-group",
            resource_name=access_logs.log_group_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        rest_api.add_property_override(
            "AccessLogSetting", {"DestinationArn": destination, "Format": ACCESS_LOG_FORMAT}
        )
        rest_api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": self.stage.api.throttle_rate_per_second,
                    "ThrottlingBurstLimit": self.stage.api.throttle_burst,
                    "MetricsEnabled": True,
                    "LoggingLevel": "ERROR",
                    "DataTraceEnabled": False,
                }
            ],
        )

    def _every_method_reaches_the_app(self) -> None:
        """API Gateway answers a method a resource lacks with 403 "Missing Authentication Token";
        an ``ANY`` method beside each route's own sends it to the app, whose kit answers 405
        with ``Allow`` from the route table, as the local server does. Declared methods still win."""
        rest_api = self.chalice.get_resource("RestAPI")
        paths = self.template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
        every = {path: {**item, ANY_METHOD: _any_method(item)} for path, item in paths.items()}
        rest_api.add_property_override("DefinitionBody.paths", every)

    def _authorizer(self, data: DataStack) -> None:
        """Tokens are checked in the app (every route's roles, failing closed); an app that
        declares a ``CognitoUserPoolAuthorizer`` gets the staff pool as its provider."""
        rest_api = self.chalice.get_resource("RestAPI")
        body = self.template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
        for name, declared in body.get("securityDefinitions", {}).items():
            if declared.get("x-amazon-apigateway-authtype") == "cognito_user_pools":
                rest_api.add_property_override(
                    f"DefinitionBody.securityDefinitions.{name}.x-amazon-apigateway-authorizer.providerARNs",
                    [data.user_pool.user_pool_arn],
                )

    def _firewall(self) -> None:
        def visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
            return wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
            )

        def managed(priority: int, name: str, overrides: list[str] = ()) -> wafv2.CfnWebACL.RuleProperty:  # type: ignore[assignment]
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name=name,
                        rule_action_overrides=[
                            wafv2.CfnWebACL.RuleActionOverrideProperty(
                                name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                            )
                            for rule in overrides
                        ]
                        or None,
                    )
                ),
                visibility_config=visibility(name),
            )

        # Behind CloudFront the client is the first X-Forwarded-For address; direct callers are
        # limited by their own address.
        rate_limit = self.stage.api.waf_requests_per_5_minutes
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name="RatePerClient",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=rate_limit,
                        aggregate_key_type="FORWARDED_IP",
                        forwarded_ip_config=wafv2.CfnWebACL.ForwardedIPConfigurationProperty(
                            header_name="X-Forwarded-For", fallback_behavior="NO_MATCH"
                        ),
                    )
                ),
                visibility_config=visibility("RatePerClient"),
            ),
            wafv2.CfnWebACL.RuleProperty(
                name="RatePerAddress",
                priority=1,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=rate_limit * 10, aggregate_key_type="IP"
                    )
                ),
                visibility_config=visibility("RatePerAddress"),
            ),
            managed(2, "AWSManagedRulesAmazonIpReputationList"),
            # Open311 clients POST photos as multipart bodies well over the rule's 8 KB.
            managed(3, "AWSManagedRulesCommonRuleSet", ["SizeRestrictions_BODY"]),
            managed(4, "AWSManagedRulesKnownBadInputsRuleSet"),
        ]
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=self.api_name,
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=visibility(self.api.name),
            rules=rules,
        )
        wafv2.CfnWebACLAssociation(
            self,
            "WebAclAssociation",
            web_acl_arn=self.web_acl.attr_arn,
            # RestAPI.Stage is the stage SAM generates for the API.
            resource_arn=Fn.sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${RestAPI}/stages/${RestAPI.Stage}"
            ),
        )


def _camel(variable: str) -> str:
    """IOC_DIRECTIVES_SECRET_ID → IocDirectivesSecretId (a construct id)."""
    return "".join(part.capitalize() for part in variable.lower().split("_"))
