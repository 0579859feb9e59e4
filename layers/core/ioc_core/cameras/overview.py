"""The cameras' tile on the leader's overview: incidents still to work by kind (fire first) and
cameras gone silent, from the counters the camera-alert-stats consumer keeps."""

from __future__ import annotations

from ioc_core.cameras.models import AlertKind
from ioc_core.platform.overview import Bilingual, Figure, Tile, share

_KINDS = {
    AlertKind.FIRE: ("Cháy", "Fire"),
    AlertKind.SMOKE: ("Khói", "Smoke"),
    AlertKind.DUMPING: ("Đổ rác trái phép", "Illegal dumping"),
    AlertKind.CONSTRUCTION: ("Xây dựng trái phép", "Illegal construction"),
    AlertKind.ENCROACHMENT: ("Lấn chiếm", "Encroachment"),
}
_URGENT = (AlertKind.FIRE, AlertKind.SMOKE)


def tile() -> Tile:
    from ioc_core.cameras.stats import PK
    from ioc_core.cameras.wiring import stats_projection

    city = stats_projection().read(PK, "all")  # the city's row only, not one per camera

    def opened(kind: AlertKind) -> int:
        return max(0, city.get(f"open_{kind.value}", 0))

    alerts = [
        Figure(
            key=kind.value,
            label=Bilingual(vi=vi, en=en),
            value=opened(kind),
            tone="bad" if opened(kind) and kind in _URGENT else "neutral",
        )
        for kind, (vi, en) in _KINDS.items()
    ]
    silent = opened(AlertKind.CAMERA_SILENT)
    judged = city.get("verified", 0) + city.get("false_alarms", 0)
    return Tile(
        room="cameras",
        title=Bilingual(vi="Camera an ninh", en="Security cameras"),
        link="camera-alerts",
        figures=[
            Figure(
                key="active_alerts",
                label=Bilingual(vi="Sự cố đang mở", en="Open incidents"),
                value=sum(a.value or 0 for a in alerts),
                tone="bad" if any(a.tone == "bad" for a in alerts) else "neutral",
            ),
            Figure(
                key="silent_cameras",
                label=Bilingual(vi="Camera mất tín hiệu", en="Silent cameras"),
                value=silent,
                tone="bad" if silent else "neutral",
            ),
            Figure(
                key="alerts",
                label=Bilingual(vi="Cảnh báo đã phát", en="Alerts raised"),
                value=city.get("alerts", 0),
            ),
            Figure(
                key="false_alarm_rate",
                label=Bilingual(vi="Tỷ lệ báo nhầm", en="False-alarm rate"),
                value=share(city.get("false_alarms", 0), judged),
                unit="%",
            ),
        ],
        alerts=alerts,
    )
