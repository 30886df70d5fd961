"""A held-out set of attachments for the document-kind classifier, 8 per kind, 40 in all.

Each file is what a council, school, health team, police unit or charity might attach to an email
to the children's front door: referral forms (``rfs``), Graded Care Profiles of several vintages
and local adaptations (``gcp``), Brook sexual behaviours traffic light tool records and guidance
(``brook_tool``), child exploitation screening tools and intelligence forms
(``exploitation_tool``), and readable decoys that are none of these (``other``) but borrow their
words: a letter that mentions a care profile, a chronology that notes a GCP, strategy minutes
about exploitation, a return home interview with a short exploitation section.

The wording, layouts and organisations are invented for this set and are not copies of any
published form; every person comes from :mod:`intake.synthetic.people`, so all of it is fictional,
and every file says so in its footer (:data:`intake.synthetic.render.FICTION_NOTICE`).

This module keeps its own tiny document model (headings, paragraphs, tables) and renders it with
python-docx and fpdf2 directly, in three ways:

``docx``
    a Word document with shaded heading rows, ☒/☐ glyphs and traffic-light shaded cells;
``pdf``
    a text PDF with ruled tables (a Word form printed to PDF);
``pdf-plain``
    a text PDF of Courier lines with no tables (``Label: value`` rows, ``|`` between columns),
    like a typed or exported record.

Output is deterministic: DOCX members get fixed zip timestamps (:func:`render.fixed_zip`) and
PDFs a fixed creation date.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.fonts import FontFace

from intake.synthetic.people import (
    CSPOC_STAFF,
    Carer,
    Child,
    Referrer,
    address,
    agency_named,
    landline,
    make_carer,
    make_child,
    make_family,
    make_referrer,
    mobile,
    rng_for,
)
from intake.synthetic.render import CHOOSE, FICTION_NOTICE, PLACEHOLDER, fixed_zip

Kind = Literal["rfs", "gcp", "brook_tool", "exploitation_tool", "other"]
Format = Literal["docx", "pdf", "pdf-plain"]

#: The kinds this set covers, in folder order.
KINDS: tuple[Kind, ...] = ("gcp", "brook_tool", "exploitation_tool", "rfs", "other")
#: File suffix of each format.
SUFFIX: dict[str, str] = {"docx": ".docx", "pdf": ".pdf", "pdf-plain": ".pdf"}

TICKED = "☒"
UNTICKED = "☐"


# --- document model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading (level 1 or 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A paragraph; ``\\n`` starts a new line inside it."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Table:
    """A table. A row shorter than the widest row has its last cell spread over the rest."""

    rows: tuple[tuple[str, ...], ...]
    #: The first row is a heading row (bold, shaded).
    header: bool = True
    #: Even-numbered columns are labels (label|value|label|value forms).
    labels: bool = False
    #: Relative column widths for the ruled PDF (equal when empty).
    widths: tuple[int, ...] = ()
    #: A shaded title row across the whole table.
    title: str = ""

    @property
    def cols(self) -> int:
        """Number of columns (the widest row)."""
        return max(len(row) for row in self.rows)


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Heading | Para | Table | PageBreak


@dataclass(frozen=True)
class Sheet:
    """A whole document."""

    title: str
    blocks: tuple[Block, ...]
    author: str
    created: dt.datetime
    subtitle: str = ""
    #: Running header text (protective marking, organisation).
    header: str = "OFFICIAL-SENSITIVE"
    #: Document-properties title: ``None`` uses :attr:`title`, ``""`` leaves it blank.
    meta_title: str | None = None
    landscape: bool = False
    font: str = "Arial"


def kv(*pairs: tuple[str, str], title: str = "") -> Table:
    """A two-column label|value table."""
    return Table(tuple(pairs), header=False, labels=True, widths=(1, 2), title=title)


def kv4(*rows: tuple[str, ...], title: str = "") -> Table:
    """A label|value|label|value table (a two-cell row spans the value over three columns)."""
    return Table(tuple(rows), header=False, labels=True, widths=(3, 4, 3, 4), title=title)


def box(on: bool) -> str:
    """A Word tick-box glyph."""
    return TICKED if on else UNTICKED


def options(choices: Sequence[str], selected: str | None) -> str:
    """``☒ Yes   ☐ No`` with ``selected`` ticked (nothing ticked for ``None``)."""
    return "   ".join(f"{box(choice == selected)} {choice}" for choice in choices)


def yn(value: bool | None) -> str:
    """A ticked Yes/No answer."""
    return options(("Yes", "No"), None if value is None else ("Yes" if value else "No"))


# --- DOCX ---------------------------------------------------------------------------------------

_HEAD_FILL = "DDEBF7"
_LABEL_FILL = "F2F2F2"
_TITLE_FILL = "305496"
#: Cells whose whole text is a traffic-light colour get that colour.
_LIGHTS_HEX = {"GREEN": "C6EFCE", "AMBER": "FFEB9C", "ORANGE": "F8CBAD", "RED": "FFC7CE"}
_LIGHTS_RGB = {
    "GREEN": (198, 239, 206),
    "AMBER": (255, 235, 156),
    "ORANGE": (248, 203, 173),
    "RED": (255, 199, 206),
}


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _docx_text(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False
) -> None:
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.bold = bold
        run.italic = italic
        if line in (PLACEHOLDER, CHOOSE):
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _docx_table(document: DocxDocument, table: Table) -> None:
    cols = table.cols
    extra = 1 if table.title else 0
    grid = document.add_table(rows=len(table.rows) + extra, cols=cols)
    grid.style = "Table Grid"
    rows = list(grid.rows)
    if table.title:
        first = rows[0].cells
        cell = first[0].merge(first[cols - 1]) if cols > 1 else first[0]
        _shade(cell, _TITLE_FILL)
        run = cell.paragraphs[0].add_run(table.title)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        rows = rows[1:]
    for index, (row, values) in enumerate(zip(rows, table.rows, strict=True)):
        cells = list(row.cells)
        if len(values) < cols:
            merged = cells[len(values) - 1].merge(cells[cols - 1])
            cells = [*cells[: len(values) - 1], merged]
        heading = table.header and index == 0
        for position, (cell, value) in enumerate(zip(cells, values, strict=False)):
            label = table.labels and position % 2 == 0
            if heading:
                _shade(cell, _HEAD_FILL)
            elif label:
                _shade(cell, _LABEL_FILL)
            elif value.strip().upper() in _LIGHTS_HEX:
                _shade(cell, _LIGHTS_HEX[value.strip().upper()])
            _docx_text(cell.paragraphs[0], value, bold=heading or label)


def render_docx(sheet: Sheet) -> bytes:
    """``sheet`` as the bytes of a Word document."""
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = sheet.font
    normal.font.size = Pt(10)
    section = document.sections[0]
    if sheet.landscape:
        width, height = section.page_width, section.page_height
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
    if sheet.header:
        head = section.header.paragraphs[0]
        head.text = sheet.header
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.text = FICTION_NOTICE
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    run = title.add_run(sheet.title)
    run.bold = True
    run.font.size = Pt(16)
    if sheet.subtitle:
        _docx_text(document.add_paragraph(), sheet.subtitle, italic=True)
    for block in sheet.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            _docx_text(document.add_paragraph(), block.text, bold=block.bold, italic=block.italic)
        elif isinstance(block, Table):
            _docx_table(document, block)
            document.add_paragraph()
        else:
            document.add_page_break()  # type: ignore[no-untyped-call]
    props = document.core_properties
    props.title = sheet.title if sheet.meta_title is None else sheet.meta_title
    props.author = sheet.author
    props.last_modified_by = sheet.author
    props.created = sheet.created
    props.modified = sheet.created
    props.revision = 1
    props.comments = FICTION_NOTICE
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), sheet.created)


# --- PDF ----------------------------------------------------------------------------------------

_LATIN = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "≥": ">="}


def _latin(text: str, ticks: tuple[str, str]) -> str:
    text = text.replace(TICKED, ticks[0]).replace(UNTICKED, ticks[1])
    for old, new in _LATIN.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


class _PDF(FPDF):
    """A4 pages with the running header and the fiction notice in the footer."""

    def __init__(self, sheet: Sheet, family: str) -> None:
        super().__init__(orientation="L" if sheet.landscape else "P", unit="mm", format="A4")
        self.running = sheet.header
        self.family = family
        self.set_creation_date(sheet.created.replace(tzinfo=dt.UTC))
        title = sheet.title if sheet.meta_title is None else sheet.meta_title
        if title:
            self.set_title(_latin(title, ("[X]", "[ ]")))
        self.set_author(_latin(sheet.author, ("[X]", "[ ]")))
        self.set_subject(FICTION_NOTICE)
        self.set_auto_page_break(auto=True, margin=16)

    def header(self) -> None:
        if self.running:
            self.set_font(self.family, "B", 8)
            self.cell(0, 5, _latin(self.running, ("", "")), align="R")
            self.ln(7)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "I", 7)
        self.cell(0, 5, f"{FICTION_NOTICE}  Page {self.page_no()}", align="C")


_RULED = ("[X]", "[ ]")
_HEAD_STYLE = FontFace(emphasis="BOLD", fill_color=(221, 235, 247))
_LABEL_STYLE = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
_TITLE_STYLE = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(48, 84, 150))


def _ruled_table(pdf: FPDF, table: Table) -> None:
    cols = table.cols
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(
        col_widths=table.widths or None,
        first_row_as_headings=False,
        text_align="LEFT",
        line_height=4.2,
    ) as grid:
        if table.title:
            grid.row().cell(_latin(table.title, _RULED), colspan=cols, style=_TITLE_STYLE)
        for index, values in enumerate(table.rows):
            row = grid.row()
            for position, value in enumerate(values):
                span = cols - position if position == len(values) - 1 else 1
                style = None
                if table.header and index == 0:
                    style = _HEAD_STYLE
                elif table.labels and position % 2 == 0:
                    style = _LABEL_STYLE
                elif value.strip().upper() in _LIGHTS_RGB:
                    style = FontFace(fill_color=_LIGHTS_RGB[value.strip().upper()])
                row.cell(_latin(value, _RULED), colspan=span, style=style)
    pdf.ln(3)


def render_pdf(sheet: Sheet) -> bytes:
    """``sheet`` as a text PDF with ruled tables (Helvetica)."""
    pdf = _PDF(sheet, "Helvetica")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin(sheet.title, _RULED), new_x="LMARGIN", new_y="NEXT")
    if sheet.subtitle:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, _latin(sheet.subtitle, _RULED), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for block in sheet.blocks:
        if isinstance(block, Heading):
            pdf.set_font("Helvetica", "B", 11 if block.level == 1 else 10)
            pdf.ln(1)
            pdf.multi_cell(0, 6, _latin(block.text, _RULED), new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Para):
            style = ("B" if block.bold else "") + ("I" if block.italic else "")
            pdf.set_font("Helvetica", style, 9)
            pdf.multi_cell(0, 4.6, _latin(block.text, _RULED), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, Table):
            _ruled_table(pdf, block)
        else:
            pdf.add_page()
    return bytes(pdf.output())


_PLAIN = ("[x]", "[ ]")


def _plain_lines(table: Table) -> list[str]:
    lines = [f"-- {table.title} --"] if table.title else []
    for index, values in enumerate(table.rows):
        if table.labels:
            pairs = [
                f"{values[i]}: {values[i + 1] if i + 1 < len(values) else ''}".rstrip()
                for i in range(0, len(values), 2)
            ]
            lines.extend(pairs)
        else:
            line = " | ".join(value.replace("\n", "; ") for value in values)
            lines.append(line.upper() if table.header and index == 0 else line)
    return lines


def render_pdf_plain(sheet: Sheet) -> bytes:
    """``sheet`` as a text PDF of Courier lines, with no ruled tables."""
    pdf = _PDF(sheet, "Courier")
    pdf.add_page()
    pdf.set_font("Courier", "B", 12)
    pdf.multi_cell(0, 6, _latin(sheet.title.upper(), _PLAIN), new_x="LMARGIN", new_y="NEXT")
    if sheet.subtitle:
        pdf.set_font("Courier", "", 9)
        pdf.multi_cell(0, 4.4, _latin(sheet.subtitle, _PLAIN), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for block in sheet.blocks:
        if isinstance(block, Heading):
            pdf.set_font("Courier", "B", 10)
            pdf.ln(1)
            text = _latin(block.text, _PLAIN)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Courier", "", 9)
            pdf.multi_cell(0, 3.5, "-" * min(len(text), 90), new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Para):
            pdf.set_font("Courier", "B" if block.bold else "", 9)
            pdf.multi_cell(0, 4.4, _latin(block.text, _PLAIN), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, Table):
            pdf.set_font("Courier", "", 8.5)
            for line in _plain_lines(block):
                pdf.multi_cell(0, 4.2, _latin(line, _PLAIN), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.add_page()
    return bytes(pdf.output())


RENDERERS: dict[str, Callable[[Sheet], bytes]] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "pdf-plain": render_pdf_plain,
}


# --- shared helpers -----------------------------------------------------------------------------


def d(day: dt.date) -> str:
    """``07/03/2025``."""
    return day.strftime("%d/%m/%Y")


def long(day: dt.date) -> str:
    """``7 March 2025``."""
    return f"{day.day} {day:%B %Y}"


def dob(child: Child) -> str:
    """A child's date of birth as forms write it."""
    return d(child.dob) if child.dob else "Not known"


def age(child: Child, on: dt.date) -> int:
    """Whole years old on ``on`` (0 when the date of birth is unknown)."""
    if child.dob is None:
        return 0
    years = on.year - child.dob.year
    return years - ((on.month, on.day) < (child.dob.month, child.dob.day))


