"""S3 adapters: camera snapshots (presigned uploads, reads by version, quarantine) and evidence."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ioc_core.cameras.models import QUARANTINE_PREFIX
from ioc_core.cameras.ports import StoredSnapshot
from ioc_core.platform.s3 import presigned_upload, s3_client
from ioc_core.settings import Settings

UPLOAD_TTL_SECONDS = 600
MISSING = ("NoSuchKey", "NoSuchVersion", "404", "InvalidArgument")


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in MISSING


class S3SnapshotStore:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.bucket = settings.name("camera-snapshots")
        self.client = client or s3_client(settings)

    def get(self, key: str, version_id: str | None) -> StoredSnapshot | None:
        extra = {"VersionId": version_id} if version_id else {}
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=key, **extra)
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return StoredSnapshot(
            data=obj["Body"].read(), version_id=obj.get("VersionId"), last_modified=obj["LastModified"]
        )

    def quarantine(self, key: str, version_id: str | None, reason: str, detail: str) -> str:
        target = f"{QUARANTINE_PREFIX}{reason}/{key}"
        source: dict[str, str] = {"Bucket": self.bucket, "Key": key}
        if version_id:
            source["VersionId"] = version_id
        try:
            self.client.copy_object(
                Bucket=self.bucket,
                Key=target,
                CopySource=source,
                MetadataDirective="REPLACE",
                Metadata={
                    "reason": reason,
                    "detail": detail[:200].encode("ascii", "replace").decode(),
                    "source-key": key,
                },
                ContentType="application/octet-stream",
            )
        except ClientError as error:
            if not _missing(error):
                raise  # gone already (moved by an earlier attempt): nothing left to keep
        return target

    def remove(self, key: str, version_id: str | None) -> None:
        extra = {"VersionId": version_id} if version_id else {}
        self.client.delete_object(Bucket=self.bucket, Key=key, **extra)

    def presign_upload(self, key: str, max_bytes: int) -> dict[str, object]:
        return presigned_upload(self.client, self.bucket, key, "image/jpeg", max_bytes, UPLOAD_TTL_SECONDS)


class S3EvidenceStore:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.bucket = settings.name("camera-evidence")
        self.client = client or s3_client(settings)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes | None:
        try:
            return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except ClientError as error:
            if _missing(error):
                return None
            raise

    def copy_in(self, bucket: str, key: str, version_id: str | None, target: str) -> bool:
        source: dict[str, str] = {"Bucket": bucket, "Key": key}
        if version_id:
            source["VersionId"] = version_id
        try:
            self.client.copy_object(Bucket=self.bucket, Key=target, CopySource=source)
        except ClientError as error:
            if _missing(error):
                return False
            raise
        return True

    def url(self, key: str, expires: int = 300) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return url
