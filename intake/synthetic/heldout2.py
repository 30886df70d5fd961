"""A second held-out corpus: referral forms in six layouts the parsers were never written against.

Synthetic test document: every person and detail in it is fictional. The people come from
:mod:`intake.synthetic.people` (invented names and streets, Ofcom drama-range telephone numbers,
``example`` mail domains); every rendered file carries
:data:`intake.synthetic.render.FICTION_NOTICE`.

Each template is loosely modelled on a *kind* of real form (named in its comment) but worded
afresh, so that a parser tuned on the project's own templates meets new labels, new date styles
and new layouts here:

* ``border-marf``: a Welsh-border style Multi-Agency Referral Form, one long 3-column table
  (number | question | answer) numbered 1.1 … 5.4.
* ``early-help-notification``: an English county Early Help Notification, page 1 the
  practitioner, page 2 the family, shaded heading rows and each answer in the cell below its
  question.
* ``paediatric-liaison``: an acute-trust paediatric safeguarding liaison referral, UPPER CASE
  labels ending in a colon, dates ``03-Apr-2019`` and times ``1430hrs``.
* ``cme-welfare``: a school's Children Missing Education / welfare concern form, Yes/No written
  as ``Y``/``N``, a pupil grid, the referrer block at the end.
* ``housing-alert``: a housing provider's safeguarding alert typed as paragraphs, each a bold
  inline label followed by the answer with no colon.
* ``boxed-request``: a flattened fillable PDF, every answer in a ruled box under a small label
  printed in the box's top-left corner.

:func:`corpus` returns every file of the corpus with what ``intake parse --json`` should say
about it (the ``expected`` dict); ``tests/data/heldout2/build.py`` writes them to disk.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, cast

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.fonts import FontFace

from intake.synthetic.people import (
    CONCERN_CODES,
    Agency,
    Child,
    Referrer,
    agency_named,
    make_child,
    make_family,
    make_referrer,
)
from intake.synthetic.render import FICTION_NOTICE, fixed_zip
from parsers.fields import FIELD_NAMES

TICKED = "☒"
UNTICKED = "☐"
#: What Word shows in an unfilled text content control.
PLACEHOLDER = "Click here to enter text."
#: What Word shows in an unfilled drop-down content control.
CHOOSE = "Choose an item."

#: Contract §3 field names, in contract order.
FIELD_ORDER: tuple[str, ...] = FIELD_NAMES  # the contract's names, declared once
_ALL = frozenset(FIELD_ORDER)


# --- the case model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One referral as it is written on one form (names, case and blanks exactly as written).

    Tri-state answers are ``"yes"``, ``"no"``, ``"unknown"`` or ``None`` (left blank); yes/no
    answers are ``True``, ``False`` or ``None`` (left blank). Empty strings are blanks.
    """

    template: str
    stem: str
    fmt: str
    written: dt.datetime
    #: The form gives a time of referral (else only the date is written).
    time_given: bool
    referrer: Referrer
    children: tuple[Child, ...]
    narrative: str
    urgent: bool | None = False
    phoned: bool | None = False
    phoned_at: dt.datetime | None = None
    phoned_time_given: bool = True
    phoned_to: str = ""
    threshold: int | None = None
    #: Other children / adults at the address, written as lines (not subjects of the referral).
    household: tuple[str, ...] = ()
    carers: tuple[str, ...] = ()
    parents_aware: str | None = "yes"
    consent: str | None = "yes"
    consent_reason: str = ""
    dsl: bool | None = True
    known: str | None = "no"
    #: Concern codes ticked (or marked ``Y``) on the form.
    ticked: tuple[str, ...] = ()
    #: Concern codes the narrative plainly states.
    stated: tuple[str, ...] = ()
    gcp: bool | None = False
    known_as: str = ""


@dataclass(frozen=True)
class Output:
    """One file of the corpus and what a parser should read from it."""

    template: str
    filename: str
    data: bytes
    expected: dict[str, Any]


def _postcode(code: str) -> str:
    compact = "".join(code.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _gender(value: str) -> str | None:
    return {"male": "male", "female": "female", "unknown": "unknown"}.get(value.lower())


def _stamp(when: dt.datetime | None, with_time: bool) -> str | None:
    if when is None:
        return None
    return when.strftime("%Y-%m-%dT%H:%M") if with_time else when.date().isoformat()


def _child_contract(child: Child) -> dict[str, Any]:
    return {
        "forenames": child.forenames or None,
        "surname": child.surname or None,
        "dob": child.dob.isoformat() if child.dob else None,
        "gender": _gender(child.gender),
        "address": child.address or None,
        "postcode": _postcode(child.postcode) or None,
    }


def expected(case: Case, places: frozenset[str]) -> dict[str, Any]:
    """What ``intake parse --json`` should say about ``case`` on a form with ``places``."""
    first = _child_contract(case.children[0])
    ref = case.referrer
    values: dict[str, Any] = {
        "referral_datetime": _stamp(case.written, case.time_given),
        "urgent": case.urgent,
        "phoned": case.phoned,
        "phoned_at": _stamp(case.phoned_at, case.phoned_time_given),
        "phoned_to": case.phoned_to or None,
        "threshold_level": case.threshold,
        "referrer_name": ref.name or None,
        "referrer_role": ref.role or None,
        "referrer_agency": ref.agency or None,
        "referrer_phone": ref.phone or None,
        "referrer_email": ref.email or None,
        **{f"child_{key}": value for key, value in first.items()},
        "parents_aware": case.parents_aware,
        "consent": case.consent,
        "consent_refused_reason": " ".join(case.consent_reason.split()) or None,
        "dsl_consulted": case.dsl,
        "known_to_csc": case.known,
        "concern_narrative": " ".join(case.narrative.split()) or None,
        "gcp_attached_claimed": case.gcp,
    }
    return {
        "kind": "rfs",
        "template": "unknown",
        "fields": {name: values[name] for name in FIELD_ORDER if name in places},
        "children": [_child_contract(child) for child in case.children],
        "concerns": [c for c in CONCERN_CODES if c in case.ticked or c in case.stated],
    }


# --- people -------------------------------------------------------------------------------------


def _agency(name: str) -> Agency:
    found = agency_named(name)
    assert found is not None, name
    return found


def _people(
    seed: str,
    on: dt.date,
    *,
    subjects: int = 1,
    siblings: tuple[int, int] | None = None,
    min_age: int = 0,
    max_age: int = 16,
    agency: str | None = None,
) -> tuple[Referrer, tuple[Child, ...], tuple[Child, ...], tuple[str, ...]]:
    """A referrer, the children referred, one sibling only listed (aged ``siblings``), carers.

    Brothers and sisters are at least ten months apart, and the referrer never shares the
    family's surname (either would make a form ambiguous in a way real forms rarely are).
    """
    for attempt in range(100):
        rng = random.Random(f"heldout2|{seed}|{attempt}")
        kids, carers = make_family(
            rng, on=on, n_children=subjects, min_age=min_age, max_age=max_age
        )
        sibs: tuple[Child, ...] = ()
        if siblings is not None:
            first = kids[0]
            sibs = (
                make_child(
                    rng,
                    on=on,
                    surname=first.surname,
                    home=(first.address, first.postcode),
                    min_age=siblings[0],
                    max_age=siblings[1],
                ),
            )
        referrer = make_referrer(rng, agency=_agency(agency) if agency else None)
        dobs = sorted(child.dob for child in kids + sibs if child.dob is not None)
        names = [child.forenames for child in kids + sibs]
        if (
            all((b - a).days >= 300 for a, b in itertools.pairwise(dobs))
            and len(set(names)) == len(names)
            and referrer.name.split()[-1] != kids[0].surname
        ):
            carer_lines = tuple(f"{c.name} ({c.relationship})" for c in carers)
            return referrer, kids, sibs, carer_lines
    raise AssertionError(f"no plausible family for {seed}")


def _first(child: Child) -> str:
    return child.forenames.split()[0]


def _sibling_word(child: Child) -> str:
    return "sister" if child.gender == "Female" else "brother"


# --- date and tick styles -----------------------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def d_dots(day: dt.date) -> str:
    """``04.03.19``."""
    return day.strftime("%d.%m.%y")


def d_long(day: dt.date) -> str:
    """``4 March 2019``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def d_ordinal(day: dt.date) -> str:
    """``4th March 2019``."""
    n = day.day
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} {_MONTHS[day.month - 1]} {day.year}"


def d_hosp(day: dt.date) -> str:
    """``03-Apr-2019``."""
    return f"{day.day:02d}-{_MONTHS[day.month - 1][:3]}-{day.year}"


def d_slash(day: dt.date) -> str:
    """``04/03/2019``."""
    return day.strftime("%d/%m/%Y")


def t_hrs(when: dt.datetime) -> str:
    """``1430hrs``."""
    return f"{when.hour:02d}{when.minute:02d}hrs"


def t_ampm(when: dt.datetime) -> str:
    """``10.45am``."""
    hour = when.hour % 12 or 12
    return f"{hour}.{when.minute:02d}{'am' if when.hour < 12 else 'pm'}"


def ticks(options: Sequence[str], chosen: Collection[str], sep: str = "   ") -> str:
    """``☒ Yes   ☐ No``."""
    return sep.join(f"{TICKED if o in chosen else UNTICKED} {o}" for o in options)


def yn_choice(value: bool | None, yes: str = "Yes", no: str = "No") -> set[str]:
    """The options ticked for a yes/no answer."""
    if value is None:
        return set()
    return {yes if value else no}


def tri_choice(value: str | None, words: tuple[str, str, str]) -> set[str]:
    """The option ticked for a yes/no/unknown answer, ``words`` being the form's wording."""
    if value is None:
        return set()
    chosen = dict(zip(("yes", "no", "unknown"), words, strict=True))[value]
    assert chosen != "-", "this question has no 'unknown' option"
    return {chosen}


def _or(text: str, blank: str = PLACEHOLDER) -> str:
    return text if text else blank


def latin(text: str) -> str:
    """``text`` safe for fpdf2's core fonts: tick glyphs become ``[X]``/``[ ]``."""
    for old, new in (
        (TICKED, "[X]"),
        (UNTICKED, "[ ]"),
        ("–", "-"),
        ("—", "-"),
        ("‘", "'"),
        ("’", "'"),
        ("“", '"'),
        ("”", '"'),
    ):
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


# --- renderer plumbing --------------------------------------------------------------------------


def _docx(font: str, size: float, header: str) -> DocxDocument:
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    section = document.sections[0]
    section.left_margin = section.right_margin = Mm(18)
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = FICTION_NOTICE
    return document


def _docx_bytes(document: DocxDocument, title: str, when: dt.datetime) -> bytes:
    props = document.core_properties
    props.title = title
    props.author = "Synthetic test data"
    props.last_modified_by = "Synthetic test data"
    props.created = when
    props.modified = when
    props.revision = 1
    props.comments = FICTION_NOTICE
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), when)


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _cell_lines(cell: _Cell, lines: Sequence[str], *, bold: bool = False) -> None:
    """Write ``lines`` into ``cell``, one paragraph each."""
    first, *rest = list(lines) or [""]
    paragraph = cell.paragraphs[0]
    paragraph.add_run(first).bold = bold
    for line in rest:
        cell.add_paragraph().add_run(line).bold = bold


