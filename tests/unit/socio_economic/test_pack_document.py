"""The meeting pack's PDF read back by an independent reader (pypdf): the Decree 30 heading and
signature block with their diacritics intact, the font embedded, A4 with the decree's margins."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Any

import pytest
from pack_example import example_content, example_data
from pypdf import PdfReader

from ioc_core.socio_economic.pack.document import MOTTO, NATIONAL_TITLE, build_pdf, place_and_date
from ioc_core.socio_economic.pack.fonts import register
from ioc_core.socio_economic.pack.model import PackContent
from ioc_core.socio_economic.pack.numbers import vn_number

pytestmark = pytest.mark.unit
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_pdf(example_content())


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def test_the_heading_and_signature_read_back_with_their_diacritics(reader: PdfReader) -> None:
    text = _text(reader)
    for expected in (
        NATIONAL_TITLE,
        "Độc lập - Tự do - Hạnh phúc",
        "TỈNH LÂM ĐỒNG",
        "ỦY BAN NHÂN DÂN\nPHƯỜNG PHAN THIẾT",  # the body's name in two balanced lines
        "Số: 123/BC-UBND",
        "Phan Thiết, ngày 05 tháng 11 năm 2026",
        "BÁO CÁO",
        "Tình hình kinh tế – xã hội tháng 10 và 10 tháng năm 2026",
        "Nơi nhận:",
        "- UBND tỉnh Lâm Đồng (b/c);",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Thành",
    ):
        assert unicodedata.normalize("NFC", expected) in text, expected
    assert MOTTO == "Độc lập - Tự do - Hạnh phúc"


def test_the_body_has_the_summary_tables_charts_and_tasks(reader: PdfReader) -> None:
    text = _text(reader)
    # Typed decomposed (NFD) in the content, printed composed.
    assert "tình hình kinh tế – xã hội của phường tiếp tục phục hồi" in text
    assert "1. Tăng trưởng kinh tế" in text and "7. Cải cách hành chính, quốc phòng – an ninh" in text
    # A cell a line, its name wrapped to the column, the figure in Vietnamese style.
    assert "Tổng thu ngân sách trên địa\nbàn\ntỷ đồng\n10.851,0*\n" in text
    assert "Lượt khách du lịch theo tháng (nghìn lượt)" in text and "Mục tiêu 700–750" in text
    assert "Khoảng dự báo" in text
    assert "III. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ" in text and "Chậm\ntiến độ" in text  # wrapped in its cell
    assert text.index("Nơi nhận:") > text.index("Chậm\ntiến độ")  # the signature closes the report


def test_every_font_is_be_vietnam_pro_and_embedded(reader: PdfReader) -> None:
    seen = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
    assert seen == {
        "BeVietnamPro-Regular",
        "BeVietnamPro-Bold",
        "BeVietnamPro-Italic",
        "BeVietnamPro-BoldItalic",
    }


def test_a4_within_the_decrees_margins(reader: PdfReader) -> None:
    positions: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            positions.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.5)
    reader.pages[0].extract_text(visitor_text=visit)
    xs, ys = [x for x, _ in positions], [y for _, y in positions]
    assert min(xs) >= 30 * MM - 0.5  # left 30 mm
    assert max(ys) <= (297 - 20) * MM  # top 20 mm
    assert min(ys) >= 20 * MM - 0.5  # bottom 20 mm


def test_page_numbers_from_the_second_page(reader: PdfReader) -> None:
    assert len(reader.pages) >= 2
    assert reader.pages[1].extract_text().lstrip().startswith("2")
    assert not reader.pages[0].extract_text().lstrip().startswith("1")


def test_no_arrow_is_printed_and_a_missing_glyph_never_becomes_a_box() -> None:
    data = example_data()
    data["summary"] = ["Thu ngân sách 10.000 → 10.851 tỷ đồng", "Ký hiệu lạ ☃ ở đây"]
    text = _text(PdfReader(io.BytesIO(build_pdf(PackContent.model_validate(data)))))
    assert "→" not in text and "10.000 – 10.851 tỷ đồng" in text
    assert "Ký hiệu lạ ? ở đây" in text
    assert register().printable("A → B") == "A – B"


def test_markup_in_the_text_is_printed_as_text() -> None:
    data = example_data()
    data["summary"] = ["Chỉ số <b>CPI</b> & giá < 4,5 %"]
    text = _text(PdfReader(io.BytesIO(build_pdf(PackContent.model_validate(data)))))
    assert "Chỉ số <b>CPI</b> & giá < 4,5 %" in text


def test_two_builds_are_byte_identical(pdf: bytes) -> None:
    assert build_pdf(example_content()) == pdf
    assert build_pdf(example_content(number="124/BC-UBND")) != pdf


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 5), "Phan Thiết, ngày 05 tháng 11 năm 2026"),
        (date(2027, 2, 14), "Phan Thiết, ngày 14 tháng 02 năm 2027"),  # months 1 and 2 take a 0
        (date(2027, 3, 1), "Phan Thiết, ngày 01 tháng 3 năm 2027"),
    ],
)
def test_place_and_date_as_decree_30_writes_them(day: date, expected: str) -> None:
    assert place_and_date("Phan Thiết", day) == expected


def test_table_text_past_the_fonts_first_256_codes_reads_back() -> None:
    # The tables encode their lines themselves once a character has a code (pack.pdftext): a
    # face given more letters than one subset holds must still print each one as typed.
    letters = sorted(
        c
        for c in register().covered
        if unicodedata.category(c)[0] in "LN" and unicodedata.normalize("NFC", c) == c
    )
    assert len(letters) > 300
    words = [letters[i : i + 8] for i in range(0, len(letters), 8)]
    names = [" ".join("".join(w) for w in words[i : i + 3]) for i in range(0, len(words), 3)]
    data = example_data()
    rows = data["groups"][0]["rows"]
    data["groups"][0]["rows"] = [
        # Each name twice: the second time its letters have their codes already.
        {**rows[n % len(rows)], "code": f"letters_{n}", "name_vi": name}
        for n, name in enumerate(names + names)
    ]
    text = "".join(_text(PdfReader(io.BytesIO(build_pdf(PackContent.model_validate(data))))).split())
    for name in names:
        assert text.count("".join(name.split())) == 2, name


def _font_files(pdf: bytes) -> dict[str, bytes]:
    files = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            files[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    return files


def test_the_font_subsets_follow_the_letters_printed_not_their_order() -> None:
    # The same letters met in another order (the report's number is the regular face's first
    # digits, then the summary): the same subsets, so a month's pack reuses the last one's.
    data = example_data()
    data["number"], data["summary"] = "321/BC-UBND", data["summary"][::-1]
    before = _font_files(build_pdf(example_content()))
    after = _font_files(build_pdf(PackContent.model_validate(data)))
    assert len(before) == 4 and after == before
    # A letter the pack did not print before makes a new subset that holds it.
    data["summary"].append("Nông nghiệp: ỹ")
    regular = "/AAAAAA+BeVietnamPro-Regular"
    assert _font_files(build_pdf(PackContent.model_validate(data)))[regular] != before[regular]


def _widths_by_letter(pdf: bytes) -> dict[str, dict[str, float]]:
    """Each font's printed width of each letter, from its /Widths and its ToUnicode map."""
    import re

    found: dict[str, dict[str, float]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            widths, first = font["/Widths"], int(font["/FirstChar"])
            assert len(widths) == int(font["/LastChar"]) - first + 1
            found[str(font["/BaseFont"])] = {
                chr(int(uni, 16)): float(widths[int(code, 16) - first])
                for code, uni in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)
            }
    return found


