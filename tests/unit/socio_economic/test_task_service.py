"""The task register's use cases on in-memory fakes: register, report progress, close, the
board, and the hourly escalation job (each event once)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import pytest
from task_fakes import NOW, InMemoryTaskRepository, TaskWorld

from contracts.task_repository import Outbox, TaskRepositoryContract
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from ioc_core.socio_economic.tasks import events
from ioc_core.socio_economic.tasks.evidence import XLSX
from ioc_core.socio_economic.tasks.models import MAX_PROGRESS, MAX_TASK_BYTES, Task, TaskSource, TaskStatus
from ioc_core.socio_economic.tasks.ports import StaleTask
from ioc_core.socio_economic.tasks.service import Actor, TaskChanges, TaskDraft

pytestmark = pytest.mark.unit

OFFICE = Actor("tckh.an", office=True)
KINHTE = Actor("kinhte.lan", units=frozenset({"KINHTE"}))
QLDT = Actor("qldt.binh", units=frozenset({"QLDT"}))
YTE = Actor("yte.hoa", units=frozenset({"YTE"}))
DAY = timedelta(days=1)


def draft(**kw: object) -> TaskDraft:
    fields: dict[str, object] = {
        "title": "Giải ngân vốn đầu tư công đường ven biển Tiến Thành",
        "title_en": "Disburse public investment for the Tiến Thành coastal road",
        "source": TaskSource.PLAN,
        "source_ref": "Kế hoạch 123/KH-UBND ngày 05/01/2026",
        "owner_unit": "KINHTE",
        "co_units": ("QLDT", "TCKH"),
        "start": date(2026, 3, 1),
        "deadline": date(2026, 3, 31),
        "expected_output": "Giải ngân 100 % kế hoạch vốn",
    }
    return TaskDraft(**(fields | kw))  # type: ignore[arg-type]


@pytest.fixture
def world() -> TaskWorld:
    return TaskWorld()


@pytest.fixture
def task(world: TaskWorld) -> Task:
    return world.service.register(draft(), OFFICE)


# -- the fake keeps the repository's contract ---------------------------------------------------


class TestInMemoryTaskRepository(TaskRepositoryContract):
    @pytest.fixture
    def task_repo(self) -> InMemoryTaskRepository:
        return InMemoryTaskRepository()

    @pytest.fixture
    def outbox(self, task_repo: InMemoryTaskRepository) -> Outbox:
        return lambda: [e.id for e in task_repo.outbox]


# -- registering --------------------------------------------------------------------------------


def test_register_numbers_the_task_and_stages_its_event(world: TaskWorld, task: Task) -> None:
    assert task.task_id == "NV-2026-0001" and task.version == 1 and task.status is TaskStatus.OPEN
    assert world.repo.get(task.task_id) == task
    assert world.service.register(draft(), OFFICE).task_id == "NV-2026-0002"
    (event, _) = world.repo.outbox
    assert event.short_type == events.REGISTERED
    assert event.subject == event.partitionkey == "NV-2026-0001" and event.sequence == "000000000001"
    assert event.source.endswith("/socio-economic")
    assert event.data["owner_unit"] == "KINHTE" and event.data["co_units"] == ["QLDT", "TCKH"]
    assert "tckh.an" not in event.to_json()  # units, never the staff who acted
    assert task.created_by == "tckh.an"


def test_register_cleans_the_texts_and_the_units(world: TaskWorld) -> None:
    decomposed = unicodedata.normalize("NFD", "Phòng chống sốt xuất huyết <b>đợt 1</b>")
    task = world.service.register(
        draft(title=decomposed, co_units=("YTE", "KINHTE", "YTE"), title_en="  "), OFFICE
    )
    assert task.title == unicodedata.normalize("NFC", "Phòng chống sốt xuất huyết đợt 1")
    assert task.co_units == ["YTE"]  # the owner is not its own co-operating unit, and once each
    assert task.title_en is None


def test_register_rejects_a_deadline_before_the_start_naming_it(world: TaskWorld) -> None:
    with pytest.raises(ValidationFailed) as raised:
        world.service.register(draft(deadline=date(2026, 2, 1)), OFFICE)
    assert [p.field for p in raised.value.problems] == ["deadline"]
    assert world.repo.outbox == []


def test_register_names_a_bad_field(world: TaskWorld) -> None:
    with pytest.raises(ValidationFailed) as raised:
        world.service.register(draft(owner_unit="kinh te"), OFFICE)
    assert [p.field for p in raised.value.problems] == ["owner_unit"]
    with pytest.raises(ValidationFailed) as empty:
        world.service.register(draft(title="<p></p>"), OFFICE)
    assert [p.field for p in empty.value.problems] == ["title"]


def test_register_checks_unit_codes_when_it_knows_them(world: TaskWorld) -> None:
    world.service.unit_exists = {"KINHTE", "QLDT", "TCKH"}.__contains__
    with pytest.raises(ValidationFailed) as raised:
        world.service.register(draft(co_units=("QLDT", "XYZ")), OFFICE)
    assert [p.field for p in raised.value.problems] == ["co_units[1]"]


def test_only_the_office_registers_and_closes(world: TaskWorld, task: Task) -> None:
    for act in (
        lambda: world.service.register(draft(), KINHTE),
        lambda: world.service.complete(task.task_id, KINHTE),
        lambda: world.service.cancel(task.task_id, KINHTE, "Không còn cần thiết"),
        lambda: world.service.update(task.task_id, TaskChanges(title="Khác"), KINHTE),
    ):
        with pytest.raises(Forbidden):
            act()


def test_two_offices_registering_at_once_get_two_numbers(world: TaskWorld) -> None:
    taken = world.repo.next_id(2026)
    real_next = world.repo.next_id
    calls = iter([taken])

    def racing_next_id(year: int) -> str:
        # The other office registers between our read of the number and our save.
        number = next(calls, None)
        if number is not None:
            world.service.repo.next_id = real_next  # type: ignore[method-assign]
            world.service.register(draft(title="Nhiệm vụ khác"), Actor("vp.ha", office=True))
            return number
        return real_next(year)

    world.repo.next_id = racing_next_id  # type: ignore[method-assign]
    ours = world.service.register(draft(), OFFICE)
    assert ours.task_id == "NV-2026-0002"
    assert world.repo.get("NV-2026-0001").title == "Nhiệm vụ khác"  # type: ignore[union-attr]


# -- progress ---------------------------------------------------------------------------------


def test_the_owner_unit_reports_progress_with_evidence(world: TaskWorld, task: Task) -> None:
    presigned = world.service.presign_evidence(
        task.task_id, KINHTE, "Biên bản nghiệm thu.pdf", "application/pdf"
    )
    key = str(presigned["key"])
    assert key.startswith("tasks/NV-2026-0001/") and key.endswith("-bien-ban-nghiem-thu.pdf")
    assert world.evidence.presigned == [(key, "application/pdf", 20 * 1024 * 1024)]
    world.evidence.upload(key)
    reported = world.service.report_progress(task.task_id, KINHTE, 40, "Đã giải ngân 40 %", [key, key])
    assert (reported.percent, reported.version) == (40, 2)
    entry = reported.progress[-1]
    assert (entry.by, entry.unit, entry.percent, entry.evidence) == ("kinhte.lan", "KINHTE", 40, [key])
    event = world.repo.outbox[-1]
    assert event.short_type == events.PROGRESS_REPORTED and event.sequence == "000000000002"
    assert (event.data["unit"], event.data["from_percent"], event.data["percent"]) == ("KINHTE", 0, 40)
    assert "kinhte.lan" not in event.to_json() and "giải ngân 40" not in event.to_json()


def test_co_operating_units_and_the_office_report_others_do_not(world: TaskWorld, task: Task) -> None:
    by_qldt = world.service.report_progress(task.task_id, QLDT, 10, "Bàn giao mặt bằng")
    assert by_qldt.progress[-1].unit == "QLDT"
    by_office = world.service.report_progress(
        task.task_id, OFFICE, 15, "Văn phòng cập nhật theo họp giao ban"
    )
    assert by_office.progress[-1].unit is None
    with pytest.raises(Forbidden):
        world.service.report_progress(task.task_id, YTE, 20, "Không phải việc của Y tế")
    with pytest.raises(Forbidden):
        world.service.presign_evidence(task.task_id, YTE, "x.pdf", "application/pdf")


@pytest.mark.parametrize("percent", [-1, 101, True])
def test_percent_is_0_to_100(world: TaskWorld, task: Task, percent: int) -> None:
    with pytest.raises(ValidationFailed) as raised:
        world.service.report_progress(task.task_id, KINHTE, percent, "Ghi chú")
    assert [p.field for p in raised.value.problems] == ["percent"]


def test_the_note_is_required_and_under_2000_characters(world: TaskWorld, task: Task) -> None:
    for bad in ("", "   ", "<br>", "ơ" * 2000):
        with pytest.raises(ValidationFailed) as raised:
            world.service.report_progress(task.task_id, KINHTE, 10, bad)
        assert [p.field for p in raised.value.problems] == ["note"]
    assert world.service.report_progress(task.task_id, KINHTE, 10, "ơ" * 1999).percent == 10


def test_evidence_must_be_uploaded_for_this_task(world: TaskWorld, task: Task) -> None:
    other = world.service.register(draft(), OFFICE)
    elsewhere = world.evidence.upload(f"tasks/{other.task_id}/ab12-x.pdf")
    missing = f"tasks/{task.task_id}/never-uploaded.pdf"
    sneaky = world.evidence.upload(f"tasks/{task.task_id}/../{other.task_id}/ab12-x.pdf")
    ok = world.evidence.upload(f"tasks/{task.task_id}/cd34-anh.png")
    with pytest.raises(ValidationFailed) as raised:
        world.service.report_progress(task.task_id, KINHTE, 10, "Có ảnh", [ok, elsewhere, missing, sneaky])
    assert [p.field for p in raised.value.problems] == ["evidence[1]", "evidence[2]", "evidence[3]"]
    assert world.repo.get(task.task_id) == task  # nothing written


def test_evidence_uploads_take_documents_and_images_only(world: TaskWorld, task: Task) -> None:
    sheet = world.service.presign_evidence(task.task_id, KINHTE, "Bảng giải ngân.XLSX", XLSX)
    assert str(sheet["key"]).endswith("-bang-giai-ngan.xlsx")
    with pytest.raises(ValidationFailed) as wrong_type:
        world.service.presign_evidence(task.task_id, KINHTE, "script.exe", "application/x-msdownload")
    assert [p.field for p in wrong_type.value.problems] == ["content_type"]
    with pytest.raises(ValidationFailed) as wrong_name:
        world.service.presign_evidence(task.task_id, KINHTE, "anh.png", "application/pdf")
    assert [p.field for p in wrong_name.value.problems] == ["filename"]


def test_progress_may_go_back_and_the_history_keeps_the_last_200(world: TaskWorld, task: Task) -> None:
    service = world.service
    service.report_progress(task.task_id, KINHTE, 50, "Ước tính ban đầu")
    back = service.report_progress(task.task_id, KINHTE, 30, "Điều chỉnh lại: khối lượng phát sinh")
    assert back.percent == 30 and [p.percent for p in back.progress] == [50, 30]
    for n in range(MAX_PROGRESS + 5):
        world.at(NOW + n * timedelta(minutes=1))
        latest = service.report_progress(task.task_id, KINHTE, n % 100, f"Báo cáo {n}")
    assert len(latest.progress) == MAX_PROGRESS
    assert latest.progress[-1].note == f"Báo cáo {MAX_PROGRESS + 4}"
    assert latest.progress[0].note == "Báo cáo 5"


def test_long_notes_drop_the_oldest_reports_to_keep_the_task_storable(world: TaskWorld, task: Task) -> None:
    for n in range(MAX_PROGRESS):
        world.at(NOW + n * timedelta(minutes=1))
        latest = world.service.report_progress(task.task_id, KINHTE, 50, f"{n:03d} " + "ư" * 1990)
    assert len(latest.model_dump_json().encode()) <= MAX_TASK_BYTES
    assert 20 < len(latest.progress) < MAX_PROGRESS
    assert latest.progress[-1].note.startswith(f"{MAX_PROGRESS - 1:03d}")  # the newest kept
    assert world.repo.get(task.task_id) == latest


def test_a_change_based_on_an_old_version_is_a_409_with_the_current_one(world: TaskWorld, task: Task) -> None:
    world.service.report_progress(task.task_id, KINHTE, 10, "Lần 1", version=1)
    with pytest.raises(StaleVersion) as raised:
        world.service.report_progress(task.task_id, QLDT, 20, "Lần 2", version=1)
    assert raised.value.current_version == 2
    with pytest.raises(NotFound):
        world.service.get("NV-2026-0999")


# -- closing and changing ------------------------------------------------------------------------


def test_complete_and_cancel_close_the_task(world: TaskWorld, task: Task) -> None:
    done = world.service.complete(task.task_id, OFFICE, "Đã nghiệm thu")
    assert (done.status, done.percent, done.completed_at, done.closing_note) == (
        TaskStatus.DONE,
        100,
        NOW,
        "Đã nghiệm thu",
    )
    assert world.repo.event_types()[-1] == events.COMPLETED
    assert world.repo.outbox[-1].data["late_by_days"] == 0
    with pytest.raises(Conflict):
        world.service.report_progress(task.task_id, KINHTE, 90, "Sau khi hoàn thành")
    other = world.service.register(draft(), OFFICE)
    with pytest.raises(ValidationFailed) as raised:
        world.service.cancel(other.task_id, OFFICE, " ")
    assert [p.field for p in raised.value.problems] == ["reason"]
    cancelled = world.service.cancel(other.task_id, OFFICE, "Gộp vào nhiệm vụ NV-2026-0001")
    assert cancelled.status is TaskStatus.CANCELLED and cancelled.closing_note.startswith("Gộp")  # type: ignore[union-attr]
    assert "Gộp" not in world.repo.outbox[-1].to_json()  # the reason stays on the task


def test_update_changes_what_it_names_and_says_so(world: TaskWorld, task: Task) -> None:
    moved = world.service.update(
        task.task_id, TaskChanges(deadline=date(2026, 4, 30), co_units=("VHXH",)), OFFICE, 1
    )
    assert (moved.deadline, moved.co_units, moved.version) == (date(2026, 4, 30), ["VHXH"], 2)
    assert moved.title == task.title
    event = world.repo.outbox[-1]
    assert event.short_type == events.UPDATED and event.data["changed"] == ["co_units", "deadline"]
    same = world.service.update(task.task_id, TaskChanges(deadline=date(2026, 4, 30)), OFFICE)
    assert same.version == 2 and len(world.repo.outbox) == 2  # nothing changed: nothing written
    with pytest.raises(ValidationFailed) as raised:
        world.service.update(task.task_id, TaskChanges(start=date(2026, 5, 1)), OFFICE)
    assert [p.field for p in raised.value.problems] == ["deadline"]
    with pytest.raises(ValidationFailed):
        world.service.update(task.task_id, TaskChanges(), OFFICE)


# -- the board -------------------------------------------------------------------------------------


def _seeded(world: TaskWorld) -> dict[str, str]:
    """Four open tasks on 16 March (half of March gone) and one done."""
    service = world.service
    world.at(NOW - 10 * DAY)
    on_track = service.register(draft(title="Đúng tiến độ", deadline=date(2026, 3, 31)), OFFICE)
    risky = service.register(
        draft(title="Chậm", owner_unit="VHXH", co_units=(), deadline=date(2026, 4, 10)), OFFICE
    )
    overdue = service.register(
        draft(title="Quá hạn", start=date(2026, 2, 1), deadline=date(2026, 3, 10)), OFFICE
    )
    later = service.register(draft(title="Sau", deadline=date(2026, 3, 20)), OFFICE)
    done = service.register(draft(title="Xong"), OFFICE)
    service.report_progress(on_track.task_id, KINHTE, 45, "Ổn")
    service.report_progress(risky.task_id, Actor("vhxh.mai", units=frozenset({"VHXH"})), 5, "Chậm")
    service.report_progress(overdue.task_id, KINHTE, 80, "Gần xong")
    service.report_progress(later.task_id, KINHTE, 20, "Đang làm")
    service.complete(done.task_id, OFFICE)
    world.at(NOW)
    return {
        "on_track": on_track.task_id,
        "risky": risky.task_id,
        "overdue": overdue.task_id,
        "later": later.task_id,
    }


def test_the_board_shows_overdue_then_at_risk_then_by_deadline(world: TaskWorld) -> None:
    ids = _seeded(world)
    board = world.service.board()
    assert [e.task.task_id for e in board] == [ids["overdue"], ids["later"], ids["risky"], ids["on_track"]]
    first, second = board[0].assessment, board[1].assessment
    assert first.overdue and first.projection.finish is not None
    assert second.at_risk and not second.overdue  # 20 % done with 75 % of its time gone
    assert not board[3].assessment.at_risk
    assert [e.task.task_id for e in world.service.board(owner_unit="VHXH")] == [ids["risky"]]
    assert {e.task.task_id for e in world.service.board(at_risk=False)} == {ids["on_track"]}
    assert [e.task.status for e in world.service.board(status=TaskStatus.DONE)] == [TaskStatus.DONE]


# -- the escalation job -------------------------------------------------------------------------


def test_the_job_raises_each_overdue_or_at_risk_task_once(world: TaskWorld) -> None:
    ids = _seeded(world)
    before = len(world.repo.outbox)
    run = world.service.escalate_overdue(NOW)
    assert (run.scanned, run.overdue, run.at_risk, run.conflicts) == (4, 1, 2, 0)
    raised = {(e.subject, e.short_type) for e in world.repo.outbox[before:]}
    assert raised == {
        (ids["overdue"], events.OVERDUE),
        (ids["later"], events.AT_RISK),
        (ids["risky"], events.AT_RISK),
    }
    overdue_event = next(e for e in world.repo.outbox if e.short_type == events.OVERDUE)
    assert overdue_event.data["days_overdue"] == 6 and overdue_event.data["elapsed_pct"] == 100.0
    stored = world.repo.get(ids["overdue"])
    assert stored is not None and stored.overdue_marked_at == NOW and stored.version == 3
    snapshot = {t: world.repo.get(t) for t in ids.values()}
    rerun = world.service.escalate_overdue(NOW + timedelta(hours=1))
    assert (rerun.overdue, rerun.at_risk) == (0, 0)
    assert len(world.repo.outbox) == before + 3
    assert {t: world.repo.get(t) for t in ids.values()} == snapshot


def test_an_at_risk_task_back_on_track_escalates_again_when_it_slips(world: TaskWorld) -> None:
    ids = _seeded(world)
    world.service.escalate_overdue(NOW)
    recovered = world.service.report_progress(ids["risky"], OFFICE, 60, "Tăng tốc sau họp")
    assert recovered.at_risk_marked_at is None
    assert world.service.escalate_overdue(NOW).at_risk == 0
    world.at(NOW + 20 * DAY)  # 5 April: 96 % of its time gone, 60 % done
    slipped = world.service.escalate_overdue(NOW + 20 * DAY)
    assert f"{ids['risky']} at_risk" in slipped.raised


def test_a_deadline_moved_ahead_lets_the_task_escalate_again(world: TaskWorld) -> None:
    ids = _seeded(world)
    world.service.escalate_overdue(NOW)
    moved = world.service.update(ids["overdue"], TaskChanges(deadline=date(2026, 3, 25)), OFFICE)
    assert moved.overdue_marked_at is None
    assert world.service.escalate_overdue(NOW).overdue == 0
    late_again = world.service.escalate_overdue(datetime(2026, 3, 26, 9, tzinfo=VN_TZ))
    assert f"{ids['overdue']} overdue" in late_again.raised


def test_a_task_changed_while_the_job_runs_is_left_to_the_next_run(world: TaskWorld) -> None:
    _seeded(world)
    save = world.repo.save

    def moved_meanwhile(task: Task, stream: object, expected_version: int) -> None:
        raise StaleTask(task.task_id)

    world.repo.save = moved_meanwhile  # type: ignore[method-assign,assignment]
    run = world.service.escalate_overdue(NOW)
    assert (run.conflicts, run.overdue, run.at_risk) == (3, 0, 0)
    world.repo.save = save  # type: ignore[method-assign]
    assert world.service.escalate_overdue(NOW).conflicts == 0


# -- provincial directives ----------------------------------------------------------------------


def test_a_provincial_directive_becomes_one_task_that_names_it_in_every_event(world: TaskWorld) -> None:
    directive = draft(source=TaskSource.PROVINCE, source_ref="Công văn 456/UBND-KT ngày 10/03/2026")
    task = world.service.receive_directive("CD-2026-0042", directive)
    assert (task.source, task.directive_id, task.created_by) == (
        TaskSource.PROVINCE,
        "CD-2026-0042",
        "system:province",
    )
    again = world.service.receive_directive("CD-2026-0042", directive)  # delivered twice
    assert again == task
    assert world.repo.event_types() == [events.REGISTERED]
    world.service.report_progress(task.task_id, KINHTE, 40, "Đã khảo sát hiện trường")
    assert [e.data["directive_id"] for e in world.repo.outbox] == ["CD-2026-0042"] * 2
    plain = world.service.register(draft(), OFFICE)
    assert "directive_id" not in world.repo.outbox[-1].data and plain.directive_id is None


def test_a_directive_registered_meanwhile_by_a_second_delivery_is_that_task(world: TaskWorld) -> None:
    directive = draft(source=TaskSource.PROVINCE)
    first = world.service.receive_directive("CD-2026-0007", directive)
    lookups = iter([None])  # the second delivery looked before the first had committed
    real = world.repo.task_of_directive
    world.repo.task_of_directive = lambda d: next(lookups, real(d))  # type: ignore[method-assign]
    assert world.service.receive_directive("CD-2026-0007", directive) == first
    assert len(world.repo.tasks) == 1 and world.repo.event_types() == [events.REGISTERED]


def test_a_directive_for_an_unknown_unit_is_refused_naming_the_field() -> None:
    world = TaskWorld()
    world.service.unit_exists = lambda code: code != "NOPE"
    with pytest.raises(ValidationFailed) as refused:
        world.service.receive_directive("CD-2026-0001", draft(source=TaskSource.PROVINCE, owner_unit="NOPE"))
    assert [p.field for p in refused.value.problems] == ["owner_unit"]
    assert world.repo.tasks == {}


def test_the_owner_unit_acknowledges_a_task_once(world: TaskWorld, task: Task) -> None:
    acked = world.service.acknowledge(task.task_id, KINHTE)
    assert acked.acknowledged_at == NOW and acked.acknowledged_by == "kinhte.lan" and acked.version == 2
    assert world.service.acknowledge(task.task_id, KINHTE) == acked  # again: as it is
    assert world.repo.event_types() == [events.REGISTERED, events.ACKNOWLEDGED]
    assert world.repo.outbox[-1].data["unit"] == "KINHTE" and "kinhte.lan" not in str(
        world.repo.outbox[-1].data
    )


def test_only_the_owner_unit_acknowledges_and_only_an_open_task(world: TaskWorld, task: Task) -> None:
    for someone in (QLDT, OFFICE, YTE):  # co-operating, the office, another unit
        with pytest.raises(Forbidden):
            world.service.acknowledge(task.task_id, someone)
    world.service.cancel(task.task_id, OFFICE, "Không còn phù hợp")
    with pytest.raises(Conflict):
        world.service.acknowledge(task.task_id, KINHTE)
    assert events.ACKNOWLEDGED not in world.repo.event_types()
