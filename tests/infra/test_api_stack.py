"""HTTP APIs: throttled, logged, traced, behind a WAF, staff routes behind Cognito."""

from __future__ import annotations

from typing import Any

import pytest
from infra_templates import Stage

from ioc_core.rooms import RESOURCES

pytestmark = [pytest.mark.infra, pytest.mark.parametrize("api", RESOURCES.apis, ids=lambda a: a.name)]


def _rest_api(stage: Stage, api: Any) -> dict[str, Any]:
    return stage.resource(api.name, "RestAPI")["Properties"]


def test_the_stage_is_throttled_traced_and_access_logged(stage: Stage, api: Any) -> None:
    props = _rest_api(stage, api)
    (settings,) = props["MethodSettings"]
    assert settings["ResourcePath"] == "/*" and settings["HttpMethod"] == "*"
    assert settings["ThrottlingRateLimit"] == stage.config.api.throttle_rate_per_second
    assert settings["ThrottlingBurstLimit"] == stage.config.api.throttle_burst
    assert settings["MetricsEnabled"] is True
    assert props["TracingEnabled"] is True
    destination = stage.render(props["AccessLogSetting"]["DestinationArn"])
    group = stage.resource(api.name, destination.rsplit("<", 1)[1].rstrip(">"))
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert "$context.requestId" in props["AccessLogSetting"]["Format"]


def test_a_regional_waf_with_rate_limits_and_managed_rules_guards_the_stage(stage: Stage, api: Any) -> None:
    template = stage.templates[api.name]["Resources"]
    association = template["WebAclAssociation"]["Properties"]
    assert association["ResourceArn"]["Fn::Sub"].endswith("/restapis/${RestAPI}/stages/${RestAPI.Stage}")
    acl = template[stage.logical_of(association["WebACLArn"])]["Properties"]
    assert acl["Scope"] == "REGIONAL"
    statements = [rule["Statement"] for rule in acl["Rules"]]
    rates = [s["RateBasedStatement"] for s in statements if "RateBasedStatement" in s]
    assert {r["AggregateKeyType"] for r in rates} == {"IP", "FORWARDED_IP"}
    assert min(r["Limit"] for r in rates) == stage.config.api.waf_requests_per_5_minutes
    managed = {s["ManagedRuleGroupStatement"]["Name"] for s in statements if "ManagedRuleGroupStatement" in s}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= managed


def test_the_handler_role_is_chalices_no_more(stage: Stage, api: Any) -> None:
    template = stage.templates[api.name]["Resources"]
    assert "DefaultRole" not in template  # Chalice's generated role with logs:* on *
    handler = template["APIHandler"]["Properties"]
    assert template[stage.logical_of(handler["Role"])]["Type"] == "AWS::IAM::Role"
    assert handler["MemorySize"] == stage.config.api.memory_mb
    assert handler["Timeout"] == stage.config.api.timeout_seconds
    assert handler.get("ReservedConcurrentExecutions") == stage.config.api.reserved_concurrency


def test_the_api_verifies_tokens_from_both_pools(stage: Stage, api: Any) -> None:
    env = stage.resource(api.name, "APIHandler")["Properties"]["Environment"]["Variables"]
    # The pool's ProviderURL: https://cognito-idp.<region>.amazonaws.com/<pool id>
    issuer = str(stage.render(env["IOC_AUTH_ISSUER"]))
    assert issuer.startswith("<StaffUserPool") and issuer.endswith(".ProviderURL>")
    assert "<StaffUserPoolConsoleClient" in str(stage.render(env["IOC_AUTH_CLIENT_IDS"]))
    assert "<StaffUserPoolProvincialClient" in str(stage.render(env["IOC_AUTH_CLIENT_IDS"]))
    resident_issuer = str(stage.render(env["IOC_AUTH_RESIDENT_ISSUER"]))
    assert resident_issuer.startswith("<ResidentUserPool") and resident_issuer.endswith(".ProviderURL>")
    assert str(stage.render(env["IOC_AUTH_RESIDENT_CLIENT_IDS"])).startswith(
        "<ResidentUserPoolResidentAppClient"
    )


def test_every_route_sends_every_method_to_the_app(stage: Stage, api: Any) -> None:
    """API Gateway's own answer to a method a resource lacks is 403 "Missing Authentication
    Token"; an ANY method on every route lets the app's kit answer 405 with Allow instead."""
    paths = _rest_api(stage, api)["DefinitionBody"]["paths"]
    assert paths
    for path, item in paths.items():
        declared = {m: op for m, op in item.items() if m in ("get", "post", "put", "delete", "patch")}
        assert declared, path
        fallback = item["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
        assert fallback["type"] == "aws_proxy", path
        assert fallback["uri"] == next(iter(declared.values()))["x-amazon-apigateway-integration"]["uri"]
        assert "${APIHandler.Arn}" in fallback["uri"]["Fn::Sub"]


def test_the_cursor_key_is_a_generated_secret_only_this_api_reads(stage: Stage, api: Any) -> None:
    _generated_secret_only_this_api_reads(stage, api, "IOC_CURSOR_KEY_SECRET")


def test_each_secret_a_room_declares_for_its_api_is_generated_and_only_it_reads_it(
    stage: Stage, api: Any
) -> None:
    env = stage.templates[api.name]["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    if api.name == "integration-api":  # the key the province signs its directives with
        assert api.secrets == ("IOC_DIRECTIVES_SECRET_ID",)
    for variable in api.secrets:
        _generated_secret_only_this_api_reads(stage, api, variable)
    assert not {v for v in env if v.startswith("IOC_DIRECTIVES_SECRET")} - set(api.secrets)


def _generated_secret_only_this_api_reads(stage: Stage, api: Any, variable: str) -> None:
    template = stage.templates[api.name]["Resources"]
    env = template["APIHandler"]["Properties"]["Environment"]["Variables"]
    secret_logical = stage.logical_of(env[variable])
    secret = template[secret_logical]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    assert "SecretString" not in secret["Properties"]  # generated at deploy time, never in the repository
    readers = set()
    for _, _, policy in stage.resources("AWS::IAM::Policy", api.name):
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            if {"Ref": secret_logical} in resources:
                assert set(statement["Action"]) <= {
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                }
                readers.add(stage.logical_of(policy["Properties"]["Roles"][0]))
    assert readers == {stage.logical_of(template["APIHandler"]["Properties"]["Role"])}
