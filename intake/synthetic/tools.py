"""More attachment kinds for the classifier's corpus: GCP variants, Brook records, exploitation
screening tools, other councils' referral forms, decoys and unreadable files.

:mod:`intake.synthetic.forms` draws the attachments a typical referral carries; this module adds
the variety a front door really sees: the older GCP scoring sheet, a council's own adaptation, a
blank GCP template, a multiple-child record, Brook guidance tables and records, several
exploitation tools, referral forms of other layouts that list a GCP among their attachments,
and documents that only mention these tools. All wording is our own; the layouts only follow
the general shape of such documents. Every person is fictional (:mod:`intake.synthetic.people`)
and every rendered file carries the fiction notice of :mod:`intake.synthetic.render`.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

from fpdf import FPDF
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from intake.synthetic.forms import GCP2_AREAS
from intake.synthetic.people import (
    CSPOC_ADDRESS,
    Child,
    Referral,
    Referrer,
    make_child,
    make_referrer,
)
from intake.synthetic.render import (
    CHOOSE,
    FICTION_NOTICE,
    PLACEHOLDER,
    TICKED,
    UNTICKED,
    Cell,
    Choice,
    Doc,
    Fields,
    Grid,
    Section,
    Text,
    Ticks,
    pdf_text,
    render_docx,
    render_pdf,
    yes_no,
)

__all__ = [
    "brook_decision_record",
    "brook_guidance",
    "brook_incident_record",
    "cce_screening",
    "chronology_with_gcp",
    "core_group_minutes",
    "corrupt_docx",
    "cover_email",
    "cse_screening",
    "cse_toolbox",
    "encrypted_pdf",
    "gcp_adapted",
    "gcp_blank",
    "gcp_letter",
    "gcp_multiple_child",
    "gcp_v1_sheet",
    "image_only_pdf",
    "marf_form",
    "medical_letter",
    "partner_intelligence",
    "referral_form_generic",
    "render",
    "risk_in_the_community",
    "scan_png",
    "school_attendance_report",
    "set_pathway_screening",
    "tool_child",
]

_ON = dt.date(2026, 3, 2)


def tool_child(seed: str, *, min_age: int = 2, max_age: int = 12) -> Child:
    """A fictional child for ``seed`` (the same seed, the same child)."""
    return make_child(random.Random(f"tool-child|{seed}"), on=_ON, min_age=min_age, max_age=max_age)


def _rng(child: Child, salt: str) -> random.Random:
    return random.Random(f"{salt}|{child.forenames}|{child.surname}|{child.dob}")


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else PLACEHOLDER


def _first(child: Child) -> str:
    return child.forenames.split()[0]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


def _assessor(child: Child, salt: str, kinds: tuple[str, ...] = ("health", "school")) -> Referrer:
    return make_referrer(_rng(child, salt), kinds=kinds)


def render(doc: Doc, fmt: str) -> bytes:
    """``doc`` as ``docx`` or ``pdf`` bytes."""
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "pdf":
        return render_pdf(doc)
    raise ValueError(f"format must be 'docx' or 'pdf', not {fmt!r}")


# --- Graded Care Profile variants ---------------------------------------------------------------


def _grade_row(subarea: str, grade: int | None, note: str) -> tuple[Cell, ...]:
    boxes = tuple((TICKED if grade == g else UNTICKED) for g in range(1, 6))
    return (subarea, *boxes, note)


def gcp_blank() -> Doc:
    """A blank GCP2-style recording template: areas and grade grid, nothing filled in."""
    sections: list[Section] = [
        Section(
            "Child and carer details",
            (
                Fields(
                    (
                        ("Child's name", PLACEHOLDER, "Date of birth", PLACEHOLDER),
                        ("Parent / carer(s) assessed", PLACEHOLDER, "Date completed", PLACEHOLDER),
                        ("Practitioner", PLACEHOLDER, "Agency", PLACEHOLDER),
                        ("Dates of visits", PLACEHOLDER, "Announced / unannounced", CHOOSE),
                    )
                ),
                Text(
                    "How to grade: tick one box per sub-area after your visits. 1 means the "
                    "child's needs are always met and come first; 5 means they are not met and "
                    "the care is harmful. Record what you saw to support each grade."
                ),
            ),
        )
    ]
    for index, (area, subareas) in enumerate(GCP2_AREAS, start=1):
        sections.append(
            Section(
                f"Area {index}: {area}",
                (
                    Grid(
                        ("Sub-area", "1", "2", "3", "4", "5", "What did you observe?"),
                        tuple(_grade_row(sub, None, PLACEHOLDER) for sub in subareas),
                        widths=(30, 6, 6, 6, 6, 6, 52),
                    ),
                    Fields(((f"Overall grade for {area}", CHOOSE),)),
                ),
            )
        )
    sections.append(
        Section(
            "Summary",
            (
                Grid(("Area", "Overall grade"), tuple((area, "") for area, _ in GCP2_AREAS)),
                Fields(
                    (
                        ("Summary of findings", PLACEHOLDER),
                        ("Plan agreed with the family", PLACEHOLDER),
                    )
                ),
            ),
        )
    )
    return Doc(
        title="Graded Care Profile 2 (GCP2)",
        subtitle="Recording template for one child and one carer. Use only if you are trained.",
        sections=tuple(sections),
        author="Safeguarding Children Partnership",
        created=dt.datetime(2025, 9, 1, 9, 0),
    )


_V1_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "A. Physical",
        (
            "Nutrition: quality, quantity, preparation",
            "Housing: maintenance, hygiene, facilities",
            "Clothing: insulation, fit, look",
            "Hygiene",
            "Health: opinion sought, follow-up",
        ),
    ),
    ("B. Safety", ("Awareness of risk", "Safety in the carer's presence", "Safety when absent")),
    ("C. Love", ("Carer: sensitivity and response", "Mutual engagement")),
    ("D. Esteem", ("Stimulation", "Approval", "Disapproval", "Acceptance")),
)
_V1_NOTES = {
    1: "Needs fully met, child comes first.",
    2: "Met most of the time.",
    3: "Met some of the time; prompting needed.",
    4: "Rarely met; carer's needs come first.",
    5: "Not met; harmful to the child.",
}


def gcp_v1_sheet(child: Child, *, partial: bool = False, severity: int = 3) -> Doc:
    """An older-style GCP summary and scoring sheet (areas A Physical … D Esteem), scores as
    numbers; ``partial`` leaves Love and Esteem unscored."""
    rng = _rng(child, "gcp-v1")
    worker = _assessor(child, "gcp-v1-worker")
    done = _ON - dt.timedelta(days=rng.randint(2, 20))
    sections: list[Section] = [
        Section(
            "Family details",
            (
                Fields(
                    (
                        ("Name of child", child.full_name, "DOB", _d(child.dob)),
                        ("Main carer", f"Mother ({child.surname})", "Date", _d(done)),
                        ("Practitioner completing", worker.name, "Service", worker.agency),
                    )
                ),
            ),
        )
    ]
    summary: list[tuple[Cell, ...]] = []
    for index, (area, items) in enumerate(_V1_AREAS):
        if partial and index >= 2:
            rows = tuple((item, "", "Not yet scored: further visits booked.") for item in items)
            summary.append((area, "Not yet scored"))
        else:
            scores = [min(5, max(1, severity + rng.choice((-1, 0, 0, 1)))) for _ in items]
            rows = tuple(
                (item, str(score), _V1_NOTES[score])
                for item, score in zip(items, scores, strict=True)
            )
            summary.append((area, str(round(sum(scores) / len(scores)))))
        sections.append(
            Section(
                area,
                (
                    Grid(
                        ("Item", "Score (1-5)", "Comments"),
                        rows,
                        widths=(40, 15, 45),
                    ),
                ),
            )
        )
    sections.append(Section("Score summary", (Grid(("Area", "Score"), tuple(summary)),)))
    return Doc(
        title="Graded Care Profile - Summary and Scoring Sheet",
        subtitle="After the Graded Care Profile scale of Srivastava and Polnay; "
        "score every item from 1 (best) to 5 (worst).",
        sections=tuple(sections),
        author=worker.name,
        created=_at(done, 16),
    )


_ADAPTED_DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Physical needs", ("Food and drink", "Home conditions", "Clothing", "Hygiene", "Health care")),
    ("Safety and supervision", ("Supervision indoors", "Supervision outdoors", "Online safety")),
    ("Emotional warmth and love", ("Warmth and comfort", "Carer's responsiveness")),
    ("Development and esteem", ("Play and learning", "Praise and approval", "Boundaries")),
)


def gcp_adapted(child: Child, *, council: str = "Thameside") -> Doc:
    """A council's own neglect tool adapted from the Graded Care Profile, grades marked ``X``."""
    rng = _rng(child, "gcp-adapted")
    worker = _assessor(child, "gcp-adapted-worker", ("early_years", "health", "school"))
    done = _ON - dt.timedelta(days=rng.randint(1, 15))
    sections: list[Section] = [
        Section(
            "",
            (
                Fields(
                    (
                        ("Child", child.full_name, "Date of birth", _d(child.dob)),
                        ("Parent / carer", f"Father ({child.surname})", "Worker", worker.name),
                        ("Organisation", worker.agency, "Date of rating", _d(done)),
                    )
                ),
                Text(
                    "Rate each indicator: 1 good enough care, 2 adequate, 3 inconsistent, "
                    "4 poor, 5 harmful. Put an X in one column."
                ),
            ),
        )
    ]
    for number, (domain, indicators) in enumerate(_ADAPTED_DOMAINS, start=1):
        rows: list[tuple[Cell, ...]] = []
        for indicator in indicators:
            grade = rng.choice((2, 3, 3, 4))
            rows.append(
                (
                    indicator,
                    *("X" if grade == g else "" for g in range(1, 6)),
                    rng.choice(
                        (
                            "Seen on two home visits.",
                            "Reported by nursery staff.",
                            "Discussed with carer.",
                        )
                    ),
                )
            )
        sections.append(
            Section(
                f"Domain {number} - {domain}",
                (
                    Grid(
                        ("Indicator", "1", "2", "3", "4", "5", "What did you see?"),
                        tuple(rows),
                        widths=(30, 6, 6, 6, 6, 6, 52),
                    ),
                ),
            )
        )
    sections.append(
        Section(
            "Next steps",
            (Fields((("Agreed actions", "Family support worker to visit weekly."),)),),
        )
    )
    return Doc(
        title=f"{council} Neglect Toolkit: Quality of Care Profile",
        subtitle="Our local adaptation of the Graded Care Profile, for every agency.",
        sections=tuple(sections),
        author=worker.name,
        created=_at(done, 14),
    )


