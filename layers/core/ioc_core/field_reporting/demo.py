"""Field Reporting's demo data: two years of Phan Thiet field reports that reproduce the
published figures.

The city published 1,104 reports, 1,025 resolved and 79 in progress, 984 ratings of which
834 positive, and 3,700 accounts. The history (``local/demo_history``) is lived through the
real intake and workflow services on a moved clock, so it holds routing, transfers, paused
and late SLA clocks, disputes and merged duplicates; it goes through the same outbox as live
changes. Ids are deterministic; ``local/seed`` loads it once per stack.
"""

from __future__ import annotations

from datetime import datetime

from ioc_core.platform.rooms import Progress
from ioc_core.settings import Settings


def load(settings: Settings, progress: Progress, now: datetime | None = None) -> bool:
    from ioc_core.admin_units.registry import default_registry
    from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
    from ioc_core.field_reporting.adapters.s3 import S3PhotoStore
    from ioc_core.field_reporting.catalogue import default_catalogue
    from ioc_core.identity.accounts import DynamoAccounts
    from ioc_core.local.demo_history import DemoHistory
    from ioc_core.local.demo_world import after_photo
    from ioc_core.shared.clock import VN_TZ

    history = DemoHistory(default_catalogue(), default_registry(), now or datetime.now(VN_TZ))
    accounts = history.accounts()
    progress(f"accounts: {len(accounts)}")
    registry = DynamoAccounts(settings)
    for start in range(0, len(accounts), 500):
        registry.register_many(accounts[start : start + 500])
        progress(f"  accounts {min(start + 500, len(accounts))}/{len(accounts)}")
    photos = S3PhotoStore(settings)
    for n, key in enumerate(history.world.after_photos.keys):
        photos.put(key, after_photo(n), "image/png")
    total = history.figures.reports
    reports = history.reports(progress=lambda done: progress(f"  lived {done}/{total} reports' histories"))
    progress(f"reports: {len(reports)} ({history.figures.duplicates} merged duplicates among them)")
    repo = DynamoReportRepository(settings)
    step = 100
    for start in range(0, len(reports), step):
        repo.import_reports(reports[start : start + step])
        progress(f"  reports {min(start + step, len(reports))}/{len(reports)}")
    return True
