"""S3 as every room uses it: the client (path-style, SigV4, the local AWS's endpoint) and the
presigned POST a phone or a gateway uploads through, which the bucket itself holds to its
content type, size and key."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from ioc_core.settings import Settings


def s3_client(settings: Settings) -> Any:
    return boto3.client(
        "s3",
        region_name=settings.region,
        endpoint_url=settings.aws_endpoint,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )


def presigned_upload(
    client: Any, bucket: str, key: str, content_type: str, max_bytes: int, ttl_seconds: int
) -> dict[str, object]:
    post = client.generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=ttl_seconds,
    )
    return {"url": post["url"], "fields": post["fields"], "expires_in": ttl_seconds, "max_bytes": max_bytes}