def test_each_subsets_widths_are_its_own_letters_widths() -> None:
    # The widths are formatted once per set of letters (pack.fonts): a pack with a letter more
    # must not get the last pack's widths, and every width is the face's own for its letter.
    from reportlab.pdfbase.pdfmetrics import getFont

    data = example_data()
    data["summary"].append("Thủy sản: ỹ Ỹ ẵ")
    for pdf in (build_pdf(example_content()), build_pdf(PackContent.model_validate(data))):
        fonts = _widths_by_letter(pdf)
        assert len(fonts) == 4
        for base_font, widths in fonts.items():
            face = getFont(base_font.split("+", 1)[1]).face  # type: ignore[attr-defined]
            assert widths == {c: pytest.approx(face.getCharWidth(ord(c))) for c in widths}, base_font
    assert "ỹ" in fonts["/AAAAAA+BeVietnamPro-Regular"]


def test_the_quick_stream_settings_end_with_the_build() -> None:
    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import PDFZCompress

    before = rl_config.useA85
    build_pdf(example_content())
    assert rl_config.useA85 == before
    assert "encode" not in vars(PDFZCompress)  # the class's own level-6 deflate again


@pytest.mark.parametrize("width", [20.0, 45.0, 90.0, 200.0])
def test_cells_break_where_reportlab_would_break_them(width: float) -> None:
    from reportlab.lib.utils import simpleSplit

    fonts = register()
    texts = [row["name_vi"] for group in example_data()["groups"] for row in group["rows"]]
    texts += ["", "   ", "Mộtchữrấtdàikhôngcókhoảngtrắng ở đầu", "cần 1.193,6/tháng"]
    for text in texts:
        for font in (fonts.regular, fonts.bold):
            assert fonts.lines(text, font, 7.0, width) == simpleSplit(text, font, 7.0, width), text


