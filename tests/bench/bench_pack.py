"""The socio-economic meeting pack: workbook + PDF + manifest hashes for a realistic month of 60
indicators in seven groups, three tasks and two charts, against writing the same cells with
xlsxwriter alone (no formats, no band, no PDF) in the same run (target ratio < 3).

Each run changes one figure, so nothing the pack might cache between builds of one content
helps it here. ``--profile`` prints where the pack's time goes instead.

Where it goes (60 indicators, 2 charts, 4 pages; rl-accel installed; a shared 2-core machine
about 2.5 times slower than the one that measured 22.5 ms against 5.1 ms): the pack 51–54 ms
against a floor of 13–15 ms, ratio 3.6–4.0 in three runs (4.0–4.9 on the same machine before
the font subsets left out the ASCII they do not use; 6.9 before the work of issue 12's
"Measured"). The PDF about 28 ms: reportlab's serialisation 9 ms (zlib 3 ms at level 1, two
thirds of it the four font subsets; subsetting 1.7 ms; the objects' formatting, the subsets'
widths among them, 4 ms), the tables' text 6.7 ms (some 800 lines), building the story 5 ms
(the cells' wrapping and the paragraphs), platypus' layout about 6 ms, the charts, heading and
closing block 1.8 ms. The workbook is 1.5 times the floor by itself: the same cells through
xlsxwriter with a style on every cell (each one escaped as an attribute), the band, widths,
frozen header and filter; no change inside xlsxwriter gets it near the floor, so a ratio under
3 needs a PDF under about 1.3 floors. Without rl-accel the PDF takes about 5 ms more.
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
