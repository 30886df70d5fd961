"""The PDF reader on small PDFs drawn here with fpdf2 and reportlab (no binary fixtures)."""

from __future__ import annotations

import io
import random
import zlib
from collections.abc import Callable

import pytest
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image
from reportlab.pdfgen import canvas  # type: ignore[import-untyped, unused-ignore]

from parsers import pdf
from parsers.base import ReadLimits, Unreadable
from parsers.layout import Block, Cell, Layout, Paragraph, Table
from tests.parsers import malformed


def _page(**kwargs: object) -> FPDF:
    """An A4 fpdf2 document measured in points, one page, Helvetica 10."""
    doc = FPDF(unit="pt", format="A4", **kwargs)  # type: ignore[arg-type]
    doc.add_page()
    doc.set_font("helvetica", size=10)
    return doc


def _bytes(doc: FPDF) -> bytes:
    return bytes(doc.output())


def _read(data: bytes, **limits: int) -> Layout:
    return pdf.read(data, ReadLimits(**limits), filename="form.pdf")  # type: ignore[arg-type]


def _kinds(layout: Layout) -> list[str]:
    return ["table" if isinstance(block, Table) else "paragraph" for block in layout.blocks]


def _paragraphs(layout: Layout) -> list[Paragraph]:
    return [block for block in layout.blocks if isinstance(block, Paragraph)]


def _tables(layout: Layout) -> list[Table]:
    return [block for block in layout.blocks if isinstance(block, Table)]


def _texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def _only_table(layout: Layout) -> Table:
    tables = _tables(layout)
    assert len(tables) == 1, layout.blocks
    return tables[0]


# --- ruled tables and text lines ----------------------------------------------------------------


def _table_form() -> bytes:
    doc = _page()
    doc.set_title("Request for Service (test form)")
    doc.set_font("helvetica", "B", 16)
    doc.cell(0, 20, "Request for Service", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "", 10)
    doc.cell(0, 14, "Please complete every section.", new_x="LMARGIN", new_y="NEXT")
    with doc.table(col_widths=(100, 100, 100, 100), first_row_as_headings=False) as table:
        row = table.row()
        row.cell("Child's name")
        row.cell("Jay Smith", colspan=3)
        row = table.row()
        row.cell("Address", rowspan=2)
        row.cell("1 High Street\nSouthend")
        row.cell("Postcode")
        row.cell("SS1 1AA")
        row = table.row()
        row.cell("Flat 2")
        row.cell("Phone")
        row.cell("01632 960000")
        row = table.row()
        row.cell("Consent")
        row.cell("[X] Yes [ ] No")
        row.cell("Date")
        row.cell("Click here to enter a date.")
    doc.cell(0, 14, "Thank you.", new_x="LMARGIN", new_y="NEXT")
    return _bytes(doc)


def test_ruled_table_becomes_a_table_between_its_paragraphs() -> None:
    """GIVEN a form printed with a title, an instruction, a ruled table and a closing line
    WHEN it is read
    THEN the blocks come in page order: heading, paragraph, table, paragraph, and the title and
    page count come from the document."""
    layout = _read(_table_form())
    assert _kinds(layout) == ["paragraph", "paragraph", "table", "paragraph"]
    first, second, last = _paragraphs(layout)
    assert first == Paragraph("Request for Service", heading=1, bold=True)
    assert second == Paragraph("Please complete every section.")
    assert last == Paragraph("Thank you.")
    assert layout.title == "Request for Service (test form)"
    assert layout.pages == 1
    assert layout.warnings == ()


