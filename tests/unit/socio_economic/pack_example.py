"""A realistic meeting pack's content: Phan Thiết ward's October 2026 report, 60 indicators in
the seven groups of the reference, tasks and two charts. Values are made up but plausible
(deterministic), anchored on the published Bình Thuận 2024 figures where there are some."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from ioc_core.socio_economic.pack.model import PackContent

FORMULA = "=cmd|' /C calc'!A0"  # a formula-injection text the pack must show as typed

# (group code, vi, en, [(code, vi name, unit, value, target)])
_GROUPS: list[tuple[str, str, str, list[tuple[str, str, str, float, str | None]]]] = [
    (
        "growth",
        "Tăng trưởng kinh tế",
        "Economic growth",
        [
            ("grdp_growth", "Tốc độ tăng trưởng GRDP", "%", 7.25, "8–8,5 %"),
            ("share_agri", "Tỷ trọng nông, lâm, thủy sản", "%", 24.79, None),
            ("share_industry", "Tỷ trọng công nghiệp – xây dựng", "%", 35.96, None),
            ("share_services", "Tỷ trọng dịch vụ", "%", 33.88, None),
            ("share_taxes", "Thuế sản phẩm trừ trợ cấp", "%", 5.37, None),
            ("grdp_per_capita", "GRDP bình quân đầu người", "triệu đồng", 96.1, "≥ 100 triệu đồng"),
            ("income_per_capita", "Thu nhập bình quân đầu người", "triệu đồng", 62.4, "≥ 65 triệu đồng"),
            ("iip", "Chỉ số sản xuất công nghiệp (IIP)", "%", 10.97, "≥ 10 %"),
        ],
    ),
    (
        "budget",
        "Thu chi ngân sách và đầu tư",
        "Budget and investment",
        [
            ("budget_revenue", "Tổng thu ngân sách trên địa bàn", "tỷ đồng", 10851.0, "10.000 tỷ đồng"),
            ("budget_domestic", "Thu nội địa", "tỷ đồng", 8920.5, "8.500 tỷ đồng"),
            ("budget_land", "Thu tiền sử dụng đất", "tỷ đồng", 1204.3, "1.500 tỷ đồng"),
            ("budget_spending", "Tổng chi ngân sách địa phương", "tỷ đồng", 9876.2, None),
            ("public_invest", "Giải ngân vốn đầu tư công", "tỷ đồng", 3961.0, "≥ 95 % kế hoạch"),
            ("public_invest_pct", "Tỷ lệ giải ngân vốn đầu tư công", "%", 83.2, "≥ 95 %"),
            ("fdi_capital", "Vốn FDI đăng ký mới", "triệu USD", 182.6, None),
            ("domestic_capital", "Vốn đầu tư trong nước đăng ký", "tỷ đồng", 5310.0, None),
            ("new_enterprises", "Doanh nghiệp thành lập mới", "doanh nghiệp", 812.0, "1.000 doanh nghiệp"),
            ("dissolved_enterprises", "Doanh nghiệp giải thể", "doanh nghiệp", 143.0, None),
        ],
    ),
    (
        "industry_trade",
        "Công nghiệp, thương mại",
        "Industry and trade",
        [
            ("iip_mom", "IIP so với tháng trước", "%", 1.8, None),
            ("iip_yoy", "IIP so với cùng kỳ", "%", 9.4, None),
            ("retail", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ", "tỷ đồng", 61234.7, "75.000 tỷ đồng"),
            ("exports", "Kim ngạch xuất khẩu", "triệu USD", 812.4, "1.000 triệu USD"),
            ("imports", "Kim ngạch nhập khẩu", "triệu USD", 455.1, None),
            ("cpi_yoy", "Chỉ số giá tiêu dùng (CPI) so với cùng kỳ", "%", 3.9, "< 4,5 %"),
            ("electricity", "Điện thương phẩm", "triệu kWh", 2150.3, None),
            ("seafood_processing", "Thủy sản chế biến", "tấn", 61230.0, None),
        ],
    ),
    (
        "tourism",
        "Du lịch",
        "Tourism",
        [
            ("visitors", "Lượt khách du lịch", "nghìn lượt", 6400.0, "9.000 nghìn lượt"),
            ("visitors_intl", "Khách quốc tế", "nghìn lượt", 263.3, "1.500 nghìn lượt"),
            ("intl_share", "Tỷ lệ khách quốc tế", "%", 4.1, None),
            ("overnight_guests", "Khách lưu trú qua đêm", "nghìn lượt", 3980.5, None),
            ("tourism_revenue", "Doanh thu du lịch", "tỷ đồng", 16287.5, "22.000 tỷ đồng"),
            ("occupancy", "Công suất sử dụng phòng", "%", 58.3, "≥ 60 %"),
            ("stay_length", "Thời gian lưu trú bình quân", "ngày", 2.1, None),
            ("hotels_star", "Cơ sở lưu trú 3 sao trở lên", "cơ sở", 86.0, None),
        ],
    ),
    (
        "agriculture",
        "Nông nghiệp, thủy sản",
        "Agriculture and fisheries",
        [
            ("fish_catch", "Sản lượng khai thác thủy sản", "tấn", 182340.0, "220.000 tấn"),
            ("aquaculture", "Sản lượng nuôi trồng thủy sản", "tấn", 9820.0, None),
            ("dragon_fruit_area", "Diện tích thanh long", "ha", 1520.0, None),
            ("rice_area", "Diện tích lúa gieo trồng", "ha", 2310.0, None),
            ("rice_yield", "Năng suất lúa", "tạ/ha", 61.2, "≥ 60 tạ/ha"),
            ("boats_vms", "Tàu cá lắp thiết bị giám sát hành trình", "%", 97.6, "100 %"),
            ("forest_cover", "Tỷ lệ che phủ rừng", "%", 43.1, "43 %"),
            ("new_rural", "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 3.0, "4 xã"),
        ],
    ),
    (
        "social",
        "Văn hóa – xã hội",
        "Social affairs",
        [
            ("poor_rate", "Tỷ lệ hộ nghèo", "%", 0.82, "< 1 %"),
            ("new_jobs", "Lao động được giải quyết việc làm", "người", 4120.0, "5.000 người"),
            ("insurance", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93.4, "≥ 95 %"),
            ("beds", "Giường bệnh trên 10.000 dân", "giường", 31.5, "≥ 30 giường"),
            ("doctors", "Bác sĩ trên 10.000 dân", "bác sĩ", 11.2, "≥ 10 bác sĩ"),
            ("immunisation", "Tiêm chủng đầy đủ trẻ dưới 1 tuổi", "%", 94.1, "> 95 %"),
            ("schools_standard", "Trường đạt chuẩn quốc gia", "%", 78.5, "80 %"),
            ("trained_labour", "Tỷ lệ lao động qua đào tạo", "%", 71.2, "72 %"),
            ("culture_families", "Gia đình văn hóa", "%", 96.3, None),
        ],
    ),
    (
        "administration",
        "Cải cách hành chính, quốc phòng – an ninh",
        "Administration and safety",
        [
            ("dossiers_on_time", "Hồ sơ giải quyết đúng hạn", "%", 98.7, "≥ 98 %"),
            ("dossiers_online", "Hồ sơ trực tuyến", "%", 64.2, "≥ 70 %"),
            ("index_766", "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)", "điểm", 84.6, "≥ 85 điểm"),
            ("sipas", "Chỉ số hài lòng SIPAS", "%", 88.9, "≥ 90 %"),
            ("accidents", "Tai nạn giao thông", "vụ", 41.0, "giảm 5 %"),
            ("accident_deaths", "Số người chết do tai nạn giao thông", "người", 23.0, "giảm 5 %"),
            ("fires", "Cháy, nổ", "vụ", 7.0, None),
            ("reports_resolved", "Phản ánh hiện trường được xử lý", "%", 91.8, "≥ 90 %"),
            ("complaints", "Đơn khiếu nại, tố cáo giải quyết", "%", 86.0, "≥ 85 %"),
        ],
    ),
]
_STATUSES = ("official", "preliminary", "estimate")
_TRAFFIC = ("on_track", "at_risk", "off_track")


def _row(n: int, code: str, name: str, unit: str, value: float, target: str | None) -> dict[str, Any]:
    """One indicator row with comparisons derived from its value (plausible, deterministic)."""
    growth = 1 + ((n * 37) % 15 - 4) / 100  # -4 % .. +10 % on last year
    last_year = round(value / growth, 2)
    row: dict[str, Any] = {
        "code": code,
        "name_vi": name,
        "unit": unit,
        "value": value,
        "value_status": _STATUSES[n % 3],
        "previous": round(value * (0.97 + (n % 5) / 100), 2),
        "last_year": last_year,
        "yoy_pct": round((growth - 1) * 100, 2),
        "target": target,
        "traffic": "no_target",
    }
    if target is not None:
        plan = 70 + (n * 13) % 45
        row |= {
            "plan_pct": float(plan),
            "traffic": _TRAFFIC[n % 3],
            "forecast": round(value * 1.22, 1),
            "forecast_low": round(value * 1.18, 1),
            "forecast_high": round(value * 1.26, 1),
            "needed_per_month": round(value * 0.11, 1) if unit != "%" else None,
        }
    return row


def example_data() -> dict[str, Any]:
    groups = []
    n = 0
    for code, vi, en, rows in _GROUPS:
        built = []
        for indicator in rows:
            built.append(_row(n, *indicator))
            n += 1
        groups.append({"code": code, "name_vi": vi, "name_en": en, "rows": built})
    months = [f"T{m}" for m in range(1, 13)]
    visitors_2026 = [720.0, 810.0, 560.0, 540.0, 610.0, 790.0, 880.0, 760.0, 420.0, 310.0, None, None]
    visitors_2025 = [650.0, 760.0, 520.0, 500.0, 580.0, 720.0, 830.0, 700.0, 400.0, 300.0, 330.0, 620.0]
    cumulative = [1100.0, 2150.0, 3300.0, 4320.0, 5410.0, 6590.0, 7610.0, 8720.0, 9800.0, 10851.0]
    return {
        "period": "2026-10",
        "cutoff": date(2026, 10, 31),
        "issued": date(2026, 11, 5),
        "issuer": {"parent": "TỈNH LÂM ĐỒNG", "name": "ỦY BAN NHÂN DÂN PHƯỜNG PHAN THIẾT"},
        "number": "Số: 123/BC-UBND",
        "place": "Phan Thiết",
        "title": "BÁO CÁO",
        "subtitle": "Tình hình kinh tế – xã hội tháng 10 và 10 tháng năm 2026",
        "summary": [
            # NFD on purpose: the pack must normalise what a Mac keyboard sends.
            unicodedata.normalize(
                "NFD",
                "Tháng 10 năm 2026, tình hình kinh tế – xã hội của phường tiếp tục phục hồi; "
                "thu ngân sách đạt 108,5 % dự toán, du lịch tăng 6,6 % so với cùng kỳ.",
            ),
            "Tốc độ tăng trưởng GRDP ước đạt 7,25 %, thấp hơn mục tiêu 8–8,5 %: cần tập trung "
            "giải ngân vốn đầu tư công (mới đạt 83,2 % kế hoạch) trong hai tháng cuối năm.",
            FORMULA,
        ],
        "groups": groups,
        "tasks": [
            {
                "task": "Giải phóng mặt bằng dự án đường ven biển Phan Thiết – Kê Gà",
                "owner_unit": "Ban Quản lý dự án phường",
                "deadline": date(2026, 12, 31),
                "done_pct": 55.0,
                "elapsed_pct": 83.0,
                "at_risk": True,
                "projected_finish": date(2027, 3, 15),
            },
            {
                "task": "Số hóa hồ sơ thủ tục hành chính còn hiệu lực",
                "owner_unit": "Văn phòng HĐND và UBND phường",
                "deadline": date(2026, 11, 30),
                "done_pct": 88.0,
                "elapsed_pct": 91.0,
                "at_risk": False,
                "projected_finish": date(2026, 12, 4),
            },
            {
                "task": "Kiểm tra an toàn thực phẩm dịp cuối năm",
                "owner_unit": "Phòng Văn hóa – Xã hội",
                "deadline": date(2026, 12, 20),
                "done_pct": 20.0,
                "elapsed_pct": 30.0,
                "at_risk": False,
                "projected_finish": None,
            },
        ],
        "charts": [
            {
                "title": "Lượt khách du lịch theo tháng (nghìn lượt)",
                "kind": "bar",
                "unit": "nghìn lượt",
                "x_labels": months,
                "series": [
                    {"name": "Năm 2026", "values": visitors_2026},
                    {"name": "Năm 2025", "values": visitors_2025},
                ],
                "target_band": {"low": 700.0, "high": 750.0},
            },
            {
                "title": "Thu ngân sách lũy kế (tỷ đồng)",
                "kind": "line",
                "unit": "tỷ đồng",
                "x_labels": months,
                "series": [{"name": "Lũy kế 2026", "values": [*cumulative, None, None]}],
                "target_band": {"low": 10000.0, "high": 10500.0},
                "forecast_band": {
                    "low": [None] * 9 + [10851.0, 11700.0, 12500.0],
                    "high": [None] * 9 + [10851.0, 12100.0, 13300.0],
                },
            },
        ],
        "signer": {"on_behalf": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn Thành"},
        "recipients": [
            "UBND tỉnh Lâm Đồng (b/c)",
            "Thường trực Đảng ủy phường",
            "Thường trực HĐND phường",
            "Chủ tịch, các PCT UBND phường",
            "Lưu: VT.",
        ],
    }


def example_content(**changes: Any) -> PackContent:
    return PackContent.model_validate(example_data() | changes)
