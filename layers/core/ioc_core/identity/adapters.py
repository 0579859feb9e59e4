"""Identity's adapters: the dev IdP's documents in the local AWS Secrets Manager, residents in
the accounts table (a first sign-in registers the account and emits ``identity.account.registered``),
and the staff directory (the dev IdP's locally, Cognito's staff pool in AWS)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ioc_core.identity.accounts import AccountItem, DynamoAccounts
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.staff import GroupMember, NewStaff, StaffAccount, grants_of
from ioc_core.platform.access import Policy
from ioc_core.settings import Settings
from ioc_core.shared.errors import Conflict, NotFound, ValidationFailed

_WRITE = "_write"  # a versioned write's own mark, not part of the document
_SUCCESSION = uuid.UUID("6f0c1d52-8a3e-4c7b-9a57-0d1e2f3a4b5c")  # names the version after a version


class SecretsManagerDevIdpStore:
    """One secret per document, named after the stack's prefix: ``<prefix>-dev-idp/<name>``."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.prefix = settings.name("dev-idp")
        self.client = client or boto3.client(
            "secretsmanager", region_name=settings.region, endpoint_url=settings.aws_endpoint
        )

    def _id(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def load(self, name: str) -> dict[str, Any] | None:
        return self.load_versioned(name)[0]

    def load_versioned(self, name: str) -> tuple[dict[str, Any] | None, str | None]:
        try:
            value = self.client.get_secret_value(SecretId=self._id(name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in (
                "ResourceNotFoundException",
                "InvalidRequestException",
            ):
                return None, None
            raise
        document: dict[str, Any] = json.loads(value["SecretString"])
        document.pop(_WRITE, None)
        return document, str(value["VersionId"])

    def create(self, name: str, document: Mapping[str, Any]) -> bool:
        return self._create(name, json.dumps(document))

    def _create(self, name: str, body: str) -> bool:
        try:
            self.client.create_secret(Name=self._id(name), SecretString=body)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceExistsException":
                return False
            raise
        return True

    def replace(self, name: str, document: Mapping[str, Any], version: str | None) -> bool:
        """Secrets Manager refuses a second version under one ClientRequestToken with other
        content: the token of the version after ``version`` is derived from it, so of the
        writers that read one version only the first adds the next. Each write carries its
        own mark, so that two writers of equal documents never look alike (an idempotent
        retry). A document written this way is never deleted: its chain of versions would
        start again."""
        body = json.dumps({**document, _WRITE: uuid.uuid4().hex})
        if version is None:
            return self._create(name, body)
        try:
            self.client.put_secret_value(
                SecretId=self._id(name),
                SecretString=body,
                ClientRequestToken=str(uuid.uuid5(_SUCCESSION, version)),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceExistsException":
                return False
            raise
        return True

    def put(self, name: str, document: Mapping[str, Any]) -> None:
        if not self.create(name, document):
            self.client.put_secret_value(SecretId=self._id(name), SecretString=json.dumps(document))

    def delete(self, name: str) -> None:
        try:
            self.client.delete_secret(SecretId=self._id(name), ForceDeleteWithoutRecovery=True)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise


class InMemoryDevIdpStore:
    def __init__(self) -> None:
        self.documents: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def load(self, name: str) -> dict[str, Any] | None:
        return self.load_versioned(name)[0]

    def load_versioned(self, name: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._lock:
            raw = self.documents.get(name)
            if raw is None:
                return None, None
            return json.loads(raw), str(self.versions.get(name, 0))

    def create(self, name: str, document: Mapping[str, Any]) -> bool:
        return self.replace(name, document, None)

    def replace(self, name: str, document: Mapping[str, Any], version: str | None) -> bool:
        with self._lock:
            now = str(self.versions.get(name, 0)) if name in self.documents else None
            if now != version:
                return False
            self._write(name, document)
            return True

    def put(self, name: str, document: Mapping[str, Any]) -> None:
        with self._lock:
            self._write(name, document)

    def _write(self, name: str, document: Mapping[str, Any]) -> None:
        self.documents[name] = json.dumps(document)
        self.versions[name] = self.versions.get(name, 0) + 1

    def delete(self, name: str) -> None:
        with self._lock:
            self.documents.pop(name, None)


class DynamoResidents:
    def __init__(self, settings: Settings) -> None:
        self.accounts = DynamoAccounts(settings)

    def find_or_register(self, phone: str) -> tuple[str, str | None]:
        for item in AccountItem.by_phone.query(phone, limit=1):
            return item.account_id, item.display_name
        account = AccountItem(
            account_id=f"AC-{uuid.uuid4().hex[:12].upper()}",
            phone=phone,
            display_name=None,
            ward_code=None,
            created_at=datetime.now(UTC),
        )
        self.accounts.register_many([account])
        return account.account_id, None


class DevIdpStaffDirectory:
    """The local dev IdP's staff directory (its groups are the grants)."""

    def __init__(self, provider: DevIdentityProvider, policy: Policy) -> None:
        self.provider, self.policy = provider, policy

    def accounts(self) -> list[StaffAccount]:
        return [self._account(u) for u in self.provider.staff_pool.listing()]

    def account(self, username: str) -> StaffAccount | None:
        return next((a for a in self.accounts() if a.username == username), None)

    def members(self, group: str) -> list[GroupMember]:
        users = self.provider.staff_pool.listing()
        return [GroupMember(u["username"], u["name"], u["enabled"]) for u in users if group in u["groups"]]

    def replace_groups(self, username: str, add: Iterable[str], remove: Iterable[str]) -> None:
        self.provider.staff_pool.change_groups(username, add, remove)

    def create(self, account: NewStaff, temporary_password: str) -> None:
        pool = self.provider.staff_pool
        pool.create(account.username, account.name, temporary_password, account.email, account.phone)

    def set_enabled(self, username: str, enabled: bool) -> None:
        self.provider.staff_pool.set_enabled(username, enabled)

    def reset_mfa(self, username: str) -> None:
        self.provider.staff_pool.reset_mfa(username)

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        self.provider.staff_pool.set_temporary_password(username, temporary_password)

    def _account(self, user: dict[str, Any]) -> StaffAccount:
        grants = grants_of(user["groups"], self.policy)
        return StaffAccount(
            user["username"], user["name"], grants, user["enabled"], user["must_change_password"]
        )


def _member(user: dict[str, Any]) -> GroupMember:
    names = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
    username = str(user["Username"])
    return GroupMember(username, names.get("name") or username, bool(user.get("Enabled", True)))


class CognitoStaffDirectory:
    """The staff user pool: users and their groups (Cognito's admin API, on one pool).

    Accounts are created with ``MessageAction: SUPPRESS`` and the temporary password the
    service made, which the administrator hands over: Cognito sends no invitation (the pool
    has no SES identity of the city's, and Cognito's own sender is capped at a few dozen
    messages a day from an address staff would not recognise; a password by e-mail would sit
    in a mailbox for days besides)."""

    def __init__(self, client: Any, pool_id: str, policy: Policy) -> None:
        self.client, self.pool_id, self.policy = client, pool_id, policy

    def accounts(self) -> list[StaffAccount]:
        users: list[StaffAccount] = []
        for page in self.client.get_paginator("list_users").paginate(UserPoolId=self.pool_id):
            users += [self._account(u, u.get("Attributes", [])) for u in page["Users"]]
        return users

    def account(self, username: str) -> StaffAccount | None:
        try:
            user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=username)
        except self.client.exceptions.UserNotFoundException:
            return None
        return self._account(user, user.get("UserAttributes", []))

    def members(self, group: str) -> list[GroupMember]:
        """One ListUsersInGroup (paged): no call per account, and no administrator's action."""
        found: list[GroupMember] = []
        pages = self.client.get_paginator("list_users_in_group")
        try:
            for page in pages.paginate(UserPoolId=self.pool_id, GroupName=group):
                found += [_member(user) for user in page["Users"]]
        except self.client.exceptions.ResourceNotFoundException:
            return []  # no such group: nobody is in it
        return found

    def create(self, account: NewStaff, temporary_password: str) -> None:
        attributes = [{"Name": "name", "Value": account.name}]
        if account.email:  # the administrator vouches for it: password recovery goes there
            attributes.append({"Name": "email", "Value": account.email})
            attributes.append({"Name": "email_verified", "Value": "true"})
        if account.phone:
            attributes.append({"Name": "phone_number", "Value": account.phone})
        try:
            self.client.admin_create_user(
                UserPoolId=self.pool_id,
                Username=account.username,
                UserAttributes=attributes,
                TemporaryPassword=temporary_password,
                MessageAction="SUPPRESS",
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "UsernameExistsException":
                raise Conflict(
                    f"Tên đăng nhập '{account.username}' đã có / The username '{account.username}' is taken."
                ) from error
            if code == "AliasExistsException":
                raise Conflict(
                    "Địa chỉ e-mail đã được dùng / Another account has this e-mail address."
                ) from error
            if code == "InvalidParameterException":
                raise ValidationFailed(
                    "Cognito từ chối thông tin tài khoản / The staff pool refused the account's details"
                    " (an e-mail address is required there)."
                ) from error
            raise

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Disabling also signs the account out everywhere, so that its refresh tokens stop
        working; the access tokens it holds are verified offline and last until they expire."""
        if enabled:
            self.client.admin_enable_user(UserPoolId=self.pool_id, Username=username)
            return
        self.client.admin_disable_user(UserPoolId=self.pool_id, Username=username)
        self.client.admin_user_global_sign_out(UserPoolId=self.pool_id, Username=username)

    def reset_mfa(self, username: str) -> None:
        """The pool requires TOTP: with it turned off for the user, the next sign-in is
        Cognito's MFA_SETUP challenge, and verifying a new token replaces the old one."""
        self.client.admin_set_user_mfa_preference(
            UserPoolId=self.pool_id,
            Username=username,
            SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
        )

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        """Not AdminResetUserPassword, which mails or texts a code through Cognito's sender
        (see the class): the password is set as temporary (FORCE_CHANGE_PASSWORD again), and the
        account signed out everywhere, as after disabling."""
        try:
            self.client.admin_set_user_password(
                UserPoolId=self.pool_id, Username=username, Password=temporary_password, Permanent=False
            )
        except self.client.exceptions.UserNotFoundException as error:
            raise NotFound(f"Không có tài khoản '{username}' / No staff account '{username}'.") from error
        self.client.admin_user_global_sign_out(UserPoolId=self.pool_id, Username=username)

    def replace_groups(self, username: str, add: Iterable[str], remove: Iterable[str]) -> None:
        for group in add:
            self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=username, GroupName=group)
        for group in remove:
            self.client.admin_remove_user_from_group(
                UserPoolId=self.pool_id, Username=username, GroupName=group
            )

    def _account(self, user: dict[str, Any], attributes: list[dict[str, str]]) -> StaffAccount:
        username = user["Username"]
        names = {a["Name"]: a["Value"] for a in attributes}
        groups: list[str] = []
        paginator = self.client.get_paginator("admin_list_groups_for_user")
        for page in paginator.paginate(UserPoolId=self.pool_id, Username=username):
            groups += [g["GroupName"] for g in page["Groups"]]
        return StaffAccount(
            username,
            names.get("name") or username,
            grants_of(groups, self.policy),
            enabled=bool(user.get("Enabled", True)),
            must_change_password=user.get("UserStatus") == "FORCE_CHANGE_PASSWORD",
        )
