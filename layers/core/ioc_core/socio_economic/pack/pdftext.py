"""Lines of text written as PDF operators in one BT/ET block: the pack's tables set about a
thousand short lines, and reportlab's text object encodes each one character by character into
the font's subset codes in Python (its ``splitString``), which was most of a table's time.

The subset codes are still reportlab's own: a line with a character not yet seen goes through
``splitString``, which assigns it a code (so the subset, its widths and its ToUnicode map stay
right); after that, lines of seen characters are encoded with one ``str.translate``, straight
to the string's escaped bytes (``escapePDF`` escapes byte by byte), and a table's lines all at
once (``lines``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont

_ESCAPED = [escapePDF(bytes((code,))) for code in range(256)]  # escapePDF goes byte by byte
# Per document and font: the characters whose code in the first subset we have seen, and the
# translation to those codes as a PDF string writes them. A code once given never changes, so
# what was learnt stays true.
_CODES: WeakKeyDictionary[Any, dict[str, tuple[set[str], dict[int, str]]]] = WeakKeyDictionary()


def give_codes(name: str, doc: Any, letters: str) -> None:
    """``letters`` given their codes in the font's subsets now, in this order, and known to
    every text block of the document: their lines need no ``splitString``."""
    font = getFont(name)
    font.splitString(letters, doc)
    known, table = _CODES.setdefault(doc, {}).setdefault(name, (set(), {}))
    _remember(font, doc, known, table, set(letters))


def _remember(font: Any, doc: Any, known: set[str], table: dict[int, str], letters: set[str]) -> None:
    assignments = font.state[doc].assignments
    for char in letters:
        code = assignments.get(ord(char))
        if code is not None and code < 256:  # the first subset: one byte, no switch
            known.add(char)
            table[ord(char)] = _ESCAPED[code]


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

    def line(self, x: float, y: float, text: str, word_space: float = 0.0) -> None:
        """``text`` with its baseline's start at (x, y), then a line break (as reportlab's
        textLine ends a line: readers copy a cell a line); ``word_space`` widens each space (a
        justified line: every subset has the space at code 32, which is what Tw widens)."""
        code = self.code
        if word_space:
            code.append(f"{fp_str(word_space)} Tw")
        if self.known.issuperset(text):  # nearly always: one translate
            self._first_subset()
            code.append(f"1 0 0 1 {fp_str(x, y)} Tm ({text.translate(self.table)}) Tj T*")
        else:
            self._learn(x, y, text)
        if word_space:
            code.append("0 Tw")

    def lines(self, points: Sequence[tuple[float, float]], texts: Sequence[str]) -> None:
        """Many ``line``s at once: a table's cells, translated together."""
        if not texts:
            return
        joined = "\n".join(texts)  # no line holds a line break, nor does a translated one
        if not (self.known | {"\n"}).issuperset(joined):
            for (x, y), text in zip(points, texts, strict=True):
                self.line(x, y, text)
            return
        self._first_subset()
        self.code += [
            f"1 0 0 1 {fp_str(x, y)} Tm ({data}) Tj T*"
            for (x, y), data in zip(points, joined.translate(self.table).split("\n"), strict=True)
        ]

    def _first_subset(self) -> None:
        if self.subset != self.first:
            self.code.append(f"{self.first} {self.tf}")
            self.subset = self.first

    def _learn(self, x: float, y: float, text: str) -> None:
        """A line with a letter not seen yet: reportlab encodes it (and gives the letter its
        code if it has none), and the first subset's codes are remembered for next time."""
        self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, data in self.font.splitString(text, self.doc):
            name = self.font.getSubsetInternalName(subset, self.doc)
            if name != self.subset:
                self.code.append(f"{name} {self.tf}")
                self.subset = name
            self.code.append(f"({escapePDF(data)}) Tj")
        self.code.append("T*")
        _remember(self.font, self.doc, self.known, self.table, set(text))

    def draw(self) -> None:
        self.code.append("ET")
        self.canvas.addLiteral(" ".join(self.code))
