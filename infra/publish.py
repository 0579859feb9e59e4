"""Publish the built web apps to the console bucket: ``python -m infra.publish --stage dev``.

``make deploy`` runs it after ``cdk deploy``. Each static site the local gateway serves
(``/console/``, ``/app/``) is uploaded from frontend/<site>/dist under the same prefix; hashed
assets are cached for a year, HTML never; files the new build no longer has are deleted (the
bucket is versioned, so a bad publish rolls back); CloudFront is told to drop its copies.
"""

from __future__ import annotations

import argparse
import mimetypes
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from infra.config import load_stage
from infra.layers import ROOT

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Files under a fixed name: a new build must reach the browser (the service worker names the
# build's files and its cache; the manifest is read when the app is installed).
UNHASHED = {"sw.js", "manifest.webmanifest"}


def static_sites() -> dict[str, str]:
    """URL prefix → frontend app, the mapping the local gateway serves."""
    from ioc_core.local.gateway import STATIC_SITES

    return dict(STATIC_SITES)


def _content_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def publish(s3: Any, bucket: str, sites: Mapping[str, Path]) -> dict[str, int]:
    """Upload each site's files under its prefix (``/console/`` → ``console/``); counts per prefix."""
    counts = {}
    for prefix, folder in sites.items():
        key_prefix = prefix.strip("/") + "/"
        if not (folder / "index.html").is_file():
            raise SystemExit(f"{folder} has no index.html: build the web apps first (make frontend)")
        uploaded = set()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = key_prefix + path.relative_to(folder).as_posix()
            cache = REVALIDATE if path.suffix == ".html" or path.name in UNHASHED else IMMUTABLE
            s3.put_object(
                Bucket=bucket,
                Key=key,
                Body=path.read_bytes(),
                ContentType=_content_type(path),
                CacheControl=cache,
            )
            uploaded.add(key)
        stale = [
            obj["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key_prefix)
            for obj in page.get("Contents", [])
            if obj["Key"] not in uploaded
        ]
        for start in range(0, len(stale), 1000):
            s3.delete_objects(
                Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start : start + 1000]]}
            )
        counts[prefix] = len(uploaded)
    return counts


def _outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    (described,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def main(argv: list[str] | None = None) -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    options = parser.parse_args(argv)
    stage = load_stage(options.stage)
    session = boto3.Session(region_name=stage.region)
    outputs = _outputs(session.client("cloudformation"), f"ioc-{stage.name}-console")
    sites = {prefix: ROOT / "frontend" / app / "dist" for prefix, app in static_sites().items()}
    counts = publish(session.client("s3"), outputs["ConsoleBucketName"], sites)
    session.client("cloudfront").create_invalidation(
        DistributionId=outputs["DistributionId"],
        InvalidationBatch={
            "Paths": {"Quantity": len(sites), "Items": [f"{prefix}*" for prefix in sites]},
            "CallerReference": f"publish-{time.time_ns()}",
        },
    )
    for prefix, count in counts.items():
        print(f"{outputs['ConsoleUrl']}{prefix}: {count} files")


if __name__ == "__main__":
    main()
