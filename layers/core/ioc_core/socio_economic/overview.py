"""The socio-economic tile on the leader's overview: indicators off track and at risk against
this year's targets, values waiting for approval, tasks at risk and overdue, and the indicators
that most need attention.

The platform's API reads only projections, so the tile is a snapshot kept in the projections
table: the room's feeds consumer recomputes it from the room's own tables whenever a value,
a target or a task changes (the hourly task monitor's escalations are such changes), and the
demo's seeding writes the first one.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND
from ioc_core.platform.overview import Bilingual, Figure, Ranked, Ranking, Tile

PK, SK = "socio_economic#overview", "tile"
TITLE = Bilingual(vi="Kinh tế – xã hội", en="Socio-economic")


class TileSnapshot(Model):
    """The tile as JSON, in the projections table beside the counter rows."""

    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    document = UnicodeAttribute()


def _snapshots() -> type[TileSnapshot]:
    """The model bound to the projections table (the platform's, so not among the room's
    models: bound here, on first use, as the counter rows are by their projection)."""
    from ioc_core.platform.dynamo import bind
    from ioc_core.platform.wiring import ready

    bind(TileSnapshot, "projections", ready())
    return TileSnapshot


def _figure(key: str, vi: str, en: str, value: int, bad: bool = False, good: bool = False) -> Figure:
    tone = "bad" if bad and value else "good" if good else "neutral"
    return Figure(key=key, label=Bilingual(vi=vi, en=en), value=value, tone=tone)


def compute(board: dict[str, Any], waiting: int, tasks: list[Any]) -> Tile:
    """The tile from the dashboard of the latest month, the approval queue and the task board."""
    counts = board["counts"]
    late = sum(1 for e in tasks if e.assessment.overdue)
    behind = sum(1 for e in tasks if e.assessment.at_risk and not e.assessment.overdue)
    rows = [r for g in board["groups"] for r in g["rows"] if r["traffic"] in ("off_track", "at_risk")]
    rows.sort(key=lambda r: (r["traffic"] != "off_track", r["pct_of_plan"] or 0))
    figures = [
        _figure("off_track", "Chỉ tiêu không đạt", "Indicators off track", counts["off_track"], bad=True),
        _figure("at_risk", "Chỉ tiêu có nguy cơ", "Indicators at risk", counts["at_risk"], bad=True),
        _figure("on_track", "Chỉ tiêu đạt tiến độ", "Indicators on track", counts["on_track"], good=True),
        _figure("awaiting_approval", "Số liệu chờ duyệt", "Values awaiting approval", waiting),
        _figure("tasks_at_risk", "Nhiệm vụ chậm tiến độ", "Tasks at risk", behind, bad=True),
        _figure("tasks_overdue", "Nhiệm vụ quá hạn", "Tasks overdue", late, bad=True),
    ]
    items = [
        Ranked(
            key=r["code"],
            label=Bilingual(vi=r["name"]["vi"], en=r["name"]["en"]),
            value=round(r["pct_of_plan"], 1) if r["pct_of_plan"] is not None else None,
            detail=Bilingual(vi=f"Kế hoạch {r['target']['text']}", en=f"Target {r['target']['text']}")
            if r["target"]
            else None,
        )
        for r in rows[:5]
    ]
    title = Bilingual(vi="Cần chú ý (% kế hoạch năm)", en="Needs attention (% of the year's plan)")
    return Tile(room="socio_economic", title=TITLE, link="indicators", figures=figures,
                ranking=Ranking(title=title, items=items))  # fmt: skip


def refresh() -> Tile:
    """Recompute the tile from the room's tables and store it (the feeds consumer, the seed)."""
    from ioc_core.socio_economic.tasks.wiring import task_service
    from ioc_core.socio_economic.wiring import indicator_service, read_service

    tile = compute(
        read_service().dashboard(None), len(indicator_service().values.pending()), task_service().board()
    )
    _snapshots()(pk=PK, sk=SK, document=tile.model_dump_json()).save()
    return tile


def tile() -> Tile:
    """The stored snapshot (the platform's API reads projections only); zeros before the first."""
    try:
        return Tile.model_validate_json(_snapshots().get(PK, SK).document)
    except TileSnapshot.DoesNotExist:
        return compute(
            {"counts": dict.fromkeys(("on_track", "at_risk", "off_track"), 0), "groups": []}, 0, []
        )