def gcp_multiple_child(children: tuple[Child, ...]) -> Doc:
    """A GCP2-style record grading several siblings side by side (grades as numbers)."""
    lead = children[0]
    rng = _rng(lead, "gcp-multi")
    worker = _assessor(lead, "gcp-multi-worker", ("health",))
    done = _ON - dt.timedelta(days=rng.randint(1, 10))
    header = ("Sub-area", *(f"{_first(c)} grade" for c in children), "Evidence")
    sections: list[Section] = [
        Section(
            "Household",
            (
                Fields(
                    (
                        ("Children", ", ".join(c.full_name for c in children)),
                        ("Carer assessed", f"Mother ({lead.surname})", "Assessor", worker.name),
                        ("Date completed", _d(done), "Agency", worker.agency),
                    )
                ),
            ),
        )
    ]
    for area, subareas in GCP2_AREAS:
        rows = tuple(
            (sub, *(str(rng.choice((2, 3, 4))) for _ in children), "See visit notes.")
            for sub in subareas
        )
        sections.append(Section(area, (Grid(header, rows),)))
    return Doc(
        title="GCP2 - multiple child record",
        subtitle="Graded Care Profile 2: one carer, several children, graded 1 to 5.",
        sections=tuple(sections),
        author=worker.name,
        created=_at(done, 12),
    )


