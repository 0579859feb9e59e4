"""The AuditLog contract, one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``AuditLogContract`` and provides ``log``, an empty audit log
(tests/unit/platform/test_audit.py: the fake; tests/integration/platform/test_audit_log.py:
DynamoDB on moto).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ioc_core.platform.audit.models import AuditEntry, Target
from ioc_core.platform.audit.service import AuditLog, AuditQuery
from ioc_core.platform.rooms import Label
from ioc_core.shared.clock import VN_TZ

# 23:30 in Vietnam: 16:30 UTC, the same UTC day; the next entries cross into the next VN day.
LATE_EVENING = datetime(2026, 12, 1, 23, 30, tzinfo=VN_TZ)


STATUS_CHANGED = "field_reporting.report.status_changed"
ROUTING = "field_reporting.routing.changed"


def entry(n: int, actor: str = "op.nguyen", target: str = "PT-1", action: str = STATUS_CHANGED,
          summary: str = "Phản ánh PT-1: Chờ tiếp nhận → Đã tiếp nhận") -> AuditEntry:  # fmt: skip
    return AuditEntry(
        entry_id=f"ev-{n:04d}", at=LATE_EVENING + timedelta(minutes=20 * n), actor=actor, role="operator",
        action=action, target=Target(room=action.split(".")[0], kind="report", id=target),
        summary=Label(summary, "Report"), ip="203.0.113.7",
    )  # fmt: skip


def window(**narrowing: object) -> AuditQuery:
    fields: dict[str, object] = {
        "start": LATE_EVENING - timedelta(days=1),
        "end": LATE_EVENING + timedelta(days=2),
    }
    return AuditQuery(**(fields | narrowing))  # type: ignore[arg-type]


def every_page(log: AuditLog, query: AuditQuery) -> list[str]:
    ids, token = [], None
    while True:
        page = log.search(AuditQuery(**{**query.__dict__, "token": token}))
        ids += [e.entry_id for e in page.items]
        if page.next_token is None:
            return ids
        token = page.next_token


class AuditLogContract:
    log: AuditLog

    def test_an_entry_written_twice_is_one_entry(self) -> None:
        self.log.record([entry(1), entry(2)])
        self.log.record([entry(1)])
        assert [e.entry_id for e in self.log.search(window()).items] == ["ev-0002", "ev-0001"]

    def test_newest_first_across_vietnam_days_and_pages(self) -> None:
        self.log.record([entry(n) for n in range(6)])  # 23:30 … 01:10 the next day
        assert every_page(self.log, window(limit=4)) == [f"ev-{n:04d}" for n in reversed(range(6))]
        assert every_page(self.log, window(limit=1)) == [f"ev-{n:04d}" for n in reversed(range(6))]

    def test_the_window_bounds_the_entries(self) -> None:
        self.log.record([entry(n) for n in range(6)])
        start = LATE_EVENING + timedelta(minutes=40)  # entry 2
        end = LATE_EVENING + timedelta(minutes=80)  # entry 4
        assert every_page(self.log, AuditQuery(start=start, end=end)) == ["ev-0004", "ev-0003", "ev-0002"]

    def test_by_actor_by_target_and_by_action_prefix(self) -> None:
        self.log.record([
            entry(1), entry(2, actor="admin.tran", target="routing", action=ROUTING),
            entry(3, actor="admin.tran", target="ab" * 32, action="platform.api_key.revoked"),
            entry(4, target="PT-2"),
        ])  # fmt: skip
        assert every_page(self.log, window(actor="admin.tran")) == ["ev-0003", "ev-0002"]
        assert every_page(self.log, window(target_id="PT-1")) == ["ev-0001"]
        assert every_page(self.log, window(actor="admin.tran", target_id="routing")) == ["ev-0002"]
        assert every_page(self.log, window(action="field_reporting.")) == ["ev-0004", "ev-0002", "ev-0001"]
        assert every_page(self.log, window(action="platform.api_key", limit=1)) == ["ev-0003"]

    def test_free_text_ignores_case_and_diacritics(self) -> None:
        self.log.record([entry(1), entry(2, summary="Thu hồi khoá API của Đối tác Hải Đăng")])
        assert every_page(self.log, window(terms=("doi", "tac", "hai"))) == ["ev-0002"]
        assert every_page(self.log, window(terms=("tiep", "nhan"))) == ["ev-0001"]
        assert every_page(self.log, window(terms=("op", "nguyen"))) == ["ev-0002", "ev-0001"]
        assert every_page(self.log, window(terms=("khong",))) == []
