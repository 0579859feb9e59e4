"""A frozen pack: the workbook and the PDF with a manifest of hashes, so the meeting sees the
same numbers later whatever is revised after, and anyone can check that it does.

The content hash is the SHA-256 of the content's canonical JSON (keys sorted, NFC, no spaces,
dates as ISO 8601); the builders are deterministic, so the same content gives the same hash and
the same bytes, in any process. ``verify`` re-hashes the files against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict

from ioc_core.platform.exports import MEDIA_TYPES
from ioc_core.socio_economic.pack.document import build_pdf
from ioc_core.socio_economic.pack.model import PackContent
from ioc_core.socio_economic.pack.workbook import build_workbook

MANIFEST_VERSION = 1
PDF_MEDIA_TYPE = "application/pdf"


class FileEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: str
    size: int
    media_type: str


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = MANIFEST_VERSION
    period: str
    cutoff: date
    issued: date
    content_sha256: str
    files: dict[str, FileEntry]

    def to_json(self) -> bytes:
        """The manifest as stored beside the files: canonical too, so it hashes the same."""
        return canonical_json(self.model_dump(mode="json"))


@dataclass(frozen=True)
class FrozenPack:
    manifest: Manifest
    files: dict[str, bytes] = field(repr=False)

    @property
    def pack_id(self) -> str:
        """Short enough for a link, long enough never to collide within a city's packs."""
        return self.manifest.content_sha256[:16]


def canonical_json(data: object) -> bytes:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return unicodedata.normalize("NFC", text).encode("utf-8")


def content_hash(content: PackContent) -> str:
    return hashlib.sha256(canonical_json(content.model_dump(mode="json"))).hexdigest()


def file_names(period: str) -> tuple[str, str]:
    """ "bao-cao-kt-xh-2026-10.xlsx" and ".pdf": ASCII names every mail client and OS keeps."""
    stem = f"bao-cao-kt-xh-{period}"
    return f"{stem}.xlsx", f"{stem}.pdf"


def freeze(content: PackContent) -> FrozenPack:
    xlsx_name, pdf_name = file_names(content.period)
    files = {xlsx_name: build_workbook(content), pdf_name: build_pdf(content)}
    types = {xlsx_name: MEDIA_TYPES["xlsx"], pdf_name: PDF_MEDIA_TYPE}
    manifest = Manifest(
        period=content.period,
        cutoff=content.cutoff,
        issued=content.issued,
        content_sha256=content_hash(content),
        files={name: _entry(data, types[name]) for name, data in files.items()},
    )
    return FrozenPack(manifest=manifest, files=files)


def verify(frozen: FrozenPack) -> list[str]:
    """What does not match the manifest, one line per file (empty when the pack is intact)."""
    problems = []
    listed, present = set(frozen.manifest.files), set(frozen.files)
    problems += [f"{name}: missing" for name in sorted(listed - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - listed)]
    for name in sorted(listed & present):
        entry, data = frozen.manifest.files[name], frozen.files[name]
        if len(data) != entry.size:
            problems.append(f"{name}: {len(data)} bytes, the manifest says {entry.size}")
        elif hashlib.sha256(data).hexdigest() != entry.sha256:
            problems.append(f"{name}: its SHA-256 differs from the manifest's")
    return problems


def _entry(data: bytes, media_type: str) -> FileEntry:
    return FileEntry(sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type)