# --- Brook Sexual Behaviours Traffic Light Tool -------------------------------------------------

_BANDS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    (
        "0 to 5 years",
        (
            "Curiosity about bodies during play",
            "Touching others' private parts after being asked to stop",
            "Forcing another child into sexual play",
        ),
    ),
    (
        "5 to 9 years",
        (
            "Asking questions about where babies come from",
            "Using explicit sexual words well beyond their age",
            "Sexual contact with a much younger child",
        ),
    ),
    (
        "9 to 13 years",
        (
            "Wanting more privacy when changing",
            "Regularly looking for sexual images online",
            "Threatening others to get sexual contact",
        ),
    ),
    (
        "13 to 17 years",
        (
            "Consensual kissing with a partner of similar age",
            "Sharing sexual images of themselves",
            "Sexual activity involving coercion or a big age gap",
        ),
    ),
)


def brook_guidance() -> Doc:
    """A staff quick-reference table in the shape of the traffic light tool: bands by age."""
    return Doc(
        title="Sexual behaviours traffic light guide",
        subtitle="Quick reference for staff. Read alongside the Brook tool and your "
        "safeguarding policy.",
        sections=(
            Section(
                "How to use this guide",
                (
                    Text(
                        "Green behaviours are part of safe and healthy sexual development. "
                        "Amber behaviours are outside healthy development for the age: monitor, "
                        "talk to the child and record. Red behaviours are problematic or harmful: "
                        "act at once and seek advice from your safeguarding lead."
                    ),
                ),
            ),
            Section(
                "Behaviours by age band",
                (
                    Grid(
                        ("Age band", "Green", "Amber", "Red"),
                        tuple((band, *examples) for band, examples in _BANDS),
                        widths=(16, 28, 28, 28),
                    ),
                ),
            ),
        ),
        author="Safeguarding training team",
        created=dt.datetime(2025, 6, 1, 9, 0),
        marking="",
    )