def pronoun(child: Child) -> tuple[str, str, str]:
    """``he/him/his`` or ``she/her/her``."""
    return ("she", "her", "her") if child.gender == "Female" else ("he", "him", "his")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock datetime on ``day``."""
    return dt.datetime(day.year, day.month, day.day, hour, minute)


HEALTH_VISITING = "Estuary Community Health - Health Visiting"
SCHOOL_NURSING = "School Nursing Team (South East Essex)"
FAMILY_SUPPORT = "Tidewater Family Support"
EMERGENCY_DEPT = "Estuary Hospital Emergency Department"
HOUSING = "Estuary Homes Housing Association"


def staff_at(rng: random.Random, *agencies: str) -> Referrer:
    """A fictional professional from one of the named ``agencies``."""
    return make_referrer(rng, agency=agency_named(rng.choice(agencies)))


def school_staff(rng: random.Random, child: Child) -> Referrer:
    """Someone from the child's school (a family support worker when there is none)."""
    return make_referrer(rng, agency=agency_named(child.school) or agency_named(FAMILY_SUPPORT))


def gcp_worker(rng: random.Random, child: Child, on: dt.date) -> Referrer:
    """Who might complete a care profile: a health visitor or school nurse, or family support."""
    nurse = HEALTH_VISITING if age(child, on) < 5 else SCHOOL_NURSING
    return staff_at(rng, nurse, FAMILY_SUPPORT)


def worker(rng: random.Random, *kinds: str) -> Referrer:
    """A fictional professional of one of the agency ``kinds``."""
    return make_referrer(rng, kinds=kinds)


def named_worker(rng: random.Random, agency: str) -> Referrer:
    """A fictional professional from the agency called ``agency``."""
    return make_referrer(rng, agency=agency_named(agency))


def one_child(
    rng: random.Random, on: dt.date, min_age: int, max_age: int, gender: str | None = None
) -> tuple[Child, tuple[Carer, ...]]:
    """A child (of ``gender``, when given) and their carers."""
    if gender is None:
        children, carers = make_family(rng, on=on, n_children=1, min_age=min_age, max_age=max_age)
        return children[0], carers
    child = make_child(rng, on=on, min_age=min_age, max_age=max_age, gender=gender)
    mother = make_carer(
        rng,
        on=on,
        surname=child.surname,
        home=(child.address, child.postcode),
        relationship="Mother",
        oldest_child_age=age(child, on),
    )
    return child, (mother,)


def siblings(
    rng: random.Random, on: dt.date, count: int, min_age: int, max_age: int
) -> tuple[tuple[Child, ...], tuple[Carer, ...]]:
    """Brothers and sisters born at least ten months apart, and their carers."""
    for _attempt in range(100):
        children, carers = make_family(
            rng, on=on, n_children=count, min_age=min_age, max_age=max_age
        )
        born = sorted(child.dob for child in children if child.dob)
        if all((later - earlier).days >= 300 for earlier, later in itertools.pairwise(born)):
            return children, carers
    raise RuntimeError("could not space the siblings out")


def grades(rng: random.Random, count: int, centre: int) -> list[int]:
    """``count`` grades from 1 to 5 clustered around ``centre``."""
    return [min(5, max(1, centre + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(count)]


def area_grade(values: Sequence[int]) -> int:
    """The (rounded) middle grade of an area."""
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


#: What a practitioner might note for each thing a care profile looks at, when care is good,
#: patchy and poor.
EVIDENCE: dict[str, tuple[str, str, str]] = {
    "nutrition": (
        "Regular meals seen; cupboards and fridge stocked; eats with the family.",
        "Some food in but meals irregular; relies on crisps and takeaways some days.",
        "Little food in the home on two visits; child said there had been no breakfast.",
    ),
    "housing": (
        "Home warm, clean and in reasonable repair.",
        "Living room cluttered; damp patch in the child's bedroom, landlord told.",
        "Strong smell; dog mess on the kitchen floor; window in the child's room boarded up.",
    ),
    "clothing": (
        "Clothes clean, fit well and suit the weather.",
        "Clothes often too small; school say the same jumper is worn all week.",
        "No coat in cold weather; shoes split; clothing grubby on every visit.",
    ),
    "hygiene": (
        "Child clean; bath routine described and seen; teeth brushed.",
        "Hair unwashed on two visits; school say the child often smells of urine.",
        "Head lice untreated for months; strong odour noticed by others; no toothbrush.",
    ),
    "health": (
        "Immunisations up to date; appointments kept.",
        "Two dental appointments missed; GP seen only after school pressed.",
        "Hearing test missed three times; inhaler not collected; untreated tooth decay.",
    ),
    "safety_present": (
        "Carer keeps an eye on the child in the kitchen and at the park; stair gate fitted.",
        "Carer on the phone for long spells while the child climbed on the window sill.",
        "Child left alone in the bath on one visit; tablets and a lighter within reach.",
    ),
    "safety_absent": (
        "Only trusted adults look after the child; never left alone.",
        "Left with a 13-year-old sibling most evenings.",
        "Child found alone at home late at night by a neighbour.",
    ),
    "online": (
        "Parental controls on the tablet; carer knows which apps are used.",
        "No controls on the phone; carer unsure who the child talks to.",
        "Unrestricted access to adult content; messages from unknown adults seen.",
    ),
    "road": (
        "Holds the child's hand near roads; car seat used.",
        "Allowed to cross the main road alone to the shop.",
        "Child seen walking beside the dual carriageway alone.",
    ),
    "home_safety": (
        "Medicines and cleaning products kept out of reach.",
        "Smoke alarm not working; no fireguard.",
        "Exposed wiring in the hall; broken glass where the children play.",
    ),
    "responsiveness": (
        "Carer notices distress quickly and comforts the child.",
        "Comforts sometimes, but slow or irritable when tired.",
        "Upset ignored for long periods; carer calls the child 'attention-seeking'.",
    ),
    "engagement": (
        "Warm play and chat seen; child seeks the carer out.",
        "Little shared play; most time on screens in separate rooms.",
        "Carer and child hardly interact; child did not turn to the carer when hurt.",
    ),
    "stimulation": (
        "Books and toys right for age; carer reads at bedtime.",
        "Few toys or books; long periods in front of the television.",
        "No toys or books seen; speech delay with no help sought.",
    ),
    "approval": (
        "Praise used often and meant; drawings on the fridge.",
        "Praise now and then, mostly for being quiet.",
        "Child spoken about negatively in front of workers; no praise heard.",
    ),
    "disapproval": (
        "Calm, consistent boundaries explained to the child.",
        "Shouting is the usual response; rules change day to day.",
        "Harsh, frightening responses; smacking described as normal.",
    ),
    "acceptance": (
        "Carer speaks of the child with pride and accepts who they are.",
        "Compares the child unfavourably with siblings.",
        "Child called 'the problem one' and blamed for the family's difficulties.",
    ),
    "education": (
        "Attendance 97%; carer comes to parents' evenings.",
        "Attendance 88%; often late; reading book rarely returned.",
        "Attendance 71%; carer not answering the school's calls.",
    ),
}


def evidence(topic: str, grade: int) -> str:
    """The note for ``topic`` at ``grade`` (1–2 good, 3 patchy, 4–5 poor)."""
    good, patchy, poor = EVIDENCE[topic]
    return good if grade <= 2 else patchy if grade == 3 else poor


def x_row(label: str, grade: int, note: str) -> tuple[str, ...]:
    """A grid row with an X under the grade (1–5)."""
    return (label, *("X" if grade == g else "" for g in range(1, 6)), note)


# --- gcp ----------------------------------------------------------------------------------------

_GCP2_AREAS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Physical care",
        (
            ("Food and drink", "nutrition"),
            ("Housing and home conditions", "housing"),
            ("Clothing", "clothing"),
            ("Hygiene", "hygiene"),
            ("Health (including dental and appointments)", "health"),
        ),
    ),
    (
        "Safety",
        (
            ("Supervision when the carer is there", "safety_present"),
            ("Arrangements when the carer is not there", "safety_absent"),
            ("Safety in the home", "home_safety"),
            ("Roads and outdoors", "road"),
            ("Online", "online"),
        ),
    ),
    (
        "Emotional care",
        (
            ("Carer's response to the child's feelings", "responsiveness"),
            ("Warmth and time together", "engagement"),
        ),
    ),
    (
        "Developmental care",
        (
            ("Play, learning and stimulation", "stimulation"),
            ("Praise and encouragement", "approval"),
            ("Boundaries and discipline", "disapproval"),
            ("Acceptance of the child", "acceptance"),
            ("Nursery / school attendance", "education"),
        ),
    ),
)


def _visits(rng: random.Random, start: dt.date, count: int) -> list[tuple[dt.date, str]]:
    day = start
    out = []
    for index in range(count):
        out.append((day, "announced" if index % 2 == 0 else "unannounced"))
        day += dt.timedelta(days=rng.randint(4, 8))
    return out


def gcp_neglect_toolkit(rng: random.Random) -> Sheet:
    """A partnership's "Neglect Toolkit" with its own Graded Care Profile: X-in-a-box grids."""
    start = dt.date(2025, 1, 13) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, start, 2, 9)
    assessor = gcp_worker(rng, child, start)
    visits = _visits(rng, start, 4)
    blocks: list[Block] = [
        Para(
            "Tool 4 of the Wealdmere Neglect Toolkit. A local version of the Graded Care "
            "Profile for practitioners who have attended the partnership's neglect training. "
            "Complete one profile per child.",
            italic=True,
        ),
        Heading("Part A – The child and the assessment"),
        kv4(
            ("Child's name", child.full_name, "Date of birth", dob(child)),
            ("Parent / carer assessed", f"{carers[0].name} ({carers[0].relationship})"),
            ("Lead practitioner", assessor.name, "Role", assessor.role),
            ("Agency", assessor.agency, "Telephone", assessor.phone),
            ("Visits", "; ".join(f"{d(day)} ({kind})" for day, kind in visits)),
        ),
        Heading("Part B – How to grade"),
        Para(
            "Mark X in one column for each line. 1 = the child's needs are met consistently "
            "and the child comes first. 3 = needs are met some of the time and care is "
            "inconsistent. 5 = needs are not met and the carer's own needs come first. Grade "
            "what you have seen on your visits, not what you have been told."
        ),
    ]
    summary: list[tuple[str, ...]] = [("Area", "Grade (1–5)", "Compared with last profile")]
    for number, (area, items) in enumerate(_GCP2_AREAS, start=1):
        marks = grades(rng, len(items), rng.choice((3, 4)))
        rows: list[tuple[str, ...]] = [("What is looked at", "1", "2", "3", "4", "5", "Seen")]
        rows.extend(
            x_row(label, mark, evidence(topic, mark))
            for (label, topic), mark in zip(items, marks, strict=True)
        )
        blocks.append(Heading(f"{number}. {area}", level=2))
        blocks.append(Table(tuple(rows), widths=(8, 1, 1, 1, 1, 1, 12)))
        overall = area_grade(marks)
        blocks.append(Para(f"{area} – area grade: {overall}", bold=True))
        summary.append((area, str(overall), rng.choice(("First profile", "Same", "Worse"))))
    blocks += [
        Heading("Part C – Grades at a glance"),
        Table(tuple(summary)),
        Heading("Part D – What this means and what happens next"),
        Para(
            f"{child.forenames}'s physical care and safety are the areas of most concern. "
            "The profile will be shared with the family and discussed at the next team around "
            "the family meeting; if grades of 4 or 5 persist the partnership's neglect "
            "pathway says to consult the front door."
        ),
        kv(("Shared with carer on", d(visits[-1][0] + dt.timedelta(days=3)))),
    ]
    return Sheet(
        title="Neglect Toolkit – Graded Care Profile",
        subtitle="Wealdmere Safeguarding Children Partnership",
        blocks=tuple(blocks),
        author=assessor.name,
        created=at(visits[-1][0], 16, 20),
        header="OFFICIAL-SENSITIVE when completed",
    )


_V1_AREAS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "A. Care of physical needs",
        (
            ("Nutrition", "nutrition"),
            ("Housing", "housing"),
            ("Clothing", "clothing"),
            ("Hygiene", "hygiene"),
            ("Health", "health"),
        ),
    ),
    (
        "B. Safety",
        (
            ("In the carer's presence", "safety_present"),
            ("In the carer's absence", "safety_absent"),
        ),
    ),
    (
        "C. Love and belonging",
        (
            ("Carer (responsiveness)", "responsiveness"),
            ("Mutual engagement", "engagement"),
        ),
    ),
    (
        "D. Esteem",
        (
            ("Stimulation", "stimulation"),
            ("Approval", "approval"),
            ("Disapproval", "disapproval"),
            ("Acceptance", "acceptance"),
        ),
    ),
)


