"""Field Reporting's tile on the leader's overview: what came in and was fixed, today and this
month, what is past due now, how satisfied residents are, and the wards that need attention.
Read from the statistics projection (the counter rows its consumer keeps), never a scan."""

from __future__ import annotations

from datetime import datetime

from ioc_core.platform.overview import Bilingual, Figure, Ranked, Ranking, Tile, share
from ioc_core.shared.clock import VN_TZ

WORST_WARDS = 5


def tile(now: datetime | None = None) -> Tile:
    from ioc_core.admin_units.registry import default_registry
    from ioc_core.field_reporting.stats import PK, figures
    from ioc_core.field_reporting.wiring import stats_projection

    now = (now or datetime.now(VN_TZ)).astimezone(VN_TZ)
    wards = default_registry().active_on(now.date())
    month, day = f"month#{now:%Y-%m}", f"day#{now.date().isoformat()}"
    rows = stats_projection().read_many(PK, ["all", month, day, *(f"ward#{w.code}" for w in wards)])
    city = figures(rows["all"])
    overdue = rows["all"].get("overdue", 0)

    def satisfaction(row: dict[str, int]) -> float | None:
        return share(row.get("positive_ratings", 0), row.get("ratings", 0))

    def count(key: str, vi: str, en: str, value: int, tone: str = "neutral") -> Figure:
        return Figure(key=key, label=Bilingual(vi=vi, en=en), value=value, tone=tone)

    def rate(key: str, vi: str, en: str, value: float | None) -> Figure:
        return Figure(key=key, label=Bilingual(vi=vi, en=en), value=value, unit="%")

    ranked = []
    for ward in wards:
        row = rows[f"ward#{ward.code}"]
        ward_figures = figures(row)
        ranked.append(
            (
                -row.get("overdue", 0),
                share(ward_figures["resolved"], ward_figures["total"]) or 100.0,
                Ranked(
                    key=ward.code,
                    label=Bilingual(vi=ward.name.vi, en=ward.name.en),
                    value=row.get("overdue", 0),
                    detail=Bilingual(
                        vi=f"{ward_figures['in_progress']} đang xử lý, "
                        f"{share(ward_figures['resolved'], ward_figures['total']) or 0:.1f}% đã giải quyết",
                        en=f"{ward_figures['in_progress']} open, "
                        f"{share(ward_figures['resolved'], ward_figures['total']) or 0:.1f}% resolved",
                    ),
                ),
            )
        )
    ranked.sort(key=lambda item: (item[0], item[1], item[2].key))
    return Tile(
        room="field_reporting",
        title=Bilingual(vi="Phản ánh hiện trường", en="Field Reporting"),
        link="reports",
        figures=[
            count("received", "Đã tiếp nhận", "Received", city["total"]),
            count("resolved", "Đã giải quyết", "Resolved", city["resolved"], "good"),
            count("in_progress", "Đang xử lý", "In progress", city["in_progress"]),
            count("overdue", "Quá hạn", "Overdue", overdue, "bad" if overdue else "neutral"),
            count("received_today", "Tiếp nhận hôm nay", "Received today", rows[day].get("submitted", 0)),
            count("resolved_today", "Giải quyết hôm nay", "Resolved today", rows[day].get("resolved", 0)),
            rate("satisfaction_today", "Hài lòng hôm nay", "Satisfied today", satisfaction(rows[day])),
            rate(
                "satisfaction_month", "Hài lòng tháng này", "Satisfied this month", satisfaction(rows[month])
            ),
            rate("satisfaction", "Hài lòng (tất cả)", "Satisfied (all time)", satisfaction(rows["all"])),
        ],
        ranking=Ranking(
            title=Bilingual(vi="Phường cần chú ý (quá hạn)", en="Wards needing attention (overdue)"),
            items=[item for _, _, item in ranked[:WORST_WARDS]],
        ),
    )