def test_table_cells_keep_lines_spans_merges_and_ticks() -> None:
    """GIVEN a ruled table with a cell spanning three columns, a cell spanning two rows, a
    two-line cell, "[X]"/"[ ]" ticks and a placeholder
    WHEN it is read
    THEN each row reads left to right in grid order: the wide cell has span 3, the lower part of
    the tall cell is an empty continued cell, lines are kept, ticks are glyphs and the placeholder
    is empty."""
    table = _only_table(_read(_table_form()))
    assert _texts(table) == [
        ["Child's name", "Jay Smith"],
        ["Address", "1 High Street\nSouthend", "Postcode", "SS1 1AA"],
        ["", "Flat 2", "Phone", "01632 960000"],
        ["Consent", "☒ Yes ☐ No", "Date", ""],
    ]
    assert [cell.span for cell in table.rows[0]] == [1, 3]
    assert table.rows[2][0] == Cell("", continued=True)
    assert not any(cell.continued for cell in table.rows[1])


def test_shaded_or_bold_cells_are_emphasised() -> None:
    """GIVEN a table whose label cells are bold on a shaded background and whose answers are plain
    WHEN it is read
    THEN the label cells are emphasised and the answers are not."""
    doc = _page()
    with doc.table(first_row_as_headings=False) as table:
        row = table.row()
        row.cell("Date of birth", style=_label_style())
        row.cell("01/02/2015")
    table_ = _only_table(_read(_bytes(doc)))
    assert [(cell.text, cell.emphasised) for cell in table_.rows[0]] == [
        ("Date of birth", True),
        ("01/02/2015", False),
    ]


def _label_style() -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(217, 226, 243))


def test_label_lines_and_value_lines_stay_separate_paragraphs() -> None:
    """GIVEN a borderless form: a bold label line, the value on the next line, then a
    "Label: value" line
    WHEN it is read
    THEN each printed line is its own paragraph, nothing merged, and the bold line is bold."""
    doc = _page()
    doc.set_font("helvetica", "B", 10)
    doc.text(40, 60, "Name of child:")
    doc.set_font("helvetica", "", 10)
    doc.text(40, 74, "Jay Smith")
    doc.text(40, 88, "Date of birth: 01/02/2015")
    layout = _read(_bytes(doc))
    assert layout.blocks == (
        Paragraph("Name of child:", bold=True),
        Paragraph("Jay Smith"),
        Paragraph("Date of birth: 01/02/2015"),
    )


def test_bold_font_change_inside_a_line_adds_no_space() -> None:
    """GIVEN a line whose first word is partly bold ("**Re**ferral") and then plain words
    WHEN it is read
    THEN the font change does not split the word, and the line is not called bold."""
    doc = _page()
    doc.set_xy(40, 50)
    doc.set_font("helvetica", "B", 10)
    doc.write(12, "Re")
    doc.set_font("helvetica", "", 10)
    doc.write(12, "ferral form for Jay")
    assert _read(_bytes(doc)).blocks == (Paragraph("Referral form for Jay"),)


def test_gap_separated_label_and_value_become_a_one_row_table() -> None:
    """GIVEN borderless lines with a wide gap between a label and its value, a numbered heading
    with a gap after its number, and an ordinary sentence
    WHEN it is read
    THEN the label/value line is a one-row table of two cells; the numbered heading and the
    sentence stay paragraphs."""
    doc = _page()
    doc.text(40, 60, "Name of referrer")
    doc.text(200, 60, "Sam Doe")
    doc.text(40, 80, "1.")
    doc.text(90, 80, "Introduction")
    doc.text(40, 100, "The family moved to the area in January.")
    layout = _read(_bytes(doc))
    assert _kinds(layout) == ["table", "paragraph", "paragraph"]
    assert _texts(_tables(layout)[0]) == [["Name of referrer", "Sam Doe"]]
    assert [p.text for p in _paragraphs(layout)] == [
        "1. Introduction",
        "The family moved to the area in January.",
    ]


def test_long_prose_columns_are_not_a_label_value_row() -> None:
    """GIVEN a line whose first part, before a wide gap, is a long run of prose
    WHEN it is read
    THEN it stays one paragraph (a label is short)."""
    doc = _page()
    doc.set_font("helvetica", size=8)
    doc.text(40, 60, "the first column of a newsletter runs on for a good many words here")
    doc.text(400, 60, "second column")
    assert _read(_bytes(doc)).blocks == (
        Paragraph(
            "the first column of a newsletter runs on for a good many words here second column"
        ),
    )