class _NoticePDF(FPDF):
    """An A4 page with the fiction notice in every footer."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, FICTION_NOTICE, align="C")
        self.set_text_color(0, 0, 0)


def _pdf(title: str, when: dt.datetime) -> _NoticePDF:
    pdf = _NoticePDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(14, 14, 14)
    pdf.set_title(title)
    pdf.set_author("Synthetic test data")
    pdf.set_subject(FICTION_NOTICE)
    pdf.set_creator("cspoc-intake heldout2 corpus")
    pdf.set_creation_date(when.replace(tzinfo=dt.UTC))
    pdf.add_page()
    return pdf


def _pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


# --- shared row model: section rows and question rows (templates 1 and 2) -----------------------


@dataclass(frozen=True)
class Sec:
    """A shaded heading row spanning the table."""

    title: str


@dataclass(frozen=True)
class Q:
    """A question and its answer (one string per line); ``num`` only in numbered forms."""

    num: str
    question: str
    answer: tuple[str, ...]


Row = Sec | Q


def _a(*lines: str) -> tuple[str, ...]:
    return tuple(lines)


# --- template 1: border-marf --------------------------------------------------------------------
# Modelled loosely on the multi-agency referral forms used along the Wales-England border
# (Powys / Shropshire / Herefordshire style): one long table of numbered questions
# "1.1 … 1.12", number | question | answer.

T1 = "border-marf"
T1_PLACES = _ALL
T1_CONCERNS: tuple[tuple[str, str], ...] = (
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse / non-accidental injury"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("cse", "Child sexual exploitation"),
    ("cce", "Criminal exploitation / county lines"),
    ("missing", "Missing episodes"),
    ("mental_health", "Emotional wellbeing / mental health"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Drugs / alcohol"),
    ("other", "Other (please describe below)"),
)
_T1_LEVELS = (
    "Level 1 – Universal",
    "Level 2 – Early help",
    "Level 3 – Targeted / complex",
    "Level 4 – Specialist / statutory",
)


def _t1_rows(case: Case) -> list[Row]:
    ref = case.referrer
    if case.phoned is None:
        phone_call = PLACEHOLDER
    elif not case.phoned:
        phone_call = "No"
    else:
        assert case.phoned_at is not None
        phone_call = (
            f"Yes – spoke to {case.phoned_to} on {d_dots(case.phoned_at.date())} "
            f"at {case.phoned_at:%H:%M}"
        )
    rows: list[Row] = [
        Sec("SECTION 1 – ABOUT THIS REFERRAL"),
        Q("1.1", "Date of referral", _a(d_dots(case.written.date()))),
        Q("1.2", "Time of referral", _a(f"{case.written:%H:%M}" if case.time_given else "")),
        Q(
            "1.3",
            "Is this an emergency? (is the child at immediate risk of significant harm?)",
            _a(ticks(("Yes", "No"), yn_choice(case.urgent))),
        ),
        Q(
            "1.4",
            "Level of need identified",
            tuple(
                ticks((level,), {_T1_LEVELS[case.threshold - 1]} if case.threshold else set())
                for level in _T1_LEVELS
            ),
        ),
        Q(
            "1.5",
            "Have the parents/carers been informed of this referral?",
            _a(
                ticks(
                    ("Yes", "No", "Not known"),
                    tri_choice(case.parents_aware, ("Yes", "No", "Not known")),
                )
            ),
        ),
        Q(
            "1.6",
            "Do you have consent to share information?",
            _a(ticks(("Yes", "No"), tri_choice(case.consent, ("Yes", "No", "-")))),
        ),
        Q("1.7", "Reason consent not obtained", _a(_or(case.consent_reason))),
        Q(
            "1.8",
            "Have you talked this through with your safeguarding lead?",
            _a(ticks(("Yes", "No"), yn_choice(case.dsl))),
        ),
        Q(
            "1.9",
            "Has the family had previous involvement with Children's Services?",
            _a(
                ticks(
                    ("Yes", "No", "Don't know"), tri_choice(case.known, ("Yes", "No", "Don't know"))
                )
            ),
        ),
        Q(
            "1.10",
            "Did you call the front door before sending this? "
            "Name of worker / date and time of call",
            _a(phone_call),
        ),
        Q("1.11", "Other agencies currently involved", _a("GP; school nursing service")),
        Q(
            "1.12",
            "Documents enclosed with this form",
            _a(
                ticks(("Graded Care Profile 2",), {"Graded Care Profile 2"} if case.gcp else set()),
                ticks(("Chronology",), set()),
                ticks(("Early Help Assessment",), set()),
                ticks(("Other",), set()),
            ),
        ),
    ]
    rows.append(Sec("SECTION 2 – THE CHILD / YOUNG PERSON (repeat for each child referred)"))
    n = 1
    for index, child in enumerate(case.children, start=1):
        if len(case.children) > 1:
            rows.append(Sec(f"Child {index} of {len(case.children)}"))
        dob = d_dots(child.dob) if child.dob else PLACEHOLDER
        rows += [
            Q(f"2.{n}", "Family surname", _a(child.surname)),
            Q(f"2.{n + 1}", "Given name(s)", _a(child.forenames)),
            Q(f"2.{n + 2}", "Child known as", _a(_or(case.known_as if index == 1 else ""))),
            Q(f"2.{n + 3}", "Date of birth (or expected date of delivery)", _a(dob)),
            Q(f"2.{n + 4}", "Gender identity", _a(_or(child.gender))),
            Q(f"2.{n + 5}", "Current address", _a(child.address)),
            Q(f"2.{n + 6}", "Postcode", _a(child.postcode)),
            Q(f"2.{n + 7}", "School / setting", _a(_or(child.school))),
        ]
        n += 8
    rows += [
        Sec("SECTION 3 – HOUSEHOLD"),
        Q("3.1", "Parents / carers (name and relationship)", case.carers),
        Q(
            "3.2",
            "Other children in the household (not the subject of this referral)",
            case.household or _a("None"),
        ),
        Sec("SECTION 4 – REFERRER DETAILS"),
        Q("4.1", "Your name", _a(_or(ref.name))),
        Q("4.2", "Referrer's job title", _a(_or(ref.role))),
        Q("4.3", "Your organisation", _a(_or(ref.agency))),
        Q("4.4", "Best contact number", _a(_or(ref.phone))),
        Q("4.5", "Your secure e-mail", _a(_or(ref.email))),
        Sec("SECTION 5 – YOUR CONCERNS"),
        Q(
            "5.1",
            "Category of concern (tick all that apply)",
            tuple(
                ticks((label,), {label} if code in case.ticked else set())
                for code, label in T1_CONCERNS
            ),
        ),
        Q("5.2", "Please describe your concerns", tuple(case.narrative.split("\n"))),
        Q("5.3", "What has been done so far and by whom?", _a(PLACEHOLDER)),
        Q("5.4", "What does the child say? (child's voice)", _a(PLACEHOLDER)),
    ]
    return rows


def _t1_docx(case: Case) -> bytes:
    title = "MULTI-AGENCY REFERRAL FORM (MARF)"
    document = _docx("Arial", 9.5, "OFFICIAL – SENSITIVE when complete")
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    heading.runs[0].font.size = Pt(15)
    document.add_paragraph(
        "Border Counties Safeguarding Children Partnership (fictional). Complete every "
        "question. If a child is at immediate risk, telephone the front door first."
    )
    rows = _t1_rows(case)
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    widths = (Mm(14), Mm(70), Mm(90))
    for row in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if isinstance(row, Sec):
            merged = cells[0].merge(cells[2])
            _cell_lines(merged, [row.title], bold=True)
            _shade(merged, "BFBFBF")
        else:
            _cell_lines(cells[0], [row.num])
            _cell_lines(cells[1], [row.question], bold=True)
            _cell_lines(cells[2], row.answer)
    document.add_paragraph()
    document.add_paragraph("Signed: " + _or(case.referrer.name, "") + "    (electronic signature)")
    return _docx_bytes(document, title, case.written)


def _rows_pdf(
    pdf: FPDF, rows: Sequence[Row], widths: tuple[float, ...], *, below: bool = False
) -> None:
    """Rows as an fpdf2 table: three columns, or one column with answers ``below``."""
    shaded = FontFace(emphasis="BOLD", fill_color=(200, 200, 200))
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=widths,
        first_row_as_headings=False,
        text_align="LEFT",
        line_height=4.6,
        padding=1.2,
    ) as table:
        for item in rows:
            if isinstance(item, Sec):
                table.row().cell(latin(item.title), colspan=len(widths), style=shaded)
            elif below:
                table.row().cell(latin(item.question), style=bold)
                table.row().cell(latin("\n".join(item.answer)) or " ")
            else:
                row = table.row()
                row.cell(item.num)
                row.cell(latin(item.question), style=bold)
                row.cell(latin("\n".join(item.answer)) or " ")


def _t1_pdf(case: Case) -> bytes:
    title = "MULTI-AGENCY REFERRAL FORM (MARF)"
    pdf = _pdf(title, case.written)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8.5)
    pdf.multi_cell(
        0,
        4.5,
        "Border Counties Safeguarding Children Partnership (fictional). Complete every "
        "question. If a child is at immediate risk, telephone the front door first.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _rows_pdf(pdf, _t1_rows(case), (14, 72, 96))
    pdf.ln(4)
    pdf.cell(0, 5, latin("Signed: " + case.referrer.name + "    (electronic signature)"))
    return _pdf_bytes(pdf)


def _t1_cases() -> list[Case]:
    cases: list[Case] = []

    when = dt.datetime(2026, 3, 4, 14, 5)
    ref, kids, sibs, carers = _people(
        "t1c1", when.date(), min_age=6, max_age=10, agency="Seaview Primary School"
    )
    n = _first(kids[0])
    cases.append(
        Case(
            T1, "marf-01", "docx", when, True, ref, kids,
            narrative=(
                f"{n} arrived at school this morning with a fresh red mark on the left cheek and "
                f"said that mum's partner \"pushed me into the door\" last night. {n} said the "
                "adults were shouting and that there has been domestic abuse at home before, "
                "with the police called in January.\n"
                f"{n} is frightened to go home tonight. I am worried about physical abuse."
            ),
            urgent=True, phoned=True, phoned_at=dt.datetime(2026, 3, 4, 13, 40),
            phoned_to="Helen Marsh", threshold=4, carers=carers,
            parents_aware="yes", consent="no",
            consent_reason="Mum's partner may become aggressive if told before the visit.",
            dsl=True, known="unknown", ticked=("physical_abuse", "domestic_abuse"),
            stated=("physical_abuse", "domestic_abuse"), gcp=False,
        )
    )  # fmt: skip

    when = dt.datetime(2026, 3, 11, 9, 20)
    ref, kids, sibs, carers = _people(
        "t1c2", when.date(), subjects=2, siblings=(13, 15), min_age=5, max_age=9,
        agency="Saltmarsh Junior School",
    )  # fmt: skip
    sib = sibs[0]
    assert sib.dob is not None
    cases.append(
        Case(
            T1, "marf-02", "docx", when, True, ref, kids,
            narrative=(
                f"{_first(kids[0])} and {_first(kids[1])} have come to school hungry on most days "
                "this half term and have worn the same uniform all week. Staff who dropped a "
                "letter at the house saw that it was cold and there was little food. "
                "I am worried about neglect.\n"
                "The family accepted help from our learning mentor in January but things have "
                "not improved."
            ),
            urgent=False, phoned=False, threshold=3, carers=carers,
            household=(f"{sib.full_name} ({_sibling_word(sib)}), {d_dots(sib.dob)}",),
            parents_aware="yes", consent="yes", dsl=True, known="no",
            ticked=("neglect",), stated=("neglect",), gcp=True,
        )
    )  # fmt: skip

    when = dt.datetime(2026, 3, 18, 16, 45)
    ref, kids, sibs, carers = _people(
        "t1c3", when.date(), min_age=13, max_age=15, agency="Tidewater Family Support"
    )
    kid = replace(kids[0], dob=None, gender="")
    n = _first(kid)
    cases.append(
        Case(
            T1, "marf-03", "docx", when, True, replace(ref, phone=""), (kid,),
            narrative=(
                f"{n} has been reported missing from home three times since February and came "
                "back with new trainers and a second phone. A youth worker heard "
                f"{n} talking about going 'out of town' for an older male. We believe {n} is "
                "being drawn into county lines."
            ),
            urgent=False, phoned=None, threshold=3, carers=carers,
            parents_aware="unknown", consent="yes", dsl=False, known="yes",
            ticked=(), stated=("cce", "missing"), gcp=False, known_as=_first(kid)[:3],
        )
    )  # fmt: skip

    when = dt.datetime(2026, 3, 25, 10, 30)
    ref, kids, sibs, carers = _people(
        "t1c4", when.date(), min_age=1, max_age=4,
        agency="Estuary Community Health - Health Visiting",
    )  # fmt: skip
    n = _first(kids[0])
    cases.append(
        Case(
            T1, "marf-04", "pdf", when, True, ref, kids,
            narrative=(
                f"A home visit on 24 March found no working heating and dirty bedding in {n}'s "
                f"room. Mum shouts at {n} and called {n} 'useless' in front of me. "
                "I am worried about neglect and emotional abuse.\n"
                "A GCP2 was completed with mum last week and is enclosed."
            ),
            urgent=False, phoned=True, phoned_at=dt.datetime(2026, 3, 25, 9, 5),
            phoned_to="Fiona Reedman", threshold=3, carers=carers,
            parents_aware="yes", consent="yes", dsl=True, known="no",
            ticked=("neglect", "emotional_abuse"), stated=("neglect", "emotional_abuse"),
            gcp=True,
        )
    )  # fmt: skip
    return cases


# --- template 2: early-help-notification --------------------------------------------------------
# Modelled loosely on English county "Early Help Notification" / "Request for Early Help" forms:
# page 1 is about the practitioner, page 2 about the family; shaded single-cell heading rows and
# every answer in the cell below its question.

T2 = "early-help-notification"
T2_PLACES = frozenset(
    {
        "referral_datetime", "threshold_level", "referrer_name", "referrer_role",
        "referrer_agency", "referrer_phone", "referrer_email", "child_forenames",
        "child_surname", "child_dob", "child_gender", "child_address", "child_postcode",
        "parents_aware", "consent", "consent_refused_reason", "dsl_consulted",
        "concern_narrative",
    }
)  # fmt: skip
_T2_LEVELS = {2: "Level 2 – Early Help (single agency)", 3: "Level 3 – Early Help (multi-agency)"}


def _t2_pages(case: Case) -> tuple[list[Row], list[Row]]:
    ref = case.referrer
    page1: list[Row] = [
        Sec("PART A – ABOUT YOU (THE PRACTITIONER)"),
        Q("", "Date of this notification", _a(d_long(case.written.date()))),
        Q("", "Name of practitioner", _a(_or(ref.name))),
        Q("", "Job title / role", _a(_or(ref.role))),
        Q("", "Your organisation", _a(_or(ref.agency))),
        Q("", "Best contact number", _a(_or(ref.phone))),
        Q("", "Your secure e-mail", _a(_or(ref.email))),
        Q(
            "",
            "Have you talked this through with your safeguarding lead or line manager?",
            _a(ticks(("Yes", "No"), yn_choice(case.dsl))),
        ),
        Sec("PART B – LEVEL OF NEED"),
        Q(
            "",
            "Level of need identified (see the Continuum of Need guidance)",
            _a(_T2_LEVELS[case.threshold] if case.threshold else CHOOSE),
        ),
        Q("", "Is there already a lead professional for this family?", _a("No")),
    ]
    page2: list[Row] = []
    for index, child in enumerate(case.children, start=1):
        assert child.dob is not None
        page2 += [
            Sec(f"PART C – CHILD / YOUNG PERSON {index}"),
            Q("", "Name of young person", _a(child.full_name)),
            Q("", "Date of birth", _a(d_long(child.dob))),
            Q("", "Gender", _a(child.gender)),
            Q(
                "",
                "Current address (including postcode)",
                (*child.address.split(", "), child.postcode),
            ),
        ]
    page2 += [
        Sec("PART D – WHO ELSE LIVES IN THE HOME?"),
        Q(
            "",
            "Everyone else living at the address (name, relationship to the child, date of birth)",
            case.carers + case.household,
        ),
        Sec("PART E – CONSENT"),
        Q(
            "",
            "Is the family aware that this notification is being made?",
            _a(ticks(("Yes", "No"), tri_choice(case.parents_aware, ("Yes", "No", "-")))),
        ),
        Q(
            "",
            "Has the parent/carer (or the young person, if competent) agreed to this "
            "notification and to information being shared?",
            _a(ticks(("Yes", "No"), tri_choice(case.consent, ("Yes", "No", "-")))),
        ),
        Q("", "If not, why not?", _a(_or(case.consent_reason))),
        Sec("PART F – WHY ARE YOU NOTIFYING EARLY HELP?"),
        Q("", "What are you worried about?", tuple(case.narrative.split("\n"))),
        Q("", "What is working well for this family?", _a("Mum engages well with staff.")),
        Q("", "What would the family like to change?", _a(PLACEHOLDER)),
    ]
    return page1, page2


def _t2_table(document: DocxDocument, rows: Sequence[Row]) -> None:
    table = document.add_table(rows=0, cols=1)
    table.style = "Table Grid"
    for item in rows:
        if isinstance(item, Sec):
            cell = table.add_row().cells[0]
            _cell_lines(cell, [item.title], bold=True)
            _shade(cell, "D9E2F3")
        else:
            _cell_lines(table.add_row().cells[0], [item.question], bold=True)
            _cell_lines(table.add_row().cells[0], item.answer)


def _t2_docx(case: Case) -> bytes:
    title = "Early Help Notification"
    document = _docx("Calibri", 10.5, "Page 1: about you   |   Page 2: about the family")
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    heading.runs[0].font.size = Pt(16)
    document.add_paragraph(
        "Use this form to let the Early Help hub know you are working with a family "
        "(fictional county). Write your answer in the box below each question."
    )
    page1, page2 = _t2_pages(case)
    _t2_table(document, page1)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _t2_table(document, page2)
    return _docx_bytes(document, title, case.written)


def _t2_pdf(case: Case) -> bytes:
    title = "Early Help Notification"
    pdf = _pdf(title, case.written)
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        "Use this form to let the Early Help hub know you are working with a family "
        "(fictional county). Write your answer in the box below each question.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    page1, page2 = _t2_pages(case)
    _rows_pdf(pdf, page1, (182,), below=True)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    _rows_pdf(pdf, page2, (182,), below=True)
    return _pdf_bytes(pdf)


def _t2_cases() -> list[Case]:
    cases: list[Case] = []

    when = dt.datetime(2026, 4, 14, 12, 0)
    ref, kids, sibs, carers = _people(
        "t2c1",
        when.date(),
        siblings=(6, 8),
        min_age=1,
        max_age=3,
        agency="Little Gulls Day Nursery",
    )
    sib = sibs[0]
    assert sib.dob is not None
    n = _first(kids[0])
    cases.append(
        Case(
            T2, "ehn-01", "docx", when, False, ref, kids,
            narrative=(
                f"{n} often arrives at nursery in a wet nappy from the night before and has had "
                "head lice for several weeks. Mum is struggling since her new job started. "
                "I am worried about neglect and would like Early Help to support the family "
                "with routines."
            ),
            threshold=2, carers=carers,
            household=(f"{sib.full_name} – {_sibling_word(sib)} – born {d_long(sib.dob)}",),
            parents_aware="yes", consent="yes", dsl=True, stated=("neglect",),
        )
    )  # fmt: skip

    when = dt.datetime(2026, 4, 21, 12, 0)
    ref, kids, sibs, carers = _people(
        "t2c2", when.date(), subjects=2, min_age=4, max_age=9, agency="Tidewater Family Support"
    )
    cases.append(
        Case(
            T2, "ehn-02", "docx", when, False, ref, kids,
            narrative=(
                "Mum has told me there has been domestic abuse from her ex-partner, who still "
                f"comes to the house. {_first(kids[0])} and {_first(kids[1])} hear the arguments "
                f"and {_first(kids[1])} has started wetting the bed.\n"
                "I think there is emotional abuse from the way he speaks to the children. Mum "
                "wants help but is frightened of him."
            ),
            threshold=3, carers=carers, parents_aware="yes", consent="no",
            consent_reason=(
                "Mum agrees to Early Help but does not want information shared with the "
                "children's father."
            ),
            dsl=True, stated=("domestic_abuse", "emotional_abuse"),
        )
    )  # fmt: skip

    when = dt.datetime(2026, 4, 28, 12, 0)
    ref, kids, sibs, carers = _people(
        "t2c3", when.date(), min_age=12, max_age=15, agency="Estuary Academy"
    )
    n = _first(kids[0])
    cases.append(
        Case(
            T2, "ehn-03", "pdf", when, False, ref, kids,
            narrative=(
                f"{n} has disclosed self-harm to a form tutor and showed cuts on one forearm. "
                f"{n}'s mental health has got worse since a grandparent died in the summer. "
                "Mum is supportive and has booked a GP appointment."
            ),
            threshold=None, carers=carers, parents_aware="yes", consent="yes", dsl=False,
            stated=("mental_health", "self_harm"),
        )
    )  # fmt: skip

    when = dt.datetime(2026, 5, 5, 12, 0)
    ref, kids, sibs, carers = _people(
        "t2c4", when.date(), min_age=1, max_age=2,
        agency="Estuary Community Health - Health Visiting",
    )  # fmt: skip
    n = _first(kids[0])
    cases.append(
        Case(
            T2, "ehn-04", "docx", when, False, replace(ref, email=""), kids,
            narrative=(
                f"Mum has told the health visitor that {n}'s father is using cocaine again at "
                "weekends, and there is substance misuse in the home. There are no concerns "
                f"about domestic abuse. {n}'s development is on track but two appointments have "
                "been missed."
            ),
            threshold=2, carers=carers, parents_aware="yes", consent="yes", dsl=True,
            stated=("substance_misuse",),
        )
    )  # fmt: skip
    return cases


# --- template 3: paediatric-liaison -------------------------------------------------------------
# Modelled loosely on acute-trust "Paediatric Liaison / Safeguarding Referral" forms sent from an
# emergency department: UPPER CASE labels with a colon in the label cell, dates like 03-Apr-2019,
# times like 1430hrs, and an attendance date that is not the referral date.

T3 = "paediatric-liaison"
T3_PLACES = _ALL - {"gcp_attached_claimed"}
T3_CONCERNS: tuple[tuple[str, str], ...] = (
    ("neglect", "NEGLECT"),
    ("physical_abuse", "PHYSICAL ABUSE / NAI"),
    ("emotional_abuse", "EMOTIONAL ABUSE"),
    ("sexual_abuse", "SEXUAL ABUSE"),
    ("domestic_abuse", "DOMESTIC ABUSE"),
    ("self_harm", "SELF-HARM / OVERDOSE"),
    ("mental_health", "MENTAL HEALTH"),
    ("substance_misuse", "SUBSTANCE MISUSE"),
    ("other", "OTHER"),
)


def _t3_pdf(case: Case, attended: dt.datetime, ward: str) -> bytes:
    title = "PAEDIATRIC SAFEGUARDING LIAISON REFERRAL"
    ref = case.referrer
    child = case.children[0]
    assert child.dob is not None
    when = case.written
    call = ""
    if case.phoned_at is not None:
        call = d_hosp(case.phoned_at.date())
        if case.phoned_time_given:
            call += " " + t_hrs(case.phoned_at)
    concern_lines = []
    for start in range(0, len(T3_CONCERNS), 3):
        chunk = T3_CONCERNS[start : start + 3]
        concern_lines.append(
            "   ".join(
                ticks((label,), {label} if code in case.ticked else set()) for code, label in chunk
            )
        )
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        (
            "REFERRAL",
            [
                ("DATE/TIME OF REFERRAL:", f"{d_hosp(when.date())} {t_hrs(when)}"),
                (
                    "IMMEDIATE RISK / URGENT:",
                    ticks(("YES", "NO"), yn_choice(case.urgent, "YES", "NO")),
                ),
                ("LEVEL OF NEED (1-4):", str(case.threshold) if case.threshold else ""),
            ],
        ),
        (
            "PATIENT DETAILS",
            [
                ("CHILD'S SURNAME:", child.surname),
                ("CHILD'S FORENAME(S):", child.forenames),
                ("D.O.B:", d_hosp(child.dob)),
                ("SEX:", child.gender[:1].upper()),
                ("HOME ADDRESS:", child.address),
                ("POSTCODE:", child.postcode),
                ("GP PRACTICE:", "Seafront Surgery"),
                ("DATE/TIME OF ATTENDANCE:", f"{d_hosp(attended.date())} {t_hrs(attended)}"),
                ("WARD / DEPARTMENT:", ward),
                ("PARENTS / CARERS:", "\n".join(case.carers)),
                ("OTHER CHILDREN IN HOUSEHOLD:", "\n".join(case.household) or "NONE KNOWN"),
            ],
        ),
        (
            "CONCERNS",
            [
                ("CATEGORY OF CONCERN:", "\n".join(concern_lines)),
                ("REASON FOR REFERRAL / PRESENTING CONCERN:", case.narrative),
            ],
        ),
        (
            "CONSENT AND BACKGROUND",
            [
                (
                    "PARENT/CARER INFORMED OF REFERRAL:",
                    ticks(
                        ("YES", "NO", "UNKNOWN"),
                        tri_choice(case.parents_aware, ("YES", "NO", "UNKNOWN")),
                    ),
                ),
                (
                    "CONSENT OBTAINED:",
                    ticks(("YES", "NO"), tri_choice(case.consent, ("YES", "NO", "-"))),
                ),
                ("IF NO CONSENT, REASON:", case.consent_reason),
                (
                    "KNOWN TO CHILDREN'S SOCIAL CARE:",
                    ticks(
                        ("YES", "NO", "UNKNOWN"), tri_choice(case.known, ("YES", "NO", "UNKNOWN"))
                    ),
                ),
                (
                    "DISCUSSED WITH NAMED NURSE / SAFEGUARDING TEAM:",
                    ticks(("YES", "NO"), yn_choice(case.dsl, "YES", "NO")),
                ),
                (
                    "TELEPHONED TO FRONT DOOR:",
                    ticks(("YES", "NO"), yn_choice(case.phoned, "YES", "NO")),
                ),
                ("NAME OF SOCIAL WORKER SPOKEN TO:", case.phoned_to),
                ("DATE/TIME OF CALL:", call),
            ],
        ),
        (
            "REFERRER",
            [
                ("REFERRING CLINICIAN:", ref.name),
                ("DESIGNATION:", ref.role),
                ("DEPARTMENT / HOSPITAL:", ref.agency),
                ("CONTACT TEL / BLEEP:", ref.phone),
                ("NHS.NET E-MAIL:", ref.email),
            ],
        ),
    ]
    pdf = _pdf(title, when)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(
        0, 5, "ESTUARY HOSPITAL NHS TRUST (FICTIONAL)", align="R", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        "SEND TO THE CHILDREN'S FRONT DOOR THE SAME DAY. COPY TO THE PAEDIATRIC LIAISON "
        "HEALTH VISITOR.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9)
    label_style = FontFace(emphasis="BOLD", size_pt=8)
    shaded = FontFace(emphasis="BOLD", fill_color=(0, 0, 0), color=(255, 255, 255))
    with pdf.table(
        col_widths=(64, 118), first_row_as_headings=False, text_align="LEFT", line_height=4.6
    ) as table:
        for heading, rows in sections:
            table.row().cell(heading, colspan=2, style=shaded)
            for label, value in rows:
                row = table.row()
                row.cell(latin(label), style=label_style)
                row.cell(latin(value) or " ")
    return _pdf_bytes(pdf)


def _t3_cases() -> list[tuple[Case, dt.datetime, str]]:
    out: list[tuple[Case, dt.datetime, str]] = []
    ed = "Estuary Hospital Emergency Department"

    when = dt.datetime(2026, 4, 3, 14, 30)
    ref, kids, sibs, carers = _people(
        "t3c1", when.date(), siblings=(3, 6), min_age=0, max_age=0, agency=ed
    )
    kid = replace(kids[0], surname=kids[0].surname.upper())
    sib = sibs[0]
    assert sib.dob is not None
    n = _first(kid)
    case = Case(
        T3, "paed-01", "pdf", when, True, ref, (kid,),
        narrative=(
            f"{n} brought to ED by mother with a swollen left forearm; X-ray shows a spiral "
            "fracture. Explanation given (rolled off the sofa) is not consistent with the injury "
            "in a non-mobile infant. Skeletal survey requested. Consultant paediatrician "
            "concerned about physical abuse."
        ),
        urgent=True, phoned=True, phoned_at=dt.datetime(2026, 4, 3, 14, 15),
        phoned_to="Priya Nair", threshold=4, carers=carers,
        household=(f"{sib.forenames} {sib.surname.upper()} ({d_hosp(sib.dob)})",),
        parents_aware="yes", consent="no",
        consent_reason="Not sought - would not change the need for a strategy discussion.",
        dsl=True, known="unknown", ticked=("physical_abuse",), stated=("physical_abuse",),
        gcp=None,
    )  # fmt: skip
    out.append((case, dt.datetime(2026, 4, 2, 23, 10), "Paediatric ED"))

    when = dt.datetime(2026, 6, 9, 9, 5)
    ref, kids, sibs, carers = _people("t3c2", when.date(), min_age=13, max_age=15, agency=ed)
    kid = replace(kids[0], surname=kids[0].surname.upper(), address=kids[0].address.upper())
    n = _first(kid)
    case = Case(
        T3, "paed-02", "pdf", when, True, ref, (kid,),
        narrative=(
            f"{n} attended after taking 16 paracetamol tablets following an argument at home. "
            "Treated and medically fit for discharge. Seen by CAMHS liaison: low mood for "
            "several months. Mother was not aware of the self-harm until today."
        ),
        urgent=False, phoned=False, threshold=3, carers=carers,
        parents_aware="yes", consent="yes", dsl=True, known="no",
        ticked=("mental_health", "self_harm"), stated=("self_harm",), gcp=None,
    )  # fmt: skip
    out.append((case, dt.datetime(2026, 6, 8, 21, 45), "Ward 7 (Children's Ward)"))

    when = dt.datetime(2026, 6, 16, 22, 40)
    ref, kids, sibs, carers = _people("t3c3", when.date(), min_age=1, max_age=2, agency=ed)
    kid = replace(kids[0], surname=kids[0].surname.upper())
    n = _first(kid)
    case = Case(
        T3, "paed-03", "pdf", when, True, replace(ref, email=""), (kid,),
        narrative=(
            f"{n} attended with a scald to the right hand that was two days old and had not been "
            f"treated. {n} was unkempt, with severe nappy rash, and dental decay was noted. "
            "Staff are worried about neglect. There are no concerns about domestic abuse. "
            "Mother was cooperative and stayed with the child."
        ),
        urgent=False, phoned=False, threshold=3, carers=carers,
        parents_aware="yes", consent="yes", dsl=False, known="no",
        ticked=(), stated=("neglect",), gcp=None,
    )  # fmt: skip
    out.append((case, dt.datetime(2026, 6, 16, 19, 55), "Paediatric ED"))

    when = dt.datetime(2026, 6, 23, 11, 15)
    ref, kids, sibs, carers = _people("t3c4", when.date(), min_age=0, max_age=0, agency=ed)
    kid = replace(kids[0], surname=kids[0].surname.upper())
    n = _first(kid)
    case = Case(
        T3, "paed-04", "pdf", when, True, ref, (kid,),
        narrative=(
            f"{n} admitted with faltering growth; weight has dropped from the 50th to below the "
            "2nd centile. Father appeared intoxicated at the bedside on two evenings. There is "
            "an allocated social worker. I am worried about neglect and substance misuse."
        ),
        urgent=False, phoned=True, phoned_at=dt.datetime(2026, 6, 23, 10, 0),
        phoned_time_given=False, phoned_to="Gareth Lowe", threshold=4, carers=carers,
        parents_aware="no", consent="no",
        consent_reason="Parents left the ward before the conversation could take place.",
        dsl=True, known="yes", ticked=("neglect", "substance_misuse"),
        stated=("neglect", "substance_misuse"), gcp=None,
    )  # fmt: skip
    out.append((case, dt.datetime(2026, 6, 20, 16, 30), "Ward 7 (Children's Ward)"))
    return out


# --- template 4: cme-welfare --------------------------------------------------------------------
# Modelled loosely on local-authority "Children Missing Education (CME)" and education welfare
# referral forms completed by schools: Y/N written in the answer cell, a pupil grid, a concern
# checklist marked Y/N, and the referrer's details at the very end.

T4 = "cme-welfare"
T4_PLACES = _ALL - {"threshold_level"}
T4_CONCERNS: tuple[tuple[str, str], ...] = (
    ("missing", "Missing education / whereabouts unknown"),
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("domestic_abuse", "Domestic abuse in the home"),
    ("cce", "Criminal exploitation / county lines"),
    ("mental_health", "Mental health"),
    ("other", "Other welfare concern"),
)


def _yn(value: bool | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return {"yes": "Y", "no": "N", "unknown": "Not known"}[value]
    return "Y" if value else "N"


def _t4_docx(case: Case, write_n: bool) -> bytes:
    title = "Children Missing Education (CME) and Pupil Welfare Concern Referral"
    document = _docx("Times New Roman", 11, "Education Welfare Service (fictional) – CME/1")
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    heading.runs[0].font.size = Pt(14)
    document.add_paragraph(
        "Answer questions marked (Y/N) by writing Y or N. Send to the front door and copy the "
        "CME officer. Referrer details go at the end of the form."
    )

    def table(rows: Sequence[tuple[str, str]]) -> None:
        grid = document.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        for label, value in rows:
            cells = grid.add_row().cells
            cells[0].width, cells[1].width = Mm(110), Mm(64)
            _cell_lines(cells[0], [label])
            _cell_lines(cells[1], [value])
        document.add_paragraph()

    def subhead(text: str) -> None:
        document.add_paragraph().add_run(text).bold = True

    call_at = ""
    if case.phoned_at is not None:
        call_at = f"{case.phoned_at.date().isoformat()} {case.phoned_at:%H:%M}"
    subhead("A. This referral")
    table(
        [
            ("Date form completed", case.written.date().isoformat()),
            ("Is the child believed to be at immediate risk of harm? (Y/N)", _yn(case.urgent)),
            ("Have you spoken to the front door by phone about this? (Y/N)", _yn(case.phoned)),
            ("If Y – who did you speak to?", _or(case.phoned_to)),
            ("If Y – date and time of the call", _or(call_at)),
        ]
    )
    subhead("B. Pupil(s)")
    grid = document.add_table(rows=1, cols=5)
    grid.style = "Table Grid"
    for cell, text in zip(
        grid.rows[0].cells,
        ("Surname", "Forename(s)", "Date of birth", "M/F", "Year group"),
        strict=True,
    ):
        _cell_lines(cell, [text], bold=True)
    for child in case.children:
        cells = grid.add_row().cells
        year = ""
        if child.dob is not None:
            day = case.written.date()
            school_year = day.year if day.month >= 9 else day.year - 1
            cohort = child.dob.year if child.dob.month >= 9 else child.dob.year - 1
            group = school_year - cohort - 5
            year = f"Year {group}" if group > 0 else "Reception"
        for cell, text in zip(
            cells,
            (
                child.surname,
                child.forenames,
                child.dob.isoformat() if child.dob else PLACEHOLDER,
                child.gender[:1],
                year,
            ),
            strict=True,
        ):
            _cell_lines(cell, [text])
    document.add_paragraph()
    first = case.children[0]
    table(
        [
            ("Home address of pupil(s) (last known)", first.address),
            ("Postcode", first.postcode),
            (
                "Brothers or sisters at other schools or not of school age",
                "; ".join(case.household) or "None known",
            ),
        ]
    )
    subhead("C. Nature of concern (write Y against each that applies)")
    table(
        [
            (label, "Y" if code in case.ticked else ("N" if write_n else ""))
            for code, label in T4_CONCERNS
        ]
    )
    subhead("D. Welfare questions")
    table(
        [
            ("Is the parent/carer aware of this referral? (Y/N)", _yn(case.parents_aware)),
            ("Has the parent/carer given consent? (Y/N)", _yn(case.consent)),
            ("If N, why not?", _or(case.consent_reason)),
            ("Has this been discussed with the Headteacher or DSL? (Y/N)", _yn(case.dsl)),
            ("Is the family known to Children's Social Care? (Y/N/Not known)", _yn(case.known)),
            ("Graded Care Profile 2 completed and attached? (Y/N)", _yn(case.gcp)),
            ("Attendance certificate attached? (Y/N)", "Y"),
        ]
    )
    subhead("E. Please describe your concerns (attendance pattern, last contact, action taken)")
    box = document.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    _cell_lines(box.rows[0].cells[0], case.narrative.split("\n"))
    document.add_paragraph()
    ref = case.referrer
    subhead("F. Referrer (complete last)")
    table(
        [
            ("Completed by", _or(ref.name)),
            ("Position in school", _or(ref.role)),
            ("School / setting", _or(ref.agency)),
            ("Direct line", _or(ref.phone)),
            ("E-mail (secure)", _or(ref.email)),
        ]
    )
    return _docx_bytes(document, title, case.written)


def _t4_cases() -> list[tuple[Case, bool]]:
    out: list[tuple[Case, bool]] = []

    when = dt.datetime(2026, 5, 12, 12, 0)
    ref, kids, sibs, _ = _people(
        "t4c1", when.date(), siblings=(1, 2), min_age=5, max_age=9, agency="Seaview Primary School"
    )
    sib = sibs[0]
    assert sib.dob is not None
    n = _first(kids[0])
    case = Case(
        T4, "cme-01", "docx", when, False, ref, kids,
        narrative=(
            f"{n} has not attended since 20 April. Letters and two home visits have had no reply. "
            f"When last seen {n} was wearing shoes that were too small and was hungry at "
            "breakfast club every day. We are worried about neglect and that "
            f"{n} is missing education."
        ),
        urgent=False, phoned=False, household=(f"{sib.full_name}, {sib.dob.isoformat()}",),
        parents_aware="no", consent="no",
        consent_reason="We have not been able to contact the parents.", dsl=True, known="no",
        ticked=("missing", "neglect"), stated=("missing", "neglect"), gcp=True,
    )  # fmt: skip
    out.append((case, True))

    when = dt.datetime(2026, 5, 19, 12, 0)
    ref, kids, sibs, _ = _people(
        "t4c2", when.date(), subjects=3, min_age=5, max_age=10,
        agency="Saltmarsh Junior School",
    )  # fmt: skip
    case = Case(
        T4, "cme-02", "docx", when, False, ref, kids,
        narrative=(
            "None of the three children has been in school since the Easter holidays. Mum told "
            "the attendance officer on the phone that they had to leave the house because there "
            "has been domestic abuse, and that they are staying with friends.\n"
            "We do not know where the children are living now."
        ),
        urgent=False, phoned=True, phoned_at=dt.datetime(2026, 5, 19, 9, 50),
        phoned_to="Sam Okoro", parents_aware="yes", consent="yes", dsl=True, known="unknown",
        ticked=("missing",), stated=("domestic_abuse",), gcp=False,
    )  # fmt: skip
    out.append((case, False))

    when = dt.datetime(2026, 6, 2, 12, 0)
    ref, kids, sibs, _ = _people(
        "t4c3", when.date(), min_age=14, max_age=15, agency="Thamesmouth High School"
    )
    n = _first(kids[0])
    case = Case(
        T4, "cme-03", "docx", when, False, ref, kids,
        narrative=(
            f"{n} was found by police in a flat in another town on Monday with cash and two "
            f"phones. {n} has been missing from school on 14 days this term. We believe {n} is "
            "being criminally exploited through county lines."
        ),
        urgent=True, phoned=True, phoned_at=dt.datetime(2026, 6, 2, 8, 40),
        phoned_to="Tom Ashdown", parents_aware="yes", consent="no",
        consent_reason=f"Asking for consent may alert the adults involved and put {n} at risk.",
        dsl=True, known="yes", ticked=("missing", "cce"), stated=("missing", "cce"), gcp=False,
    )  # fmt: skip
    out.append((case, True))

    when = dt.datetime(2026, 6, 10, 12, 0)
    ref, kids, _, _ = _people(
        "t4c4", when.date(), subjects=2, min_age=11, max_age=15, agency="Estuary Academy"
    )
    second = replace(kids[1], dob=None)
    n, n2 = _first(kids[0]), _first(second)
    case = Case(
        T4, "cme-04", "docx", when, False, ref, (kids[0], second),
        narrative=(
            f"{n}'s attendance has fallen to 61%. {n} has told the school counsellor about "
            f"feeling hopeless and there are concerns about self-harm. {n2} is also often absent "
            f"on the days {n} stays at home. Mum says she cannot get {n} out of bed."
        ),
        urgent=False, phoned=False, parents_aware="yes", consent="yes", dsl=False,
        known="unknown", ticked=("mental_health",), stated=("self_harm",), gcp=None,
    )  # fmt: skip
    out.append((case, False))
    return out


# --- template 5: housing-alert ------------------------------------------------------------------
# Modelled loosely on housing associations' "Safeguarding alert" / "Safeguarding concern report"
# forms that officers type up as running paragraphs: each paragraph a bold inline label followed
# by the answer, with no colon between them.

T5 = "housing-alert"
T5_PLACES = _ALL - {"threshold_level"}


def _t5_docx(case: Case, documents: str) -> bytes:
    title = "Safeguarding Alert – Children"
    document = _docx("Verdana", 9.5, "Estuary Homes (fictional) – Safeguarding Team")
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    heading.runs[0].font.size = Pt(13)

    def para(label: str, answer: str) -> None:
        paragraph = document.add_paragraph()
        paragraph.add_run(label + " ").bold = True
        if answer:
            paragraph.add_run(answer)

    ref = case.referrer
    when = case.written
    para("Date of alert", f"{d_ordinal(when.date())}, {t_ampm(when)}")
    para("Alert raised by", ref.name)
    para("Job title", ref.role)
    para("Your organisation", ref.agency)
    para("Best contact number", ref.phone)
    para("Your secure e-mail", ref.email)
    para("Tenancy reference", "EH/" + str(20400 + when.day * 7))
    labels = (
        ("Child's name", "Date of birth", "Gender"),
        ("Second child's name", "Second child's date of birth", "Second child's gender"),
        ("Third child's name", "Third child's date of birth", "Third child's gender"),
    )
    for child, (name_label, dob_label, gender_label) in zip(case.children, labels, strict=False):
        para(name_label, child.full_name)
        para(dob_label, d_ordinal(child.dob) if child.dob else "")
        para(gender_label, child.gender)
    first = case.children[0]
    para("Address", f"{first.address} {first.postcode}")
    para("Other children living there", "; ".join(case.household) or "None")
    para("Parents or carers", "; ".join(case.carers))
    para("Is any child at immediate risk", _yn_word(case.urgent))
    if case.phoned:
        assert case.phoned_at is not None
        call = (
            f"Yes, spoke to {case.phoned_to} on {d_ordinal(case.phoned_at.date())} at "
            f"{t_ampm(case.phoned_at)}"
        )
    else:
        call = _yn_word(case.phoned)
    para("Did you call C-SPOC first", call)
    para("Does the family know you are making this alert", _tri_word(case.parents_aware))
    para("Has the family agreed to the information being shared", _tri_word(case.consent))
    para("If they have not agreed, why", case.consent_reason)
    para("Discussed with your safeguarding lead", _yn_word(case.dsl))
    para("Known to social care", _tri_word(case.known))
    para("What has happened", " ".join(case.narrative.split("\n")))
    para("Documents attached", documents)
    document.add_paragraph("Please acknowledge receipt of this alert to the officer named above.")
    return _docx_bytes(document, title, when)


def _yn_word(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _tri_word(value: str | None) -> str:
    return "" if value is None else {"yes": "Yes", "no": "No", "unknown": "Don't know"}[value]


def _t5_cases() -> list[tuple[Case, str]]:
    out: list[tuple[Case, str]] = []
    housing = "Estuary Homes Housing Association"

    when = dt.datetime(2026, 3, 4, 10, 45)
    ref, kids, sibs, carers = _people("t5c1", when.date(), min_age=3, max_age=8, agency=housing)
    n = _first(kids[0])
    case = Case(
        T5, "alert-01", "docx", when, True, ref, kids,
        narrative=(
            "During a gas safety visit our officer found the flat in a very poor state, with dog "
            f"mess on the floor of {n}'s bedroom and no bed for {n}. The fridge was empty. "
            "I am worried about neglect. There are no concerns about domestic abuse. Mum was "
            "embarrassed and said she has been unwell."
        ),
        urgent=False, phoned=False, carers=carers, parents_aware="yes", consent="yes",
        dsl=True, known="unknown", stated=("neglect",), gcp=True,
    )  # fmt: skip
    out.append((case, "Graded Care Profile 2 completed by our tenancy support worker"))

    when = dt.datetime(2026, 7, 7, 15, 10)
    ref, kids, sibs, carers = _people(
        "t5c2", when.date(), subjects=2, min_age=2, max_age=9, agency=housing
    )
    case = Case(
        T5, "alert-02", "docx", when, True, ref, kids,
        narrative=(
            "Neighbours reported screaming from the property last night and our caretaker saw a "
            "man leaving and shouting threats. There has been domestic abuse at this address "
            "before. The children are often heard crying and being sworn at, and I believe there "
            "is emotional abuse. Mum has asked us for an emergency move."
        ),
        urgent=True, phoned=True, phoned_at=dt.datetime(2026, 7, 7, 14, 50),
        phoned_to="Gareth Lowe", carers=carers, parents_aware="no", consent="no",
        consent_reason="Mum is frightened that her ex-partner will find out.",
        dsl=True, known="yes", stated=("domestic_abuse", "emotional_abuse"), gcp=False,
    )  # fmt: skip
    out.append((case, "None"))

    when = dt.datetime(2026, 7, 14, 12, 30)
    ref, kids, sibs, carers = _people(
        "t5c3", when.date(), siblings=(5, 8), min_age=13, max_age=15, agency=housing
    )
    kid = replace(kids[0], postcode=kids[0].postcode.lower())
    sib = sibs[0]
    assert sib.dob is not None
    n = _first(kid)
    case = Case(
        T5, "alert-03", "docx", when, True, ref, (kid,),
        narrative=(
            f"{n} has been reported missing from home twice this month. Residents say {n} is "
            "collected by different cars late at night and comes back carrying packages. We "
            "think this is county lines."
        ),
        urgent=False, phoned=False, carers=carers,
        household=(f"{sib.full_name} (aged {(when.date() - sib.dob).days // 365})",),
        parents_aware="yes", consent="yes", dsl=False, known="no",
        stated=("cce", "missing"), gcp=False,
    )  # fmt: skip
    out.append((case, "Photographs of the stairwell"))

    when = dt.datetime(2026, 7, 21, 8, 55)
    ref, kids, sibs, carers = _people("t5c4", when.date(), min_age=10, max_age=12, agency=housing)
    kid = replace(kids[0], dob=None)
    n = _first(kid)
    case = Case(
        T5, "alert-04", "docx", when, True, ref, (kid,),
        narrative=(
            "Mum came to the housing office upset because an adult she does not know has been "
            f"sending messages to {n} through an online game. There are concerns about online "
            "harm. Mum has kept the tablet and has not reported it to the police yet."
        ),
        urgent=False, phoned=False, carers=carers, parents_aware="yes", consent=None,
        dsl=True, known="no", stated=("online_harm",), gcp=False,
    )  # fmt: skip
    out.append((case, "None"))
    return out


# --- template 6: boxed-request ------------------------------------------------------------------
# Modelled loosely on a flattened fillable PDF "Request for Support" (the London-borough MASH
# style printed from Acrobat): each answer sits in a ruled box with its label in small type in
# the box's top-left corner; several boxes share a row.

T6 = "boxed-request"
T6_PLACES = _ALL
T6_CONCERNS: tuple[tuple[str, str], ...] = (
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("cse", "Sexual exploitation"),
    ("cce", "Criminal exploitation"),
    ("hsb", "Harmful sexual behaviour"),
    ("fgm", "FGM"),
    ("forced_marriage", "Forced marriage"),
    ("honour_based_abuse", "Honour-based abuse"),
    ("radicalisation", "Radicalisation"),
    ("missing", "Missing"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm"),
    ("substance_misuse", "Substance misuse"),
    ("online_harm", "Online safety"),
    ("trafficking", "Trafficking"),
    ("other", "Other"),
)
_BODY = 182.0


class _BoxPDF(_NoticePDF):
    """Rows of ruled boxes, each a small label above its answer."""

    def section(self, title: str) -> None:
        if self.get_y() + 40 > self.page_break_trigger:
            self.add_page()
        self.ln(2)
        self.set_fill_color(40, 40, 40)
        self.set_text_color(255, 255, 255)
        self.set_font("Helvetica", "B", 9.5)
        self.cell(_BODY, 6, latin(title), fill=True, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def _lines(self, width: float, height: float, text: str) -> list[str]:
        lines = self.multi_cell(
            width, height, latin(text), dry_run=True, output=MethodReturnValue.LINES
        )
        return cast(list[str], lines)

    def boxes(self, items: Sequence[tuple[str, str, float]]) -> None:
        """One row of boxes: (label, answer, share of the width)."""
        total = sum(share for _, _, share in items)
        widths = [_BODY * share / total for _, _, share in items]
        heights = []
        for (label, answer, _), width in zip(items, widths, strict=True):
            self.set_font("Helvetica", "", 6.5)
            label_lines = self._lines(width - 2.4, 3, label)
            self.set_font("Helvetica", "", 10)
            answer_lines = self._lines(width - 3, 5, answer or " ")
            heights.append(len(label_lines) * 3 + 1.5 + max(1, len(answer_lines)) * 5 + 2)
        height = max(heights)
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        x = self.l_margin
        for (label, answer, _), width in zip(items, widths, strict=True):
            self.rect(x, top, width, height)
            self.set_xy(x + 1.2, top + 0.8)
            self.set_font("Helvetica", "", 6.5)
            self.set_text_color(70, 70, 70)
            self.multi_cell(width - 2.4, 3, latin(label), align="L")
            self.set_text_color(0, 0, 0)
            self.set_xy(x + 1.5, self.get_y() + 0.7)
            self.set_font("Helvetica", "", 10)
            if answer:
                self.multi_cell(width - 3, 5, latin(answer), align="L")
            x += width
        self.set_xy(self.l_margin, top + height)


def _t6_pdf(case: Case) -> bytes:
    title = "Request for Support - Children's Front Door"
    when = case.written
    pdf = _BoxPDF(format="A4")
    pdf.set_auto_page_break(auto=False, margin=18)
    pdf.set_margins(14, 14, 14)
    pdf.set_title(title)
    pdf.set_author("Synthetic test data")
    pdf.set_subject(FICTION_NOTICE)
    pdf.set_creator("cspoc-intake heldout2 corpus")
    pdf.set_creation_date(when.replace(tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 4, "Fillable form (fictional borough). Print or save after completing.",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    ref = case.referrer
    levels = [f"Level {n}" for n in range(1, 5)]
    call = ""
    if case.phoned_at is not None:
        call = d_slash(case.phoned_at.date())
        if case.phoned_time_given:
            call += f" {case.phoned_at:%H:%M}"

    pdf.section("1. This request")
    pdf.boxes(
        [
            ("Date of request (dd/mm/yyyy)", d_slash(when.date()), 1.0),
            ("Time", f"{when:%H:%M}" if case.time_given else "", 0.7),
            ("Is this an emergency?", ticks(("Yes", "No"), yn_choice(case.urgent)), 1.3),
        ]
    )
    pdf.boxes(
        [
            (
                "Level of need identified",
                ticks(levels, {f"Level {case.threshold}"} if case.threshold else set()),
                1.0,
            )
        ]
    )
    pdf.boxes(
        [
            ("Have you already spoken to the front door by phone?",
             ticks(("Yes", "No"), yn_choice(case.phoned)), 1.0),
            ("Name of worker", case.phoned_to, 1.0),
            ("Date and time of call", call, 1.0),
        ]
    )  # fmt: skip
    for index, child in enumerate(case.children, start=1):
        pdf.section(f"2. Child {index}")
        pdf.boxes(
            [
                ("Name (SURNAME, forenames)", f"{child.surname}, {child.forenames}", 1.6),
                ("Date of birth", d_slash(child.dob) if child.dob else "", 0.8),
                (
                    "Gender",
                    ticks(
                        ("Male", "Female", "Not known"),
                        {"Not known" if child.gender == "Unknown" else child.gender},
                    ),
                    1.4,
                ),
            ]
        )
        pdf.boxes([("Current address", child.address, 3.0), ("Postcode", child.postcode, 1.0)])
    pdf.section("3. Others in the household")
    pdf.boxes(
        [("Parents / carers", "\n".join(case.carers), 1.0),
         ("Other children (not part of this request)", "\n".join(case.household) or "None", 1.0)]
    )  # fmt: skip
    pdf.section("4. Consent and background")
    pdf.boxes(
        [
            (
                "Have the parents/carers been informed of this referral?",
                ticks(
                    ("Yes", "No", "Unknown"),
                    tri_choice(case.parents_aware, ("Yes", "No", "Unknown")),
                ),
                1.0,
            ),
            (
                "Do you have consent to share information?",
                ticks(("Yes", "No"), tri_choice(case.consent, ("Yes", "No", "-"))),
                1.0,
            ),
        ]
    )
    pdf.boxes([("Reason consent not obtained", case.consent_reason, 1.0)])
    pdf.boxes(
        [
            ("Have you discussed this with your safeguarding lead?",
             ticks(("Yes", "No"), yn_choice(case.dsl)), 1.0),
            ("Is the child known to children's social care?",
             ticks(("Yes", "No", "Unknown"), tri_choice(case.known, ("Yes", "No", "Unknown"))),
             1.0),
        ]
    )  # fmt: skip
    pdf.section("5. Your concerns")
    lines = []
    for start in range(0, len(T6_CONCERNS), 4):
        chunk = T6_CONCERNS[start : start + 4]
        lines.append(
            "   ".join(
                ticks((label,), {label} if code in case.ticked else set()) for code, label in chunk
            )
        )
    pdf.boxes([("Type of concern (tick all that apply)", "\n".join(lines), 1.0)])
    pdf.boxes([("Please describe your concerns", case.narrative, 1.0)])
    attachments = (
        "Graded Care Profile 2",
        "Chronology",
        "Brook traffic light tool",
        "Exploitation screening tool",
    )
    pdf.boxes(
        [
            (
                "Attachments enclosed",
                ticks(attachments, {"Graded Care Profile 2"} if case.gcp else set()),
                1.0,
            )
        ]
    )
    pdf.section("6. About you")
    pdf.boxes([("Referrer name", ref.name, 1.0), ("Referrer's job title", ref.role, 1.0)])
    pdf.boxes(
        [
            ("Your organisation", ref.agency, 1.3),
            ("Best contact number", ref.phone, 0.8),
            ("Your secure e-mail", ref.email, 1.3),
        ]
    )
    return _pdf_bytes(pdf)


def _t6_cases() -> list[Case]:
    cases: list[Case] = []

    when = dt.datetime(2026, 9, 8, 9, 30)
    ref, kids, sibs, carers = _people(
        "t6c1", when.date(), subjects=2, min_age=0, max_age=4,
        agency="Estuary Community Health - Health Visiting",
    )  # fmt: skip
    kids = tuple(replace(k, surname=k.surname.upper()) for k in kids)
    cases.append(
        Case(
            T6, "box-01", "pdf", when, True, ref, kids,
            narrative=(
                f"Home visit found {_first(kids[0])} and {_first(kids[1])} in a cold flat with no "
                "food in the cupboards and the youngest in a soiled cot. Mum disclosed domestic "
                "abuse by her partner, who has now left. The GCP2 completed on 3 September shows "
                "grade 4 for physical care."
            ),
            urgent=False, phoned=True, phoned_at=dt.datetime(2026, 9, 8, 9, 0),
            phoned_to="Helen Marsh", threshold=3, carers=carers, parents_aware="yes",
            consent="yes", dsl=True, known="no", ticked=("neglect", "domestic_abuse"),
            stated=("domestic_abuse",), gcp=True,
        )
    )  # fmt: skip

    when = dt.datetime(2026, 9, 15, 13, 10)
    ref, kids, sibs, carers = _people(
        "t6c2",
        when.date(),
        siblings=(11, 14),
        min_age=6,
        max_age=9,
        agency="Seaview Primary School",
    )
    kid = replace(kids[0], surname=kids[0].surname.upper(), gender="Unknown")
    sib = sibs[0]
    assert sib.dob is not None
    n = _first(kid)
    cases.append(
        Case(
            T6, "box-02", "pdf", when, True, ref, (kid,),
            narrative=(
                f"{n} told a teaching assistant this morning that an uncle 'touches me when "
                f"mummy is at work' and that it happened again at the weekend. {n} is due to be "
                "collected at 3.15pm today."
            ),
            urgent=True, phoned=False, threshold=4, carers=carers,
            household=(f"{sib.full_name}, {d_slash(sib.dob)}",), parents_aware="no",
            consent="no", consent_reason="Telling the family could put the child at risk.",
            dsl=True, known="unknown", ticked=("sexual_abuse",), gcp=False,
        )
    )  # fmt: skip

    when = dt.datetime(2026, 9, 22, 11, 0)
    ref, kids, sibs, carers = _people(
        "t6c3", when.date(), min_age=13, max_age=14, agency="Estuary Academy"
    )
    kid = replace(kids[0], surname=kids[0].surname.upper())
    n = _first(kid)
    cases.append(
        Case(
            T6, "box-03", "pdf", when, False, replace(ref, role=""), (kid,),
            narrative=(
                f"{n} has been sharing sexual images of a Year 7 pupil and has made sexual "
                "comments to younger children on the school bus. We used the Brook traffic light "
                "tool and the behaviour is red. The images were shared on a social media app."
            ),
            urgent=False, phoned=True, phoned_at=dt.datetime(2026, 9, 22, 10, 15),
            phoned_to="", threshold=3, carers=carers, parents_aware="yes", consent="yes",
            dsl=True, known="no", ticked=("hsb", "online_harm"), gcp=False,
        )
    )  # fmt: skip

    when = dt.datetime(2026, 9, 29, 16, 20)
    ref, kids, sibs, carers = _people(
        "t6c4", when.date(), min_age=15, max_age=15,
        agency="School Nursing Team (South East Essex)",
    )  # fmt: skip
    kid = replace(kids[0], surname=kids[0].surname.upper())
    n = _first(kid)
    cases.append(
        Case(
            T6, "box-04", "pdf", when, True, ref, (kid,),
            narrative=(
                f"{n} told me the family are planning a trip abroad in October so that {n} can "
                f"be married to a cousin. {n} is scared that telling anyone will bring shame "
                "and that relatives will punish them. Please do not contact the family before "
                f"speaking to {n}."
            ),
            urgent=True, phoned=True, phoned_at=dt.datetime(2026, 9, 29, 15, 45),
            phoned_to="Priya Nair", threshold=4, carers=carers, parents_aware="no",
            consent="no",
            consent_reason=f"Informing the family would put {n} at risk of honour-based abuse.",
            dsl=True, known="yes", ticked=("forced_marriage", "honour_based_abuse"), gcp=False,
        )
    )  # fmt: skip
    return cases


# --- the corpus ---------------------------------------------------------------------------------

#: Template slug → what real form it is loosely modelled on.
TEMPLATES: dict[str, str] = {
    T1: "Welsh-border style Multi-Agency Referral Form (numbered 3-column table)",
    T2: "English county Early Help Notification (answers below questions, two pages)",
    T3: "Acute-trust paediatric safeguarding liaison referral (UPPER CASE labels, 1430hrs)",
    T4: "School Children Missing Education / welfare concern referral (Y/N, referrer last)",
    T5: "Housing provider safeguarding alert typed as bold-label paragraphs",
    T6: "Flattened fillable PDF request for support (label boxes above answers)",
}


def _outputs() -> list[tuple[Case, frozenset[str], Callable[[], bytes]]]:
    out: list[tuple[Case, frozenset[str], Callable[[], bytes]]] = []
    for case in _t1_cases():
        out.append((case, T1_PLACES, partial(_t1_pdf if case.fmt == "pdf" else _t1_docx, case)))
    for case in _t2_cases():
        out.append((case, T2_PLACES, partial(_t2_pdf if case.fmt == "pdf" else _t2_docx, case)))
    for case, attended, ward in _t3_cases():
        out.append((case, T3_PLACES, partial(_t3_pdf, case, attended, ward)))
    for case, write_n in _t4_cases():
        out.append((case, T4_PLACES, partial(_t4_docx, case, write_n)))
    for case, documents in _t5_cases():
        out.append((case, T5_PLACES, partial(_t5_docx, case, documents)))
    for case in _t6_cases():
        out.append((case, T6_PLACES, partial(_t6_pdf, case)))
    return out


def corpus() -> list[Output]:
    """Every file of the corpus: 24 forms in six templates, with their expected parse."""
    return [
        Output(
            template=case.template,
            filename=f"{case.stem}.{case.fmt}",
            data=make(),
            expected=expected(case, places),
        )
        for case, places, make in _outputs()
    ]


__all__ = ["FICTION_NOTICE", "TEMPLATES", "Case", "Output", "corpus", "expected"]
