"""A held-out set of referral forms drawn from six templates nothing else in this project uses.

The forms test the RFS parser on layouts and wording it was never tuned on. Each template is
loosely modelled on a *kind* of published UK form (named in its builder's docstring); the wording,
layout and organisations are our own invention, and every person comes from
:mod:`intake.synthetic.people`, so all of it is fictional.

This module keeps its own small document model and renderers (python-docx and fpdf2 directly)
rather than using :mod:`intake.synthetic.render`, so that the held-out files do not share the
table shapes of the main corpus. Three renderings:

``docx``
    a Word document: tables, shaded label cells, ☒/☐ glyphs, struck-through options,
    "Click here to enter text." placeholders;
``pdf-ruled``
    a PDF like a Word form printed to PDF: boxed table cells drawn with ruling lines, ticks
    printed as ``[X]``/``[ ]``;
``pdf-plain``
    a PDF of plain Courier text lines (no tables, no lines): ``Label: value`` rows, ``|`` between
    grid columns, ticks as ``[x]``/``[ ]``.

Each builder writes a value into the document and records, at the same moment, what a parser
should read back (:class:`Recorder`), so the expectation always matches what was written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF

from intake.synthetic.people import (
    AGENCIES,
    CONCERN_CODES,
    Child,
    Referral,
    Referrer,
    agency_named,
    make_referrer,
)
from intake.synthetic.referrals import make_referral
from intake.synthetic.render import CHOOSE, FICTION_NOTICE, PLACEHOLDER, fixed_zip
from parsers.fields import CHILD_KEYS, FIELD_NAMES

Rendering = Literal["docx", "pdf-ruled", "pdf-plain"]
#: File suffix of each rendering.
SUFFIX: dict[str, str] = {"docx": ".docx", "pdf-ruled": ".pdf", "pdf-plain": ".pdf"}

TICKED = "☒"
UNTICKED = "☐"

#: Contract §3 field names, in the contract's order.
FIELD_ORDER: tuple[str, ...] = FIELD_NAMES  # the contract's names, declared once


# --- document model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look; ``\\n`` starts a new line (a new paragraph in Word)."""

    text: str
    bold: bool = False
    strike: bool = False
    #: A ☒/☐ glyph (``text`` is one of them).
    glyph: bool = False
    #: Placeholder text of an unfilled Word content control.
    grey: bool = False


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Para:
    """A paragraph: ``heading``, ``label`` (bold caption above a value), ``small`` or ``body``."""

    runs: Runs
    kind: Literal["body", "heading", "label", "small"] = "body"


@dataclass(frozen=True)
class TCell:
    """One table cell; ``span`` columns wide."""

    runs: Runs
    label: bool = False
    span: int = 1


@dataclass(frozen=True)
class Table:
    """Rows of cells; ``widths`` are relative column widths; a ``grid``'s first row is a header."""

    rows: tuple[tuple[TCell, ...], ...]
    widths: tuple[float, ...]
    grid: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Item = Para | Table | PageBreak


@dataclass(frozen=True)
class Sheet:
    """A whole form."""

    title: str
    subtitle: str
    items: tuple[Item, ...]
    author: str
    created: dt.datetime
    marking: str
    font: str = "Arial"
    #: Fill of label cells in Word (hex), or empty for none.
    shade: str = "E7E6E6"


def _runs_text(runs: Runs) -> str:
    return "".join(run.text for run in runs)


def _split_lines(runs: Runs) -> list[list[Run]]:
    """``runs`` cut at each ``\\n`` into lines of runs."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append(dataclasses.replace(run, text=part))
    return lines


# --- DOCX -----------------------------------------------------------------------------------------


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _docx_line(paragraph: Any, line: Sequence[Run], *, bold: bool = False) -> None:
    for run in line:
        out = paragraph.add_run(run.text)
        if run.bold or bold:
            out.bold = True
        if run.strike:
            out.font.strike = True
        if run.glyph:
            out.font.name = "MS Gothic"
        if run.grey:
            out.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _docx_cell(cell: Any, runs: Runs, *, bold: bool = False) -> None:
    for index, line in enumerate(_split_lines(runs)):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _docx_line(paragraph, line, bold=bold)


def _docx_table(document: Any, table: Table, shade: str) -> None:
    cols = len(table.widths)
    out = document.add_table(rows=len(table.rows), cols=cols)
    out.style = document.styles["Table Grid"]
    out.autofit = False
    total = sum(table.widths)
    for index, column in enumerate(out.columns):
        column.width = Cm(17.0 * table.widths[index] / total)
    for row in out.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Cm(17.0 * table.widths[index] / total)
    for row_index, (row, cells) in enumerate(zip(out.rows, table.rows, strict=True)):
        if sum(cell.span for cell in cells) != cols:
            raise ValueError(f"row {row_index} spans {sum(c.span for c in cells)} of {cols}")
        column = 0
        for spec in cells:
            target = row.cells[column]
            if spec.span > 1:
                target = target.merge(row.cells[column + spec.span - 1])
            column += spec.span
            header = table.grid and row_index == 0
            if (spec.label or header) and shade:
                _shade(target, shade)
            _docx_cell(target, spec.runs, bold=spec.label or header)


def render_docx(sheet: Sheet) -> bytes:
    """``sheet`` as the bytes of a .docx file (deterministic)."""
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = sheet.font
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    header = section.header.paragraphs[0]
    header.text = sheet.marking
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = FICTION_NOTICE
    title = document.add_paragraph()
    run = title.add_run(sheet.title)
    run.bold = True
    run.font.size = Pt(16)
    if sheet.subtitle:
        sub = document.add_paragraph()
        sub.add_run(sheet.subtitle).italic = True
    for item in sheet.items:
        if isinstance(item, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(item, Table):
            _docx_table(document, item, sheet.shade)
            document.add_paragraph()
        elif item.kind == "heading":
            document.add_paragraph(_runs_text(item.runs), style="Heading 2")
        else:
            for line in _split_lines(item.runs):
                paragraph = document.add_paragraph()
                if item.kind == "label":
                    paragraph.paragraph_format.space_after = Pt(2)
                _docx_line(paragraph, line, bold=item.kind == "label")
                if item.kind == "small":
                    for small in paragraph.runs:
                        small.font.size = Pt(8)
    props = document.core_properties
    props.title = sheet.title
    props.author = sheet.author
    props.last_modified_by = sheet.author
    props.created = sheet.created
    props.modified = sheet.created
    props.revision = 1
    props.comments = FICTION_NOTICE
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), sheet.created)


# --- PDF ------------------------------------------------------------------------------------------

_LATIN = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}


def _latin(text: str) -> str:
    for old, new in _LATIN.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def _flat(runs: Sequence[Run], ticks: tuple[str, str]) -> str:
    """Plain text of ``runs`` with tick glyphs spelt ``ticks`` (on, off)."""
    out = []
    for run in runs:
        if run.strike:
            raise ValueError("struck-through options only render in Word")
        if run.glyph:
            out.append(ticks[0] if run.text == TICKED else ticks[1])
        else:
            out.append(run.text)
    return _latin("".join(out))


def _pdf_start(pdf: FPDF, sheet: Sheet) -> None:
    pdf.set_creation_date(
        sheet.created.replace(tzinfo=dt.UTC) if sheet.created.tzinfo is None else sheet.created
    )
    pdf.set_title(_latin(sheet.title))
    pdf.set_author(_latin(sheet.author))
    pdf.set_subject(FICTION_NOTICE)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()


class _RuledPDF(FPDF):
    """A4, marking top right, the fiction notice and page number in the footer."""

    def __init__(self, marking: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.marking = marking

    def header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.cell(0, 5, _latin(self.marking), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 7)
        self.cell(0, 5, _latin(f"{FICTION_NOTICE}   Page {self.page_no()}"), align="C")


_RULED_TICKS = ("[X]", "[ ]")
_LINE = 4.6


def _ruled_table(pdf: FPDF, table: Table) -> None:
    total = sum(table.widths)
    columns = [pdf.epw * width / total for width in table.widths]
    for row_index, row in enumerate(table.rows):
        widths: list[float] = []
        column = 0
        for cell in row:
            widths.append(sum(columns[column : column + cell.span]))
            column += cell.span
        texts = [_flat(cell.runs, _RULED_TICKS) for cell in row]
        bolds = [cell.label or (table.grid and row_index == 0) for cell in row]
        lines = []
        for width, text, bold in zip(widths, texts, bolds, strict=True):
            pdf.set_font("Helvetica", "B" if bold else "", 8.5)
            split: Any = pdf.multi_cell(width - 2, _LINE, text, dry_run=True, output="LINES")
            lines.append(max(1, len(split)))
        height = max(lines) * _LINE + 2
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        left = pdf.l_margin
        for width, text, bold in zip(widths, texts, bolds, strict=True):
            if bold:
                pdf.set_fill_color(232, 232, 232)
                pdf.rect(left, top, width, height, style="DF")
            else:
                pdf.rect(left, top, width, height)
            pdf.set_font("Helvetica", "B" if bold else "", 8.5)
            pdf.set_xy(left + 1, top + 1)
            pdf.multi_cell(width - 2, _LINE, text, align="L")
            left += width
        pdf.set_xy(pdf.l_margin, top + height)
    pdf.ln(4)


def render_pdf_ruled(sheet: Sheet) -> bytes:
    """``sheet`` as a PDF whose tables are drawn as ruled boxes (deterministic)."""
    pdf = _RuledPDF(sheet.marking)
    _pdf_start(pdf, sheet)
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _latin(sheet.title), align="L", new_x="LMARGIN", new_y="NEXT")
    if sheet.subtitle:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, _latin(sheet.subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for item in sheet.items:
        if isinstance(item, PageBreak):
            pdf.add_page()
        elif isinstance(item, Table):
            _ruled_table(pdf, item)
        elif item.kind == "heading":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 11)
            text = _latin(_runs_text(item.runs))
            pdf.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
            pdf.ln(2)
        else:
            size = 7.5 if item.kind == "small" else 9
            for line in _split_lines(item.runs):
                for run in line:
                    bold = run.bold or item.kind == "label"
                    pdf.set_font("Helvetica", "B" if bold else "", size)
                    pdf.write(_LINE, _flat((run,), _RULED_TICKS))
                pdf.ln(_LINE)
            pdf.ln(1 if item.kind == "label" else 2)
    return bytes(pdf.output())


_PLAIN_TICKS = ("[x]", "[ ]")


def _plain_rows(table: Table) -> list[str]:
    out = []
    for row_index, row in enumerate(table.rows):
        texts = [" ".join(_flat(cell.runs, _PLAIN_TICKS).split()) for cell in row]
        if table.grid:
            out.append(" | ".join(texts))
            if row_index == 0:
                out.append("-" * min(90, len(out[-1])))
            continue
        parts: list[str] = []
        index = 0
        while index < len(row):
            cell, text = row[index], texts[index]
            following = index + 1 < len(row) and not row[index + 1].label
            if cell.label and following:
                value = texts[index + 1]
                joiner = " " if text.endswith((":", "?")) else ": "
                parts.append(f"{text}{joiner}{value}".rstrip())
                index += 2
            else:
                parts.append(text)
                index += 1
        out.append("    ".join(part for part in parts if part))
    return out


def render_pdf_plain(sheet: Sheet) -> bytes:
    """``sheet`` as a PDF of plain Courier text lines, no tables or rules (deterministic)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    _pdf_start(pdf, sheet)
    pdf.set_font("Courier", "", 9)

    def line(text: str = "") -> None:
        pdf.multi_cell(0, 4.2, _latin(text), align="L", new_x="LMARGIN", new_y="NEXT")

    line(sheet.marking)
    line()
    line(sheet.title.upper())
    line("=" * min(90, len(sheet.title)))
    if sheet.subtitle:
        line(sheet.subtitle)
    line()
    for item in sheet.items:
        if isinstance(item, PageBreak):
            pdf.add_page()
        elif isinstance(item, Table):
            for text in _plain_rows(item):
                line(text)
            line()
        elif item.kind == "heading":
            heading = _runs_text(item.runs)
            line(heading)
            line("-" * min(90, len(heading)))
        else:
            for runs in _split_lines(item.runs):
                line(_flat(runs, _PLAIN_TICKS))
            if item.kind != "label":
                line()
    line()
    line(FICTION_NOTICE)
    return bytes(pdf.output())


