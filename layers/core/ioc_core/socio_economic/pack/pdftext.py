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
        self.font: Any = None
        self.size = self.leading = 0.0
        self.subset: str | None = None  # the subset font last selected in this block
        self.codes = _CODES.setdefault(self.doc, {})

    def set_font(self, name: str, size: float, leading: float) -> None:
        self.font, self.size, self.leading, self.subset = getFont(name), size, leading, None

    def line(self, x: float, y: float, text: str) -> None:
        """``text`` with its baseline's start at (x, y), then a line break."""
        self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        known, table = self.codes.setdefault(self.font.fontName, (set(), {}))
        if known.issuperset(text):
            chunks = [(0, text.translate(table).encode("latin-1"))]
        else:
            chunks = self.font.splitString(text, self.doc)
            assignments = self.font.state[self.doc].assignments
            for char in set(text):
                code = assignments.get(ord(char))
                if code is not None and code < 256:  # the first subset: one byte, no switch
                    known.add(char)
                    table[ord(char)] = chr(code)
        for subset, data in chunks:
            name = self.font.getSubsetInternalName(subset, self.doc)
            if name != self.subset:
                self.code.append(f"{name} {fp_str(self.size)} Tf {fp_str(self.leading)} TL")
                self.subset = name
            self.code.append(f"({escapePDF(data)}) Tj")
        # Each line ends as reportlab's textLine ends it: readers copy a cell a line.
        self.code.append("T*")

    def draw(self) -> None:
        self.code.append("ET")
        self.canvas.addLiteral(" ".join(self.code))
