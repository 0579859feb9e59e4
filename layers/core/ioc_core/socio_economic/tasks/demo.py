"""Demo tasks of Phan Thiết's People's Committee: plans, leaders' directives and the
province's, owned by the city's offices and two wards, with their progress so far.

Deterministic relative to ``now``: the same day gives the same tasks. Some are on track,
some at risk, some overdue (one whose progress went back), some done (one late) and one
cancelled, so the board, the job and the overview tile have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ioc_core.shared.clock import VN_TZ, to_vn
from ioc_core.socio_economic.tasks.models import Progress, Task, TaskSource, TaskStatus
from ioc_core.socio_economic.tasks.ports import TaskRepository

P, D, T = TaskSource.PLAN, TaskSource.DIRECTIVE, TaskSource.PROVINCE
OFFICE = "vanphong.ubnd"  # the People's Committee's office registers them


@dataclass(frozen=True)
class DemoTask:
    title: str
    title_en: str
    source: TaskSource
    source_ref: str
    owner: str
    co_units: tuple[str, ...]
    started: int  # days before today
    deadline: int  # days after today (negative: passed)
    output: str
    reports: tuple[tuple[int, int, str], ...]  # (day since start, % done, note)
    status: TaskStatus = TaskStatus.OPEN
    closed_on: int = 0  # day since start it was completed or cancelled
    closing_note: str = ""


DEMO: tuple[DemoTask, ...] = (
    DemoTask("Giải ngân vốn đầu tư công dự án đường ven biển Tiến Thành",
             "Disburse public investment for the Tiến Thành coastal road", P,
             "Kế hoạch 15/KH-UBND ngày 08/01/2026", "TCKH", ("KINHTE", "QLDT"), 120, 60,
             "Giải ngân 100 % kế hoạch vốn năm được giao",
             ((20, 10, "Đã giải ngân đợt 1 tạm ứng hợp đồng"), (50, 25, "Nghiệm thu khối lượng nền đường"),
              (90, 35, "Vướng mặt bằng đoạn Km3+200"), (115, 40, "Chờ điều chuyển vốn"))),
    DemoTask("Chuẩn bị bắn pháo hoa đêm Giao thừa", "Prepare the New Year's Eve fireworks", D,
             "Thông báo 212/TB-UBND ngày 15/11/2026", "VHXH", ("NOIVU", "QLDT"), 30, 40,
             "Kịch bản, vị trí bắn và phương án an ninh được duyệt",
             ((10, 15, "Khảo sát vị trí bắn tại quảng trường"), (25, 35, "Trình kịch bản chương trình"))),
    DemoTask("Chiến dịch phòng, chống sốt xuất huyết", "Dengue prevention campaign", P,
             "Kế hoạch 88/KH-UBND ngày 02/04/2026", "YTE", ("UBND_22918", "UBND_22945"), 60, -5,
             "Diệt lăng quăng toàn bộ khu dân cư; báo cáo ca mắc theo tuần",
             ((15, 30, "Ra quân đợt 1 tại phường Phú Thủy"), (40, 55, "Phun hóa chất 3 ổ dịch"),
              (55, 70, "Còn 2 khu phố chưa xử lý xong"))),
    DemoTask("Ra quân làm sạch bãi biển trước cao điểm du lịch hè", "Beach clean-up before the summer peak",
             D, "Kết luận 34/KL-UBND ngày 20/10/2026", "QLDT", ("UBND_22945", "VHXH"), 20, 25,
             "Bãi biển Đồi Dương, Thương Chánh sạch rác; thùng rác mới",
             ((5, 20, "Thu gom rác đoạn Đồi Dương"), (18, 50, "Lắp 40 thùng rác phân loại"))),
    DemoTask("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Digitise administrative dossiers", P,
             "Kế hoạch 09/KH-UBND ngày 05/01/2026", "NOIVU", ("TCKH",), 200, 100,
             "100 % hồ sơ còn hiệu lực được số hóa và ký số",
             ((30, 10, "Kiểm đếm hồ sơ lưu trữ"), (80, 25, "Số hóa lĩnh vực hộ tịch"),
              (140, 40, "Số hóa lĩnh vực đất đai đợt 1"), (190, 55, "Ký số 12.000 hồ sơ"))),
    DemoTask("Giải phóng mặt bằng đường vành đai Mũi Né", "Land clearance for the Mũi Né ring road", T,
             "Chỉ thị 05/CT-UBND tỉnh ngày 10/06/2026", "QLDT", ("KINHTE", "UBND_22918"), 150, 30,
             "Bàn giao toàn bộ mặt bằng cho nhà thầu",
             ((30, 5, "Kiểm đếm đất đai, tài sản"), (70, 15, "Công khai phương án bồi thường"),
              (120, 20, "Nhiều hộ chưa đồng thuận giá"), (145, 22, "Tổ chức đối thoại lần 2"))),
    DemoTask("Tổng hợp báo cáo kinh tế - xã hội 9 tháng", "Compile the nine-month socio-economic report", P,
             "Kế hoạch 101/KH-UBND ngày 01/09/2026", "TCKH", ("KINHTE", "VHXH"), 90, -60,
             "Báo cáo trình kỳ họp Hội đồng nhân dân",
             ((10, 40, "Nhận số liệu các phòng"), (22, 80, "Dự thảo báo cáo"), (28, 100, "Đã trình ký")),
             TaskStatus.DONE, 29, "Đã ban hành báo cáo"),
    DemoTask("Kiểm tra an toàn thực phẩm dịp lễ", "Food safety inspections over the holidays", D,
             "Công văn 1450/UBND-VX ngày 18/08/2026", "YTE", ("KINHTE", "VHXH"), 70, -40,
             "Biên bản kiểm tra 60 cơ sở; xử lý vi phạm",
             ((15, 50, "Kiểm tra 30 cơ sở"), (33, 100, "Hoàn thành, xử phạt 4 cơ sở")),
             TaskStatus.DONE, 33, "Hoàn thành trễ 3 ngày do bổ sung đợt kiểm tra"),
    DemoTask("Cải tạo chợ Phan Thiết giai đoạn 2", "Refurbish Phan Thiết market, phase 2", P,
             "Kế hoạch 44/KH-UBND ngày 01/03/2026", "KINHTE", ("QLDT",), 100, 50,
             "Hồ sơ thiết kế được phê duyệt", ((20, 10, "Khảo sát hiện trạng"),),
             TaskStatus.CANCELLED, 45, "Gộp vào dự án chỉnh trang đô thị trung tâm"),
    DemoTask("Rà soát, chống thất thu thuế hộ kinh doanh du lịch", "Curb tax losses from tourist businesses",
             D, "Thông báo 180/TB-UBND ngày 12/08/2026", "TCKH", ("KINHTE", "UBND_22945"), 100, 80,
             "Danh sách hộ kinh doanh được rà soát; số thu tăng thêm", ()),
    DemoTask("Lắp đặt camera giám sát giao thông các nút trọng điểm", "Traffic cameras at key junctions", D,
             "Kết luận 51/KL-UBND ngày 22/11/2026", "QLDT", ("UBND_22945",), 10, 80,
             "20 camera kết nối về Trung tâm IOC", ()),
    DemoTask("Hỗ trợ hộ nghèo, hộ cận nghèo dịp Tết Nguyên đán", "Support poor households for Tết", P,
             "Kế hoạch 190/KH-UBND ngày 17/11/2026", "VHXH", ("UBND_22918", "UBND_22945"), 15, 15,
             "Quà Tết đến 100 % hộ nghèo, cận nghèo",
             ((7, 30, "Lập danh sách hộ được hỗ trợ"), (14, 60, "Vận động nguồn tài trợ"))),
    DemoTask("Nạo vét kênh thoát nước trước mùa mưa", "Dredge drainage canals before the rains", D,
             "Thông báo 120/TB-UBND ngày 05/09/2026", "UBND_22945", ("QLDT",), 45, -2,
             "Khơi thông 3,5 km kênh mương",
             ((10, 20, "Nạo vét đoạn 1"), (30, 50, "Nạo vét đoạn 2"),
              (40, 45, "Phát sinh bùn đá đoạn 2, điều chỉnh khối lượng"))),
    DemoTask("Cấp giấy chứng nhận quyền sử dụng đất tồn đọng", "Clear the backlog of land-use certificates",
             T, "Chỉ thị 12/CT-UBND tỉnh ngày 01/08/2026", "UBND_22918", ("QLDT",), 80, 40,
             "Cấp 350 giấy chứng nhận tồn đọng",
             ((20, 20, "Cấp 70 giấy"), (50, 40, "Cấp 140 giấy"), (78, 62, "Cấp 217 giấy"))),
    DemoTask("Chuyển đổi số: dịch vụ công trực tuyến toàn trình", "Digital transformation: end-to-end online "
             "public services", P, "Kế hoạch 150/KH-UBND ngày 20/10/2026", "NOIVU",
             ("TCKH", "UBND_22918", "UBND_22945"), 40, 140, "80 % hồ sơ nộp trực tuyến toàn trình",
             ((20, 10, "Rà soát danh mục thủ tục"), (38, 18, "Tập huấn cán bộ một cửa"))),
)  # fmt: skip


def _at(day: datetime, hour: int) -> datetime:
    return datetime.combine(day.date(), time(hour), tzinfo=VN_TZ)


def demo_tasks(now: datetime, first_number: int = 1) -> list[Task]:
    """The demo tasks as of ``now``, numbered from ``first_number`` in ``now``'s year."""
    today = _at(to_vn(now), 0)
    tasks = []
    for n, demo in enumerate(DEMO, first_number):
        start = today - timedelta(days=demo.started)
        reports = [
            Progress(
                at=_at(start + timedelta(days=day), 16),
                by=f"{demo.owner.lower()}.canbo",
                unit=demo.owner,
                percent=percent,
                note=note,
            )
            for day, percent, note in demo.reports
        ]
        created = _at(start, 8)
        closed = (
            _at(start + timedelta(days=demo.closed_on), 17) if demo.status is not TaskStatus.OPEN else None
        )
        tasks.append(
            Task(
                task_id=f"NV-{today.year}-{n:04d}",
                title=demo.title,
                title_en=demo.title_en,
                source=demo.source,
                source_ref=demo.source_ref,
                owner_unit=demo.owner,
                co_units=sorted(demo.co_units),
                start=start.date(),
                deadline=(today + timedelta(days=demo.deadline)).date(),
                expected_output=demo.output,
                status=demo.status,
                percent=100 if demo.status is TaskStatus.DONE else (reports[-1].percent if reports else 0),
                progress=reports,
                completed_at=closed if demo.status is TaskStatus.DONE else None,
                cancelled_at=closed if demo.status is TaskStatus.CANCELLED else None,
                closing_note=demo.closing_note or None,
                version=1 + len(reports) + (closed is not None),
                created_by=OFFICE,
                created_at=created,
                updated_at=closed or (reports[-1].at if reports else created),
            )
        )
    return tasks


def seed_tasks(repo: TaskRepository, now: datetime) -> list[Task]:
    """Store the demo tasks, numbered after the year's last (no events: history, not news;
    the hourly job escalates the overdue and at-risk ones on its first run). Seeding a
    register that has tasks already adds nothing."""
    if any(repo.by_status(status) for status in TaskStatus):
        return []
    first = int(repo.next_id(to_vn(now).year).rsplit("-", 1)[1])
    tasks = demo_tasks(now, first)
    for task in tasks:
        repo.save(task, [], expected_version=0)
    return tasks