RENDERERS: dict[str, Callable[[Sheet], bytes]] = {
    "docx": render_docx,
    "pdf-ruled": render_pdf_ruled,
    "pdf-plain": render_pdf_plain,
}


# --- what the parser should read back -------------------------------------------------------------


class Recorder:
    """Collects the contract §3 values a builder wrote into a form."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.children: list[dict[str, Any]] = []
        self.concerns: set[str] = set()

    def put(self, name: str, value: Any) -> None:
        if name not in FIELD_ORDER:
            raise KeyError(name)
        if name in self.fields:
            raise ValueError(f"{name} recorded twice")
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        self.fields[name] = value

    def child(self, index: int, key: str, value: Any) -> None:
        if key not in CHILD_KEYS:
            raise KeyError(key)
        while len(self.children) <= index:
            self.children.append({})
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        self.children[index][key] = value
        if index == 0:
            self.put(f"child_{key}", value)

    def expected(self) -> dict[str, Any]:
        """The ``<case>.expected.json`` object."""
        return {
            "kind": "rfs",
            "template": "unknown",
            "fields": {name: self.fields[name] for name in FIELD_ORDER if name in self.fields},
            "children": [{key: child.get(key) for key in CHILD_KEYS} for child in self.children],
            "concerns": [code for code in CONCERN_CODES if code in self.concerns],
        }


# --- one case -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One held-out file: its template, rendering and the facts the form carries."""

    template: str
    case: str
    rendering: Rendering
    when: dt.datetime
    #: Concerns the narrative names plainly.
    concerns: tuple[str, ...]
    #: Concerns ticked on the form's list (default: ``concerns``); ignored without a list.
    ticked: tuple[str, ...] | None = None
    n_children: int = 1
    #: Add one more child, listed only as a household member (not a subject of the referral).
    household_sibling: bool = False
    urgent: bool = False
    phoned: bool = False
    threshold: int = 3
    #: ``None``: the form's "not known" option is chosen.
    parents_aware: bool | None = True
    consent: bool | None = True
    #: When consent is not given, whether the referrer wrote why.
    give_reason: bool = True
    dsl: bool | None = True
    known: bool | None = False
    gcp: bool = False
    #: Fields left blank/placeholder: contract names, or ``child<N>_<key>`` for child N (1-based).
    blanks: frozenset[str] = frozenset()
    date_style: str = "slash"
    dob_style: str = "slash"
    #: Whether the form gives a time with the referral date.
    time_given: bool = True
    #: Add "There are no concerns about neglect." to the narrative.
    negation: bool = False
    unborn: bool = False
    #: Template-specific layout switch.
    variant: str = ""


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def fmt_date(day: dt.date, style: str) -> str:
    """``day`` written the way a form's author might."""
    if style == "slash":
        return day.strftime("%d/%m/%Y")
    if style == "long":
        return f"{day.day} {day:%B %Y}"
    if style == "dots":
        return day.strftime("%d.%m.%y")
    if style == "iso":
        return day.isoformat()
    if style == "ordinal":
        return f"{_ordinal(day.day)} {day:%b %Y}"
    raise ValueError(style)


def fmt_time(when: dt.datetime, style: str) -> str:
    """A time of day: ``colon`` 10:15, ``dot`` 10.15, ``hrs`` 1015hrs."""
    if style == "colon":
        return when.strftime("%H:%M")
    if style == "dot":
        return when.strftime("%H.%M")
    if style == "hrs":
        return when.strftime("%H%Mhrs")
    raise ValueError(style)


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


def _tri(value: bool | None) -> str:
    if value is None:
        return "unknown"
    return "yes" if value else "no"


def _compact_postcode(code: str) -> str:
    return "".join(code.split()).upper()


def _norm_postcode(code: str) -> str:
    compact = _compact_postcode(code)
    return f"{compact[:-3]} {compact[-3:]}"


def R(text: str, **style: bool) -> Run:
    """A run of ``text``."""
    return Run(text, **style)


def kv(label: str, value: Runs, span: int = 1) -> tuple[TCell, ...]:
    """A label cell then a value cell ``span`` columns wide."""
    return (TCell((R(label),), label=True), TCell(value, span=span))


def glyph_list(options: Sequence[str], selected: str | None, sep: str = "   ") -> Runs:
    """``☒ Yes   ☐ No``: every option after its box."""
    runs: list[Run] = []
    for index, option in enumerate(options):
        if index:
            runs.append(R(sep))
        runs.append(R(TICKED if option == selected else UNTICKED, glyph=True))
        runs.append(R(f" {option}"))
    return tuple(runs)


