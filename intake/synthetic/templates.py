"""More referral-form templates, each drawn in several renderings, with the parse they should give.

The two layouts of :mod:`intake.synthetic.forms` (``southend-rfs``, ``ehfsa``) are joined here by
eight more, each modelled on a published UK referral or early-help form (see each function's
comment, :data:`TEMPLATES` and ``parsers/templates.toml``): ``knowsley-marf``, ``mash-referral``,
``interagency-2014``, ``lambeth-irh``, ``calderdale-eiss``, ``statutory-intervention``,
``enfield-marf``, ``croydon-marf``, ``thurrock-caf`` and ``bromley-multi-child``.

A template only decides what a form *says*: its title, section order and label wording, the date
and gender styles, which tick boxes it offers. It builds a small, renderer-neutral
:class:`Form`; a *rendering* decides how the form is *drawn*:

========================  ========================================================================
``table2``                label|value two-column tables, section title as a merged shaded first row
``table4``                label|value|label|value rows, long answers spanning three columns
``stacked``               a cell whose first line is the label and next lines the value; long
                          answers as a label row followed by a value row
``merged``                a vertically merged first column naming the section (``w:vMerge``),
                          grids and tick lists nested in a cell, merged title rows
``paragraphs``            ``Label: value`` paragraphs, no tables at all
``controls``              values in content controls; blanks show Word's placeholders; checkboxes
                          are ``w14:checkbox`` controls; levels and genders are drop-downs
``legacy``                ``FORMTEXT`` and ``FORMCHECKBOX`` legacy form fields
``pdf``                   printed to PDF (fpdf2, ruled tables, ``[X]`` ticks)
``pdf-paragraphs``        an online form's submission printed to PDF as ``Label: value`` lines
``acroform``              a fillable PDF: printed labels, values in AcroForm text fields and
                          checkboxes (reportlab)
========================  ========================================================================

:func:`expected` gives the contract §3 parse of a form (``kind``, ``template``, ``fields`` the
form has a place for, ``children``, ``concerns``) from the :class:`Referral` it was filled from.
Everything is fictional and deterministic: the same referral and rendering give the same bytes.
``tests/data/forms/build.py`` draws the golden corpus with these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from intake.synthetic import render, wordml
from intake.synthetic.people import PERSONAL_DOMAIN, Child, Referral
from intake.synthetic.render import PLACEHOLDER
from parsers.fields import FIELD_NAMES

# --- the form model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opt:
    """A choice among ``options``; ``selected`` may be empty (unanswered)."""

    options: tuple[str, ...]
    selected: tuple[str, ...]
    #: Drawn as a drop-down list control in the ``controls`` rendering (else checkboxes).
    dropdown: bool = False


Value = str | Opt | None
FieldKind = Literal["text", "date", "choice"]


@dataclass(frozen=True)
class Field:
    """One labelled answer. ``None`` (or an empty string) is a blank answer."""

    label: str
    value: Value
    kind: FieldKind = "text"
    #: A long answer that takes a whole row.
    wide: bool = False
    #: For a date field: the date shown (the date picker's stored value).
    day: dt.date | None = None


@dataclass(frozen=True)
class Group:
    """Label/value fields under an optional title (drawn as one table, or paragraphs)."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Records:
    """A grid with a header row and one record per row (children, carers)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    #: What one row is (``Child``): renderings without tables write ``Child 1``, ``Child 2``...
    item: str = "Child"


@dataclass(frozen=True)
class Boxes:
    """Independent tick boxes (concern types, documents attached)."""

    title: str
    items: tuple[tuple[str, bool], ...]
    columns: int = 2


@dataclass(frozen=True)
class Note:
    """Printed guidance text."""

    text: str


Part = Group | Records | Boxes | Note


@dataclass(frozen=True)
class Sect:
    """A section heading (may be empty) and its parts."""

    heading: str
    parts: tuple[Part, ...]


YesNoStyle = Literal["glyph", "strike", "deleted"]
GcpPlace = Literal["", "ticks", "question", "text"]


@dataclass(frozen=True)
class Form:
    """A filled-in referral form, before it is drawn, and what it has a place for."""

    template: str
    title: str
    subtitle: str
    sections: tuple[Sect, ...]
    author: str
    created: dt.datetime
    #: Contract §3 fields this form has a place for (the rest are left out of the expectation).
    covers: frozenset[str]
    #: Datetime fields the form gives as a date only (the expectation drops the time).
    date_only: frozenset[str] = frozenset()
    #: Where the form says whether a GCP is attached: a tick list, a yes/no question, free text.
    gcp: GcpPlace = ""
    #: How plain renderings draw a Yes/No (and other single) choice.
    yes_no: YesNoStyle = "glyph"
    marking: str = "OFFICIAL-SENSITIVE"

    def texts(self) -> list[str]:
        """Title, subtitle, headings, labels and notes: the words every rendering prints."""
        out = [self.title, self.subtitle]
        for sect in self.sections:
            out.append(sect.heading)
            for part in sect.parts:
                if isinstance(part, Group):
                    out.append(part.title)
                    out.extend(f.label for f in part.fields)
                elif isinstance(part, Records):
                    out.append(part.title)
                    out.extend(part.header)
                elif isinstance(part, Boxes):
                    out.append(part.title)
                    out.extend(label for label, _ in part.items)
                else:
                    out.append(part.text)
        return [text for text in out if text]


ALL_FIELDS: tuple[str, ...] = FIELD_NAMES  # the contract's names, declared once
_CHILD = frozenset(f for f in ALL_FIELDS if f.startswith("child_"))
_REFERRER = frozenset(f for f in ALL_FIELDS if f.startswith("referrer_"))
_PHONE = frozenset({"phoned", "phoned_at", "phoned_to"})
_CONSENT = frozenset({"parents_aware", "consent", "consent_refused_reason"})


def expected(form: Form, referral: Referral, *, blank: bool = False) -> dict[str, Any]:
    """The contract §3 parse of ``form`` filled from ``referral`` (``blank``: nothing filled in).

    See :func:`expectation`.
    """
    return expectation(
        form.template,
        referral,
        covers=form.covers,
        date_only=form.date_only,
        gcp=form.gcp,
        blank=blank,
    )


def expectation(
    template: str,
    referral: Referral,
    *,
    covers: frozenset[str] = frozenset(ALL_FIELDS),
    date_only: frozenset[str] = frozenset(),
    gcp: GcpPlace = "ticks",
    blank: bool = False,
) -> dict[str, Any]:
    """The contract §3 parse of a ``template`` form filled from ``referral``.

    ``fields`` has every field the form has a place for (``covers``), in the contract's order,
    ``None`` where it is blank; a datetime the form gives without a time (``date_only``) is a
    date; ``children`` lists every child in form order; ``concerns`` are in the contract's order.
    A blank form has no children and no concerns, and an unticked attachment list (``gcp``
    ``ticks`` or ``text``) still says no GCP is attached.
    """
    contract = referral.to_contract()
    fields: dict[str, Any] = {}
    for name in ALL_FIELDS:
        if name not in covers:
            continue
        value = None if blank else contract["fields"][name]
        if name in date_only and isinstance(value, str):
            value = value[:10]
        fields[name] = value
    if blank and "gcp_attached_claimed" in fields and gcp in ("ticks", "text"):
        fields["gcp_attached_claimed"] = False
    return {
        "kind": "rfs",
        "template": template,
        "fields": fields,
        "children": [] if blank else contract["children"],
        "concerns": [] if blank else contract["concerns"],
    }


def blanked(form: Form) -> Form:
    """``form`` as a blank template: every answer empty, every box unticked."""

    def clear_field(field: Field) -> Field:
        if isinstance(field.value, Opt):
            return dataclasses.replace(field, value=dataclasses.replace(field.value, selected=()))
        return dataclasses.replace(field, value=None, day=None)

    def clear(part: Part) -> Part:
        if isinstance(part, Group):
            return Group(part.title, tuple(clear_field(f) for f in part.fields))
        if isinstance(part, Records):
            return Records(part.title, part.header, (tuple(None for _ in part.header),), part.item)
        if isinstance(part, Boxes):
            return Boxes(part.title, tuple((label, False) for label, _ in part.items), part.columns)
        return part

    return dataclasses.replace(
        form,
        sections=tuple(
            Sect(sect.heading, tuple(clear(part) for part in sect.parts)) for sect in form.sections
        ),
    )


# --- value helpers ------------------------------------------------------------------------------


def _t(label: str, value: str | None, *, wide: bool = False) -> Field:
    return Field(label, value or None, "text", wide)


def _d(label: str, text: str | None, day: dt.date | None) -> Field:
    return Field(label, text or None, "date", day=day if text else None)


def _c(label: str, value: Opt) -> Field:
    return Field(label, value, "choice")


def _yn(value: bool | None, *, unknown: str = "", labels: tuple[str, str] = ("Yes", "No")) -> Opt:
    """Yes/No (plus an ``unknown`` option when named) with ``value`` chosen (``None``: the
    unknown option, or nothing)."""
    options = (*labels, unknown) if unknown else labels
    if value is None:
        return Opt(options, (unknown,) if unknown else ())
    return Opt(options, (labels[0] if value else labels[1],))


def _levels(level: int, names: Sequence[str], *, dropdown: bool = False) -> Opt:
    """One of ``names`` (``Level 1``..., ``Tier 3``...), the one ending in ``level`` chosen."""
    chosen = tuple(name for name in names if name.rstrip().endswith(str(level)))
    return Opt(tuple(names), chosen, dropdown)


def slash(day: dt.date) -> str:
    """04/03/2019"""
    return day.strftime("%d/%m/%Y")


def long_date(day: dt.date) -> str:
    """4 March 2019"""
    return f"{day.day} {day:%B %Y}"


def ordinal(day: dt.date) -> str:
    """4th Mar 2019"""
    suffix = (
        "th" if 11 <= day.day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    )
    return f"{day.day}{suffix} {day:%b %Y}"


def dots(day: dt.date) -> str:
    """04.03.19"""
    return day.strftime("%d.%m.%y")


def iso(day: dt.date) -> str:
    """2019-03-04"""
    return day.isoformat()


def t24(when: dt.datetime) -> str:
    """10:15"""
    return when.strftime("%H:%M")


def t12(when: dt.datetime, sep: str = ":") -> str:
    """2:05pm (``sep='.'``: 2.05pm)"""
    hour = when.hour % 12 or 12
    return f"{hour}{sep}{when.minute:02d}{'am' if when.hour < 12 else 'pm'}"


DateStyle = Callable[[dt.date], str]


def dob_text(child: Child, style: DateStyle) -> str | None:
    """A child's date of birth as a form shows it: ``EDD 12/05/2027`` for an unborn child,
    ``est. 03/2019`` when only the month is known."""
    if child.dob is None:
        return None
    if child.unborn:
        return f"EDD {slash(child.dob)}"
    if child.dob_estimated:
        return f"est. {child.dob:%m/%Y}"
    return style(child.dob)


GenderStyle = Literal["word", "letter", "boygirl"]


def gender_text(child: Child, style: GenderStyle = "word") -> str | None:
    """``Male``/``Female``, ``M``/``F`` or ``Boy``/``Girl`` (``Unknown`` for an unborn child)."""
    if not child.gender:
        return None
    if child.gender.lower() not in ("male", "female"):
        return child.gender
    male = child.gender.lower() == "male"
    if style == "letter":
        return "M" if male else "F"
    if style == "boygirl":
        return "Boy" if male else "Girl"
    return "Male" if male else "Female"


def address_lines(child: Child, *, with_postcode: bool = False) -> str:
    """The address one part per line (``12 Gullwing Road\\nLeigh-on-Sea``), maybe + postcode."""
    lines = child.address.split(", ")
    if with_postcode:
        lines.append(child.postcode)
    return "\n".join(lines)


def _secure(email: str) -> bool:
    return not email.endswith(f"@{PERSONAL_DOMAIN}")


def _ticks(labels: dict[str, str], referral: Referral, title: str, columns: int = 2) -> Boxes:
    """The concern tick list: ``labels`` maps contract codes to the form's wording (in the
    form's order); a referral concern the form does not offer is refused."""
    missing = set(referral.concerns) - set(labels)
    if missing:
        raise ValueError(f"the form offers no tick box for {sorted(missing)}")
    return Boxes(
        title, tuple((label, code in referral.concerns) for code, label in labels.items()), columns
    )


