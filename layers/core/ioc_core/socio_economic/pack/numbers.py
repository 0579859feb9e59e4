"""Numbers as a Vietnamese report prints them: "10.851,0" and "108,5 %" (a dot groups the
thousands, a comma marks the decimals, a space before the per-cent sign)."""

from __future__ import annotations

DASH = "–"  # no figure
FIGURES = "0123456789.,-+ %" + DASH  # every character vn_number and vn_percent write
_SWAP = str.maketrans(",.", ".,")


def vn_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return DASH
    return f"{value:,.{decimals}f}".translate(_SWAP)


def vn_percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    if value is None:
        return DASH
    text = vn_number(value, decimals)
    return f"{'+' if signed and value > 0 else ''}{text} %"


def decimals_for(unit: str) -> int:
    """Two decimals for indicators measured in %, one for the rest (as the workbook's formats)."""
    return 2 if unit.strip() == "%" else 1