def gcp_v1_scoring(rng: random.Random) -> Sheet:
    """An older-style GCP scoring sheet: areas A–D (physical, safety, love, esteem)."""
    start = dt.date(2024, 10, 7) + dt.timedelta(days=rng.randint(0, 30))
    child, carers = one_child(rng, start, 0, 4)
    assessor = staff_at(rng, HEALTH_VISITING)
    rows: list[tuple[str, ...]] = [("Area", "Sub-area", "Grade 1–5", "Evidence / comment")]
    totals: list[tuple[str, ...]] = [("Area", "Area grade")]
    centre = rng.choice((3, 4))
    for area, items in _V1_AREAS:
        marks = grades(rng, len(items), centre)
        for index, ((label, topic), mark) in enumerate(zip(items, marks, strict=True)):
            rows.append((area if index == 0 else "", label, str(mark), evidence(topic, mark)))
        totals.append((area, str(area_grade(marks))))
    return Sheet(
        title="Harbourside Graded Care Profile – Scoring Sheet",
        subtitle=(
            "Local edition of the Graded Care Profile scale (Srivastava and Polnay). "
            "Grade 1 = best, 5 = worst."
        ),
        blocks=(
            kv4(
                ("Child", child.full_name, "DOB", dob(child)),
                ("Carer", carers[0].name, "Relationship", carers[0].relationship),
                ("Assessor", f"{assessor.name}, {assessor.role}", "Date", d(start)),
            ),
            Heading("Key to grades"),
            Table(
                (
                    ("Grade", "Meaning"),
                    ("1", "All the child's needs met; the child's needs always come first."),
                    ("2", "Essential needs met; most other needs met."),
                    ("3", "Essential needs met some of the time; care is variable."),
                    ("4", "Essential needs often unmet; carer's needs usually come first."),
                    ("5", "Essential needs not met; the child's needs are ignored."),
                ),
                widths=(1, 8),
            ),
            Heading("Scoring"),
            Table(tuple(rows), widths=(4, 4, 2, 10)),
            Heading("Area grades"),
            Table(tuple(totals), widths=(3, 1)),
            Para(
                "Signed by assessor: ______________________   Discussed with parent: Yes",
            ),
        ),
        author=assessor.name,
        created=at(start + dt.timedelta(days=21), 11, 5),
        landscape=True,
        header="Harbourside Safeguarding Partnership",
    )


def gcp_summary_sheet(rng: random.Random) -> Sheet:
    """A GCP summary sheet on its own: one line per area, no sub-area grids."""
    on = dt.date(2025, 2, 3) + dt.timedelta(days=rng.randint(0, 25))
    child, carers = one_child(rng, on, 5, 12)
    assessor = school_staff(rng, child) if rng.random() < 0.5 else staff_at(rng, FAMILY_SUPPORT)
    centre = rng.choice((3, 4))
    lines = [("Area of care", "Grade", "Strengths", "Worries")]
    strengths = (
        "Carer has registered with a food bank and accepts help.",
        "Child has a safe adult (grandparent) nearby.",
        "Obvious affection; child says mum 'gives good cuddles'.",
        "Carer proud of the child's football.",
    )
    worries = (
        "Child hungry on arrival at school most Mondays.",
        "Left to walk home alone across the estate after dark.",
        "Carer's low mood means long spells in bed.",
        "Homework never done; attendance falling.",
    )
    areas = ("Physical care", "Safety", "Emotional care", "Developmental care")
    marks = grades(rng, 4, centre)
    for area, mark, good, bad in zip(areas, marks, strengths, worries, strict=True):
        lines.append((area, str(mark), good, bad))
    return Sheet(
        title="Graded Care Profile 2 – Summary Sheet",
        blocks=(
            kv(
                ("Child's name", child.full_name),
                ("Date of birth", dob(child)),
                ("Main carer", carers[0].name),
                ("Practitioner", f"{assessor.name} ({assessor.role}, {assessor.agency})"),
                ("Date profile completed", d(on)),
                ("Number of visits", str(rng.randint(4, 6))),
            ),
            Heading("Summary of grades (1 = best care, 5 = poorest care)"),
            Table(tuple(lines)),
            Heading("Overall"),
            Para(
                f"Overall the care of {child.forenames} is graded at {area_grade(marks)}. "
                "The full profile is held on the school's safeguarding file and can be shared "
                "on request."
            ),
        ),
        author=assessor.name,
        created=at(on, 14, 45),
    )


def gcp_partial(rng: random.Random) -> Sheet:
    """A GCP2 record with only physical care and safety graded so far."""
    start = dt.date(2025, 3, 3) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, start, 1, 6)
    assessor = gcp_worker(rng, child, start)
    visits = _visits(rng, start, 2)
    blocks: list[Block] = [
        kv4(
            ("Child", child.full_name, "Date of birth", dob(child)),
            ("Carer(s)", " and ".join(carer.name for carer in carers)),
            ("Practitioner", assessor.name, "Agency", assessor.agency),
            ("Observation dates", "; ".join(f"{d(day)} – {kind}" for day, kind in visits)),
        ),
        Para(
            "STATUS: PARTIAL. Two of the four areas have been graded. The profile is being "
            "shared early because the worries about physical care and safety cannot wait for "
            "the remaining visits.",
            bold=True,
        ),
    ]
    for area, items in _GCP2_AREAS[:2]:
        marks = grades(rng, len(items), 4)
        rows: list[tuple[str, ...]] = [("Sub-area", "Grade", "Evidence")]
        rows.extend(
            (label, str(mark), evidence(topic, mark))
            for (label, topic), mark in zip(items, marks, strict=True)
        )
        rows.append(("Area grade", str(area_grade(marks)), ""))
        blocks += [Heading(area), Table(tuple(rows), widths=(5, 1, 9))]
    planned = visits[-1][0] + dt.timedelta(days=7)
    for area, _items in _GCP2_AREAS[2:]:
        blocks += [
            Heading(area),
            Para(f"Not yet graded – further visits planned from {d(planned)}.", italic=True),
        ]
    return Sheet(
        title="Graded Care Profile 2 (GCP2)",
        subtitle="Assessment in progress – interim record",
        blocks=tuple(blocks),
        author=assessor.name,
        created=at(visits[-1][0], 17, 2),
    )


def gcp_blank_template(rng: random.Random) -> Sheet:
    """An unfilled local Graded Care Profile template: placeholders and empty grade boxes."""
    _ = rng
    blocks: list[Block] = [
        Para(
            "Use this template to record a Graded Care Profile for one child. Grade each item "
            "from 1 (needs fully met) to 5 (needs not met). Complete over at least four visits, "
            "some unannounced.",
            italic=True,
        ),
        kv4(
            ("Name of child", PLACEHOLDER, "Date of birth", PLACEHOLDER),
            ("Carer", PLACEHOLDER, "Relationship", CHOOSE),
            ("Completed by", PLACEHOLDER, "Agency", PLACEHOLDER),
            ("Dates of visits", PLACEHOLDER),
        ),
    ]
    for area, items in _V1_AREAS:
        name = area.split(". ", 1)[1]
        rows: list[tuple[str, ...]] = [("Item", "1", "2", "3", "4", "5", "Evidence")]
        rows.extend((label, "", "", "", "", "", PLACEHOLDER) for label, _topic in items)
        blocks += [Heading(f"Area {area[0]}: {name}"), Table(tuple(rows))]
    blocks += [
        Heading("Summary sheet"),
        Table(
            (
                ("Area", "Grade", "Comments"),
                ("Physical", "", PLACEHOLDER),
                ("Safety", "", PLACEHOLDER),
                ("Love", "", PLACEHOLDER),
                ("Esteem", "", PLACEHOLDER),
            )
        ),
        kv(("Signature", PLACEHOLDER), ("Date", PLACEHOLDER)),
    ]
    return Sheet(
        title="Graded Care Profile Tool – Template",
        subtitle="Northmarsh Children's Partnership, version 3.1 (March 2023)",
        blocks=tuple(blocks),
        author="Northmarsh Partnership Business Unit",
        created=dt.datetime(2023, 3, 14, 9, 30),
        header="OFFICIAL when blank – OFFICIAL-SENSITIVE when completed",
    )


def gcp_scan0007(rng: random.Random) -> Sheet:
    """A typed GCP with "Score:" lines and no tables, as a plain text PDF with a scanner's name."""
    on = dt.date(2024, 11, 18) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, on, 3, 10)
    assessor = gcp_worker(rng, child, on)
    blocks: list[Block] = [
        kv(
            ("Child", child.full_name),
            ("D.O.B.", dob(child)),
            ("Parent", carers[0].name),
            ("Worker", f"{assessor.name} - {assessor.agency}"),
            ("Date", d(on)),
        ),
    ]
    for area, items in _GCP2_AREAS:
        marks = grades(rng, len(items), rng.choice((2, 3, 4)))
        blocks.append(Heading(area.upper()))
        blocks.extend(
            Para(f"{label} ...... Score: {mark}\n   {evidence(topic, mark)}")
            for (label, topic), mark in zip(items, marks, strict=True)
        )
        blocks.append(Para(f"Score for {area.lower()}: {area_grade(marks)} / 5", bold=True))
    blocks.append(Para("1 = child's needs met well ... 5 = child's needs not met."))
    return Sheet(
        title="Graded Care Profile",
        blocks=tuple(blocks),
        author="",
        created=at(on, 10, 12),
        meta_title="",
        header="",
    )


def gcp_assessment_docx(rng: random.Random) -> Sheet:
    """A two-child GCP2 record (one column per child) saved under a vague name."""
    start = dt.date(2025, 1, 20) + dt.timedelta(days=rng.randint(0, 14))
    children, carers = siblings(rng, start, 2, 0, 11)
    assessor = gcp_worker(rng, min(children, key=lambda c: age(c, start)), start)
    visits = _visits(rng, start, 5)
    first, second = children
    rows: list[tuple[str, ...]] = [("Area", "Sub-area", first.forenames, second.forenames)]
    topics = {
        "Physical care": (
            ("Nutrition", "nutrition"),
            ("Housing", "housing"),
            ("Clothing", "clothing"),
            ("Hygiene", "hygiene"),
            ("Health", "health"),
        ),
        "Safety": (
            ("In the carer's presence", "safety_present"),
            ("In the carer's absence", "safety_absent"),
            ("Online safety", "online"),
        ),
        "Emotional care": (
            ("Responsiveness of the carer", "responsiveness"),
            ("Mutual engagement", "engagement"),
        ),
        "Developmental care": (
            ("Stimulation", "stimulation"),
            ("Approval", "approval"),
            ("Disapproval", "disapproval"),
            ("Acceptance", "acceptance"),
        ),
    }
    notes: list[Block] = []
    for area, items in topics.items():
        one = grades(rng, len(items), 3)
        two = grades(rng, len(items), 3)
        for index, (label, _topic) in enumerate(items):
            rows.append((area if index == 0 else "", label, str(one[index]), str(two[index])))
        rows.append(("", f"{area} – area grade", str(area_grade(one)), str(area_grade(two))))
        worst = max(range(len(items)), key=lambda i: one[i])
        notes.append(Para(f"{area}: {evidence(items[worst][1], one[worst])}"))
    return Sheet(
        title="GCP2 – Graded Care Profile 2",
        subtitle="NSPCC licensed tool – multiple child record (1 = best care, 5 = poorest care)",
        blocks=(
            kv4(
                ("Carer", carers[0].name, "Relationship", carers[0].relationship),
                ("Child 1", f"{first.full_name} ({dob(first)})"),
                ("Child 2", f"{second.full_name} ({dob(second)})"),
                ("Assessor", assessor.name, "Agency", assessor.agency),
            ),
            Heading("Observations"),
            Table(
                (
                    ("Date", "Type of visit", "Children seen"),
                    *((d(day), kind.capitalize(), "Both") for day, kind in visits),
                )
            ),
            Heading("Grades"),
            Table(tuple(rows)),
            Heading("Evidence for the lowest grades"),
            *notes,
            Heading("Carer's views"),
            Para(
                f"{carers[0].name.split()[0]} agreed with most grades but felt the safety "
                "grade did not reflect the new stair gate."
            ),
        ),
        author=assessor.name,
        created=at(visits[-1][0], 15, 40),
        meta_title="",
    )


_WORD_GRADES = {
    1: "Grade 1 – excellent: every need met, child always first",
    2: "Grade 2 – good: most needs met",
    3: "Grade 3 – adequate: essential needs met but not reliably",
    4: "Grade 4 – poor: essential needs often unmet",
    5: "Grade 5 – very poor: needs not met, child's needs ignored",
}


def gcp_grades_in_words(rng: random.Random) -> Sheet:
    """A care profile whose grades are written as words ("Grade 3 – adequate")."""
    on = dt.date(2025, 2, 24) + dt.timedelta(days=rng.randint(0, 14))
    child, carers = one_child(rng, on, 4, 14)
    assessor = gcp_worker(rng, child, on)
    areas = (
        (
            "Physical care",
            (("Diet", "nutrition"), ("Home", "housing"), ("Health care", "health")),
        ),
        (
            "Safety and supervision",
            (("When with carer", "safety_present"), ("When apart", "safety_absent")),
        ),
        (
            "Love and emotional care",
            (("Warmth", "engagement"), ("Comfort", "responsiveness")),
        ),
        (
            "Esteem and development",
            (("Encouragement", "approval"), ("Learning", "education")),
        ),
    )
    blocks: list[Block] = [
        kv4(
            ("Young person", child.full_name, "Date of birth", dob(child)),
            ("Parent/carer", carers[0].name, "Date", d(on)),
            ("Assessing worker", assessor.name, "Service", assessor.agency),
        ),
    ]
    for area, items in areas:
        marks = grades(rng, len(items), rng.choice((3, 4)))
        rows: list[tuple[str, ...]] = [("Aspect", "Grade", "What we saw and heard")]
        rows.extend(
            (label, _WORD_GRADES[mark], evidence(topic, mark))
            for (label, topic), mark in zip(items, marks, strict=True)
        )
        blocks += [Heading(area), Table(tuple(rows), widths=(3, 5, 8))]
        blocks.append(Para(f"Overall for this area: {_WORD_GRADES[area_grade(marks)]}"))
    return Sheet(
        title="Saltfleet Graded Care Profile",
        subtitle="Record of care – neglect assessment",
        blocks=tuple(blocks),
        author=assessor.name,
        created=at(on, 13, 15),
    )


