"""Stateful data: encrypted, recoverable, private, and protected in prod."""

from __future__ import annotations

from typing import Any

import pytest
from infra_templates import Stage

from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.infra


def _denies_insecure_transport(policy: dict[str, Any]) -> bool:
    return any(
        s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
        for s in policy["Statement"]
    )


def test_tables_are_recoverable_encrypted_and_protected_as_the_stage_says(stage: Stage) -> None:
    for _, _, resource in stage.resources("AWS::DynamoDB::Table"):
        props = resource["Properties"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["SSESpecification"]["SSEEnabled"] is True
        assert props["SSESpecification"]["SSEType"] == "KMS"
        assert props["SSESpecification"]["KMSMasterKeyId"]
        assert props.get("DeletionProtectionEnabled", False) is stage.config.deletion_protection
        assert resource["DeletionPolicy"] == (
            "Retain" if stage.config.removal_policy == "retain" else "Delete"
        )


def test_prod_keeps_its_data_when_a_stack_is_deleted(prod: Stage) -> None:
    for kind in ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Kinesis::Stream", "AWS::SQS::Queue",
                 "AWS::KMS::Key", "AWS::Cognito::UserPool"):  # fmt: skip
        for _, logical, resource in prod.resources(kind):
            assert resource.get("DeletionPolicy") == "Retain", logical