class Ctx:
    """A builder's working state: the spec, the people, the items written and the recorder."""

    def __init__(self, spec: Spec, referral: Referral, children: Sequence[Child]) -> None:
        self.spec = spec
        self.ref = referral
        self.children = tuple(children)
        self.rec = Recorder()
        self.items: list[Item] = []
        self.rng = random.Random(f"heldout-layout|{spec.template}|{spec.case}")

    # ----- layout
    @property
    def word(self) -> bool:
        return self.spec.rendering == "docx"

    def heading(self, text: str) -> None:
        self.items.append(Para((R(text),), "heading"))

    def para(self, *runs: Run, kind: Literal["body", "label", "small"] = "body") -> None:
        self.items.append(Para(tuple(runs), kind))

    def table(
        self, rows: Sequence[tuple[TCell, ...]], widths: Sequence[float], grid: bool = False
    ) -> None:
        self.items.append(Table(tuple(rows), tuple(widths), grid))

    def labelled(self, label: str, value: Runs) -> None:
        """Label above value: a bold caption, then the answer in a box (plain: on its own line)."""
        self.para(R(label), kind="label")
        self.table([(TCell(value),)], (1,))

    def page_break(self) -> None:
        self.items.append(PageBreak())

    # ----- values
    def blank(self, choose: bool = False) -> Runs:
        """What an unfilled field shows: a placeholder in Word and Word-printed PDFs."""
        if self.spec.rendering == "pdf-plain":
            return ()
        return (R(CHOOSE if choose else PLACEHOLDER, grey=True),)

    def is_blank(self, name: str) -> bool:
        return name in self.spec.blanks

    def text(self, name: str, written: str, expected: Any = None) -> Runs:
        """Write ``written`` for field ``name`` (recording ``expected``, default the text)."""
        if self.is_blank(name) or not written:
            self.rec.put(name, None)
            return self.blank()
        self.rec.put(name, written if expected is None else expected)
        return (R(written),)

    def child_text(self, index: int, key: str, written: str, expected: Any = None) -> Runs:
        if self.is_blank(f"child{index + 1}_{key}") or not written:
            self.rec.child(index, key, None)
            return self.blank()
        self.rec.child(index, key, written if expected is None else expected)
        return (R(written),)

    def choose(
        self, name: str, value: bool | None, options: Sequence[str], *, tri: bool
    ) -> str | None:
        """The option to mark for field ``name`` (``options``: yes, no[, not known]); records
        what a parser should read. ``None``: left unanswered."""
        if self.is_blank(name) or (value is None and len(options) < 3):
            self.rec.put(name, None)
            return None
        if value is None:
            self.rec.put(name, "unknown")
            return options[2]
        self.rec.put(name, _tri(value) if tri else value)
        return options[0] if value else options[1]

    def glyphs(
        self, name: str, value: bool | None, options: Sequence[str] = ("Yes", "No"), *, tri: bool
    ) -> Runs:
        return glyph_list(options, self.choose(name, value, options, tri=tri))

    def strike(
        self, name: str, value: bool | None, options: Sequence[str] = ("Yes", "No"), *, tri: bool
    ) -> Runs:
        """``Yes / No`` with the options not chosen struck through (PDF: the chosen word)."""
        return self.struck(options, self.choose(name, value, options, tri=tri))

    def struck(self, options: Sequence[str], selected: str | None) -> Runs:
        if selected is None:
            return self.blank(choose=True) if self.word else ()
        if not self.word:
            return (R(selected),)
        runs: list[Run] = []
        for index, option in enumerate(options):
            if index:
                runs.append(R(" / "))
            runs.append(R(option, strike=option != selected))
        return tuple(runs)

    def columns(
        self, name: str, value: bool | None, options: Sequence[str], *, tri: bool, glyph: bool
    ) -> tuple[TCell, ...]:
        """Answer cells, one per option: ``X`` (or ☒/☐ glyphs) in the chosen one."""
        selected = self.choose(name, value, options, tri=tri)
        cells = []
        for option in options:
            if glyph:
                mark = R(TICKED if option == selected else UNTICKED, glyph=True)
                cells.append(TCell((mark,)))
            else:
                cells.append(TCell((R("X"),) if option == selected else ()))
        return tuple(cells)

    def threshold(self, labels: dict[int, str], style: Literal["glyph", "strike", "typed"]) -> Runs:
        level = None if self.is_blank("threshold_level") else self.spec.threshold
        self.rec.put("threshold_level", level)
        if style == "typed":
            return (R(labels[level]),) if level else self.blank(choose=True)
        options = list(labels.values())
        selected = labels[level] if level else None
        if style == "strike":
            return self.struck(options, selected)
        return glyph_list(options, selected)

    def referral_when(self, date_style: str, time_style: str = "colon", sep: str = " ") -> Runs:
        """Date and (if the spec gives one) time of the referral in one field."""
        when = self.spec.when
        if self.is_blank("referral_datetime"):
            self.rec.put("referral_datetime", None)
            return self.blank()
        if not self.spec.time_given:
            self.rec.put("referral_datetime", when.date().isoformat())
            return (R(fmt_date(when.date(), date_style)),)
        self.rec.put("referral_datetime", _iso(when))
        return (R(f"{fmt_date(when.date(), date_style)}{sep}{fmt_time(when, time_style)}"),)

    def phone_sentence(self, date_style: str, time_style: str = "colon") -> Runs:
        """One free-text answer to "spoken to the front door by phone? who and when"."""
        if self.is_blank("phoned"):
            for name in ("phoned", "phoned_at", "phoned_to"):
                self.rec.put(name, None)
            return self.blank()
        ref = self.ref
        if not ref.phoned or ref.phoned_at is None:
            self.rec.put("phoned", False)
            self.rec.put("phoned_at", None)
            self.rec.put("phoned_to", None)
            return (R(self.rng.choice(("No", "No.", "No - not phoned"))),)
        self.rec.put("phoned", True)
        self.rec.put("phoned_at", _iso(ref.phoned_at))
        self.rec.put("phoned_to", ref.phoned_to)
        day = fmt_date(ref.phoned_at.date(), date_style)
        time = fmt_time(ref.phoned_at, time_style)
        pattern = self.rng.choice(
            (
                "Yes - spoke to {who} on {day} at {time}",
                "Yes, {who}, {day} at {time}",
                "Yes. Discussed with {who} at {time} on {day}",
            )
        )
        return (R(pattern.format(who=ref.phoned_to, day=day, time=time)),)

    def referrer_rows(self, labels: Sequence[str]) -> list[tuple[str, Runs]]:
        """(label, value) for name, role, agency, phone, email under ``labels``."""
        who = self.ref.referrer
        values = (who.name, who.role, who.agency, who.phone, who.email)
        names = (
            "referrer_name",
            "referrer_role",
            "referrer_agency",
            "referrer_phone",
            "referrer_email",
        )
        return [
            (label, self.text(name, value))
            for label, name, value in zip(labels, names, values, strict=True)
        ]

    # ----- the child
    def child_names(self, index: int, child: Child) -> tuple[Runs, Runs]:
        """(forenames, surname) in separate fields."""
        return (
            self.child_text(index, "forenames", child.forenames),
            self.child_text(index, "surname", child.surname),
        )

    def child_fullname(self, index: int, child: Child, style: str = "plain") -> Runs:
        """One name field: ``Jay Alex Smith`` (``plain``) or ``SMITH, Jay Alex`` (``police``)."""
        if self.is_blank(f"child{index + 1}_name"):
            self.rec.child(index, "forenames", None)
            self.rec.child(index, "surname", None)
            return self.blank()
        surname = child.surname.upper() if style == "police" else child.surname
        forenames = child.forenames.upper() if self.spec.variant == "upper" else child.forenames
        self.rec.child(index, "forenames", forenames)
        self.rec.child(index, "surname", surname)
        text = f"{surname}, {forenames}" if style == "police" else f"{forenames} {surname}"
        return (R(text),)

    def child_dob(self, index: int, child: Child, style: str) -> Runs:
        if child.dob is None:
            return self.child_text(index, "dob", "")
        return self.child_text(index, "dob", fmt_date(child.dob, style), child.dob.isoformat())

    def child_sex(self, index: int, child: Child, style: Literal["word", "letter"]) -> Runs:
        gender = child.gender.lower() or "unknown"
        if style == "letter":
            written = {"male": "M", "female": "F", "unknown": "U"}[gender]
        else:
            written = {"male": "Male", "female": "Female", "unknown": "Not known"}[gender]
        return self.child_text(index, "gender", written, gender)

    def child_address(
        self, index: int, child: Child, style: Literal["inline", "lines", "separate"]
    ) -> Runs:
        """Address; ``inline`` and ``lines`` include the postcode, ``separate`` leaves it out."""
        if self.is_blank(f"child{index + 1}_address"):
            self.rec.child(index, "address", None)
            if style != "separate":
                self.rec.child(index, "postcode", None)
            return self.blank()
        address = child.address.upper() if self.spec.variant == "upper" else child.address
        if style == "lines":
            parts = address.split(", ")
            # Address lines typed one under another read back joined with commas.
            self.rec.child(index, "address", ", ".join(parts))
            self.rec.child(index, "postcode", _norm_postcode(child.postcode))
            return (R("\n".join((*parts, child.postcode))),)
        self.rec.child(index, "address", address)
        if style == "separate":
            return (R(address),)
        self.rec.child(index, "postcode", _norm_postcode(child.postcode))
        return (R(f"{address} {child.postcode}"),)

    def child_postcode(self, index: int, child: Child, compact: bool = False) -> Runs:
        written = _compact_postcode(child.postcode) if compact else child.postcode
        return self.child_text(index, "postcode", written, _norm_postcode(child.postcode))

    # ----- concerns and narrative
    def concern_ticks(
        self, labels: Sequence[tuple[str, str]], columns: int
    ) -> list[tuple[TCell, ...]]:
        """Tick-box cells (``columns`` per row) for (code, label) pairs; records the ticks."""
        ticked = set(self.spec.concerns if self.spec.ticked is None else self.spec.ticked)
        unknown = ticked - {code for code, _ in labels}
        if unknown:
            raise ValueError(f"{self.spec.case}: no box for {sorted(unknown)}")
        self.rec.concerns |= ticked
        cells = [
            TCell(glyph_list((label,), label if code in ticked else None)) for code, label in labels
        ]
        while len(cells) % columns:
            cells.append(TCell(()))
        return [tuple(cells[i : i + columns]) for i in range(0, len(cells), columns)]

    def narrative(self, *, paragraphs: bool = False, voice: str = "general") -> Runs:
        """The referrer's account, naming each concern plainly; recorded as concern_narrative."""
        if self.is_blank("concern_narrative"):
            self.rec.put("concern_narrative", None)
            return self.blank()
        text = story(self.spec, self.ref, self.children, voice=voice, paragraphs=paragraphs)
        self.rec.put("concern_narrative", text)
        self.rec.concerns |= set(self.spec.concerns)
        return (R(text),)

    def consent_reason(self) -> Runs:
        if self.spec.consent is not False or not self.spec.give_reason:
            return self.text("consent_refused_reason", "")
        return self.text("consent_refused_reason", self.ref.consent_refused_reason)

    def finish(self, title: str, subtitle: str, marking: str, **look: Any) -> Sheet:
        return Sheet(
            title=title,
            subtitle=subtitle,
            items=tuple(self.items),
            author=self.ref.referrer.name,
            created=self.spec.when,
            marking=marking,
            **look,
        )


# --- narratives -----------------------------------------------------------------------------------

#: One plain statement per concern: each names its concern and no other. ``{c}`` child's first
#: name, ``{he}``/``{him}``/``{his}`` pronouns, ``{carer}`` first carer, ``{day}`` a weekday.
_PLAIN: dict[str, tuple[str, ...]] = {
    "neglect": (
        "We are worried about neglect. {c} has come in hungry and in the same unwashed clothes on "
        "most days this half term, and the home is described as dirty and cold.",
        "There is clear neglect: {c} has untreated tooth decay and head lice, and {carer} has not "
        "taken up any of the appointments offered.",
    ),
    "physical_abuse": (
        "{c} arrived on {day} with bruising to {his} upper arm and said {carer}'s partner grabbed "
        "{him}; this is physical abuse.",
    ),
    "emotional_abuse": (
        "Staff have witnessed emotional abuse: {carer} shouts at {c} at the gate, calls {him} "
        "worthless and threatens to send {him} away.",
    ),
    "sexual_abuse": (
        "On {day} {c} disclosed sexual abuse by an adult visitor to the family home; {his} words "
        "were written down straight away.",
    ),
    "domestic_abuse": (
        "There is domestic abuse at home. Police were called on {day} after {carer} was "
        "assaulted by her partner while {c} was in the house.",
    ),
    "cse": (
        "Child sexual exploitation is a concern: {c} is being picked up from school by older men "
        "in cars and has new clothes and a phone that nobody can explain.",
    ),
    "cce": (
        "{c} is being criminally exploited through county lines; police found {him} in another "
        "town with cash and two phones on {day}.",
    ),
    "hsb": (
        "{c} displayed harmful sexual behaviour on {day}, touching a younger pupil and using "
        "language far beyond {his} age.",
    ),
    "fgm": (
        "{c} has told staff that {he} will be taken abroad this summer to be cut, and we are "
        "concerned about female genital mutilation (FGM).",
    ),
    "forced_marriage": (
        "{c} says {his} family are arranging a forced marriage to a cousin over the summer "
        "holidays.",
    ),
    "honour_based_abuse": (
        "{c} has been threatened by relatives after being seen with a boyfriend; this is "
        "honour-based abuse and {he} is frightened to go home.",
    ),
    "radicalisation": (
        "{c} has been sharing extremist videos with friends and talking about violence against a "
        "community, and we are concerned about radicalisation.",
    ),
    "missing": (
        "{c} has gone missing from home three times this month and will not say where {he} has "
        "been.",
    ),
    "mental_health": (
        "{carer}'s mental health has got worse; she told us she cannot get out of bed most days "
        "to look after {c}.",
        "{c}'s mental health is a concern: {he} is withdrawn, tearful and not sleeping.",
    ),
    "self_harm": (
        "{c} has fresh self-harm cuts on {his} forearms, which {he} showed a friend on {day}.",
    ),
    "substance_misuse": (
        "There is substance misuse in the home: {carer} was under the influence of drugs when "
        "collecting {c} on {day}.",
    ),
    "online_harm": (
        "There is online harm: {c} is being threatened and bullied by strangers on a messaging "
        "app and is frightened to use {his} phone.",
    ),
    "trafficking": (
        "{c} arrived in the area with an unrelated adult, has no school place and appears to "
        "have been trafficked for work.",
    ),
}

