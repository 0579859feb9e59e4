"""What the task register needs from AWS; the room adds it to its own resources."""

from __future__ import annotations

from ioc_core.platform.resources import Bucket, Index, Key, Resources, Schedule, Table

TABLE = "se_tasks"
BUCKET = "socio-economic-files"
MONITOR = "socio-economic-task-monitor"


def task_resources() -> Resources:
    return Resources(
        tables=(
            # One item per task (its progress history on it), by status and by owner unit,
            # each sorted by deadline; each year's numbering is an item of its own.
            Table(
                TABLE,
                Key("task_id"),
                indexes=(
                    Index("by_status", Key("status"), Key("deadline")),
                    Index("by_owner", Key("owner_unit"), Key("deadline")),
                ),
                subsystem="socio_economic",
            ),
        ),
        # Evidence of task progress under tasks/<task_id>/ (and the room's other files):
        # every version kept, an overwritten report's scan must survive.
        buckets=(Bucket(BUCKET, subsystem="socio_economic", versioned=True),),
        schedules=(
            # Overdue and newly at-risk tasks, each escalated once.
            Schedule(
                function=MONITOR,
                handler="socio_economic.task_monitor.handler.handler",
                expression="rate(1 hour)",
                reads=(TABLE,),
                writes=(TABLE, "outbox"),
            ),
        ),
    )