# --- checkboxes ---------------------------------------------------------------------------------


def test_bracket_and_dingbat_ticks_become_box_glyphs() -> None:
    """GIVEN ticks typed as "[X]"/"[ ]" and ticks set in ZapfDingbats (✔ is the letter "4" and
    ❏ the letter "o" in that font's own encoding)
    WHEN it is read
    THEN both read as ☒ and ☐."""
    doc = _page()
    doc.text(40, 60, "Parents aware? [X] Yes [ ] No")
    doc.set_font("zapfdingbats", size=10)
    doc.text(40, 80, "4")
    doc.text(80, 80, "o")
    doc.set_font("helvetica", size=10)
    doc.text(52, 80, "Yes")
    doc.text(92, 80, "No")
    layout = _read(_bytes(doc))
    assert layout.blocks == (
        Paragraph("Parents aware? ☒ Yes ☐ No"),
        Paragraph("☒ Yes ☐ No"),
    )


def test_drawn_checkboxes_become_glyphs_and_date_combs_do_not() -> None:
    """GIVEN small squares drawn beside labels: one crossed by two lines, one empty, one with an
    "X" typed inside; and a row of touching squares for the digits of a date
    WHEN it is read
    THEN the crossed and typed squares are ☒, the empty one ☐, and the date boxes add nothing."""
    doc = _page()
    doc.rect(40, 52, 9, 9)
    doc.line(40, 52, 49, 61)
    doc.line(49, 52, 40, 61)
    doc.text(52, 60, "Yes")
    doc.rect(80, 52, 9, 9)
    doc.text(92, 60, "No")
    doc.rect(40, 72, 9, 9)
    doc.text(42, 80, "X")
    doc.text(52, 80, "Known to social care")
    doc.text(40, 100, "Date")
    for i in range(6):
        doc.rect(120 + 10 * i, 92, 10, 10)
    layout = _read(_bytes(doc))
    assert [block.text for block in _paragraphs(layout)] == [
        "☒ Yes ☐ No",
        "☒ Known to social care",
        "Date",
    ]
    assert _tables(layout) == []


# --- AcroForm -----------------------------------------------------------------------------------


def _acroform() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    page.setTitle("Fillable referral")
    page.setFont("Helvetica", 10)
    form = page.acroForm
    page.drawString(50, 780, "Child's name")
    form.textfield(name="child_name", value="Jay Smith", x=150, y=775, width=150, height=16)
    page.drawString(50, 750, "Consent given")
    form.checkbox(name="consent_yes", checked=True, x=150, y=748, size=12)
    page.drawString(166, 750, "Yes")
    form.checkbox(name="consent_no", checked=False, x=200, y=748, size=12)
    page.drawString(216, 750, "No")
    page.drawString(50, 720, "Level of need")
    form.radio(name="level", value="two", selected=False, x=150, y=718, size=12)
    page.drawString(166, 720, "Level 2")
    form.radio(name="level", value="three", selected=True, x=210, y=718, size=12)
    page.drawString(226, 720, "Level 3")
    page.drawString(50, 690, "Ethnicity")
    form.choice(
        name="ethnicity",
        value="White British",
        options=["White British", "Mixed", "Asian"],
        x=150,
        y=685,
        width=120,
        height=16,
    )
    # A ruled table with a field in its answer cell.
    page.rect(50, 640, 100, 30)
    page.rect(150, 640, 200, 30)
    page.drawString(55, 650, "Telephone")
    form.textfield(name="phone", value="01632 960123", x=155, y=645, width=190, height=20)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_acroform_values_land_beside_their_printed_labels() -> None:
    """GIVEN a fillable PDF whose values live only in form fields: a text field beside its label,
    ticked and unticked checkboxes, a radio group, a drop-down and a text field inside a ruled
    table cell
    WHEN it is read
    THEN each value is placed where its widget is, so it reads with its label: the text as words,
    the boxes as ☒/☐ in front of their captions, the table cell holding its field's value; and
    nothing else of the form (no field names) appears."""
    layout = _read(_acroform())
    assert layout.title == "Fillable referral"
    rows = [_texts(table) for table in _tables(layout)]
    assert rows == [
        [["Child's name", "Jay Smith"]],
        [["Consent given", "☒ Yes ☐ No"]],
        [["Level of need", "☐ Level 2 ☒ Level 3"]],
        [["Ethnicity", "White British"]],
        [["Telephone", "01632 960123"]],
    ]
    assert "child_name" not in layout.text()
    assert "consent_yes" not in layout.text()