def brook_incident_record(child: Child) -> Doc:
    """A school's harmful sexual behaviour incident log rated with the newer orange wording."""
    rng = _rng(child, "brook-incident")
    dsl = make_referrer(rng, kinds=("school",))
    when = _ON - dt.timedelta(days=rng.randint(1, 6))
    return Doc(
        title="Harmful sexual behaviour: incident record",
        subtitle="Behaviour rated with the traffic light tool (green / orange / red).",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Pupil", child.full_name, "Date of birth", _d(child.dob)),
                            ("Date of incident", _d(when), "Recorded by", dsl.name),
                        )
                    ),
                    Grid(
                        ("What happened", "Traffic light rating", "Response"),
                        (
                            (
                                f"{_first(child)} drew sexual pictures and showed them to "
                                "younger pupils at lunch.",
                                "Orange",
                                "Spoke with parent; lessons on privacy.",
                            ),
                            (
                                "Repeated the drawings the next week after being asked to stop.",
                                "Red",
                                "Advice sought from C-SPOC.",
                            ),
                        ),
                        widths=(50, 20, 30),
                    ),
                    Text(
                        "Green: expected for the age. Orange: outside healthy development, "
                        "keep watching and support. Red: harmful, seek advice the same day."
                    ),
                    Fields((("Signed", dsl.name, "Role", dsl.role),)),
                ),
            ),
        ),
        author=dsl.name,
        created=_at(when, 15),
    )


def brook_decision_record(child: Child) -> Doc:
    """A one-page record of a decision made with the traffic light tool (colour ticked)."""
    rng = _rng(child, "brook-decision")
    worker = make_referrer(rng, kinds=("voluntary", "health", "school"))
    age = (_ON - child.dob).days // 365 if child.dob else 10
    band = next((b for b, _ in _BANDS if age < int(b.split()[2])), _BANDS[-1][0])
    return Doc(
        title="Traffic light tool: record of decision",
        subtitle="Sexual behaviour seen and how it was rated.",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Young person", child.full_name, "Age band used", band),
                            ("Practitioner", worker.name, "Agency", worker.agency),
                            ("Behaviour seen", "Sexual comments to peers online, repeated."),
                            (
                                "Colour",
                                Choice(("Green", "Amber", "Red"), ("Amber",)),
                            ),
                            ("Action", "Monitor and support; parents told; review in a month."),
                        )
                    ),
                ),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 11),
    )


# --- Exploitation tools -------------------------------------------------------------------------


def _indicator_rows(
    rng: random.Random, indicators: tuple[str, ...]
) -> tuple[tuple[Cell, ...], ...]:
    """Rows of indicator | seen now | seen before, ticked at random (seen now implies before)."""
    rows: list[tuple[Cell, ...]] = []
    for indicator in indicators:
        now = rng.random() < 0.4
        before = now or rng.random() < 0.3
        rows.append((indicator, TICKED if now else UNTICKED, TICKED if before else UNTICKED))
    return tuple(rows)


def set_pathway_screening(child: Child) -> Doc:
    """A partnership-wide child exploitation pathway screening (vulnerabilities, indicators,
    professional judgement, actions)."""
    rng = _rng(child, "set-pathway")
    worker = make_referrer(rng, kinds=("school", "voluntary", "health"))
    return Doc(
        title="SET Child Exploitation Pathway",
        subtitle="Practitioner screening: sexual and criminal exploitation, county lines.",
        sections=(
            Section(
                "Part 1: About the young person",
                (
                    Fields(
                        (
                            ("Name", child.full_name, "DOB", _d(child.dob)),
                            ("Address", f"{child.address}, {child.postcode}"),
                            ("Completed by", worker.name, "Agency", worker.agency),
                        )
                    ),
                ),
            ),
            Section(
                "Part 2: Vulnerabilities",
                (
                    Ticks(
                        (
                            ("Looked after or care leaver", False),
                            ("Excluded or not in school", True),
                            ("Substance misuse", True),
                            ("Previous abuse", False),
                            ("Learning difficulty", False),
                            ("Bereavement or loss", True),
                        ),
                        columns=2,
                    ),
                ),
            ),
            Section(
                "Part 3: Indicators seen",
                (
                    Grid(
                        ("Indicator", "Now", "Past 6 months"),
                        _indicator_rows(
                            rng,
                            (
                                "Going missing, including overnight",
                                "Unexplained money, clothes or phones",
                                "Older associates or boyfriend / girlfriend",
                                "Found out of area, e.g. with train tickets",
                                "Carrying weapons or found with drugs",
                                "Unexplained injuries",
                            ),
                        ),
                        widths=(60, 20, 20),
                    ),
                ),
            ),
            Section(
                "Part 4: Your professional judgement",
                (
                    Fields(
                        (
                            ("Level of risk", Choice(("Low", "Medium", "High"), ("High",))),
                            ("Intelligence shared with police?", yes_no(True)),
                        )
                    ),
                ),
            ),
            Section(
                "Part 5: Actions",
                (Text("High risk: send this screening with your request for service today."),),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 13),
    )


def risk_in_the_community(child: Child) -> Doc:
    """A thinking tool for harm outside the family: peers, places, online, push and pull."""
    rng = _rng(child, "ritc")
    worker = make_referrer(rng, kinds=("voluntary", "school"))
    first = _first(child)
    return Doc(
        title="Children and Families Thinking Tool: Risk in the Community",
        subtitle="For worries about harm outside the home (extra-familial harm).",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Young person", child.full_name, "Date of birth", _d(child.dob)),
                            ("Practitioner", worker.name, "Organisation", worker.agency),
                        )
                    ),
                ),
            ),
            Section(
                "Peers",
                (Text(f"{first} now spends time with an older peer group who are not in school."),),
            ),
            Section(
                "Places and spaces",
                (Text("Seen at the station late at night and at a flat known to police."),),
            ),
            Section(
                "Online",
                (Text("New social media contacts; messages offering money for 'jobs'."),),
            ),
            Section(
                "Push and pull factors",
                (
                    Text("Push: arguments at home, excluded from school."),
                    Text("Pull: gifts, status, a new phone from older associates."),
                ),
            ),
            Section(
                "What are we worried about?",
                (Text(f"{first} may be drawn into criminal exploitation and county lines."),),
            ),
            Section(
                "What needs to happen?",
                (Text("Share with the exploitation team; consider a strategy discussion."),),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 15),
    )