#: Health-visitor and midwife statements (``{c}`` a baby, ``{carer}`` the mother).
_HEALTH: dict[str, str] = {
    "neglect": "There is neglect: at the home visit on {day} {c} was in a soiled cot, has "
    "dropped two centile lines and there was no formula or food in the flat.",
    "domestic_abuse": "{carer} disclosed domestic abuse at the contact on {day}: her partner has "
    "hit her and broken her phone, and police have been called twice.",
    "substance_misuse": "{carer} has told us she is using cocaine most weekends; there is "
    "ongoing substance misuse while she is caring for {c}.",
    "mental_health": "{carer} has a history of serious mental health difficulties, including a "
    "hospital admission, and has stopped taking her medication.",
}

#: Pre-birth statements (``{carer}`` the expectant mother).
_UNBORN: dict[str, str] = {
    "domestic_abuse": "At her booking appointment {carer} disclosed domestic abuse: her partner "
    "has hit her during this pregnancy and police were called on {day}.",
    "substance_misuse": "{carer} has told the midwife she is using cocaine most weekends; there "
    "is ongoing substance misuse in this pregnancy.",
    "mental_health": "{carer} has a history of serious mental health difficulties, including a "
    "hospital admission, and has stopped taking her medication.",
    "neglect": "There is neglect of the older children at home: the flat is dirty, there is "
    "little food and they are often absent from nursery.",
}

_OPENERS = (
    "I am making this referral about {names}.",
    "This referral is about {names}.",
    "I am writing to refer {names} to children's services.",
)


def _names(children: Sequence[Child]) -> str:
    firsts = [child.forenames.split()[0] for child in children if child.forenames]
    if not firsts:
        return "the unborn baby"
    return firsts[0] if len(firsts) == 1 else f"{', '.join(firsts[:-1])} and {firsts[-1]}"


def story(
    spec: Spec,
    referral: Referral,
    children: Sequence[Child],
    *,
    voice: str = "general",
    paragraphs: bool = False,
) -> str:
    """The referrer's narrative for ``spec``: an opener, one plain sentence per concern, then
    the negation, GCP and urgency lines the spec asks for."""
    rng = random.Random(f"heldout-story|{spec.template}|{spec.case}")
    first = children[0]
    female = first.gender == "Female"
    carer = referral.carers[0].name.split()[0]
    day = (spec.when - dt.timedelta(days=rng.randint(1, 3))).strftime("%A")
    words = {
        "c": first.forenames.split()[0] if first.forenames else "the baby",
        "he": "she" if female else "he",
        "him": "her" if female else "him",
        "his": "her" if female else "his",
        "carer": carer,
        "day": day,
    }
    sentences = [rng.choice(_OPENERS).format(names=_names(children))]
    for code in CONCERN_CODES:
        if code not in spec.concerns:
            continue
        if voice == "unborn":
            template = _UNBORN[code]
        elif voice == "health" and code in _HEALTH:
            template = _HEALTH[code]
        else:
            template = rng.choice(_PLAIN[code])
        text = template.format(**words)
        sentences.append(text[0].upper() + text[1:])
    if spec.negation:
        sentences.insert(2, "There are no concerns about neglect.")
    if spec.gcp:
        sentences.append(
            f"I have completed a Graded Care Profile 2 with {carer} and it is attached."
        )
    if spec.urgent:
        who = "the baby" if voice == "unborn" else words["c"]
        sentences.append(f"I believe {who} is at immediate risk and should be seen today.")
    if paragraphs and len(sentences) > 2:
        middle = len(sentences) // 2
        return " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])
    return " ".join(sentences)


_ACTIONS = (
    "Spoke with {carer} about what we have seen; advice given and GP informed.",
    "Offered a place at breakfast club and a referral to the food bank; taken up in part.",
    "Team Around the Family meeting held last month; actions not yet completed.",
    "Incident logged on our recording system and welfare check requested.",
)

_REASONS = (
    "Mother could not be reached by phone today; we will keep trying.",
    "Telling the parents now could put the child at greater risk before the front door has "
    "looked at this.",
    "The young person asked us not to tell their parents and is old enough to make that choice.",
    "Father was asked and refused.",
)


# --- people for a case ----------------------------------------------------------------------------


def _older(child: Child, on: dt.date, min_age: int) -> Child:
    """``child`` made at least ``min_age`` on ``on`` (birthday moved back whole years)."""
    dob = child.dob
    if dob is None:
        return child
    if (on - dob).days >= min_age * 365 + 30:
        return child
    while (on - dob).days < min_age * 365 + 30:
        dob = dob.replace(year=dob.year - 3, day=min(dob.day, 28))
    age = (on - dob).days // 365
    settings = [
        a.name
        for a in AGENCIES
        if a.kind in ("school", "early_years") and a.ages[0] <= age <= a.ages[1]
    ]
    school = settings[dob.toordinal() % len(settings)] if settings else ""
    return dataclasses.replace(child, dob=dob, school=school)


def _people(
    spec: Spec, kinds: tuple[str, ...], min_age: int = 0
) -> tuple[Referral, list[Child], Child | None]:
    """The referral, the children it is about (aged at least ``min_age``), and a household
    sibling if the spec wants one."""
    everything = set(spec.concerns) | set(spec.ticked or ())
    made = make_referral(
        f"heldout|{spec.template}|{spec.case}",
        when=spec.when,
        concerns=tuple(sorted(everything)),
        urgent=spec.urgent,
        phoned=spec.phoned,
        threshold_level=spec.threshold,
        n_children=spec.n_children + int(spec.household_sibling),
        gcp_attached_claimed=spec.gcp,
        consent=bool(spec.consent),
        referrer_kinds=kinds,
        other_attachments=(),
    )
    rng = random.Random(f"heldout-people|{spec.template}|{spec.case}")
    reason = rng.choice(_REASONS) if spec.consent is False else ""
    carer = made.carers[0].name.split()[0]
    made = dataclasses.replace(
        made,
        actions_taken=rng.choice(_ACTIONS).format(carer=carer),
        parents_aware=spec.parents_aware,
        consent=spec.consent,
        consent_refused_reason=reason,
        dsl_consulted=spec.dsl,
        known_to_csc=spec.known,
    )
    children = [_older(child, spec.when.date(), min_age) for child in made.children]
    made = dataclasses.replace(made, children=tuple(children))
    sibling = children.pop() if spec.household_sibling else None
    return made, children, sibling


def _with_referrer(referral: Referral, referrer: Referrer) -> Referral:
    return dataclasses.replace(referral, referrer=referrer)


# --- template 1: county early-help "Request for Support" ------------------------------------------

_A_CONCERNS = (
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse / harm"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse (incl. witnessing)"),
    ("cse", "Child sexual exploitation"),
    ("cce", "Criminal exploitation / county lines"),
    ("hsb", "Harmful sexual behaviour"),
    ("fgm", "FGM"),
    ("forced_marriage", "Forced marriage"),
    ("honour_based_abuse", "Honour based abuse"),
    ("radicalisation", "Radicalisation / Prevent"),
    ("missing", "Missing episodes"),
    ("mental_health", "Mental health (child or parent)"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Substance misuse (drugs / alcohol)"),
    ("online_harm", "Online safety"),
    ("trafficking", "Trafficking / modern slavery"),
    ("other", "Other (give details below)"),
)


