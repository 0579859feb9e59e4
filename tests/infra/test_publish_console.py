"""Publishing the web apps to the console bucket.

An in-memory S3 stands in: moto's in-process mock would reset the backends the session's moto
server shares with the other tests of this worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from infra.config import MapStage, load_stage
from infra.publish import IMMUTABLE, REVALIDATE, map_document, publish, publish_map, static_sites

pytestmark = pytest.mark.infra


class FakeS3:
    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}

    def put_object(self, Bucket: str, Key: str, Body: bytes, **meta: Any) -> None:
        self.objects[Key] = {"Body": Body, **meta}

    def delete_objects(self, Bucket: str, Delete: dict[str, Any]) -> None:
        for item in Delete["Objects"]:
            self.objects.pop(item["Key"])

    def get_paginator(self, name: str) -> FakeS3:
        assert name == "list_objects_v2"
        return self

    def paginate(self, Bucket: str, Prefix: str) -> Iterator[dict[str, Any]]:
        yield {"Contents": [{"Key": k} for k in sorted(self.objects) if k.startswith(Prefix)]}


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_each_site_lands_under_its_prefix_with_cache_rules_and_stale_files_go(tmp_path: Path) -> None:
    s3 = FakeS3()
    s3.put_object(Bucket="console", Key="console/assets/app-0.js", Body=b"old build")
    s3.put_object(Bucket="console", Key="app/index.html", Body=b"the other site")
    console = _site(tmp_path / "console", {"index.html": "<html>", "assets/app-1.js": "1"})
    assert publish(s3, "console", {"/console/": console}) == {"/console/": 2}
    assert set(s3.objects) == {"console/index.html", "console/assets/app-1.js", "app/index.html"}
    html = s3.objects["console/index.html"]
    assert (html["ContentType"], html["CacheControl"]) == ("text/html", REVALIDATE)
    script = s3.objects["console/assets/app-1.js"]
    assert script["CacheControl"] == IMMUTABLE
    assert "javascript" in script["ContentType"]


def test_a_site_that_was_not_built_stops_the_publish(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make frontend"):
        publish(FakeS3(), "console", {"/app/": tmp_path / "missing"})


def test_the_sites_are_the_ones_the_local_gateway_serves() -> None:
    assert static_sites() == {"/console/": "console", "/app/": "resident"}


def test_the_service_worker_and_the_manifest_are_revalidated(tmp_path: Path) -> None:
    """Under fixed names, unlike the hashed assets: a year in a cache would pin an old build."""
    s3 = FakeS3()
    files = {"index.html": "<html>", "sw.js": "//", "manifest.webmanifest": "{}", "icon-192.png": "p"}
    publish(s3, "console", {"/app/": _site(tmp_path / "app", files)})
    assert s3.objects["app/sw.js"]["CacheControl"] == REVALIDATE
    manifest = s3.objects["app/manifest.webmanifest"]
    assert (manifest["ContentType"], manifest["CacheControl"]) == ("application/manifest+json", REVALIDATE)
    assert s3.objects["app/icon-192.png"]["CacheControl"] == IMMUTABLE


class FakeLocation:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def describe_key(self, KeyName: str) -> dict[str, Any]:
        self.asked.append(KeyName)
        return {"Key": "v1.public.made-by-the-stack", "KeyName": KeyName}


OUTPUTS = {
    "MapStyleUrl": "https://maps.geo.ap-southeast-1.amazonaws.com/maps/v0/maps/ioc-dev-1-basemap/style-descriptor",
    "MapKeyName": "ioc-dev-1-basemap-key",
}


def test_the_map_config_carries_the_key_the_stack_made_for_its_map() -> None:
    """Issue 11: the key is read at publish time, so it is never in the repo or a template."""
    location = FakeLocation()
    document = map_document(load_stage("dev").map, OUTPUTS, location, key=None)
    assert location.asked == ["ioc-dev-1-basemap-key"]
    assert document.kind == "style"
    assert document.style_url == f"{OUTPUTS['MapStyleUrl']}?key=v1.public.made-by-the-stack"
    s3 = FakeS3()
    assert publish_map(s3, "console", document) == "map/config.json"
    published = s3.objects["map/config.json"]
    assert (published["ContentType"], published["CacheControl"]) == ("application/json", REVALIDATE)
    assert json.loads(published["Body"])["style_url"] == document.style_url


def test_a_stage_without_amazon_location_publishes_its_own_source_or_the_wards() -> None:
    pmtiles = MapStage(provider="pmtiles", pmtiles_url="https://cdn.example.org/phan-thiet.pmtiles")
    document = map_document(pmtiles, {}, location=None, key=None)
    assert (document.kind, document.pmtiles_url) == ("pmtiles", "https://cdn.example.org/phan-thiet.pmtiles")
    style = MapStage(provider="style", style_url="https://tiles.example.org/styles/streets.json")
    assert (
        map_document(style, {}, None, key="k1").style_url
        == "https://tiles.example.org/styles/streets.json?key=k1"
    )
    assert map_document(MapStage(), {}, None, key="k1").model_dump(exclude_none=True) == {"kind": "wards"}


def test_a_style_stage_needs_its_url() -> None:
    with pytest.raises(ValidationError, match="style_url"):
        MapStage(provider="style")
