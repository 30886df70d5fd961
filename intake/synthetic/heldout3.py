"""A third held-out corpus: twenty referral forms from five templates no parser was tuned on.

Each template is written here directly with python-docx or fpdf2 (not through the shared
document model), so its layout, labels, date styles and tick-box conventions are its own:

``gp-safeguarding-referral`` (DOCX)
    An NHS GP practice's "Safeguarding Children Referral": question|response tables whose left
    column holds long questions, one table per child, and a free "Reason for referral" section of
    several paragraphs under a heading. Concerns appear only in the narrative.
``nursery-early-help-request`` (DOCX)
    A nursery's "Request for Early Help Support": values in Word content controls (inline plain
    text, block-level rich text for the long answers), Yes/No tick boxes in the same cell as the
    question, a tick grid of worries.
``police-contact-form`` (PDF)
    A police "Children's Services Contact Form": a header table of reference numbers, an officer
    details block, children listed as ``SURNAME, Forename``, a Y/N grid of risk factors and dates
    written ``Mon 2 Mar 2026 at 14:05``.
``school-mash-referral`` (PDF)
    A school's "Safeguarding referral to MASH" printed from a safeguarding record system:
    numbered sections, bold labels with plain values on the same line, no colons.
``housing-multi-agency-referral`` (DOCX)
    A housing association's "Multi-agency referral": a grid of every household member with a
    "Subject of referral? (Y/N)" column deciding which children are referred.

Everything is fictional (people from :mod:`intake.synthetic.people`) and every file carries
:data:`~intake.synthetic.render.FICTION_NOTICE`. The same code always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.fonts import FontFace

from intake.synthetic.people import (
    CONCERN_CODES,
    Carer,
    Child,
    Referrer,
    agency_named,
    make_carer,
    make_child,
    make_referrer,
    rng_for,
)
from intake.synthetic.render import FICTION_NOTICE, fixed_zip
from parsers.fields import FIELD_NAMES

#: Contract §3 field names, in the contract's order.
FIELD_NAMES: tuple[str, ...] = FIELD_NAMES  # the contract's names, declared once

TICKED = "☒"
UNTICKED = "☐"
#: Word's older and newer text content-control placeholders, and its drop-down placeholder.
CLICK = "Click here to enter text."
TAP = "Click or tap here to enter text."
CHOOSE = "Choose an item."
_PLACEHOLDERS = (CLICK, TAP, CHOOSE)

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One case: who is in it, what the referrer answered and what the narrative says."""

    template: str
    case: str
    ext: str
    agency: str
    #: When the referral was made; only the date is written when ``timed`` is false.
    when: dt.datetime
    timed: bool = True
    #: (min age, max age, gender or None) of each referred child, first child first.
    kids: tuple[tuple[int, int, str | None], ...]
    #: Children in the household who are not the subject of the referral.
    others: tuple[tuple[int, int, str | None], ...] = ()
    #: Relationship of a second adult (``Father``, ``Stepfather``); empty for none.
    partner: str = "Father"
    #: Whether the second adult lives with the children.
    partner_at_home: bool = True
    urgent: bool
    phoned_at: dt.datetime | None = None
    phoned_to: str | None = None
    threshold: int | None = None
    parents_aware: bool | None = True
    consent: bool | None = True
    consent_reason: str = ""
    dsl: bool | None = True
    known: bool | None = False
    #: Concern codes ticked on the form.
    ticked: tuple[str, ...] = ()
    #: Concern codes the narrative plainly states (ticked or not).
    stated: tuple[str, ...] = ()
    gcp: bool = False
    #: Other documents the form lists as attached.
    attachments: str = ""
    #: Contract fields the form has a place for but leaves blank (or as a placeholder).
    blanks: frozenset[str] = frozenset()
    #: The reason-for-referral paragraphs, with ``{c1}``, ``{he1}``, ``{m}``… (see ``_names``).
    story: tuple[str, ...]

    @property
    def phoned(self) -> bool:
        """The referrer discussed the referral by telephone first."""
        return self.phoned_to is not None


@dataclass(frozen=True)
class Family:
    """The people on one form, as the form writes them."""

    referrer: Referrer
    #: The referred children, first child first.
    children: tuple[Child, ...]
    #: Other children in the household, not referred.
    others: tuple[Child, ...]
    mother: Carer
    partner: Carer | None


@dataclass(frozen=True)
class Built:
    """One rendered case: where it goes, its bytes and what a parser should read back."""

    template: str
    case: str
    ext: str
    data: bytes
    expected: dict[str, Any]


def _age(dob: dt.date, on: dt.date) -> int:
    years = on.year - dob.year
    return years - ((on.month, on.day) < (dob.month, dob.day))


def _family(spec: Spec) -> Family:
    rng = rng_for(f"heldout3/{spec.template}/{spec.case}")
    on = spec.when.date()
    agency = agency_named(spec.agency)
    if agency is None:
        raise ValueError(f"unknown agency {spec.agency!r}")
    lo, hi, gender = spec.kids[0]
    first = make_child(rng, on=on, min_age=lo, max_age=hi, gender=gender)
    home = (first.address, first.postcode)
    used = {first.forenames.split()[0]}

    def sibling(lo: int, hi: int, gender: str | None) -> Child:
        while True:
            child = make_child(
                rng, on=on, surname=first.surname, home=home, min_age=lo, max_age=hi, gender=gender
            )
            name = child.forenames.split()[0]
            if name not in used:
                used.add(name)
                return child

    children = [first, *(sibling(*kid) for kid in spec.kids[1:])]
    others = tuple(sibling(*kid) for kid in spec.others)
    oldest = max(_age(c.dob, on) for c in (*children, *others) if c.dob)
    mother = make_carer(
        rng, on=on, surname=first.surname, home=home, relationship="Mother", oldest_child_age=oldest
    )
    partner = None
    if spec.partner:
        surname = first.surname
        while spec.partner != "Father" and surname == first.surname:
            surname = make_child(rng, on=on).surname
        partner = make_carer(
            rng,
            on=on,
            surname=surname,
            home=home,
            relationship=spec.partner,
            oldest_child_age=oldest,
        )
    # A referrer who shares the family's surname or a parent's first name would confuse readers.
    taken = {first.surname, mother.name.split()[0], *(partner.name.split()[:1] if partner else [])}
    referrer = make_referrer(rng, agency=agency)
    while taken & set(referrer.name.split()) or referrer.email.endswith("mail.example.com"):
        referrer = make_referrer(rng, agency=agency)
    for field_name in ("referrer_phone", "referrer_email"):
        if field_name in spec.blanks:
            referrer = replace(referrer, **{field_name.removeprefix("referrer_"): ""})
    if "child_dob" in spec.blanks:
        children[0] = replace(children[0], dob=None)
    return Family(referrer, tuple(children), others, mother, partner)


def _pronouns(child: Child, n: int) -> dict[str, str]:
    female = child.gender == "Female"
    words = {
        "he": "she" if female else "he",
        "his": "her" if female else "his",
        "him": "her" if female else "him",
        "son": "daughter" if female else "son",
    }
    out = {f"{key}{n}": value for key, value in words.items()}
    out.update({f"{key.capitalize()}{n}": value.capitalize() for key, value in words.items()})
    return out


def _names(spec: Spec, fam: Family) -> dict[str, str]:
    on = spec.when.date()
    names: dict[str, str] = {
        "m": fam.mother.name.split()[0],
        "p": fam.partner.name.split()[0] if fam.partner else "",
        "address": f"{fam.children[0].address}",
    }
    for n, child in enumerate((*fam.children, *fam.others), start=1):
        names[f"c{n}"] = child.forenames.split()[0]
        names[f"full{n}"] = f"{child.forenames} {child.surname}"
        names.update(_pronouns(child, n))
        if child.dob:
            years = _age(child.dob, on)
            months = (on.year - child.dob.year) * 12 + on.month - child.dob.month
            months -= on.day < child.dob.day
            names[f"age{n}"] = str(years)
            names[f"months{n}"] = str(months)
    return names


def _story(spec: Spec, fam: Family) -> tuple[str, ...]:
    names = _names(spec, fam)
    return tuple(paragraph.format_map(names) for paragraph in spec.story)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _tri(value: bool | None) -> str:
    if value is None:
        return "unknown"
    return "yes" if value else "no"


def _expected(spec: Spec, fam: Family, places: Sequence[str]) -> dict[str, Any]:
    children = [child.to_contract() for child in fam.children]
    first = children[0]
    referrer = fam.referrer
    when = spec.when
    values: dict[str, Any] = {
        "referral_datetime": when.strftime("%Y-%m-%dT%H:%M")
        if spec.timed
        else when.date().isoformat(),
        "urgent": spec.urgent,
        "phoned": spec.phoned,
        "phoned_at": spec.phoned_at.strftime("%Y-%m-%dT%H:%M") if spec.phoned_at else None,
        "phoned_to": spec.phoned_to,
        "threshold_level": spec.threshold,
        "referrer_name": referrer.name or None,
        "referrer_role": referrer.role or None,
        "referrer_agency": referrer.agency or None,
        "referrer_phone": referrer.phone or None,
        "referrer_email": referrer.email or None,
        **{f"child_{key}": value for key, value in first.items()},
        "parents_aware": _tri(spec.parents_aware),
        "consent": _tri(spec.consent),
        "consent_refused_reason": _collapse(spec.consent_reason.format_map(_names(spec, fam)))
        or None,
        "dsl_consulted": spec.dsl,
        "known_to_csc": _tri(spec.known),
        "concern_narrative": _collapse(" ".join(_story(spec, fam))) or None,
        "gcp_attached_claimed": spec.gcp,
    }
    for name in spec.blanks:
        values[name] = None
    unknown = [name for name in places if name not in values]
    if unknown:
        raise ValueError(f"not contract fields: {unknown}")
    concerns = set(spec.ticked) | set(spec.stated)
    return {
        "kind": "rfs",
        "template": "unknown",
        "fields": {name: values[name] for name in FIELD_NAMES if name in places},
        "children": children,
        "concerns": [code for code in CONCERN_CODES if code in concerns],
    }


# --- date styles ---------------------------------------------------------------------------------