def county_request_for_support(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on county councils' early-help "Request for Support" forms sent to a children and
    families hub: a threshold "Level 2 / 3 / 4" tick row, a grid of the children with one family
    address, a tick list of areas of need and a "documents attached" row. 2-column tables."""
    referral, children, sibling = _people(spec, (), min_age=2)
    ctx = Ctx(spec, referral, children)
    ctx.para(
        R(
            "Use this form to ask the Family Hub for early help or for an assessment by children's "
            "social care. If a child is at immediate risk of significant harm, telephone the front "
            "door first and send this form the same day."
        ),
        kind="small",
    )
    ctx.heading("Section 1   About this request")
    levels = {
        2: "Level 2 - Additional needs",
        3: "Level 3 - Complex needs",
        4: "Level 4 - Acute / specialist",
    }
    ctx.table(
        [
            kv("Date of request", ctx.referral_when(spec.date_style)),
            kv("Level of need (threshold)", ctx.threshold(levels, "glyph")),
            kv(
                "Have you spoken to the front door by phone? If so who and when",
                ctx.phone_sentence(spec.date_style),
            ),
        ],
        (2, 5),
    )
    ctx.heading("Section 2   Person making the request")
    labels = ("Name of professional referring", "Job title", "Agency/Service", "Contact tel")
    rows = [kv(label, value) for label, value in ctx.referrer_rows((*labels, "Secure email"))]
    rows.append(
        kv(
            "Has this request been discussed with your manager or DSL?",
            ctx.glyphs("dsl_consulted", spec.dsl, tri=False),
        )
    )
    ctx.table(rows, (2, 5))
    ctx.heading("Section 3   Children and young people this request is about")
    header = ("Forename(s)", "Surname/Family name", "Known as", "D.O.B", "Sex", "School / setting")
    grid: list[tuple[TCell, ...]] = [tuple(TCell((R(text),)) for text in header)]
    for index, child in enumerate(children):
        forenames, surname = ctx.child_names(index, child)
        grid.append(
            (
                TCell(forenames),
                TCell(surname),
                TCell((R(child.forenames.split()[0]),)),
                TCell(ctx.child_dob(index, child, spec.dob_style)),
                TCell(ctx.child_sex(index, child, "word")),
                TCell((R(child.school or "Not in a setting"),)),
            )
        )
    ctx.table(grid, (3, 3, 2, 2.4, 1.6, 4), grid=True)
    family = children[0]
    home = ctx.child_address(0, family, "lines")
    for index in range(1, len(children)):
        # One family address: every child lives there.
        ctx.rec.child(index, "address", ctx.rec.children[0].get("address"))
        ctx.rec.child(index, "postcode", ctx.rec.children[0].get("postcode"))
    ctx.table([kv("Family address inc. postcode", home)], (2, 5))
    household = [("Name", "Relationship to child", "D.O.B", "Parental responsibility?")]
    for carer in referral.carers:
        household.append(
            (
                carer.name,
                carer.relationship,
                fmt_date(carer.dob, spec.dob_style),
                "Yes" if carer.parental_responsibility else "No",
            )
        )
    if sibling is not None:
        relation = "Sister" if sibling.gender == "Female" else "Brother"
        household.append(
            (
                sibling.full_name,
                relation,
                fmt_date(sibling.dob or spec.when.date(), spec.dob_style),
                "",
            )
        )
    ctx.para(R("Parents, carers and other members of the household"), kind="label")
    ctx.table(
        [tuple(TCell((R(text),)) for text in row) for row in household], (4, 3, 2.5, 2.5), grid=True
    )
    ctx.heading("Section 4   Consent")
    ctx.table(
        [
            kv(
                "Do parents know about this referral?",
                ctx.glyphs(
                    "parents_aware", spec.parents_aware, ("Yes", "No", "Not known"), tri=True
                ),
            ),
            kv(
                "Has consent been obtained from the parent/carer?",
                ctx.glyphs("consent", spec.consent, tri=True),
            ),
            kv("If not, why not?", ctx.consent_reason()),
            kv(
                "Is the family already known to Children's Social Care?",
                ctx.glyphs("known_to_csc", spec.known, ("Yes", "No", "Don't know"), tri=True),
            ),
        ],
        (3, 4),
    )
    ctx.heading("Section 5   What are the presenting needs?")
    ctx.para(R("Areas of need (tick all that apply)"), kind="label")
    ctx.table(ctx.concern_ticks(_A_CONCERNS, 3), (1, 1, 1))
    if spec.ticked is not None and "other" in spec.ticked:
        ctx.para(
            R("Other - details: "), R("The family have been served notice to leave their home.")
        )
    ctx.table(
        [
            (
                TCell(
                    (R("What are the presenting needs? Tell us what is happening for the child."),),
                    label=True,
                ),
            ),
            (TCell(ctx.narrative()),),
            (
                TCell(
                    (R("What has already been tried, and what difference did it make?"),),
                    label=True,
                ),
            ),
            (TCell((R(referral.actions_taken),)),),
        ],
        (1,),
    )
    ctx.heading("Section 6   Documents attached")
    ctx.rec.put("gcp_attached_claimed", spec.gcp)
    docs = ("Early Help Assessment", "Graded Care Profile (GCP2)", "Chronology")
    attached = [
        TCell(glyph_list((doc,), doc if (doc.startswith("Graded") and spec.gcp) else None))
        for doc in docs
    ]
    ctx.table([tuple(attached)], (1, 1, 1))
    ctx.para(R("Please email this form to the Family Hub secure mailbox."), kind="small")
    sheet = ctx.finish(
        "Request for Support",
        "Children and Families Hub - Saltmarsh County Council (early help and social care)",
        "OFFICIAL-SENSITIVE when completed",
        font="Calibri",
        shade="DEEAF6",
    )
    return sheet, ctx.rec.expected()


# --- template 2: MASH "Multi-Agency Referral Form (MARF)" with a consent page ---------------------

_B_CONCERNS = (
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("cse", "CSE"),
    ("cce", "CCE / county lines"),
    ("hsb", "HSB"),
    ("fgm", "FGM"),
    ("forced_marriage", "Forced marriage"),
    ("honour_based_abuse", "Honour based abuse"),
    ("radicalisation", "Radicalisation"),
    ("missing", "Missing"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Substance misuse"),
    ("online_harm", "Online harm"),
    ("trafficking", "Trafficking"),
    ("other", "Other"),
)


def mash_marf(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on London-borough MASH "Multi-Agency Referral Form (MARF)"s: 4-column
    label|value|label|value tables, one block per child, Yes/No answers as separate columns with
    an ``X``, and a separate consent and information-sharing page at the end."""
    referral, children, _ = _people(spec, ())
    ctx = Ctx(spec, referral, children)
    ctx.para(
        R("All sections must be completed. Incomplete referrals may be returned to the referrer."),
        kind="small",
    )
    ctx.heading("1. Referral details")
    levels = {
        2: "Level 2 - Early help",
        3: "Level 3 - Targeted / complex",
        4: "Level 4 - Child protection",
    }
    ctx.table(
        [
            kv("Date and time of referral", ctx.referral_when(spec.date_style), span=3),
            kv("Level of need (threshold)", ctx.threshold(levels, "typed"), span=3),
            kv(
                "Have you spoken to the front door by phone? If so who and when",
                ctx.phone_sentence(spec.date_style),
                span=3,
            ),
        ],
        (3, 2, 2, 2),
    )
    ctx.table(
        [
            (TCell((R(""),)), TCell((R("Yes"),)), TCell((R("No"),))),
            (
                TCell((R("Is this referral urgent?"),), label=True),
                *ctx.columns("urgent", spec.urgent, ("Yes", "No"), tri=False, glyph=False),
            ),
            (
                TCell((R("Has the DSL been consulted?"),), label=True),
                *ctx.columns("dsl_consulted", spec.dsl, ("Yes", "No"), tri=False, glyph=False),
            ),
        ],
        (6, 1, 1),
        grid=True,
    )
    ctx.heading("2. Referrer")
    (name, role, agency, phone, email) = ctx.referrer_rows(
        ("Name of referrer", "Role", "Agency", "Contact tel", "Secure email")
    )
    ctx.table(
        [
            (*kv(name[0], name[1]), *kv(role[0], role[1])),
            (*kv(agency[0], agency[1]), *kv(phone[0], phone[1])),
            kv(email[0], email[1], span=3),
        ],
        (2, 3, 2, 3),
    )
    ctx.heading("3. Child / young person")
    for index, child in enumerate(children):
        forenames, surname = ctx.child_names(index, child)
        ctx.table(
            [
                (TCell((R(f"Child {index + 1}"),), label=True, span=4),),
                (*kv("Surname/Family name", surname), *kv("Forename(s)", forenames)),
                (
                    *kv("D.O.B", ctx.child_dob(index, child, spec.dob_style)),
                    *kv("Sex", ctx.child_sex(index, child, "word")),
                ),
                kv("Address", ctx.child_address(index, child, "separate"), span=3),
                (
                    *kv(
                        "Postcode",
                        ctx.child_postcode(index, child, compact=spec.variant == "compact"),
                    ),
                    *kv("Known as", (R(child.forenames.split()[0]),)),
                ),
            ],
            (2, 3, 2, 3),
        )
    ctx.heading("4. Parents / carers")
    carers = [("Name", "Relationship", "D.O.B", "Tel")]
    for carer in referral.carers:
        carers.append(
            (carer.name, carer.relationship, fmt_date(carer.dob, spec.dob_style), carer.phone)
        )
    ctx.table([tuple(TCell((R(text),)) for text in row) for row in carers], (3, 2, 2, 2), grid=True)
    ctx.heading("5. Reason for referral")
    ctx.table(
        [
            (TCell((R("Category of concern (tick all that apply)"),), label=True, span=4),),
            *ctx.concern_ticks(_B_CONCERNS, 4),
        ],
        (1, 1, 1, 1),
    )
    ctx.table(
        [
            (TCell((R("Summary of concerns"),), label=True),),
            (TCell(ctx.narrative()),),
            (TCell((R("Strengths / protective factors"),), label=True),),
            (TCell((R(referral.strengths),)),),
        ],
        (1,),
    )
    ctx.table(
        [
            (TCell((R(""),)), TCell((R("Yes"),)), TCell((R("No"),)), TCell((R("Not known"),))),
            (
                TCell((R("Is the family already known to Children's Social Care?"),), label=True),
                *ctx.columns(
                    "known_to_csc", spec.known, ("Yes", "No", "Not known"), tri=True, glyph=False
                ),
            ),
        ],
        (6, 1, 1, 1),
        grid=True,
    )
    ctx.table(
        [
            (TCell((R(""),)), TCell((R("Yes"),)), TCell((R("No"),))),
            (
                TCell((R("Is a Graded Care Profile (GCP2) attached?"),), label=True),
                *ctx.columns(
                    "gcp_attached_claimed", spec.gcp, ("Yes", "No"), tri=False, glyph=False
                ),
            ),
        ],
        (6, 1, 1),
        grid=True,
    )
    ctx.page_break()
    ctx.heading("6. Consent and information sharing")
    ctx.para(
        R(
            "Consent should be sought unless doing so would place the child at increased risk of "
            "significant harm (for example where sexual abuse, FGM or fabricated illness is "
            "suspected). Record below whether the parent/carer knows and has agreed."
        ),
        kind="small",
    )
    ctx.table(
        [
            (TCell((R(""),)), TCell((R("Yes"),)), TCell((R("No"),)), TCell((R("Not known"),))),
            (
                TCell((R("Do parents know about this referral?"),), label=True),
                *ctx.columns(
                    "parents_aware",
                    spec.parents_aware,
                    ("Yes", "No", "Not known"),
                    tri=True,
                    glyph=False,
                ),
            ),
            (
                TCell((R("Has consent been obtained from the parent/carer?"),), label=True),
                *ctx.columns(
                    "consent", spec.consent, ("Yes", "No", "Not known"), tri=True, glyph=False
                ),
            ),
        ],
        (6, 1, 1, 1),
        grid=True,
    )
    ctx.table([kv("If not, why not?", ctx.consent_reason())], (2, 5))
    ctx.table(
        [
            kv("Signed (referrer)", (R(referral.referrer.name),)),
            kv("Date", (R(fmt_date(spec.when.date(), spec.date_style)),)),
        ],
        (2, 5),
    )
    sheet = ctx.finish(
        "Multi-Agency Referral Form (MARF)",
        "Riverside Multi-Agency Safeguarding Hub (MASH)",
        "OFFICIAL - SENSITIVE",
        font="Arial",
        shade="D9D9D9",
    )
    return sheet, ctx.rec.expected()


# --- template 3: health visitor / midwife safeguarding referral (unborn baby) ---------------------


def health_safeguarding_referral(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on NHS trusts' health-visiting and midwifery "Safeguarding referral" forms,
    including pre-birth referrals: the unborn baby with an EDD, the mother's details, other
    children in the household listed separately, and concerns only in the narrative."""
    referral, children, sibling = _people(spec, ("health",))
    rng = random.Random(f"heldout-health|{spec.case}")
    mother = referral.carers[0]
    when = spec.when.date()
    if spec.unborn:
        edd = when + dt.timedelta(days=rng.randint(30, 180))
        baby = Child(
            "", mother.name.split()[-1], edd, "", mother.address, mother.postcode, unborn=True
        )
        subjects = [baby]
        who = make_referrer(rng, kinds=("health",))
        referral = _with_referrer(
            referral,
            Referrer(
                who.name,
                "Community Midwife",
                "Estuary Hospital Maternity Service",
                who.phone,
                who.email,
                "health",
            ),
        )
    else:
        subjects = []
        for index, child in enumerate(children):
            days = rng.randint(20, 300) if index == 0 else rng.randint(400, 1000)
            subjects.append(dataclasses.replace(child, dob=when - dt.timedelta(days=days)))
        hv = next(a for a in AGENCIES if a.name.endswith("Health Visiting"))
        referral = _with_referrer(referral, make_referrer(rng, agency=hv))
    ctx = Ctx(spec, referral, subjects)
    ctx.heading("Referral details")
    rows = [
        kv("Date of referral", ctx.referral_when(spec.date_style, sep="  Time: ")),
        kv("Is this referral urgent?", ctx.glyphs("urgent", spec.urgent, tri=False)),
    ]
    labels = ("Name of professional referring", "Designation", "Agency/Service", "Contact tel")
    rows += [kv(label, value) for label, value in ctx.referrer_rows((*labels, "Secure email"))]
    rows.append(
        kv(
            "Discussed with safeguarding lead / supervisor?",
            ctx.glyphs("dsl_consulted", spec.dsl, tri=False),
        )
    )
    ctx.table(rows, (2, 5))
    for index, subject in enumerate(subjects):
        ctx.heading("Unborn baby" if subject.unborn else f"Baby / child {index + 1}")
        forenames = (
            ctx.child_text(index, "forenames", "")
            if subject.unborn
            else ctx.child_text(index, "forenames", subject.forenames)
        )
        dob_label = "EDD" if subject.unborn else "D.O.B"
        ctx.table(
            [
                kv("Unborn?", glyph_list(("Yes", "No"), "Yes" if subject.unborn else "No")),
                kv("Surname/Family name", ctx.child_text(index, "surname", subject.surname)),
                kv("Forename(s)", forenames),
                kv(dob_label, ctx.child_dob(index, subject, spec.dob_style)),
                kv("Sex", ctx.child_sex(index, subject, "word")),
                kv("Home address inc. postcode", ctx.child_address(index, subject, "lines")),
            ],
            (2, 5),
        )
    ctx.heading("Mother's details")
    ctx.table(
        [
            kv("Name", (R(mother.name),)),
            kv("D.O.B", (R(fmt_date(mother.dob, spec.dob_style)),)),
            kv("Contact tel", (R(mother.phone),)),
            kv("Address inc. postcode", (R(f"{mother.address} {mother.postcode}"),)),
            kv(
                "Gestation at referral",
                (R(f"{rng.randint(14, 34)} weeks"),) if spec.unborn else (R("N/A"),),
            ),
        ],
        (2, 5),
    )
    if len(referral.carers) > 1:
        partner = referral.carers[1]
        ctx.heading("Father / partner" if partner.relationship == "Father" else "Other carer")
        ctx.table(
            [
                kv("Name", (R(partner.name),)),
                kv("Relationship", (R(partner.relationship),)),
                kv("D.O.B", (R(fmt_date(partner.dob, spec.dob_style)),)),
                kv(
                    "Lives with mother?", (R("Yes" if partner.address == mother.address else "No"),)
                ),
            ],
            (2, 5),
        )
    if sibling is not None:
        ctx.heading("Other children in the household (not the subject of this referral)")
        older = dataclasses.replace(sibling, dob=when - dt.timedelta(days=rng.randint(800, 3000)))
        ctx.table(
            [
                tuple(TCell((R(t),)) for t in ("Name", "D.O.B", "Sex", "School / setting")),
                (
                    TCell((R(older.full_name),)),
                    TCell((R(fmt_date(older.dob or when, spec.dob_style)),)),
                    TCell((R(older.gender),)),
                    TCell((R(older.school or "Little Gulls Day Nursery"),)),
                ),
            ],
            (3, 2, 1.5, 3),
            grid=True,
        )
    ctx.heading("Consent")
    ctx.table(
        [
            kv(
                "Do parents know about this referral?",
                ctx.glyphs("parents_aware", spec.parents_aware, tri=True),
            ),
            kv(
                "Has consent been obtained from the parent/carer?",
                ctx.glyphs("consent", spec.consent, tri=True),
            ),
            kv("If not, why not?", ctx.consent_reason()),
            kv(
                "Is the family already known to Children's Social Care?",
                ctx.glyphs("known_to_csc", spec.known, ("Yes", "No", "Unknown"), tri=True),
            ),
        ],
        (3, 4),
    )
    ctx.heading("Summary of concerns")
    ctx.table([(TCell(ctx.narrative(voice="unborn" if spec.unborn else "health")),)], (1,))
    ctx.table(
        [
            kv(
                "Health actions taken",
                (R("Additional contacts arranged; GP and health visitor informed."),),
            )
        ],
        (2, 5),
    )
    sheet = ctx.finish(
        "Safeguarding Children Referral (Health)",
        "Estuary Community Health - for midwives, health visitors and school nurses",
        "NHS CONFIDENTIAL",
        font="Arial",
        shade="DAEEF3",
    )
    return sheet, ctx.rec.expected()


# --- template 4: police child concern notification ------------------------------------------------

_D_CONCERNS = (
    ("domestic_abuse", "Domestic abuse"),
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("cse", "CSE"),
    ("cce", "CCE / county lines"),
    ("missing", "Missing person"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Drugs / alcohol"),
    ("online_harm", "Online"),
    ("radicalisation", "Radicalisation"),
    ("other", "Other"),
)


def police_child_concern(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on police "Child Concern Notification" / public protection notifications sent to
    a MASH after an incident: a notification reference, incident and notification times,
    subject children as ``SURNAME, Forenames`` in a grid with addresses inline, persons involved,
    concern types marked ``X`` in a column, YES/NO answers typed in capitals."""
    referral, children, _ = _people(spec, ("police",))
    ctx = Ctx(spec, referral, children)
    rng = ctx.rng
    incident = spec.when - dt.timedelta(hours=rng.randint(8, 30), minutes=rng.randint(0, 59))
    ctx.table(
        [
            (
                *kv("Notification ref", (R(f"CCN/{spec.when:%y}/{rng.randint(10000, 99999)}"),)),
                *kv(
                    "Date/time of notification", ctx.referral_when(spec.date_style, "colon", " @ ")
                ),
            ),
            (
                *kv("Occurrence no.", (R(f"42/{rng.randint(100000, 999999)}/{spec.when:%y}"),)),
                *kv(
                    "Date/time of incident",
                    (R(f"{fmt_date(incident.date(), spec.date_style)} @ {incident:%H:%M}"),),
                ),
            ),
        ],
        (2, 3, 2, 3),
    )
    ctx.heading("NOTIFYING OFFICER")
    (name, role, agency, phone, email) = ctx.referrer_rows(
        ("Name", "Rank/role", "Station/unit", "Contact tel", "Email")
    )
    ctx.table(
        [
            (*kv(name[0], name[1]), *kv(role[0], role[1])),
            (*kv(agency[0], agency[1]), *kv(phone[0], phone[1])),
            kv(email[0], email[1], span=3),
        ],
        (2, 3, 2, 3),
    )
    ctx.heading("SUBJECT CHILD(REN)")
    grid: list[tuple[TCell, ...]] = [
        tuple(
            TCell((R(t),)) for t in ("SURNAME, Forename(s)", "DOB", "Sex", "Home address", "School")
        )
    ]
    for index, child in enumerate(children):
        grid.append(
            (
                TCell(ctx.child_fullname(index, child, "police")),
                TCell(ctx.child_dob(index, child, spec.dob_style)),
                TCell(ctx.child_sex(index, child, "letter")),
                TCell(ctx.child_address(index, child, "inline")),
                TCell((R(child.school.upper() if spec.variant == "upper" else child.school),)),
            )
        )
    ctx.table(grid, (3.2, 1.6, 0.8, 4.4, 3), grid=True)
    ctx.heading("PERSONS INVOLVED")
    people = [("Name", "Relationship to child", "DOB", "Involvement")]
    for number, carer in enumerate(referral.carers):
        involvement = ("Victim", "Suspect" if carer.relationship == "Father" else "Witness")[
            min(number, 1)
        ]
        people.append(
            (
                carer.name.upper(),
                carer.relationship,
                fmt_date(carer.dob, spec.dob_style),
                involvement,
            )
        )
    ctx.table([tuple(TCell((R(t),)) for t in row) for row in people], (3, 2, 2, 2), grid=True)
    ctx.heading("CONCERNS")
    ticked = set(spec.concerns if spec.ticked is None else spec.ticked)
    ctx.rec.concerns |= ticked
    rows: list[tuple[TCell, ...]] = [
        tuple(TCell((R(t),)) for t in ("Concern type", "Mark X", "Concern type", "Mark X"))
    ]
    pairs = list(_D_CONCERNS)
    if ticked - {code for code, _ in pairs}:
        raise ValueError(f"{spec.case}: no box for {sorted(ticked)}")
    for start in range(0, len(pairs), 2):
        row: list[TCell] = []
        for code, label in pairs[start : start + 2]:
            row += [TCell((R(label),)), TCell((R("X"),) if code in ticked else ())]
        rows.append(tuple(row))
    ctx.table(rows, (3, 1, 3, 1), grid=True)
    yes_no = ("YES", "NO")
    ctx.table(
        [
            kv(
                "Is any child at immediate risk?",
                ctx.text("urgent", "YES" if spec.urgent else "NO", spec.urgent),
            ),
            kv(
                "Has the MASH / front door been contacted by phone? If so who and when",
                ctx.phone_sentence(spec.date_style, "hrs"),
            ),
            kv(
                "Parents/carers aware of this notification?",
                (R(ctx.choose("parents_aware", spec.parents_aware, yes_no, tri=True) or ""),),
            ),
            kv(
                "Known to Children's Social Care?",
                (R(ctx.choose("known_to_csc", spec.known, (*yes_no, "UNKNOWN"), tri=True) or ""),),
            ),
        ],
        (3, 4),
    )
    ctx.heading("CIRCUMSTANCES")
    ctx.table([(TCell(ctx.narrative()),)], (1,))
    ctx.table(
        [kv("Officer's assessment of risk", (R(rng.choice(("STANDARD", "MEDIUM", "HIGH"))),))],
        (3, 4),
    )
    sheet = ctx.finish(
        "CHILD CONCERN NOTIFICATION",
        "Public Protection Unit - for the attention of the Children's Front Door / MASH",
        "OFFICIAL - SENSITIVE: POLICE",
        font="Arial",
        shade="",
    )
    return sheet, ctx.rec.expected()


# --- template 5: school DSL referral typed as paragraphs ------------------------------------------


def school_dsl_referral(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on schools' own "DSL referral to children's services" write-ups (the kind
    exported from a school safeguarding log and typed up in Word): no tables, one paragraph per
    field with a bold label and colon, options struck through, the narrative as paragraphs."""
    referral, children, _ = _people(spec, ("school",), min_age=5)
    rng = random.Random(f"heldout-school|{spec.case}")
    first = children[0]
    age = (spec.when.date() - (first.dob or spec.when.date())).days // 365
    schools = [a for a in AGENCIES if a.kind == "school" and a.ages[0] <= age <= a.ages[1]]
    school = agency_named(first.school)
    if school is None or school not in schools:
        school = rng.choice(schools or [a for a in AGENCIES if a.kind == "school"])
    who = make_referrer(rng, agency=school)
    referral = _with_referrer(
        referral,
        dataclasses.replace(
            who, role=rng.choice(("Designated Safeguarding Lead", school.roles[1]))
        ),
    )
    ctx = Ctx(spec, referral, children)

    def line(label: str, value: Runs) -> None:
        ctx.para(R(f"{label}:" if not label.endswith("?") else label, bold=True), R(" "), *value)

    ctx.para(R(f"{school.name} - Safeguarding referral", bold=True))
    when = spec.when
    if ctx.is_blank("referral_datetime"):
        ctx.rec.put("referral_datetime", None)
        line("Date", ctx.blank())
    elif spec.time_given:
        ctx.rec.put("referral_datetime", _iso(when))
        line("Date", (R(fmt_date(when.date(), spec.date_style)),))
        line("Time", (R(fmt_time(when, "colon")),))
    else:
        ctx.rec.put("referral_datetime", when.date().isoformat())
        line("Date", (R(fmt_date(when.date(), spec.date_style)),))
    line("Is this referral urgent?", ctx.strike("urgent", spec.urgent, tri=False))
    ctx.heading("Referrer")
    for label, value in ctx.referrer_rows(
        ("Name of professional referring", "Job title", "School", "Contact tel", "Secure email")
    ):
        line(label, value)
    line("Has the DSL been consulted?", ctx.strike("dsl_consulted", spec.dsl, tri=False))
    line(
        "Level of need (threshold)",
        ctx.threshold({2: "Level 2", 3: "Level 3", 4: "Level 4"}, "strike"),
    )
    line(
        "Have you spoken to the front door by phone? If so who and when",
        ctx.phone_sentence(spec.date_style),
    )
    for index, child in enumerate(children):
        ctx.heading("Child" if index == 0 else "Sibling also referred")
        line("Young person's name", ctx.child_fullname(index, child))
        known = "" if ctx.is_blank("known_as") else child.forenames.split()[0]
        line("Known as", (R(known),) if known else ctx.blank())
        line("D.O.B", ctx.child_dob(index, child, spec.dob_style))
        line("Sex", ctx.child_sex(index, child, "word"))
        line("Address inc. postcode", ctx.child_address(index, child, "inline"))
        if child.dob:
            year = max(0, (when.date() - child.dob).days // 365 - 4)
            line("Year group", (R("Reception" if year == 0 else f"Year {year}"),))
    ctx.heading("Parents and consent")
    line(
        "Do parents know about this referral?",
        ctx.strike("parents_aware", spec.parents_aware, tri=True),
    )
    line(
        "Has consent been obtained from the parent/carer?",
        ctx.strike("consent", spec.consent, tri=True),
    )
    line("If not, why not?", ctx.consent_reason())
    line(
        "Is the family already known to Children's Social Care?",
        ctx.strike("known_to_csc", spec.known, ("Yes", "No", "Don't know"), tri=True),
    )
    ctx.para(R("Summary of concerns:", bold=True))
    ctx.para(*ctx.narrative(paragraphs=True))
    line("Actions taken by school", (R(referral.actions_taken),))
    listed = ["Graded Care Profile 2 (GCP2)"] if spec.gcp else []
    if spec.variant == "chronology" or spec.gcp:
        listed.append("attendance record")
    ctx.rec.put("gcp_attached_claimed", spec.gcp)
    line("Attachments", (R("; ".join(listed) if listed else "None"),))
    ctx.para(R(f"Signed: {referral.referrer.name}, {referral.referrer.role}"))
    sheet = ctx.finish(
        "Referral to Children's Services",
        "From the Designated Safeguarding Lead",
        "CONFIDENTIAL - CHILD PROTECTION",
        font="Times New Roman",
    )
    return sheet, ctx.rec.expected()


# --- template 6: voluntary-sector concern form, label above value ---------------------------------

_F_CONCERNS = (
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("cse", "Sexual exploitation"),
    ("cce", "Criminal exploitation / county lines"),
    ("missing", "Missing from home"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Drugs or alcohol (substance misuse)"),
    ("online_harm", "Online safety / online harm"),
    ("other", "Other"),
)


def voluntary_concern_form(spec: Spec) -> tuple[Sheet, dict[str, Any]]:
    """Modelled on voluntary and community sector "Safeguarding concern form"s (youth clubs,
    sports clubs, family charities): each label above its answer box, the yes/no questions in one
    table with Yes / No / Don't know columns of tick boxes, a short tick list of concern types."""
    referral, children, _ = _people(spec, ("voluntary",), min_age=6)
    ctx = Ctx(spec, referral, children)
    ctx.para(
        R(
            "If you are worried that a child is in immediate danger call 999. Otherwise complete "
            "this form and send it to the children's front door the same day."
        ),
        kind="small",
    )
    ctx.heading("About you")
    ctx.labelled("Date and time you are completing this form", ctx.referral_when(spec.date_style))
    for label, value in ctx.referrer_rows(
        ("Your name", "Your role", "Organisation", "Contact tel", "Email")
    ):
        ctx.labelled(label, value)
    ctx.heading("About the child or young person")
    first = children[0]
    ctx.labelled("Young person's name", ctx.child_fullname(0, first))
    ctx.labelled("Known as", (R(first.forenames.split()[0]),))
    ctx.labelled("D.O.B", ctx.child_dob(0, first, spec.dob_style))
    ctx.labelled("Sex", ctx.child_sex(0, first, "word"))
    ctx.labelled("Address inc. postcode", ctx.child_address(0, first, "lines"))
    if len(children) > 1:
        ctx.para(R("Other children this concern is about"), kind="label")
        grid: list[tuple[TCell, ...]] = [
            tuple(TCell((R(t),)) for t in ("Name", "D.O.B", "Sex", "Address inc. postcode"))
        ]
        for index, child in enumerate(children[1:], start=1):
            grid.append(
                (
                    TCell(ctx.child_fullname(index, child)),
                    TCell(ctx.child_dob(index, child, spec.dob_style)),
                    TCell(ctx.child_sex(index, child, "word")),
                    TCell(ctx.child_address(index, child, "inline")),
                )
            )
        ctx.table(grid, (3, 2, 1.5, 5), grid=True)
    ctx.heading("Questions")
    answers = ("Yes", "No", "Don't know")
    header = tuple(TCell((R(t),)) for t in ("", "Yes", "No", "Don't know"))

    def question(text: str, cells: tuple[TCell, ...]) -> tuple[TCell, ...]:
        padded = cells + (TCell(()),) * (3 - len(cells))
        return (TCell((R(text),), label=True), *padded)

    phoned_value = None if ctx.is_blank("phoned") else referral.phoned
    rows = [
        header,
        question(
            "Is this referral urgent?",
            ctx.columns("urgent", spec.urgent, answers[:2], tri=False, glyph=True),
        ),
        question(
            "Have you phoned the children's front door about this?",
            ctx.columns("phoned", phoned_value, answers[:2], tri=False, glyph=True),
        ),
        question(
            "Do parents know about this referral?",
            ctx.columns("parents_aware", spec.parents_aware, answers, tri=True, glyph=True),
        ),
        question(
            "Has consent been obtained from the parent/carer?",
            ctx.columns("consent", spec.consent, answers, tri=True, glyph=True),
        ),
        question(
            "Have you told your organisation's safeguarding lead (DSL)?",
            ctx.columns("dsl_consulted", spec.dsl, answers[:2], tri=False, glyph=True),
        ),
        question(
            "Is the family already known to Children's Social Care?",
            ctx.columns("known_to_csc", spec.known, answers, tri=True, glyph=True),
        ),
    ]
    ctx.table(rows, (7, 1, 1, 1.4), grid=True)
    if referral.phoned and referral.phoned_at and not ctx.is_blank("phoned"):
        ctx.rec.put("phoned_to", referral.phoned_to)
        ctx.rec.put("phoned_at", _iso(referral.phoned_at))
        day = fmt_date(referral.phoned_at.date(), spec.date_style)
        spoke: Runs = (R(f"{referral.phoned_to}, {day} {referral.phoned_at:%H:%M}"),)
    else:
        ctx.rec.put("phoned_to", None)
        ctx.rec.put("phoned_at", None)
        spoke = ctx.blank()
    ctx.labelled("If you phoned, who did you speak to and when?", spoke)
    ctx.labelled("If consent has not been obtained, why not?", ctx.consent_reason())
    ctx.heading("Your concern")
    ctx.para(R("Type of concern (tick all that apply)"), kind="label")
    ctx.table(ctx.concern_ticks(_F_CONCERNS, 2), (1, 1))
    ctx.labelled(
        "What are you worried about? Say what you saw or heard, when and where.", ctx.narrative()
    )
    ctx.labelled("What have you done so far?", (R(referral.actions_taken),))
    sheet = ctx.finish(
        "Safeguarding Concern Form",
        "Tidewater Family Support and partner community groups",
        "CONFIDENTIAL",
        font="Verdana",
        shade="FFF2CC",
    )
    return sheet, ctx.rec.expected()


# --- the cases ------------------------------------------------------------------------------------

Builder = Callable[[Spec], tuple[Sheet, dict[str, Any]]]

#: Template folder name → builder.
TEMPLATES: dict[str, Builder] = {
    "county-request-for-support": county_request_for_support,
    "mash-marf-consent": mash_marf,
    "health-safeguarding-referral": health_safeguarding_referral,
    "police-child-concern": police_child_concern,
    "school-dsl-referral": school_dsl_referral,
    "voluntary-concern-form": voluntary_concern_form,
}


def _at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}")


_A = "county-request-for-support"
_B = "mash-marf-consent"
_C = "health-safeguarding-referral"
_D = "police-child-concern"
_E = "school-dsl-referral"
_F = "voluntary-concern-form"

CASES: tuple[Spec, ...] = (
    # 1. county early-help request for support
    Spec(
        _A,
        "single-neglect-gcp",
        "docx",
        _at("2026-11-02", "10:15"),
        ("neglect",),
        threshold=2,
        gcp=True,
        date_style="long",
        dob_style="long",
        time_given=False,
    ),
    Spec(
        _A,
        "three-children",
        "docx",
        _at("2026-04-14", "13:40"),
        ("domestic_abuse", "substance_misuse", "mental_health"),
        n_children=3,
        threshold=3,
        date_style="ordinal",
        dob_style="slash",
        time_given=False,
        known=None,
    ),
    Spec(
        _A,
        "blanks-and-narrative-extra",
        "docx",
        _at("2026-06-08", "09:05"),
        ("neglect", "domestic_abuse"),
        ticked=("neglect",),
        phoned=True,
        blanks=frozenset({"threshold_level", "referrer_phone", "child1_dob", "known_to_csc"}),
        date_style="slash",
        dob_style="slash",
        time_given=False,
    ),
    Spec(
        _A,
        "household-sibling-other",
        "docx",
        _at("2026-09-21", "15:30"),
        ("emotional_abuse",),
        ticked=("emotional_abuse", "other"),
        household_sibling=True,
        threshold=3,
        parents_aware=True,
        consent=False,
        dsl=False,
        date_style="iso",
        dob_style="iso",
        time_given=False,
    ),
    Spec(
        _A,
        "printed-two-children",
        "pdf-ruled",
        _at("2026-03-10", "11:00"),
        ("neglect", "physical_abuse"),
        n_children=2,
        threshold=3,
        phoned=True,
        date_style="long",
        dob_style="dots",
        time_given=False,
    ),
    # 2. MASH MARF with consent page
    Spec(
        _B,
        "urgent-phoned",
        "docx",
        _at("2026-05-05", "10:22"),
        ("physical_abuse",),
        urgent=True,
        phoned=True,
        threshold=4,
        date_style="slash",
        dob_style="slash",
    ),
    Spec(
        _B,
        "siblings-not-known",
        "docx",
        _at("2026-10-12", "14:48"),
        ("emotional_abuse", "domestic_abuse"),
        n_children=2,
        threshold=3,
        known=None,
        date_style="slash",
        dob_style="ordinal",
        variant="compact",
    ),
    Spec(
        _B,
        "placeholders-no-consent",
        "docx",
        _at("2026-07-01", "16:05"),
        ("sexual_abuse",),
        threshold=4,
        parents_aware=False,
        consent=False,
        blanks=frozenset({"threshold_level", "dsl_consulted", "child1_postcode"}),
        date_style="iso",
        dob_style="iso",
    ),
    Spec(
        _B,
        "printed-teen-urgent",
        "pdf-ruled",
        _at("2026-02-16", "09:31"),
        ("cse", "missing"),
        urgent=True,
        phoned=True,
        threshold=4,
        date_style="dots",
        dob_style="dots",
    ),
    Spec(
        _B,
        "printed-three-neglect",
        "pdf-ruled",
        _at("2026-12-01", "12:10"),
        ("neglect",),
        n_children=3,
        threshold=3,
        gcp=True,
        known=True,
        date_style="slash",
        dob_style="slash",
    ),
    # 3. health visitor / midwife safeguarding referral
    Spec(
        _C,
        "unborn-with-sibling",
        "docx",
        _at("2026-03-23", "14:05"),
        ("domestic_abuse", "substance_misuse"),
        unborn=True,
        household_sibling=True,
        date_style="iso",
        dob_style="iso",
    ),
    Spec(
        _C,
        "infant-urgent",
        "docx",
        _at("2026-08-04", "11:20"),
        ("neglect", "mental_health"),
        urgent=True,
        known=True,
        date_style="slash",
        dob_style="slash",
    ),
    Spec(
        _C,
        "unborn-no-consent",
        "pdf-plain",
        _at("2026-01-19", "15:50"),
        ("mental_health",),
        unborn=True,
        consent=False,
        parents_aware=False,
        date_style="long",
        dob_style="long",
    ),
    Spec(
        _C,
        "unborn-blanks",
        "pdf-plain",
        _at("2026-06-29", "10:40"),
        ("domestic_abuse",),
        unborn=True,
        time_given=False,
        dsl=None,
        known=None,
        blanks=frozenset({"referrer_email"}),
        date_style="dots",
        dob_style="dots",
    ),
    Spec(
        _C,
        "printed-baby-and-toddler",
        "pdf-ruled",
        _at("2026-09-07", "09:55"),
        ("neglect", "substance_misuse"),
        n_children=2,
        date_style="ordinal",
        dob_style="ordinal",
    ),
    # 4. police child concern notification
    Spec(
        _D,
        "two-children-da",
        "docx",
        _at("2026-04-27", "08:45"),
        ("domestic_abuse",),
        n_children=2,
        known=True,
        date_style="dots",
        dob_style="dots",
    ),
    Spec(
        _D,
        "printed-county-lines",
        "pdf-ruled",
        _at("2026-10-03", "10:15"),
        ("cce", "missing"),
        urgent=True,
        phoned=True,
        date_style="dots",
        dob_style="dots",
        variant="upper",
    ),
    Spec(
        _D,
        "printed-injury",
        "pdf-ruled",
        _at("2026-07-20", "13:25"),
        ("physical_abuse", "substance_misuse"),
        known=None,
        date_style="slash",
        dob_style="slash",
    ),
    Spec(
        _D,
        "three-children-blanks",
        "docx",
        _at("2026-11-16", "17:10"),
        ("domestic_abuse", "neglect"),
        n_children=3,
        blanks=frozenset({"child2_dob", "referrer_email"}),
        date_style="slash",
        dob_style="dots",
    ),
    Spec(
        _D,
        "plain-self-harm",
        "pdf-plain",
        _at("2026-02-02", "22:40"),
        ("mental_health", "self_harm"),
        urgent=True,
        parents_aware=True,
        date_style="dots",
        dob_style="dots",
    ),
    # 5. school DSL referral in paragraphs
    Spec(
        _E,
        "self-harm-urgent",
        "docx",
        _at("2026-03-04", "10:15"),
        ("mental_health", "self_harm"),
        urgent=True,
        phoned=True,
        threshold=4,
        date_style="ordinal",
        dob_style="ordinal",
    ),
    Spec(
        _E,
        "siblings-negated-neglect",
        "docx",
        _at("2026-05-18", "14:20"),
        ("physical_abuse", "emotional_abuse"),
        n_children=2,
        negation=True,
        threshold=3,
        date_style="ordinal",
        dob_style="slash",
    ),
    Spec(
        _E,
        "hsb-no-consent",
        "docx",
        _at("2026-09-30", "12:35"),
        ("hsb",),
        threshold=3,
        parents_aware=False,
        consent=False,
        date_style="long",
        dob_style="long",
    ),
    Spec(
        _E,
        "neglect-gcp-blanks",
        "docx",
        _at("2026-01-12", "09:10"),
        ("neglect",),
        threshold=3,
        gcp=True,
        time_given=False,
        blanks=frozenset({"referrer_phone", "known_as"}),
        date_style="slash",
        dob_style="dots",
    ),
    Spec(
        _E,
        "plain-online-cse",
        "pdf-plain",
        _at("2026-06-15", "15:45"),
        ("cse", "online_harm"),
        threshold=4,
        phoned=True,
        date_style="long",
        dob_style="ordinal",
    ),
    # 6. voluntary-sector concern form
    Spec(
        _F,
        "teen-substances",
        "docx",
        _at("2026-04-09", "19:30"),
        ("cce", "substance_misuse"),
        date_style="iso",
        dob_style="slash",
    ),
    Spec(
        _F,
        "two-children-phoned",
        "docx",
        _at("2026-08-24", "10:50"),
        ("emotional_abuse", "domestic_abuse"),
        n_children=2,
        phoned=True,
        date_style="iso",
        dob_style="iso",
    ),
    Spec(
        _F,
        "unanswered",
        "docx",
        _at("2026-12-14", "16:20"),
        ("mental_health",),
        known=None,
        consent=False,
        give_reason=False,
        blanks=frozenset({"dsl_consulted"}),
        date_style="slash",
        dob_style="slash",
    ),
    Spec(
        _F,
        "printed-self-harm-urgent",
        "pdf-ruled",
        _at("2026-02-25", "18:05"),
        ("self_harm",),
        urgent=True,
        phoned=True,
        date_style="iso",
        dob_style="long",
    ),
    Spec(
        _F,
        "plain-neglect-missing",
        "pdf-plain",
        _at("2026-10-26", "11:35"),
        ("neglect", "missing"),
        date_style="slash",
        dob_style="dots",
    ),
)


def build_case(spec: Spec) -> tuple[bytes, dict[str, Any]]:
    """The file bytes and expectation for ``spec``."""
    sheet, expected = TEMPLATES[spec.template](spec)
    return RENDERERS[spec.rendering](sheet), expected


def case_path(spec: Spec) -> str:
    """``<template>/<case><suffix>``."""
    return f"{spec.template}/{spec.case}{SUFFIX[spec.rendering]}"