# --- brook_tool ---------------------------------------------------------------------------------

_BANDS = ("0–5 years", "5–9 years", "9–13 years", "13–17 years")
_GUIDANCE: dict[str, tuple[str, str, str, str]] = {
    "Green": (
        "Curious about bodies and where babies come from; touches own genitals for comfort; "
        "plays 'mums and dads' or 'doctors' with children of a similar age.",
        "Wants privacy when washing or dressing; giggles at rude words; kiss-chase and "
        "hand-holding games with friends.",
        "Interest in puberty and relationships; looks up information about sex; crushes and "
        "'going out' with someone their own age.",
        "Consensual relationships with someone of similar age and understanding; masturbation "
        "in private; interest in legal sexual content.",
    ),
    "Amber": (
        "Keeps touching own genitals in public after being asked to stop; talks about sex in "
        "ways unusual for the age; tries to see others' bodies when they do not want that.",
        "Knows more about sexual acts than expected; sexual words aimed at others; shows "
        "genitals to peers again and again.",
        "Shares sexual images of themselves; secret relationships; use of pornography that "
        "worries adults.",
        "Relationship with a big age gap; sex while drunk or high; degrading sexual language "
        "about others.",
    ),
    "Red": (
        "Acts out sexual acts with others; touches other children's genitals when they are "
        "unwilling or upset; sexual behaviour with an older child or adult.",
        "Forces another child into sexual play; puts objects into own or another child's "
        "genitals; sexual behaviour with animals.",
        "Sexual contact with a much younger child; threats or force to get sexual contact; "
        "gifts or money in return for sexual activity.",
        "Sexual activity with someone who cannot consent; sex in exchange for money, drugs or "
        "a place to stay; sharing images of others without consent.",
    ),
}
_WHAT_TO_DO = {
    "Green": "Healthy and expected. Respond positively, give simple accurate information.",
    "Amber": "Outside healthy behaviour for the age or context. Talk to the DSL, record, "
    "watch for patterns and offer support.",
    "Red": "Harmful or worrying. Act now: make the child safe, tell the DSL at once and "
    "refer to children's social care (or police).",
}


def brook_completed_record(rng: random.Random) -> Sheet:
    """A completed record of behaviours, each rated green/amber/red for the child's age band."""
    on = dt.date(2025, 3, 10) + dt.timedelta(days=rng.randint(0, 14))
    child, carers = one_child(rng, on, 6, 8)
    he, _him, his = pronoun(child)
    staff = school_staff(rng, child)
    seen = [
        ("Asked a friend where babies come out", "Classroom, story time", "Green"),
        ("Pulled down trousers in the playground to make others laugh", "Playground", "Amber"),
        (
            "Described a sexual act in detail to a younger child and tried to copy it",
            "Toilets, lunchtime",
            "Red",
        ),
        ("Used sexual words at a peer after being told not to", "Corridor", "Amber"),
    ]
    rows: list[tuple[str, ...]] = [
        ("Date", "Behaviour seen or heard", "Where / context", "Age band", "Colour", "Action")
    ]
    day = on - dt.timedelta(days=20)
    for behaviour, where, colour in seen:
        day += dt.timedelta(days=rng.randint(2, 6))
        action = {
            "Green": "Answered simply; no further action",
            "Amber": "Logged; DSL informed; parent spoken to",
            "Red": "DSL informed same day; referral to front door",
        }[colour]
        rows.append((d(day), behaviour, where, "5–9", colour, action))
    return Sheet(
        title="Sexual Behaviours Traffic Light Tool – Record of Behaviours",
        subtitle="Completed with the Brook traffic light tool (age band 5–9 years)",
        blocks=(
            kv4(
                ("Child", child.full_name, "Date of birth", dob(child)),
                ("Age", str(age(child, on)), "Setting", child.school or staff.agency),
                ("Completed by", f"{staff.name}, {staff.role}", "Date", d(on)),
            ),
            Heading("Key"),
            Table(
                (
                    ("Colour", "What it means"),
                    *((colour, text) for colour, text in _WHAT_TO_DO.items()),
                )
            ),
            Heading("Behaviours"),
            Table(tuple(rows), widths=(2, 6, 3, 2, 2, 4)),
            Heading("Overall view"),
            Para(
                f"One red and two amber behaviours over three weeks. {he.capitalize()} "
                f"appears to know more about sexual activity than expected for {his} age. "
                f"{carers[0].name} has been told about this record."
            ),
        ),
        author=staff.name,
        created=at(on, 15, 30),
        landscape=True,
    )


def brook_hsb_screening(rng: random.Random) -> Sheet:
    """An "HSB screening using the traffic light tool" note in prose, with a small table."""
    on = dt.date(2025, 1, 27) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, on, 11, 12)
    he, him, his = pronoun(child)
    staff = staff_at(rng, FAMILY_SUPPORT, SCHOOL_NURSING)
    return Sheet(
        title="HSB screening using the traffic light tool",
        subtitle=f"Screening note – {staff.agency}",
        blocks=(
            kv(
                ("Young person", f"{child.full_name}, DOB {dob(child)}"),
                ("Screened by", f"{staff.name} ({staff.role})"),
                ("Date", d(on)),
                ("Age band used", "9–13 years"),
            ),
            Heading("Why screening was needed"),
            Para(
                f"{child.forenames} was found with sexual images of a classmate on {his} "
                f"phone and was said to have pressured the classmate to send them. "
                f"{carers[0].name} contacted us for advice."
            ),
            Heading("Behaviours and traffic light"),
            Table(
                (
                    ("Behaviour", "Traffic light", "Reasoning"),
                    ("Interest in relationships and puberty", "Green", "Expected at 12."),
                    (
                        "Asked a classmate repeatedly for nude images",
                        "Amber",
                        "Persistent, secretive, and the other child was unwilling.",
                    ),
                    (
                        "Shared an image of the classmate in a group chat",
                        "Red",
                        "Image of another child shared without consent.",
                    ),
                )
            ),
            Heading("Outcome"),
            Para(
                f"Overall: RED because of the sharing. {he.capitalize()} needs a specialist "
                f"HSB assessment; the classmate's school and the police schools officer have "
                f"been told. {child.forenames}'s own safety online will be reviewed with {him}."
            ),
        ),
        author=staff.name,
        created=at(on, 12, 50),
    )


def brook_guidance_table(rng: random.Random) -> Sheet:
    """A guidance-style table: example behaviours by colour and age band, plus what to do."""
    _ = rng
    rows: list[tuple[str, ...]] = [("", *_BANDS)]
    rows.extend((colour, *texts) for colour, texts in _GUIDANCE.items())
    return Sheet(
        title="Sexual behaviours traffic light tool – practice guidance",
        subtitle=(
            "Adapted for local practitioners from the Brook Sexual Behaviours Traffic Light "
            "Tool. Use it to judge whether a behaviour is healthy (green), concerning (amber) "
            "or harmful (red) for the child's age."
        ),
        blocks=(
            Heading("Examples by age band"),
            Table(tuple(rows), widths=(2, 5, 5, 5, 5)),
            Heading("What to do"),
            Table((("Colour", "Response"), *_WHAT_TO_DO.items())),
            Para(
                "Think about the context: the children's ages and development, any difference "
                "in power, whether there was force, secrecy or distress, and whether the "
                "behaviour keeps happening after adults have intervened."
            ),
        ),
        author="Estuary Schools Safeguarding Network",
        created=dt.datetime(2024, 9, 2, 8, 0),
        landscape=True,
        header="For practitioners",
    )


def brook_school_record(rng: random.Random) -> Sheet:
    """A primary school's "sexualised behaviour record" using the traffic lights."""
    on = dt.date(2025, 2, 10) + dt.timedelta(days=rng.randint(0, 20))
    school = agency_named("Seaview Primary School")
    child = make_child(rng, on=on, min_age=8, max_age=8)
    dsl = make_referrer(rng, agency=school)
    teacher = make_referrer(rng, agency=school)
    events = (
        ("Rubbing against another pupil on the carpet; stopped when told", "A"),
        ("Simulated sex with a toy in front of others at wet play", "R"),
        ("Asked 'why do grown-ups kiss with tongues?'", "G"),
    )
    rows: list[tuple[str, ...]] = [
        ("Date / time", "What was seen or heard (exact words)", "Who was there", "G / A / R")
    ]
    day = on - dt.timedelta(days=12)
    for text, light in events:
        day += dt.timedelta(days=rng.randint(1, 4))
        rows.append(
            (
                f"{d(day)} {rng.randint(9, 14)}:{rng.choice(('05', '20', '40'))}",
                text,
                "Class 4T pupils; teaching assistant",
                light,
            )
        )
    return Sheet(
        title="Sexualised Behaviour Record",
        subtitle=f"{school.name if school else 'School'} – Year 4",
        blocks=(
            kv4(
                ("Pupil", child.full_name, "DOB", dob(child)),
                ("Class", "4T", "Recorded by", teacher.name),
                ("DSL", dsl.name),
            ),
            Para(
                "Record each incident and rate it with the traffic lights for ages 5–9 "
                "(G = green, A = amber, R = red). Any red goes to the DSL straight away."
            ),
            Table(tuple(rows), widths=(3, 8, 4, 2)),
            Heading("DSL review"),
            Para(
                "Pattern of amber behaviour with one red. Parent meeting held. Referral to "
                "the front door considered – see the school's referral of the same date. "
                "Traffic light ratings checked against the Brook guidance."
            ),
            kv(("DSL signature", dsl.name), ("Date reviewed", d(on))),
        ),
        author=teacher.name,
        created=at(on, 16, 5),
    )


def brook_orange_log(rng: random.Random) -> Sheet:
    """A behaviours log using the newer "orange" wording and five age bands."""
    on = dt.date(2025, 4, 1) + dt.timedelta(days=rng.randint(0, 14))
    child, _carers = one_child(rng, on, 14, 15, "Female")
    staff = worker(rng, "voluntary")
    bands = ("0–4", "5–9", "10–12", "13–15", "16–17")
    band_row = "   ".join(f"{box(band == '13–15')} {band}" for band in bands)
    return Sheet(
        title="Traffic Light Behaviours Log",
        subtitle="Using the Brook sexual behaviours traffic light tool (green / orange / red)",
        blocks=(
            kv(
                ("Young person", f"{child.full_name} ({dob(child)})"),
                ("Age band", band_row),
                ("Logged by", f"{staff.name}, {staff.role}, {staff.agency}"),
            ),
            Table(
                (
                    ("Behaviour", "Green", "Orange", "Red", "Notes"),
                    (
                        "In a relationship with a 15-year-old at the youth club",
                        TICKED,
                        "",
                        "",
                        "Mutual, similar age.",
                    ),
                    (
                        "Talks about a 'boyfriend' aged 22 met online",
                        "",
                        TICKED,
                        "",
                        "Age gap; secrecy.",
                    ),
                    (
                        "Says she was given vodka then had sex at a party",
                        "",
                        "",
                        TICKED,
                        "Could not consent; possible exploitation – DSL told.",
                    ),
                    (
                        "Swaps sexual jokes with friends",
                        TICKED,
                        "",
                        "",
                        "",
                    ),
                ),
                widths=(8, 2, 2, 2, 6),
            ),
            Para(
                "Orange means the behaviour needs watching and a conversation; red means act "
                "now. This log goes with our request for support."
            ),
        ),
        author=staff.name,
        created=at(on, 18, 10),
    )


def brook_img_scan(rng: random.Random) -> Sheet:
    """A youth service's traffic-light record as a list, in a text PDF named like a photo."""
    on = dt.date(2024, 12, 2) + dt.timedelta(days=rng.randint(0, 14))
    child, _carers = one_child(rng, on, 13, 16, "Male")
    staff = worker(rng, "voluntary")
    items = (
        ("Masturbating in private; asked about contraception", "GREEN"),
        ("Sending sexual texts to a girl in Year 7", "AMBER"),
        ("Exposing himself to younger children at the bus stop", "RED"),
    )
    blocks: list[Block] = [
        Para(f"Name: {child.full_name}   DOB: {dob(child)}   Age: {age(child, on)}"),
        Para(f"Worker: {staff.name} ({staff.agency})   Date: {d(on)}"),
        Para("Age band used: 13-17 (traffic light tool)"),
    ]
    for number, (text, colour) in enumerate(items, start=1):
        blocks.append(Para(f"Behaviour {number}: {text}\nColour: {colour}"))
    blocks.append(
        Para(
            "Most concerning colour: RED. Brook tool says red behaviours need an immediate "
            "safeguarding response. Discussed with manager; referral made."
        )
    )
    return Sheet(
        title="Traffic light tool - completed",
        blocks=tuple(blocks),
        author="",
        created=at(on, 9, 55),
        meta_title="",
        header="",
    )