def partner_intelligence(child: Child) -> Doc:
    """A partner agency's intelligence submission to the police about a young person."""
    rng = _rng(child, "intel")
    worker = make_referrer(rng, kinds=("school", "housing", "voluntary"))
    plate = f"XX{rng.randint(10, 99)} {rng.choice(('ABC', 'DEF', 'GHJ'))}"
    return Doc(
        title="Police Partner Intelligence Form",
        subtitle="Share information about possible exploitation with the police.",
        sections=(
            Section(
                "Submitting agency",
                (
                    Fields(
                        (
                            ("Name", worker.name, "Role", worker.role),
                            ("Agency", worker.agency, "Telephone", worker.phone),
                        )
                    ),
                ),
            ),
            Section(
                "Subject of the information",
                (
                    Fields(
                        (
                            ("Name", child.full_name, "DOB", _d(child.dob)),
                            ("Nicknames / street names", "None known"),
                        )
                    ),
                ),
            ),
            Section(
                "The information",
                (
                    Fields(
                        (
                            (
                                "What do you know, and how?",
                                "Seen getting into a car with two older males after school "
                                "three times this week.",
                            ),
                            ("Vehicle registration", plate),
                            ("Locations frequented", "Parade of shops by the station"),
                            ("Associates", "Two older males, names unknown"),
                            ("Can the source be told?", yes_no(False)),
                        )
                    ),
                ),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 16),
    )


_CSE_SIGNIFICANT = (
    "Going missing for long periods or overnight",
    "Associating with known exploitative adults",
    "Unexplained gifts, money or a second phone",
    "Sexually transmitted infection or pregnancy",
    "In a relationship with a much older person",
    "Staying at hotels or parties with adults",
)
_CSE_OTHER = (
    "Low self-esteem",
    "Regular alcohol or drug use",
    "Truanting from school",
    "Secretive use of social media",
)


def cse_screening(child: Child) -> Doc:
    """A CSE screening tool: significant risk indicators, current and past 6 months columns."""
    rng = _rng(child, "cse")
    worker = make_referrer(rng, kinds=("school", "health"))
    return Doc(
        title="Child Sexual Exploitation Screening Tool",
        subtitle="Complete when you are worried a young person may be sexually exploited.",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Young person", child.full_name, "DOB", _d(child.dob)),
                            ("Screened by", worker.name, "Agency", worker.agency),
                        )
                    ),
                ),
            ),
            Section(
                "Significant Risk Indicators",
                (
                    Grid(
                        ("Indicator", "Current", "Past 6 months"),
                        _indicator_rows(rng, _CSE_SIGNIFICANT),
                        widths=(60, 20, 20),
                    ),
                ),
            ),
            Section(
                "Other risk indicators",
                (
                    Grid(
                        ("Indicator", "Current", "Past 6 months"),
                        _indicator_rows(rng, _CSE_OTHER),
                        widths=(60, 20, 20),
                    ),
                ),
            ),
            Section(
                "Outcome",
                (
                    Fields(
                        (
                            (
                                "Risk",
                                Choice(("Low", "Moderate", "Significant"), ("Moderate",)),
                            ),
                            ("Next step", "Discuss at the exploitation panel."),
                        )
                    ),
                ),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 10),
    )