def _dmy(day: dt.date | None, sep: str = "/") -> str:
    return day.strftime(f"%d{sep}%m{sep}%Y") if day else ""


def _ordinal(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _long_date(day: dt.date, *, weekday: bool = False, ordinal: bool = False) -> str:
    number = _ordinal(day.day) if ordinal else str(day.day)
    text = f"{number} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_DAYS[day.weekday()]} {text}" if weekday else text


def _police_time(when: dt.datetime) -> str:
    """``Mon 2 Mar 2026 at 14:05``."""
    return (
        f"{_DAYS[when.weekday()][:3]} {when.day} {_MONTHS[when.month - 1][:3]} {when.year}"
        f" at {when:%H:%M}"
    )


def _clock12(when: dt.datetime) -> str:
    """``3.00pm``, ``10.15am``."""
    hour = when.hour % 12 or 12
    return f"{hour}.{when.minute:02d}{'am' if when.hour < 12 else 'pm'}"


def _short_month(day: dt.date | None) -> str:
    """``12 Mar 2016``."""
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}" if day else ""


def _year_group(dob: dt.date, on: dt.date) -> str:
    start = on.year if on.month >= 9 else on.year - 1
    cohort = dob.year if dob.month >= 9 else dob.year - 1
    year = start - cohort - 5
    return "Reception" if year == 0 else f"Year {year}"


# --- Word helpers --------------------------------------------------------------------------------

_GREY = RGBColor(0x80, 0x80, 0x80)


class _Word:
    """A python-docx document with a marking in the header and the fiction notice in the footer."""

    def __init__(self, *, author: str, created: dt.datetime, header: str, font: str) -> None:
        self.doc = new_document()
        self.author = author
        self.created = created
        self._sdt_id = 100
        normal = self.doc.styles["Normal"]
        normal.font.name = font
        normal.font.size = Pt(10)
        section = self.doc.sections[0]
        section.left_margin = section.right_margin = Cm(1.8)
        head = section.header.paragraphs[0]
        head.text = header
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot = section.footer.paragraphs[0]
        foot.text = FICTION_NOTICE
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        style: str | None = None,
        center: bool = False,
        color: RGBColor | None = None,
    ) -> Any:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
            if size:
                run.font.size = Pt(size)
            if color is not None:
                run.font.color.rgb = color
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def table(self, rows: int, cols: int, widths: Sequence[float]) -> Any:
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        return table

    def sdt(self, paragraph: Any, text: str, tag: str) -> None:
        """An inline plain-text content control holding ``text`` (lines split by ``\\n``)."""
        sdt, content = self._sdt_shell(tag, placeholder=not text, rich=False)
        run = OxmlElement("w:r")
        lines = (text or TAP).split("\n")
        if not text:
            run.append(_grey_rpr())
        for index, line in enumerate(lines):
            if index:
                run.append(OxmlElement("w:br"))
            run.append(_w_t(line))
        content.append(run)
        paragraph._p.append(sdt)

    def rich_sdt(self, cell: Any, paragraphs: Sequence[str], tag: str) -> None:
        """A block-level rich-text content control filling ``cell`` with ``paragraphs``."""
        sdt, content = self._sdt_shell(tag, placeholder=not paragraphs, rich=True)
        for text in paragraphs or (TAP,):
            p = OxmlElement("w:p")
            run = OxmlElement("w:r")
            if not paragraphs:
                run.append(_grey_rpr())
            run.append(_w_t(text))
            p.append(run)
            content.append(p)
        tc = cell._tc
        for p in list(tc.findall(qn("w:p"))):
            tc.remove(p)
        tc.append(sdt)

    def _sdt_shell(self, tag: str, *, placeholder: bool, rich: bool) -> tuple[Any, Any]:
        self._sdt_id += 1
        sdt = OxmlElement("w:sdt")
        pr = OxmlElement("w:sdtPr")
        for name, value in (("w:alias", tag), ("w:tag", tag), ("w:id", str(self._sdt_id))):
            element = OxmlElement(name)
            element.set(qn("w:val"), value)
            pr.append(element)
        if placeholder:
            pr.append(OxmlElement("w:showingPlcHdr"))
        if not rich:
            text = OxmlElement("w:text")
            text.set(qn("w:multiLine"), "1")
            pr.append(text)
        sdt.append(pr)
        content = OxmlElement("w:sdtContent")
        sdt.append(content)
        return sdt, content

    def save(self) -> bytes:
        props = self.doc.core_properties
        props.title = ""
        props.author = self.author
        props.last_modified_by = self.author
        props.created = self.created
        props.modified = self.created
        props.revision = 1
        props.comments = FICTION_NOTICE
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return fixed_zip(buffer.getvalue(), self.created)


def _w_t(text: str) -> Any:
    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    return element


