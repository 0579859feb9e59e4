"""Demo data: each room's, loaded once into a stack.

A room declares its demo data (``Room.seed``); this loads every room's in the order of
``ROOMS`` and marks each room done, so a second run finds the markers and loads nothing twice.
Field Reporting's two years of reports reproduce the city's published figures
(``field_reporting/demo.py``).
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ioc_core.platform import audit_context
from ioc_core.platform.dynamo import UNBOUND, bind
from ioc_core.platform.rooms import Progress, Room
from ioc_core.settings import Settings

SEED_VERSION = "demo-v1"


class SeedMarker(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def _marker(room: Room) -> str:
    return f"{room.name}#{SEED_VERSION}"


def is_seeded(settings: Settings, room: Room) -> bool:
    bind(SeedMarker, "projections", settings)
    try:
        SeedMarker.get("seed", _marker(room), consistent_read=True)
        return True
    except SeedMarker.DoesNotExist:
        return False


def seed(settings: Settings, progress: Progress = print, rooms: tuple[Room, ...] | None = None) -> bool:
    """Load every room's demo data that is not there yet; True when something was loaded."""
    from ioc_core.rooms import ROOMS

    loaded = False
    for room in ROOMS if rooms is None else rooms:
        if room.seed is None:
            continue
        if is_seeded(settings, room):
            progress(f"{room.name}: demo data already loaded")
            continue
        progress(f"{room.name}: loading demo data")
        with audit_context.acting(audit_context.system(f"demo-seed-{room.name}")):  # the audit log's actor
            room.seed(settings, progress)
        SeedMarker(pk="seed", sk=_marker(room)).save()
        loaded = True
    return loaded
