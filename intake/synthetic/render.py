"""A tiny document model (label|value tables, grids, tick lists) rendered to DOCX and to PDF.

Both renderers are deterministic: the DOCX zip gets fixed member timestamps and the PDF a fixed
creation date, so the same model always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.fonts import FontFace

TICKED = "☒"
UNTICKED = "☐"
#: What Word shows in an unfilled text content control.
PLACEHOLDER = "Click here to enter text."
#: What Word shows in an unfilled drop-down content control.
CHOOSE = "Choose an item."
#: Printed in every document's footer so nobody mistakes a synthetic file for a real one.
FICTION_NOTICE = "Synthetic test document: every person and detail in it is fictional."


@dataclass(frozen=True)
class Choice:
    """A yes/no (or multi-option) answer: ticked glyphs, or struck-out options (``strike``)."""

    options: tuple[str, ...]
    selected: tuple[str, ...]
    strike: bool = False

    def as_text(self, *, pdf: bool = False) -> str:
        """Plain text of the answer: ``☒ Yes  ☐ No`` (``[X] Yes  [ ] No`` for PDF)."""
        if self.strike and not pdf:
            return " / ".join(self.options)
        on, off = ("[X]", "[ ]") if pdf else (TICKED, UNTICKED)
        return "   ".join(f"{on if o in self.selected else off} {o}" for o in self.options)


def yes_no(value: bool | None, *, unknown: bool = False, strike: bool = False) -> Choice:
    """A Yes/No (optionally /Unknown) choice with ``value`` selected (``None``: nothing)."""
    options = ("Yes", "No", "Unknown") if unknown else ("Yes", "No")
    if value is None:
        selected: tuple[str, ...] = ("Unknown",) if unknown else ()
    else:
        selected = ("Yes",) if value else ("No",)
    return Choice(options, selected, strike)


Cell = str | Choice


@dataclass(frozen=True)
class Fields:
    """A label|value table; a four-cell row is label|value|label|value."""

    rows: tuple[tuple[Cell, ...], ...]
    #: A merged first row inside the table (older forms put section titles there).
    title: str = ""


@dataclass(frozen=True)
class Grid:
    """A table with a header row, one record per row."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    #: Relative column widths for the PDF (equal when empty).
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Ticks:
    """A tick-box list laid out in ``columns`` columns."""

    items: tuple[tuple[str, bool], ...]
    columns: int = 2
    title: str = ""


@dataclass(frozen=True)
class Text:
    """A paragraph."""

    text: str
    bold: bool = False


Block = Fields | Grid | Ticks | Text


@dataclass(frozen=True)
class Section:
    """A heading (may be empty) and its blocks."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Doc:
    """A whole document: title, protective marking, sections and metadata."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    author: str
    created: dt.datetime
    marking: str = "OFFICIAL-SENSITIVE"


# --- DOCX ---------------------------------------------------------------------------------------

_LABEL_FILL = "D9E2F3"
_TITLE_FILL = "1F3864"
_GREY = RGBColor(0x80, 0x80, 0x80)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _write(paragraph: Paragraph, value: Cell, *, bold: bool = False) -> None:
    if isinstance(value, Choice):
        for index, option in enumerate(value.options):
            if value.strike:
                if index:
                    paragraph.add_run(" / ")
                run = paragraph.add_run(option)
                run.font.strike = option not in value.selected
                continue
            if index:
                paragraph.add_run("   ")
            glyph = paragraph.add_run(TICKED if option in value.selected else UNTICKED)
            glyph.font.name = "MS Gothic"
            paragraph.add_run(f" {option}")
        return
    run = paragraph.add_run(value)
    run.bold = bold
    if value in (PLACEHOLDER, CHOOSE):
        run.font.color.rgb = _GREY


def _table(document: DocxDocument, title: str, rows: int, cols: int) -> list[_Row]:
    """A grid table of ``rows`` rows (plus a merged title row when ``title``); its data rows."""
    table = document.add_table(rows=rows + (1 if title else 0), cols=cols)
    # Setting the style id directly skips python-docx's slow lookup by style name.
    table._tbl.tblStyle_val = "TableGrid"
    all_rows = list(table.rows)
    if not title:
        return all_rows
    first = all_rows[0]
    cell = first.cells[0].merge(first.cells[cols - 1]) if cols > 1 else first.cells[0]
    _shade(cell, _TITLE_FILL)
    run = cell.paragraphs[0].add_run(title)
    run.bold = True
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return all_rows[1:]


def _docx_fields(document: DocxDocument, block: Fields) -> None:
    rows = _table(document, block.title, len(block.rows), 4)
    for row, cells in zip(rows, block.rows, strict=True):
        targets = row.cells
        if len(cells) == 2:
            targets = (targets[0], targets[1].merge(targets[3]))
        for index, (target, value) in enumerate(zip(targets, cells, strict=False)):
            if index % 2 == 0:
                _shade(target, _LABEL_FILL)
                _write(target.paragraphs[0], value, bold=True)
            else:
                _write(target.paragraphs[0], value)