def brook_nursery_obs(rng: random.Random) -> Sheet:
    """A nursery's observation form: behaviours ticked green, amber or red for ages 0–5."""
    on = dt.date(2025, 1, 15) + dt.timedelta(days=rng.randint(0, 20))
    nursery = agency_named("Little Gulls Day Nursery")
    child = make_child(rng, on=on, min_age=3, max_age=3)
    key_worker = make_referrer(rng, agency=nursery)
    rows: list[tuple[str, ...]] = [("Observation", "Green", "Amber", "Red")]
    for text, colour in (
        ("Holds own genitals when tired or upset", "Green"),
        ("Tries to put hand down other children's pants; does not stop when asked", "Amber"),
        ("Asks to see staff's 'boobies' every day", "Amber"),
        ("Plays doctors with a friend the same age", "Green"),
    ):
        rows.append((text, *(box(colour == c) for c in ("Green", "Amber", "Red"))))
    return Sheet(
        title="Early Years – Sexual Behaviour Observation (Traffic Light)",
        subtitle=nursery.name if nursery else "",
        blocks=(
            kv4(
                ("Child", child.full_name, "DOB", dob(child)),
                ("Key person", key_worker.name, "Room", "Puffins (3–4s)"),
                ("Observation period", f"{d(on - dt.timedelta(days=14))} to {d(on)}"),
            ),
            Para("Age band: 0–5. Tick one colour per behaviour."),
            Table(tuple(rows), widths=(8, 1, 1, 1)),
            kv(
                ("Any red?", "No"),
                ("Action", "Amber behaviours shared with parent; review in four weeks."),
            ),
        ),
        author=key_worker.name,
        created=at(on, 13, 0),
    )


def brook_reflection(rng: random.Random) -> Sheet:
    """A question-led worksheet for applying the Brook traffic light tool to one child."""
    on = dt.date(2025, 3, 17) + dt.timedelta(days=rng.randint(0, 10))
    child, _carers = one_child(rng, on, 9, 10)
    he, him, his = pronoun(child)
    staff = school_staff(rng, child) if rng.random() < 0.5 else staff_at(rng, SCHOOL_NURSING)
    return Sheet(
        title="Using the Brook Sexual Behaviours Traffic Light Tool",
        subtitle="Practitioner worksheet",
        blocks=(
            kv(
                ("Child", f"{child.full_name} ({dob(child)})"),
                ("Practitioner", f"{staff.name}, {staff.agency}"),
                ("Date", d(on)),
            ),
            Table(
                (
                    ("Question", "Answer"),
                    ("1. Which age band applies?", "9–13"),
                    (
                        "2. What behaviour are you worried about?",
                        f"{child.forenames} drew sexual pictures and showed them to younger "
                        "pupils.",
                    ),
                    ("3. Green, amber or red?", "Amber"),
                    (
                        "4. Why?",
                        "Not expected in a school setting, aimed at younger children, "
                        "continued after being asked to stop. No force or coercion.",
                    ),
                    (
                        "5. What does the child say?",
                        f"{he.capitalize()} said older boys at {his} club showed {him} videos.",
                    ),
                    (
                        "6. What will you do?",
                        "Talk to the DSL; speak with parents; monitor; "
                        "consider referral if there is any red behaviour.",
                    ),
                ),
                widths=(2, 5),
            ),
        ),
        author=staff.name,
        created=at(on, 10, 30),
    )


# --- exploitation_tool --------------------------------------------------------------------------

_CE_INDICATORS = (
    "Missing from home, school or care (any length of time)",
    "Comes home late and will not say where they have been",
    "Unexplained money, phones, clothes or trainers",
    "More than one phone, or a phone that never stops ringing",
    "Travelling to or found in towns away from home",
    "Older friends or adults the family do not know",
    "Using, holding or selling drugs",
    "Injuries they will not explain",
    "Drop in attendance, exclusion or a move to alternative provision",
    "Sexual health concerns (STI, pregnancy, repeat emergency contraception)",
    "Worrying online contact or image sharing",
    "Carrying a weapon or talking about needing protection",
)


def ce_pathway_screening(rng: random.Random) -> Sheet:
    """A CE pathway screening: indicators ticked for now and the past six months."""
    on = dt.date(2025, 2, 17) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, on, 13, 16)
    staff = school_staff(rng, child)
    rows: list[tuple[str, ...]] = [("Risk indicator", "Current", "Past 6 months", "Details")]
    details = {
        0: "Missing three times since January; found in Basildon once.",
        2: "New designer jacket and £200 cash found by mum.",
        3: "Second phone seen at school.",
        5: "Picked up by a man in a grey car after school.",
        8: "Attendance down from 94% to 61% this term.",
    }
    for index, indicator in enumerate(_CE_INDICATORS):
        current = index in details or rng.random() < 0.1
        past = current or rng.random() < 0.25
        rows.append((indicator, box(current), box(past), details.get(index, "")))
    return Sheet(
        title="SET Child Exploitation Pathway – Screening and Risk Indicators",
        subtitle="Complete when you are worried a child may be at risk of exploitation.",
        blocks=(
            kv4(
                ("Child", child.full_name, "Date of birth", dob(child)),
                ("Address", f"{child.address}, {child.postcode}"),
                ("Parent/carer", carers[0].name, "Phone", carers[0].phone),
                ("Completed by", staff.name, "Agency", staff.agency),
                ("Date", d(on), "Known to CSC?", yn(False)),
            ),
            Heading("Section 1 – Risk indicators"),
            Table(tuple(rows), widths=(8, 2, 2, 8)),
            Heading("Section 2 – Level of concern"),
            Para(options(("Low", "Medium", "High"), "Medium")),
            Heading("Section 3 – Course of action (from the pathway)"),
            Para(
                "Medium: discuss with your exploitation lead, submit a partner intelligence "
                "form to police, and send a request for service to the front door with this "
                "screening attached."
            ),
        ),
        author=staff.name,
        created=at(on, 14, 10),
    )


def partner_intel_form(rng: random.Random) -> Sheet:
    """A police partner intelligence submission form."""
    on = dt.date(2025, 3, 5) + dt.timedelta(days=rng.randint(0, 14))
    child, _carers = one_child(rng, on, 14, 16, "Male")
    staff = school_staff(rng, child) if rng.random() < 0.4 else staff_at(rng, HOUSING)
    street, code = address(rng)
    return Sheet(
        title="Partner Intelligence Submission Form",
        subtitle=(
            "For partner agencies sharing information about child exploitation with police. "
            "This is not a referral. Crime in progress or a child in immediate danger: dial 999."
        ),
        blocks=(
            kv4(
                ("Submitting agency", staff.agency, "Date submitted", d(on)),
                ("Your name", staff.name, "Role", staff.role),
                ("Telephone", staff.phone, "Email", staff.email),
                title="1. About you",
            ),
            kv4(
                ("Name", child.full_name, "DOB", dob(child)),
                ("Home address", f"{child.address}, {child.postcode}"),
                title="2. Subject of the intelligence",
            ),
            Table(
                (
                    ("Type", "Detail"),
                    ("Person", "Male known as 'Tee', about 20, slim, tattoo on neck"),
                    ("Vehicle", f"Grey hatchback, partial registration EX{rng.randint(10, 74)}"),
                    ("Location", f"{street}, {code} – flat above the takeaway"),
                    ("Phone number", mobile(rng)),
                    ("Social media", "Snapchat name shown to staff, not recorded"),
                ),
                title="3. People, places, vehicles, phones",
                widths=(1, 4),
            ),
            Heading("4. The intelligence"),
            Para(
                f"On {d(on - dt.timedelta(days=2))} {child.forenames} told a member of staff "
                "that 'Tee' pays him to carry packages to the flat and that he has been driven "
                "to Chelmsford twice. He had £150 in cash and a new phone."
            ),
            kv4(
                (
                    "Source",
                    options(
                        ("Staff saw it", "Child told staff", "Third party"), "Child told staff"
                    ),
                ),
                ("Can the subject be told?", yn(False), "Handling", "Do not disclose source"),
                title="5. Evaluation and handling",
            ),
        ),
        author=staff.name,
        created=at(on, 11, 25),
        header="OFFICIAL-SENSITIVE – police use",
    )


def risk_in_community_tool(rng: random.Random) -> Sheet:
    """A "Risk in the Community" thinking tool: worries, strengths, scaling, contexts."""
    on = dt.date(2025, 1, 8) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, on, 12, 16)
    he, _him, his = pronoun(child)
    staff = school_staff(rng, child) if rng.random() < 0.5 else staff_at(rng, FAMILY_SUPPORT)
    scale = rng.randint(2, 5)
    return Sheet(
        title="Children and Families Thinking Tool: Risk in the Community",
        subtitle="Use with the child, family and network to think about harm outside the home.",
        blocks=(
            kv4(
                ("Child / young person", child.full_name, "DOB", dob(child)),
                ("Parent/carer", carers[0].name, "Worker", staff.name),
                ("Date", d(on), "Agency", staff.agency),
            ),
            Table(
                (
                    ("Context", "What are we worried about?", "What is working well?"),
                    (
                        "Peers",
                        "New friendship group of older teenagers linked to drug dealing.",
                        f"Still sees two friends from primary school; {he} trusts them.",
                    ),
                    (
                        "Places and spaces",
                        "Hangs around the bus station and a park known for dealing.",
                        "Comes home for tea most nights.",
                    ),
                    (
                        "Online",
                        "Contact from unknown adults on Snapchat; deletes messages.",
                        "Agreed to show mum the apps.",
                    ),
                    (
                        "School / education",
                        "Part-time timetable; often leaves at lunchtime.",
                        "Likes the mechanics course; tutor is a good relationship.",
                    ),
                    (
                        "Family",
                        f"{carers[0].name.split()[0]} feels she has lost control.",
                        "Warm relationship with grandmother.",
                    ),
                ),
                widths=(2, 5, 5),
            ),
            Heading("Scaling"),
            Para(
                "On a scale of 0 to 10, where 10 means everyone knows the risk in the "
                f"community is well managed and 0 means {child.forenames} is being harmed "
                f"and exploited now, where are we? Worker: {scale}. "
                f"Parent: {max(0, scale - 1)}. Young person: 8."
            ),
            Heading("What needs to happen?"),
            Para(
                f"Follow the child exploitation pathway; share intelligence with police; "
                f"detached youth work in the park; review {his} timetable with school; "
                "request for service to the front door."
            ),
        ),
        author=staff.name,
        created=at(on, 16, 45),
    )


def cse_screening_tool(rng: random.Random) -> Sheet:
    """A CSE screening tool with "Significant Risk Indicators" and current/past columns."""
    on = dt.date(2025, 2, 3) + dt.timedelta(days=rng.randint(0, 20))
    child, _carers = one_child(rng, on, 13, 15)
    staff = staff_at(rng, SCHOOL_NURSING, EMERGENCY_DEPT, FAMILY_SUPPORT)

    def section(items: Sequence[str], chance: float) -> Table:
        rows: list[tuple[str, ...]] = [("Indicator", "Current", "Past 6 months", "Comments")]
        for item in items:
            now = rng.random() < chance
            rows.append((item, box(now), box(now or rng.random() < chance), ""))
        return Table(tuple(rows), widths=(9, 2, 2, 5))

    significant = (
        "Under 13 and said to be in a sexual relationship",
        "Picked up or dropped off by unknown adults in cars",
        "Found at addresses of adults linked to exploitation",
        "Given alcohol or drugs in return for sexual activity",
        "Disclosed sexual assault, then withdrew it",
        "Missing overnight and returns with gifts or money",
    )
    other = (
        "Boyfriend or girlfriend much older",
        "Secretive about phone use; several social media accounts",
        "Truanting, or going missing during the school day",
        "Sexually transmitted infection or pregnancy",
        "Self-harm or sudden change in mood",
        "Estranged from family",
    )
    vulnerable = (
        "Looked after, or recently left care",
        "Learning disability or difficulty",
        "Previous abuse",
        "Parental substance misuse or domestic abuse at home",
        "Bereavement or loss",
    )
    return Sheet(
        title="Child Sexual Exploitation (CSE) Screening Tool",
        subtitle="Complete for any young person under 18 where CSE is suspected.",
        blocks=(
            kv4(
                ("Name", child.full_name, "DOB", dob(child)),
                ("Completed by", staff.name, "Agency", staff.agency),
                ("Date", d(on), "Telephone", staff.phone),
            ),
            Heading("Significant Risk Indicators"),
            section(significant, 0.35),
            Heading("Other Risk Indicators"),
            section(other, 0.4),
            Heading("Vulnerabilities"),
            section(vulnerable, 0.3),
            Heading("Outcome"),
            Para(
                "One or more significant risk indicators: refer to children's social care and "
                "notify the exploitation lead. Other indicators only: discuss with your "
                "safeguarding lead and review in four weeks."
            ),
        ),
        author=staff.name,
        created=at(on, 10, 0),
    )


def county_lines_checklist(rng: random.Random) -> Sheet:
    """A CCE / county lines vulnerability checklist with Yes/No/Unknown answers."""
    on = dt.date(2025, 3, 24) + dt.timedelta(days=rng.randint(0, 10))
    child, _carers = one_child(rng, on, 14, 17)
    staff = school_staff(rng, child) if rng.random() < 0.5 else staff_at(rng, HOUSING)
    answers = ("Yes", "No", "Unknown")

    def group(items: Sequence[str]) -> Table:
        rows: list[tuple[str, ...]] = [("", "Answer")]
        rows.extend((item, options(answers, rng.choice(answers))) for item in items)
        return Table(tuple(rows), widths=(3, 2))

    return Sheet(
        title="Child Criminal Exploitation (CCE) / County Lines Vulnerability Checklist",
        blocks=(
            kv(
                ("Young person", f"{child.full_name}, {dob(child)}"),
                ("Checklist completed by", f"{staff.name} ({staff.role}), {staff.agency}"),
                ("Date", d(on)),
            ),
            Heading("Signs seen"),
            group(
                (
                    "Talks about 'going country' or 'working a line'",
                    "Found with cash, drugs or several phones",
                    "Train or bus tickets to places they have no reason to go",
                    "Unexplained injuries or fear of named people",
                )
            ),
            Heading("Vulnerabilities"),
            group(
                (
                    "Excluded or on a reduced timetable",
                    "Debt to others (including 'drug debt')",
                    "Older sibling or relative involved in dealing",
                    "Special educational needs",
                )
            ),
            Heading("People and places"),
            group(
                (
                    "Links to a known line or group",
                    "Seen at an address used by others to deal (cuckooing)",
                )
            ),
            Para(
                "Three or more 'Yes' answers: follow the exploitation pathway and share with "
                "police using the partner intelligence form."
            ),
        ),
        author=staff.name,
        created=at(on, 9, 20),
    )


