"""Adapters of the dev IdP: its documents in the local AWS Secrets Manager, and residents in
the accounts table (a first sign-in registers the account and emits ``identity.account.registered``)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ioc_core.identity.accounts import AccountItem, DynamoAccounts
from ioc_core.settings import Settings


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
        try:
            value = self.client.get_secret_value(SecretId=self._id(name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in (
                "ResourceNotFoundException",
                "InvalidRequestException",
            ):
                return None
            raise
        document: dict[str, Any] = json.loads(value["SecretString"])
        return document

    def create(self, name: str, document: Mapping[str, Any]) -> bool:
        try:
            self.client.create_secret(Name=self._id(name), SecretString=json.dumps(document))
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
        self._lock = threading.Lock()

    def load(self, name: str) -> dict[str, Any] | None:
        raw = self.documents.get(name)
        return json.loads(raw) if raw is not None else None

    def create(self, name: str, document: Mapping[str, Any]) -> bool:
        with self._lock:
            if name in self.documents:
                return False
            self.documents[name] = json.dumps(document)
            return True

    def put(self, name: str, document: Mapping[str, Any]) -> None:
        self.documents[name] = json.dumps(document)

    def delete(self, name: str) -> None:
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
