"""Which kind an attachment is: the corpus under tests/data/attachments, then hand-built layouts.

The corpus walk reads real DOCX/PDF files through :func:`parsers.parse_file`; every other test
builds the :class:`Layout` a reader would give, so it does not depend on any reader.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import pytest

import parsers
from parsers import classify
from parsers.classify import ALSO_LIKE, BLANK_GCP, FILENAME_DECIDED, NO_TEXT, PARTIAL_GCP
from parsers.layout import Cell, Layout, Paragraph, Table
from tests.data.attachments import build

CORPUS = Path(build.__file__).parent
CASES = sorted(
    path
    for path in CORPUS.glob("*/*")
    if path.is_file() and not path.name.endswith(".json") and path.parent.name in build.KIND_DIRS
)


def _has_warning(actual: tuple[str, ...], wanted: str) -> bool:
    """``wanted`` is present, alone or followed by detail (``corrupt`` ~ ``corrupt: not a zip``)."""
    return any(
        found == wanted or (found.startswith(wanted) and not found[len(wanted)].isalnum())
        for found in actual
    )


# --- The corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(CORPUS)) for p in CASES])
def test_corpus_file_is_classified_as_expected(path: Path) -> None:
    """
    GIVEN a corpus file and its ``<case>.expected.json``
    WHEN it is parsed from disk
    THEN its kind is the expected one and every required warning is there
    """
    expected = json.loads(build.expected_path(path).read_text(encoding="utf-8"))

    parsed = parsers.parse_file(path)

    assert parsed.kind == expected["kind"], parsed.warnings
    missing = [w for w in expected["warnings"] if not _has_warning(parsed.warnings, w)]
    assert not missing, f"missing {missing}; got {parsed.warnings}"


def test_corpus_has_enough_cases_of_every_kind() -> None:
    """
    GIVEN the attachments corpus
    WHEN its cases are counted by kind
    THEN every kind has at least four, there are thirty or more, each has an expectation
    """
    by_kind = Counter(path.parent.name for path in CASES)

    assert set(by_kind) == set(build.KIND_DIRS)
    assert min(by_kind.values()) >= 4, by_kind
    assert len(CASES) >= 30
    assert all(build.expected_path(path).is_file() for path in CASES)
    assert all(path.stat().st_size < 64 * 1024 for path in CASES)


def test_corpus_on_disk_is_the_one_the_build_script_makes() -> None:
    """
    GIVEN the case list of tests/data/attachments/build.py
    WHEN it is compared with the files on disk
    THEN every case's file and expectation are there, and nothing else is
        (after changing the list: uv run python -m tests.data.attachments.build)
    """
    listed = {Path(case.kind) / case.filename: build.expected(case) for case in build.cases()}

    on_disk = {path.relative_to(CORPUS) for path in CASES}
    assert on_disk == set(listed)
    for name, wanted in listed.items():
        stored = json.loads(build.expected_path(CORPUS / name).read_text(encoding="utf-8"))
        assert stored == wanted, name


# --- Hand-built layouts -------------------------------------------------------------------------


def _doc(*lines: str, title: str = "") -> Layout:
    """Paragraphs only, as a PDF reader might give a simple document."""
    return Layout(tuple(Paragraph(line) for line in lines), title=title)


def _table(*rows: tuple[str, ...]) -> Table:
    return Table(tuple(tuple(Cell(text) for text in row) for row in rows))


_GCP_AREAS = (
    ("Physical care", ("Nutrition", "Housing", "Clothing", "Hygiene")),
    ("Safety", ("Safety in the carer's presence", "Safety online")),
    ("Emotional care", ("Carer's responsiveness", "Mutual engagement")),
    ("Developmental care", ("Stimulation", "Approval", "Acceptance")),
)


def _gcp(
    grades: tuple[int | None, ...] = (3, 2, 4, 3),
    *,
    title: str = "Graded Care Profile 2 (GCP2)",
    child: str = "Ava Example",
) -> Layout:
    """A GCP-like layout: details table, then per area a heading and a 1-5 tick grid."""
    blocks: list[Paragraph | Table] = [
        Paragraph(title, heading=1),
        _table(("Child's name", child), ("Date of birth", "01/02/2020" if child else "")),
    ]
    for number, ((area, subareas), grade) in enumerate(zip(_GCP_AREAS, grades, strict=True), 1):
        blocks.append(Paragraph(f"Area {number}: {area}", heading=2))
        rows: list[tuple[str, ...]] = [("Sub-area", "1", "2", "3", "4", "5", "Evidence")]
        for sub in subareas:
            boxes = tuple("☒" if grade == g else "☐" for g in range(1, 6))
            rows.append((sub, *boxes, "Seen on a visit." if grade else ""))
        blocks.append(_table(*rows))
        if grade is None:
            blocks.append(Paragraph("Not yet assessed."))
    return Layout(tuple(blocks))


def _rfs(*attachments: str) -> Layout:
    """A referral form: labels in table cells, concern ticks, an attachments tick list."""
    return Layout(
        (
            Paragraph("Request for Service", heading=1),
            _table(
                ("Name of referrer", "Sam Example", "Job title", "Teacher"),
                ("Agency", "Seaview Primary School", "Telephone", "01632 960001"),
                ("Child's forename(s)", "Ava", "Surname", "Example"),
                ("Date of birth", "01/02/2020", "Home address", "1 Gullwing Road"),
                ("Are the parents / carers aware of this referral?", "☒ Yes ☐ No"),
                ("Has consent been given?", "☒ Yes ☐ No"),
            ),
            _table(("☒ Neglect", "☐ Physical abuse", "☐ Emotional abuse", "☐ Sexual abuse")),
            _table(("Reason for referral", "Ava often arrives hungry and in dirty clothes.")),
            Paragraph("Attachments", heading=2),
            _table(*((f"☒ {name}",) for name in attachments)),
        )
    )


def test_empty_layout_is_unreadable() -> None:
    """
    GIVEN a layout with no text at all (a scan read without OCR)
    WHEN it is classified
    THEN it is unreadable with "no text layer", and no template
    """
    assert classify.classify(Layout(()), "scan0001.pdf") == ("unreadable", None, (NO_TEXT,))


def test_layout_of_blank_cells_and_placeholders_is_unreadable() -> None:
    """
    GIVEN a layout whose only text is empty cells and "Click here to enter text."
    WHEN it is classified
    THEN it is unreadable; a reason the reader already gave is not repeated
    """
    layout = Layout(
        (_table(("", "Click here to enter text."), ("  ", "")),), warnings=("no text layer",)
    )

    assert classify.classify(layout, "form.docx") == ("unreadable", None, ())


@pytest.mark.parametrize("name", ["scan0004.pdf", "doc1.docx", "attachment-2.pdf", ""])
def test_gcp_with_a_meaningless_file_name_is_found_by_its_content(name: str) -> None:
    """
    GIVEN a completed GCP whose file name says nothing
    WHEN it is classified
    THEN it is a gcp, graded in full (no blank or partial warning)
    """
    kind, template, warnings = classify.classify(_gcp(), name)

    assert (kind, template) == ("gcp", None)
    assert BLANK_GCP not in warnings
    assert PARTIAL_GCP not in warnings


def test_gcp_without_its_title_is_found_by_areas_and_grade_grid() -> None:
    """
    GIVEN a GCP whose title page is missing (areas and the 1-5 grid remain)
    WHEN it is classified
    THEN it is still a gcp
    """
    layout = _gcp()
    untitled = Layout(layout.blocks[2:])

    assert classify.classify(untitled, "document.pdf")[0] == "gcp"


def test_older_gcp_scoring_sheet_with_numeric_scores_is_a_graded_gcp() -> None:
    """
    GIVEN an older-style GCP sheet: areas "A. Physical" to "D. Esteem", scores written as numbers
    WHEN it is classified
    THEN it is a gcp with grades (no blank or partial warning)
    """
    layout = Layout(
        (
            Paragraph("Graded Care Profile - Scoring Sheet", heading=1),
            Paragraph("After Srivastava and Polnay. Score each item 1 (best) to 5 (worst)."),
            Paragraph("A. Physical", heading=2),
            _table(("Item", "Score (1-5)"), ("Nutrition", "3"), ("Housing", "4")),
            Paragraph("B. Safety", heading=2),
            _table(("Item", "Score (1-5)"), ("Awareness of risk", "2")),
            Paragraph("C. Love", heading=2),
            _table(("Item", "Score (1-5)"), ("Mutual engagement", "3")),
            Paragraph("D. Esteem", heading=2),
            _table(("Item", "Score (1-5)"), ("Stimulation", "4"), ("Approval", "3")),
        )
    )

    assert classify.classify(layout, "scan.pdf") == ("gcp", None, ())


def test_council_adaptation_with_other_area_names_and_crosses_is_a_gcp() -> None:
    """
    GIVEN a council's neglect tool "adapted from the Graded Care Profile": its own area names,
        grades marked with an X under columns 1-5
    WHEN it is classified
    THEN it is a gcp, and graded
    """
    rows = [("Indicator", "1", "2", "3", "4", "5")]
    blocks: list[Paragraph | Table] = [
        Paragraph("Thameside Neglect Toolkit: Quality of Care Profile", heading=1),
        Paragraph("Our local adaptation of the Graded Care Profile."),
    ]
    for number, domain in enumerate(
        ("Physical needs", "Safety and supervision", "Emotional warmth", "Development and esteem"),
        start=1,
    ):
        blocks.append(Paragraph(f"Domain {number} - {domain}", heading=2))
        blocks.append(_table(*rows, ("Food and drink", "", "X", "", "", "")))

    assert classify.classify(Layout(tuple(blocks)), "doc1.docx") == ("gcp", None, ())


def test_blank_gcp_template_is_a_gcp_with_a_warning() -> None:
    """
    GIVEN a GCP template: areas and grade grids, nothing ticked, no child named
    WHEN it is classified
    THEN it is a gcp with "gcp: blank template"
    """
    kind, _, warnings = classify.classify(_gcp((None,) * 4, child=""), "GCP2 template.docx")

    assert kind == "gcp"
    assert BLANK_GCP in warnings
    assert PARTIAL_GCP not in warnings


def test_partly_graded_gcp_is_a_gcp_with_a_warning() -> None:
    """
    GIVEN a GCP with physical care and safety graded, the other two areas not yet assessed
    WHEN it is classified
    THEN it is a gcp with "gcp: partial"
    """
    kind, _, warnings = classify.classify(_gcp((3, 4, None, None)), "attachment-1.pdf")

    assert kind == "gcp"
    assert PARTIAL_GCP in warnings
    assert BLANK_GCP not in warnings


def test_gcp_with_a_typo_in_its_title_is_still_a_gcp() -> None:
    """
    GIVEN a GCP titled "Graded Care Profle 2" (a typo)
    WHEN it is classified
    THEN it is a gcp
    """
    assert classify.classify(_gcp(title="Graded Care Profle 2"), "x.pdf")[0] == "gcp"


def test_referral_form_listing_a_gcp_among_its_attachments_is_an_rfs() -> None:
    """
    GIVEN a referral form whose attachments tick list has "Graded Care Profile 2 (GCP2)" ticked
    WHEN it is classified
    THEN it is an rfs (template unknown without a matching template), not a gcp
    """
    layout = _rfs("Graded Care Profile 2 (GCP2)", "Chronology")

    kind, template, warnings = classify.classify(layout, "GCP and referral.docx")

    assert (kind, template) == ("rfs", "unknown")
    assert not [w for w in warnings if w.startswith(ALSO_LIKE)]


def test_referral_form_with_a_whole_gcp_pasted_in_says_so() -> None:
    """
    GIVEN a referral form followed by a complete GCP in the same document
    WHEN it is classified
    THEN it is one kind, and a warning names the other kind it also looks like
    """
    layout = Layout(_rfs("Graded Care Profile").blocks + _gcp().blocks)

    kind, _, warnings = classify.classify(layout, "referral.docx")

    assert kind in ("rfs", "gcp")
    other = "gcp" if kind == "rfs" else "rfs"
    assert f"{ALSO_LIKE} {other}" in warnings


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        (
            "GCP.docx",
            _doc(
                "Health Visiting Service",
                "Dear colleague,",
                "Re: Graded Care Profile",
                "A Graded Care Profile was completed last year; physical care was graded 3.",
                "Yours sincerely,",
                "Health Visitor",
            ),
        ),
        (
            "Dental letter.pdf",
            _doc(
                "Seafront Dental Practice",
                "To the parent or carer of Ava Example",
                "Re: Ava's oral care profile",
                "We have updated Ava's oral care profile after the check-up.",
                "Yours sincerely,",
            ),
        ),
        (
            "chronology GCP.docx",
            Layout(
                (
                    Paragraph("Chronology of significant events", heading=1),
                    _table(
                        ("Date", "Event", "Source"),
                        ("01/02/2025", "GCP2 completed: physical care 4, safety 3", "HV"),
                        ("03/04/2025", "GCP was reviewed; some improvement", "HV"),
                        ("05/06/2025", "Missed health review", "GP"),
                    ),
                )
            ),
        ),
        (
            "minutes.docx",
            _doc(
                "Core Group Meeting - Minutes",
                "Attendees: social worker, health visitor, school",
                "Apologies: GP",
                "The health visitor will complete a Graded Care Profile before the review.",
                "Concerns about county lines and going missing were discussed.",
                "Actions agreed: complete GCP2; school to use the traffic light tool.",
                "Date of next meeting: in six weeks",
            ),
        ),
        (
            "report.pdf",
            _doc(
                "Seaview Primary School",
                "End of Term Report - Year 4",
                "English: working at the expected standard.",
                "Attendance: 94%",
                "Behaviour: green on the class chart; two amber and one red card this term.",
            ),
        ),
        (
            "Referral.pdf",
            _doc(
                "From: Sam Example <sam@school.example.sch.uk>",
                "Sent: Monday 2 March 2026 09:14",
                "To: c-spoc@southend.example.gov.uk",
                "Subject: Referral - A.E.",
                "Dear C-SPOC team,",
                "Please find attached a Request for Service. The reason for referral is "
                "neglect; consent has been given and the parents are aware.",
                "Kind regards,",
            ),
        ),
        (
            "clinic.pdf",
            _doc(
                "Paediatric Outpatient Clinic",
                "Dear Dr Seafront,",
                "Diagnosis: mild eczema.",
                "We talked about safety at home. Medication: emollient, prescribed today.",
                "Follow-up appointment in three months.",
                "Yours sincerely,",
            ),
        ),
        (
            "newsletter.pdf",
            _doc(
                "Keeping children safe online: a guide for parents",
                "Children can be groomed on social media by adults they have never met. "
                "Watch for a second phone, unexplained gifts or money and older friends.",
                "County lines gangs use young people to carry drugs to other towns. Signs "
                "include going missing, carrying a knife and being found out of area.",
            ),
        ),
        (
            "trip.pdf",
            _doc(
                "Risk assessment: school trip to the zoo",
                "Road traffic - rated amber - an adult at each crossing",
                "Getting lost - rated red - buddy system",
                "Weather - rated green",
            ),
        ),
    ],
    ids=[
        "letter-named-GCP",
        "care-profile-letter",
        "chronology-mentions-gcp",
        "minutes",
        "school-report",
        "cover-email",
        "clinic-letter",
        "exploitation-newsletter",
        "rag-risk-assessment",
    ],
)
def test_decoys_are_other(name: str, layout: Layout) -> None:
    """
    GIVEN a document that only mentions a GCP, a care profile, a referral, exploitation signs or
        traffic light colours (whatever its file name says)
    WHEN it is classified
    THEN it is other
    """
    assert classify.classify(layout, name) == ("other", None, ())


def test_file_name_alone_never_makes_a_kind() -> None:
    """
    GIVEN an ordinary short note named like each kind of tool
    WHEN it is classified
    THEN it is other every time
    """
    note = _doc("Note of a telephone call", "Mum rang to rearrange Tuesday's visit to Friday.")

    for name in ("GCP.docx", "Brook traffic light tool.pdf", "CE pathway.docx", "RFS.docx"):
        assert classify.classify(note, name)[0] == "other", name


def test_file_name_tips_a_close_call() -> None:
    """
    GIVEN a document titled "Graded Care Profile" with little else: just short of a gcp
    WHEN it is classified under a meaningless name, then under "GCP2.docx"
    THEN the first is other, the second a gcp marked as decided by its file name
    """
    layout = _doc("Graded Care Profile", "Family: Example", "Notes to follow.")

    assert classify.classify(layout, "doc7.docx")[0] == "other"
    kind, _, warnings = classify.classify(layout, "GCP2.docx")
    assert kind == "gcp"
    assert FILENAME_DECIDED in warnings


def test_metadata_title_that_is_a_file_name_counts_only_as_a_file_name() -> None:
    """
    GIVEN a letter printed to PDF whose metadata title is "Microsoft Word - GCP.docx"
    WHEN it is classified
    THEN it is other: the title weighs like a file name, not like a GCP's title page
    """
    letter = _doc(
        "Dear colleague,",
        "A Graded Care Profile was completed last year.",
        "Yours sincerely,",
        title="Microsoft Word - GCP.docx",
    )

    assert classify.classify(letter, "scan0001.pdf") == ("other", None, ())


def test_brook_guidance_table_by_age_band_is_a_brook_tool() -> None:
    """
    GIVEN a guidance table: age bands by row, green / amber / red behaviours by column
    WHEN it is classified
    THEN it is a brook_tool
    """
    layout = Layout(
        (
            Paragraph("Sexual Behaviours Traffic-Light Tool", heading=1),
            _table(
                ("Age band", "Green", "Amber", "Red"),
                ("0 to 5 years", "Curious play", "Persistent touching", "Forced play"),
                ("5 to 9 years", "Questions", "Explicit words", "Contact with younger child"),
                ("9 to 13 years", "Privacy", "Seeking images online", "Threats"),
            ),
        )
    )

    assert classify.classify(layout, "guide.docx") == ("brook_tool", None, ())


def test_brook_record_with_orange_wording_and_no_brook_title_is_a_brook_tool() -> None:
    """
    GIVEN a school's harmful sexual behaviour record rated green / orange / red
    WHEN it is classified under a meaningless name
    THEN it is a brook_tool
    """
    layout = Layout(
        (
            Paragraph("Harmful sexual behaviour: incident record", heading=1),
            _table(
                ("What happened", "Traffic light rating"),
                ("Showed sexual drawings to younger pupils", "Orange"),
                ("Did it again after being asked to stop", "Red"),
            ),
            Paragraph("Green: expected for the age. Orange: outside healthy development."),
        )
    )

    assert classify.classify(layout, "attachment-4.pdf")[0] == "brook_tool"


@pytest.mark.parametrize(
    "layout",
    [
        Layout(
            (
                Paragraph("Child Sexual Exploitation Screening Tool", heading=1),
                Paragraph("Significant Risk Indicators", heading=2),
                _table(
                    ("Indicator", "Current", "Past 6 months"),
                    ("Going missing overnight", "☒", "☒"),
                    ("Unexplained gifts or money", "☐", "☒"),
                    ("Older boyfriend", "☒", "☐"),
                    ("Staying at hotels or parties", "☐", "☐"),
                ),
            )
        ),
        Layout(
            (
                Paragraph("Children and Families Thinking Tool: Risk in the Community"),
                Paragraph("Peers", heading=2),
                Paragraph("Spends time with an older peer group out of school."),
                Paragraph("Places and spaces", heading=2),
                Paragraph("Seen at the station late at night."),
                Paragraph("Push and pull factors", heading=2),
                Paragraph("Gifts and a new phone from older associates."),
            )
        ),
        Layout(
            (
                Paragraph("Police Partner Intelligence Form", heading=1),
                _table(
                    ("Submitting agency", "Seaview Primary School"),
                    ("Subject of the information", "A young person"),
                    ("Vehicle registration", "XX11 ABC"),
                    ("Locations frequented", "The parade of shops"),
                    ("Associates", "Two older males"),
                ),
            )
        ),
        Layout(
            (
                Paragraph("CSE Risk & Vulnerabilities Assessment", heading=1),
                _table(
                    ("Vulnerability / risk", "Present?"),
                    ("Missing episodes", "Yes"),
                    ("Gifts and money", "Yes"),
                    ("Alcohol and drugs", "No"),
                ),
            )
        ),
        Layout(
            (
                Paragraph("County lines screening", heading=1),
                _table(
                    ("Sign", "Seen now", "Seen before"),
                    ("Found in another town", "☒", "☐"),
                    ("More than one phone or SIM cards", "☒", "☒"),
                    ("Carrying a knife", "☐", "☒"),
                    ("Drug debt", "☒", "☐"),
                ),
                Paragraph("Overall risk: high"),
            )
        ),
    ],
    ids=["cse-screening", "risk-in-the-community", "partner-intelligence", "toolbox", "cce"],
)
def test_exploitation_tools_of_several_shapes(layout: Layout) -> None:
    """
    GIVEN a screening tool, thinking tool, intelligence form or risk assessment about exploitation
    WHEN it is classified under a meaningless name
    THEN it is an exploitation_tool
    """
    assert classify.classify(layout, "scan0007.pdf") == ("exploitation_tool", None, ())


def test_referral_form_template_is_the_one_whose_phrases_all_appear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    GIVEN templates.toml entries, one whose phrases all appear in the form
    WHEN a referral form is classified
    THEN its template is that id; with no match it is "unknown"
    """
    path = tmp_path / "templates.toml"
    path.write_text(
        '[[template]]\nid = "other-council"\nall = ["Multi-Agency Referral Form"]\n\n'
        '[[template]]\nid = "test-rfs"\nall = ["Request for Service", "Reason for referral"]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(classify, "_templates", lambda: classify.load_templates(path))

    assert classify.classify(_rfs("Chronology"), "form.docx")[1] == "test-rfs"
    path.write_text('[[template]]\nid = "x"\nall = ["no such words"]\n', encoding="utf-8")
    assert classify.classify(_rfs("Chronology"), "form.docx")[1] == "unknown"


def test_missing_or_broken_templates_file_means_no_templates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """
    GIVEN no templates.toml, then a broken one
    WHEN templates are loaded
    THEN there are none, and the broken file is logged (by error type, not content)
    """
    assert classify.load_templates(tmp_path / "missing.toml") == ()
    broken = tmp_path / "templates.toml"
    broken.write_text("[[template]\nid = ", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="parsers.classify"):
        assert classify.load_templates(broken) == ()
    assert "TOMLDecodeError" in caplog.text


def test_kinds_file_mistakes_are_reported_with_their_place(tmp_path: Path) -> None:
    """
    GIVEN a kinds.toml with a signal of an unknown scope
    WHEN it is loaded
    THEN a ValueError names the kind, the signal and the problem
    """
    bad = tmp_path / "kinds.toml"
    bad.write_text(
        '[kind.gcp]\n[[kind.gcp.signal]]\nname = "title"\nscope = "everywhere"\nitems = ["gcp"]\n',
        encoding="utf-8",
    )

    with pytest.raises(ValueError, match=r"kind\.gcp.*'title'.*scope"):
        classify.load_rules(bad)


def test_shipped_kinds_file_loads() -> None:
    """
    GIVEN the kinds.toml shipped beside the classifier
    WHEN it is loaded
    THEN every scored kind is there with signals
    """
    rules = classify.load_rules()

    assert {kind.kind for kind in rules.kinds} == {"rfs", "gcp", "brook_tool", "exploitation_tool"}
    assert all(kind.signals for kind in rules.kinds)


def test_explain_names_signals_never_document_text() -> None:
    """
    GIVEN a GCP naming a child
    WHEN its scores are explained
    THEN only signal names from kinds.toml appear, never the child's name
    """
    scores = classify.explain(_gcp(child="Zebedee Uniquename"), "x.docx")

    text = repr(scores)
    assert "Zebedee" not in text
    assert next(s for s in scores if s.kind == "gcp").passes()


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Graded-Care   Profile", "graded care profile"),
        ("GCP2", "gcp 2"),
        ("Risk & Vulnerabilities", "risk and vulnerabilities"),
        ("Child's name:", "childs name"),
        ("Sexual Behaviours Traffic–Light Tool", "sexual behaviours traffic light tool"),
        ("Référral ☒ Yes", "referral yes"),
    ],
)
def test_normalise(raw: str, normalised: str) -> None:
    """
    GIVEN text with capitals, hyphens, dashes, ampersands, apostrophes, accents, tick glyphs
    WHEN it is normalised
    THEN it is lower-case words separated by single spaces
    """
    assert classify.normalise(raw) == normalised