def cce_screening_document3(rng: random.Random) -> Sheet:
    """A CCE/CSE exploitation screening tool as plain text lines, with a download-style name."""
    on = dt.date(2024, 11, 4) + dt.timedelta(days=rng.randint(0, 20))
    child, _carers = one_child(rng, on, 12, 15)
    staff = staff_at(rng, SCHOOL_NURSING, FAMILY_SUPPORT)
    rows: list[tuple[str, ...]] = [("Indicator", "Now", "In last 6 months")]
    for indicator in _CE_INDICATORS[::2]:
        now = rng.random() < 0.45
        rows.append((indicator, "Y" if now else "N", "Y" if now or rng.random() < 0.3 else "N"))
    return Sheet(
        title="Exploitation Risk Screening Tool (CSE / CCE)",
        blocks=(
            kv(
                ("Child", child.full_name),
                ("DOB", dob(child)),
                ("Screened by", f"{staff.name}, {staff.agency}"),
                ("Date", d(on)),
            ),
            Table(tuple(rows)),
            Para("RAG rating of exploitation risk:  RED / AMBER / GREEN  ->  AMBER"),
            Para(
                "Amber: refer to the child exploitation pathway, share intelligence with "
                "police, review in 6 weeks."
            ),
        ),
        author="",
        created=at(on, 15, 0),
        meta_title="",
        header="",
    )


def cse_risk_vulnerability(rng: random.Random) -> Sheet:
    """A legacy-style CSE risk and vulnerabilities assessment with a risk category."""
    on = dt.date(2024, 6, 10) + dt.timedelta(days=rng.randint(0, 20))
    child, carers = one_child(rng, on, 13, 16, "Female")
    she, _her, her = pronoun(child)
    staff = staff_at(rng, FAMILY_SUPPORT, SCHOOL_NURSING)
    factors = (
        ("Going missing", "Missing four times in six weeks; twice overnight."),
        ("Older 'boyfriend'", "Man in his twenties collects her from school."),
        ("Gifts", "New phone and nails paid for by 'a friend'."),
        ("Substances", "Smelt of cannabis and alcohol on return."),
        ("Online", "Contact with adult men on a dating app."),
    )
    return Sheet(
        title="CSE Risk and Vulnerabilities Assessment",
        subtitle="Child sexual exploitation toolbox – assessment record",
        blocks=(
            kv4(
                ("Young person", child.full_name, "DOB", dob(child)),
                ("Parent/carer", carers[0].name, "Assessor", staff.name),
                ("Agency", staff.agency, "Date", d(on)),
            ),
            Heading("Risk factors identified"),
            Table((("Factor", "Evidence"), *factors), widths=(1, 3)),
            Heading("Protective factors"),
            Para(
                f"{child.forenames} has a good relationship with {her} older sister and "
                f"still attends dance on Saturdays. {carers[0].name} is worried and wants help."
            ),
            Heading("Risk category"),
            Para(
                options(
                    (
                        "Category 1 – at risk",
                        "Category 2 – significant risk",
                        "Category 3 – being exploited",
                    ),
                    "Category 2 – significant risk",
                )
            ),
            Para(
                f"Rationale: {she} is being groomed by an adult with gifts and transport. "
                "Multi-agency CSE meeting requested."
            ),
        ),
        author=staff.name,
        created=at(on, 17, 30),
    )


def online_cse_screening(rng: random.Random) -> Sheet:
    """An online sexual exploitation (grooming / sextortion) screening tool."""
    on = dt.date(2025, 4, 7) + dt.timedelta(days=rng.randint(0, 10))
    child, _carers = one_child(rng, on, 12, 15)
    staff = school_staff(rng, child)
    items = (
        "Talking to someone they have only met online who asks for secrecy",
        "Asked for, or has sent, nude or sexual images",
        "Being threatened with images being shared (sextortion)",
        "Given gifts, game credit or money by an online contact",
        "Arranged to meet an online contact in person",
        "Uses apps or sites meant for adults",
    )
    rows: list[tuple[str, ...]] = [("Risk indicator", "Current", "Past 6 months", "Notes")]
    for index, item in enumerate(items):
        now = index in (0, 1, 3) or rng.random() < 0.2
        rows.append((item, box(now), box(now), ""))
    return Sheet(
        title="Online Child Sexual Exploitation – Screening Tool",
        subtitle="Part of the exploitation screening tools (CSE / CCE) for schools",
        blocks=(
            kv4(
                ("Pupil", child.full_name, "DOB", dob(child)),
                ("Screened by", staff.name, "School", staff.agency),
                ("Date", d(on)),
            ),
            Table(tuple(rows), widths=(8, 2, 2, 4)),
            kv(
                ("Number of current indicators", str(sum(row[1] == TICKED for row in rows))),
                ("Outcome", "Refer to front door and CEOP; follow the CE pathway"),
            ),
        ),
        author=staff.name,
        created=at(on, 12, 15),
    )


# --- rfs ----------------------------------------------------------------------------------------

_CONCERNS = (
    "Neglect",
    "Physical abuse",
    "Emotional abuse",
    "Sexual abuse",
    "Domestic abuse",
    "CSE",
    "CCE / county lines",
    "Harmful sexual behaviour",
    "Missing",
    "Mental health / self-harm",
    "Substance misuse",
    "Other",
)


def concern_ticks(selected: Sequence[str]) -> Table:
    """The concern tick-boxes, three to a row."""
    cells = [f"{box(label in selected)} {label}" for label in _CONCERNS]
    return Table(tuple(tuple(cells[i : i + 3]) for i in range(0, len(cells), 3)), header=False)


def _carer_rows(carers: Sequence[Carer]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("Name", "Relationship", "DOB", "Phone", "Parental resp.")]
    rows.extend(
        (c.name, c.relationship, d(c.dob), c.phone, "Yes" if c.parental_responsibility else "No")
        for c in carers
    )
    return rows


def rfs_marf(rng: random.Random) -> Sheet:
    """A multi-agency referral form (MARF) in Word tables."""
    on = dt.date(2025, 3, 11) + dt.timedelta(days=rng.randint(0, 10))
    children, carers = siblings(rng, on, 2, 3, 12)
    referrer = school_staff(rng, children[0])
    called = at(on, 10, 55)
    first = children[0]
    he, _him, his = pronoun(first)
    return Sheet(
        title="Multi-Agency Referral Form (MARF)",
        subtitle="Children's Single Point of Contact – request for service",
        blocks=(
            kv4(
                ("Date and time of referral", f"{d(on)} {called:%H:%M}"),
                ("Is any child at immediate risk?", yn(False)),
                (
                    "Discussed by phone with the front door?",
                    yn(True),
                    "Name of worker",
                    rng.choice(CSPOC_STAFF),
                ),
                ("Level of need", options(("2", "3", "4"), "4")),
                title="1. Referral",
            ),
            kv4(
                ("Are parents aware of this referral?", yn(True)),
                ("Have parents consented?", yn(True)),
                title="2. Consent",
            ),
            Table(
                (
                    ("Forename", "Surname", "DOB", "Gender", "Address", "School"),
                    *(
                        (
                            c.forenames,
                            c.surname,
                            dob(c),
                            c.gender,
                            f"{c.address}, {c.postcode}",
                            c.school,
                        )
                        for c in children
                    ),
                ),
                title="3. Children",
            ),
            Table(tuple(_carer_rows(carers)), title="4. Parents and carers"),
            kv4(
                ("Name", referrer.name, "Role", referrer.role),
                ("Agency", referrer.agency, "Telephone", referrer.phone),
                ("Email", referrer.email),
                title="5. Referrer",
            ),
            Heading("6. Nature of concern"),
            concern_ticks(("Physical abuse", "Domestic abuse")),
            Heading("7. Reason for referral"),
            Para(
                f"{first.forenames} came into school with a bruise on {his} cheek and said "
                f"that dad hit {pronoun(first)[1]} when he was shouting at mum. {he.capitalize()} "
                "was quiet and did not want to go home. This is the second injury this term."
            ),
            Heading("8. What does the child say?"),
            Para(f"'I don't like it when they fight. I hide in my room.' – {first.forenames}"),
            kv(("Signature", referrer.name), ("Date", d(on))),
        ),
        author=referrer.name,
        created=at(on, 11, 5),
    )


def rfs_early_help(rng: random.Random) -> Sheet:
    """An early help request for support with family consent."""
    on = dt.date(2025, 2, 19) + dt.timedelta(days=rng.randint(0, 10))
    children, carers = siblings(rng, on, 2, 0, 8)
    referrer = worker(rng, "early_years", "health", "voluntary")
    return Sheet(
        title="Request for Early Help Support",
        subtitle="Send to the front door. For level 2 and 3 needs; safeguarding concerns use "
        "the multi-agency referral form.",
        blocks=(
            kv4(
                ("Date of request", d(on), "Level of need", options(("2", "3"), "3")),
                ("Requested by", referrer.name, "Organisation", referrer.agency),
                ("Phone", referrer.phone, "Email", referrer.email),
            ),
            Heading("The family"),
            Table(
                (
                    ("Name", "Date of birth", "Relationship", "Address"),
                    *(
                        (c.full_name, dob(c), "Child", f"{c.address}, {c.postcode}")
                        for c in children
                    ),
                    *(
                        (c.name, d(c.dob), c.relationship, f"{c.address}, {c.postcode}")
                        for c in carers
                    ),
                )
            ),
            Heading("What help is the family asking for?"),
            Para(
                f"{carers[0].name.split()[0]} is finding it hard since the youngest was born. "
                "She would like help with routines, bedtimes and money (rent arrears). The "
                "older child has speech delay and is waiting for an assessment."
            ),
            Heading("What has already been tried?"),
            Para("Health visitor contacts; food bank voucher; nursery place from April."),
            Heading("Family consent"),
            kv(
                ("I agree to this request and to information being shared", yn(True)),
                ("Parent/carer name", carers[0].name),
                ("Date", d(on)),
            ),
        ),
        author=referrer.name,
        created=at(on, 14, 20),
    )


def rfs_police_notification(rng: random.Random) -> Sheet:
    """A police notification about children present at a domestic incident."""
    on = dt.date(2025, 1, 25) + dt.timedelta(days=rng.randint(0, 14))
    children, carers = siblings(rng, on, 3, 1, 14)
    officer = worker(rng, "police")
    incident = f"{rng.randint(100, 999)} of {on:%d%m%y}"
    father = [carer for carer in carers if carer.relationship == "Father"]
    other = f"Father ({father[0].name})" if father else "Mother's partner (not known to police)"
    blocks: list[Block] = [
        kv(
            ("Incident number", incident),
            ("Date and time of incident", f"{d(on)} {rng.randint(19, 23)}:{rng.randint(10, 59)}"),
            ("Reporting officer", f"{officer.name}, {officer.role}"),
            ("Unit", officer.agency),
            ("Contact", f"{officer.phone} / {officer.email}"),
        ),
        Heading("Children present or normally resident"),
        Table(
            (
                ("Name", "DOB", "Present?", "Seen by officer?"),
                *((c.full_name, dob(c), "Yes", "Yes") for c in children),
            )
        ),
        Heading("Adults involved"),
        Table(tuple(_carer_rows(carers))),
        Heading("Circumstances"),
        Para(
            "Police called by a neighbour to shouting and breaking glass. Mother had a "
            f"cut to her hand. {other} had left before officers arrived. Children were "
            "upstairs; the eldest said it happens 'most weekends'."
        ),
        kv(
            ("Domestic abuse risk assessment", "MEDIUM"),
            ("Referral to children's social care", yn(True)),
            ("Parent told of referral", yn(True)),
            ("Consent", "Not required – safeguarding notification"),
            ("Urgent?", yn(False)),
        ),
    ]
    return Sheet(
        title="Police Notification – Child Concern",
        subtitle="Notification to Children's Services of children affected by an incident",
        blocks=tuple(blocks),
        author=officer.name,
        created=at(on + dt.timedelta(days=1), 8, 30),
        header="OFFICIAL-SENSITIVE",
    )


def rfs_school_referral(rng: random.Random) -> Sheet:
    """A school DSL's referral to the front door."""
    on = dt.date(2025, 3, 3) + dt.timedelta(days=rng.randint(0, 14))
    school = agency_named("Estuary Academy")
    child = make_child(rng, on=on, min_age=13, max_age=15)
    dsl = make_referrer(rng, agency=school)
    mum = make_carer(
        rng,
        on=on,
        surname=child.surname,
        home=(child.address, child.postcode),
        relationship="Mother",
        oldest_child_age=age(child, on),
    )
    return Sheet(
        title="School Safeguarding Referral",
        subtitle=f"{school.name if school else 'School'} to the Children's Single Point of Contact",
        blocks=(
            kv4(
                ("Pupil name", child.full_name, "Date of birth", dob(child)),
                ("Year group", "Year 9", "UPN", f"A{rng.randint(100000000, 999999999)}"),
                ("Home address", f"{child.address}, {child.postcode}"),
                ("Parent", mum.name, "Phone", mum.phone),
            ),
            kv4(
                ("DSL", dsl.name, "Phone", dsl.phone),
                ("Email", dsl.email),
                ("Date and time", f"{d(on)} 13:10", "Phoned front door first?", yn(False)),
                ("Parent aware?", yn(True), "Consent?", yn(True)),
            ),
            Heading("Attendance"),
            Para("This year: 78%. Last year: 93%."),
            Heading("Concern"),
            concern_ticks(("Mental health / self-harm", "Emotional abuse")),
            Para(
                f"{child.forenames} showed a friend fresh cuts on {pronoun(child)[2]} arm and "
                "said home is 'unbearable' since mum's new partner moved in. Mum says the "
                "school is overreacting. The school counsellor has seen the pupil twice."
            ),
            kv(("Previous involvement with social care", "Early help in 2022")),
        ),
        author=dsl.name,
        created=at(on, 13, 25),
    )


