"""IAM: exact actions everywhere; ``*`` resources only where AWS offers nothing narrower."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from infra_templates import Stage

pytestmark = pytest.mark.infra

# Actions without resource-level permissions (each acknowledged in infra/ with its reason).
STAR_RESOURCE_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "dynamodb:ListStreams",
    "sns:Publish",  # an SMS names a phone number, not an ARN
}


# What the administrator's staff console calls on the staff pool, and nothing more.
STAFF_ADMINISTRATION = [
    *("cognito-idp:ListUsers", "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"),
    *("cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup"),
    *("cognito-idp:AdminCreateUser", "cognito-idp:AdminDisableUser", "cognito-idp:AdminEnableUser"),
    *("cognito-idp:AdminUserGlobalSignOut", "cognito-idp:AdminSetUserMFAPreference"),
    "cognito-idp:AdminSetUserPassword",
]


def _statements(stage: Stage) -> Iterator[tuple[str, dict[str, Any]]]:
    for part, logical, resource in stage.resources("AWS::IAM::Policy"):
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            yield f"{part}/{logical}", statement
    for part, logical, resource in stage.resources("AWS::IAM::Role"):
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield f"{part}/{logical}", statement


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_only_field_reporting_s_api_lists_unit_members_and_only_on_the_staff_pool(stage: Stage) -> None:
    from infra.grants import COGNITO_LIST_MEMBERS

    holders = [
        (where, statement)
        for where, statement in _statements(stage)
        if set(_list(statement["Action"])) & set(COGNITO_LIST_MEMBERS)
    ]
    assert holders, "the assignee check needs the staff pool's group members"
    for where, statement in holders:
        assert where.startswith("field-reporting-api/"), where
        assert _list(statement["Action"]) == ["cognito-idp:ListUsersInGroup"]
        (resource,) = _list(statement["Resource"])
        assert "StaffUserPool" in str(resource) and "Resident" not in str(resource), resource


def test_no_role_uses_a_managed_policy(stage: Stage) -> None:
    for _, logical, resource in stage.resources("AWS::IAM::Role"):
        if logical.startswith("BucketNotificationsHandler"):  # CDK's deploy-time handler (acknowledged)
            continue
        assert not resource["Properties"].get("ManagedPolicyArns"), logical


def test_no_statement_grants_a_wildcard_action(stage: Stage) -> None:
    for where, statement in _statements(stage):
        for action in _list(statement["Action"]):
            assert "*" not in action, f"{where}: {action}"


def test_star_resources_only_for_actions_without_resource_level_permissions(stage: Stage) -> None:
    for where, statement in _statements(stage):
        if "*" in _list(statement["Resource"]):
            assert set(_list(statement["Action"])) <= STAR_RESOURCE_ACTIONS, where


def test_every_function_has_a_role_of_its_own(stage: Stage) -> None:
    """A Chalice app's functions share the app's role; every other function has its own."""
    roles: dict[str, set[str]] = {}
    for name, (part, props) in stage.functions().items():
        owner = part if "CodeUri" in props else name  # CodeUri: a Chalice (SAM) function
        roles.setdefault(f"{part}/{stage.logical_of(props['Role'])}", set()).add(owner)
    assert all(len(owners) == 1 for owners in roles.values()), roles


def test_only_identity_s_api_administers_staff_groups_and_only_on_the_staff_pool(stage: Stage) -> None:
    from infra.grants import COGNITO_ADMINISTER

    assert sorted(COGNITO_ADMINISTER) == sorted(STAFF_ADMINISTRATION)
    holders = [
        (where, statement)
        for where, statement in _statements(stage)
        if set(_list(statement["Action"])) & set(COGNITO_ADMINISTER)
    ]
    assert holders, "the roles console needs the staff pool's admin actions"
    for where, statement in holders:
        assert where.startswith("identity-api/"), where
        # exactly these: no CreateGroup, no DeleteUser
        assert sorted(_list(statement["Action"])) == sorted(STAFF_ADMINISTRATION)
        (resource,) = _list(statement["Resource"])
        assert "StaffUserPool" in str(resource) and "Resident" not in str(resource), resource


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