def cce_screening(child: Child) -> Doc:
    """A criminal exploitation / county lines screening checklist."""
    rng = _rng(child, "cce")
    worker = make_referrer(rng, kinds=("police", "school", "voluntary"))
    return Doc(
        title="Criminal Exploitation and County Lines Screening",
        subtitle="Checklist for practitioners.",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Child", child.full_name, "DOB", _d(child.dob)),
                            ("Practitioner", worker.name, "Agency", worker.agency),
                        )
                    ),
                    Grid(
                        ("Sign", "Seen now", "Seen before"),
                        _indicator_rows(
                            rng,
                            (
                                "Found in another town with no explanation",
                                "More than one phone or SIM cards",
                                "Drug debt or owing money",
                                "Carrying a knife",
                                "Gang association",
                                "Arrested for possession with intent to supply",
                                "Home used by others (cuckooing)",
                            ),
                        ),
                        widths=(60, 20, 20),
                    ),
                    Fields(
                        (
                            ("Overall risk", Choice(("Low", "Medium", "High"), ("Medium",))),
                            ("National Referral Mechanism considered?", yes_no(True)),
                        )
                    ),
                ),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 11),
    )


def cse_toolbox(child: Child) -> Doc:
    """An older CSE risk and vulnerabilities assessment (scored against a risk model)."""
    rng = _rng(child, "toolbox")
    worker = make_referrer(rng, kinds=("health", "school"))
    items = (
        ("Missing episodes", "Two this month"),
        ("Older boyfriend", "Aged about 22"),
        ("Gifts and money", "New phone and trainers"),
        ("Alcohol and drugs", "Cannabis use reported"),
        ("Sexual health", "Attended clinic"),
    )
    return Doc(
        title="CSE Risk and Vulnerabilities Assessment",
        subtitle="Toolbox for practitioners.",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Name", child.full_name, "DOB", _d(child.dob)),
                            ("Assessor", worker.name, "Agency", worker.agency),
                        )
                    ),
                    Grid(
                        ("Vulnerability / risk", "Evidence", "Present?"),
                        tuple((a, b, yes_no(rng.random() < 0.7)) for a, b in items),
                    ),
                    Fields(
                        (
                            (
                                "Risk category",
                                Choice(("1 - at risk", "2 - significant", "3 - serious"), ()),
                            ),
                        )
                    ),
                ),
            ),
        ),
        author=worker.name,
        created=_at(_ON, 9),
    )


# --- Referral forms of other layouts ------------------------------------------------------------


def marf_form(referral: Referral) -> Doc:
    """Another council's Multi-Agency Referral Form; its enclosures list a GCP."""
    r, ref = referral, referral.referrer
    child = r.children[0]
    enclosed = (
        ("Graded Care Profile (GCP)", r.gcp_attached_claimed),
        ("Chronology", "Chronology" in r.other_attachments_listed),
        ("Early help plan", False),
        ("Brook traffic light record", False),
    )
    return Doc(
        title="Multi-Agency Referral Form (MARF)",
        subtitle="Children's Services front door",
        sections=(
            Section(
                "About you",
                (
                    Fields(
                        (
                            ("Person making this referral", ref.name, "Designation", ref.role),
                            ("Organisation", ref.agency, "Contact number", ref.phone),
                            ("Email", ref.email),
                        )
                    ),
                ),
            ),
            Section(
                "Details of the child / young person",
                (
                    Fields(
                        (
                            ("Given names", child.forenames, "Family name", child.surname),
                            ("DOB or EDD", _d(child.dob), "Sex", child.gender),
                            ("Home address", child.address, "Postcode", child.postcode),
                        )
                    ),
                ),
            ),
            Section(
                "Parents and carers",
                (
                    Grid(
                        ("Name", "Relationship", "Parental responsibility"),
                        tuple(
                            (c.name, c.relationship, "Yes" if c.parental_responsibility else "No")
                            for c in r.carers
                        ),
                    ),
                ),
            ),
            Section(
                "Your worries",
                (
                    Fields(
                        (
                            ("What are you worried about?", r.concern_narrative),
                            ("What is going well?", r.strengths or PLACEHOLDER),
                        )
                    ),
                ),
            ),
            Section(
                "Consent",
                (
                    Fields(
                        (
                            (
                                "Has the parent / carer been told about this referral?",
                                yes_no(r.parents_aware),
                            ),
                            ("Have they agreed to it?", yes_no(r.consent)),
                        )
                    ),
                ),
            ),
            Section("Documents enclosed", (Ticks(enclosed, columns=2),)),
        ),
        author=ref.name,
        created=r.referral_datetime,
    )


