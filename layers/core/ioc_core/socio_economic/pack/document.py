"""The meeting pack's PDF, in the layout of a Vietnamese administrative report (Decree
30/2020/NĐ-CP, Appendix I): the issuing body and the number top left, the national title and
the motto top right, place and date in italics, the title and its subtitle, the body, then
"Nơi nhận:" bottom left and the signature block bottom right. A4 with the decree's margins
(top 20 mm, bottom 20 mm, left 30 mm, right 15 mm); page numbers centred in the top margin
from the second page on.

The decree names Times New Roman, which cannot be shipped in the layer (its licence forbids
redistribution): the text is set in Be Vietnam Pro, embedded (see ``fonts``). The bytes depend
on the content only (reportlab's ``invariant`` mode fixes the dates and the document id).
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import PDFZCompress
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    SimpleDocTemplate,
    Spacer,
)

from ioc_core.socio_economic.pack import pdftext
from ioc_core.socio_economic.pack.charts import chart_rows
from ioc_core.socio_economic.pack.charts import letters as chart_letters
from ioc_core.socio_economic.pack.closing import Closing
from ioc_core.socio_economic.pack.closing import letters as closing_letters
from ioc_core.socio_economic.pack.fonts import Fonts, register
from ioc_core.socio_economic.pack.model import PackContent
from ioc_core.socio_economic.pack.numbers import FIGURES
from ioc_core.socio_economic.pack.paragraphs import Para, Style
from ioc_core.socio_economic.pack.tables import STATUS_NOTE, indicator_table, task_table
from ioc_core.socio_economic.pack.tables import letters as table_letters

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
_ROMAN = ("I", "II", "III", "IV")
SECTIONS = ("ĐÁNH GIÁ CHUNG", "CÁC CHỈ TIÊU CHỦ YẾU", "TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ")
_HEADING_ROOM = 40 * mm
STREAM_LEVEL = 1  # zlib level of every stream (pages, font subsets, their ToUnicode maps)


def build_pdf(content: PackContent) -> bytes:
    fonts = register()
    styles = _styles(fonts)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=MARGINS_MM["top"] * mm,
        bottomMargin=MARGINS_MM["bottom"] * mm,
        leftMargin=MARGINS_MM["left"] * mm,
        rightMargin=MARGINS_MM["right"] * mm,
        invariant=1,
        initialFontName=fonts.regular,  # else reportlab adds an unembedded Helvetica
        title=fonts.printable(f"{content.title} {content.subtitle}"),
        author=fonts.printable(content.issuer.name),
        subject=f"{content.period}",
        creator="IOC Phan Thiết",
        lang="vi",
    )
    story = _story(content, fonts, styles, doc.width)
    with _quick_streams():
        doc.build(
            story,
            onFirstPage=lambda canvas, d: give_codes(canvas, content, fonts),
            onLaterPages=lambda canvas, d: _page_number(canvas, d, fonts),
        )
    return buffer.getvalue()


def give_codes(canvas: Any, content: PackContent, fonts: Fonts) -> None:
    """Each face's letters get their codes in the document's font subsets before anything is
    drawn, in Unicode order: so a subset depends on which letters the pack prints and not on
    which came first (a number's digits, a new summary), and next month's pack, printing the
    same letters, makes the same subsets, which ``fonts`` keeps. A letter nobody foresaw here
    still prints: it takes the next code when it is drawn."""
    planned: dict[str, str] = {}
    for part in (
        _letters(content, fonts),
        table_letters(content, fonts),
        chart_letters(content.charts, fonts),
        closing_letters(content, fonts),
    ):
        for font, text in part.items():
            planned[font] = planned.get(font, "") + text
    for font in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
        # The content is NFC already (the model's validators): its letters are printable one by one.
        chars = sorted(set(fonts.printable("".join(set(planned.get(font, ""))))) - {"\n"})
        pdftext.give_codes(font, canvas._doc, "".join(chars))


def _letters(content: PackContent, fonts: Fonts) -> dict[str, str]:
    """The heading's, the headings' and the paragraphs' text, by font."""
    issuer = content.issuer
    bold = [issuer.name, NATIONAL_TITLE, MOTTO, content.title, content.subtitle, *_ROMAN, ". ", *SECTIONS]
    bold += [f"{n}. {group.name_vi}" for n, group in enumerate(content.groups, start=1)]
    regular = [issuer.parent.upper(), f"Số: {content.number}", *content.summary, FIGURES]
    if content.tasks:
        regular.append(_lead(content))
    return {
        fonts.bold: "".join(bold),
        fonts.regular: "".join(regular),
        fonts.italic: place_and_date(content.place, content.issued) + STATUS_NOTE,
    }


@contextmanager
def _quick_streams() -> Iterator[None]:
    """Streams compressed but not ASCII85-wrapped: a quarter smaller and a fifth quicker to
    write, and every reader since PDF 1.0 takes binary streams; and deflated at zlib's level 1,
    which takes half the time of its default 6 for a file about 7 % larger (87 KB for the
    60-indicator pack; most of it the font subsets). reportlab's switches are global: the
    previous ones are put back, and a build holds no other PDF's streams."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    PDFZCompress.encode = _deflate  # type: ignore[method-assign]  # the filter every stream shares
    try:
        yield
    finally:
        rl_config.useA85 = previous
        del PDFZCompress.encode  # back to the class's level-6 method


def _deflate(data: str | bytes) -> bytes:
    if isinstance(data, bytes):  # a font subset: the same object while its letters are the same
        return _deflate_kept(data)
    if data.startswith(_CMAP):  # a subset's ToUnicode map: the same text for the same letters
        return _deflate_kept(data.encode("utf-8"))
    return zlib.compress(data.encode("utf-8"), STREAM_LEVEL)  # a page: new every time


_CMAP = "/CIDInit /ProcSet findresource begin"


@functools.lru_cache(maxsize=32)
def _deflate_kept(data: bytes) -> bytes:
    return zlib.compress(data, STREAM_LEVEL)


def _story(content: PackContent, fonts: Fonts, styles: dict[str, Style], width: float) -> list[Any]:
    def para(text: str, style: str) -> Para:
        return Para(fonts.printable(text), styles[style], fonts)

    story: list[Any] = [_Heading(content, fonts), Spacer(1, 7 * mm)]
    story += [para(content.title, "title"), para(content.subtitle, "subtitle")]
    story += [HRFlowable(width="22%", thickness=0.6, color="black", spaceBefore=2, spaceAfter=10)]
    sections = iter(_ROMAN)
    if content.summary or content.charts:
        story.append(para(f"{next(sections)}. {SECTIONS[0]}", "section"))
        story += [para(text, "body") for text in content.summary]
        story += _charts(content, fonts, width)
    story.append(para(f"{next(sections)}. {SECTIONS[1]}", "section"))
    story.append(para(STATUS_NOTE, "note"))
    for n, group in enumerate(content.groups, start=1):
        # A heading with at least a few rows under it; the table itself splits across pages.
        story += [
            CondPageBreak(_HEADING_ROOM),
            para(f"{n}. {group.name_vi}", "group"),
            indicator_table(group, fonts),
        ]
    if content.tasks:
        story.append(para(f"{next(sections)}. {SECTIONS[2]}", "section"))
        story.append(para(_lead(content), "lead"))
        story.append(task_table(content.tasks, fonts))
    story.append(Closing(content, fonts, width))
    return story


def _lead(content: PackContent) -> str:
    at_risk = sum(t.at_risk for t in content.tasks)
    return f"{len(content.tasks)} nhiệm vụ, {at_risk} nhiệm vụ có nguy cơ chậm tiến độ."


def _charts(content: PackContent, fonts: Fonts, width: float) -> list[Any]:
    """Two charts a row: the key figures at a glance without a page of their own each."""
    if not content.charts:
        return []
    return [Spacer(1, 3 * mm), *chart_rows(content.charts, fonts, width)]


class _Heading(Flowable):
    """The decree's heading: body and number at the left, national title, motto, place and date
    at the right, each centred in its column, with the short rules under body and motto."""

    LEFT_SHARE = 0.42
    CAPS, MOTTO, LINE = 11.0, 12.0, 15.0  # sizes and leading, in points

    def __init__(self, content: PackContent, fonts: Fonts) -> None:
        super().__init__()
        self.content, self.fonts = content, fonts
        self.issuer_lines: list[str] = []
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        left = availWidth * self.LEFT_SHARE
        name = self.fonts.printable(self.content.issuer.name)
        self.issuer_lines = balanced_lines(name, self.fonts.bold, self.CAPS, left - 4)
        body_lines = 1 + len(self.issuer_lines)
        self.height = self.LINE * (body_lines + 1) + 12
        return availWidth, self.height

    def draw(self) -> None:
        canvas, fonts, content = self.canv, self.fonts, self.content
        left_w = self.width * self.LEFT_SHARE
        lx, rx = left_w / 2, left_w + (self.width - left_w) / 2
        top = self.height - self.CAPS
        canvas.setFont(fonts.regular, self.CAPS)
        canvas.drawCentredString(lx, top, fonts.printable(content.issuer.parent.upper()))
        canvas.setFont(fonts.bold, self.CAPS)
        for i, line in enumerate(self.issuer_lines, start=1):
            canvas.drawCentredString(lx, top - i * self.LINE, line)
        widest = max(stringWidth(line, fonts.bold, self.CAPS) for line in self.issuer_lines)
        left_rule = top - len(self.issuer_lines) * self.LINE - 4
        _rule(canvas, lx, left_rule, widest * 0.4)
        title_size = _fitting(NATIONAL_TITLE, fonts.bold, self.CAPS, self.width - left_w - 4)
        canvas.setFont(fonts.bold, title_size)
        canvas.drawCentredString(rx, top, NATIONAL_TITLE)
        canvas.setFont(fonts.bold, self.MOTTO)
        canvas.drawCentredString(rx, top - self.LINE, MOTTO)
        _rule(canvas, rx, top - self.LINE - 4, stringWidth(MOTTO, fonts.bold, self.MOTTO))
        baseline = left_rule - self.LINE
        canvas.setFont(fonts.regular, self.CAPS)
        canvas.drawCentredString(lx, baseline, fonts.printable(f"Số: {content.number}"))
        canvas.setFont(fonts.italic, self.MOTTO)
        canvas.drawCentredString(rx, baseline, fonts.printable(place_and_date(content.place, content.issued)))


def place_and_date(place: str, day: date) -> str:
    """ "Phan Thiết, ngày 05 tháng 11 năm 2026": Decree 30 writes a 0 before days under 10 and
    before the months 1 and 2 (so "tháng 02" but "tháng 3")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """One line if it fits, else two of about equal width ("ỦY BAN NHÂN DÂN" over "PHƯỜNG PHAN
    THIẾT", as bodies are written), else as many as it takes."""
    if stringWidth(text, font, size) <= width:
        return [text]
    words = text.split()
    splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    fitting = [pair for pair in splits if max(stringWidth(p, font, size) for p in pair) <= width]
    if fitting:
        return list(min(fitting, key=lambda pair: max(stringWidth(p, font, size) for p in pair)))
    return simpleSplit(text, font, size, width)


def _rule(canvas: Any, centre: float, y: float, length: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.line(centre - length / 2, y, centre + length / 2, y)


def _fitting(text: str, font: str, size: float, width: float) -> float:
    while size > 8 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _page_number(canvas: Any, doc: Any, fonts: Fonts) -> None:
    canvas.saveState()
    canvas.setFont(fonts.regular, 10)
    canvas.drawCentredString(MARGINS_MM["left"] * mm + doc.width / 2, A4[1] - 12 * mm, str(doc.page))
    canvas.restoreState()


@functools.cache
def _styles(fonts: Fonts) -> dict[str, Style]:
    regular, bold = fonts.regular, fonts.bold
    return {
        "title": Style(bold, 14, 18, align="centre"),
        "subtitle": Style(bold, 12, 15, align="centre"),
        "section": Style(bold, 11, 15, space_before=8, space_after=4, keep_with_next=True),
        "group": Style(bold, 10.5, 15, space_before=6, space_after=3),
        "lead": Style(regular, 11, 15, first_indent=10 * mm, space_after=4, keep_with_next=True),
        "body": Style(regular, 11, 15, align="justify", first_indent=10 * mm, space_after=4),
        "note": Style(fonts.italic, 8.5, 11, space_after=2, keep_with_next=True),
    }
