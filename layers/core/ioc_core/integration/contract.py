"""The published event contract, as the routes serve it: the catalogue's listing, one schema,
the AsyncAPI document; each a JSON body with its strong ETag, built once per cold start."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ioc_core.integration import asyncapi
from ioc_core.integration.catalogue import Catalogue, EventType, catalogue
from ioc_core.platform.api.routes import PREFIX
from ioc_core.shared.errors import NotFound

SCHEMAS_PATH = f"{PREFIX}/integration/schemas"
# A published contract changes seldom and only by additions within a major version: caches may
# keep it an hour and serve it stale for a day while they revalidate by ETag.
CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"


@dataclass(frozen=True)
class Document:
    body: str
    etag: str  # quoted, strong

    @classmethod
    def of(cls, content: Any) -> Document:
        body = json.dumps(content, ensure_ascii=False, sort_keys=True)
        return cls(body, '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"')

    def fresh_for(self, if_none_match: str | None) -> bool:
        """The caller's copy is this one (``If-None-Match``): a 304 will do."""
        if not if_none_match:
            return False
        sent = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in sent or self.etag in sent


def _entry(kind: EventType) -> dict[str, Any]:
    return {
        "type": kind.short,
        "cloudevents_type": kind.type,
        "room": kind.room,
        "title": kind.title,
        "description": {"vi": kind.description.vi, "en": kind.description.en},
        "versions": [
            {
                "version": v.name,
                "status": v.status,
                "deprecation_date": v.deprecation_date.isoformat() if v.deprecation_date else None,
                "dataschema": v.schema["$id"],
                "href": f"{SCHEMAS_PATH}/{kind.short}/{v.name}",
            }
            for v in kind.versions
        ],
    }


def listing(found: Catalogue) -> dict[str, Any]:
    return {
        "types": [_entry(kind) for kind in found.types],
        "asyncapi": f"{PREFIX}/integration/asyncapi.json",
    }


@lru_cache(maxsize=1)
def listing_document() -> Document:
    return Document.of(listing(catalogue()))


@lru_cache(maxsize=1)
def asyncapi_document() -> Document:
    return Document.of(asyncapi.build(catalogue()))


@lru_cache(maxsize=256)
def schema_document(short: str, version: str) -> Document:
    kind = catalogue().get(short)
    if kind is None:
        raise NotFound(f"Không có loại sự kiện {short} / No event type {short}: see {SCHEMAS_PATH}.")
    found = kind.version(version)
    if found is None:
        names = ", ".join(v.name for v in kind.versions)
        raise NotFound(
            f"{short} không có phiên bản {version} / {short} has no version {version} (it has {names})."
        )
    return Document.of(found.schema)
