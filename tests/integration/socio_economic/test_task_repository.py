"""The task register's adapters on moto: the repository's contract (PynamoDB, with the outbox
in the same transaction), no scans, and presigned evidence uploads the bucket enforces."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest
import requests

from contracts.task_repository import Outbox, TaskRepositoryContract, register
from ioc_core.platform.dynamo import bind
from ioc_core.platform.outbox import OutboxItem
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.adapters import MODELS, DynamoTaskRepository, S3TaskEvidenceStore
from ioc_core.socio_economic.tasks.models import TaskStatus
from ioc_core.socio_economic.tasks.resources import task_resources

pytestmark = pytest.mark.integration
MB = 1024 * 1024


@pytest.fixture
def task_stack(stack: Settings) -> Settings:
    """The stack with the register's table and bucket (made here while the room does not
    declare them; the clean slate removes what a test adds)."""
    from ioc_core.local.provision import provision

    provision(stack, task_resources())
    for model, logical in MODELS:
        bind(model, logical, stack)
    return stack


@pytest.fixture
def task_repo(task_stack: Settings) -> DynamoTaskRepository:
    return DynamoTaskRepository(task_stack)


@pytest.fixture
def outbox(task_stack: Settings) -> Outbox:
    # The test reads the whole outbox: a handful of items.
    return lambda: [CloudEvent.from_json(item.payload).id for item in OutboxItem.scan()]


class TestDynamoTaskRepository(TaskRepositoryContract):
    pass


def test_the_board_and_the_job_read_indexes_never_a_scan(
    task_repo: DynamoTaskRepository, no_scans: None
) -> None:
    kept = register(task_repo)
    register(task_repo, owner="VHXH")
    assert [t.task_id for t in task_repo.by_status(TaskStatus.OPEN)] == ["NV-2026-0001", "NV-2026-0002"]
    assert task_repo.by_owner("KINHTE", TaskStatus.OPEN) == [kept]
    assert task_repo.next_id(2026) == "NV-2026-0003"


@pytest.fixture
def evidence(task_stack: Settings) -> S3TaskEvidenceStore:
    return S3TaskEvidenceStore(task_stack)


def _post(presigned: dict[str, Any], data: bytes, content_type: str) -> int:
    fields = dict(presigned["fields"])  # type: ignore[arg-type]
    fields["Content-Type"] = content_type
    answer = requests.post(str(presigned["url"]), data=fields, files={"file": ("f", data)}, timeout=10)
    return answer.status_code


def test_an_uploaded_evidence_file_exists_at_its_key(evidence: S3TaskEvidenceStore) -> None:
    key = "tasks/NV-2026-0001/ab12cd34-bien-ban.pdf"
    assert not evidence.exists(key)
    presigned = evidence.presign_upload(key, "application/pdf", 20 * MB)
    assert presigned["max_bytes"] == 20 * MB
    assert _post(presigned, b"%PDF-1.7 bien ban nghiem thu", "application/pdf") in (200, 204)
    assert evidence.exists(key)
    assert evidence.url(key).startswith("http")


def test_the_signed_policy_holds_the_key_type_and_size(evidence: S3TaskEvidenceStore) -> None:
    # moto takes any POST; in AWS S3 refuses one breaking the signed policy, so check the policy.
    key = "tasks/NV-2026-0001/ef56-anh.png"
    fields = evidence.presign_upload(key, "image/png", 20 * MB)["fields"]
    assert isinstance(fields, dict)
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 1, 20 * MB] in conditions
    assert {"key": key} in conditions and {"bucket": evidence.bucket} in conditions


def test_the_evidence_bucket_keeps_every_version(task_stack: Settings) -> None:
    s3 = boto3.client("s3", region_name=task_stack.region, endpoint_url=task_stack.aws_endpoint)
    status = s3.get_bucket_versioning(Bucket=task_stack.name("socio-economic-files")).get("Status")
    assert status == "Enabled"
