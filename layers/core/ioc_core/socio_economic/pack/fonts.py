"""The PDF's font: Be Vietnam Pro, embedded, registered once per process.

Decree 30/2020/NĐ-CP names Times New Roman for administrative documents, but its licence does
not let us ship it in a Lambda layer; Be Vietnam Pro (OFL-1.1, designed for Vietnamese) has every
letter with its diacritics, which reportlab's built-in Helvetica does not (it prints boxes).
Text is NFC-normalised before it is drawn (decomposed marks misplace), and the few characters
the font lacks ("→" is one) are written in ones it has rather than printed as empty boxes.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFObject

FAMILY = "BeVietnamPro"
_STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
_STAND_INS = {"→": "–", "⇒": "–", "←": "–", "⟶": "–", "●": "•"}


@dataclass(frozen=True, eq=False)  # one per process (register): hashed as itself, for the caches
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    covered: frozenset[str]  # the characters the regular face has a glyph for, and \n

    def printable(self, text: str) -> str:
        """NFC text in letters the font has: stand-ins for arrows, "?" for anything else."""
        text = unicodedata.normalize("NFC", text)
        if self.covered.issuperset(text):  # nearly always: one set operation, no loop
            return text
        return "".join(self._stand_in(c) for c in text)

    def _stand_in(self, char: str) -> str:
        if char in self.covered:
            return char
        substitute = _STAND_INS.get(char, "?")
        return substitute if self.covered.issuperset(substitute) else "?"

    def width(self, text: str, font: str, size: float) -> float:
        return _width(text, font, size)

    def lines(self, text: str, font: str, size: float, width: float, first: float | None = None) -> list[str]:
        """``text`` broken at spaces into lines of at most ``width`` (``first`` for the first line
        if given; a longer word keeps a line of its own), as reportlab's ``simpleSplit`` breaks
        one line, but measuring each word once per process: the syllables of Vietnamese recur
        in every cell."""
        space = _width(" ", font, size)
        lines: list[str] = []
        words: list[str] = []
        used = -space
        room = width if first is None else first
        for word in text.split():
            wide = _width(word, font, size)
            if words and used + space + wide > room:
                lines.append(" ".join(words))
                words, used, room = [word], wide, width
            else:
                words.append(word)
                used += space + wide
        if words:
            lines.append(" ".join(words))
        return lines


def font_files() -> dict[str, Path]:
    """The TTF files of the installed ``fontpkg_be_vietnam_pro`` package, by style."""
    import fontpkg_be_vietnam_pro

    root = Path(fontpkg_be_vietnam_pro.__file__).resolve().parent
    found = {}
    for style, suffix in _STYLES.items():
        matches = sorted(root.rglob(f"BeVietnamPro-{suffix}.ttf"))
        if matches:
            found[style] = matches[0]
    if "regular" not in found or "bold" not in found:
        raise RuntimeError(f"Be Vietnam Pro Regular and Bold are not in {root}")
    return found


@functools.cache
def register() -> Fonts:
    """Registers the family with reportlab once; parsing a TTF costs milliseconds per face."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = font_files()
    names: dict[str, str] = {}
    for style, path in files.items():
        name = f"{FAMILY}-{_STYLES[style]}"
        # Not "ASCII readable": reportlab would put all of ASCII in every subset, used or not,
        # which was most of the italic faces' subsets (a date line, one heading) and a fifth
        # of the PDF's bytes and its serialisation.
        font = TTFont(name, str(path), asciiReadable=False)
        _remember_subsets(font.face)
        _formatted_widths(font)
        pdfmetrics.registerFont(font)
        names[style] = name
    # Without Italic the slanted lines fall back to upright rather than failing.
    names.setdefault("italic", names["regular"])
    names.setdefault("bold_italic", names["bold"])
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
        addMapping(FAMILY, bold, italic, names[style])
    face = pdfmetrics.getFont(names["regular"]).face  # type: ignore[attr-defined]
    return Fonts(
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        bold_italic=names["bold_italic"],
        covered=frozenset(chr(c) for c in face.charToGlyph) | {"\n"},
    )


def _remember_subsets(face: Any) -> None:
    """The face's subsets made once per process and set of letters: cutting a subset out of the
    TTF is a pure-Python walk over its glyphs (about half a millisecond a face), and a month's
    pack draws the same letters as the last one (``document`` gives them their codes in one
    order, so the same letters are the same subset)."""
    make = face.makeSubset

    @functools.lru_cache(maxsize=16)
    def made(codes: tuple[int, ...]) -> bytes:
        return bytes(make(list(codes)))

    face.makeSubset = lambda subset: made(tuple(subset))


def _formatted_widths(font: Any) -> None:
    """Each subset's widths formatted once per process and set of letters: reportlab formats
    the array of up to 256 numbers one element at a time in Python, for every font of every
    document (about a twentieth of the PDF's time), and the same letters have the same widths.
    The numbers and their layout are reportlab's own: only the formatting is not repeated."""
    add = font.addObjects

    def add_objects(doc: Any) -> None:
        add(doc)
        for pdf_font in doc.idToObject["BasicFonts"].dict.values():
            widths: Any = getattr(pdf_font, "Widths", None)
            if type(widths) is PDFArray:
                pdf_font.Widths = _widths_array(tuple(widths.sequence))

    font.addObjects = add_objects


class _Formatted(PDFObject):  # type: ignore[misc]
    """A direct object whose bytes do not depend on the document (no references in it)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


@functools.lru_cache(maxsize=64)
def _widths_array(widths: tuple[float, ...]) -> _Formatted:
    return _Formatted(PDFArray(list(widths)).format(None))  # plain numbers: no document needed


@functools.lru_cache(maxsize=8192)
def _width(text: str, font: str, size: float) -> float:
    """Names, units and headers recur in every pack: measuring a string is a loop over its
    glyphs in pure Python, so each is measured once per process."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))