def referral_form_generic(referral: Referral) -> Doc:
    """A plain "Referral to Children's Social Care" form with its own label wording."""
    r, ref = referral, referral.referrer
    child = r.children[0]
    return Doc(
        title="Referral to Children's Social Care",
        subtitle="",
        sections=(
            Section(
                "Section 1 - Referrer",
                (
                    Fields(
                        (
                            ("Referrer's name", ref.name),
                            ("Agency", ref.agency),
                            ("Telephone", ref.phone or PLACEHOLDER),
                        )
                    ),
                ),
            ),
            Section(
                "Section 2 - Child",
                (
                    Fields(
                        (
                            ("Full name", child.full_name),
                            ("Date of birth", _d(child.dob)),
                            ("Address", f"{child.address}, {child.postcode}"),
                        )
                    ),
                ),
            ),
            Section(
                "Section 3 - Reason for referral",
                (
                    Fields(
                        (
                            ("Reason for referral", r.concern_narrative),
                            ("Parents aware?", yes_no(r.parents_aware)),
                            ("Consent given?", yes_no(r.consent)),
                            (
                                "Assessments attached",
                                "Graded Care Profile" if r.gcp_attached_claimed else "None",
                            ),
                        )
                    ),
                ),
            ),
        ),
        author=ref.name,
        created=r.referral_datetime,
    )


# --- Decoys -------------------------------------------------------------------------------------


def chronology_with_gcp(child: Child) -> Doc:
    """A chronology whose events mention a GCP being completed and reviewed."""
    rng = _rng(child, "chrono-gcp")
    days = sorted(_ON - dt.timedelta(days=rng.randint(10, 500)) for _ in range(6))
    events = (
        ("Health visitor raised neglect worries", "Health visiting", "Home visits increased"),
        (
            "Graded Care Profile 2 completed: physical care graded 4, safety 3",
            "Health visiting",
            "Shared with parents",
        ),
        ("Child arrived at nursery in soiled clothes", "Nursery", "Spoke to mother"),
        ("GCP review: some improvement in home conditions", "Health visiting", "Plan updated"),
        ("Missed two development checks", "GP surgery", "Re-booked"),
        ("Family moved to temporary housing", "Housing", "Support offered"),
    )
    return Doc(
        title="Chronology",
        subtitle=f"{child.full_name}, date of birth {_d(child.dob)}",
        sections=(
            Section(
                "",
                (
                    Grid(
                        ("Date", "What happened", "Who recorded it", "Outcome"),
                        tuple((_d(day), *event) for day, event in zip(days, events, strict=True)),
                        widths=(15, 45, 20, 20),
                    ),
                ),
            ),
        ),
        author="Health visiting team",
        created=_at(_ON, 9),
    )


def gcp_letter(child: Child) -> Doc:
    """A health visitor's letter saying a Graded Care Profile was completed last year."""
    rng = _rng(child, "gcp-letter")
    hv = make_referrer(rng, kinds=("health",))
    first = _first(child)
    return Doc(
        title="Estuary Community Health",
        subtitle="Health Visiting Service",
        sections=(
            Section(
                "",
                (
                    Text(_d(_ON)),
                    Text("Dear colleague,"),
                    Text(f"Re: {child.full_name}, date of birth {_d(child.dob)}", bold=True),
                    Text(
                        f"I have known {first}'s family since the birth. A Graded Care Profile "
                        "was completed last year, when the main worries were about the home "
                        "and routines; things improved and the case was closed to the enhanced "
                        "offer. I have not repeated the care profile since."
                    ),
                    Text(
                        f"I am happy to attend any meeting about {first}. Please contact me on "
                        f"{hv.phone}."
                    ),
                    Text("Yours sincerely,"),
                    Text(f"{hv.name}, {hv.role}"),
                ),
            ),
        ),
        author=hv.name,
        created=_at(_ON, 11),
        marking="",
    )


def school_attendance_report(child: Child) -> Doc:
    """A school attendance report: weeks, sessions and percentages."""
    rng = _rng(child, "attendance")
    weeks = []
    for week in range(1, 9):
        present = rng.randint(5, 10)
        weeks.append((f"Week {week}", str(present), str(10 - present), f"{present * 10}%"))
    return Doc(
        title="Pupil Attendance Report - Spring Term",
        subtitle=f"{child.full_name} ({child.school or 'Seaview Primary School'})",
        sections=(
            Section(
                "",
                (
                    Grid(
                        ("Week", "Sessions attended", "Sessions missed", "Attendance"),
                        tuple(weeks),
                    ),
                    Text(
                        "Attendance below 90% is persistent absence. The attendance officer "
                        "will meet the family to agree a plan."
                    ),
                ),
            ),
        ),
        author="Attendance Officer",
        created=_at(_ON, 8),
        marking="",
    )