def _others(referral: Referral, offered: Sequence[str]) -> list[str]:
    return [item for item in referral.other_attachments_listed if item not in offered]


def _attachments(referral: Referral, title: str, gcp_label: str, offered: Sequence[str]) -> Boxes:
    """A "documents attached" tick list: the GCP first, then ``offered``, then ``Other``."""
    items = [(gcp_label, referral.gcp_attached_claimed)]
    items += [(label, label in referral.other_attachments_listed) for label in offered]
    items.append(("Other", bool(_others(referral, offered))))
    return Boxes(title, tuple(items))


def _carers(referral: Referral, header: tuple[str, ...], date: DateStyle, title: str) -> Records:
    return Records(
        title,
        header,
        tuple(
            (
                carer.name,
                carer.relationship,
                date(carer.dob),
                f"{carer.address}, {carer.postcode}",
                "Yes" if carer.parental_responsibility else "No",
            )
            for carer in referral.carers
        ),
        item="Parent / carer",
    )


def _when(label: str, when: dt.datetime | None, fmt: Callable[[dt.datetime], str]) -> Field:
    """A date(-time) field showing ``fmt(when)`` (blank when ``when`` is ``None``)."""
    return _d(label, fmt(when) if when else None, when.date() if when else None)


#: Concern codes a referrer can name in words clear enough for a form without a tick list.
NARRATIVE_PHRASES: dict[str, str] = {
    "neglect": "neglect",
    "physical_abuse": "physical abuse",
    "emotional_abuse": "emotional abuse",
    "sexual_abuse": "sexual abuse",
    "domestic_abuse": "domestic abuse",
    "cse": "child sexual exploitation",
    "cce": "child criminal exploitation",
    "missing": "going missing from home",
    "mental_health": "mental health",
    "self_harm": "self-harm",
    "substance_misuse": "substance misuse",
    "online_harm": "online harm",
}


def plain_narrative(referral: Referral) -> Referral:
    """``referral`` with a narrative that names each concern in so many words (for forms that
    have no tick list, where the concerns come from the narrative alone)."""
    names = [NARRATIVE_PHRASES[code] for code in referral.concerns]
    if not names:
        return referral
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    opening = f"My concerns are about {listed}."
    return dataclasses.replace(
        referral, concern_narrative=f"{opening} {referral.concern_narrative}"
    )


# --- the templates ------------------------------------------------------------------------------

_LEVELS_1_4 = ("Level 1", "Level 2", "Level 3", "Level 4")


