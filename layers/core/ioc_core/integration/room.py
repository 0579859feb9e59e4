"""Integration with the province's monitoring center, declared once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.integration import directives, permissions
from ioc_core.integration.settings import SECRET_ID_VARIABLE
from ioc_core.platform.resources import HttpApi, Key, Resources, Table
from ioc_core.platform.rooms import Cached, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model

SUBSYSTEM = "integration"


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.integration.adapters.directives import MODELS as DIRECTIVES

    return DIRECTIVES


def _caches() -> Iterable[Cached]:
    from ioc_core.integration import wiring

    return wiring.CACHED


ROOM = Room(
    name=SUBSYSTEM,
    title=Label("Tích hợp với tỉnh", "Provincial integration"),
    resources=Resources(
        tables=(
            # The province's directives, and the deliveries that brought them (duplicates ignored).
            Table("directives", Key("key"), subsystem=SUBSYSTEM),
        ),
        apis=(
            HttpApi(
                name="integration-api",
                source_dir="integration/api",
                routes_prefixes=("/api/v1/integration",),
                layers=("core", "identity"),
                reads=("directives",),
                writes=("directives", "outbox"),
                # The secret shared with the province, which signs its directives with it.
                secrets=(SECRET_ID_VARIABLE,),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    emits=directives.EMITS,
    audit_words=directives.audit_words,
    banner=(("Provincial integration: OpenAPI", "/api/v1/integration/openapi.json"),),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
)
