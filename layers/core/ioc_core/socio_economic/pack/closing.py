"""The report's closing block (Decree 30/2020/NĐ-CP, Appendix I): "Nơi nhận:" and the
recipients at the left, the signature block centred at the right, never split over a page.

One flowable that wraps its lines itself (``Fonts.lines``) and sets them as one text block: a
layout table of paragraphs kept together cost reportlab a table's geometry, a deep copy of the
block per wrap and a text object per paragraph, a tenth of the PDF's time.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ioc_core.socio_economic.pack.fonts import Fonts
from ioc_core.socio_economic.pack.model import PackContent
from ioc_core.socio_economic.pack.pdftext import TextBlock

GAP = 8 * mm  # between the body and the block
SEAL = 22 * mm  # room for the signature and the seal
_PAD_TOP, _PAD_BOTTOM, _PAD_RIGHT = 3.0, 3.0, 6.0  # each column's margins


@dataclass(frozen=True)
class _Para:
    lines: list[str]
    font: str
    size: float
    leading: float
    centred: bool = False
    space_after: float = 0.0

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading + self.space_after


RECIPIENTS = "Nơi nhận:"


def _recipient_lines(content: PackContent) -> list[str]:
    """ "- UBND tỉnh Lâm Đồng (b/c);" each, the last one ending in a full stop."""
    lines = []
    for n, name in enumerate(content.recipients, start=1):
        ending = "" if name.endswith(".") else ("." if n == len(content.recipients) else ";")
        lines.append(f"- {name}{ending}")
    return lines


def letters(content: PackContent, fonts: Fonts) -> dict[str, str]:
    """The text the block draws, by font (see ``document.give_codes``)."""
    signer = content.signer
    return {
        fonts.regular: "".join(_recipient_lines(content)),
        fonts.bold: f"{signer.on_behalf}{signer.title}{signer.name}",
        fonts.bold_italic: RECIPIENTS,
    }


class Closing(Flowable):
    def __init__(self, content: PackContent, fonts: Fonts, width: float) -> None:
        super().__init__()
        self.fonts, self.width = fonts, width
        # Centred like the layout table it replaces: the frame's 6 pt paddings either side are
        # the block's own, so its left column starts on Decree 30's 30 mm margin.
        self.hAlign = "CENTER"
        room = width / 2 - _PAD_RIGHT

        def para(text: str, font: str, size: float, leading: float, **kw: float | bool) -> _Para:
            lines = fonts.lines(fonts.printable(text), font, size, room) or [""]
            return _Para(lines, font, size, leading, **kw)  # type: ignore[arg-type]

        self.recipients = [para(RECIPIENTS, fonts.bold_italic, 11, 14)]
        for line in _recipient_lines(content):
            self.recipients.append(para(line, fonts.regular, 9.5, 12))
        signer = content.signer
        self.signature = [
            para(signer.on_behalf, fonts.bold, 11, 15, centred=True),
            para(signer.title, fonts.bold, 11, 15, centred=True, space_after=SEAL),
            para(signer.name, fonts.bold, 11, 15, centred=True),
        ]
        column = max(sum(p.height for p in self.recipients), sum(p.height for p in self.signature))
        self.height = GAP + _PAD_TOP + column + _PAD_BOTTOM

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFillColor(colors.black)
        text = TextBlock(self.canv)
        half = self.width / 2
        for left, paras in ((0.0, self.recipients), (half, self.signature)):
            top = self.height - GAP - _PAD_TOP
            for p in paras:
                text.set_font(p.font, p.size, p.leading)
                for k, line in enumerate(p.lines):
                    x = left
                    if p.centred:
                        x += (half - _PAD_RIGHT - self.fonts.width(line, p.font, p.size)) / 2
                    text.line(x, top - p.size - k * p.leading, line)  # as a Paragraph's baselines
                top -= p.height
        text.draw()
