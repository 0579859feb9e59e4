"""The pack's words, once for the workbook and the PDF: Vietnamese, as the report is read."""

from __future__ import annotations

VALUE_STATUS = {"estimate": "Ước tính", "preliminary": "Sơ bộ", "official": "Chính thức"}
TRAFFIC_ORDER = ("on_track", "at_risk", "off_track", "no_target")
TRAFFIC = {
    "on_track": "Đạt",
    "at_risk": "Có nguy cơ",
    "off_track": "Không đạt",
    "no_target": "Chưa có mục tiêu",
}
# Light fills that still read when printed in grey.
TRAFFIC_FILL = {"on_track": "#D9F2D9", "at_risk": "#FFF0C2", "off_track": "#F8D0CC", "no_target": "#FFFFFF"}
