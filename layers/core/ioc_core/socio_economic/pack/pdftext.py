"""Lines of text written as PDF operators in one BT/ET block: the pack's tables set about a
thousand short lines, and reportlab's text object encodes each one character by character into
the font's subset codes in Python (its ``splitString``), which was most of a table's time.

The subset codes are still reportlab's own: a line with a character not yet seen goes through
``splitString``, which assigns it a code (so the subset, its widths and its ToUnicode map stay
right); after that, lines of seen characters are encoded with one ``str.translate``.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont

# Per document and font: the characters whose code in the first subset we have seen, and the
# translation to those codes. A code once given never changes, so what was learnt stays true.
_CODES: WeakKeyDictionary[Any, dict[str, tuple[set[str], dict[int, str]]]] = WeakKeyDictionary()


class TextBlock:
    """Positioned lines in one text object; ``draw`` hands them to the canvas."""

    def __init__(self, canvas: Any) -> None:
        self.canvas, self.doc = canvas, canvas._doc  # the document owns the subsets' codes
        self.code = ["BT"]
        self.codes = _CODES.setdefault(self.doc, {})
        self.font: Any = None
        self.known: set[str] = set()
        self.table: dict[int, str] = {}
        self.first = self.tf = ""  # the font's first subset and its size operators
        self.subset: str | None = None  # the subset font last selected in this block

    def set_font(self, name: str, size: float, leading: float) -> None:
        tf = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        if self.font is not None and self.font.fontName == name and tf == self.tf:
            return  # the same font: its operators stand
        self.font, self.subset, self.tf = getFont(name), None, tf
        self.known, self.table = self.codes.setdefault(name, (set(), {}))
        self.first = self.font.getSubsetInternalName(0, self.doc)

    def line(self, x: float, y: float, text: str) -> None:
        """``text`` with its baseline's start at (x, y), then a line break (as reportlab's
        textLine ends a line: readers copy a cell a line)."""
        if self.known.issuperset(text):  # nearly always: one translate, one escape
            if self.subset != self.first:
                self.code.append(f"{self.first} {self.tf}")
                self.subset = self.first
            data = escapePDF(text.translate(self.table).encode("latin-1"))
            self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm ({data}) Tj T*")
            return
        self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, data in self.font.splitString(text, self.doc):
            name = self.font.getSubsetInternalName(subset, self.doc)
            if name != self.subset:
                self.code.append(f"{name} {self.tf}")
                self.subset = name
            self.code.append(f"({escapePDF(data)}) Tj")
        self.code.append("T*")
        assignments = self.font.state[self.doc].assignments
        for char in set(text):
            code = assignments.get(ord(char))
            if code is not None and code < 256:  # the first subset: one byte, no switch
                self.known.add(char)
                self.table[ord(char)] = chr(code)

    def draw(self) -> None:
        self.code.append("ET")
        self.canvas.addLiteral(" ".join(self.code))
