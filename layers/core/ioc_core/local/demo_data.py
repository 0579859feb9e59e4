"""The words and weights of the demo history: what residents write, what staff answer, which
categories are reported how often, and where a misrouted report of a category ends up."""

from __future__ import annotations

STREETS = (
    "Trần Hưng Đạo",
    "Nguyễn Tất Thành",
    "Võ Văn Kiệt",
    "Tôn Đức Thắng",
    "Nguyễn Đình Chiểu",
    "Huỳnh Thúc Kháng",
    "Lê Lợi",
    "Thủ Khoa Huân",
    "Hải Thượng Lãn Ông",
    "Trường Chinh",
    "Nguyễn Thông",
    "Phạm Văn Đồng",
    "Lê Duẩn",
    "Từ Văn Tư",
    "Hùng Vương",
    "Võ Thị Sáu",
)
PLACES = (
    "chợ Phan Thiết",
    "tháp Chăm Pô Sah Inư",
    "bãi biển Đồi Dương",
    "cầu Trần Hưng Đạo",
    "trường học",
    "bến cá",
    "công viên",
    "khu dân cư",
    "đồi cát",
    "ngã tư",
)
NOTES_RESOLVED = ("Đã khắc phục xong.", "Đơn vị đã xử lý tại hiện trường.", "Đã thu gom và vệ sinh.")
COMMENTS = {
    5: "Xử lý rất nhanh, cảm ơn!",
    4: "Đã xử lý tốt.",
    3: "Xử lý chậm.",
    2: "Chưa triệt để.",
    1: "Không hài lòng.",
}
SERVICE_WEIGHTS = {
    "garbage_not_collected": 14,
    "illegal_dumping": 9,
    "road_damage": 12,
    "street_light_out": 11,
    "flooding_drainage": 8,
    "sidewalk_encroachment": 9,
    "fallen_tree": 5,
    "water_supply": 6,
    "illegal_construction": 5,
    "noise_public_order": 6,
    "tourism_complaint": 5,
    "beach_pollution": 4,
    "sidewalk_damage": 4,
    "traffic_signal_sign": 3,
    "stray_dead_animal": 3,
    "electric_hazard": 2,
}

QUESTIONS = (
    "Xin gửi thêm ảnh chụp rõ vị trí.",
    "Xin cho biết số nhà hoặc mốc gần nhất.",
    "Sự việc còn tiếp diễn không? Xin mô tả thêm.",
    "Xin cho biết thời điểm thường xảy ra.",
)
REPLIES = (
    "Đã gửi thêm ảnh, vị trí ngay trước cổng trường.",
    "Gần số nhà 45, đối diện tiệm tạp hóa.",
    "Vẫn còn, tối qua nặng hơn.",
    "Thường vào buổi tối sau 19 giờ.",
)
DISPUTES = (
    "Chưa khắc phục triệt để, sau mưa lại hư.",
    "Đơn vị báo đã xử lý nhưng thực tế vẫn còn.",
    "Mới xử lý một phần.",
)
# Category → the unit a misrouted report is re-routed to (a ward-kind code means the ward's own).
TRANSFERS = {
    "road_damage": "UBND_PHUONG",  # an alley road: the ward's, not the city's
    "sidewalk_damage": "UBND_PHUONG",
    "traffic_signal_sign": "CA_PHUONG",
    "street_light_out": "DIEN",  # the supply line, not the lamp
    "electric_hazard": "CSCC",
    "flooding_drainage": "QLDT",
    "water_supply": "QLDT",
    "garbage_not_collected": "UBND_PHUONG",
    "illegal_dumping": "UBND_PHUONG",
    "beach_pollution": "VHXH",
    "fallen_tree": "DIEN",  # a tree on the power line
    "stray_dead_animal": "MTDT",
    "illegal_construction": "UBND_PHUONG",
    "sidewalk_encroachment": "QLDT",
    "noise_public_order": "UBND_PHUONG",
    "tourism_complaint": "UBND_PHUONG",
}
