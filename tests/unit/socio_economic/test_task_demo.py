"""The demo register: realistic, deterministic relative to "now", with something in every
state the board and the job show."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from task_fakes import NOW, InMemoryTaskRepository, TaskWorld

from ioc_core.socio_economic.tasks import rules
from ioc_core.socio_economic.tasks.demo import demo_tasks, seed_tasks
from ioc_core.socio_economic.tasks.models import TaskStatus

pytestmark = pytest.mark.unit
UNITS = {"TCKH", "KINHTE", "VHXH", "NOIVU", "QLDT", "YTE", "UBND_22945", "UBND_22918"}


def test_the_demo_is_the_same_for_the_same_day() -> None:
    assert demo_tasks(NOW) == demo_tasks(NOW + timedelta(hours=3))
    assert demo_tasks(NOW) != demo_tasks(NOW + timedelta(days=1))


def test_the_demo_has_every_kind_of_task() -> None:
    tasks = demo_tasks(NOW)
    assert len(tasks) == 15 and len({t.task_id for t in tasks}) == 15
    assert {t.owner_unit for t in tasks} | {u for t in tasks for u in t.co_units} <= UNITS
    assessed = [rules.assess(t, NOW) for t in tasks]
    assert sum(a.overdue for a in assessed) >= 2
    assert sum(a.at_risk and not a.overdue for a in assessed) >= 2
    assert Counter(t.status for t in tasks)[TaskStatus.DONE] == 2
    assert Counter(t.status for t in tasks)[TaskStatus.CANCELLED] == 1
    assert {t.source.value for t in tasks} == {"plan", "directive", "province"}
    assert all(p.at <= NOW for t in tasks for p in t.progress)  # no report from the future
    done = [a.projection for t, a in zip(tasks, assessed, strict=True) if t.status is TaskStatus.DONE]
    assert sorted(p.late_by_days or 0 for p in done) == [0, 3]


def test_seeding_numbers_after_the_years_last_and_only_once() -> None:
    world = TaskWorld()
    seeded = seed_tasks(world.repo, NOW)
    assert [t.task_id for t in seeded][:2] == ["NV-2026-0001", "NV-2026-0002"]
    assert world.repo.next_id(2026) == "NV-2026-0016"
    assert world.repo.outbox == []  # history, not news
    assert seed_tasks(world.repo, NOW) == []
    run = world.service.escalate_overdue(NOW)
    assert run.overdue >= 2 and run.at_risk >= 2
    board = world.service.board()
    assert board[0].assessment.overdue and len(board) == 12


def test_seeding_an_empty_register_of_another_year() -> None:
    repo = InMemoryTaskRepository()
    seeded = seed_tasks(repo, NOW + timedelta(days=365))
    assert seeded[0].task_id == "NV-2027-0001"