def _docx_grid(document: DocxDocument, block: Grid) -> None:
    rows = _table(document, block.title, len(block.rows) + 1, len(block.header))
    for cell, text in zip(rows[0].cells, block.header, strict=True):
        _shade(cell, _LABEL_FILL)
        _write(cell.paragraphs[0], text, bold=True)
    for row, values in zip(rows[1:], block.rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _write(cell.paragraphs[0], value)


def _docx_ticks(document: DocxDocument, block: Ticks) -> None:
    cols = block.columns
    chunks = [block.items[start : start + cols] for start in range(0, len(block.items), cols)]
    rows = _table(document, block.title, len(chunks), cols)
    for row, chunk in zip(rows, chunks, strict=True):
        for cell, (label, ticked) in zip(row.cells, chunk, strict=False):
            paragraph = cell.paragraphs[0]
            glyph = paragraph.add_run(TICKED if ticked else UNTICKED)
            glyph.font.name = "MS Gothic"
            paragraph.add_run(f" {label}")


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with every member stamped ``when``, so equal content gives equal bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


_fixed_zip = fixed_zip


def _styled(document: DocxDocument, text: str, style_id: str) -> None:
    # Setting the style id directly skips python-docx's slow lookup by style name; the ids are
    # those of the default template's Title, Subtitle and Heading 2 styles.
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id


def render_docx(doc: Doc) -> bytes:
    """Render ``doc`` as a Word document (bytes of a .docx file)."""
    document = new_document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = doc.marking
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.text = FICTION_NOTICE
    _styled(document, doc.title, "Title")
    if doc.subtitle:
        _styled(document, doc.subtitle, "Subtitle")
    for part in doc.sections:
        if part.heading:
            _styled(document, part.heading, "Heading2")
        for block in part.blocks:
            if isinstance(block, Fields):
                _docx_fields(document, block)
            elif isinstance(block, Grid):
                _docx_grid(document, block)
            elif isinstance(block, Ticks):
                _docx_ticks(document, block)
            else:
                paragraph = document.add_paragraph()
                _write(paragraph, block.text, bold=block.bold)
                continue
            document.add_paragraph()
    props = document.core_properties
    props.title = doc.title
    props.author = doc.author
    props.last_modified_by = doc.author
    props.created = doc.created
    props.modified = doc.created
    props.revision = 1
    props.comments = FICTION_NOTICE
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), doc.created)


# --- PDF ----------------------------------------------------------------------------------------

_PDF_REPLACEMENTS = {
    TICKED: "[X]",
    UNTICKED: "[ ]",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
}
_LABEL_STYLE = FontFace(emphasis="BOLD", fill_color=(217, 226, 243))
_TITLE_STYLE = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(31, 56, 100))


def pdf_text(text: str) -> str:
    """``text`` made safe for fpdf2's latin-1 core fonts (tick glyphs become ``[X]``/``[ ]``)."""
    for old, new in _PDF_REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf_cell(value: Cell) -> str:
    return pdf_text(value.as_text(pdf=True) if isinstance(value, Choice) else value)


class _MarkedPDF(FPDF):
    """An A4 page with the protective marking in the header and the fiction notice in the footer."""

    def __init__(self, marking: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.marking = marking

    def header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.cell(0, 5, pdf_text(self.marking), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 7)
        self.cell(0, 5, pdf_text(f"{FICTION_NOTICE}  Page {self.page_no()}"), align="C")


def _pdf_block(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Text):
        pdf.set_font("Helvetica", "B" if block.bold else "", 9)
        pdf.multi_cell(0, 5, pdf_text(block.text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        return
    pdf.set_font("Helvetica", "", 8)
    if isinstance(block, Fields):
        with pdf.table(
            col_widths=(28, 22, 28, 22), first_row_as_headings=False, text_align="LEFT"
        ) as table:
            if block.title:
                table.row().cell(pdf_text(block.title), colspan=4, style=_TITLE_STYLE)
            for cells in block.rows:
                row = table.row()
                for index, value in enumerate(cells):
                    if index % 2 == 0:
                        row.cell(_pdf_cell(value), style=_LABEL_STYLE)
                    else:
                        row.cell(_pdf_cell(value), colspan=3 if len(cells) == 2 else 1)
    elif isinstance(block, Grid):
        cols = len(block.header)
        widths = block.widths or None
        with pdf.table(col_widths=widths, first_row_as_headings=False, text_align="LEFT") as table:
            if block.title:
                table.row().cell(pdf_text(block.title), colspan=cols, style=_TITLE_STYLE)
            header = table.row()
            for text in block.header:
                header.cell(pdf_text(text), style=_LABEL_STYLE)
            for values in block.rows:
                row = table.row()
                for value in values:
                    row.cell(_pdf_cell(value))
    else:
        cols = block.columns
        with pdf.table(first_row_as_headings=False, text_align="LEFT") as table:
            if block.title:
                table.row().cell(pdf_text(block.title), colspan=cols, style=_TITLE_STYLE)
            for start in range(0, len(block.items), cols):
                row = table.row()
                chunk = block.items[start : start + cols]
                for label, ticked in chunk:
                    row.cell(pdf_text(f"{'[X]' if ticked else '[ ]'} {label}"))
                for _ in range(cols - len(chunk)):
                    row.cell("")
    pdf.ln(3)


def render_pdf(doc: Doc) -> bytes:
    """Render ``doc`` as a text PDF (tables drawn with text, core fonts only)."""
    pdf = _MarkedPDF(doc.marking)
    pdf.set_creation_date(
        doc.created.replace(tzinfo=dt.UTC) if doc.created.tzinfo is None else doc.created
    )
    pdf.set_title(pdf_text(doc.title))
    pdf.set_author(pdf_text(doc.author))
    pdf.set_subject(FICTION_NOTICE)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, pdf_text(doc.title), new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, pdf_text(doc.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for part in doc.sections:
        if part.heading:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 7, pdf_text(part.heading), new_x="LMARGIN", new_y="NEXT")
        for block in part.blocks:
            _pdf_block(pdf, block)
    return bytes(pdf.output())