def rfs_with_gcp_checklist(rng: random.Random) -> Sheet:
    """A health visitor's neglect referral whose attachment checklist ticks the GCP."""
    on = dt.date(2025, 2, 5) + dt.timedelta(days=rng.randint(0, 14))
    children, carers = siblings(rng, on, 2, 0, 4)
    hv = named_worker(rng, "Estuary Community Health - Health Visiting")
    attachments = (
        ("Graded Care Profile (GCP2)", True),
        ("Chronology", True),
        ("Early Help Assessment", False),
        ("Brook traffic light tool", False),
        ("Exploitation screening", False),
        ("Other", False),
    )
    return Sheet(
        title="Request for Service – Health",
        subtitle="Referral to children's social care (neglect)",
        blocks=(
            kv4(
                ("Date/time", f"{d(on)} 15:45", "Urgent?", yn(False)),
                ("Referrer", hv.name, "Role", hv.role),
                ("Service", hv.agency, "Telephone", hv.phone),
                ("Secure email", hv.email),
                ("Spoken to front door?", yn(True), "Who?", rng.choice(CSPOC_STAFF)),
            ),
            Table(
                (
                    ("Child", "DOB", "Gender", "Address"),
                    *(
                        (c.full_name, dob(c), c.gender, f"{c.address}, {c.postcode}")
                        for c in children
                    ),
                )
            ),
            Table(tuple(_carer_rows(carers))),
            kv4(("Parents aware?", yn(True), "Consent given?", yn(True))),
            Heading("Concerns"),
            concern_ticks(("Neglect",)),
            Para(
                "Home conditions have declined over six months: no working cooker, dog mess "
                "on the floors, the baby's cot full of clothes. Weight on the 2nd centile, "
                "immunisations overdue. Mother's depression is untreated. Support from the "
                "health visiting team has not led to lasting change."
            ),
            Heading("Attachments"),
            Table(
                tuple((f"{box(ticked)} {label}",) for label, ticked in attachments), header=False
            ),
            kv(("Signed", hv.name), ("Date", d(on))),
        ),
        author=hv.name,
        created=at(on, 16, 0),
    )


def rfs_hsb_brook(rng: random.Random) -> Sheet:
    """A referral about harmful sexual behaviour whose narrative cites the Brook tool."""
    on = dt.date(2025, 3, 18) + dt.timedelta(days=rng.randint(0, 10))
    school = agency_named("Saltmarsh Junior School")
    child = make_child(rng, on=on, min_age=9, max_age=10, gender="Male")
    dsl = make_referrer(rng, agency=school)
    mum = make_carer(
        rng,
        on=on,
        surname=child.surname,
        home=(child.address, child.postcode),
        relationship="Mother",
        oldest_child_age=age(child, on),
    )
    return Sheet(
        title="Referral to Children's Social Care",
        subtitle="Request for Service",
        blocks=(
            kv4(
                ("Referral date", d(on), "Time", "11:40"),
                ("Immediate risk?", yn(False), "Threshold level", "4"),
                ("Phoned C-SPOC?", yn(True), "Spoke to", rng.choice(CSPOC_STAFF)),
            ),
            kv4(
                ("Child's full name", child.full_name, "DOB", dob(child)),
                ("Address", f"{child.address}, {child.postcode}"),
                ("School", school.name if school else child.school, "Gender", child.gender),
                title="Child",
            ),
            kv4(
                ("Parent/carer", mum.name, "Phone", mum.phone),
                ("Aware of referral?", yn(True), "Consent?", yn(True)),
                title="Parent / carer",
            ),
            kv4(
                ("Name", dsl.name, "Role", dsl.role),
                ("Organisation", dsl.agency, "Phone", dsl.phone),
                title="Referrer",
            ),
            concern_ticks(("Harmful sexual behaviour", "Sexual abuse")),
            Heading("Reason for referral"),
            Para(
                f"{child.forenames} was found in the toilets trying to make a Year 3 pupil "
                "touch his penis. The younger child was crying. When asked, he said 'my cousin "
                "does it to me'. We looked at this with the Brook traffic light tool: for his "
                "age band (9–13) this is a red behaviour because of the age difference and "
                "the other child's distress. Earlier sexualised comments in class were amber."
            ),
            Heading("Action taken"),
            Para("Both children kept apart; parents of both informed; DSL notes kept."),
        ),
        author=dsl.name,
        created=at(on, 12, 5),
    )


def rfs_document1(rng: random.Random) -> Sheet:
    """A charity's request for service as label lines rather than tables, saved as Document1."""
    on = dt.date(2025, 1, 13) + dt.timedelta(days=rng.randint(0, 14))
    child, carers = one_child(rng, on, 6, 11)
    staff = worker(rng, "voluntary")
    he, him, his = pronoun(child)
    return Sheet(
        title="Request for Service",
        blocks=(
            Para(f"Date of referral: {d(on)}   Time: 09:50"),
            Para(f"Referrer: {staff.name}, {staff.role}, {staff.agency}"),
            Para(f"Contact: {staff.phone}   {staff.email}"),
            Para(f"Child: {child.full_name}   DOB: {dob(child)}   Gender: {child.gender}"),
            Para(f"Address: {child.address}, {child.postcode}"),
            Para(f"Parent/carer: {carers[0].name} ({carers[0].relationship}) {carers[0].phone}"),
            Para("Parent aware: Yes    Consent: Yes    Known to social care: Not known"),
            Para("Level of need: 3    Discussed with C-SPOC by phone: No"),
            Heading("What are you worried about?", level=2),
            Para(
                f"Mum drinks heavily most evenings. {child.forenames} has told our worker that "
                f"{he} makes {his} own tea and puts {his} little brother to bed. Twice "
                f"{he} has arrived at our after-school club hungry, and last week "
                f"{carers[0].name} collected {him} smelling of alcohol and unsteady on her feet."
            ),
            Heading("What is going well?", level=2),
            Para(
                f"Nan lives nearby and helps. {child.forenames} loves the club and says "
                f"{he} wants to be a footballer."
            ),
            Para(f"Signed: {staff.name}"),
        ),
        author=staff.name,
        created=at(on, 10, 5),
        meta_title="",
        font="Calibri",
    )


def rfs_maternity(rng: random.Random) -> Sheet:
    """A midwife's pre-birth referral (unborn baby, EDD) in plain lines."""
    on = dt.date(2025, 3, 14)
    mother_home = address(rng)
    baby = make_child(rng, on=on, min_age=0, max_age=0, home=mother_home)
    edd = on + dt.timedelta(days=rng.randint(60, 110))
    midwife = worker(rng, "health")
    mum_name = f"{rng.choice(('Kirsty', 'Gemma', 'Laura', 'Aisha'))} {baby.surname}"
    return Sheet(
        title="Maternity Safeguarding Referral to Children's Social Care",
        subtitle="Pre-birth request for service",
        blocks=(
            kv(
                ("Date and time of referral", f"{d(on)} 14:05"),
                ("Referrer", f"{midwife.name}, Community Midwife"),
                ("Team", "Estuary Maternity Unit"),
                ("Telephone", landline(rng)),
                ("Email", midwife.email),
            ),
            Heading("Unborn baby"),
            kv(
                ("Name", f"Unborn baby {baby.surname}"),
                ("EDD", d(edd)),
                ("Address", f"{mother_home[0]}, {mother_home[1]}"),
            ),
            Heading("Mother"),
            kv(
                ("Name", mum_name),
                ("Phone", mobile(rng)),
                ("Aware of referral", "Yes"),
                ("Consent", "Yes"),
            ),
            Heading("Concerns"),
            Para(
                "Mother booked late at 28 weeks. Previous child removed in 2022 after care "
                "proceedings. Reports using cocaine at weekends, stopped 'a month ago'. "
                "Partner has convictions for violence. Pre-birth assessment requested."
            ),
            Para("Threshold: Level 4.  Urgent: No.  Known to CSC: Yes (previous child)."),
        ),
        author=midwife.name,
        created=at(on, 14, 30),
    )


# --- other --------------------------------------------------------------------------------------


def letter_care_profile(rng: random.Random) -> Sheet:
    """A family support worker's letter to a parent that mentions a care profile."""
    on = dt.date(2025, 2, 12) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, on, 1, 6)
    staff = gcp_worker(rng, child, on)
    parent = carers[0]
    return Sheet(
        title=staff.agency,
        subtitle=f"{parent.name}\n{parent.address}\n{parent.postcode}\n\n{long(on)}",
        blocks=(
            Para(f"Dear {parent.name.split()[0]},"),
            Para(
                f"Thank you for seeing me at home on {long(on - dt.timedelta(days=5))}. It was "
                f"lovely to meet {child.forenames} and see how much {pronoun(child)[0]} enjoys "
                "the new nursery."
            ),
            Para(
                "As we discussed, over the next few weeks I would like to complete a care "
                "profile with you. This is a way of looking together at the everyday things "
                "you do for your child – meals, sleep, keeping safe at home, play and "
                "praise – and noting what is going well and where some extra help might make "
                "a difference. It is not a test, and you will see everything I write."
            ),
            Para(
                "I will visit again on Tuesday at 10am. If that time does not suit you, please "
                f"ring me on {staff.phone}."
            ),
            Para(f"Yours sincerely,\n\n{staff.name}\n{staff.role}"),
        ),
        author=staff.name,
        created=at(on, 9, 0),
        header="",
        meta_title="Letter",
    )


def chronology(rng: random.Random) -> Sheet:
    """A multi-agency chronology that notes a GCP completed in 2024."""
    on = dt.date(2025, 3, 3)
    child, carers = one_child(rng, on, 4, 9)
    staff = school_staff(rng, child) if rng.random() < 0.5 else staff_at(rng, SCHOOL_NURSING)
    mum = carers[0].name.split()[0]
    events = (
        (dt.date(2023, 5, 9), "Health visitor", "Home conditions poor; advice given.", "Low"),
        (dt.date(2023, 11, 20), "Police", "Called to argument between mum and partner.", "Med"),
        (
            dt.date(2024, 3, 4),
            "Health visitor",
            "GCP completed in 2024 (March) by health visitor – physical care and safety "
            "graded as concerns. Copy held by health.",
            "Med",
        ),
        (dt.date(2024, 6, 17), "School", "Attendance 82%; often hungry on Mondays.", "Med"),
        (dt.date(2024, 10, 1), "Early help", f"Family support started; {mum} engaging.", "Low"),
        (dt.date(2025, 1, 28), "School", "Head lice and same uniform all week.", "Med"),
        (dt.date(2025, 2, 24), "GP", f"{mum} seen for low mood; medication started.", "Low"),
    )
    return Sheet(
        title=f"Chronology – {child.full_name} (DOB {dob(child)})",
        subtitle=f"Compiled by {staff.name}, {staff.agency}, {d(on)}",
        blocks=(
            Table(
                (
                    ("Date", "Agency", "Event and impact on the child", "Level"),
                    *((d(day), agency, text, level) for day, agency, text, level in events),
                ),
                widths=(2, 3, 10, 1),
            ),
            Para(
                "Key: Low / Med / High is the compiler's view of the impact on the child at "
                "the time."
            ),
        ),
        author=staff.name,
        created=at(on, 12, 0),
    )


def strategy_minutes(rng: random.Random) -> Sheet:
    """Strategy meeting minutes that talk about criminal exploitation and the CE pathway."""
    on = dt.date(2025, 2, 26) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, on, 14, 16, "Male")
    chair = rng.choice(CSPOC_STAFF)
    people = [
        staff_at(rng, "Police Safeguarding Hub (Southend District)"),
        school_staff(rng, child),
        staff_at(rng, SCHOOL_NURSING, EMERGENCY_DEPT),
        staff_at(rng, FAMILY_SUPPORT),
    ]
    return Sheet(
        title="Strategy Meeting – Minutes",
        subtitle=f"Held by Teams on {long(on)} at 14:00. Chair: {chair} (Team Manager)",
        blocks=(
            kv4(
                ("Child", child.full_name, "DOB", dob(child)),
                ("Address", f"{child.address}, {child.postcode}"),
            ),
            Table(
                (
                    ("Attendee", "Role", "Agency"),
                    *((p.name, p.role, p.agency) for p in people),
                ),
                title="Present",
            ),
            Heading("1. Reason for the meeting"),
            Para(
                f"{child.forenames} was found by police in Colchester with wraps of cocaine and "
                "£300. Concerns about criminal exploitation and county lines."
            ),
            Heading("2. Information shared"),
            Para(
                "Police: intelligence links the phone to a known line; partner intelligence "
                "forms received from school last month. School: attendance 54%; reduced "
                "timetable. Health: attended A&E in January with a stab wound to the leg, "
                f"explained as an accident. Youth service: {child.forenames} says he owes money."
            ),
            Heading("3. Decision"),
            Para(
                "Threshold for section 47 enquiries met. Single agency police investigation "
                "into the adults. Exploitation risk to be assessed under the CE pathway at the "
                "next exploitation panel."
            ),
            Table(
                (
                    ("Action", "Who", "By when"),
                    ("Section 47 visit and see child alone", "Social worker", d(on)),
                    ("NRM referral", "Social worker", d(on + dt.timedelta(days=5))),
                    ("Share intelligence update", people[0].name, d(on + dt.timedelta(days=3))),
                    (f"Inform {carers[0].name}", "Social worker", d(on)),
                ),
                title="Actions",
            ),
        ),
        author=chair,
        created=at(on, 16, 30),
    )


