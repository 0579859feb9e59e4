"""The report's headings and paragraphs: plain text in one font each, wrapped with the words
measured once per process (``Fonts.lines``) and set as one text block (``pdftext``).

reportlab's Paragraph parses its text as markup, keeps a fragment per word and draws through a
text object character by character, about a tenth of the pack's PDF for some twenty short
paragraphs. These break and place their lines as it does for one font: the first line indented,
centred or justified lines (all but the last, by the word spacing), the first baseline a font
size under the top, split between pages at a line (never leaving one line alone at the bottom).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ioc_core.socio_economic.pack.fonts import Fonts
from ioc_core.socio_economic.pack.pdftext import TextBlock


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    align: str = "left"  # left | centre | justify
    first_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False


class Para(Flowable):
    def __init__(self, text: str, style: Style, fonts: Fonts, lines: list[str] | None = None) -> None:
        super().__init__()
        self.text, self.style, self.fonts = text, style, fonts
        self.lines = lines  # given to the parts of a split paragraph
        self.width = self.height = 0.0
        self.spaceBefore, self.spaceAfter = style.space_before, style.space_after
        self.keepWithNext = int(style.keep_with_next)
        self._justify_last = False  # the first part of a split paragraph justifies its last line

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.lines is None:
            style = self.style
            self.lines = self.fonts.lines(
                self.text, style.font, style.size, availWidth, first=availWidth - style.first_indent
            )
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        assert self.lines is not None
        fit = int(availHeight / self.style.leading)
        if fit <= 1:  # no room, or a lone first line at the foot of the page
            return []
        if len(self.lines) <= fit:
            return [self]
        first = Para(self.text, self.style, self.fonts, self.lines[:fit])
        first._justify_last = True
        rest = Para(self.text, replace(self.style, first_indent=0.0), self.fonts, self.lines[fit:])
        return [first, rest]

    def draw(self) -> None:
        style, fonts = self.style, self.fonts
        assert self.lines is not None
        self.canv.setFillColor(colors.black)
        text = TextBlock(self.canv)
        text.set_font(style.font, style.size, style.leading)
        top = self.height - style.size
        last = len(self.lines) - 1
        for k, line in enumerate(self.lines):
            indent = style.first_indent if k == 0 else 0.0
            room = self.width - indent
            x, spacing = indent, 0.0
            if style.align == "centre":
                x += (room - fonts.width(line, style.font, style.size)) / 2
            elif style.align == "justify" and (k < last or self._justify_last):
                spaces = line.count(" ")
                if spaces:
                    spacing = (room - fonts.width(line, style.font, style.size)) / spaces
            text.line(x, top - k * style.leading, line, word_space=spacing)
        text.draw()