def core_group_minutes(child: Child) -> Doc:
    """Minutes of a core group meeting that mention a GCP, Brook and exploitation in passing."""
    rng = _rng(child, "minutes")
    people = [make_referrer(rng) for _ in range(4)]
    first = _first(child)
    return Doc(
        title="Core Group Meeting - Minutes",
        subtitle=f"About {child.full_name}",
        sections=(
            Section(
                "",
                (
                    Fields(
                        (
                            ("Date", _d(_ON), "Chair", people[0].name),
                            ("Attendees", ", ".join(p.name for p in people[1:])),
                            ("Apologies", "GP"),
                        )
                    ),
                ),
            ),
            Section(
                "Discussion",
                (
                    Text(
                        f"Home conditions remain a worry. The health visitor will complete a "
                        f"Graded Care Profile before the review. {first}'s school has no "
                        "concerns about exploitation; no need for the traffic light tool."
                    ),
                ),
            ),
            Section(
                "Actions agreed",
                (
                    Grid(
                        ("Action", "Who", "By when"),
                        (
                            ("Complete GCP2", "Health visitor", "4 weeks"),
                            ("Weekly home visit", "Social worker", "Ongoing"),
                        ),
                    ),
                    Text("Date of next meeting: in six weeks."),
                ),
            ),
        ),
        author=people[0].name,
        created=_at(_ON, 14),
    )


def medical_letter(child: Child) -> Doc:
    """A paediatric clinic letter to a GP (diagnosis, medication, follow-up)."""
    rng = _rng(child, "clinic")
    doctor = make_referrer(rng, kinds=("health",))
    first = _first(child)
    return Doc(
        title="Paediatric Outpatient Clinic",
        subtitle="Estuary Hospital",
        sections=(
            Section(
                "",
                (
                    Text("Dear Dr Seafront,"),
                    Text(f"Re: {child.full_name}, DOB {_d(child.dob)}", bold=True),
                    Text("Diagnosis: mild eczema; growth on the 25th centile."),
                    Text(
                        f"I saw {first} in clinic today with mum. Skin care has been patchy and "
                        "the cream prescribed last time ran out. We talked about safety at "
                        "home and a daily routine. Medication: emollient twice a day."
                    ),
                    Text("Follow-up appointment in three months; discharge if settled."),
                    Text("Yours sincerely,"),
                    Text(f"{doctor.name}, Consultant Paediatrician"),
                ),
            ),
        ),
        author=doctor.name,
        created=_at(_ON, 12),
        marking="",
    )


def cover_email(referral: Referral) -> Doc:
    """A referral's cover email printed to PDF: it names the form's headings but is prose."""
    r, ref = referral, referral.referrer
    child = r.children[0]
    return Doc(
        title=f"Referral - {child.initials}",
        subtitle="",
        sections=(
            Section(
                "",
                (
                    Text(f"From: {ref.name} <{ref.email}>"),
                    Text(f"Sent: {r.referral_datetime:%A %d %B %Y %H:%M}"),
                    Text(f"To: {CSPOC_ADDRESS}"),
                    Text(f"Subject: Referral - {child.initials}"),
                    Text("Dear C-SPOC team,"),
                    Text(
                        "Please find attached a Request for Service for the child named in the "
                        "form. The reason for referral is set out in section 6; consent has "
                        "been given and the parents are aware. A Graded Care Profile is not yet "
                        "complete."
                    ),
                    Text("Kind regards,"),
                    Text(f"{ref.name}, {ref.role}, {ref.agency}"),
                ),
            ),
        ),
        author=ref.name,
        created=r.referral_datetime,
        marking="",
    )


# --- Unreadable files ---------------------------------------------------------------------------


def scan_png(seed: str = "scan") -> bytes:
    """A picture of a form (boxes and scribbled lines, no words); the notice is a PNG comment."""
    rng = random.Random(seed)
    image = Image.new("L", (420, 594), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 390, 70), outline=40, width=3)
    for row in range(12):
        top = 100 + row * 36
        draw.rectangle((30, top, 390, top + 28), outline=90)
        draw.line((40, top + 14, 40 + rng.randint(60, 330), top + 14), fill=120, width=4)
    info = PngInfo()
    info.add_text("Comment", FICTION_NOTICE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, pnginfo=info)
    return buffer.getvalue()


def image_only_pdf(seed: str = "scan") -> bytes:
    """A "scanned" page: one picture of a form, no text layer (the notice is in the metadata)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    pdf.set_subject(FICTION_NOTICE)
    pdf.add_page()
    pdf.image(io.BytesIO(scan_png(seed)), x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf(title: str = "Graded Care Profile 2 (GCP2)") -> bytes:
    """A PDF that needs a password to open (what a cautious referrer sometimes sends)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    pdf.set_subject(FICTION_NOTICE)
    # Made-up passwords for a test file; nothing is protected by them.
    pdf.set_encryption(owner_password="owner-synthetic", user_password="user-synthetic")  # noqa: S106
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 8, pdf_text(FICTION_NOTICE))
    return bytes(pdf.output())


def corrupt_docx(data: bytes) -> bytes:
    """``data`` (a .docx) cut short: the zip's central directory is gone."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
    return data[: max(first.compress_size + 200, len(data) // 3)]
