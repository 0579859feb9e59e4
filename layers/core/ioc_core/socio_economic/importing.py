"""Bulk import of indicator values from CSV or XLSX (pandas; the analytics layer).

Columns: ``indicator, period, breakdown, value, status, comment, reason`` (breakdown, status,
comment and reason may be left out; any other column, like the entry template's name and unit
hints, is ignored). A row whose value is left blank is skipped and reported as skipped, so a
template filled in part imports the rows filled in. Every problem is reported by row and column, in
Vietnamese and English, and the file is then refused whole: the service writes nothing. A
cell that a spreadsheet would run as a formula (``=cmd|' /C calc'!A0``) is refused, as is a
file that is not UTF-8 (or UTF-8 with a BOM) or not a workbook.
"""

from __future__ import annotations

import io
import math
from typing import Any, NamedTuple

from pydantic import ValidationError

from ioc_core.shared.text import nfc
from ioc_core.socio_economic.catalogue import CITY
from ioc_core.socio_economic.service import ImportRefused, NewValue, RowError

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("indicator", "period", "breakdown", "value", "status", "comment", "reason")
REQUIRED = ("indicator", "period", "value")
MAX_ROWS = 2000
_FORMULA = ("=", "+", "@", "\t", "\r")
STATUS_WORDS = {
    "ước tính": "estimate",
    "uoc tinh": "estimate",
    "estimate": "estimate",
    "sơ bộ": "preliminary",
    "so bo": "preliminary",
    "preliminary": "preliminary",
    "chính thức": "official",
    "chinh thuc": "official",
    "official": "official",
}


def _file_error(vi: str, en: str) -> ImportRefused:
    return ImportRefused([RowError(0, "file", vi, en)])


def read_table(data: bytes, media_type: str) -> Any:
    import pandas as pd

    if media_type == XLSX:
        try:
            return pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        except Exception as error:
            raise _file_error(
                "Không đọc được tệp XLSX", f"Not a readable XLSX workbook ({type(error).__name__})"
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(
            f"Tệp không phải mã UTF-8 (byte {error.start}): lưu lại dạng CSV UTF-8",
            f"The file is not UTF-8 (byte {error.start}): save it as CSV UTF-8",
        ) from None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except Exception as error:
        raise _file_error("Không đọc được tệp CSV", f"Not a readable CSV file ({str(error)[:120]})") from None


def _cell(raw: Any) -> str:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    return nfc(str(raw)).strip()


def _number(raw: Any) -> float | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return None if math.isnan(raw) or math.isinf(raw) else float(raw)
    text = _cell(raw).replace("\u00a0", "").replace(" ", "")
    if "," in text:  # Vietnamese: comma for decimals, dots between thousands
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) or math.isinf(value) else value


class ParsedFile(NamedTuple):
    rows: list[tuple[int, NewValue]]  # (row number as a spreadsheet shows it: the header is 1, entry)
    errors: list[RowError]  # the rows that could not be read (the service adds its own)
    skipped: list[int]  # the rows whose value was left blank


def parse_rows(data: bytes, media_type: str) -> ParsedFile:
    """The file's rows as entries, the problems of the rows that could not be read, and the
    rows left without a value (skipped, not an error; a cell that starts a formula is refused
    in those too)."""
    table = read_table(data, media_type)
    table.columns = [nfc(str(c)).strip().lower() for c in table.columns]
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise _file_error(f"Thiếu cột: {', '.join(missing)}", f"Missing columns: {', '.join(missing)}")
    if len(table) > MAX_ROWS:
        raise _file_error(f"Tối đa {MAX_ROWS} dòng mỗi tệp", f"At most {MAX_ROWS} rows per file")
    rows: list[tuple[int, NewValue]] = []
    errors: list[RowError] = []
    skipped: list[int] = []
    for n, record in enumerate(table.to_dict("records"), start=2):
        if not _cell(record.get("value")):
            refused = _formula_errors(n, record)
            errors.extend(refused)
            if not refused:
                skipped.append(n)
            continue
        row_errors = _row_errors(n, record)
        if row_errors:
            errors.extend(row_errors)
            continue
        fields = {c: _cell(record.get(c)) for c in COLUMNS if c in record}
        status = STATUS_WORDS.get(fields.get("status", "").lower(), fields.get("status") or "estimate")
        try:
            rows.append(
                (
                    n,
                    NewValue(
                        indicator=fields["indicator"].upper(),
                        period=fields["period"],
                        breakdown=fields.get("breakdown") or CITY,
                        value=_number(record["value"]),  # type: ignore[arg-type]
                        status=status,  # type: ignore[arg-type]  # pydantic checks it
                        comment=fields.get("comment") or None,
                        reason=fields.get("reason") or None,
                    ),
                )
            )
        except ValidationError as error:
            for problem in error.errors():
                column = str(problem["loc"][0]) if problem["loc"] else "row"
                errors.append(RowError(n, column, "giá trị không hợp lệ", problem["msg"]))
    if not rows and not errors:
        if skipped:
            raise _file_error(
                f"Chưa dòng nào được điền giá trị ({len(skipped)} dòng để trống)",
                f"No row has a value filled in ({len(skipped)} rows left blank)",
            )
        raise _file_error("Tệp không có dòng số liệu nào", "The file holds no rows")
    return ParsedFile(rows, errors, skipped)


def _formula_errors(n: int, record: dict[str, Any]) -> list[RowError]:
    errors = []
    for column in COLUMNS:
        text = _cell(record.get(column))
        if column == "value":
            continue  # checked as a number below
        # "-" alone and a negative number are data; "-cmd|…" is a formula.
        if text.startswith(_FORMULA) or (text.startswith("-") and len(text) > 1 and _number(text) is None):
            errors.append(
                RowError(
                    n,
                    column,
                    "ô bắt đầu như một công thức, bị từ chối",
                    "a cell that starts a formula is refused",
                )
            )
    return errors


def _row_errors(n: int, record: dict[str, Any]) -> list[RowError]:
    errors = _formula_errors(n, record)
    for column in REQUIRED:
        if not _cell(record.get(column)):
            errors.append(RowError(n, column, "ô trống", "empty cell"))
    raw = record.get("value")
    if _cell(raw) and _number(raw) is None:
        errors.append(
            RowError(n, "value", f"không phải số: {_cell(raw)[:40]!r}", f"not a number: {_cell(raw)[:40]!r}")
        )
    return errors
