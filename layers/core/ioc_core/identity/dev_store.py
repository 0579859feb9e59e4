"""Where the dev IdP keeps its documents (signing key, staff directory, pending codes, attempt
counters, used sessions, refresh token families), and how one is changed atomically.

Counters and single-use marks are read, changed and written back under optimistic locking:
``replace`` writes only over the version that was read, so two sign-in requests in parallel
never both take the same try. ``change`` retries a step that lost the race on what the
document is now, so every step is decided on the latest state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ioc_core.shared.errors import TooManyRequests

# Each lost race means another request wrote: one that lost this often is in a storm.
CHANGE_RETRIES = 40


class DevIdpStore(Protocol):
    """Small JSON documents by name."""

    def load(self, name: str) -> dict[str, Any] | None: ...

    def load_versioned(self, name: str) -> tuple[dict[str, Any] | None, str | None]:
        """The document and its version (None, None when there is none)."""

    def create(self, name: str, document: Mapping[str, Any]) -> bool:
        """Store a new document; False if one exists already."""

    def replace(self, name: str, document: Mapping[str, Any], version: str | None) -> bool:
        """Write ``document`` over ``version`` (None: where there is none yet); False, writing
        nothing, when the document is no longer at that version."""

    def put(self, name: str, document: Mapping[str, Any]) -> None:
        """Write unconditionally (documents that ``change`` never touches)."""

    def delete(self, name: str) -> None: ...


Step = Callable[[dict[str, Any] | None], dict[str, Any]]


def document_name(kind: str, key: str) -> str:
    """A document per phone or username, named without writing the phone or name itself."""
    return f"{kind}-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def change(store: DevIdpStore, name: str, step: Step) -> dict[str, Any]:
    """Apply ``step`` to the document as it is now and write its answer atomically; the
    written document is returned. ``step`` refuses by raising (nothing is written then)."""
    for _ in range(CHANGE_RETRIES):
        current, version = store.load_versioned(name)
        updated = step(current)
        if store.replace(name, updated, version):
            return updated
    raise TooManyRequests(
        "Hệ thống đang bận / Too many sign-in requests at once; try again in a moment.", retry_after=1
    )