def knowsley_marf(r: Referral) -> Form:
    """Multi-agency referral form, Knowsley MASH layout.

    Follows the Knowsley multi-agency referral form published with its Working Together 2015
    guidance (https://docsbay.net/working-together-to-safeguard-children-2015): referral details
    and level of need first, referrer, one block per child, parents, consent, reason for
    referral with a category tick list, previous involvement, documents attached, declaration.
    """
    ref = r.referrer
    when = r.referral_datetime
    concerns = {
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
        "neglect": "Neglect",
        "domestic_abuse": "Domestic abuse",
        "cse": "Child sexual exploitation (CSE)",
        "cce": "Criminal exploitation / county lines",
        "missing": "Missing from home or care",
        "mental_health": "Mental health (child or parent)",
        "self_harm": "Self-harm",
        "substance_misuse": "Drug / alcohol misuse",
        "online_harm": "Online safety",
        "other": "Other",
    }
    children = tuple(
        Group(
            f"Child {number}",
            (
                _t("Surname", child.surname),
                _t("Forename(s)", child.forenames),
                _d("DOB / EDD", dob_text(child, long_date), child.dob),
                _c("Gender", Opt(("Male", "Female", "Unknown"), (child.gender,), dropdown=True)),
                _t("Address", child.address),
                _t("Postcode", child.postcode),
                _t("School / nursery", child.school or "None"),
            ),
        )
        for number, child in enumerate(r.children, start=1)
    )
    others = _others(r, ("Chronology", "Early Help Assessment"))
    sections = (
        Sect(
            "Section 1: Referral details",
            (
                Group(
                    "Referral",
                    (
                        _when(
                            "Date and time of referral", when, lambda w: f"{long_date(w)} {t24(w)}"
                        ),
                        _c("Level of need", _levels(r.threshold_level, _LEVELS_1_4, dropdown=True)),
                        _c("Is the child at immediate risk?", _yn(r.urgent)),
                        _c(
                            "Have you spoken to a MASH social worker about this referral?",
                            _yn(r.phoned),
                        ),
                        _t("Name of MASH social worker spoken to", r.phoned_to),
                        _when(
                            "Date and time of discussion",
                            r.phoned_at,
                            lambda w: f"{long_date(w)} {t24(w)}",
                        ),
                    ),
                ),
            ),
        ),
        Sect(
            "Section 2: Details of the person making the referral",
            (
                Group(
                    "Referrer",
                    (
                        _t("Name of referrer", ref.name),
                        _t("Job title", ref.role),
                        _t("Agency", ref.agency),
                        _t("Telephone", ref.phone),
                        _t("Email", ref.email),
                        _c("Secure email?", _yn(_secure(ref.email))),
                        _c(
                            "Have you discussed this referral with your safeguarding lead?",
                            _yn(r.dsl_consulted),
                        ),
                    ),
                ),
            ),
        ),
        Sect("Section 3: Child / young person details", children),
        Sect(
            "Section 4: Parents / carers",
            (
                _carers(
                    r,
                    ("Name", "Relationship", "Date of birth", "Address", "Parental responsibility"),
                    long_date,
                    "Parents / carers",
                ),
            ),
        ),
        Sect(
            "Section 5: Consent",
            (
                Group(
                    "Consent",
                    (
                        _c("Are parents / carers aware of this referral?", _yn(r.parents_aware)),
                        _c("Has consent been obtained?", _yn(r.consent)),
                        _t("If not, why not?", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Section 6: Reason for referral",
            (
                _ticks(concerns, r, "Category of concern (tick all that apply)", columns=3),
                Group(
                    "Concerns",
                    (
                        _t("Reason for referral", r.concern_narrative, wide=True),
                        _t("Strengths / protective factors", r.strengths, wide=True),
                        _t("Action already taken by your agency", r.actions_taken, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Section 7: Previous involvement",
            (
                Group(
                    "Previous involvement",
                    (
                        _c(
                            "Known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Not known"),
                        ),
                        _t("Details", r.known_details, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Section 8: Documents attached",
            (
                _attachments(
                    r,
                    "Documents attached to this referral",
                    "Graded Care Profile 2",
                    ("Chronology", "Early Help Assessment"),
                ),
                Group("", (_t("Other (please specify)", ", ".join(others)),)),
            ),
        ),
        Sect(
            "Section 9: Declaration",
            (
                Group(
                    "",
                    (
                        _t("Signature", ref.name),
                        _when("Date", when, lambda w: long_date(w.date())),
                    ),
                ),
            ),
        ),
    )
    return Form(
        template="knowsley-marf",
        title="Multi-Agency Referral Form",
        subtitle="Knowsley Multi-Agency Safeguarding Hub (MASH) - referrals from professionals",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(ALL_FIELDS),
        gcp="ticks",
    )


def _full_name(child: Child) -> str:
    """``Jay Alex Smith``, or ``SMITH, Jay Alex`` when the surname is written in capitals."""
    if child.surname.isupper():
        return f"{child.surname}, {child.forenames}"
    return child.full_name


def mash_referral(r: Referral) -> Form:
    """A generic MASH referral form for one child, deleted Yes/No options.

    Follows the generic MASH form "Child / Young Person Details"
    (https://docsbay.net/child-young-person-details): the child first, with the full name in one
    field and the postcode inside the home address, then the person making the referral, the
    safeguarding questions and the nature of concern. No telephone, threshold or attachment
    questions; the referral is dated, not timed.
    """
    ref = r.referrer
    child = r.children[0]
    if len(r.children) != 1:
        raise ValueError("the MASH referral form is for one child")
    concerns = {
        "neglect": "Neglect",
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
        "domestic_abuse": "Domestic violence / abuse",
        "cse": "CSE",
        "cce": "CCE / county lines",
        "hsb": "Harmful sexual behaviour",
        "fgm": "FGM",
        "forced_marriage": "Forced marriage",
        "honour_based_abuse": "Honour based violence",
        "radicalisation": "Radicalisation / Prevent",
        "mental_health": "Mental health",
        "substance_misuse": "Substance misuse",
        "other": "Other",
    }
    sections = (
        Sect(
            "Child / Young Person Details",
            (
                Group(
                    "",
                    (
                        _t("Full name", _full_name(child)),
                        _d("D.O.B.", dob_text(child, slash), child.dob),
                        _c("Sex", Opt(("M", "F"), ((gender_text(child, "letter") or ""),))),
                        _t("Home address", address_lines(child, with_postcode=True), wide=True),
                        _t("School / setting", child.school),
                        _t("Other names known by", None),
                    ),
                ),
            ),
        ),
        Sect(
            "Referrer Details",
            (
                Group(
                    "",
                    (
                        _t("Name of person making referral", ref.name),
                        _t("Designation", ref.role),
                        _t("Organisation", ref.agency),
                        _t("Contact number", ref.phone),
                        _t("Email address", ref.email),
                        _when("Date of referral", r.referral_datetime, lambda w: slash(w.date())),
                    ),
                ),
            ),
        ),
        Sect(
            "Safeguarding",
            (
                Group(
                    "",
                    (
                        _c("Is the child at immediate risk?", _yn(r.urgent)),
                        _c("Does the parent/carer know about this referral?", _yn(r.parents_aware)),
                        _c("Has consent been given?", _yn(r.consent)),
                        _t("If no consent, reason", r.consent_refused_reason, wide=True),
                        _c(
                            "Discussed with your Designated Safeguarding Lead?",
                            _yn(r.dsl_consulted),
                        ),
                        _c(
                            "Is the family known to social care?",
                            _yn(r.known_to_csc, unknown="Don't know"),
                        ),
                    ),
                ),
            ),
        ),
        Sect(
            "Nature of Concern",
            (
                _ticks(concerns, r, "Nature of concern (tick all that apply)", columns=3),
                Group(
                    "",
                    (
                        _t(
                            "Nature of concern - please give details",
                            r.concern_narrative,
                            wide=True,
                        ),
                    ),
                ),
            ),
        ),
    )
    return Form(
        template="mash-referral",
        title="MASH Referral Form",
        subtitle="Multi-Agency Safeguarding Hub - Child / Young Person Details and Concerns",
        sections=sections,
        author=ref.name,
        created=r.referral_datetime,
        covers=frozenset(
            {"referral_datetime", "urgent", "dsl_consulted", "known_to_csc", "concern_narrative"}
            | _REFERRER
            | _CHILD
            | _CONSENT
        ),
        date_only=frozenset({"referral_datetime"}),
        yes_no="deleted",
    )


def interagency_2014(r: Referral) -> Form:
    """The 2014 inter-agency referral form: office-use box first, no tick list.

    Follows the inter-agency "Referral Form For Agencies" of 2014
    (https://fill.io/Referral-Form-For-Agencies-Referral-Taken): "Referral taken by" for the
    receiving office, then the referrer, the children (family name / given names, D.O.B., sex),
    parents, consent and the reason for referral in free text; a telephone discussion block with
    the date of the call (no time). Concerns can only come from the narrative.
    """
    ref = r.referrer
    when = r.referral_datetime
    children = tuple(
        Group(
            f"Child {number}",
            (
                _t("Family name", child.surname),
                _t("Given names", child.forenames),
                _d("D.O.B.", dob_text(child, long_date), child.dob),
                _t("Sex", gender_text(child)),
                _t("Address", address_lines(child)),
                _t("Post code", child.postcode),
            ),
        )
        for number, child in enumerate(r.children, start=1)
    )
    sections = (
        Sect(
            "For office use only",
            (Group("", (_t("Referral taken by", None), _t("Date received", None))),),
        ),
        Sect(
            "1. Referrer",
            (
                Group(
                    "",
                    (
                        _t("Referrer's name", ref.name),
                        _t("Position", ref.role),
                        _t("Agency", ref.agency),
                        _t("Tel no.", ref.phone),
                        _t("E-mail", ref.email),
                        _when("Date of referral", when, lambda w: long_date(w.date())),
                        _t("Time", t12(when, ".")),
                    ),
                ),
            ),
        ),
        Sect("2. Child / children", children),
        Sect(
            "3. Parents / carers",
            (
                _carers(
                    r,
                    (
                        "Name",
                        "Relationship to child",
                        "D.O.B.",
                        "Address",
                        "Parental responsibility",
                    ),
                    long_date,
                    "",
                ),
            ),
        ),
        Sect(
            "4. Consent",
            (
                Group(
                    "",
                    (
                        _c("Are the parents/carers aware of this referral?", _yn(r.parents_aware)),
                        _c("Have they consented to it?", _yn(r.consent)),
                        _t("If not, please give reasons", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "5. Reason for referral",
            (
                Group(
                    "",
                    (
                        _t(
                            "Reason for referral (what has happened, when, and the impact on the "
                            "child)",
                            r.concern_narrative,
                            wide=True,
                        ),
                        _t("What has already been done?", r.actions_taken, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "6. Telephone discussion",
            (
                Group(
                    "",
                    (
                        _c("Has this referral been discussed by telephone?", _yn(r.phoned)),
                        _t("Name of worker spoken to", r.phoned_to),
                        _when("Date of call", r.phoned_at, lambda w: long_date(w.date())),
                    ),
                ),
            ),
        ),
    )
    return Form(
        template="interagency-2014",
        title="Inter-Agency Referral Form",
        subtitle="Referral form for agencies (2014). Please complete all sections and send it "
        "within 24 hours of any telephone referral.",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(
            {"referral_datetime", "concern_narrative"} | _PHONE | _REFERRER | _CHILD | _CONSENT
        ),
        date_only=frozenset({"phoned_at"}),
    )


def lambeth_irh(r: Referral) -> Form:
    """Integrated Referral Hub form: tier 3 or 4, CP or CIN, one block per child.

    Follows the Lambeth Integrated Referral Hub referral form
    (https://docest.com/doc/280256/lambeth-integrated-referral-hub): tier of need (3 or 4) and
    "CP or CIN referral" first, the call to the hub, the referrer, a block per child, consent
    from the person with PR, areas of concern and the reason for referral, "GCP completed /
    attached?" as a question.
    """
    if r.threshold_level not in (3, 4):
        raise ValueError("the Integrated Referral Hub takes tier 3 and tier 4 referrals only")
    ref = r.referrer
    when = r.referral_datetime
    concerns = {
        "physical_abuse": "Physical abuse",
        "sexual_abuse": "Sexual abuse",
        "emotional_abuse": "Emotional abuse",
        "neglect": "Neglect",
        "domestic_abuse": "Domestic violence",
        "cse": "Sexual exploitation",
        "cce": "Gangs / criminal exploitation",
        "missing": "Missing",
        "fgm": "FGM",
        "radicalisation": "Radicalisation",
        "trafficking": "Trafficking",
        "mental_health": "Parental mental health",
        "substance_misuse": "Parental substance misuse",
        "other": "Other",
    }

    def stamp(w: dt.datetime) -> str:
        return f"{ordinal(w.date())}, {t12(w)}"

    children = tuple(
        Group(
            f"Child {number}",
            (
                _t("Surname", child.surname),
                _t("First name(s)", child.forenames),
                _d("Date of birth", dob_text(child, ordinal), child.dob),
                _t("Gender", gender_text(child, "boygirl")),
                _t("Address", child.address),
                _t("Postcode", child.postcode),
            ),
        )
        for number, child in enumerate(r.children, start=1)
    )
    sections = (
        Sect(
            "Referral",
            (
                Group(
                    "About this referral",
                    (
                        _when("Date and time of referral", when, stamp),
                        _c("Tier", _levels(r.threshold_level, ("Tier 3", "Tier 4"))),
                        _c(
                            "CP or CIN referral",
                            Opt(("CP", "CIN"), ("CP" if r.urgent else "CIN",)),
                        ),
                        _c("Is the child at immediate risk?", _yn(r.urgent)),
                        _c("Discussed by telephone with the IRH?", _yn(r.phoned)),
                        _t("Name of IRH social worker spoken to", r.phoned_to),
                        _when("Date and time of call", r.phoned_at, stamp),
                    ),
                ),
            ),
        ),
        Sect(
            "Referrer",
            (
                Group(
                    "Referrer details",
                    (
                        _t("Name", ref.name),
                        _t("Role", ref.role),
                        _t("Agency", ref.agency),
                        _t("Telephone", ref.phone),
                        _t("Email", ref.email),
                        _c("Discussed with your manager / DSL?", _yn(r.dsl_consulted)),
                    ),
                ),
            ),
        ),
        Sect("Children", children),
        Sect(
            "Consent",
            (
                Group(
                    "Consent",
                    (
                        _c("Does the person with PR know?", _yn(r.parents_aware)),
                        _c("Has the person with PR given consent?", _yn(r.consent)),
                        _t("Reason consent not sought", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Concerns",
            (
                _ticks(concerns, r, "Area of concern", columns=3),
                Group(
                    "Reason for referral",
                    (
                        _t("Reason for referral", r.concern_narrative, wide=True),
                        _t("What is working well?", r.strengths, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "History and attachments",
            (
                Group(
                    "History and attachments",
                    (
                        _c(
                            "Known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Unknown"),
                        ),
                        _c("GCP completed / attached?", _yn(r.gcp_attached_claimed)),
                    ),
                ),
            ),
        ),
    )
    return Form(
        template="lambeth-irh",
        title="Integrated Referral Hub (IRH) - Referral Form",
        subtitle="Lambeth Children's Social Care. For children at tier 3 or tier 4 of the "
        "threshold; confirm telephone referrals in writing within 24 hours.",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(ALL_FIELDS),
        gcp="question",
    )


def calderdale_eiss(r: Referral) -> Form:
    """Early intervention and safeguarding statutory referral form: children in one grid.

    Follows Calderdale's "Early Intervention and Safeguarding Statutory Referral Form"
    (https://studylib.net/doc/6838647/early-intervention-and-safeguarding-statutory-referral-form):
    "Request for service to" (EIP / DCT / MAST) and the continuum of need level first, "Date +
    Time of Referral", the referrer and the call to the Duty and Consultation Team, a grid of the
    children, consent, concerns, previous involvement and other assessments attached.
    """
    ref = r.referrer
    when = r.referral_datetime
    service = {2: "EIP", 3: "MAST", 4: "DCT"}[r.threshold_level]
    concerns = {
        "neglect": "Neglect",
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
        "domestic_abuse": "Domestic abuse",
        "cse": "Child sexual exploitation",
        "cce": "Child criminal exploitation",
        "hsb": "Harmful sexual behaviour",
        "missing": "Missing",
        "self_harm": "Self harm",
        "mental_health": "Mental health",
        "substance_misuse": "Substance misuse",
        "online_harm": "Online abuse",
        "other": "Other",
    }
    offered = ("CAF / EHA", "Chronology", "Brook Traffic Light Tool",
               "Child Exploitation Pathway screening tool")  # fmt: skip
    grid = Records(
        "Children and young people (list every child in the household)",
        ("Surname", "Forename(s)", "DOB / EDD", "Gender", "Address", "Postcode"),
        tuple(
            (
                child.surname,
                child.forenames,
                dob_text(child, dots),
                gender_text(child, "letter"),
                child.address,
                child.postcode,
            )
            for child in r.children
        ),
    )
    sections = (
        Sect(
            "Part A: The request",
            (
                Group(
                    "Part A: The request",
                    (
                        _when(
                            "Date + Time of Referral", when, lambda w: f"{dots(w.date())} {t24(w)}"
                        ),
                        _c(
                            "Request for service to",
                            Opt(("EIP", "DCT", "MAST"), (service,), dropdown=True),
                        ),
                        _c(
                            "Continuum of need level",
                            _levels(r.threshold_level, _LEVELS_1_4, dropdown=True),
                        ),
                        _c("Immediate risk of harm?", _yn(r.urgent)),
                    ),
                ),
            ),
        ),
        Sect(
            "Part B: Referrer",
            (
                Group(
                    "Part B: Referrer",
                    (
                        _t("Name of referrer", ref.name),
                        _t("Designation", ref.role),
                        _t("Organisation", ref.agency),
                        _t("Contact number", ref.phone),
                        _t("Email", ref.email),
                        _c("Discussed with your DSL / manager?", _yn(r.dsl_consulted)),
                        _c(
                            "Discussed by telephone with the Duty and Consultation Team?",
                            _yn(r.phoned),
                        ),
                        _t("Name of social worker", r.phoned_to),
                        _when(
                            "Date + Time of call",
                            r.phoned_at,
                            lambda w: f"{dots(w.date())} {t24(w)}",
                        ),
                    ),
                ),
            ),
        ),
        Sect("Part C: Children", (grid,)),
        Sect(
            "Part D: Consent",
            (
                Group(
                    "Part D: Consent",
                    (
                        _c("Is the parent/carer aware of this referral?", _yn(r.parents_aware)),
                        _c("Has consent been given?", _yn(r.consent)),
                        _t("If no, explain why", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Part E: Concerns",
            (
                _ticks(concerns, r, "Concerns (tick all that apply)", columns=2),
                Group(
                    "Part E: Concerns",
                    (
                        _t("What are you worried about?", r.concern_narrative, wide=True),
                        _t("What is working well?", r.strengths, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Part F: Previous involvement and attachments",
            (
                Group(
                    "Part F: Previous involvement",
                    (
                        _c(
                            "Is the family known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Unknown"),
                        ),
                    ),
                ),
                _attachments(
                    r, "Other assessments attached", "GCP2 (Graded Care Profile)", offered
                ),
            ),
        ),
    )
    return Form(
        template="calderdale-eiss",
        title="Early Intervention and Safeguarding Statutory Referral Form",
        subtitle="Calderdale - Request for service to: Early Intervention Panel (EIP) / Duty and "
        "Consultation Team (DCT) / MAST",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(ALL_FIELDS),
        gcp="ticks",
    )


def statutory_intervention(r: Referral) -> Form:
    """Statutory intervention form: CP or CIN, the four categories of harm, ISO dates.

    Follows the "Statutory Intervention Form" (https://docest.com/doc/322078/statutory-
    intervention-form): a request for a statutory (section 17 / section 47) response, dated but
    not timed, with the child's surname and first names, parental consent, the four categories
    of harm as tick boxes and a summary of concerns. No telephone or attachment questions.
    """
    ref = r.referrer
    concerns = {
        "physical_abuse": "Physical",
        "emotional_abuse": "Emotional",
        "sexual_abuse": "Sexual",
        "neglect": "Neglect",
    }
    children = tuple(
        Group(
            f"Child {number}",
            (
                _t("Child's surname", child.surname),
                _t("Child's first name(s)", child.forenames),
                _d("Date of birth", dob_text(child, iso), child.dob),
                _c("Gender", Opt(("Male", "Female"), (gender_text(child) or "",))),
                _t("Address", child.address),
                _t("Postcode", child.postcode),
            ),
        )
        for number, child in enumerate(r.children, start=1)
    )
    sections = (
        Sect(
            "Request",
            (
                Group(
                    "Request",
                    (
                        _when("Date completed", r.referral_datetime, lambda w: iso(w.date())),
                        _c(
                            "CP or CIN referral",
                            Opt(
                                ("Child Protection (s47)", "Child in Need (s17)"),
                                ("Child Protection (s47)" if r.urgent else "Child in Need (s17)",),
                            ),
                        ),
                        _c("Level of need", _levels(r.threshold_level, ("Level 3", "Level 4"))),
                        _c("Urgent - is the child at immediate risk?", _yn(r.urgent)),
                    ),
                ),
            ),
        ),
        Sect(
            "Referrer",
            (
                Group(
                    "Referrer",
                    (
                        _t("Referrer name", ref.name),
                        _t("Role", ref.role),
                        _t("Organisation", ref.agency),
                        _t("Phone", ref.phone),
                        _t("Email", ref.email),
                    ),
                ),
            ),
        ),
        Sect("Child(ren)", children),
        Sect(
            "Parental consent",
            (
                Group(
                    "Parental consent",
                    (
                        _c("Parents aware of referral?", _yn(r.parents_aware)),
                        _c("Consent given?", _yn(r.consent)),
                        _t("Reason consent was not sought", r.consent_refused_reason, wide=True),
                        _c(
                            "Known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Not known"),
                        ),
                    ),
                ),
            ),
        ),
        Sect(
            "Concerns",
            (
                _ticks(concerns, r, "Category of harm", columns=4),
                Group("Concerns", (_t("Summary of concerns", r.concern_narrative, wide=True),)),
            ),
        ),
    )
    return Form(
        template="statutory-intervention",
        title="Statutory Intervention Form",
        subtitle="Request for a statutory response (section 17 / section 47) from Children's "
        "Social Care",
        sections=sections,
        author=ref.name,
        created=r.referral_datetime,
        covers=frozenset(
            {"referral_datetime", "urgent", "threshold_level", "known_to_csc", "concern_narrative"}
            | _REFERRER
            | _CHILD
            | _CONSENT
        ),
        date_only=frozenset({"referral_datetime"}),
    )


def enfield_marf(r: Referral) -> Form:
    """Multi-agency referral form with a statement of use and struck-out Yes/No answers.

    Follows the Enfield multi-agency referral form (https://docsbay.net/statement-of-use): a
    statement of use first, the continuum of need level, the referrer and the call to the MASH,
    a grid of children, consent, concerns and "Graded Care Profile attached?". Yes/No answers
    are made by striking out the one that does not apply.
    """
    ref = r.referrer
    when = r.referral_datetime
    concerns = {
        "neglect": "Neglect",
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
        "domestic_abuse": "Domestic abuse",
        "cse": "CSE",
        "cce": "CCE",
        "missing": "Missing",
        "mental_health": "Mental health",
        "self_harm": "Self-harm",
        "substance_misuse": "Substance misuse",
        "x-private-fostering": "Private fostering",
    }
    grid = Records(
        "Children",
        ("Surname", "Forename", "DOB", "Gender", "Address", "Postcode"),
        tuple(
            (
                child.surname,
                child.forenames,
                dob_text(child, slash),
                gender_text(child),
                child.address,
                child.postcode,
            )
            for child in r.children
        ),
    )
    sections = (
        Sect(
            "",
            (
                Note(
                    "Statement of use: this form is for professionals referring a child to the "
                    "Enfield MASH. Please answer every question; strike out Yes or No as "
                    "appropriate."
                ),
                Group(
                    "Referral",
                    (
                        _when(
                            "Date and time of referral",
                            when,
                            lambda w: f"{slash(w.date())} at {t24(w)}",
                        ),
                        _c("Continuum of need level", _levels(r.threshold_level, _LEVELS_1_4)),
                        _c("Immediate risk?", _yn(r.urgent)),
                    ),
                ),
                Group(
                    "Referrer",
                    (
                        _t("Name of referrer", ref.name),
                        _t("Role", ref.role),
                        _t("Agency", ref.agency),
                        _t("Telephone number", ref.phone),
                        _t("Email", ref.email),
                        _c("Phoned MASH before sending?", _yn(r.phoned)),
                        _t("Name of MASH worker", r.phoned_to),
                        _when(
                            "Date/time of call",
                            r.phoned_at,
                            lambda w: f"{slash(w.date())} {t24(w)}",
                        ),
                        _c("DSL consulted?", _yn(r.dsl_consulted)),
                    ),
                ),
                grid,
                Group(
                    "Consent",
                    (
                        _c("Are the parents aware of this referral?", _yn(r.parents_aware)),
                        _c("Has consent been obtained?", _yn(r.consent)),
                        _t("If no, why not?", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Concerns",
            (
                _ticks(concerns, r, "Type of concern", columns=3),
                Group(
                    "",
                    (
                        _t("Nature of concern", r.concern_narrative, wide=True),
                        _c(
                            "Known to social care?",
                            _yn(r.known_to_csc, unknown="Unknown"),
                        ),
                        _c("Graded Care Profile attached?", _yn(r.gcp_attached_claimed)),
                    ),
                ),
            ),
        ),
    )
    return Form(
        template="enfield-marf",
        title="Enfield Multi-Agency Referral Form",
        subtitle="Enfield MASH - Children's Social Care and Early Help",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(ALL_FIELDS),
        gcp="question",
        yes_no="strike",
    )


def croydon_marf(r: Referral) -> Form:
    """An online MARF submission printed out: ``Question: answer`` lines, no tick list.

    Follows Croydon's online multi-agency referral form (child referral,
    https://my.croydon.gov.uk/MashReferrals?qWname=New&qServiceRef=ChildReferral) as it looks
    printed or pasted after submission: the answers only (unchosen options gone), the address
    in lines, concerns only in the free-text "What are you worried about?".
    """
    if len(r.children) != 1:
        raise ValueError("the online form takes one child per submission")
    ref = r.referrer
    child = r.children[0]
    when = r.referral_datetime
    parts = child.address.split(", ")
    address = [_t(f"Address line {n}", line) for n, line in enumerate(parts[:-1], start=1)]
    sections = (
        Sect(
            "Submission",
            (
                Group(
                    "",
                    (
                        _t("Form", "Child Referral"),
                        _when(
                            "Date and time submitted", when, lambda w: f"{slash(w.date())} {t24(w)}"
                        ),
                        _c("Is this an urgent referral?", _yn(r.urgent)),
                    ),
                ),
            ),
        ),
        Sect(
            "Your details",
            (
                Group(
                    "",
                    (
                        _t("Your name", ref.name),
                        _t("Your job title", ref.role),
                        _t("Your organisation", ref.agency),
                        _t("Your telephone number", ref.phone),
                        _t("Your email address", ref.email),
                        _c("Have you spoken to the SPOC about this child?", _yn(r.phoned)),
                        _t("Who did you speak to?", r.phoned_to),
                        _when(
                            "When did you speak to them?",
                            r.phoned_at,
                            lambda w: f"{slash(w.date())} {t24(w)}",
                        ),
                        _c(
                            "Have you discussed this with your safeguarding lead?",
                            _yn(r.dsl_consulted),
                        ),
                    ),
                ),
            ),
        ),
        Sect(
            "About the child",
            (
                Group(
                    "",
                    (
                        _t("First name", child.forenames),
                        _t("Last name", child.surname),
                        _d("Date of birth", dob_text(child, slash), child.dob),
                        _t("Gender", gender_text(child)),
                        *address,
                        _t("Town", parts[-1]),
                        _t("Postcode", child.postcode),
                    ),
                ),
            ),
        ),
        Sect(
            "Consent",
            (
                Group(
                    "",
                    (
                        _c(
                            "Does the parent or carer know about this referral?",
                            _yn(r.parents_aware, unknown="Don't know"),
                        ),
                        _c("Do they consent?", _yn(r.consent, unknown="Don't know")),
                        _t("If not, why not?", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Your concerns",
            (
                Group(
                    "",
                    (
                        _t("What are you worried about?", r.concern_narrative, wide=True),
                        _t("What is going well?", r.strengths, wide=True),
                        _c(
                            "Is the family known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Don't know"),
                        ),
                    ),
                ),
            ),
        ),
    )
    covers = set(ALL_FIELDS) - {"threshold_level", "gcp_attached_claimed"}
    return Form(
        template="croydon-marf",
        title="Multi Agency Referral Form (MARF) - submission summary",
        subtitle="Croydon Children's Services Single Point of Contact (SPOC)",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(covers),
        yes_no="deleted",
    )


def thurrock_caf(r: Referral) -> Form:
    """A Common Assessment Framework (CAF) form used as a referral: one child, no tick list.

    Follows the CAF Thurrock expects with a referral
    (https://www.thurrock.gov.uk/childrens-care-professionals-processes/good-quality-referrals):
    details of the child being assessed ("Given name(s)", "Family name", "Date of birth or
    EDD"), the person undertaking the assessment, consent to share information, the reason for
    the assessment in free text and other assessments attached. No urgency, telephone,
    threshold or previous-involvement questions.
    """
    if len(r.children) != 1:
        raise ValueError("a CAF is completed for one child")
    ref = r.referrer
    child = r.children[0]
    when = r.referral_datetime
    others = _others(r, ("Chronology",))
    sections = (
        Sect(
            "Details of the child or young person being assessed",
            (
                Group(
                    "Child or young person",
                    (
                        _t("Given name(s)", child.forenames),
                        _t("Family name", child.surname),
                        _d("Date of birth or EDD", dob_text(child, long_date), child.dob),
                        _c("Sex", Opt(("Male", "Female", "Unknown"), (child.gender,))),
                        _t("Address", address_lines(child)),
                        _t("Postcode", child.postcode),
                        _t("School / setting", child.school),
                    ),
                ),
            ),
        ),
        Sect(
            "Assessment",
            (
                Group(
                    "Person undertaking the assessment",
                    (
                        _when("Date of assessment", when, lambda w: long_date(w.date())),
                        _t("Name", ref.name),
                        _t("Role", ref.role),
                        _t("Organisation", ref.agency),
                        _t("Phone", ref.phone),
                        _t("Email", ref.email),
                    ),
                ),
            ),
        ),
        Sect(
            "Consent for information storage and information sharing",
            (
                Note(
                    "I understand the information recorded on this form and that it will be "
                    "shared with the services named to help meet my family's needs."
                ),
                Group(
                    "Consent",
                    (
                        _c("Parent / carer consent obtained?", _yn(r.consent)),
                        _t("If consent not obtained, reason", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Reason for assessment",
            (
                Group(
                    "Reason for assessment",
                    (
                        _t("Reason for assessment", r.concern_narrative, wide=True),
                        _t("Strengths", r.strengths, wide=True),
                        _t("Actions and support already in place", r.actions_taken, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Other assessments",
            (
                _attachments(
                    r, "Other assessments attached", "Graded Care Profile", ("Chronology",)
                ),
                Group("", (_t("Other (please state)", ", ".join(others)),)),
            ),
        ),
    )
    return Form(
        template="thurrock-caf",
        title="Common Assessment Framework (CAF) Form",
        subtitle="Thurrock - pre-assessment checklist and CAF, sent with a request for support",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(
            {"referral_datetime", "consent", "consent_refused_reason", "concern_narrative"}
            | {"gcp_attached_claimed"}
            | _REFERRER
            | _CHILD
        ),
        date_only=frozenset({"referral_datetime"}),
        gcp="ticks",
    )


def bromley_multi_child(r: Referral) -> Form:
    """Children's social care referral form covering every child of a family in one grid.

    Follows Bromley's children's social care referral form
    (https://docslib.org/doc/13906077/children-s-social-care-referral-form), which asks for all
    the children of the household on one form: date and time in separate fields, the call to the
    MASH, level of need, referrer, a children grid (forenames, surname, D.O.B. / EDD, M/F,
    address, postcode), consent, concerns, previous involvement, attachments.
    """
    ref = r.referrer
    when = r.referral_datetime
    concerns = {
        "neglect": "Neglect",
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
        "domestic_abuse": "Domestic abuse",
        "cse": "Child sexual exploitation",
        "cce": "Child criminal exploitation",
        "hsb": "Harmful sexual behaviour",
        "mental_health": "Mental health",
        "substance_misuse": "Substance misuse",
        "online_harm": "Online harm",
        "other": "Other",
    }
    offered = (
        "Chronology",
        "Brook Traffic Light Tool",
        "Child Exploitation Pathway screening tool",
    )
    grid = Records(
        "Children in the household who are the subject of this referral",
        ("Forename(s)", "Surname", "D.O.B. / EDD", "M/F", "Address", "Postcode"),
        tuple(
            (
                child.forenames,
                child.surname,
                dob_text(child, slash),
                gender_text(child, "letter"),
                child.address,
                child.postcode,
            )
            for child in r.children
        ),
    )
    sections = (
        Sect(
            "Referral details",
            (
                Group(
                    "Referral details",
                    (
                        _when("Date of referral", when, lambda w: slash(w.date())),
                        _t("Time of referral", t24(when)),
                        _c(
                            "Is this an urgent referral (child at immediate risk)?",
                            _yn(r.urgent),
                        ),
                        _c("Have you telephoned the MASH?", _yn(r.phoned)),
                        _t("Name of MASH worker", r.phoned_to),
                        _when(
                            "Date and time of call",
                            r.phoned_at,
                            lambda w: f"{slash(w.date())} {t24(w)}",
                        ),
                        _c(
                            "Level of need (Bromley threshold)",
                            _levels(r.threshold_level, _LEVELS_1_4),
                        ),
                    ),
                ),
                Group(
                    "Referrer",
                    (
                        _t("Name of referrer", ref.name),
                        _t("Designation", ref.role),
                        _t("Agency", ref.agency),
                        _t("Telephone", ref.phone),
                        _t("Email", ref.email),
                        _c("Discussed with your DSL?", _yn(r.dsl_consulted)),
                    ),
                ),
            ),
        ),
        Sect("Children", (grid,)),
        Sect(
            "Consent",
            (
                Group(
                    "Consent",
                    (
                        _c("Does the person with PR know?", _yn(r.parents_aware)),
                        _c("Consent given?", _yn(r.consent)),
                        _t("Reason if not", r.consent_refused_reason, wide=True),
                    ),
                ),
            ),
        ),
        Sect(
            "Concerns",
            (
                _ticks(concerns, r, "Concerns", columns=3),
                Group(
                    "Reason for referral",
                    (
                        _t("Reason for referral", r.concern_narrative, wide=True),
                        _c(
                            "Known to Children's Social Care?",
                            _yn(r.known_to_csc, unknown="Unknown"),
                        ),
                    ),
                ),
                _attachments(r, "Attachments", "Graded Care Profile 2 (GCP2)", offered),
            ),
        ),
    )
    return Form(
        template="bromley-multi-child",
        title="Children's Social Care Referral Form",
        subtitle="Bromley MASH - one form for all the children in a family",
        sections=sections,
        author=ref.name,
        created=when,
        covers=frozenset(ALL_FIELDS),
        gcp="ticks",
    )


@dataclass(frozen=True)
class Template:
    """A template id, the published form it follows and the phrases that recognise it."""

    id: str
    follows: str
    #: Every phrase appears in the form's text and they do not all appear in any other template.
    phrases: tuple[str, ...]
    #: Builds the form model (``None`` for the two layouts drawn by :mod:`forms`).
    build: Callable[[Referral], Form] | None


TEMPLATES: dict[str, Template] = {
    t.id: t
    for t in (
        Template(
            "southend-rfs",
            "Southend C-SPOC Request for Service (guidance page)",
            ("request for service", "c-spoc"),
            None,
        ),
        Template(
            "ehfsa",
            "Southend Early Help and Family Support Assessment (older MASH+ referral)",
            ("early help and family support assessment",),
            None,
        ),
        Template(
            "knowsley-marf",
            "Knowsley multi-agency referral form (Working Together 2015)",
            ("multi-agency referral form", "knowsley"),
            knowsley_marf,
        ),
        Template(
            "mash-referral",
            "Generic MASH referral form (Child / Young Person Details)",
            ("mash referral form", "child / young person details"),
            mash_referral,
        ),
        Template(
            "interagency-2014",
            "Inter-agency referral form for agencies (2014)",
            ("inter-agency referral form", "referral form for agencies"),
            interagency_2014,
        ),
        Template(
            "lambeth-irh",
            "Lambeth Integrated Referral Hub referral form",
            ("integrated referral hub", "lambeth"),
            lambeth_irh,
        ),
        Template(
            "calderdale-eiss",
            "Calderdale early intervention and safeguarding statutory referral form",
            ("early intervention and safeguarding statutory referral form",),
            calderdale_eiss,
        ),
        Template(
            "statutory-intervention",
            "Statutory intervention form",
            ("statutory intervention form",),
            statutory_intervention,
        ),
        Template(
            "enfield-marf",
            "Enfield multi-agency referral form (statement of use)",
            ("enfield multi-agency referral form",),
            enfield_marf,
        ),
        Template(
            "croydon-marf",
            "Croydon online multi-agency referral form (child referral), printed submission",
            ("multi agency referral form", "croydon"),
            croydon_marf,
        ),
        Template(
            "thurrock-caf",
            "Thurrock Common Assessment Framework (CAF) form",
            ("common assessment framework", "thurrock"),
            thurrock_caf,
        ),
        Template(
            "bromley-multi-child",
            "Bromley children's social care referral form (several children)",
            ("children's social care referral form", "bromley"),
            bromley_multi_child,
        ),
    )
}


def build_form(template: str, referral: Referral) -> Form:
    """The form model of ``template`` filled from ``referral``."""
    build = TEMPLATES[template].build
    if build is None:
        raise ValueError(f"{template} is drawn by intake.synthetic.forms, not as a Form")
    return build(referral)


# --- renderings ---------------------------------------------------------------------------------

Rendering = Literal[
    "table2",
    "table4",
    "stacked",
    "merged",
    "paragraphs",
    "controls",
    "legacy",
    "pdf",
    "pdf-paragraphs",
    "acroform",
]
RENDERINGS: tuple[Rendering, ...] = (
    "table2",
    "table4",
    "stacked",
    "merged",
    "paragraphs",
    "controls",
    "legacy",
    "pdf",
    "pdf-paragraphs",
    "acroform",
)
#: The file suffix each rendering produces.
SUFFIX: dict[Rendering, str] = {
    r: (".pdf" if r in ("pdf", "pdf-paragraphs", "acroform") else ".docx") for r in RENDERINGS
}

Mode = Literal["plain", "stacked", "controls", "legacy"]


class _Word:
    """Draws one form's values as WordprocessingML in one of the DOCX renderings' modes."""

    def __init__(self, form: Form, mode: Mode, *, repeating: bool = False) -> None:
        self.form = form
        self.mode = mode
        #: Grid rows go inside a repeating-section content control.
        self.repeating = repeating
        self.count = 0

    def next_id(self) -> int:
        self.count += 1
        return self.count

    def choice_runs(self, value: Opt) -> str:
        if self.mode == "controls":
            if value.dropdown:
                chosen = value.selected[0] if value.selected else None
                return wordml.dropdown_control(value.options, chosen, ident=self.next_id())
            first = self.count + 1
            self.count += len(value.options)
            return wordml.checkbox_choice(value.options, value.selected, first_id=first)
        if self.mode == "legacy":
            first = self.count + 1
            self.count += len(value.options)
            # Alternate where Word keeps the state, as files edited over the years do.
            how: wordml.CheckboxState = "checked" if first % 2 else "default"
            return wordml.form_checkbox_choice(value.options, value.selected, first=first, how=how)
        drawer = {
            "glyph": wordml.glyph_choice,
            "strike": wordml.strike_choice,
            "deleted": wordml.deleted_choice,
        }[self.form.yes_no]
        return drawer(value.options, value.selected)

    def value(self, field: Field) -> str:
        """Block XML (paragraphs) for ``field``'s answer."""
        value = field.value
        if isinstance(value, Opt):
            return wordml.para(self.choice_runs(value))
        if self.mode == "controls":
            if field.kind == "date":
                return wordml.para(wordml.date_control(value, field.day, ident=self.next_id()))
            if field.wide:
                return wordml.block_text_control(value, ident=self.next_id())
            return wordml.para(wordml.text_control(value, ident=self.next_id()))
        if self.mode == "legacy":
            ident = self.next_id()
            fmt = "d MMMM yyyy" if field.kind == "date" else ""
            return wordml.para(
                wordml.form_text(value, name=f"Text{ident}", date_format=fmt, split=ident % 3 == 0)
            )
        if self.mode == "stacked":
            return wordml.text_paras(value or "")
        if not value:
            return wordml.para(wordml.run(PLACEHOLDER, color="808080"))
        return wordml.para(wordml.run(value))

    def record(self, value: str | None) -> str:
        """Block XML for one cell of a :class:`Records` grid."""
        if self.mode == "controls":
            return wordml.para(wordml.text_control(value, ident=self.next_id()))
        if self.mode == "legacy":
            ident = self.next_id()
            return wordml.para(wordml.form_text(value, name=f"Text{ident}"))
        return wordml.para(wordml.run(value) if value else "")

    def box(self, label: str, ticked: bool) -> str:
        """Block XML for one tick box and its label."""
        if self.mode == "controls":
            mark = wordml.checkbox_control(ticked, ident=self.next_id())
        elif self.mode == "legacy":
            ident = self.next_id()
            how: wordml.CheckboxState = "checked" if ident % 2 else "default"
            mark = wordml.form_checkbox(ticked, name=f"Check{ident}", how=how)
        else:
            mark = wordml.glyph(ticked)
        return wordml.para(mark + wordml.run(f" {label}"))

    def inline(self, value: Value) -> str:
        """Runs for an answer written after its label in a paragraph."""
        if isinstance(value, Opt):
            return self.choice_runs(value)
        return wordml.run(value) if value else ""


def _heading(text: str, level: int = 2) -> str:
    return wordml.para(wordml.run(text), style=f"Heading{level}") if text else ""


def _bold(text: str) -> str:
    return wordml.para(wordml.run(text, bold=True)) if text else ""


def _records_table(word: _Word, part: Records, *, title_row: bool, width: int) -> str:
    cols = len(part.header)
    widths = wordml.split_widths(width, [1.0] * cols)
    rows = []
    if title_row and part.title:
        rows.append(wordml.row([wordml.title_cell(part.title, width=width, span=cols)]))
    rows.append(
        wordml.row(
            [wordml.label_cell(h, width=w) for h, w in zip(part.header, widths, strict=True)],
            header=True,
        )
    )
    data = [
        wordml.row(
            wordml.cell(word.record(v), width=w) for v, w in zip(values, widths, strict=True)
        )
        for values in part.rows
    ]
    if word.repeating:
        first = word.count + 1
        word.count += len(data) + 1
        data = [wordml.repeating_section(data, first_id=first, alias=part.item)]
    return wordml.table(rows + data, widths)


def _boxes_table(word: _Word, part: Boxes, *, title_row: bool, width: int) -> str:
    cols = part.columns
    widths = wordml.split_widths(width, [1.0] * cols)
    rows = []
    if title_row and part.title:
        rows.append(wordml.row([wordml.title_cell(part.title, width=width, span=cols)]))
    for start in range(0, len(part.items), cols):
        chunk = part.items[start : start + cols]
        cells = [
            wordml.cell(word.box(label, ticked), width=w)
            for (label, ticked), w in zip(chunk, widths, strict=False)
        ]
        cells += [wordml.cell("", width=w) for w in widths[len(chunk) :]]
        rows.append(wordml.row(cells))
    return wordml.table(rows, widths)


def _table2(form: Form, mode: Mode, *, repeating: bool = False) -> list[str]:
    """Label|value tables, each with its title as a merged, shaded first row."""
    word = _Word(form, mode, repeating=repeating)
    page = wordml.PAGE_WIDTH
    w0, w1 = wordml.split_widths(page, [36, 64])
    body: list[str] = []
    for sect in form.sections:
        body.append(_heading(sect.heading))
        for part in sect.parts:
            if isinstance(part, Note):
                body.append(wordml.para(wordml.run(part.text)))
                continue
            if isinstance(part, Group):
                rows = []
                if part.title:
                    rows.append(wordml.row([wordml.title_cell(part.title, width=page, span=2)]))
                for field in part.fields:
                    rows.append(
                        wordml.row(
                            [
                                wordml.label_cell(field.label, width=w0),
                                wordml.cell(word.value(field), width=w1),
                            ]
                        )
                    )
                body.append(wordml.table(rows, [w0, w1]))
            elif isinstance(part, Records):
                body.append(_records_table(word, part, title_row=True, width=page))
            else:
                body.append(_boxes_table(word, part, title_row=True, width=page))
            body.append(wordml.para())
    return body


def _unbreakable(field: Field) -> bool:
    """An answer with a word too long for a narrow printed cell (an email address)."""
    return isinstance(field.value, str) and any(len(word) > 24 for word in field.value.split())


def _pairs(fields: Sequence[Field], *, printed: bool = False) -> list[tuple[Field, ...]]:
    """Fields two to a row; a long answer (or the odd one out) alone on its row. ``printed``:
    an answer that a narrow PDF cell would break mid-word gets a row of its own too."""
    rows: list[tuple[Field, ...]] = []
    pending: Field | None = None
    for field in fields:
        if field.wide or (printed and _unbreakable(field)):
            if pending:
                rows.append((pending,))
                pending = None
            rows.append((field,))
        elif pending:
            rows.append((pending, field))
            pending = None
        else:
            pending = field
    if pending:
        rows.append((pending,))
    return rows


def _table4(form: Form, mode: Mode) -> list[str]:
    """label|value|label|value rows; a long answer spans the three right-hand columns."""
    word = _Word(form, mode)
    page = wordml.PAGE_WIDTH
    widths = wordml.split_widths(page, [22, 28, 22, 28])
    body: list[str] = []
    for sect in form.sections:
        body.append(_heading(sect.heading))
        for part in sect.parts:
            if isinstance(part, Note):
                body.append(wordml.para(wordml.run(part.text)))
                continue
            if part.title and (not sect.heading or part.title != sect.heading):
                body.append(_bold(part.title))
            if isinstance(part, Group):
                rows = []
                for pair in _pairs(part.fields):
                    cells = []
                    if len(pair) == 2:
                        for field, (wl, wv) in zip(
                            pair, ((widths[0], widths[1]), (widths[2], widths[3])), strict=True
                        ):
                            cells.append(wordml.label_cell(field.label, width=wl))
                            cells.append(wordml.cell(word.value(field), width=wv))
                    else:
                        cells.append(wordml.label_cell(pair[0].label, width=widths[0]))
                        cells.append(
                            wordml.cell(word.value(pair[0]), width=sum(widths[1:]), span=3)
                        )
                    rows.append(wordml.row(cells))
                body.append(wordml.table(rows, widths))
            elif isinstance(part, Records):
                body.append(_records_table(word, part, title_row=False, width=page))
            else:
                body.append(_boxes_table(word, part, title_row=False, width=page))
            body.append(wordml.para())
    return body


def _stacked(form: Form) -> list[str]:
    """Each label above its answer: two to a row in one cell each (label on the cell's first
    line, answer below), long answers as a label row followed by an answer row."""
    word = _Word(form, "stacked")
    page = wordml.PAGE_WIDTH
    half = wordml.split_widths(page, [1, 1])
    body: list[str] = []
    for sect in form.sections:
        body.append(_heading(sect.heading))
        for part in sect.parts:
            if isinstance(part, Note):
                body.append(wordml.para(wordml.run(part.text)))
                continue
            if part.title and part.title != sect.heading:
                body.append(_heading(part.title, 3))
            if isinstance(part, Group):
                rows = []
                for pair in _pairs(part.fields):
                    if pair[0].wide:
                        field = pair[0]
                        rows.append(
                            wordml.row([wordml.label_cell(field.label, width=page, span=2)])
                        )
                        rows.append(
                            wordml.row([wordml.cell(word.value(field), width=page, span=2)])
                        )
                        continue
                    cells = [
                        wordml.cell(_bold(field.label) + word.value(field), width=w)
                        for field, w in zip(pair, half, strict=False)
                    ]
                    if len(pair) == 1:
                        cells = [
                            wordml.cell(
                                _bold(pair[0].label) + word.value(pair[0]), width=page, span=2
                            )
                        ]
                    rows.append(wordml.row(cells))
                body.append(wordml.table(rows, half))
            elif isinstance(part, Records):
                body.append(_records_table(word, part, title_row=False, width=page))
            else:
                body.append(_boxes_table(word, part, title_row=False, width=page))
            body.append(wordml.para())
    return body


def _merged(form: Form) -> list[str]:
    """A first column naming the section, vertically merged down the section's rows; grids and
    tick lists as tables nested in a cell, under a merged title row."""
    word = _Word(form, "plain")
    page = wordml.PAGE_WIDTH
    w0, w1, w2 = wordml.split_widths(page, [18, 30, 52])
    body: list[str] = []
    for sect in form.sections:
        for part in sect.parts:
            if isinstance(part, Note):
                body.append(wordml.para(wordml.run(part.text)))
                continue
            if isinstance(part, Group):
                name = part.title or sect.heading
                rows = []
                for index, field in enumerate(part.fields):
                    side = wordml.cell(
                        _bold(name) if index == 0 else "",
                        width=w0,
                        vmerge="restart" if index == 0 else "continue",
                        fill=wordml.LABEL_FILL,
                    )
                    rows.append(
                        wordml.row(
                            [
                                side,
                                wordml.label_cell(field.label, width=w1),
                                wordml.cell(word.value(field), width=w2),
                            ]
                        )
                    )
                body.append(wordml.table(rows, [w0, w1, w2]))
            else:
                inner_width = w1 + w2 - 200
                inner = (
                    _records_table(word, part, title_row=False, width=inner_width)
                    if isinstance(part, Records)
                    else _boxes_table(word, part, title_row=False, width=inner_width)
                )
                rows = [
                    wordml.row([wordml.title_cell(sect.heading or part.title, width=page, span=2)]),
                    wordml.row(
                        [
                            wordml.label_cell(part.title or sect.heading, width=w0),
                            wordml.cell(inner, width=w1 + w2),
                        ]
                    ),
                ]
                body.append(wordml.table(rows, [w0, w1 + w2]))
            body.append(wordml.para())
    return body


def _paragraphs(form: Form) -> list[str]:
    """``Label: answer`` paragraphs under headings; no tables at all."""
    word = _Word(form, "plain")
    body: list[str] = []
    for sect in form.sections:
        body.append(_heading(sect.heading))
        for part in sect.parts:
            if isinstance(part, Note):
                body.append(wordml.para(wordml.run(part.text)))
            elif isinstance(part, Group):
                body.append(_bold(part.title))
                body.extend(wordml.label_value(f.label, word.inline(f.value)) for f in part.fields)
            elif isinstance(part, Records):
                body.append(_bold(part.title))
                for number, values in enumerate(part.rows, start=1):
                    body.append(_bold(f"{part.item} {number}"))
                    body.extend(
                        wordml.label_value(h, wordml.run(v) if v else "")
                        for h, v in zip(part.header, values, strict=True)
                    )
            else:
                body.append(_bold(part.title))
                body.extend(word.box(label, ticked) for label, ticked in part.items)
    return body


def _docx(form: Form, body: Sequence[str]) -> bytes:
    return wordml.compose_docx(
        title=form.title,
        subtitle=form.subtitle,
        body=[fragment for fragment in body if fragment],
        author=form.author,
        created=form.created,
        marking=form.marking,
    )


def _pdf_value(form: Form, value: Value) -> str | render.Choice:
    if isinstance(value, Opt):
        if form.yes_no == "deleted":
            return " / ".join(value.selected or value.options)
        return render.Choice(value.options, value.selected)
    return value or ""


def _pdf_text(form: Form, value: Value) -> str:
    shown = _pdf_value(form, value)
    return shown.as_text(pdf=True) if isinstance(shown, render.Choice) else shown


def doc_model(form: Form, *, paragraphs: bool = False) -> render.Doc:
    """``form`` as :mod:`render`'s document model (ruled tables, or ``Label: value`` lines)."""
    sections = []
    for sect in form.sections:
        blocks: list[render.Block] = []
        for part in sect.parts:
            if isinstance(part, Note):
                blocks.append(render.Text(part.text))
            elif paragraphs and isinstance(part, Group):
                if part.title:
                    blocks.append(render.Text(part.title, bold=True))
                blocks.extend(
                    render.Text(f"{wordml.with_colon(f.label)} {_pdf_text(form, f.value)}")
                    for f in part.fields
                )
            elif paragraphs and isinstance(part, Records):
                for number, values in enumerate(part.rows, start=1):
                    blocks.append(render.Text(f"{part.item} {number}", bold=True))
                    blocks.extend(
                        render.Text(f"{wordml.with_colon(h)} {v or ''}")
                        for h, v in zip(part.header, values, strict=True)
                    )
            elif paragraphs and isinstance(part, Boxes):
                blocks.append(render.Text(part.title, bold=True))
                blocks.extend(
                    render.Text(f"{'[X]' if ticked else '[ ]'} {label}")
                    for label, ticked in part.items
                )
            elif isinstance(part, Group):
                rows: list[tuple[render.Cell, ...]] = []
                for pair in _pairs(part.fields, printed=True):
                    cells: list[render.Cell] = []
                    for field in pair:
                        cells += [field.label, _pdf_value(form, field.value)]
                    rows.append(tuple(cells))
                blocks.append(render.Fields(tuple(rows), title=part.title))
            elif isinstance(part, Records):
                blocks.append(
                    render.Grid(
                        part.header,
                        tuple(tuple(v or "" for v in values) for values in part.rows),
                        title=part.title,
                    )
                )
            else:
                blocks.append(render.Ticks(part.items, part.columns, part.title))
        sections.append(render.Section(sect.heading, tuple(blocks)))
    return render.Doc(
        title=form.title,
        subtitle=form.subtitle,
        sections=tuple(sections),
        author=form.author,
        created=form.created,
        marking=form.marking,
    )


def render_form(form: Form, rendering: Rendering, *, repeating_rows: bool = False) -> bytes:
    """The bytes of ``form`` drawn in ``rendering`` (a .docx or a .pdf; see :data:`SUFFIX`).

    ``repeating_rows`` (``controls`` only) puts the rows of every grid in a repeating-section
    content control, as forms made with Word 2013 and later do.
    """
    if rendering == "table2":
        return _docx(form, _table2(form, "plain"))
    if rendering == "controls":
        return _docx(form, _table2(form, "controls", repeating=repeating_rows))
    if rendering == "table4":
        return _docx(form, _table4(form, "plain"))
    if rendering == "legacy":
        return _docx(form, _table4(form, "legacy"))
    if rendering == "stacked":
        return _docx(form, _stacked(form))
    if rendering == "merged":
        return _docx(form, _merged(form))
    if rendering == "paragraphs":
        return _docx(form, _paragraphs(form))
    if rendering == "pdf":
        return render.render_pdf(doc_model(form))
    if rendering == "pdf-paragraphs":
        return render.render_pdf(doc_model(form, paragraphs=True))
    if rendering == "acroform":
        from intake.synthetic.acroform import render_acroform

        return render_acroform(form)
    raise ValueError(f"unknown rendering {rendering!r}; choose one of {RENDERINGS}")