def test_acroform_multiline_values_keep_their_lines() -> None:
    """GIVEN multi-line text fields holding two lines: one in the answer cell of a ruled table, one
    beside a printed label with no rules
    WHEN it is read
    THEN each answer stays whole, its lines in order: in its table cell, and in the cell after its
    label."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    page.setFont("Helvetica", 10)
    page.rect(0, 600, 50, 60)
    page.rect(50, 600, 300, 60)
    page.drawString(5, 640, "Worries")
    page.acroForm.textfield(
        name="worries",
        value="Missed appointments.\nNo food at home.",
        x=55,
        y=605,
        width=290,
        height=50,
        fieldFlags="multiline",
    )
    page.drawString(50, 530, "Address")
    page.acroForm.textfield(
        name="address",
        value="1 High Street\nSouthend",
        x=150,
        y=505,
        width=200,
        height=36,
        fieldFlags="multiline",
    )
    page.showPage()
    page.save()
    assert [_texts(table) for table in _tables(_read(buffer.getvalue()))] == [
        [["Worries", "Missed appointments.\nNo food at home."]],
        [["Address", "1 High Street\nSouthend"]],
    ]


def test_adjacent_acroform_fields_are_separate_cells() -> None:
    """GIVEN a row of text fields a few points apart (a grid of parents' details) and a long
    printed label closely followed by a field
    WHEN it is read
    THEN every field's value is a cell of its own, and the label is a cell before its value."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    page.setFont("Helvetica", 10)
    form = page.acroForm
    for name, value, x in (("name", "Kim Smith", 50), ("rel", "Mother", 154), ("pr", "Yes", 258)):
        form.textfield(name=name, value=value, x=x, y=775, width=100, height=16)
    page.drawString(50, 740, "Have you discussed this referral with the family beforehand?")
    form.textfield(name="discussed", value="Not yet", x=345, y=735, width=100, height=16)
    page.showPage()
    page.save()
    assert [_texts(table) for table in _tables(_read(buffer.getvalue()))] == [
        [["Kim Smith", "Mother", "Yes"]],
        [["Have you discussed this referral with the family beforehand?", "Not yet"]],
    ]


# --- unreadable documents -----------------------------------------------------------------------


def _scan() -> bytes:
    picture = Image.new("L", (200, 280), color=255)
    for y in range(20, 260, 10):
        for x in range(20, 180):
            if (x + y) % 7 < 3:
                picture.putpixel((x, y), 0)
    png = io.BytesIO()
    picture.save(png, "PNG")
    doc = FPDF()
    doc.add_page()
    doc.image(io.BytesIO(png.getvalue()), x=10, y=10, w=190)
    return _bytes(doc)


def _letter(pages: int = 1, **encryption: str) -> bytes:
    doc = FPDF(unit="pt", format="A4")
    doc.set_font("helvetica", size=10)
    for number in range(1, pages + 1):
        doc.add_page()
        doc.text(40, 60, f"Page {number} of the chronology")
    if encryption:
        doc.set_encryption(**encryption)  # type: ignore[arg-type]
    return _bytes(doc)


def test_image_only_pdf_has_no_text_layer() -> None:
    """GIVEN a PDF whose only page is a picture (a scan)
    WHEN it is read
    THEN it is unreadable: no text layer."""
    with pytest.raises(Unreadable) as raised:
        _read(_scan())
    assert raised.value.reason == "no text layer"


def test_pdf_needing_a_user_password_is_encrypted() -> None:
    """GIVEN a PDF that needs a password to open
    WHEN it is read
    THEN it is unreadable: encrypted."""
    with pytest.raises(Unreadable) as raised:
        _read(_letter(owner_password="owner-secret", user_password="secret"))
    assert raised.value.reason == "encrypted"


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """GIVEN a PDF encrypted with an owner password only (it opens without one)
    WHEN it is read
    THEN its text is read."""
    layout = _read(_letter(owner_password="owner-secret"))
    assert layout.blocks == (Paragraph("Page 1 of the chronology"),)


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda: _letter(pages=3)[: len(_letter(pages=3)) // 2], id="cut in half"),
        pytest.param(
            lambda: b"%PDF-1.4\n" + random.Random(4).randbytes(20_000), id="random after header"
        ),
        pytest.param(lambda: b"%PDF-1.4\n", id="header only"),
    ],
)
def test_broken_pdfs_are_corrupt(broken: Callable[[], bytes]) -> None:
    """GIVEN a PDF cut in half, random bytes after a PDF header, or a bare header
    WHEN it is read
    THEN it is unreadable with a short "corrupt: …" reason that quotes nothing from the file."""
    data = broken()
    with pytest.raises(Unreadable) as raised:
        _read(data)
    reason = raised.value.reason
    assert reason.startswith("corrupt")
    assert len(reason) < 60
    assert "chronology" not in reason