def test_every_bucket_is_encrypted_private_tls_only_and_logged(stage: Stage) -> None:
    policies = {
        stage.logical_of(p["Bucket"]): p["PolicyDocument"] for p in stage.props("AWS::S3::BucketPolicy")
    }
    for _, logical, resource in stage.resources("AWS::S3::Bucket"):
        props = resource["Properties"]
        (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("aws:kms", "AES256")
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert _denies_insecure_transport(policies[logical]), logical
        if "BucketName" in props:  # the defined buckets; log buckets are their own target
            assert "LoggingConfiguration" in props, logical


@pytest.mark.parametrize("bucket", [b for b in RESOURCES.buckets if not b.site], ids=lambda b: b.logical)
def test_data_buckets_use_the_data_key_versioning_and_expiry_as_defined(stage: Stage, bucket: Any) -> None:
    _, _, resource = stage.find("AWS::S3::Bucket", BucketName=stage.name(bucket.logical))
    props = resource["Properties"]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    assert (props.get("VersioningConfiguration", {}).get("Status") == "Enabled") is bucket.versioned
    expiring = {
        (r["Prefix"], r["ExpirationInDays"])
        for r in props["LifecycleConfiguration"]["Rules"]
        if "Prefix" in r
    }
    assert expiring == set(bucket.expire_prefixes)
    if bucket.versioned:  # expired objects must not live on as noncurrent versions
        for rule in props["LifecycleConfiguration"]["Rules"]:
            if "Prefix" in rule:
                assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1


def test_streams_and_queues_are_encrypted_and_queues_tls_only(stage: Stage) -> None:
    for props in stage.props("AWS::Kinesis::Stream"):
        assert props["StreamEncryption"]["EncryptionType"] == "KMS"
    queue_policies = [p["PolicyDocument"] for p in stage.props("AWS::SQS::QueuePolicy")]
    for _, logical, resource in stage.resources("AWS::SQS::Queue"):
        assert resource["Properties"]["KmsMasterKeyId"], logical
        assert resource["Properties"]["MessageRetentionPeriod"] == stage.config.dlq_retention_days * 86400
    assert len(queue_policies) == len(RESOURCES.queues)
    assert all(_denies_insecure_transport(p) for p in queue_policies)


def test_the_data_key_rotates(stage: Stage) -> None:
    (props,) = stage.props("AWS::KMS::Key")
    assert props["EnableKeyRotation"] is True


def _pool(stage: Stage, logical: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """(logical id, properties, app clients) of the pool named ``ioc-<stage>-<logical>``."""
    _, pool_id, resource = stage.find("AWS::Cognito::UserPool", UserPoolName=stage.name(logical))
    clients = [
        p for p in stage.props("AWS::Cognito::UserPoolClient") if stage.logical_of(p["UserPoolId"]) == pool_id
    ]
    return pool_id, resource["Properties"], clients


def test_staff_sign_in_requires_mfa_and_threat_protection(stage: Stage) -> None:
    _, pool, clients = _pool(stage, "staff")
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    assert {"Name": "unit", "AttributeDataType": "String", "Mutable": True} in [
        {k: a.get(k) for k in ("Name", "AttributeDataType", "Mutable")} for a in pool["Schema"]
    ]
    (console,) = [c for c in clients if "ALLOW_USER_PASSWORD_AUTH" in c.get("ExplicitAuthFlows", [])]
    assert console["PreventUserExistenceErrors"] == "ENABLED"
    assert "GenerateSecret" not in console or console["GenerateSecret"] is False
    # Staff may not move themselves to another unit: the unit is not writable by the app.
    assert console["WriteAttributes"] == ["name"]


@pytest.mark.parametrize("logical", ["staff", "residents"])
def test_the_sign_in_apps_rotate_refresh_tokens_without_grace(stage: Stage, logical: str) -> None:
    _, _, clients = _pool(stage, logical)
    (app,) = [c for c in clients if not c.get("AllowedOAuthFlows")]  # the public app client
    assert app["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    assert app["EnableTokenRevocation"] is True


def test_the_province_reads_with_client_credentials_and_one_scope(stage: Stage) -> None:
    _, _, clients = _pool(stage, "staff")
    (provincial,) = [c for c in clients if c.get("AllowedOAuthFlows") == ["client_credentials"]]
    assert provincial["GenerateSecret"] is True
    ((_, server_id, server),) = stage.resources("AWS::Cognito::UserPoolResourceServer")
    # A resource server's Ref is its identifier: the scope is "ioc/provincial.read".
    assert stage.render(provincial["AllowedOAuthScopes"]) == [f"<{server_id}>/provincial.read"]
    props = server["Properties"]
    assert props["Identifier"] == "ioc" and [s["ScopeName"] for s in props["Scopes"]] == ["provincial.read"]


def test_residents_sign_in_by_phone_and_sms_code_only_from_vietnam(stage: Stage) -> None:
    _, pool, (client,) = _pool(stage, "residents")
    assert pool["UsernameAttributes"] == ["phone_number"]
    assert pool["AutoVerifiedAttributes"] == ["phone_number"]
    assert set(pool["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"]) == {"PASSWORD", "SMS_OTP"}
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"  # SMS-pumping and bot sign-ups
    assert "PreSignUp" in pool["LambdaConfig"]  # only +84 mobiles get an SMS
    assert pool["SmsConfiguration"]["ExternalId"]
    # No REFRESH_TOKEN_AUTH: with rotation a refresh is GetTokensFromRefreshToken only.
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert "GenerateSecret" not in client or client["GenerateSecret"] is False
    assert client["WriteAttributes"] == ["name"]  # the phone is the account: not changed by the app


def test_the_trigger_function_writes_only_resident_accounts_and_their_events(stage: Stage) -> None:
    (_, props) = stage.functions()[stage.name("identity-cognito-triggers")]
    role = stage.logical_of(props["Role"])
    tables = {
        stage.logical_of({"Fn::GetAtt": [logical, "Arn"]}): str(stage.render(r["Properties"]["TableName"]))
        for _, logical, r in stage.resources("AWS::DynamoDB::Table", "data")
    }
    written = set()
    for _, _, policy in stage.resources("AWS::IAM::Policy", "data"):
        if role not in [stage.logical_of(r) for r in policy["Properties"]["Roles"]]:
            continue
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if "dynamodb:PutItem" in statement["Action"]:
                written |= {
                    tables[stage.logical_of(arn)] for arn in statement["Resource"] if isinstance(arn, dict)
                }
    assert written == {stage.name("accounts"), stage.name("outbox")}


def test_the_staff_pool_has_a_group_per_role_and_unit_or_ward(stage: Stage) -> None:
    from ioc_core.identity.staff import known_scopes, staff_groups
    from ioc_core.platform.access import policy

    groups = {r["Properties"]["GroupName"] for _, _, r in stage.resources("AWS::Cognito::UserPoolGroup")}
    assert groups == set(staff_groups(policy(), known_scopes()))
    assert {"operator", "leader", "admin", "unit_staff@CSCC", "ward_leader@22945"} <= groups
    assert not {"resident", "provincial", "unit_staff"} & groups  # residents and machines hold no group here
