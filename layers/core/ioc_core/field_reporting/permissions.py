"""Field Reporting's roles and permissions.

Its own roles: a unit's staff (a department, a public company, a ward's people's committee or
police) work what is assigned to their unit; a ward's leader follows the reports of the ward.
The platform's operators verify and route, leaders read, the province reads without personal
data, residents act on their own reports.
"""

from __future__ import annotations

from ioc_core.platform.access import RoleDefinition, permission
from ioc_core.platform.rooms import Label

REPORTS_SUBMIT = "field_reporting.reports.submit"
PHOTOS_UPLOAD = "field_reporting.photos.upload"
REPORTS_READ = "field_reporting.reports.read"
REPORTS_TRIAGE = "field_reporting.reports.triage"
REPORTS_WORK = "field_reporting.reports.work"
REPORTS_ASK = "field_reporting.reports.ask"
DUPLICATES_READ = "field_reporting.duplicates.read"
PERSONAL_DATA_READ = "field_reporting.personal_data.read"
UNITS_READ = "field_reporting.units.read"
INBOX_READ = "field_reporting.inbox.read"
DELIVERIES_READ = "field_reporting.deliveries.read"
OWN_REPORTS = "field_reporting.own_reports.act"
ROUTING_READ = "field_reporting.routing.read"
ROUTING_MANAGE = "field_reporting.routing.manage"
SAVED_FILTERS_KEEP = "field_reporting.saved_filters.keep"

UNIT_STAFF = "unit_staff"
WARD_LEADER = "ward_leader"
STAFF_READERS = ("operator", "leader", "provincial", UNIT_STAFF, WARD_LEADER)

ROLES = (
    RoleDefinition(UNIT_STAFF, Label("Cán bộ đơn vị", "Unit staff"), scope="unit"),
    RoleDefinition(WARD_LEADER, Label("Lãnh đạo phường", "Ward leader"), scope="ward"),
)


PERMISSIONS = (
    permission(REPORTS_SUBMIT, Label("Gửi phản ánh", "Submit reports"), "resident", "operator"),
    permission(PHOTOS_UPLOAD, Label("Tải ảnh lên", "Upload photos"), "resident", "operator", UNIT_STAFF),
    permission(REPORTS_READ, Label("Xem phản ánh", "Read reports"), *STAFF_READERS),
    permission(
        REPORTS_TRIAGE, Label("Xác minh, từ chối, giao, gộp", "Verify, reject, assign, merge"), "operator"
    ),
    permission(REPORTS_WORK, Label("Xử lý phản ánh được giao", "Work assigned reports"), UNIT_STAFF),
    permission(REPORTS_ASK, Label("Hỏi thêm người dân", "Ask the resident"), "operator", UNIT_STAFF),
    permission(DUPLICATES_READ, Label("Xem phản ánh trùng", "See duplicates"), "operator", "leader"),
    permission(
        PERSONAL_DATA_READ,
        Label("Xem thông tin người phản ánh", "See reporters' contacts"),
        "operator",
        UNIT_STAFF,
        "leader",
        WARD_LEADER,
    ),
    permission(UNITS_READ, Label("Xem đơn vị xử lý", "See units"), *STAFF_READERS, "admin"),
    permission(INBOX_READ, Label("Hộp thư công việc", "Work inbox"), "operator", UNIT_STAFF, "leader"),
    permission(DELIVERIES_READ, Label("Nhật ký tin nhắn", "Message log"), "operator", "admin"),
    permission(OWN_REPORTS, Label("Phản ánh của mình", "Own reports"), "resident"),
    permission(ROUTING_READ, Label("Xem bảng phân công", "See routing"), "admin", "operator", "leader"),
    permission(ROUTING_MANAGE, Label("Sửa bảng phân công", "Change routing"), "admin"),
    # People who work the queue keep their own filters; not the provincial system (no person).
    permission(
        SAVED_FILTERS_KEEP,
        Label("Lưu bộ lọc của mình", "Keep own saved filters"),
        "operator",
        "leader",
        UNIT_STAFF,
        WARD_LEADER,
    ),
)
