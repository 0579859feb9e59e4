"""Socio-economic reporting: the city's development indicators with owners and approval,
targets, year-end forecasts, the task register and the meeting pack."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.platform.resources import HttpApi, Index, Key, Resources, StreamConsumer, Table
from ioc_core.platform.rooms import Cached, Label, Room
from ioc_core.socio_economic import events, feeds, permissions
from ioc_core.socio_economic.tasks import directives as task_directives
from ioc_core.socio_economic.tasks import events as task_events
from ioc_core.socio_economic.tasks.resources import task_resources

if TYPE_CHECKING:
    from pynamodb.models import Model

    from ioc_core.platform.overview import Tile
    from ioc_core.platform.rooms import Progress
    from ioc_core.settings import Settings

SUBSYSTEM = "socio_economic"
FEEDS = "socio-economic-feeds"
PACKS = "socio-economic-packs"
DIRECTIVES = "socio-economic-directives"


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.socio_economic.adapters.dynamo import IndicatorTargetItem, IndicatorValueItem
    from ioc_core.socio_economic.adapters.packs import PackItem
    from ioc_core.socio_economic.tasks.adapters import MODELS as TASK_MODELS

    return (
        (IndicatorValueItem, "indicator_values"),
        (IndicatorTargetItem, "indicator_targets"),
        (PackItem, "meeting_packs"),
        *TASK_MODELS,
    )


def _caches() -> Iterable[Cached]:
    from ioc_core.socio_economic import wiring
    from ioc_core.socio_economic.tasks import wiring as task_wiring

    return (*wiring.CACHED, *task_wiring.CACHED)


def _units() -> Iterable[tuple[str, Label]]:
    from ioc_core.socio_economic.catalogue import default_catalogue

    return [(u.code, Label(u.name.vi, u.name.en)) for u in default_catalogue().units]


def _seed(settings: Settings, progress: Progress) -> bool:
    from ioc_core.socio_economic.demo import load

    return load(settings, progress)


def _tile() -> Tile:
    from ioc_core.socio_economic.overview import tile

    return tile()


ROOM = Room(
    name=SUBSYSTEM,
    title=Label("Báo cáo kinh tế – xã hội", "Socio-economic reporting"),
    resources=task_resources()
    + Resources(
        tables=(
            # One item per series (indicator and breakdown) and period: the approved entry, the
            # entry waiting for approval, the revisions.
            Table(
                "indicator_values",
                Key("series"),
                sort=Key("period"),
                indexes=(
                    Index("by_period", Key("period"), Key("series")),
                    Index("pending", Key("waiting"), Key("entered_at")),
                ),
                subsystem=SUBSYSTEM,
            ),
            Table(
                "indicator_targets",
                Key("indicator"),
                sort=Key("period"),
                indexes=(Index("by_year", Key("year"), Key("indicator")),),
                subsystem=SUBSYSTEM,
            ),
            # Meeting packs: the job's state, the files' keys and their content hash (frozen).
            Table(
                "meeting_packs",
                Key("pack_id"),
                indexes=(Index("by_requested", Key("kind"), Key("requested_at")),),
                subsystem=SUBSYSTEM,
            ),
        ),
        consumers=(
            # Field Reporting's figures arrive as its events, never by reading its tables; the
            # room's own changes (values, targets, tasks) refresh its overview tile.
            StreamConsumer(
                function=FEEDS,
                handler="socio_economic.feeds.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=(*feeds.TAKES, *feeds.REFRESHED_BY),
                reads=("indicator_values", "indicator_targets", "se_tasks", "projections"),
                writes=("indicator_values", "projections"),
                fan_out=True,
            ),
            # The meeting pack's background job: a request event in, two frozen files out.
            StreamConsumer(
                function=PACKS,
                handler="socio_economic.packs.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=(events.PACK_REQUESTED,),
                layers=("core", "analytics", "documents"),
                reads=("indicator_values", "indicator_targets", "meeting_packs", "se_tasks"),
                writes=("meeting_packs", "socio-economic-files", "outbox"),
                batch_size=10,
                fan_out=True,
            ),
            # The province's directives, told by the integration room, become tasks (once each).
            StreamConsumer(
                function=DIRECTIVES,
                handler="socio_economic.directives.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=task_directives.TAKES,
                reads=("se_tasks",),
                writes=("se_tasks", "outbox"),
                batch_size=10,
                fan_out=True,
            ),
        ),
        apis=(
            HttpApi(
                name="socio-economic-api",
                source_dir="socio_economic/api",
                routes_prefixes=("/api/v1/socio-economic",),
                layers=("core", "identity", "analytics"),
                reads=(
                    "indicator_values",
                    "indicator_targets",
                    "meeting_packs",
                    "socio-economic-files",
                    "se_tasks",
                ),
                writes=(
                    "indicator_values",
                    "indicator_targets",
                    "meeting_packs",
                    "outbox",
                    "socio-economic-files",
                ),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    emits=(*events.EMITS, *task_events.EMITS),
    audit_words=lambda: {**events.audit_words(), **task_events.audit_words()},
    seed=_seed,
    banner=(("Socio-economic indicators (staff)", "/api/v1/socio-economic/catalogue"),),
    console=("socio_economic",),
    overview=_tile,
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
    units=_units,
)
