"""Publish the built web apps to the console bucket: ``python -m infra.publish --stage dev``.

``make deploy`` runs it after ``cdk deploy``. Each static site the local gateway serves
(``/console/``, ``/app/``) is uploaded from frontend/<site>/dist under the same prefix; hashed
assets are cached for a year, HTML never; files the new build no longer has are deleted (the
bucket is versioned, so a bad publish rolls back); CloudFront is told to drop its copies.
"""

from __future__ import annotations

import argparse
import mimetypes
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from infra.config import MapStage, load_stage
from infra.layers import ROOT
from ioc_core.platform.map_style import CONFIG_PATH, BrowserMap, MapSettings, browser_map

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


def map_document(
    stage_map: MapStage, outputs: Mapping[str, str], location: Any, key: str | None
) -> BrowserMap:
    """The stage's /map/config.json: Amazon Location's style with the key the stack made, or the
    stage's style (``key``: IOC_MAP_API_KEY, never in the repo) or PMTiles URL, or the wards alone."""
    attribution = stage_map.attribution
    if stage_map.provider == "amazon_location":
        made = location.describe_key(KeyName=outputs["MapKeyName"])["Key"]
        return browser_map(
            MapSettings(style_url=outputs["MapStyleUrl"], api_key=made, attribution=attribution)
        )
    if stage_map.provider == "style":
        return browser_map(
            MapSettings(style_url=str(stage_map.style_url), api_key=key, attribution=attribution)
        )
    if stage_map.provider == "pmtiles":
        url = str(stage_map.pmtiles_url)
        settings = MapSettings(pmtiles=url, glyphs_url=stage_map.glyphs_url, attribution=attribution)
        return browser_map(settings, pmtiles_url=url)
    return browser_map(MapSettings())


def publish_map(s3: Any, bucket: str, document: BrowserMap) -> str:
    """Upload the maps' config beside the apps (revalidated: a new key or style applies at once)."""
    key = CONFIG_PATH.lstrip("/")
    body = document.model_dump_json(exclude_none=True).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json", CacheControl=REVALIDATE)
    return key


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
    document = map_document(stage.map, outputs, session.client("location"), os.environ.get("IOC_MAP_API_KEY"))
    publish_map(session.client("s3"), outputs["ConsoleBucketName"], document)
    paths = [f"{prefix}*" for prefix in sites] + [CONFIG_PATH]
    session.client("cloudfront").create_invalidation(
        DistributionId=outputs["DistributionId"],
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"publish-{time.time_ns()}",
        },
    )
    for prefix, count in counts.items():
        print(f"{outputs['ConsoleUrl']}{prefix}: {count} files")
    print(f"{outputs['ConsoleUrl']}{CONFIG_PATH}: the {document.kind} map")


if __name__ == "__main__":
    main()
