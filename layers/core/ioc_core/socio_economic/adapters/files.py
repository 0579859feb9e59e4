"""The room's S3 bucket: meeting packs (and the task register's evidence) by key."""

from __future__ import annotations

from typing import Any

from ioc_core.platform.s3 import s3_client
from ioc_core.settings import Settings

BUCKET = "socio-economic-files"


class S3Files:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.bucket = settings.name(BUCKET)
        self.client = client or s3_client(settings)

    def put(self, key: str, data: bytes, content_type: str, sha256: str | None = None) -> None:
        extra = {"Metadata": {"sha256": sha256}} if sha256 else {}
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, **extra)

    def get(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

    def url(self, key: str, expires: int = 900) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return url
