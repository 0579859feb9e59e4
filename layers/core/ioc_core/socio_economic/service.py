"""Entering, approving and revising indicator values, and setting targets.

Maker-checker: the owner unit's staff (or the statistics office) enter a value; a second
person of the owner unit (or the statistics office) approves it, never the one who entered
it. An approved value changes only with a reason, and the approval of the change keeps the
revision. Every change and its event are one transaction (outbox); entering the same value
again changes nothing, so an import sent twice is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field, field_validator

from ioc_core.platform.access import Reach
from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    StaleVersion,
    ValidationFailed,
)
from ioc_core.shared.text import nfc
from ioc_core.socio_economic import events, validation
from ioc_core.socio_economic.catalogue import CITY, Catalogue, Indicator
from ioc_core.socio_economic.models import (
    Entry,
    Revision,
    SeriesValue,
    Source,
    Target,
    ValueStatus,
    series_key,
)
from ioc_core.socio_economic.periods import FREQUENCY_KIND, Period, fits
from ioc_core.socio_economic.ports import TargetRepository, ValueRepository, VersionConflict

# DynamoDB takes 100 items per transaction: the values, and one outbox item for their events.
MAX_CHANGES_PER_IMPORT = 99


class NewValue(BaseModel):
    indicator: str = Field(min_length=1, max_length=48)
    period: str = Field(min_length=4, max_length=8)
    breakdown: str = Field(default=CITY, min_length=1, max_length=40)
    value: float = Field(allow_inf_nan=False)
    status: ValueStatus = "estimate"
    comment: str | None = Field(default=None, max_length=2000)
    reason: str | None = Field(default=None, max_length=2000)

    @field_validator("comment", "reason")
    @classmethod
    def _text(cls, text: str | None) -> str | None:
        return nfc(text).strip() or None if text else None


@dataclass
class RowError:
    row: int
    column: str
    message_vi: str
    message_en: str


class ImportRefused(ValidationFailed):
    """Nothing was written: every row's problem, by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        head = errors[:3]
        lines = "; ".join(f"dòng/row {e.row} [{e.column}]: {e.message_vi} / {e.message_en}" for e in head)
        more = f" (+{len(errors) - 3})" if len(errors) > 3 else ""
        super().__init__(
            f"Tệp không được nhập, không có dòng nào được ghi / The file was not imported, no row was "
            f"written: {lines}{more}",
            problems=[
                FieldProblem(f"row {e.row}: {e.column}", f"{e.message_vi} / {e.message_en}") for e in errors
            ],
        )
        self.errors = errors

    def extensions(self) -> dict[str, object]:
        return {"rows": [e.__dict__ for e in self.errors]}


@dataclass
class Submitted:
    value: SeriesValue
    changed: bool


def _refuse(field_name: str, vi: str, en: str) -> ValidationFailed:
    message = f"{vi} / {en}"
    return ValidationFailed(message, problems=[FieldProblem(field_name, message)])


