"""The socio-economic tile on the leader's overview: indicators off track and at risk against
this year's targets, values waiting for approval, and the worst-placed indicators (the
dashboard's own figures: the room's tables, read by key, never another room's)."""

from __future__ import annotations

from ioc_core.platform.overview import Bilingual, Figure, Ranked, Ranking, Tile


def tile() -> Tile:
    from ioc_core.socio_economic.wiring import indicator_service, read_service

    board = read_service().dashboard(None)
    counts = board["counts"]
    waiting = len(indicator_service().values.pending())
    rows = [r for g in board["groups"] for r in g["rows"] if r["traffic"] in ("off_track", "at_risk")]
    rows.sort(key=lambda r: (r["traffic"] != "off_track", r["pct_of_plan"] or 0))
    figures = [
        Figure(
            key="off_track",
            label=Bilingual(vi="Chỉ tiêu không đạt", en="Indicators off track"),
            value=counts["off_track"],
            tone="bad" if counts["off_track"] else "neutral",
        ),
        Figure(
            key="at_risk",
            label=Bilingual(vi="Chỉ tiêu có nguy cơ", en="Indicators at risk"),
            value=counts["at_risk"],
            tone="bad" if counts["at_risk"] else "neutral",
        ),
        Figure(
            key="on_track",
            label=Bilingual(vi="Chỉ tiêu đạt tiến độ", en="Indicators on track"),
            value=counts["on_track"],
            tone="good",
        ),
        Figure(
            key="awaiting_approval",
            label=Bilingual(vi="Số liệu chờ duyệt", en="Values awaiting approval"),
            value=waiting,
        ),
    ]
    ranking = Ranking(
        title=Bilingual(
            vi="Cần chú ý (dự báo cuối năm so với kế hoạch)", en="Needs attention (year-end forecast vs plan)"
        ),
        items=[
            Ranked(
                key=r["code"],
                label=Bilingual(vi=r["name"]["vi"], en=r["name"]["en"]),
                value=round(r["pct_of_plan"], 1) if r["pct_of_plan"] is not None else None,
                detail=Bilingual(vi=f"Kế hoạch {r['target']['text']}", en=f"Target {r['target']['text']}")
                if r["target"]
                else None,
            )
            for r in rows[:5]
        ],
    )
    return Tile(
        room="socio_economic",
        title=Bilingual(vi="Kinh tế – xã hội", en="Socio-economic"),
        link="indicators",
        figures=figures,
        ranking=ranking,
    )