def _inflating_page(size: int) -> bytes:
    """A one-page PDF whose Flate content stream inflates to ``size`` bytes (mostly spaces)."""
    content = zlib.compress(b"BT /F1 10 Tf 40 800 Td (Hello) Tj ET" + b" " * size, 9)
    return malformed.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_content_that_inflates_past_the_limit_is_not_parsed() -> None:
    """GIVEN a page whose compressed content inflates to 2 MB, and a 1 MB decompression limit
    WHEN it is read
    THEN it is unreadable as too large; with room to inflate, the same page reads."""
    data = _inflating_page(2_000_000)
    with pytest.raises(Unreadable) as raised:
        _read(data, max_decompressed_bytes=1_000_000)
    assert raised.value.reason == "too large: page content"
    assert _read(data).blocks == (Paragraph("Hello"),)


def test_pages_past_the_limit_are_not_read() -> None:
    """GIVEN a five-page PDF and a limit of two pages
    WHEN it is read
    THEN only the first two pages' text is there, the page count is still five, and the layout
    warns that it was truncated."""
    layout = _read(_letter(pages=5), max_pages=2)
    assert [p.text for p in _paragraphs(layout)] == [
        "Page 1 of the chronology",
        "Page 2 of the chronology",
    ]
    assert layout.pages == 5
    assert layout.warnings == ("truncated: page limit",)


def test_a_scanned_page_among_text_pages_is_noted() -> None:
    """GIVEN a document of one text page followed by one scanned page
    WHEN it is read
    THEN the text is read and a warning counts the page without text."""
    doc = FPDF(unit="pt", format="A4")
    doc.set_font("helvetica", size=10)
    doc.add_page()
    doc.text(40, 60, "Referral form")
    doc.add_page()
    doc.image(Image.new("L", (40, 40), color=128), x=40, y=40, w=100)
    layout = _read(_bytes(doc))
    assert layout.blocks == (Paragraph("Referral form"),)
    assert layout.warnings == ("no text layer: 1 of 2 pages",)


def test_reading_is_a_pure_function_of_the_bytes() -> None:
    """GIVEN the same PDF read twice
    WHEN the layouts are compared
    THEN they are equal (no state carried between reads)."""
    data = _table_form()
    first: tuple[Block, ...] = _read(data).blocks
    assert _read(data).blocks == first
