"""Maker-checker entry, approval and revision; validation rules; the all-or-nothing import."""

from __future__ import annotations

from datetime import datetime

import pytest
from indicator_fakes import Targets, Values

from ioc_core.platform.access import Reach
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.errors import Forbidden, ValidationFailed
from ioc_core.socio_economic.catalogue import default_catalogue
from ioc_core.socio_economic.importing import CSV, parse_rows
from ioc_core.socio_economic.models import SeriesValue
from ioc_core.socio_economic.service import ImportRefused, IndicatorService, NewValue

pytestmark = pytest.mark.unit
TCKH = Reach(units=frozenset({"TCKH"}))
CITY_WIDE = Reach(city=True)
WARDS = ["22918", "22924", "22933", "22945", "22954", "22960", "22963"]


@pytest.fixture
def service() -> IndicatorService:
    return IndicatorService(
        default_catalogue(), Values(), Targets(), FixedClock(datetime(2026, 12, 2, 9, tzinfo=VN_TZ)), WARDS
    )


def enter(service: IndicatorService, by: str = "unit_staff:tckh", **fields: object) -> SeriesValue:
    new = NewValue.model_validate(
        {"indicator": "BUDGET_REVENUE", "period": "2026-11", "value": 250.0} | fields
    )
    return service.submit(new, by, TCKH).value


def test_nobody_approves_their_own_entry_whatever_role_they_act_in(service: IndicatorService) -> None:
    enter(service)
    with pytest.raises(Forbidden):
        service.approve("BUDGET_REVENUE", "2026-11", "unit_staff:tckh", TCKH)
    with pytest.raises(Forbidden):
        service.approve("BUDGET_REVENUE", "2026-11", "statistics_officer:tckh", CITY_WIDE)
    approved = service.approve("BUDGET_REVENUE", "2026-11", "unit_staff:tckh2", TCKH)
    assert approved.value == 250.0 and approved.pending is None and approved.approved_by == "unit_staff:tckh2"


def test_another_unit_neither_enters_nor_approves(service: IndicatorService) -> None:
    with pytest.raises(Forbidden):
        service.submit(
            NewValue(indicator="TOURIST_ARRIVALS", period="2026-11", value=700), "unit_staff:tckh", TCKH
        )
    enter(service)
    with pytest.raises(Forbidden):
        service.approve("BUDGET_REVENUE", "2026-11", "unit_staff:vhxh", Reach(units=frozenset({"VHXH"})))


def test_an_approved_value_changes_only_with_a_reason_and_keeps_its_revision(
    service: IndicatorService,
) -> None:
    enter(service)
    service.approve("BUDGET_REVENUE", "2026-11", "statistics_officer:thongke", CITY_WIDE)
    with pytest.raises(ValidationFailed, match="reason"):
        enter(service, value=260.0, status="preliminary")
    enter(service, value=260.0, status="preliminary", reason="Số liệu sơ bộ của kho bạc")
    done = service.approve("BUDGET_REVENUE", "2026-11", "statistics_officer:thongke", CITY_WIDE)
    (revision,) = done.revisions
    assert (revision.old_value, revision.new_value) == (250.0, 260.0)
    assert (revision.old_status, revision.new_status) == ("estimate", "preliminary")
    assert revision.reason == "Số liệu sơ bộ của kho bạc" and revision.entered_by == "unit_staff:tckh"
    last = service.values.events[-2:]  # type: ignore[attr-defined]
    assert [e.type.removeprefix("vn.gov.lamdong.phanthiet.ioc.") for e in last] == [
        "socio_economic.indicator.value.approved",
        "socio_economic.indicator.value.revised",
    ]
    assert "thongke" not in last[-1].to_json() and "tckh" not in last[-1].to_json()  # no staff names leave
    # Two events of one change, each its own place in the value's sequence, the last the value's version.
    assert [int(e.sequence or 0) for e in last] == [done.version - 1, done.version]


def test_entering_the_same_value_again_changes_nothing(service: IndicatorService) -> None:
    enter(service)
    events = len(service.values.events)  # type: ignore[attr-defined]
    again = service.submit(
        NewValue(indicator="BUDGET_REVENUE", period="2026-11", value=250.0), "unit_staff:tckh", TCKH
    )
    assert not again.changed and len(service.values.events) == events  # type: ignore[attr-defined]


def test_rules_refuse_a_rate_over_100_a_wrong_period_and_a_derived_code(
    service: IndicatorService,
) -> None:
    vhxh = Reach(units=frozenset({"VHXH"}))
    with pytest.raises(ValidationFailed, match="0–100"):
        service.submit(NewValue(indicator="HOTEL_OCCUPANCY", period="2026-11", value=104), "u:vhxh", vhxh)
    with pytest.raises(ValidationFailed, match=r"quarter|quý"):
        service.submit(NewValue(indicator="FDI_CAPITAL", period="2026-11", value=3), "u:tckh", TCKH)
    with pytest.raises(ValidationFailed, match=r"formula|công thức"):
        service.submit(NewValue(indicator="INTL_SHARE", period="2026-11", value=12), "u:vhxh", vhxh)
    service.submit(NewValue(indicator="TOURIST_ARRIVALS", period="2026-11", value=600), "u:vhxh", vhxh)
    with pytest.raises(ValidationFailed, match="exceed"):
        service.submit(NewValue(indicator="INTL_ARRIVALS", period="2026-11", value=601), "u:vhxh", vhxh)


