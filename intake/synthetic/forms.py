"""Attachment bytes: RFS forms (two layouts, DOCX or PDF), GCP2, Brook, exploitation, decoys.

All wording is our own; the layouts only follow the general shape of UK referral forms and
assessment tools. Every person in them is fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Literal

from intake.synthetic.people import (
    CONCERN_CODES,
    CONCERN_LABELS,
    CSPOC_ADDRESS,
    PERSONAL_DOMAIN,
    Child,
    Referral,
    Referrer,
    make_child,
    make_referrer,
)
from intake.synthetic.render import (
    CHOOSE,
    PLACEHOLDER,
    Block,
    Choice,
    Doc,
    Fields,
    Grid,
    Section,
    Text,
    Ticks,
    render_docx,
    render_pdf,
    yes_no,
)

Layout = Literal["southend-rfs", "ehfsa"]
#: The RFS layouts :func:`rfs_docx` and :func:`rfs_pdf` can draw.
LAYOUTS: tuple[Layout, ...] = ("southend-rfs", "ehfsa")

#: The documents the RFS "attachments" tick list offers, in order.
_ATTACHMENT_OPTIONS = (
    "Graded Care Profile 2 (GCP2)",
    "Chronology",
    "Brook Traffic Light Tool",
    "Child Exploitation Pathway screening tool",
    "Early Help Assessment",
)
# A made-up C-SPOC number in the drama range (the real one is on the council's site).
_CSPOC_PHONE = "01632 960000"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else PLACEHOLDER


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else PLACEHOLDER


def _or_placeholder(text: str) -> str:
    return text or PLACEHOLDER


def _secure(email: str) -> bool:
    return not email.endswith(f"@{PERSONAL_DOMAIN}")


def _ticks_for(referral: Referral) -> Ticks:
    return Ticks(
        tuple((CONCERN_LABELS[code], code in referral.concerns) for code in CONCERN_CODES),
        columns=3,
    )


def _attachment_ticks(referral: Referral) -> tuple[Block, ...]:
    listed = referral.attachments_listed
    others = [item for item in listed if item not in _ATTACHMENT_OPTIONS]
    items = [(option, option in listed) for option in _ATTACHMENT_OPTIONS]
    items.append(("Other", bool(others)))
    blocks: list[Block] = [
        Text("Please tick any assessments or tools attached to this referral."),
        Ticks(tuple(items), columns=2),
    ]
    if others:
        blocks.append(Fields(((("Other (please specify)"), ", ".join(others)),)))
    return tuple(blocks)


def _level_choice(level: int, *, strike: bool = False) -> Choice:
    return Choice(("Level 2", "Level 3", "Level 4"), (f"Level {level}",), strike)


def _southend_rfs(referral: Referral) -> Doc:
    r = referral
    ref = r.referrer
    request_type = {
        4: "Safeguarding (Level 4)",
        3: "Supporting Families (Level 3)",
        2: "Early Help (Level 2)",
    }[r.threshold_level]
    children: list[Block] = []
    for number, child in enumerate(r.children, start=1):
        children.append(Text(f"Child {number}", bold=True))
        children.append(
            Fields(
                (
                    ("Forename(s)", child.forenames, "Surname", child.surname),
                    ("Date of birth", _date(child.dob), "Gender", child.gender),
                    ("Home address", child.address, "Postcode", child.postcode),
                    ("Other names known by", PLACEHOLDER, "Ethnicity", CHOOSE),
                    ("School / setting", child.school or "Not applicable"),
                    ("First language", "English", "Interpreter required?", yes_no(False)),
                )
            )
        )
    carers = Grid(
        (
            "Name",
            "Relationship to child",
            "Date of birth",
            "Address",
            "Telephone",
            "Parental responsibility?",
        ),
        tuple(
            (
                carer.name,
                carer.relationship,
                _date(carer.dob),
                f"{carer.address}, {carer.postcode}",
                carer.phone,
                yes_no(carer.parental_responsibility),
            )
            for carer in r.carers
        ),
    )
    sections = (
        Section(
            "1. Referral details",
            (
                Fields(
                    (
                        ("Date and time of referral", _when(r.referral_datetime)),
                        ("Level of need (threshold document)", _level_choice(r.threshold_level)),
                        (
                            "Type of request",
                            Choice(
                                (
                                    "Safeguarding (Level 4)",
                                    "Supporting Families (Level 3)",
                                    "Early Help (Level 2)",
                                ),
                                (request_type,),
                            ),
                        ),
                        ("Is the child at immediate risk of significant harm?", yes_no(r.urgent)),
                        (
                            "Have you discussed this referral by telephone with C-SPOC?",
                            yes_no(r.phoned),
                            "Name of social worker spoken to",
                            _or_placeholder(r.phoned_to or ""),
                        ),
                        ("Date and time of telephone discussion", _when(r.phoned_at)),
                    )
                ),
            ),
        ),
        Section(
            "2. Consent",
            (
                Fields(
                    (
                        (
                            "Are the parents / carers aware of this referral?",
                            yes_no(r.parents_aware),
                        ),
                        ("Has consent been given for this referral?", yes_no(r.consent)),
                        (
                            "If consent has not been given, please explain why",
                            _or_placeholder(r.consent_refused_reason),
                        ),
                        (
                            "Have you discussed this with your Designated Safeguarding Lead / "
                            "line manager?",
                            yes_no(r.dsl_consulted),
                            "Name of DSL / manager",
                            _or_placeholder(r.dsl_name),
                        ),
                    )
                ),
            ),
        ),
        Section(
            "3. Referrer details",
            (
                Fields(
                    (
                        ("Name of referrer", ref.name, "Job title / role", ref.role),
                        (
                            "Agency / organisation",
                            ref.agency,
                            "Telephone",
                            _or_placeholder(ref.phone),
                        ),
                        ("Email", ref.email),
                        ("Is this a secure email address?", yes_no(_secure(ref.email))),
                        ("Relationship to the child", f"{ref.role}, {ref.agency}"),
                    )
                ),
            ),
        ),
        Section("4. Child / children details", tuple(children)),
        Section("5. Parents / carers", (carers,)),
        Section(
            "6. Reason for referral",
            (
                Text("Type of concern (tick all that apply)", bold=True),
                _ticks_for(r),
                Fields(
                    (
                        (
                            "What are you worried about? Please describe what has happened, "
                            "when, and the impact on the child.",
                            r.concern_narrative,
                        ),
                        ("What is working well? (strengths and protective factors)", r.strengths),
                        (
                            "What support has your agency already offered, and with what outcome?",
                            r.actions_taken,
                        ),
                    )
                ),
            ),
        ),
        Section(
            "7. Previous involvement",
            (
                Fields(
                    (
                        (
                            "Is the family known to children's social care?",
                            yes_no(r.known_to_csc, unknown=True),
                            "Details",
                            _or_placeholder(r.known_details),
                        ),
                    )
                ),
            ),
        ),
        Section("8. Attachments", _attachment_ticks(r)),
        Section(
            "9. Declaration",
            (Fields((("Signed", ref.name, "Date", _date(r.referral_datetime.date())),)),),
        ),
    )
    return Doc(
        title="Request for Service (RFS)",
        subtitle="Southend-on-Sea City Council - Children's Single Point of Contact (C-SPOC). "
        f"Email the completed form to {CSPOC_ADDRESS}. If a child is at immediate risk, "
        f"telephone C-SPOC on {_CSPOC_PHONE} first.",
        sections=sections,
        author=ref.name,
        created=r.referral_datetime,
    )


def _ehfsa(referral: Referral) -> Doc:
    r = referral
    ref = r.referrer
    children = Grid(
        ("Family name", "Given names", "DOB", "Sex", "Address", "Postcode", "School / setting"),
        tuple(
            (
                child.surname,
                child.forenames,
                _date(child.dob),
                child.gender[0],
                child.address,
                child.postcode,
                child.school or PLACEHOLDER,
            )
            for child in r.children
        ),
        title="Section C: Children and young people",
    )
    carers = Grid(
        ("Name", "Relationship", "DOB", "Address", "Contact number", "PR Y/N"),
        tuple(
            (
                carer.name,
                carer.relationship,
                _date(carer.dob),
                f"{carer.address} {carer.postcode}",
                carer.phone,
                "Y" if carer.parental_responsibility else "N",
            )
            for carer in r.carers
        ),
        title="Section D: Parents / carers and those with parental responsibility",
    )
    listed = ", ".join(r.attachments_listed) or "None"
    sections = (
        Section(
            "",
            (
                Fields(
                    (
                        (
                            "Date completed",
                            _date(r.referral_datetime.date()),
                            "Time",
                            r.referral_datetime.strftime("%H:%M"),
                        ),
                        ("Continuum of need level", _level_choice(r.threshold_level, strike=True)),
                        (
                            "CP or early help referral?",
                            Choice(
                                ("Child Protection", "Early Help"),
                                ("Child Protection" if r.threshold_level == 4 else "Early Help",),
                                strike=True,
                            ),
                        ),
                        ("Immediate protection required?", yes_no(r.urgent, strike=True)),
                        (
                            "Discussed by telephone?",
                            yes_no(r.phoned, strike=True),
                            "Social worker taking referral",
                            _or_placeholder(r.phoned_to or ""),
                        ),
                        ("Date and time of call", _when(r.phoned_at)),
                    ),
                    title="Section A: About this request",
                ),
                Fields(
                    (
                        ("Request for service from", ref.name, "Designation", ref.role),
                        ("Service", ref.agency),
                        ("Telephone", _or_placeholder(ref.phone)),
                        ("Email", ref.email),
                        (
                            "Discussed with designated safeguarding lead / line manager?",
                            yes_no(r.dsl_consulted, strike=True),
                        ),
                    ),
                    title="Section B: Person making the request",
                ),
                children,
                carers,
                Fields(
                    (
                        (
                            "Does the person with PR know about this request?",
                            yes_no(r.parents_aware, strike=True),
                        ),
                        (
                            "Consent obtained to share information?",
                            yes_no(r.consent, strike=True),
                        ),
                        ("If no, explain why", _or_placeholder(r.consent_refused_reason)),
                    ),
                    title="Section E: Consent",
                ),
            ),
        ),
        Section(
            "Section F: Nature of concern",
            (
                _ticks_for(r),
                Fields(
                    (
                        ("Nature of concern", r.concern_narrative),
                        ("Strengths", r.strengths),
                        ("Previous interventions", r.actions_taken),
                    )
                ),
            ),
        ),
        Section(
            "",
            (
                Fields(
                    (
                        (
                            "Previous or current social care involvement?",
                            yes_no(r.known_to_csc, strike=True),
                            "Details",
                            _or_placeholder(r.known_details),
                        ),
                        ("Other assessments attached (CAF/EHA, GCP, chronology, tools)", listed),
                    ),
                    title="Section G: Agency involvement and attachments",
                ),
                Fields(
                    (
                        (
                            "Name of person completing",
                            ref.name,
                            "Date",
                            _date(r.referral_datetime.date()),
                        ),
                    ),
                    title="Section H: Signature",
                ),
            ),
        ),
    )
    return Doc(
        title="Early Help and Family Support Assessment (EHFSA)",
        subtitle="Request for support - Southend MASH+",
        sections=sections,
        author=ref.name,
        created=r.referral_datetime,
        marking="RESTRICTED when complete",
    )


def rfs_model(referral: Referral, layout: Layout = "southend-rfs") -> Doc:
    """The document model of an RFS form in ``layout`` (see :data:`LAYOUTS`)."""
    if layout == "southend-rfs":
        return _southend_rfs(referral)
    if layout == "ehfsa":
        return _ehfsa(referral)
    raise ValueError(f"unknown RFS layout {layout!r}; choose one of {LAYOUTS}")


def rfs_docx(referral: Referral, layout: Layout = "southend-rfs") -> bytes:
    """A Word RFS form for ``referral`` in ``layout`` (``southend-rfs`` or ``ehfsa``)."""
    return render_docx(rfs_model(referral, layout))


def rfs_pdf(referral: Referral, layout: Layout = "southend-rfs") -> bytes:
    """The same RFS form rendered as a text PDF (ticks drawn as ``[X]``/``[ ]``)."""
    return render_pdf(rfs_model(referral, layout))


# --- Graded Care Profile ------------------------------------------------------------------------

#: Areas and sub-areas of GCP2 (and the older GCP's A-D names for the same areas).
GCP2_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Physical care", ("Nutrition", "Housing", "Clothing", "Hygiene", "Health")),
    (
        "Safety",
        (
            "Safety in the carer's presence",
            "Safety in the carer's absence",
            "Safety online",
            "Road and traffic safety",
            "Safety in the home",
        ),
    ),
    ("Emotional care", ("Carer's responsiveness", "Mutual engagement")),
    ("Developmental care", ("Stimulation", "Approval", "Disapproval", "Acceptance")),
)
_GCP1_AREA_NAMES = ("A: Physical", "B: Safety", "C: Love", "D: Esteem")
_EVIDENCE = {
    1: "Needs consistently met; child's needs placed first.",
    2: "Needs met most of the time; minor lapses noticed by the carer.",
    3: "Needs met inconsistently; carer needs prompting.",
    4: "Needs mostly unmet; carer's own needs placed before the child's.",
    5: "Needs not met; care is harmful to the child.",
}
_GRADE_KEY = (
    "Grades: 1 = the child's needs are consistently met and put first; 2 = met most of the time; "
    "3 = met inconsistently; 4 = mostly unmet, the carer's needs come first; 5 = not met, the "
    "care is seriously harmful."
)


def _child_rng(child: Child, salt: str) -> random.Random:
    # A string seed is hashed with SHA-512 by ``random``, so this is stable across runs.
    return random.Random(f"{salt}|{child.forenames}|{child.surname}|{child.dob}")


def _default_assessor(child: Child) -> Referrer:
    return make_referrer(_child_rng(child, "assessor"), kinds=("health", "school"))


def gcp_model(
    child: Child,
    *,
    assessor: Referrer | None = None,
    completed: dt.date | None = None,
    carer: str = "",
    severity: int = 3,
    partial: bool = False,
    version: Literal[1, 2] = 2,
) -> Doc:
    """The document model of a completed Graded Care Profile for one child.

    ``severity`` (1-5) centres the grades; ``partial`` leaves the last two areas unassessed;
    ``version=1`` uses the older GCP's title and area names (A Physical ... D Esteem).
    """
    rng = _child_rng(child, "gcp")
    assessor = assessor or _default_assessor(child)
    completed = completed or dt.date(2026, 3, 1)
    carer = carer or f"Mother ({child.surname})"
    visits = sorted(completed - dt.timedelta(days=rng.randint(1, 27)) for _ in range(4))
    sections: list[Section] = [
        Section(
            "Child and carer details",
            (
                Fields(
                    (
                        ("Child's name", child.full_name, "Date of birth", _date(child.dob)),
                        (
                            "Parent / carer(s) assessed",
                            carer,
                            "Assessment completed",
                            _date(completed),
                        ),
                        ("Assessor", assessor.name, "Agency", assessor.agency),
                        (
                            "Dates of observations",
                            ", ".join(_date(day) for day in visits),
                            "Announced / unannounced",
                            "2 announced, 2 unannounced",
                        ),
                    )
                ),
                Text(_GRADE_KEY),
            ),
        )
    ]
    summary: list[tuple[str, str]] = []
    for index, (area, subareas) in enumerate(GCP2_AREAS):
        name = _GCP1_AREA_NAMES[index] if version == 1 else f"Area {index + 1}: {area}"
        if partial and index >= 2:
            sections.append(Section(name, (Text("Not yet assessed."),)))
            summary.append((name, "Not yet assessed"))
            continue
        rows: list[tuple[str | Choice, ...]] = []
        grades = []
        for subarea in subareas:
            grade = min(5, max(1, severity + rng.choice((-1, 0, 0, 1))))
            grades.append(grade)
            rows.append(
                (
                    subarea,
                    *(("☒" if grade == g else "☐") for g in range(1, 6)),
                    _EVIDENCE[grade],
                )
            )
        overall = round(sum(grades) / len(grades))
        summary.append((name, str(overall)))
        sections.append(
            Section(
                name,
                (
                    Grid(
                        ("Sub-area", "1", "2", "3", "4", "5", "Evidence / observations"),
                        tuple(rows),
                        widths=(30, 6, 6, 6, 6, 6, 52),
                    ),
                    Fields(((f"Overall grade for {area}", str(overall)),)),
                ),
            )
        )
    sections.append(
        Section(
            "Summary",
            (
                Grid(("Area", "Overall grade"), tuple(summary)),
                Fields(
                    (
                        (
                            "Summary of findings",
                            f"{child.forenames.split()[0]}'s care is graded mainly at level "
                            f"{severity}; physical care and supervision are the main worries.",
                        ),
                        ("Agreed next steps", "Share with the family and review in six weeks."),
                        ("Assessor signature", assessor.name, "Date", _date(completed)),
                    )
                ),
            ),
        )
    )
    title = (
        "Graded Care Profile 2 (GCP2)" if version == 2 else "Graded Care Profile - Scoring sheet"
    )
    return Doc(
        title=title,
        subtitle="A measure of the quality of care one carer gives one child (synthetic example)",
        sections=tuple(sections),
        author=assessor.name,
        created=dt.datetime.combine(completed, dt.time(15, 30)),
    )


def gcp_docx(
    child: Child,
    *,
    assessor: Referrer | None = None,
    completed: dt.date | None = None,
    carer: str = "",
    severity: int = 3,
    partial: bool = False,
    version: Literal[1, 2] = 2,
) -> bytes:
    """A Graded Care Profile 2-like Word document for ``child`` (see :func:`gcp_model`)."""
    return render_docx(
        gcp_model(
            child,
            assessor=assessor,
            completed=completed,
            carer=carer,
            severity=severity,
            partial=partial,
            version=version,
        )
    )


def gcp_pdf(
    child: Child, *, assessor: Referrer | None = None, completed: dt.date | None = None
) -> bytes:
    """The same Graded Care Profile as a PDF (some referrers print to PDF before sending)."""
    return render_pdf(gcp_model(child, assessor=assessor, completed=completed))


# --- Other tools and decoys ---------------------------------------------------------------------


def _fallback_child() -> Child:
    return make_child(
        random.Random("fallback-child"), on=dt.date(2026, 3, 2), min_age=6, max_age=12
    )


_BROOK_BEHAVIOURS = (
    ("Uses sexual language well beyond what is expected for their age", "Amber"),
    ("Touched a younger child over clothing in the toilets", "Red"),
    ("Curious about differences between boys and girls", "Green"),
    ("Persistently shows sexual images to other pupils", "Red"),
)


def brook_pdf(child: Child | None = None, *, completed: dt.date | None = None) -> bytes:
    """A completed record made with the Brook Sexual Behaviours Traffic Light Tool, as a PDF."""
    child = child or _fallback_child()
    completed = completed or dt.date(2026, 3, 2)
    rng = _child_rng(child, "brook")
    age = (completed - child.dob).days // 365 if child.dob else 10
    band = "5-9" if age < 9 else ("9-13" if age < 13 else "13-17")
    rows = tuple(
        (
            behaviour,
            _date(completed - dt.timedelta(days=rng.randint(0, 14))),
            colour,
            "Discussed with DSL",
        )
        for behaviour, colour in rng.sample(_BROOK_BEHAVIOURS, 3)
    )
    doc = Doc(
        title="Sexual Behaviours Traffic Light Tool - record of behaviour",
        subtitle="Completed with reference to the Brook Sexual Behaviours Traffic Light Tool",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Child", child.full_name, "Date of birth", _date(child.dob)),
                            ("Age band used", band, "Date completed", _date(completed)),
                        )
                    ),
                    Text(
                        "Key: Green - part of healthy development. Amber - outside healthy "
                        "development for the age; monitor and support. Red - harmful or "
                        "problematic; seek advice and consider a referral."
                    ),
                    Grid(
                        ("Behaviour observed", "Date", "Traffic light", "Action taken"),
                        rows,
                        widths=(50, 15, 15, 20),
                    ),
                ),
            ),
        ),
        author="Designated Safeguarding Lead",
        created=dt.datetime.combine(completed, dt.time(11, 0)),
    )
    return render_pdf(doc)


_EXPLOITATION_INDICATORS = (
    "Going missing from home, care or school",
    "Unexplained money, phones, clothes or gifts",
    "Associating with older peers or adults",
    "Travelling to other towns without explanation (county lines)",
    "Found with drugs, cash or weapons",
    "Sharing or being asked for sexual images online",
    "Injuries that are not explained",
    "Sudden change in behaviour or school attendance",
    "Misusing drugs or alcohol",
    "In a relationship with a controlling older person",
)


def exploitation_docx(child: Child, *, completed: dt.date | None = None) -> bytes:
    """A "Child Exploitation Pathway"-like screening tool completed for ``child``."""
    completed = completed or dt.date(2026, 3, 2)
    rng = _child_rng(child, "exploitation")
    assessor = make_referrer(rng, kinds=("school", "police", "voluntary"))
    rows = tuple(
        (
            indicator,
            "☒" if (current := rng.random() < 0.45) else "☐",
            "☒" if current or rng.random() < 0.3 else "☐",
            PLACEHOLDER if not current else "Seen this term.",
        )
        for indicator in _EXPLOITATION_INDICATORS
    )
    level = rng.choice(("Medium", "High"))
    doc = Doc(
        title="Child Exploitation Pathway - Screening Tool",
        subtitle="For practitioners worried that a child is at risk of sexual or criminal "
        "exploitation, including county lines",
        sections=(
            Section(
                "Details",
                (
                    Fields(
                        (
                            (
                                "Child / young person",
                                child.full_name,
                                "Date of birth",
                                _date(child.dob),
                            ),
                            ("Address", f"{child.address}, {child.postcode}"),
                            ("Completed by", assessor.name, "Agency", assessor.agency),
                            ("Date completed", _date(completed)),
                        )
                    ),
                ),
            ),
            Section(
                "Significant risk indicators",
                (
                    Grid(
                        ("Risk indicator", "Current", "Past 6 months", "Notes"),
                        rows,
                        widths=(50, 12, 12, 26),
                    ),
                ),
            ),
            Section(
                "Assessment of risk",
                (
                    Fields(
                        (
                            ("Overall level of risk", Choice(("Low", "Medium", "High"), (level,))),
                            ("Police partner intelligence form submitted?", yes_no(True)),
                            (
                                "Recommended pathway action",
                                "Refer to C-SPOC with this screening tool and share "
                                "intelligence with police.",
                            ),
                        )
                    ),
                ),
            ),
        ),
        author=assessor.name,
        created=dt.datetime.combine(completed, dt.time(14, 0)),
    )
    return render_docx(doc)


def chronology_docx(child: Child | None = None, *, until: dt.date | None = None) -> bytes:
    """A chronology of significant events (date | event | source | outcome) for ``child``."""
    child = child or _fallback_child()
    until = until or dt.date(2026, 3, 2)
    rng = _child_rng(child, "chronology")
    events = (
        ("Missed health review", "Health visiting", "Letter sent to parent"),
        ("Arrived at school hungry", "School", "Breakfast club offered"),
        ("Police called to domestic incident", "Police", "Notification shared with school"),
        ("Attendance fell below 85%", "School", "Attendance meeting held"),
        ("Unkempt appearance noted", "School", "Spoke to mother"),
        ("Did not attend dental appointment", "GP surgery", "Re-booked"),
        ("Family moved address", "Housing", "Tenancy support offered"),
        ("Parent disclosed low mood", "GP surgery", "Referred to talking therapies"),
    )
    picked = rng.sample(events, rng.randint(5, len(events)))
    days = sorted(until - dt.timedelta(days=rng.randint(5, 400)) for _ in picked)
    rows = tuple((_date(day), *event) for day, event in zip(days, picked, strict=True))
    doc = Doc(
        title="Chronology of significant events",
        subtitle=f"{child.full_name} (DOB {_date(child.dob)})",
        sections=(
            Section(
                "",
                (
                    Grid(
                        ("Date", "Event", "Source", "Outcome / action"),
                        rows,
                        widths=(15, 40, 20, 25),
                    ),
                ),
            ),
        ),
        author="Designated Safeguarding Lead",
        created=dt.datetime.combine(until, dt.time(9, 30)),
    )
    return render_docx(doc)


def letter_pdf(child: Child | None = None, *, sent: dt.date | None = None) -> bytes:
    """A decoy: an ordinary dental letter that merely mentions a "care profile"."""
    child = child or _fallback_child()
    sent = sent or dt.date(2026, 2, 20)
    first = child.forenames.split()[0]
    doc = Doc(
        title="Seafront Dental Practice",
        subtitle="12 Lightship Grove, Southend-on-Sea SS1 9ZZ - Tel 01632 960555",
        sections=(
            Section(
                "",
                (
                    Text(_date(sent)),
                    Text(f"To the parent or carer of {child.full_name}"),
                    Text(f"{child.address}, {child.postcode}"),
                    Text(f"Re: {first}'s oral care profile", bold=True),
                    Text(
                        f"Thank you for bringing {first} to the practice. We have updated "
                        f"{first}'s oral care profile following the recent check-up. No "
                        "treatment is needed at present and we look forward to seeing you "
                        "again in six months."
                    ),
                    Text("Yours sincerely,"),
                    Text("Practice Manager"),
                ),
            ),
        ),
        author="Seafront Dental Practice",
        created=dt.datetime.combine(sent, dt.time(10, 0)),
        marking="",
    )
    return render_pdf(doc)


def all_attachment_kinds(referral: Referral) -> Sequence[tuple[str, bytes]]:
    """Every attachment this module can make for ``referral``'s first child, with a filename."""
    child = referral.children[0]
    return (
        ("RFS.docx", rfs_docx(referral)),
        ("RFS-ehfsa.docx", rfs_docx(referral, "ehfsa")),
        ("RFS.pdf", rfs_pdf(referral)),
        ("GCP2.docx", gcp_docx(child)),
        ("GCP2.pdf", gcp_pdf(child)),
        ("Brook tool.pdf", brook_pdf(child)),
        ("CE pathway.docx", exploitation_docx(child)),
        ("Chronology.docx", chronology_docx(child)),
        ("Dental letter.pdf", letter_pdf(child)),
    )
