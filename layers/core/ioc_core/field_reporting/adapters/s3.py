"""S3 adapter of the photo store: presigned POST uploads straight from the phone."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ioc_core.field_reporting.ports import StoredObject
from ioc_core.platform.s3 import presigned_upload, s3_client
from ioc_core.settings import Settings

UPLOAD_TTL_SECONDS = 900


class S3PhotoStore:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.bucket = settings.name("media")
        self.client = client or s3_client(settings)

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        return presigned_upload(self.client, self.bucket, key, content_type, max_bytes, UPLOAD_TTL_SECONDS)

    def stat(self, key: str) -> StoredObject | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=key, Range="bytes=0-31")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "InvalidRange"):
                return None
            raise
        head = obj["Body"].read()
        total = obj.get("ContentRange", "").rpartition("/")[2]
        size = int(total) if total.isdigit() else int(obj.get("ContentLength", len(head)))
        return StoredObject(key=key, size=size, content_type=obj.get("ContentType", ""), head=head)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        data: bytes = obj["Body"].read()
        return data

    def public_url(self, key: str) -> str:
        return f"{self.settings.public_base_url}/api/v1/photos/{key.rpartition('/')[2]}"

    def download_url(self, key: str, expires: int = 300) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return url