def test_an_outlier_needs_a_comment_before_approval(service: IndicatorService) -> None:
    for year, value in ((2022, 200.0), (2023, 210.0), (2024, 221.0), (2025, 232.0)):
        enter(service, period=f"{year}-11", value=value)
        service.approve("BUDGET_REVENUE", f"{year}-11", "statistics_officer:thongke", CITY_WIDE)
    entered = enter(service, value=480.0)
    assert [f.rule for f in entered.pending.warnings] == ["year_on_year_outlier"]  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed, match="Explain"):
        service.approve("BUDGET_REVENUE", "2026-11", "statistics_officer:thongke", CITY_WIDE)
    done = service.approve(
        "BUDGET_REVENUE",
        "2026-11",
        "statistics_officer:thongke",
        CITY_WIDE,
        comment="Thu tiền sử dụng đất dự án lớn",
    )
    assert done.value == 480.0 and done.approved and done.approved.comment


def test_an_import_with_any_bad_row_writes_nothing_and_names_every_row(service: IndicatorService) -> None:
    text = (
        "indicator,period,value,comment\n"
        "BUDGET_SPENDING,2026-11,300,\n"
        "BUDGET_SPENDING,2026-10,abc,\n"
        "NOPE,2026-11,1,\n"
        "REGISTERED_CAPITAL,2026-13,5,\n"
        "NEW_ENTERPRISES,2026-11,40,=cmd|' /C calc'!A0\n"
    )
    rows, unread, _ = parse_rows(text.encode(), CSV)
    with pytest.raises(ImportRefused) as refused:
        service.submit_many(rows, "unit_staff:tckh", TCKH, unread)
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (3, "value"), (4, "indicator"), (5, "period"), (6, "comment"),
    ]  # fmt: skip
    assert service.values.items == {}  # type: ignore[attr-defined]


def test_the_same_file_imported_twice_changes_nothing(service: IndicatorService) -> None:
    text = (
        'indicator,period,value,status\nBUDGET_SPENDING,2026-11,"300,5",sơ bộ\nNEW_ENTERPRISES,2026-11,40,\n'
    )
    rows, unread, _ = parse_rows(text.encode("utf-8-sig"), CSV)
    first = service.submit_many(rows, "unit_staff:tckh", TCKH, unread)
    assert [d.changed for d in first] == [True, True]
    assert first[0].value.pending and first[0].value.pending.value == 300.5
    assert first[0].value.pending.status == "preliminary"
    second = service.submit_many(*parse_rows(text.encode("utf-8-sig"), CSV)[:1], "unit_staff:tckh", TCKH)
    assert [d.changed for d in second] == [False, False]


def _months(count: int) -> str:
    """An import of ``count`` months of BUDGET_SPENDING from January 2018, one row each."""
    rows = [f"BUDGET_SPENDING,{2018 + n // 12}-{n % 12 + 1:02d},{100 + n}" for n in range(count)]
    return "indicator,period,value\n" + "\n".join(rows) + "\n"


def test_an_import_is_one_transaction_and_one_changing_too_many_values_is_refused_whole(
    service: IndicatorService,
) -> None:
    from ioc_core.shared.errors import PayloadTooLarge
    from ioc_core.socio_economic.service import MAX_CHANGES_PER_IMPORT

    saves: list[int] = []
    save = service.values.save
    service.values.save = lambda changes, events: (saves.append(len(changes)), save(changes, events))[1]  # type: ignore[method-assign]
    too_many = parse_rows(_months(MAX_CHANGES_PER_IMPORT + 1).encode(), CSV)
    with pytest.raises(PayloadTooLarge, match="split it into parts"):
        service.submit_many(too_many.rows, "unit_staff:tckh", TCKH, too_many.errors)
    assert service.values.items == {} and saves == []  # type: ignore[attr-defined]
    fits = parse_rows(_months(MAX_CHANGES_PER_IMPORT).encode(), CSV)
    done = service.submit_many(fits.rows, "unit_staff:tckh", TCKH, fits.errors)
    assert len(done) == MAX_CHANGES_PER_IMPORT and saves == [MAX_CHANGES_PER_IMPORT]  # all at once
    assert len(service.values.events) == MAX_CHANGES_PER_IMPORT  # type: ignore[attr-defined]


def test_a_file_not_in_utf8_is_refused_with_what_to_do() -> None:
    with pytest.raises(ImportRefused, match="UTF-8"):
        parse_rows("indicator,period,value\nBUDGET_SPENDING,2026-11,3\n".encode("utf-16"), CSV)


def test_an_entry_goes_back_by_its_maker_or_an_approver_only(service: IndicatorService) -> None:
    from ioc_core.shared.errors import Conflict

    enter(service)
    with pytest.raises(Forbidden):  # another unit reaches no further back than it could approve
        service.reject(
            "BUDGET_REVENUE", "2026-11", "unit_staff:vhxh", Reach(units=frozenset({"VHXH"})), "sai"
        )
    back = service.reject("BUDGET_REVENUE", "2026-11", "unit_staff:tckh", TCKH, "Nhập nhầm kỳ")
    assert back.pending is None and back.state == "empty"  # the maker takes back their own
    with pytest.raises(Conflict):
        service.reject("BUDGET_REVENUE", "2026-11", "unit_staff:tckh2", TCKH, "không còn gì")