@dataclass
class IndicatorService:
    catalogue: Catalogue
    values: ValueRepository
    targets: TargetRepository
    clock: Clock
    wards: Sequence[str] = ()
    rules: validation.Rules = field(default_factory=validation.default_rules)

    # -- entry -------------------------------------------------------------------------------
    def indicator(self, code: str) -> Indicator:
        return self.catalogue.get(code)

    def _checked(self, new: NewValue, reach: Reach, source: Source) -> tuple[Indicator, Period]:
        indicator = self.catalogue.get(new.indicator)
        period = Period.parse(new.period)
        if indicator.derived:
            raise _refuse(
                "indicator",
                f"{indicator.code} được tính theo công thức ({indicator.formula}), không nhập tay",
                f"{indicator.code} is computed by its formula ({indicator.formula}), not entered",
            )
        if indicator.fed_by == "field_reporting" and source != "feed":
            raise _refuse(
                "indicator",
                f"{indicator.code} do hệ thống Phản ánh hiện trường cập nhật tự động",
                f"{indicator.code} is fed automatically by Field Reporting",
            )
        if not fits(indicator.frequency, period):
            want = FREQUENCY_KIND[indicator.frequency]
            raise _refuse(
                "period",
                f"{indicator.code} báo cáo theo kỳ {want}",
                f"{indicator.code} is reported by {want}",
            )
        self._check_breakdown(indicator, new.breakdown)
        if not reach.unit(indicator.owner_unit):
            raise Forbidden(
                f"Chỉ đơn vị {indicator.owner_unit} hoặc cơ quan thống kê nhập {indicator.code} / "
                f"Only {indicator.owner_unit} or the statistics office enter {indicator.code}."
            )
        return indicator, period

    def _check_breakdown(self, indicator: Indicator, breakdown: str) -> None:
        if breakdown == CITY:
            return
        kind, _, member = breakdown.partition(":")
        known = (
            {s.code for s in self.catalogue.sectors}
            if kind == "sector"
            else set(self.wards)
            if kind == "ward"
            else set()
        )
        if kind not in indicator.breakdowns or member not in known:
            raise _refuse(
                "breakdown",
                f"{indicator.code} không có phân tổ {breakdown!r}",
                f"{indicator.code} has no breakdown {breakdown!r}",
            )

    def _lookup(self, overlay: dict[tuple[str, str, str], float]) -> validation.Lookup:
        def newest(code: str, breakdown: str, period: str) -> float | None:
            if (code, breakdown, period) in overlay:
                return overlay[(code, breakdown, period)]
            stored = self.values.get(series_key(code, breakdown), period)
            if stored is None:
                return None
            entry = stored.pending or stored.approved
            return entry.value if entry else None

        return newest

    def _prepare(
        self, new: NewValue, by: str, reach: Reach, source: Source, overlay: dict[tuple[str, str, str], float]
    ) -> tuple[SeriesValue, int, bool]:
        indicator, period = self._checked(new, reach, source)
        findings = validation.check(
            self.catalogue,
            indicator,
            new.breakdown,
            period,
            new.value,
            self._lookup(overlay),
            self.wards,
            self.rules,
        )
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise ValidationFailed(
                "; ".join(f"{f.message_vi} ({f.detail}) / {f.message_en}" for f in errors),
                problems=[
                    FieldProblem("value", f"{f.message_vi} / {f.message_en}: {f.detail}") for f in errors
                ],
            )
        stored = self.values.get(series_key(indicator.code, new.breakdown), period.code)
        current = stored or SeriesValue(indicator=indicator.code, breakdown=new.breakdown, period=period.code)
        if _same(current.pending, new) or (current.pending is None and _same(current.approved, new)):
            return current, current.version, False
        if current.approved is not None and not new.reason:
            raise _refuse(
                "reason",
                "Số liệu đã được phê duyệt: nêu lý do điều chỉnh",
                "The value is approved: give a reason to revise it",
            )
        entry = Entry(
            value=new.value,
            status=new.status,
            by=by,
            at=self.clock.now(),
            source=source,
            comment=new.comment,
            reason=new.reason,
            findings=findings,
        )
        changed = current.model_copy(update={"pending": entry, "version": current.version + 1})
        return changed, current.version, True

    def submit(self, new: NewValue, by: str, reach: Reach, source: Source = "entry") -> Submitted:
        value, expected, changed = self._prepare(new, by, reach, source, {})
        if not changed:
            return Submitted(value, False)
        unit = self.catalogue.get(value.indicator).owner_unit
        self._save(
            [(value, expected)], [events.value_event(events.VALUE_SUBMITTED, value, unit, self.clock.now())]
        )
        return Submitted(value, True)

    def submit_many(
        self, rows: Sequence[tuple[int, NewValue]], by: str, reach: Reach, unread: Sequence[RowError] = ()
    ) -> list[Submitted]:
        """An import: every row checked first (a row may lean on another row of the file); any
        problem (``unread``: the rows the file's reader could not read) refuses the whole file
        with every row's problem, and nothing is written. What it changes is written in one
        transaction, all or nothing, so a file may change at most ``MAX_CHANGES_PER_IMPORT``
        values (a month's entry template of the whole city holds about 40 rows); more is
        refused, asking for the file in parts."""
        overlay = {(new.indicator, new.breakdown, new.period): new.value for _, new in rows}
        prepared: list[tuple[SeriesValue, int, bool]] = []
        errors: list[RowError] = list(unread)
        seen: dict[tuple[str, str, str], int] = {}
        for row, new in rows:
            key = (new.indicator, new.breakdown, new.period)
            if key in seen:
                errors.append(
                    RowError(row, "indicator", f"trùng dòng {seen[key]}", f"repeats row {seen[key]}")
                )
                continue
            seen[key] = row
            try:
                prepared.append(self._prepare(new, by, reach, "import", overlay))
            except (ValidationFailed, Forbidden) as error:
                column = error.problems[0].field if error.problems else "indicator"
                vi, _, en = error.message.partition(" / ")
                errors.append(RowError(row, column, vi, en or vi))
        if errors:
            raise ImportRefused(sorted(errors, key=lambda e: e.row))
        now = self.clock.now()
        changes = [(v, expected) for v, expected, changed in prepared if changed]
        if len(changes) > MAX_CHANGES_PER_IMPORT:
            raise PayloadTooLarge(
                f"Tệp thay đổi {len(changes)} số liệu; mỗi lần nhập tối đa {MAX_CHANGES_PER_IMPORT}: hãy chia"
                f" tệp thành nhiều phần / The file changes {len(changes)} values; an import changes at most"
                f" {MAX_CHANGES_PER_IMPORT} at once, all or nothing: split it into parts."
            )
        stream = [
            events.value_event(events.VALUE_SUBMITTED, v, self.catalogue.get(v.indicator).owner_unit, now)
            for v, _ in changes
        ]
        if changes:
            self._save(changes, stream)
        return [Submitted(v, changed) for v, _, changed in prepared]

    def _save(self, changes: Sequence[tuple[SeriesValue, int]], stream: Sequence[CloudEvent]) -> None:
        try:
            self.values.save(changes, stream)
        except VersionConflict as error:
            raise Conflict(
                "Số liệu vừa được người khác thay đổi, hãy tải lại / The value changed meanwhile: reload it."
            ) from error

    # -- approval ----------------------------------------------------------------------------
    def get(self, indicator: str, period: str, breakdown: str = CITY) -> SeriesValue:
        self.catalogue.get(indicator)
        found = self.values.get(series_key(indicator, breakdown), Period.parse(period).code)
        if found is None:
            raise NotFound(
                f"Chưa có số liệu {indicator} kỳ {period} / No value of {indicator} for {period} yet."
            )
        return found

    def approve(
        self,
        indicator: str,
        period: str,
        by: str,
        reach: Reach,
        breakdown: str = CITY,
        comment: str | None = None,
        expected_version: int | None = None,
    ) -> SeriesValue:
        current = self.get(indicator, period, breakdown)
        entry = self._approvable(current, by, reach, expected_version)
        note = nfc(comment).strip() if comment else None
        if entry.warnings and not (entry.comment or note):
            raise _refuse(
                "comment",
                "Cần giải trình trước khi phê duyệt: "
                + "; ".join(f"{w.message_vi} ({w.detail})" for w in entry.warnings),
                "Explain before approving: "
                + "; ".join(f"{w.message_en} ({w.detail})" for w in entry.warnings),
            )
        now = self.clock.now()
        if note and not entry.comment:
            entry = entry.model_copy(update={"comment": note})
        revisions = list(current.revisions)
        if current.approved is not None:
            revisions.append(
                Revision(
                    no=len(revisions) + 1,
                    at=now,
                    entered_by=entry.by,
                    approved_by=by,
                    reason=entry.reason,
                    old_value=current.approved.value,
                    new_value=entry.value,
                    old_status=current.approved.status,
                    new_status=entry.status,
                )
            )
        approved = current.model_copy(
            update={
                "approved": entry,
                "approved_by": by,
                "approved_at": now,
                "pending": None,
                "revisions": revisions,
                "version": current.version + 1,
            }
        )
        unit = self.catalogue.get(indicator).owner_unit
        stream = [events.value_event(events.VALUE_APPROVED, approved, unit, now)]
        if current.approved is not None:
            # A revision is two events, approved then revised: each takes its own version, the
            # value's sequence, so a consumer ordering by sequence keeps both.
            approved = approved.model_copy(update={"version": approved.version + 1})
            stream.append(events.value_event(events.VALUE_REVISED, approved, unit, now))
        self._save([(approved, current.version)], stream)
        return approved

    def _approvable(self, current: SeriesValue, by: str, reach: Reach, expected: int | None) -> Entry:
        if expected is not None and expected != current.version:
            raise StaleVersion(
                "Số liệu đã thay đổi từ khi bạn mở / The value changed since you opened it.", current.version
            )
        if current.pending is None:
            raise Conflict("Không có số liệu chờ duyệt / Nothing is waiting for approval.")
        if person(current.pending.by) == person(by):
            raise Forbidden(
                "Không tự phê duyệt số liệu mình nhập (hai người: nhập và duyệt) / "
                "Nobody approves their own entry (one enters, another approves)."
            )
        owner = self.catalogue.get(current.indicator).owner_unit
        if not reach.unit(owner):
            raise Forbidden(
                f"Chỉ đơn vị {owner} hoặc cơ quan thống kê phê duyệt / "
                f"Only {owner} or the statistics office approve."
            )
        return current.pending

    def reject(
        self, indicator: str, period: str, by: str, reach: Reach, reason: str, breakdown: str = CITY
    ) -> SeriesValue:
        current = self.get(indicator, period, breakdown)
        # Taking back one's own entry is allowed (it is no approval); another's goes back only
        # as far as an approval would reach.
        if current.pending is None or person(current.pending.by) != person(by):
            self._approvable(current, by, reach, None)
        if not reason.strip():
            raise _refuse("reason", "Nêu lý do trả lại", "Say why it goes back")
        returned = current.model_copy(update={"pending": None, "version": current.version + 1})
        unit = self.catalogue.get(indicator).owner_unit
        event = events.value_event(events.VALUE_REJECTED, returned, unit, self.clock.now())
        event.data["reason"] = nfc(reason).strip()
        self._save([(returned, current.version)], [event])
        return returned

    def queue(self, by: str, reach: Reach) -> list[SeriesValue]:
        """What the caller may approve: others' entries of the units they reach."""
        return [
            v
            for v in self.values.pending()
            if v.pending is not None
            and person(v.pending.by) != person(by)
            and reach.unit(self.catalogue.get(v.indicator).owner_unit)
        ]

    def series(self, indicator: str, breakdown: str = CITY) -> list[SeriesValue]:
        self.catalogue.get(indicator)
        return self.values.history(series_key(indicator, breakdown))

    # -- targets -----------------------------------------------------------------------------
    def set_target(
        self,
        indicator: str,
        period: str,
        text: str,
        low: float | None,
        high: float | None,
        by: str,
        resolution: str | None = None,
    ) -> Target:
        code = self.catalogue.get(indicator).code
        when = Period.parse(period)
        if when.kind not in ("year", "quarter"):
            raise _refuse("period", "Chỉ tiêu đặt theo năm hoặc quý", "Targets are set per year or quarter")
        if low is None and high is None:
            raise _refuse("text", "Chỉ tiêu cần một con số hoặc khoảng", "A target needs a number or a range")
        if low is not None and high is not None and low > high:
            raise _refuse("text", "Cận dưới lớn hơn cận trên", "The low end is above the high end")
        stored = self.targets.get(code, when.code)
        target = Target(
            indicator=code,
            period=when.code,
            text=nfc(text).strip(),
            low=low,
            high=high,
            resolution=nfc(resolution).strip() if resolution else None,
            set_by=by,
            set_at=self.clock.now(),
            version=(stored.version if stored else 0) + 1,
        )
        if stored and (stored.text, stored.low, stored.high, stored.resolution) == (
            target.text,
            target.low,
            target.high,
            target.resolution,
        ):
            return stored
        unit = self.catalogue.get(code).owner_unit
        try:
            self.targets.save(target, stored.version if stored else 0, [events.target_set(target, unit)])
        except VersionConflict as error:
            raise Conflict("Chỉ tiêu vừa được thay đổi / The target changed meanwhile.") from error
        return target


def person(actor: str) -> str:
    """The account behind an actor ("unit_staff:tckh" is tckh): one person, whatever role acts."""
    return actor.rsplit(":", 1)[-1]


def _same(entry: Entry | None, new: NewValue) -> bool:
    return entry is not None and entry.value == new.value and entry.status == new.status