def _grey_rpr() -> Any:
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "808080")
    rpr.append(color)
    return rpr


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _shade_paragraph(paragraph: Any, fill: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    p_pr.append(shd)


def _put(cell: Any, text: str, *, bold: bool = False, size: float | None = None) -> None:
    """Write ``text`` into ``cell``, one paragraph per line; placeholders in grey."""
    for index, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if line in _PLACEHOLDERS:
            run.font.color.rgb = _GREY


def _ticks(paragraph: Any, options: Sequence[str], selected: str | None) -> None:
    """``☒ Yes   ☐ No`` appended to ``paragraph``."""
    for index, option in enumerate(options):
        if index:
            paragraph.add_run("   ")
        glyph = paragraph.add_run(TICKED if option == selected else UNTICKED)
        glyph.font.name = "MS Gothic"
        paragraph.add_run(f" {option}")


def _choice(value: bool | None, *, unknown: str = "") -> str | None:
    """Which of Yes / No / ``unknown`` a tri-state answer selects."""
    if value is None:
        return unknown or None
    return "Yes" if value else "No"


# --- PDF helpers ---------------------------------------------------------------------------------

_LATIN = {
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    TICKED: "[X]",
    UNTICKED: "[ ]",
}


def _latin(text: str) -> str:
    for old, new in _LATIN.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    """A4 with a running header line and the fiction notice in the footer."""

    def __init__(self, *, left: str, right: str, created: dt.datetime, author: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.left_text = left
        self.right_text = right
        self.set_creation_date(created.replace(tzinfo=dt.UTC))
        self.set_author(_latin(author))
        self.set_subject(FICTION_NOTICE)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(15, 12, 15)

    def header(self) -> None:
        self.set_font("Helvetica", "", 7.5)
        self.cell(self.epw / 2, 4, _latin(self.left_text), align="L")
        self.cell(
            self.epw / 2, 4, _latin(self.right_text), align="R", new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 7)
        self.cell(0, 5, _latin(f"{FICTION_NOTICE}   Page {self.page_no()}"), align="C")

    def bar(self, text: str, fill: tuple[int, int, int], *, white: bool = True) -> None:
        if self.get_y() > self.page_break_trigger - 20:
            self.add_page()
        self.set_font("Helvetica", "B", 10)
        self.set_fill_color(*fill)
        self.set_text_color(*((255, 255, 255) if white else (0, 0, 0)))
        self.cell(0, 6.5, _latin(text), fill=True, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def paragraphs(self, texts: Sequence[str], size: float = 9.5) -> None:
        self.set_font("Helvetica", "", size)
        for text in texts:
            self.multi_cell(0, 4.8, _latin(text), align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(1.5)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


# --- 1. GP practice: NHS Safeguarding Children Referral (DOCX) -----------------------------------
# Modelled on the GP/primary-care safeguarding children referral forms that NHS integrated care
# boards publish for practices: question|response tables, a separate "Reason for referral" section.

GP = "gp-safeguarding-referral"
_GP_PLACES = FIELD_NAMES
_NHS_BLUE = "005EB8"
_GP_LABEL = "E8EDEE"


def _gp_table(word: _Word, rows: Sequence[tuple[str, str]], title: str = "") -> None:
    table = word.table(len(rows) + (1 if title else 0), 2, (9.5, 8.0))
    offset = 0
    if title:
        cell = table.rows[0].cells[0].merge(table.rows[0].cells[1])
        _shade(cell, _NHS_BLUE)
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        offset = 1
    for row, (question, answer) in zip(table.rows[offset:], rows, strict=True):
        _shade(row.cells[0], _GP_LABEL)
        _put(row.cells[0], question)
        _put(row.cells[1], answer)
    word.para()


def _gp(spec: Spec, fam: Family) -> bytes:
    rng = random.Random(f"{spec.case}/refs")
    ref = fam.referrer
    word = _Word(
        author=ref.name,
        created=spec.when,
        header="NHS | OFFICIAL-SENSITIVE: PERSONAL when complete",
        font="Arial",
    )
    word.para(ref.agency, bold=True, size=13, color=RGBColor(0x00, 0x5E, 0xB8))
    word.para("Safeguarding Children Referral", style="Title")
    word.para(
        "Primary care referral to the Southend Children's Single Point of Contact (C-SPOC). If you "
        "believe a child is at immediate risk of significant harm, telephone C-SPOC on 01632 960215"
        " (out of hours: Emergency Duty Team, 01632 960899) before sending this form by secure "
        "email. Please answer every question; write 'not known' rather than leaving a gap.",
        italic=True,
        size=9,
    )
    call_to = spec.phoned_to or ("N/A" if spec.case.endswith("domestic-abuse") else CLICK)
    call_at = f"{spec.phoned_at:%d/%m/%Y %H:%M}" if spec.phoned_at else CLICK
    level = CHOOSE if "threshold_level" in spec.blanks else f"Level {spec.threshold}"
    dsl = {
        True: "Yes – discussed with the practice safeguarding lead GP",
        False: "No – practice safeguarding lead on leave",
        None: CLICK,
    }[spec.dsl]
    word.doc.add_heading("Part A – About this referral", level=2)
    _gp_table(
        word,
        (
            (
                "Date and time this referral was completed (dd/mm/yyyy hh:mm)",
                f"{spec.when:%d/%m/%Y %H:%M}",
            ),
            (
                "Is any child named on this form at immediate risk of significant harm? If yes, "
                "you must also telephone C-SPOC before sending this form.",
                "Yes" if spec.urgent else "No",
            ),
            (
                "Has this referral already been discussed by telephone with a member of the C-SPOC "
                "team?",
                "Yes" if spec.phoned else "No",
            ),
            ("If discussed by telephone: name of the C-SPOC worker you spoke to", call_to),
            ("If discussed by telephone: date and time of the call", call_at),
            (
                "Which level of need do you believe applies, using the Southend multi-agency "
                "threshold guidance (Levels 1 to 4)?",
                level,
            ),
            ("Has this referral been discussed with the practice safeguarding lead?", dsl),
        ),
    )
    word.doc.add_heading("Part B – Person making this referral", level=2)
    _gp_table(
        word,
        (
            ("Name of the GP or clinician making this referral", ref.name),
            ("Role / designation", ref.role),
            ("Practice", ref.agency),
            (
                "Direct telephone number (please do not give the practice switchboard)",
                ref.phone or CLICK,
            ),
            ("Secure email address for feedback (nhs.net)", ref.email or CLICK),
        ),
    )
    word.doc.add_heading("Part C – Child or children who are the subject of this referral", level=2)
    for number, child in enumerate(fam.children, start=1):
        lines = [*child.address.split(", "), child.postcode]
        _gp_table(
            word,
            (
                ("Full name (give any other names the child is known by below)", child.full_name),
                ("Other names used", "None known"),
                ("Date of birth", _dmy(child.dob) or CLICK),
                ("Sex", child.gender),
                ("NHS number", f"999 {rng.randrange(1000):03d} {rng.randrange(10000):04d}"),
                ("Home address and postcode", "\n".join(lines)),
                ("School, nursery or other setting", child.school or "Not in a setting"),
            ),
            title=f"Child {number}",
        )
    word.para("Other children connected to the family who are NOT the subject of this referral:")
    if fam.others:
        table = word.table(len(fam.others) + 1, 3, (7.0, 3.5, 7.0))
        for cell, text in zip(
            table.rows[0].cells, ("Name", "Date of birth", "Where they live"), strict=True
        ):
            _shade(cell, _GP_LABEL)
            _put(cell, text, bold=True)
        for row, child in zip(table.rows[1:], fam.others, strict=True):
            _put(row.cells[0], child.full_name)
            _put(row.cells[1], _dmy(child.dob))
            _put(row.cells[2], "With paternal grandmother (visits at weekends)")
        word.para()
    else:
        word.para("None known")
    word.doc.add_heading("Part D – Parents and carers", level=2)
    adults = [fam.mother] + ([fam.partner] if fam.partner else [])
    table = word.table(len(adults) + 1, 4, (5.5, 3.5, 3.0, 5.5))
    for cell, text in zip(
        table.rows[0].cells,
        ("Name", "Relationship to child(ren)", "Parental responsibility?", "Contact number"),
        strict=True,
    ):
        _shade(cell, _GP_LABEL)
        _put(cell, text, bold=True)
    for row, adult in zip(table.rows[1:], adults, strict=True):
        _put(row.cells[0], adult.name)
        _put(row.cells[1], adult.relationship)
        _put(row.cells[2], "Yes" if adult.parental_responsibility else "No")
        _put(row.cells[3], adult.phone)
    word.para()
    names = _names(spec, fam)
    reason = spec.consent_reason.format_map(names)
    known = {
        True: "Yes – previous child in need plan, closed in 2024",
        False: "No",
        None: "Not known",
    }
    _gp_table(
        word,
        (
            (
                "Are the parents or carers aware that this referral is being made?",
                {True: "Yes", False: "No", None: "Not known"}[spec.parents_aware],
            ),
            (
                "Have the parents or carers consented to this referral? (For a young person of "
                "sufficient understanding, record their own view too.)",
                {True: "Yes", False: "No", None: "Not known"}[spec.consent],
            ),
            (
                "If consent has not been sought, or was refused, please explain why",
                reason or "N/A",
            ),
            (
                "To your knowledge, is the child or family known to Children's Social Care, now or "
                "in the past?",
                known[spec.known],
            ),
        ),
        title="Consent and previous involvement",
    )
    word.doc.add_heading("Reason for referral", level=1)
    word.para(
        "What has happened, what you have seen or been told, and why you are worried. Include "
        "dates and, where possible, the child's own words.",
        italic=True,
        size=8.5,
        color=_GREY,
    )
    for paragraph in _story(spec, fam):
        word.para(paragraph)
    word.doc.add_heading("Impact on the child and what the practice has done so far", level=1)
    word.para(
        "The practice has added an alert to the record of each child named above and will share "
        "information with the health visiting and school nursing teams. We will attend any "
        "meeting we are invited to."
    )
    word.doc.add_heading("Attachments", level=1)
    _gp_table(
        word,
        (
            (
                "Documents sent with this referral (for example a chronology, Graded Care Profile "
                "2, clinic or hospital letters)",
                spec.attachments,
            ),
        ),
    )
    word.para(f"Completed by: {ref.name}, {ref.role}        Date: {spec.when:%d/%m/%Y}")
    return word.save()


# --- 2. Nursery: Request for Early Help Support (DOCX) -------------------------------------------
# Modelled on local authority "Request for Early Help Support" forms completed by early years
# settings (Word forms with content controls and tick boxes beside each question).

NURSERY = "nursery-early-help-request"
_NURSERY_PLACES = FIELD_NAMES
_PLUM = "5B2C6F"
_LILAC = "EFE6F3"
_WORRIES: tuple[tuple[str, str], ...] = (
    ("neglect", "Neglect / basic care"),
    ("physical_abuse", "Physical harm or injury"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse at home"),
    ("mental_health", "Mental health (child or adult)"),
    ("substance_misuse", "Drug or alcohol misuse"),
    ("missing", "Child missing"),
    ("online_harm", "Online safety"),
    ("other", "Other (please say below)"),
)


def _nursery_heading(word: _Word, text: str) -> None:
    paragraph = word.para(text, bold=True, size=11, color=RGBColor(0xFF, 0xFF, 0xFF))
    _shade_paragraph(paragraph, _PLUM)


def _nursery_child(word: _Word, child: Child | None, tag: str) -> None:
    table = word.table(4, 4, (3.6, 5.2, 3.2, 5.4))
    labels = (
        ("First name(s)", "Last name"),
        ("Date of birth", "Gender"),
        ("Address", ""),
        ("Postcode", "Days attending"),
    )
    values: tuple[tuple[str, str], ...] = (("", ""), ("", ""), ("", ""), ("", ""))
    if child is not None:
        values = (
            (child.forenames, child.surname),
            (_dmy(child.dob), "Girl" if child.gender == "Female" else "Boy"),
            ("\n".join(child.address.split(", ")), ""),
            (child.postcode, "Monday, Tuesday and Thursday"),
        )
    for row, (left, right), (value_l, value_r) in zip(table.rows, labels, values, strict=True):
        cells = row.cells
        _shade(cells[0], _LILAC)
        _put(cells[0], left, bold=True)
        if not right:
            merged = cells[1].merge(cells[3])
            word.sdt(merged.paragraphs[0], value_l, f"{tag}_{left.lower()}")
            continue
        word.sdt(cells[1].paragraphs[0], value_l, f"{tag}_{left.lower()}")
        _shade(cells[2], _LILAC)
        _put(cells[2], right, bold=True)
        word.sdt(cells[3].paragraphs[0], value_r, f"{tag}_{right.lower()}")
    word.para()


def _nursery(spec: Spec, fam: Family) -> bytes:
    ref = fam.referrer
    word = _Word(
        author=ref.name,
        created=spec.when,
        header="OFFICIAL – SENSITIVE once completed",
        font="Calibri",
    )
    word.para("Request for Early Help Support", bold=True, size=18, center=True)
    word.para(
        "For early years settings. Level 2 support is arranged by the setting itself; use this "
        "form to ask for Supporting Families (Level 3) help or to raise a concern with "
        "Children's Social Care. Please talk to the family first: early help is voluntary and "
        "needs their agreement.",
        italic=True,
        size=9,
        center=True,
    )
    _nursery_heading(word, "1   About your setting")
    table = word.table(6, 2, (5.5, 11.9))
    rows = (
        ("Name of setting", ref.agency),
        ("Completed by", ref.name),
        ("Position in setting", ref.role),
        ("Telephone", ref.phone),
        ("Email", ref.email),
        ("Date of request", _long_date(spec.when.date(), weekday=True, ordinal=True)),
    )
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _shade(row.cells[0], _LILAC)
        _put(row.cells[0], label, bold=True)
        word.sdt(row.cells[1].paragraphs[0], value, label.lower().replace(" ", "_"))
    word.para()
    _nursery_heading(word, "2   About the child")
    _nursery_child(word, fam.children[0], "child1")
    word.para(
        "Second child – only complete if this request is also for a brother or sister",
        bold=True,
        size=9,
    )
    _nursery_child(word, fam.children[1] if len(fam.children) > 1 else None, "child2")
    _nursery_heading(word, "3   Who lives with the child?")
    household: list[tuple[str, str, str]] = [(fam.mother.name, "Mother", _dmy(fam.mother.dob))]
    if fam.partner:
        household.append((fam.partner.name, fam.partner.relationship, _dmy(fam.partner.dob)))
    for other in fam.others:
        relation = "Sister" if other.gender == "Female" else "Brother"
        household.append((other.full_name, relation, _dmy(other.dob)))
    table = word.table(len(household) + 1, 3, (7.0, 5.0, 5.4))
    for cell, text in zip(
        table.rows[0].cells, ("Name", "Relationship to the child", "Date of birth"), strict=True
    ):
        _shade(cell, _LILAC)
        _put(cell, text, bold=True)
    for row, values in zip(table.rows[1:], household, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _put(cell, text)
    word.para()
    _nursery_heading(word, "4   Consent and safeguarding")
    blank = spec.blanks
    names = _names(spec, fam)
    call = ""
    if spec.phoned_at and spec.phoned_to:
        if spec.case.startswith("two-children"):
            day = _long_date(spec.phoned_at.date(), weekday=True, ordinal=True)
            call = f"{spec.phoned_to} – {day}, {_clock12(spec.phoned_at)}"
        else:
            call = f"{spec.phoned_to}, {spec.phoned_at:%d/%m/%Y} at {_clock12(spec.phoned_at)}"
    level = f"Level {spec.threshold}" if spec.threshold and "threshold_level" not in blank else None
    questions: tuple[tuple[str, tuple[str, ...], str | None, bool], ...] = (
        (
            "Does the parent/carer know that you are making this request?",
            ("Yes", "No", "Not sure"),
            _choice(spec.parents_aware, unknown="Not sure"),
            False,
        ),
        (
            "Has the parent/carer given consent for this request to be shared with C-SPOC and "
            "with other services?",
            ("Yes", "No"),
            None if "consent" in blank else _choice(spec.consent),
            True,
        ),
        (
            "Have you talked this request through with your setting's Designated Safeguarding "
            "Lead?",
            ("Yes", "No"),
            None if "dsl_consulted" in blank else _choice(spec.dsl),
            False,
        ),
        (
            "Do you think any child is at risk of immediate harm? If so, please also ring C-SPOC "
            "straight away.",
            ("Yes", "No"),
            _choice(spec.urgent),
            True,
        ),
        (
            "Have you already discussed this family with C-SPOC by telephone?",
            ("Yes", "No"),
            _choice(spec.phoned),
            False,
        ),
        (
            "Is the family known to Children's Social Care?",
            ("Yes", "No", "Don't know"),
            _choice(spec.known, unknown="Don't know"),
            False,
        ),
        (
            "Which level of need do you feel the family is at?",
            ("Level 2", "Level 3", "Level 4"),
            level,
            True,
        ),
        (
            "Has a Graded Care Profile 2 (GCP2) been completed with the family? If so, please "
            "attach it to your email.",
            ("Yes", "No"),
            _choice(spec.gcp),
            False,
        ),
    )
    free_text = {
        1: ("If consent has not been given, please explain why:", spec.consent_reason, "consent"),
        4: ("If yes – who did you speak to, and when?", call, "call"),
    }
    rows_needed = len(questions) + len(free_text)
    table = word.table(rows_needed, 1, (17.4,))
    row_iter = iter(table.rows)
    for index, (question, options, selected, own_line) in enumerate(questions):
        cell = next(row_iter).cells[0]
        paragraph = cell.paragraphs[0]
        paragraph.add_run(question)
        if own_line:
            paragraph = cell.add_paragraph()
        else:
            paragraph.add_run("\t")
        _ticks(paragraph, options, selected)
        if index in free_text:
            label, value, tag = free_text[index]
            cell = next(row_iter).cells[0]
            cell.paragraphs[0].add_run(label).italic = True
            word.sdt(cell.add_paragraph(), value.format_map(names), tag)
    word.para()
    _nursery_heading(word, "5   What are you worried about? (tick all that apply)")
    columns = 2
    table = word.table((len(_WORRIES) + columns - 1) // columns, columns, (8.7, 8.7))
    for index, (code, label) in enumerate(_WORRIES):
        cell = table.rows[index // columns].cells[index % columns]
        glyph = cell.paragraphs[0].add_run(TICKED if code in spec.ticked else UNTICKED)
        glyph.font.name = "MS Gothic"
        cell.paragraphs[0].add_run(f" {label}")
    word.para()
    boxes = (
        (
            "6   What is happening for this child and family, and why are you asking for support?",
            list(_story(spec, fam)),
            "worries",
        ),
        (
            "7   What has the setting already done to help?",
            [
                "Extra key worker time, a daily check-in with the parent at collection and "
                "signposting to the local family hub's parenting sessions."
            ],
            "support_so_far",
        ),
        (
            "8   What does the family want to change? (in their own words if possible)",
            [f'{names["m"]} says: "I want things to be calmer at home and to get some help."'],
            "family_view",
        ),
    )
    for title, paragraphs, tag in boxes:
        _nursery_heading(word, title)
        table = word.table(1, 1, (17.4,))
        word.rich_sdt(table.rows[0].cells[0], paragraphs, tag)
        word.para()
    word.para(f"Signed: {ref.name}          Position: {ref.role}", size=9)
    return word.save()


# --- 3. Police: Children's Services Contact Form (PDF) -------------------------------------------
# Modelled on police child-concern notifications to children's services (the "child coming to
# notice" / public protection notice exports sent to a MASH by a police safeguarding hub).

POLICE = "police-contact-form"
_POLICE_PLACES = tuple(
    f for f in FIELD_NAMES if f not in ("threshold_level", "gcp_attached_claimed")
)
_POLICE_BLUE = (0, 40, 85)
_POLICE_GREY = FontFace(emphasis="BOLD", fill_color=(222, 226, 232))
_RISKS: tuple[tuple[str, str], ...] = (
    ("domestic_abuse", "Domestic abuse"),
    ("physical_abuse", "Physical abuse / injury"),
    ("sexual_abuse", "Sexual abuse"),
    ("neglect", "Neglect / home conditions"),
    ("cse", "Child sexual exploitation"),
    ("cce", "Criminal exploitation / county lines"),
    ("missing", "Missing episode"),
    ("online_harm", "Online harm / offending"),
    ("substance_misuse", "Drugs / alcohol"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm / suicidal ideation"),
    ("other", "Other"),
)
_INCIDENT = {
    "da-two-children": ("Domestic incident - crime recorded", dt.timedelta(hours=14, minutes=25)),
    "missing-county-lines": ("Missing person - found", dt.timedelta(hours=5, minutes=5)),
    "online-grooming": ("Sexual offence - online", dt.timedelta(hours=21, minutes=45)),
    "welfare-check-narrative-only": ("Concern for welfare", dt.timedelta(hours=15, minutes=40)),
}


def _police(spec: Spec, fam: Family) -> bytes:
    rng = random.Random(f"{spec.case}/refs")
    ref = fam.referrer
    pdf = _Pdf(
        left="OFFICIAL - SENSITIVE",
        right="Southend District Police - Safeguarding Hub",
        created=spec.when,
        author=ref.name,
    )
    pdf.set_title("Children's Services Contact Form")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, "Children's Services Contact Form", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        "Notification of a child or children coming to police notice, for the attention of the "
        "Children's Single Point of Contact (C-SPOC). Not for onward disclosure without police "
        "consent.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    incident_type, before = _INCIDENT[spec.case]
    incident = spec.when - before
    crime = f"42/{rng.randrange(10000, 99999)}/26"
    if spec.case.startswith("welfare") or spec.case.startswith("missing"):
        crime = "N/A"
    refs = (
        ("Contact ref.", f"PSH/{spec.when:%y}/{rng.randrange(1000, 9999):06d}"),
        ("Crime ref.", crime),
        ("Incident (CAD) no.", f"CAD {rng.randrange(100, 9999)} {incident:%d/%m/%y}"),
        ("Date/time submitted", _police_time(spec.when)),
    )
    pdf.set_font("Helvetica", "", 8.5)
    with pdf.table(
        col_widths=(22, 22, 26, 30),
        text_align="LEFT",
        first_row_as_headings=True,
        headings_style=_POLICE_GREY,
        line_height=5,
    ) as table:
        head = table.row()
        for label, _ in refs:
            head.cell(label)
        values = table.row()
        for _, value in refs:
            values.cell(_latin(value))
    pdf.ln(4)
    pdf.bar("Officer details", _POLICE_BLUE)
    pdf.set_font("Helvetica", "", 9)
    collar = str(rng.randrange(1000, 9999))
    with pdf.table(
        col_widths=(16, 34, 14, 41),
        text_align="LEFT",
        first_row_as_headings=False,
        borders_layout="SINGLE_TOP_LINE",
        line_height=5,
    ) as table:
        for left, right in (
            (("Name", ref.name), ("Collar no.", collar)),
            (("Rank / role", ref.role), ("Team / unit", ref.agency)),
            (("Telephone", ref.phone), ("Email", ref.email)),
        ):
            row = table.row()
            for label, value in (left, right):
                row.cell(label, style=FontFace(emphasis="BOLD"))
                row.cell(_latin(value))
    pdf.ln(3)
    pdf.bar("Incident", _POLICE_BLUE)
    with pdf.table(
        col_widths=(30, 70), text_align="LEFT", first_row_as_headings=False, line_height=5
    ) as table:
        for label, value in (
            ("Date/time of incident", _police_time(incident)),
            ("Type of incident", incident_type),
            ("Location", f"{fam.children[0].address}, {fam.children[0].postcode}"),
        ):
            row = table.row()
            row.cell(label, style=_POLICE_GREY)
            row.cell(_latin(value))
    pdf.ln(3)
    pdf.bar("Children involved", _POLICE_BLUE)
    pdf.set_font("Helvetica", "", 8.5)
    with pdf.table(
        col_widths=(30, 18, 9, 8, 48, 14),
        text_align="LEFT",
        first_row_as_headings=True,
        headings_style=_POLICE_GREY,
        line_height=4.5,
    ) as table:
        head = table.row()
        for text in ("Name (SURNAME, Forename)", "DOB", "Age", "Sex", "Home address", "Present?"):
            head.cell(text)
        for number, child in enumerate(fam.children):
            row = table.row()
            row.cell(_latin(f"{child.surname}, {child.forenames}"))
            row.cell(_dmy(child.dob))
            row.cell(str(_age(child.dob, spec.when.date())) if child.dob else "")
            row.cell(child.gender[0])
            row.cell(_latin(f"{child.address}, {child.postcode}"))
            present = "Yes"
            if spec.case.startswith("online"):
                present = "No"
            elif spec.case.startswith("da") and number > 0:
                present = "Yes (asleep)"
            row.cell(present)
    pdf.ln(3)
    pdf.bar("Adults involved", _POLICE_BLUE)
    adults = [(fam.mother, "Mother", "Victim / reporting person")]
    if fam.partner:
        role = "Suspect (arrested)" if spec.case.startswith("da") else "Not present"
        adults.append((fam.partner, fam.partner.relationship, role))
    with pdf.table(
        col_widths=(40, 20, 30, 40),
        text_align="LEFT",
        first_row_as_headings=True,
        headings_style=_POLICE_GREY,
        line_height=4.5,
    ) as table:
        head = table.row()
        for text in ("Name", "DOB", "Relationship to children", "Role in incident"):
            head.cell(text)
        for adult, relation, role in adults:
            row = table.row()
            row.cell(_latin(adult.name.upper()))
            row.cell(_dmy(adult.dob))
            row.cell(relation)
            if spec.case.startswith("welfare"):
                role = "Parent - absent when officers arrived"
            elif spec.case.startswith("missing") or spec.case.startswith("online"):
                role = "Reporting person" if adult is fam.mother else "Not present"
            row.cell(role)
    pdf.ln(3)
    pdf.bar("Risk factors identified (Y/N)", _POLICE_BLUE)
    half = (len(_RISKS) + 1) // 2
    with pdf.table(
        col_widths=(40, 10, 40, 10),
        text_align="LEFT",
        first_row_as_headings=False,
        line_height=4.5,
    ) as table:
        for index in range(half):
            row = table.row()
            for code, label in (_RISKS[index], _RISKS[index + half]):
                row.cell(label)
                row.cell("Y" if code in spec.ticked else "N", align="C")
    pdf.ln(3)
    pdf.bar("Reason for this contact - summary of circumstances", _POLICE_BLUE)
    pdf.paragraphs(_story(spec, fam))
    pdf.bar("Voice of the child", _POLICE_BLUE)
    pdf.paragraphs(
        (
            "Officers spoke with the child(ren) where age-appropriate, with a parent present "
            "unless stated above. Their words are recorded on the incident log.",
        )
    )
    pdf.bar("Actions and information sharing", _POLICE_BLUE)
    names = _names(spec, fam)
    answer = {True: "YES", False: "NO", None: "NOT KNOWN"}
    known = {True: "YES - open to Children's Social Care", False: "NO", None: "NOT KNOWN"}
    with pdf.table(
        col_widths=(55, 45), text_align="LEFT", first_row_as_headings=False, line_height=5
    ) as table:
        for label, value in (
            (
                "Does the officer believe a child needs an immediate safeguarding response?",
                answer[spec.urgent],
            ),
            ("Discussed with C-SPOC / EDT by telephone?", answer[spec.phoned]),
            ("Name of person spoken to", spec.phoned_to or ""),
            (
                "Date/time of call",
                _police_time(spec.phoned_at) if spec.phoned_at else "",
            ),
            ("Discussed with supervisor (Sgt) before submission?", answer[spec.dsl]),
            ("Are parents/carers aware of this notification?", answer[spec.parents_aware]),
            ("Consent to share obtained?", answer[spec.consent]),
            (
                "If no, reason for sharing without consent",
                spec.consent_reason.format_map(names),
            ),
            ("Known to Children's Services (police systems)?", known[spec.known]),
        ):
            row = table.row()
            row.cell(_latin(label), style=_POLICE_GREY)
            row.cell(_latin(value))
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        0,
        4,
        _latin(f"Submitted by {ref.name} ({collar}) via the Safeguarding Hub secure mailbox."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf.output_bytes()


# --- 4. School: Safeguarding referral to MASH (PDF) ----------------------------------------------
# Modelled on education "safeguarding referral to MASH" forms as printed to PDF from a school's
# safeguarding record system: numbered sections, bold labels and plain values side by side.

SCHOOL = "school-mash-referral"
_SCHOOL_PLACES = FIELD_NAMES
_LEVELS = {
    2: "Level 2 - Early Help (universal plus)",
    3: "Level 3 - Targeted support (Supporting Families)",
    4: "Level 4 - Specialist (Children's Social Care)",
}
_SCHOOL_CATEGORIES = {
    "neglect": "Neglect",
    "sexual_abuse": "Sexual abuse",
    "forced_marriage": "Forced marriage",
    "honour_based_abuse": "Honour-based abuse",
}


def _line_count(pdf: _Pdf, width: float, text: str) -> int:
    lines = pdf.multi_cell(width, 4.6, _latin(text), dry_run=True, output=MethodReturnValue.LINES)
    assert isinstance(lines, list)
    return len(lines)


def _kv(pdf: _Pdf, label: str, value: str, *, label_w: float = 64) -> None:
    """``label`` in bold and ``value`` in normal weight beside it, wrapping in its own column."""
    value_w = pdf.epw - label_w - 3
    pdf.set_font("Helvetica", "B", 9)
    label_lines = _line_count(pdf, label_w, label)
    pdf.set_font("Helvetica", "", 9)
    value_lines = _line_count(pdf, value_w, value or " ")
    height = max(label_lines, value_lines) * 4.6
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(label_w, 4.6, _latin(label), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + label_w + 3, top)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(value_w, 4.6, _latin(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + height + 1.2)


def _school_section(pdf: _Pdf, number: str, title: str) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 25:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, _latin(f"Section {number} – {title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(2)


def _school(spec: Spec, fam: Family) -> bytes:
    rng = random.Random(f"{spec.case}/refs")
    ref = fam.referrer
    printed = spec.when + dt.timedelta(minutes=11)
    pdf = _Pdf(
        left=f"Printed from SafeRecord on {printed:%d/%m/%Y} at {printed:%H:%M} by {ref.name}",
        right="OFFICIAL-SENSITIVE",
        created=printed,
        author=ref.name,
    )
    pdf.set_title("Safeguarding referral to MASH")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 17)
    pdf.cell(0, 9, "Safeguarding referral to MASH", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        _latin(
            "Education settings - referral to the Southend Children's Single Point of Contact "
            "(C-SPOC / MASH). Complete every section. Where a child is at immediate risk, "
            "telephone first and send this form the same day."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    names = _names(spec, fam)
    yes_no = {True: "Yes", False: "No", None: "Not known"}
    _school_section(pdf, "1", "Referral details")
    _kv(pdf, "Date of referral", _dmy(spec.when.date(), "."))
    _kv(pdf, "Time of referral", f"{spec.when:%H:%M}" if spec.timed else "")
    _kv(pdf, "Child at immediate risk of significant harm", yes_no[spec.urgent])
    _kv(pdf, "Level of need (Southend threshold)", _LEVELS[spec.threshold or 3])
    _kv(pdf, "Discussed with C-SPOC by telephone", yes_no[spec.phoned])
    _kv(pdf, "C-SPOC worker spoken to", spec.phoned_to or "")
    _kv(
        pdf,
        "Date and time of call",
        f"{_dmy(spec.phoned_at.date(), '.')} {spec.phoned_at:%H:%M}" if spec.phoned_at else "",
    )
    _school_section(pdf, "2", "Person making the referral")
    _kv(pdf, "Name", ref.name)
    _kv(pdf, "Role in school", ref.role)
    _kv(pdf, "School", ref.agency)
    _kv(pdf, "Direct telephone", ref.phone)
    _kv(pdf, "Email", ref.email)
    _kv(pdf, "Discussed with Designated Safeguarding Lead", yes_no[spec.dsl])
    dsl_name = ref.name if ref.role == "Designated Safeguarding Lead" else "Mrs J. Whitlock"
    _kv(pdf, "DSL name", dsl_name)
    total = len(fam.children)
    for number, child in enumerate(fam.children, start=1):
        title = "About the child" + (f" (child {number} of {total})" if total > 1 else "")
        _school_section(pdf, "3", title)
        _kv(pdf, "Legal surname", child.surname)
        _kv(pdf, "Legal forename(s)", child.forenames)
        _kv(pdf, "Known as", child.forenames.split()[0])
        _kv(pdf, "Date of birth", _dmy(child.dob, "."))
        _kv(pdf, "Gender", child.gender)
        _kv(pdf, "Year group", _year_group(child.dob, spec.when.date()) if child.dob else "")
        upn = f"{rng.choice('ABHKN')}{rng.randrange(10**11, 10**12)}{rng.choice('ABCDE')}"
        _kv(pdf, "UPN", upn)
        _kv(pdf, "Home address", child.address)
        _kv(pdf, "Postcode", child.postcode)
        _kv(pdf, "SEN support / EHCP", "No")
    _school_section(pdf, "4", "Family and household")
    _kv(pdf, "Parent/carer 1", f"{fam.mother.name} (mother) - {fam.mother.phone}")
    if fam.partner:
        relation = "father" if fam.partner.relationship == "Father" else "mother's partner"
        _kv(pdf, "Parent/carer 2", f"{fam.partner.name} ({relation}) - {fam.partner.phone}")
    for other in fam.others:
        _kv(pdf, "Other child in household", f"{other.full_name}, born {_dmy(other.dob, '.')}")
    _school_section(pdf, "5", "Consent and previous involvement")
    _kv(pdf, "Parent/carer aware of referral", yes_no[spec.parents_aware])
    _kv(pdf, "Consent given", yes_no[spec.consent])
    _kv(pdf, "Reason consent not sought or refused", spec.consent_reason.format_map(names))
    _kv(pdf, "Previous involvement with Children's Social Care", yes_no[spec.known])
    _school_section(pdf, "6", "Concerns")
    categories = "; ".join(_SCHOOL_CATEGORIES[code] for code in spec.ticked)
    _kv(pdf, "Category of concern", categories)
    story = _story(spec, fam)
    for index, paragraph in enumerate(story):
        _kv(pdf, "Details of concern" if index == 0 else "", paragraph)
    _kv(
        pdf,
        "Child's views and wishes",
        "The child's own words are recorded in the details above where they were given.",
    )
    _school_section(pdf, "7", "Actions taken and attachments")
    _kv(
        pdf,
        "Action already taken by school",
        "Pastoral support in school; concerns logged and monitored on SafeRecord.",
    )
    _kv(pdf, "Documents attached", spec.attachments)
    _school_section(pdf, "8", "Declaration")
    _kv(pdf, "Completed by", ref.name)
    _kv(pdf, "Date", _dmy(spec.when.date(), "."))
    return pdf.output_bytes()


# --- 5. Housing association: Multi-agency referral (DOCX) ----------------------------------------
# Modelled on the safeguarding / multi-agency referral forms social landlords use to refer a
# household to children's services, listing every household member.

HOUSING = "housing-multi-agency-referral"
_HOUSING_PLACES = tuple(f for f in FIELD_NAMES if f != "threshold_level")
_TEAL = "00695C"
_MINT = "DDEFEC"
_HOUSING_CONCERNS: tuple[tuple[str, str], ...] = (
    ("neglect", "Neglect / poor home conditions"),
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("cse", "Sexual exploitation"),
    ("cce", "Criminal exploitation / county lines"),
    ("substance_misuse", "Substance misuse"),
    ("mental_health", "Mental health"),
    ("self_harm", "Self-harm"),
    ("other", "Other"),
)


def _housing_band(word: _Word, text: str) -> None:
    table = word.table(1, 1, (17.4,))
    cell = table.rows[0].cells[0]
    _shade(cell, _TEAL)
    run = cell.paragraphs[0].add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _housing_pairs(word: _Word, rows: Sequence[tuple[str, str, str, str]]) -> None:
    table = word.table(len(rows), 4, (3.6, 5.1, 3.6, 5.1))
    for row, values in zip(table.rows, rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            if index % 2 == 0:
                _shade(cell, _MINT)
            _put(cell, text, bold=index % 2 == 0)
    word.para()


def _housing(spec: Spec, fam: Family) -> bytes:
    rng = random.Random(f"{spec.case}/refs")
    ref = fam.referrer
    word = _Word(
        author=ref.name,
        created=spec.when,
        header="Estuary Homes – Safeguarding – OFFICIAL SENSITIVE",
        font="Verdana",
    )
    _housing_band(word, "Multi-agency referral")
    word.para(
        "Housing provider referral to Children's Services (C-SPOC) about a child or young person. "
        "If anyone is in immediate danger call 999 first.",
        size=8.5,
        italic=True,
    )
    word.para("Referral information", bold=True, size=11)
    _housing_pairs(
        word,
        (
            (
                "Date of referral",
                _long_date(spec.when.date()),
                "Time",
                _clock12(spec.when) if spec.timed else "",
            ),
            (
                "Tenancy ref.",
                f"EH-{rng.randrange(100000, 999999)}",
                "Property type",
                "General needs flat"
                if "Flat" in fam.children[0].address
                else "General needs house",
            ),
        ),
    )
    word.para("About you", bold=True, size=11)
    _housing_pairs(
        word,
        (
            ("Staff member", ref.name, "Job title", ref.role),
            ("Organisation", ref.agency, "Team", "Tenancy and Neighbourhoods"),
            ("Contact number", ref.phone, "Email", ref.email),
        ),
    )
    word.para("Household address", bold=True, size=11)
    child = fam.children[0]
    postcode = child.postcode.lower() if spec.case.startswith("domestic") else child.postcode
    table = word.table(2, 2, (3.6, 13.8))
    for row, (label, value) in zip(
        table.rows,
        (("Address", "\n".join(child.address.split(", "))), ("Postcode", postcode)),
        strict=True,
    ):
        _shade(row.cells[0], _MINT)
        _put(row.cells[0], label, bold=True)
        _put(row.cells[1], value)
    word.para()
    word.para("Household members (everyone who lives at the property)", bold=True, size=11)
    members: list[tuple[str, str, str, str, str]] = [
        (fam.mother.name, _short_month(fam.mother.dob), "Female", "Tenant", "N")
    ]
    if fam.partner and spec.partner_at_home:
        members.append(
            (fam.partner.name, _short_month(fam.partner.dob), "Male", "Partner of tenant", "N")
        )
    for other in fam.others:
        relation = "Daughter" if other.gender == "Female" else "Son"
        members.append((other.full_name, _short_month(other.dob), other.gender, relation, "N"))
    for kid in fam.children:
        relation = "Daughter" if kid.gender == "Female" else "Son"
        members.append((kid.full_name, _short_month(kid.dob), kid.gender, relation, "Y"))
    header = (
        "Full name",
        "Date of birth",
        "Gender",
        "Relationship to tenant",
        "Subject of referral? (Y/N)",
    )
    table = word.table(len(members) + 1, 5, (5.0, 3.0, 2.4, 3.8, 3.2))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _shade(cell, _MINT)
        _put(cell, text, bold=True, size=9)
    for row, values in zip(table.rows[1:], members, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _put(cell, text)
    word.para()
    word.para("Nature of concern (tick all that apply)", bold=True, size=11)
    columns = 3
    table = word.table((len(_HOUSING_CONCERNS) + columns - 1) // columns, columns, (5.8,) * 3)
    for index, (code, label) in enumerate(_HOUSING_CONCERNS):
        cell = table.rows[index // columns].cells[index % columns]
        glyph = cell.paragraphs[0].add_run(TICKED if code in spec.ticked else UNTICKED)
        glyph.font.name = "Segoe UI Symbol"
        cell.paragraphs[0].add_run(f" {label}")
    word.para()
    table = word.table(2, 1, (17.4,))
    _shade(table.rows[0].cells[0], _MINT)
    _put(
        table.rows[0].cells[0],
        "Details of concern – what have you seen, heard or been told? Please include dates.",
        bold=True,
    )
    _put(table.rows[1].cells[0], "\n".join(_story(spec, fam)))
    word.para()
    word.para("Risk, contact and consent", bold=True, size=11)
    names = _names(spec, fam)
    call_when = ""
    if spec.phoned_at:
        call_when = f"{_long_date(spec.phoned_at.date())}, {_clock12(spec.phoned_at)}"
    manager = "Sandra Whitlock, Safeguarding Lead" if spec.dsl else ""
    rows: tuple[tuple[str, tuple[str, ...] | str, str | None], ...] = (
        ("Is any child at immediate risk?", ("Yes", "No"), _choice(spec.urgent)),
        (
            "Have you phoned Children's Services (C-SPOC) about this household?",
            ("Yes", "No"),
            _choice(spec.phoned),
        ),
        ("Name of person spoken to", spec.phoned_to or "", None),
        ("Date and time of call", call_when, None),
        (
            "Is the tenant / parent aware of this referral?",
            ("Yes", "No", "Not known"),
            _choice(spec.parents_aware, unknown="Not known"),
        ),
        (
            "Has the tenant / parent agreed to this referral?",
            ("Yes", "No"),
            None if "consent" in spec.blanks else _choice(spec.consent),
        ),
        ("If not agreed, or not asked, why?", spec.consent_reason.format_map(names), None),
        (
            "Referral approved by the Safeguarding Lead or line manager?",
            ("Yes", "No"),
            _choice(spec.dsl),
        ),
        ("Approving manager", manager, None),
        (
            "Any known involvement with Children's Services?",
            ("Yes", "No", "Not known"),
            _choice(spec.known, unknown="Not known"),
        ),
    )
    table = word.table(len(rows), 2, (8.4, 9.0))
    for row, (question, answer, selected) in zip(table.rows, rows, strict=True):
        _shade(row.cells[0], _MINT)
        _put(row.cells[0], question, bold=True)
        if isinstance(answer, tuple):
            _ticks(row.cells[1].paragraphs[0], answer, selected)
        else:
            _put(row.cells[1], answer)
    word.para()
    table = word.table(1, 2, (8.4, 9.0))
    _shade(table.rows[0].cells[0], _MINT)
    _put(
        table.rows[0].cells[0],
        "Supporting documents attached (e.g. photographs, ASB log, Graded Care Profile)",
        bold=True,
    )
    _put(table.rows[0].cells[1], spec.attachments)
    word.para()
    word.para(f"Referrer: {ref.name}        Signed: {ref.name}", size=9)
    return word.save()


# --- the twenty cases ----------------------------------------------------------------------------

_D = dt.datetime

SPECS: tuple[Spec, ...] = (
    # 1. GP practice ------------------------------------------------------------------------------
    Spec(
        template=GP,
        case="neglect-gcp-attached",
        ext="docx",
        agency="Seafront Surgery",
        when=_D(2026, 11, 3, 9, 40),
        kids=((1, 3, None),),
        urgent=False,
        threshold=3,
        known=False,
        stated=("neglect", "substance_misuse"),
        gcp=True,
        attachments=(
            "Practice chronology; Graded Care Profile 2 (GCP2) completed by the health visitor "
            "on 27/10/2026"
        ),
        story=(
            "{c1} was brought to the surgery on 29/10/2026 by {his1} mother, {m}, for a routine "
            "review. {c1} is behind with {his1} immunisations and has not been brought to "
            "three appointments with the health visitor since the summer.",
            "At the appointment {c1} was in a heavily soiled nappy with severe nappy rash, {his1} "
            "clothes were too small and {he1} ate a biscuit offered by the practice nurse very "
            "quickly. The health visitor has seen the same at two home visits and found the home "
            "cold with little food in the kitchen. We are worried about neglect.",
            "{m} told the practice nurse that she has been drinking heavily since her relationship "
            "ended and is often still drunk when {c1} wakes. This is alcohol misuse and we believe "
            "it is affecting her ability to meet {c1}'s basic needs.",
        ),
    ),
    Spec(
        template=GP,
        case="baby-bruise-urgent-phoned",
        ext="docx",
        agency="Seafront Surgery",
        when=_D(2026, 11, 10, 16, 20),
        kids=((0, 0, None),),
        urgent=True,
        phoned_at=_D(2026, 11, 10, 15, 55),
        phoned_to="Priya Nair",
        threshold=4,
        consent=False,
        consent_reason=(
            "Parents were told a referral would be made, as the practice must refer any bruising "
            "in a non-mobile baby. Consent was not sought because the referral is made regardless."
        ),
        known=None,
        stated=("physical_abuse",),
        attachments="Body map completed by the GP",
        story=(
            "{c1} ({months1} months old) was seen today at 14:30 by the GP with {his1} mother, "
            "{m}, for a cough. On examination there were two fingertip-pattern bruises on {his1} "
            "left upper arm and a small bruise on {his1} right cheek.",
            "{c1} is not yet mobile and neither parent could explain the bruising. Under the "
            "bruising in non-mobile babies protocol this is a possible physical abuse injury and "
            "needs an urgent child protection response.",
            "I telephoned C-SPOC before sending this referral and was advised to send it straight "
            "away. The family left the practice at 15:40 and said they were going home.",
        ),
    ),
    Spec(
        template=GP,
        case="siblings-domestic-abuse",
        ext="docx",
        agency="Seafront Surgery",
        when=_D(2026, 11, 17, 11, 5),
        kids=((7, 10, None), (4, 6, None)),
        others=((14, 16, None),),
        urgent=False,
        consent=False,
        consent_reason=(
            "{m} did not want a referral made, as she fears the children's father would find out "
            "and that this would increase the risk to her and the children. We are referring "
            "without consent because we believe the children are at risk of significant harm."
        ),
        known=True,
        stated=("emotional_abuse", "domestic_abuse"),
        attachments="Nil",
        blanks=frozenset({"threshold_level", "referrer_phone"}),
        story=(
            "{m} attended the surgery on 16/11/2026 with {c1} and {c2}. She disclosed that the "
            "children's father, {p}, has been physically violent towards her for over a year, most "
            "recently on Saturday when he pushed her into a door in front of the children. She had "
            "a bruise to her forehead. This is domestic abuse and the children are living with it.",
            "{c1} told the GP that {he1} hides under {his1} bed when {his1} parents argue. {c2} "
            "has started wetting the bed again and is frightened of {his2} father. We believe both "
            "children are suffering emotional abuse from what they see and hear at home.",
            "We have no concerns about neglect: both children are always clean, well dressed and "
            "up to date with their immunisations.",
        ),
    ),
    Spec(
        template=GP,
        case="teen-self-harm-not-phoned",
        ext="docx",
        agency="Seafront Surgery",
        when=_D(2026, 11, 24, 8, 55),
        kids=((13, 15, "Female"),),
        urgent=True,
        threshold=3,
        dsl=False,
        known=False,
        stated=("mental_health", "self_harm"),
        attachments="Discharge letter from Estuary Hospital Emergency Department, 23/11/2026",
        story=(
            "{c1} attended the emergency department at the weekend after taking an overdose of "
            "paracetamol and was discharged on 23/11/2026. {He1} came to see me this morning with "
            "{his1} mother. {He1} has been self-harming by cutting {his1} forearms for about four "
            "months and showed me fresh wounds.",
            "{He1} describes low mood, poor sleep and thoughts of ending {his1} life, and has been "
            "on the CAMHS waiting list since September. We are very worried about {his1} mental "
            "health and believe {he1} is at immediate risk.",
            "{c1} says the self-harm started after falling out with friends at school. {He1} wants "
            "support and agreed to this referral being made.",
        ),
    ),
    # 2. Nursery ----------------------------------------------------------------------------------
    Spec(
        template=NURSERY,
        case="neglect-ticked-gcp",
        ext="docx",
        agency="Little Gulls Day Nursery",
        when=_D(2026, 11, 5, 12, 0),
        timed=False,
        kids=((2, 3, None),),
        others=((6, 9, None),),
        partner="",
        urgent=False,
        threshold=3,
        ticked=("neglect",),
        stated=("neglect",),
        gcp=True,
        story=(
            "{c1} has attended Little Gulls since April. Since September {he1} has often arrived "
            "in the same clothes several days running, with a nappy that has clearly not been "
            "changed overnight, and very hungry. {He1} has had head lice for several weeks and "
            "{his1} tooth decay has been visible for months, but {he1} has not seen a dentist.",
            "{m} has told us money is very tight and the home is damp. She is warm and "
            "affectionate with {c1} and wants help with routines. We have completed a GCP2 with "
            "her; it shows neglect of {c1}'s physical care and safety, so we are asking for "
            "Supporting Families help.",
        ),
    ),
    Spec(
        template=NURSERY,
        case="two-children-phoned",
        ext="docx",
        agency="Little Gulls Day Nursery",
        when=_D(2026, 11, 12, 12, 0),
        timed=False,
        kids=((2, 3, None), (1, 1, None)),
        urgent=False,
        phoned_at=_D(2026, 11, 10, 14, 15),
        phoned_to="Sam Okoro",
        threshold=3,
        known=None,
        ticked=("domestic_abuse",),
        stated=("domestic_abuse", "substance_misuse"),
        story=(
            "{m} told {c1}'s key worker on 9 November that {p} had thrown a mug at her during an "
            "argument at home while both children were in the room, and that arguments like this "
            "happen most weekends. She called it domestic abuse and said she is thinking of "
            "leaving.",
            "{m} also said that {p} misuses drugs, smoking cannabis at home every day and "
            "using cocaine at weekends, and that money for food often goes on drugs.",
            "Both children are lively and settled at nursery. We rang C-SPOC on 10 November and "
            "were advised to complete this request so the family can be offered support.",
        ),
    ),
    Spec(
        template=NURSERY,
        case="placeholders-narrative-only",
        ext="docx",
        agency="Little Gulls Day Nursery",
        when=_D(2026, 11, 19, 12, 0),
        timed=False,
        kids=((2, 3, "Male"),),
        partner="",
        urgent=False,
        known=False,
        stated=("emotional_abuse",),
        blanks=frozenset({"threshold_level", "dsl_consulted", "child_dob", "referrer_email"}),
        story=(
            "Staff have noticed that {m} shouts at {c1} and calls {him1} names such as 'stupid' "
            "and 'useless' at drop-off and collection. {c1} has become withdrawn and flinches when "
            "adults raise their voices. We believe {c1} is experiencing emotional abuse.",
            "There are no concerns about neglect. {c1} is always clean, well fed and "
            "appropriately dressed, and attends every session.",
            "{m} has said she finds {c1}'s behaviour hard to manage and would welcome parenting "
            "support.",
        ),
    ),
    Spec(
        template=NURSERY,
        case="burn-urgent-phoned",
        ext="docx",
        agency="Little Gulls Day Nursery",
        when=_D(2026, 11, 26, 12, 0),
        timed=False,
        kids=((2, 3, None),),
        urgent=True,
        phoned_at=_D(2026, 11, 26, 9, 30),
        phoned_to="Gareth Lowe",
        threshold=4,
        parents_aware=False,
        consent=False,
        consent_reason=(
            "C-SPOC advised us not to tell the parents until Children's Social Care have decided "
            "how to respond."
        ),
        known=True,
        ticked=("physical_abuse",),
        stated=("physical_abuse",),
        story=(
            "When {c1} arrived this morning staff noticed a round burn, about the size of a "
            "cigarette end, on the back of {his1} right hand. {c1} said 'Daddy did it'. {His1} "
            "father, {p}, who dropped {him1} off, said {c1} had touched the oven.",
            "This is the third unexplained injury we have recorded since September (bruising to "
            "the shin on 14/09 and a scratch on the neck on 20/10). We are worried that {c1} is "
            "being physically abused.",
        ),
    ),
    # 3. Police -----------------------------------------------------------------------------------
    Spec(
        template=POLICE,
        case="da-two-children",
        ext="pdf",
        agency="Police Safeguarding Hub (Southend District)",
        when=_D(2026, 3, 2, 14, 5),
        kids=((7, 12, None), (3, 5, None)),
        partner="Stepfather",
        urgent=False,
        consent=False,
        consent_reason=(
            "Consent not required: notification made under the force's duty to share "
            "information where children are present at a domestic abuse incident."
        ),
        known=None,
        ticked=("domestic_abuse",),
        stated=("domestic_abuse",),
        story=(
            "Police attended {address} at 23:40 on Sunday 1 March 2026 following a 999 call from "
            "{m}, who reported that her partner {p} had grabbed her by the throat during an "
            "argument. {c1} and {c2} were in the address; {c1} was awake and can be heard crying "
            "on the call recording.",
            "{p} was arrested for assault and remains in custody. This is the fourth domestic "
            "abuse incident at the address in twelve months; the DASH risk assessment was graded "
            "medium.",
            "{m} was co-operative and has been given details of the local domestic abuse service.",
        ),
    ),
    Spec(
        template=POLICE,
        case="missing-county-lines",
        ext="pdf",
        agency="Police Safeguarding Hub (Southend District)",
        when=_D(2026, 3, 11, 2, 20),
        kids=((14, 15, "Male"),),
        partner="",
        urgent=True,
        phoned_at=_D(2026, 3, 11, 1, 10),
        phoned_to="Helen Marsh",
        known=True,
        ticked=("cce", "missing"),
        stated=("cce", "missing"),
        story=(
            "{c1} was reported missing from home by {his1} mother at 21:15 on Tuesday 10 March "
            "2026 after failing to return from school. This is {his1} fifth missing episode since "
            "January.",
            "{He1} was found at 00:30 in a flat in another town with two adult males. {He1} had "
            "£420 in cash and two mobile phones. Officers believe {c1} is a victim of child "
            "criminal exploitation and is being used to run drugs on a county line.",
            "{c1} was returned home by officers. {He1} would not say how {he1} had travelled "
            "there.",
        ),
    ),
    Spec(
        template=POLICE,
        case="online-grooming",
        ext="pdf",
        agency="Police Safeguarding Hub (Southend District)",
        when=_D(2026, 3, 20, 16, 45),
        kids=((12, 13, "Female"),),
        urgent=True,
        phoned_at=_D(2026, 3, 20, 15, 30),
        phoned_to="Tom Ashdown",
        known=False,
        ticked=("cse", "online_harm"),
        stated=("cse",),
        story=(
            "{m} reported on the evening of 19 March 2026 that she had found messages on {c1}'s "
            "phone from an adult male who contacted {c1} through an online game and moved the "
            "conversation to a messaging app. Over about six weeks he sent {c1} gifts, asked for "
            "and received indecent images, and arranged to meet {him1} in Southend on Saturday.",
            "Officers consider this to be child sexual exploitation and online grooming. The "
            "suspect has been identified and enquiries continue; {c1}'s phone has been seized.",
        ),
    ),
    Spec(
        template=POLICE,
        case="welfare-check-narrative-only",
        ext="pdf",
        agency="Police Safeguarding Hub (Southend District)",
        when=_D(2026, 3, 24, 10, 10),
        kids=((9, 11, None), (5, 7, None), (1, 2, None)),
        partner="Father",
        urgent=False,
        parents_aware=None,
        consent=False,
        consent_reason=(
            "Mother was intoxicated and not in a fit state to discuss consent; notification made "
            "without consent because of concerns for the children's welfare."
        ),
        dsl=False,
        known=None,
        stated=("neglect", "substance_misuse"),
        story=(
            "Officers attended {address} at 18:30 on Monday 23 March 2026 for a concern for "
            "welfare after a neighbour reported that young children had been left alone. {c1}, "
            "{c2} and {c3} were at home without an adult; {c1}, the eldest, said {his1} "
            "mother had gone out at lunchtime.",
            "The home was dirty and cold, there was dog mess on the floor and no food in the "
            "fridge, and {c3} was in a soaking nappy. Officers believe the children are suffering "
            "neglect.",
            "{m} returned at 20:10 and appeared intoxicated. Officers found drug paraphernalia in "
            "the kitchen and are concerned about substance misuse by {m}.",
        ),
    ),
    # 4. School -----------------------------------------------------------------------------------
    Spec(
        template=SCHOOL,
        case="neglect-gcp-attached",
        ext="pdf",
        agency="Seaview Primary School",
        when=_D(2026, 10, 14, 10, 20),
        kids=((6, 9, None),),
        partner="",
        urgent=False,
        threshold=3,
        ticked=("neglect",),
        stated=("neglect",),
        gcp=True,
        attachments="SafeRecord chronology (Sept-Oct 2026); Graded Care Profile 2 (09.10.2026)",
        story=(
            "{c1} has come to school hungry on most days this half term and regularly asks staff "
            "for extra food at breakfast club. {His1} uniform is unwashed and too small, and {he1} "
            "has had untreated head lice since September. {His1} attendance is 84%.",
            "Our family support worker visited on 6 and 9 October. The home was cluttered and "
            "there was very little food. The Graded Care Profile 2 completed on 9 October graded "
            "physical care and safety at 4. We consider this to be neglect and ask for a Level 3 "
            "Supporting Families response.",
        ),
    ),
    Spec(
        template=SCHOOL,
        case="sexual-abuse-disclosure-urgent",
        ext="pdf",
        agency="Estuary Academy",
        when=_D(2026, 10, 21, 13, 5),
        kids=((12, 14, None),),
        partner="Stepfather",
        urgent=True,
        phoned_at=_D(2026, 10, 21, 12, 40),
        phoned_to="Fiona Reedman",
        threshold=4,
        parents_aware=False,
        consent=False,
        consent_reason=(
            "Not sought. The alleged abuser lives in the family home and telling the parents "
            "before Children's Social Care and the police have planned a response could put {c1} "
            "at further risk."
        ),
        known=None,
        ticked=("sexual_abuse",),
        stated=("sexual_abuse",),
        attachments="Record of disclosure (verbatim) written by the form tutor",
        story=(
            "At 11:15 today {c1} told {his1} form tutor that {his1} mother's partner, {p}, comes "
            "into {his1} bedroom at night and touches {him1} under {his1} clothes. {c1} said this "
            "has happened 'loads of times' since the summer holidays and that {he1} is scared to "
            "go home tonight.",
            "The tutor wrote down {c1}'s words straight away (attached). This is a disclosure of "
            "sexual abuse. {c1} is in the pastoral office with a member of staff.",
        ),
    ),
    Spec(
        template=SCHOOL,
        case="forced-marriage-siblings",
        ext="pdf",
        agency="Thamesmouth High School",
        when=_D(2026, 7, 8, 15, 40),
        kids=((15, 16, "Female"), (12, 13, None)),
        urgent=True,
        phoned_at=_D(2026, 7, 8, 15, 10),
        phoned_to="Gareth Lowe",
        threshold=4,
        parents_aware=False,
        consent=False,
        consent_reason=(
            "Parents have not been told. Where forced marriage is suspected the family must not be "
            "informed, as this could increase the risk to the young people."
        ),
        known=False,
        ticked=("forced_marriage", "honour_based_abuse"),
        stated=("forced_marriage", "honour_based_abuse"),
        attachments="None",
        story=(
            "{c1} told {his1} Head of Year this morning that {his1} parents have booked flights "
            "for the family to travel abroad on 24 July and that {he1} is to be married to a "
            "cousin while there. {He1} does not want to marry and said {his1} father told {him1} "
            "the family would be shamed if {he1} refused.",
            "{c2} has been told {he2} will also be staying abroad 'for a long time' and not to "
            "tell anyone at school. We believe {c1} is at risk of forced marriage and that both "
            "children are at risk of honour-based abuse. We have asked the Forced Marriage Unit "
            "for advice.",
        ),
    ),
    Spec(
        template=SCHOOL,
        case="missing-education-no-time",
        ext="pdf",
        agency="Kittiwake Infant School",
        when=_D(2026, 12, 2, 12, 0),
        timed=False,
        kids=((5, 6, None),),
        urgent=False,
        threshold=3,
        parents_aware=None,
        consent=False,
        consent_reason="We have been unable to contact the family to ask for consent.",
        known=False,
        stated=("neglect", "missing"),
        attachments="Attendance record",
        story=(
            "{c1} has not attended school since 9 November 2026 and is now missing from "
            "education. Calls to both parents' mobiles go unanswered, and a home visit by our "
            "family liaison officer on 27 November found the house empty with post piling up.",
            "Before {he1} stopped attending, {c1} often arrived hungry and in dirty clothes and "
            "staff were already monitoring concerns about neglect. We have no concerns about "
            "physical abuse and {c1} has never made a disclosure.",
            "Neighbours told us the family may have gone to stay with relatives, but we have no "
            "address for them.",
        ),
    ),
    # 5. Housing association ----------------------------------------------------------------------
    Spec(
        template=HOUSING,
        case="property-neglect-gcp",
        ext="docx",
        agency="Estuary Homes Housing Association",
        when=_D(2026, 11, 4, 10, 15),
        kids=((5, 8, None), (1, 2, None)),
        others=((16, 16, None),),
        partner="",
        urgent=False,
        ticked=("neglect",),
        stated=("neglect",),
        gcp=True,
        attachments=(
            "Photographs of the property (12); Graded Care Profile 2 completed jointly with the "
            "health visitor on 28/10/2026"
        ),
        story=(
            "During a gas safety visit on 27 October 2026 our engineer reported the property in a "
            "very poor state and I visited the same afternoon. There were rubbish bags and dirty "
            "nappies piled in the hallway and bedrooms, a strong smell of urine and dog mess on "
            "the kitchen floor. {c2}'s cot had no bedding and {c1} was wearing only a vest in a "
            "cold home.",
            "The tenant, {m}, said she has struggled since her partner left and cannot keep on "
            "top of the housework. The children's health visitor shares our concerns and we "
            "believe {c1} and {c2} are experiencing neglect. {c3} (aged {age3}) is managing "
            "and is not part of this referral.",
        ),
    ),
    Spec(
        template=HOUSING,
        case="exploitation-narrative-only",
        ext="docx",
        agency="Estuary Homes Housing Association",
        when=_D(2026, 11, 12, 14, 30),
        kids=((14, 15, "Male"),),
        others=((6, 9, None),),
        partner="",
        urgent=False,
        phoned_at=_D(2026, 11, 5, 15, 0),
        phoned_to="Priya Nair",
        consent=False,
        consent_reason=(
            "{m} agreed we could share our worries but would not agree to a referral, saying she "
            "did not want social workers involved."
        ),
        known=None,
        stated=("cce",),
        attachments="Anti-social behaviour log (September to November 2026)",
        story=(
            "Since September neighbours have reported unknown young people and adults visiting the "
            "home late at night. On 3 November our neighbourhood officer saw {c1} dropped off by a "
            "car at 02:00 and handed a package by the driver.",
            "{m} told me {c1} is often out until the early hours, has new clothes and trainers "
            "she did not buy, and gets threatening phone calls. She thinks {he1} owes someone "
            "money. We believe {c1} is being criminally exploited and may be involved in county "
            "lines.",
        ),
    ),
    Spec(
        template=HOUSING,
        case="domestic-abuse-urgent",
        ext="docx",
        agency="Estuary Homes Housing Association",
        when=_D(2026, 11, 18, 16, 50),
        kids=((13, 14, None), (5, 7, None)),
        partner="Father",
        partner_at_home=False,
        urgent=True,
        phoned_at=_D(2026, 11, 18, 16, 20),
        phoned_to="Helen Marsh",
        known=True,
        ticked=("domestic_abuse",),
        stated=("domestic_abuse", "self_harm"),
        attachments="None",
        story=(
            "The tenant, {m}, came to our office this afternoon with a black eye. She said her "
            "ex-partner {p} forced his way into the property last night and assaulted her in "
            "front of {c1} and {c2}. He still has a key and has threatened to come back "
            "tonight. This is domestic abuse and we are arranging an emergency lock change.",
            "{m} also told me that {c1} (aged {age1}) has been self-harming since the assault; "
            "she found cuts on {his1} arms this morning.",
        ),
    ),
    Spec(
        template=HOUSING,
        case="blanks-date-only",
        ext="docx",
        agency="Estuary Homes Housing Association",
        when=_D(2026, 12, 9, 12, 0),
        timed=False,
        kids=((0, 1, None),),
        partner="",
        urgent=False,
        parents_aware=None,
        known=None,
        ticked=("mental_health",),
        stated=("substance_misuse",),
        attachments="Rent statement",
        blanks=frozenset({"consent", "referrer_phone"}),
        story=(
            "The tenant, {m}, told me on 7 December that she has relapsed and is using heroin "
            "again after two years clean. This is substance misuse by the only carer of {c1}, "
            "who is {months1} months old.",
            "{m} has a history of depression and says she has stopped taking her medication. Rent "
            "arrears are rising and the gas supply has been cut off.",
        ),
    ),
)

_RENDERERS = {
    GP: (_gp, _GP_PLACES),
    NURSERY: (_nursery, _NURSERY_PLACES),
    POLICE: (_police, _POLICE_PLACES),
    SCHOOL: (_school, _SCHOOL_PLACES),
    HOUSING: (_housing, _HOUSING_PLACES),
}


def build_cases() -> list[Built]:
    """Render every case: the file's bytes and its expected ``intake parse --json`` reading."""
    built = []
    for spec in SPECS:
        render, places = _RENDERERS[spec.template]
        fam = _family(spec)
        if spec.template == POLICE:
            # Police systems write surnames in capitals: "SMITH, Jay".
            upper = tuple(replace(c, surname=c.surname.upper()) for c in fam.children)
            fam = replace(fam, children=upper)
        expected = _expected(spec, fam, places)
        built.append(Built(spec.template, spec.case, spec.ext, render(spec, fam), expected))
    return built