def _line_ends(pdf: bytes, page_index: int, size: float) -> list[float]:
    """Where each line set in the regular face at ``size`` on a page ends, from the PDF's own
    widths and word spacing."""
    from pypdf.generic import ContentStream

    ends = []
    for page in PdfReader(io.BytesIO(pdf)).pages[page_index : page_index + 1]:
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        stream = ContentStream(page.get_contents(), page.pdf)
        origin = [0.0, 0.0]
        font, font_size, word_space, x, regular = None, 0.0, 0.0, 0.0, False
        for operands, operator in stream.operations:
            if operator == b"cm":
                origin = [origin[0] + float(operands[4]), origin[1] + float(operands[5])]
            elif operator == b"Q":
                origin = [0.0, 0.0]  # every flowable's translation is inside q … Q
            elif operator == b"Tf":
                font, font_size = fonts[operands[0]].get_object(), float(operands[1])
                regular = str(font["/BaseFont"]).endswith("-Regular")
            elif operator == b"Tw":
                word_space = float(operands[0])
            elif operator == b"Tm":
                x = origin[0] + float(operands[4])
            elif operator == b"Td":
                x += float(operands[0])
            elif operator == b"Tj" and font is not None and font_size == size and regular:
                codes = operands[0].original_bytes
                widths = font["/Widths"]
                glyphs = sum(float(widths[c - int(font["/FirstChar"])]) for c in codes) / 1000 * size
                ends.append(x + glyphs + word_space * codes.count(32))
    return ends


def test_a_paragraph_longer_than_a_page_runs_on_justified_with_every_word() -> None:
    data = example_data()
    sentence = data["summary"][1]
    data["summary"] = [" ".join([sentence] * 40)]
    pdf = build_pdf(PackContent.model_validate(data))
    words = [w for w in _text(PdfReader(io.BytesIO(pdf))).split() if not w.isdigit()]  # page numbers
    assert " ".join([sentence] * 40) in " ".join(words)  # every word, in order, over the page breaks
    # The second page is all that paragraph: each line reaches the frame's right edge.
    ends = _line_ends(pdf, 1, 11.0)
    right = (210 - 15) * MM - 6  # 6 pt: the frame's padding
    assert len(ends) > 40 and all(end == pytest.approx(right, abs=0.01) for end in ends)


def test_a_paragraph_splits_at_a_line_and_never_leaves_one_alone() -> None:
    from ioc_core.socio_economic.pack.document import _styles
    from ioc_core.socio_economic.pack.paragraphs import Para

    fonts = register()
    style = _styles(fonts)["body"]
    para = Para(" ".join(["Thu ngân sách đạt 108,5 % dự toán"] * 20), style, fonts)
    _, height = para.wrap(400, 1000)
    lines = round(height / style.leading)
    assert lines > 4
    assert para.split(400, style.leading * 1.9) == []  # one line would be left at the foot
    first, rest = para.split(400, style.leading * 3.5)
    assert first.wrap(400, 1000)[1] == 3 * style.leading
    assert rest.wrap(400, 1000)[1] == (lines - 3) * style.leading
    assert first.lines + rest.lines == para.lines  # type: ignore[attr-defined, operator]
    assert rest.style.first_indent == 0 and para.style.first_indent > 0  # type: ignore[attr-defined]


def test_a_long_table_runs_over_pages_with_whole_rows_and_its_header_on_each() -> None:
    data = example_data()
    row = data["groups"][0]["rows"][0]
    names = [f"Chỉ tiêu số {n} có một cái tên rất dài phải xuống dòng trong ô của bảng" for n in range(90)]
    data["groups"][0]["rows"] = [
        {**row, "code": f"long_{n}", "name_vi": name, "value": 1000 + n} for n, name in enumerate(names)
    ]
    reader = PdfReader(io.BytesIO(build_pdf(PackContent.model_validate(data))))
    pages = [" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages]
    for n, name in enumerate(names):
        # Wrapped in its cell, yet whole on one page, with its figure.
        assert sum(name in page for page in pages) == 1, name
        assert f"{name} % {vn_number(1000 + n, 2)}" in " ".join(pages), name
    with_rows = [page for page in pages if "Chỉ tiêu số" in page]
    assert len(with_rows) >= 3
    assert all("Chỉ tiêu Đơn vị tính Thực hiện Cùng kỳ năm trước" in page for page in with_rows)