def attendance_report(rng: random.Random) -> Sheet:
    """A school attendance report: sessions, percentages, codes."""
    on = dt.date(2025, 3, 7)
    school = agency_named("Thamesmouth High School")
    child = make_child(rng, on=on, min_age=12, max_age=15)
    officer = make_referrer(rng, agency=school)
    weeks: list[tuple[str, ...]] = [("Week beginning", "Mon", "Tue", "Wed", "Thu", "Fri")]
    codes = ("/\\", "/\\", "/\\", "N N", "L\\", "O O", "M M", "I I")
    present = 0
    total = 0
    start = dt.date(2025, 1, 6)
    for week in range(9):
        monday = start + dt.timedelta(weeks=week)
        row = [rng.choice(codes) for _ in range(5)]
        present += sum(code in ("/\\", "L\\") for code in row)
        total += 5
        weeks.append((d(monday), *row))
    return Sheet(
        title="Pupil Attendance Report",
        subtitle=f"{school.name if school else 'School'} – Spring term 2025",
        blocks=(
            kv(
                ("Pupil", child.full_name),
                ("Date of birth", dob(child)),
                ("Tutor group", "9RW"),
                ("Printed by", f"{officer.name} ({officer.role})"),
            ),
            Table(tuple(weeks)),
            kv(
                ("Attendance this term", f"{100 * present // total}%"),
                ("Persistent absence threshold", "Below 90%"),
            ),
            Para(
                "Codes: / \\ present (am/pm); L late before registers closed; N no reason "
                "yet; O unauthorised; M medical; I illness."
            ),
        ),
        author=officer.name,
        created=at(on, 8, 45),
        meta_title="",
        header="",
    )


def hv_letter(rng: random.Random) -> Sheet:
    """A health visitor's letter to the GP that mentions neglect."""
    on = dt.date(2025, 2, 17) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, on, 0, 2)
    hv = named_worker(rng, "Estuary Community Health - Health Visiting")
    gp = named_worker(rng, "Seafront Surgery")
    return Sheet(
        title="Estuary Community Health – Health Visiting Service",
        subtitle=f"{long(on)}\n\nDr {gp.name.split()[-1]}\nSeafront Surgery",
        blocks=(
            Para(f"Re: {child.full_name}, DOB {dob(child)}, {child.address}, {child.postcode}"),
            Para(f"Dear Dr {gp.name.split()[-1]},"),
            Para(
                f"I visited {child.forenames} and {carers[0].name} at home on "
                f"{long(on - dt.timedelta(days=3))} for the one-year review. Weight has "
                "dropped from the 25th to the 9th centile. The flat was cold, there was little "
                "food and the baby's nappy had not been changed for some hours."
            ),
            Para(
                "I am worried that these are signs of neglect. I have discussed my concerns "
                "with mum, who agreed to a weight check at the clinic next week and to "
                "an appointment with you about her own low mood. I have also spoken to my "
                "safeguarding supervisor."
            ),
            Para(
                "I would be grateful if you could review the baby and let me know of any "
                "missed appointments."
            ),
            Para(f"Yours sincerely,\n\n{hv.name}\n{hv.role}\n{hv.phone}"),
        ),
        author=hv.name,
        created=at(on, 15, 10),
        header="",
    )


def camhs_letter(rng: random.Random) -> Sheet:
    """A CAMHS clinic letter after an assessment."""
    on = dt.date(2025, 3, 20) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, on, 12, 16)
    she, her, _her = pronoun(child)
    clinician = rng.choice(("Dr Ruth Abernathy", "Dr Kwame Osei", "Jo Pritchard"))
    return Sheet(
        title="Child and Adolescent Mental Health Service (CAMHS)",
        subtitle=f"Estuary Getting Help Team\n{long(on)}",
        blocks=(
            Para(f"To: {carers[0].name}, {child.address}, {child.postcode}"),
            Para("cc: GP; school nurse"),
            Para(f"Re: {child.full_name} (DOB {dob(child)})", bold=True),
            Para(
                f"Thank you for bringing {child.forenames} to the clinic on "
                f"{long(on - dt.timedelta(days=6))}. We talked about low mood, poor sleep and "
                f"the scratching to {her} forearms, which {she} says started after exams. "
                f"{she.capitalize()} described no plans to end {her} life."
            ),
            Para(
                "Plan: six sessions of cognitive behavioural therapy starting next month; "
                "safety plan agreed with you both; school to allow time out of lessons."
            ),
            Para(
                "If you are worried about immediate safety, contact the crisis line or attend "
                "the Emergency Department."
            ),
            Para(f"Yours sincerely,\n\n{clinician}\nCAMHS clinician"),
        ),
        author=clinician,
        created=at(on, 11, 40),
        header="Private and confidential",
    )


def invoice(rng: random.Random) -> Sheet:
    """An interpreting service's invoice to the council."""
    on = dt.date(2025, 3, 11)
    number = f"INV-{rng.randint(10000, 99999)}"
    lines = (
        ("Interpreter (Polish) – child protection conference, 2 hrs", 2, 38.0),
        ("Interpreter (Polish) – home visit, 1.5 hrs", 1.5, 38.0),
        ("Travel", 1, 12.6),
    )
    rows: list[tuple[str, ...]] = [("Description", "Qty", "Rate (£)", "Amount (£)")]
    net = 0.0
    for text, qty, rate in lines:
        amount = qty * rate
        net += amount
        rows.append((text, f"{qty:g}", f"{rate:.2f}", f"{amount:.2f}"))
    vat = round(net * 0.2, 2)
    return Sheet(
        title="INVOICE",
        subtitle="Harbourside Interpreting Services Ltd\nUnit 4, Lightship Grove, "
        "Southend-on-Sea\nVAT reg. GB 000 0000 00",
        blocks=(
            kv(
                ("Invoice number", number),
                ("Date", d(on)),
                ("Bill to", "Children's Services Finance, Civic Centre"),
                ("Purchase order", f"PO{rng.randint(100000, 999999)}"),
            ),
            Table(tuple(rows), widths=(8, 1, 2, 2)),
            kv(
                ("Net", f"£{net:.2f}"),
                ("VAT at 20%", f"£{vat:.2f}"),
                ("Total due", f"£{net + vat:.2f}"),
            ),
            Para("Payment within 30 days by BACS. Sort code 00-00-00, account 00000000."),
        ),
        author="Accounts",
        created=at(on, 9, 5),
        meta_title="",
        header="",
    )


def return_home_interview(rng: random.Random) -> Sheet:
    """A missing-episode return home interview with a short exploitation section.

    It is mainly a return interview (episode details, the child's account, push and pull
    factors), so its kind is ``other``, not ``exploitation_tool``.
    """
    on = dt.date(2025, 2, 7) + dt.timedelta(days=rng.randint(0, 10))
    child, carers = one_child(rng, on, 13, 16)
    he, _him, his = pronoun(child)
    staff = worker(rng, "voluntary")
    went = on - dt.timedelta(days=3)
    return Sheet(
        title="Return Home Interview",
        subtitle="Missing from home – independent return interview record",
        blocks=(
            kv4(
                ("Young person", child.full_name, "DOB", dob(child)),
                ("Parent/carer", carers[0].name, "Phone", carers[0].phone),
                (
                    "Reported missing",
                    f"{d(went)} 22:30",
                    "Found / returned",
                    f"{d(went + dt.timedelta(days=1))} 07:15",
                ),
                (
                    "Police reference",
                    f"{rng.randint(40, 42)}/{rng.randint(10000, 99999)}/25",
                    "Episode number",
                    str(rng.randint(2, 6)),
                ),
                ("Interviewer", staff.name, "Date of interview", d(on)),
            ),
            Heading("Where did you go and who were you with?"),
            Para(
                f"{child.forenames} said {he} stayed at a friend's house on the estate after "
                f"an argument at home about {his} phone. Did not want to say the friend's "
                "surname."
            ),
            Heading("Why did you go? (push and pull factors)"),
            Para("Arguments with mum's partner; wanted to be with friends; felt 'nobody cares'."),
            Heading("Were you safe? Did anything happen that worried you?"),
            Para(f"Says {he} was safe, had food, and slept on the sofa."),
            Heading("Exploitation indicators considered"),
            Table(
                (
                    (f"{box(False)} Gifts, money or new phone", f"{box(False)} Older adults"),
                    (f"{box(True)} Secretive about where", f"{box(False)} Travel out of area"),
                ),
                header=False,
            ),
            Heading("What would help?"),
            Para(
                "Family mediation; youth club referral; share with the missing coordinator. "
                "No further exploitation screening felt necessary at this stage."
            ),
        ),
        author=staff.name,
        created=at(on, 17, 0),
    )


# --- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One held-out file: its kind (the answer), file stem, format and builder."""

    kind: Kind
    name: str
    fmt: Format
    build: Callable[[random.Random], Sheet]

    @property
    def filename(self) -> str:
        """The attachment's file name."""
        return f"{self.name}{SUFFIX[self.fmt]}"

    @property
    def path(self) -> str:
        """``<kind>/<file name>`` under the held-out folder."""
        return f"{self.kind}/{self.filename}"

    @property
    def expected_path(self) -> str:
        """``<kind>/<case>.expected.json`` under the held-out folder."""
        return f"{self.kind}/{self.name}.expected.json"


CASES: tuple[Case, ...] = (
    Case("gcp", "Neglect Toolkit - Graded Care Profile", "docx", gcp_neglect_toolkit),
    Case("gcp", "GCP scoring sheet v1", "pdf", gcp_v1_scoring),
    Case("gcp", "GCP summary sheet", "pdf-plain", gcp_summary_sheet),
    Case("gcp", "GCP2 partial - physical care and safety", "docx", gcp_partial),
    Case("gcp", "Graded Care Profile template (blank)", "docx", gcp_blank_template),
    Case("gcp", "scan0007", "pdf-plain", gcp_scan0007),
    Case("gcp", "assessment", "docx", gcp_assessment_docx),
    Case("gcp", "care profile - grades in words", "pdf", gcp_grades_in_words),
    Case("brook_tool", "traffic light record completed", "docx", brook_completed_record),
    Case("brook_tool", "HSB screening note", "pdf-plain", brook_hsb_screening),
    Case("brook_tool", "sexual behaviours guidance table", "pdf", brook_guidance_table),
    Case("brook_tool", "Sexualised behaviour record Y4", "docx", brook_school_record),
    Case("brook_tool", "behaviours log (green orange red)", "docx", brook_orange_log),
    Case("brook_tool", "IMG scan 12", "pdf-plain", brook_img_scan),
    Case("brook_tool", "TLT_obs_form", "docx", brook_nursery_obs),
    Case("brook_tool", "Brook TLT worksheet", "pdf", brook_reflection),
    Case("exploitation_tool", "CE Pathway screening", "docx", ce_pathway_screening),
    Case("exploitation_tool", "Partner Intelligence Submission", "pdf", partner_intel_form),
    Case("exploitation_tool", "Risk in the Community tool", "docx", risk_in_community_tool),
    Case("exploitation_tool", "CSE screening tool", "pdf", cse_screening_tool),
    Case("exploitation_tool", "county lines checklist", "docx", county_lines_checklist),
    Case("exploitation_tool", "document(3)", "pdf-plain", cce_screening_document3),
    Case("exploitation_tool", "CSE risk and vulnerabilities", "docx", cse_risk_vulnerability),
    Case("exploitation_tool", "online CSE screening", "pdf", online_cse_screening),
    Case("rfs", "MARF", "docx", rfs_marf),
    Case("rfs", "Early Help Request", "pdf", rfs_early_help),
    Case("rfs", "Police notification - child concern", "pdf-plain", rfs_police_notification),
    Case("rfs", "School referral", "docx", rfs_school_referral),
    Case("rfs", "HV referral with attachments", "docx", rfs_with_gcp_checklist),
    Case("rfs", "RFS HSB", "pdf", rfs_hsb_brook),
    Case("rfs", "Document1", "docx", rfs_document1),
    Case("rfs", "referral 14-03", "pdf-plain", rfs_maternity),
    Case("other", "letter to parent", "docx", letter_care_profile),
    Case("other", "chronology", "docx", chronology),
    Case("other", "strategy meeting minutes", "pdf", strategy_minutes),
    Case("other", "attendance", "pdf-plain", attendance_report),
    Case("other", "HV letter to GP", "docx", hv_letter),
    Case("other", "CAMHS letter", "pdf", camhs_letter),
    Case("other", "20250311_invoice", "pdf", invoice),
    Case("other", "RHI - missing episode", "docx", return_home_interview),
)


def build_case(case: Case) -> tuple[bytes, dict[str, str]]:
    """The file's bytes and its expectation (``{"kind": ...}``); the same every time."""
    sheet = case.build(rng_for(f"heldout-kinds/{case.kind}/{case.name}"))
    return RENDERERS[case.fmt](sheet), {"kind": case.kind}


__all__ = [
    "CASES",
    "KINDS",
    "Case",
    "Sheet",
    "build_case",
    "render_docx",
    "render_pdf",
    "render_pdf_plain",
]
