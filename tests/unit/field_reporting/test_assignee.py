"""Naming who inside a unit works on a report: only an active member of the report's unit, as
the staff directory (identity's, behind Field Reporting's UnitStaff port) knows them."""

from __future__ import annotations

import pytest

from fakes import MONDAY_9AM, InMemoryStaffDirectory, InMemoryUnitStaff, IntakeWorld
from ioc_core.admin_units import default_registry
from ioc_core.field_reporting.adapters.unit_staff import DirectoryUnitStaff
from ioc_core.field_reporting.models import ReportDraft, Reporter
from ioc_core.field_reporting.ports import UnitMember
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.field_reporting.sla import default_calendar
from ioc_core.field_reporting.workflow_service import Caller, WorkflowService
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant
from ioc_core.shared.errors import Forbidden, NotFound, Unprocessable

pytestmark = pytest.mark.unit
OPERATOR = Caller(Principal("op-1", frozenset({Grant("operator")}), username="an"), "operator")
CSCC = Caller(Principal("u-1", frozenset({Grant("unit_staff", "CSCC")}), username="cscc"), "unit_staff")
QLDT = Caller(Principal("u-2", frozenset({Grant("unit_staff", "QLDT")}), username="qldt"), "unit_staff")
LEADER = Caller(Principal("l-1", frozenset({Grant("leader")}), username="ld"), "leader")


@pytest.fixture
def world() -> IntakeWorld:
    return IntakeWorld()


@pytest.fixture
def staff() -> InMemoryUnitStaff:
    return InMemoryUnitStaff(
        {"CSCC": [("cscc", "Chiếu sáng"), ("cscc2", "Chiếu sáng 2")], "QLDT": [("qldt", "QLĐT")]}
    )


def _flow(world: IntakeWorld, staff: InMemoryUnitStaff | None) -> WorkflowService:
    router = Router(world.catalogue, default_registry(), routing_data(), MONDAY_9AM.date())
    world.intake.router = router
    return WorkflowService(
        world.repo, world.photos, world.catalogue, router, default_calendar(), world.clock, staff=staff
    )


def _assigned_to_cscc(world: IntakeWorld, flow: WorkflowService) -> str:
    draft = ReportDraft(
        service_code="street_light_out", lat=10.928, lon=108.102, attributes={"lights_affected": "one"},
        reporter=Reporter(phone="0912345678"), channel="mobile",
    )  # fmt: skip
    report_id = world.intake.submit(
        draft, by=Principal("AC-1", frozenset({Grant("resident")}))
    ).report.report_id
    flow.verify(OPERATOR, report_id, 1, None, unit="CSCC")
    return report_id


def test_a_member_of_the_unit_is_named(world: IntakeWorld, staff: InMemoryUnitStaff) -> None:
    flow = _flow(world, staff)
    report_id = _assigned_to_cscc(world, flow)
    assert flow.assign_person(OPERATOR, report_id, 3, "cscc2").assignee == "cscc2"
    assert staff.asked == ["CSCC"]


@pytest.mark.parametrize("username", ["qldt", "nobody", "CSCC"])
def test_someone_not_of_the_unit_is_a_422_naming_the_field(
    world: IntakeWorld, staff: InMemoryUnitStaff, username: str
) -> None:
    flow = _flow(world, staff)
    report_id = _assigned_to_cscc(world, flow)
    with pytest.raises(Unprocessable) as raised:
        flow.assign_person(CSCC, report_id, 3, username)
    assert [p.field for p in raised.value.problems] == ["username"]
    assert world.repo.get(report_id).assignee is None  # type: ignore[union-attr]


def test_releasing_the_report_asks_no_directory(world: IntakeWorld, staff: InMemoryUnitStaff) -> None:
    flow = _flow(world, staff)
    report_id = _assigned_to_cscc(world, flow)
    flow.assign_person(CSCC, report_id, 3, "cscc")
    staff.units.clear()  # the person left the unit since: the report can still be let go
    assert flow.assign_person(CSCC, report_id, 4, None).assignee is None


def test_without_a_directory_nobody_can_be_named(world: IntakeWorld) -> None:
    flow = _flow(world, None)
    report_id = _assigned_to_cscc(world, flow)
    with pytest.raises(Unprocessable):
        flow.assign_person(OPERATOR, report_id, 3, "cscc")


def test_the_unit_s_staff_are_listed_for_operators_and_for_the_unit_only(
    world: IntakeWorld, staff: InMemoryUnitStaff
) -> None:
    flow = _flow(world, staff)
    assert [m.username for m in flow.unit_members(OPERATOR, "CSCC")] == ["cscc", "cscc2"]
    assert flow.unit_members(CSCC, "CSCC") == [
        UnitMember("cscc", "Chiếu sáng"),
        UnitMember("cscc2", "Chiếu sáng 2"),
    ]
    with pytest.raises(Forbidden):
        flow.unit_members(QLDT, "CSCC")
    with pytest.raises(Forbidden):
        flow.unit_members(LEADER, "CSCC")
    with pytest.raises(NotFound):
        flow.unit_members(OPERATOR, "NO_SUCH_UNIT")


def test_the_directory_adapter_keeps_the_unit_s_enabled_accounts_only() -> None:
    directory = InMemoryStaffDirectory(
        {
            "cscc": ("Chiếu sáng", ["unit_staff@CSCC"]),
            "cu": ("Đã nghỉ", ["unit_staff@CSCC"]),
            "qldt": ("QLĐT", ["unit_staff@QLDT"]),
            "chutich": ("Chủ tịch", ["ward_leader@22945", "unit_staff@CSCC"]),
            "dieuhanh": ("Trực ban", ["operator"]),
        }
    )
    directory.disabled.add("cu")
    members = DirectoryUnitStaff(directory).members("CSCC")
    assert [m.username for m in members] == ["chutich", "cscc"]
