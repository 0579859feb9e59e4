"""The socio-economic meeting pack: workbook + PDF + manifest hashes for a realistic month of 60
indicators in seven groups, three tasks and two charts, against writing the same cells with
xlsxwriter alone (no formats, no band, no PDF) in the same run (target ratio < 3).

Each run changes one figure, so nothing the pack might cache between builds of one content
helps it here; what it keeps per process is keyed by what recurs from one month's pack to the
next (a cell's text and width, a font face's set of letters), and helps here as it would then.
``--profile`` prints where the pack's time goes instead.

Where it goes (60 indicators, 2 charts, 4 pages; rl-accel installed; a shared 2-core machine):
the pack 16.3–16.9 ms against a floor of 5.8–5.9 ms, ratio 2.76–2.89 in three runs (3.0–3.1
before the pack's worksheet wrote its formatted cells itself; 3.98–4.01 before the work of the
session before; 6.9 before issue 12's "Measured" was first worked on). Apart, the workbook is
1.33 floors and the PDF 1.22. The workbook is xlsxwriter's own per-cell work (a cell tuple,
the dimension checks, the shared strings, the zip's deflate) on ~1,050 cells where the floor
writes ~900, with a style on each; its formatted cells skip xlsxwriter's attribute escaping
(the format's index, an int, escaped through a caught TypeError: a sixth of the workbook),
and the band, widths, frozen header and filter cost little. The PDF: reportlab's
serialisation (the objects' formatting and deflating the four page streams; each font subset
is cut, its widths formatted and its ToUnicode map deflated once per process and set of
letters), the tables (formatting some 760 positioned lines), the cells' fitting and the story,
the charts, then platypus' layout and page starts. Without rl-accel the PDF takes about 5 ms
more.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
from pathlib import Path
from typing import Any

from common import emit, interleaved

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "socio_economic"))

from pack_example import example_data

from ioc_core.platform.exports import XLSX_OPTIONS
from ioc_core.socio_economic.pack import workbook
from ioc_core.socio_economic.pack.freeze import freeze
from ioc_core.socio_economic.pack.model import PackContent

TARGET = 3.0
VARIANTS = 16


def contents() -> list[PackContent]:
    """The same pack with one figure changed per variant."""
    out = []
    for n in range(VARIANTS):
        data = example_data()
        data["groups"][0]["rows"][0]["value"] = 7.0 + n / 100
        out.append(PackContent.model_validate(data))
    return out


def same_cells(content: PackContent) -> list[tuple[str, list[list[Any]]]]:
    """What the pack's workbook writes, as plain sheets of header + rows."""
    sheets = [("Tổng hợp", [[c.header for c in workbook.SUMMARY_COLUMNS]])]
    for group in content.groups:
        rows = [workbook._indicator_cells(row) for row in group.rows]
        sheets.append((group.code, [[c.header for c in workbook.INDICATOR_COLUMNS], *rows]))
    tasks = [workbook._task_cells(n, t) for n, t in enumerate(content.tasks, 1)]
    sheets.append(("tasks", [[c.header for c in workbook.TASK_COLUMNS], *tasks]))
    return sheets


def write_cells(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)  # the same text-as-text rules
    for name, rows in sheets:
        page = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    page.write(r, c, value)
    book.close()
    return buffer.getvalue()


def main() -> int:
    from reportlab.lib import rl_accel

    if rl_accel._py_funcs:  # reportlab fell back to its pure-Python helpers
        print("rl-accel is not installed: the PDF is about 5 ms slower (make install)", file=sys.stderr)
    packs = contents()
    cells = [same_cells(c) for c in packs]
    if "--profile" in sys.argv:
        cProfile.runctx(
            "for c in packs * 4: freeze(c)", globals(), {"packs": packs, "freeze": freeze}, "/tmp/pack.prof"
        )
        pstats.Stats("/tmp/pack.prof").sort_stats("cumulative").print_stats(40)
        return 0

    def pack(i: int) -> None:
        freeze(packs[i % VARIANTS])

    def floor(i: int) -> None:
        write_cells(cells[i % VARIANTS])

    ours, base = interleaved(pack, floor, rounds=5, runs=20)
    emit("socio_economic.meeting_pack_60_indicators", ours, "s", base, TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
