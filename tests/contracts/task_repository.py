"""The TaskRepository contract, one suite for the in-memory fake and the PynamoDB adapter.

A tier's test module subclasses ``TaskRepositoryContract`` and provides two fixtures:
``task_repo`` (an empty repository) and ``outbox`` (the ids of the events it has stored, in
any order). tests/unit/socio_economic/test_task_service.py runs it on the fake, no network;
tests/integration/socio_economic/test_task_repository.py on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from ioc_core.shared.clock import VN_TZ
from ioc_core.socio_economic.tasks import events
from ioc_core.socio_economic.tasks.models import MAX_PROGRESS, Progress, Task, TaskSource, TaskStatus
from ioc_core.socio_economic.tasks.ports import StaleTask, TaskRepository

Outbox = Callable[[], list[str]]
T0 = datetime(2026, 3, 2, 9, tzinfo=VN_TZ)


def new_task(task_id: str, owner: str = "KINHTE", deadline: date = date(2026, 6, 30), **kw: object) -> Task:
    fields: dict[str, object] = {
        "task_id": task_id,
        "title": f"Nhiệm vụ {task_id}: giải ngân vốn đầu tư công",
        "title_en": "Disburse public investment",
        "source": TaskSource.PLAN,
        "source_ref": "Kế hoạch 123/KH-UBND ngày 05/01/2026",
        "owner_unit": owner,
        "co_units": ["TCKH"] if owner != "TCKH" else [],
        "start": date(2026, 3, 1),
        "deadline": deadline,
        "expected_output": "Báo cáo giải ngân",
        "created_by": "tckh.an",
        "created_at": T0,
        "updated_at": T0,
    }
    return Task.model_validate(fields | kw)


def register(repo: TaskRepository, owner: str = "KINHTE", deadline: date = date(2026, 6, 30)) -> Task:
    task = new_task(repo.next_id(2026), owner, deadline)
    repo.save(task, [events.registered(task)], expected_version=0)
    return task


def changed(task: Task, **update: object) -> Task:
    return task.model_copy(update={"version": task.version + 1, **update})


class TaskRepositoryContract:
    def test_a_task_is_stored_with_its_event_and_read_back_whole(
        self, task_repo: TaskRepository, outbox: Outbox
    ) -> None:
        task = new_task("NV-2026-0001")
        event = events.registered(task)
        task_repo.save(task, [event], expected_version=0)
        assert task_repo.get("NV-2026-0001") == task
        assert task_repo.get("NV-2026-0999") is None
        assert outbox() == [event.id]

    def test_numbers_run_on_per_year(self, task_repo: TaskRepository) -> None:
        assert task_repo.next_id(2026) == "NV-2026-0001"
        register(task_repo)
        assert task_repo.next_id(2026) == "NV-2026-0002"  # read, not reserved: asked again, the same
        assert task_repo.next_id(2026) == "NV-2026-0002"
        assert task_repo.next_id(2027) == "NV-2027-0001"

    def test_a_number_is_taken_once_and_nothing_of_the_loser_is_written(
        self, task_repo: TaskRepository, outbox: Outbox
    ) -> None:
        number = task_repo.next_id(2026)  # two offices read the same number
        first, second = new_task(number), new_task(number, owner="VHXH")
        task_repo.save(first, [events.registered(first)], expected_version=0)
        before = outbox()
        with pytest.raises(StaleTask):
            task_repo.save(second, [events.registered(second)], expected_version=0)
        assert task_repo.get(number) == first
        assert sorted(outbox()) == sorted(before)
        assert task_repo.next_id(2026) == "NV-2026-0002"

    def test_a_number_ahead_of_the_numbering_is_refused(self, task_repo: TaskRepository) -> None:
        task = new_task("NV-2026-0005")
        with pytest.raises(StaleTask):
            task_repo.save(task, [], expected_version=0)
        assert task_repo.get("NV-2026-0005") is None
        assert task_repo.next_id(2026) == "NV-2026-0001"

    def test_a_directive_becomes_one_task_and_a_second_claim_writes_nothing(
        self, task_repo: TaskRepository, outbox: Outbox
    ) -> None:
        assert task_repo.task_of_directive("CD-2026-0042") is None
        first = new_task(task_repo.next_id(2026), source=TaskSource.PROVINCE, directive_id="CD-2026-0042")
        task_repo.save(first, [events.registered(first)], expected_version=0)
        assert task_repo.task_of_directive("CD-2026-0042") == first.task_id
        before = outbox()
        again = new_task(task_repo.next_id(2026), source=TaskSource.PROVINCE, directive_id="CD-2026-0042")
        with pytest.raises(StaleTask):
            task_repo.save(again, [events.registered(again)], expected_version=0)
        assert task_repo.get(again.task_id) is None
        assert sorted(outbox()) == sorted(before)
        assert task_repo.next_id(2026) == again.task_id  # its number was not taken either
        other = new_task(again.task_id, source=TaskSource.PROVINCE, directive_id="CD-2026-0043")
        task_repo.save(other, [], expected_version=0)
        assert task_repo.task_of_directive("CD-2026-0043") == other.task_id

    def test_a_change_is_saved_against_the_version_it_read(
        self, task_repo: TaskRepository, outbox: Outbox
    ) -> None:
        task = register(task_repo)
        entry = Progress(
            at=T0 + timedelta(days=3), by="kinhte.lan", unit="KINHTE", percent=20, note="Đã khởi công"
        )
        moved = changed(task, percent=20, progress=[entry])
        event = events.progress_reported(moved, entry, 0)
        task_repo.save(moved, [event], expected_version=1)
        assert task_repo.get(task.task_id) == moved
        assert event.id in outbox()

    def test_a_stale_change_writes_nothing(self, task_repo: TaskRepository, outbox: Outbox) -> None:
        task = register(task_repo)
        task_repo.save(changed(task, percent=10), [], expected_version=1)
        before = outbox()
        late = changed(task, percent=50)  # based on version 1, which moved on
        with pytest.raises(StaleTask):
            task_repo.save(late, [events.updated(late, ["percent"], T0)], expected_version=1)
        stored = task_repo.get(task.task_id)
        assert stored is not None and (stored.version, stored.percent) == (2, 10)
        assert sorted(outbox()) == sorted(before)
        with pytest.raises(StaleTask):
            task_repo.save(new_task("NV-2026-0042"), [], expected_version=3)  # no such task

    def test_lists_by_status_and_owner_are_by_deadline(self, task_repo: TaskRepository) -> None:
        late = register(task_repo, deadline=date(2026, 12, 31))
        early = register(task_repo, deadline=date(2026, 4, 30), owner="VHXH")
        middle = register(task_repo, deadline=date(2026, 6, 30))
        assert [t.task_id for t in task_repo.by_status(TaskStatus.OPEN)] == [
            early.task_id,
            middle.task_id,
            late.task_id,
        ]
        assert [t.task_id for t in task_repo.by_owner("KINHTE")] == [middle.task_id, late.task_id]
        done = changed(middle, status=TaskStatus.DONE, percent=100, completed_at=T0)
        task_repo.save(done, [], expected_version=1)
        assert [t.task_id for t in task_repo.by_status(TaskStatus.OPEN)] == [early.task_id, late.task_id]
        assert task_repo.by_status(TaskStatus.DONE) == [done]
        assert [t.task_id for t in task_repo.by_owner("KINHTE", TaskStatus.OPEN)] == [late.task_id]
        assert task_repo.by_owner("KINHTE", TaskStatus.CANCELLED) == []
        assert task_repo.by_owner("YTE") == []

    def test_a_full_progress_history_is_kept_whole(self, task_repo: TaskRepository) -> None:
        task = register(task_repo)
        history = [
            Progress(
                at=T0 + timedelta(days=n),
                by="kinhte.lan",
                unit="KINHTE",
                percent=n // 2,
                note=f"Tuần {n}: tiếp tục thi công, giải phóng mặt bằng đoạn {n}" * 4,
                evidence=[f"tasks/{task.task_id}/{n:03d}-bien-ban.pdf"],
            )
            for n in range(MAX_PROGRESS)
        ]
        moved = changed(task, progress=history, percent=history[-1].percent)
        task_repo.save(moved, [], expected_version=1)
        assert task_repo.get(task.task_id) == moved
