"""The one list of rooms. Adding a subsystem is its folder plus one line here.

Everything else is derived: the resource definitions (``RESOURCES``, read by the local
runtime and the CDK app), model binding, the tests' resets, the demo data, the ``make dev``
banner and services, the local gateway and the console's modules.
"""

from __future__ import annotations

from ioc_core.cameras.room import ROOM as CAMERAS
from ioc_core.field_reporting.room import ROOM as FIELD_REPORTING
from ioc_core.identity.room import ROOM as IDENTITY
from ioc_core.integration.room import ROOM as INTEGRATION
from ioc_core.platform.resources import Resources
from ioc_core.platform.room import ROOM as PLATFORM
from ioc_core.platform.rooms import Room, check_consumers, resources_of
from ioc_core.socio_economic.room import ROOM as SOCIO_ECONOMIC

ROOMS: tuple[Room, ...] = (
    PLATFORM,
    IDENTITY,
    FIELD_REPORTING,
    CAMERAS,
    SOCIO_ECONOMIC,
    INTEGRATION,
)

check_consumers(ROOMS)
RESOURCES: Resources = resources_of(ROOMS)


def room(name: str) -> Room:
    for candidate in ROOMS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no room {name!r}; rooms: {', '.join(r.name for r in ROOMS)}")
