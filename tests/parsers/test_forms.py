"""The form reader on hand-built layouts: every way a form lays out its labels and answers.

These do not depend on any file format: each test builds the :class:`Layout` a reader would give.
"""

from __future__ import annotations

from parsers.fields import ParsedAttachment
from parsers.forms import read_form
from parsers.layout import Cell, Layout, Paragraph, Table


def _read(*blocks: Paragraph | Table) -> ParsedAttachment:
    return read_form(Layout(tuple(blocks)), "form.docx", "0" * 64, None)


def _values(parsed: ParsedAttachment) -> dict[str, object]:
    return {name: found.value for name, found in parsed.fields.items()}


def _row(*texts: str, emphasised: tuple[int, ...] = ()) -> tuple[Cell, ...]:
    return tuple(Cell(t, emphasised=i in emphasised) for i, t in enumerate(texts))


def test_label_colon_value_paragraphs() -> None:
    """GIVEN a form typed as "Label: value" lines under headings, no tables
    WHEN it is read
    THEN each label's value lands in its field, the section deciding whose name is whose."""
    parsed = _read(
        Paragraph("Referral to Children's Services", heading=1),
        Paragraph("Date of referral: 4 March 2026 at 2.30pm"),
        Paragraph("Details of the child", heading=2),
        Paragraph("Name: Jay Alex Smith"),
        Paragraph("DOB: 04/03/2019"),
        Paragraph("Sex: M"),
        Paragraph("Address: 12 Elm Road, Southend-on-Sea SS1 2AB"),
        Paragraph("Your details", heading=2),
        Paragraph("Name: Pat Example"),
        Paragraph("Job title: Class Teacher"),
        Paragraph("Organisation: Seaview Primary School"),
        Paragraph("Tel: 01632 960123"),
        Paragraph("Email: pat.example@school.example.org"),
    )
    assert _values(parsed) | {} == {
        "referral_datetime": "2026-03-04T14:30",
        "child_forenames": "Jay Alex",
        "child_surname": "Smith",
        "child_dob": "2019-03-04",
        "child_gender": "male",
        "child_address": "12 Elm Road, Southend-on-Sea",
        "child_postcode": "SS1 2AB",
        "referrer_name": "Pat Example",
        "referrer_role": "Class Teacher",
        "referrer_agency": "Seaview Primary School",
        "referrer_phone": "01632 960123",
        "referrer_email": "pat.example@school.example.org",
    }


def test_label_above_value_and_long_narrative() -> None:
    """GIVEN labels on their own lines with the answer in the paragraphs below
    WHEN it is read
    THEN a short answer takes one paragraph and the narrative takes every paragraph up to the
    next label, collapsed to one line."""
    parsed = _read(
        Paragraph("Child's surname"),
        Paragraph("Smith"),
        Paragraph("Child's first name(s)"),
        Paragraph("Jay"),
        Paragraph("Reason for referral", bold=True),
        Paragraph("Jay came to school hungry on four days this week."),
        Paragraph("His clothes were unwashed."),
        Paragraph("Has consent been obtained?"),
        Paragraph("No"),
        Paragraph("If no, why not?"),
        Paragraph("Mother could not be reached."),
    )
    values = _values(parsed)
    assert values["child_surname"] == "Smith"
    assert values["child_forenames"] == "Jay"
    assert values["concern_narrative"] == (
        "Jay came to school hungry on four days this week. His clothes were unwashed."
    )
    assert values["consent"] == "no"
    assert values["consent_refused_reason"] == "Mother could not be reached."


def test_several_pairs_in_one_line_and_tabs() -> None:
    """GIVEN "Name: … DOB: …" on one line and a tab-separated label and value
    WHEN it is read
    THEN both pairs are found."""
    parsed = _read(
        Paragraph("Child's name: Mia Jones   DOB: 12.01.20"),
        Paragraph("Gender\tFemale"),
    )
    values = _values(parsed)
    assert values["child_forenames"] == "Mia"
    assert values["child_surname"] == "Jones"
    assert values["child_dob"] == "2020-01-12"
    assert values["child_gender"] == "female"


def test_four_column_rows_and_tick_answers() -> None:
    """GIVEN label|value|label|value rows with boxes before or after the options
    WHEN it is read
    THEN each answer goes with the label on its left and ticked options decide yes/no."""
    parsed = _read(
        Table(
            (
                _row("Forename(s)", "Leo", "Surname", "Brown"),
                _row("Date of birth", "1st June 2018", "Gender", "Boy"),
                _row("Is the child at immediate risk?", "Yes ☐ No ☒"),
                _row("Are parents aware of the referral?", "☒ Yes ☐ No ☐ Unknown"),
                _row("Known to children's social care?", "☐ Yes ☐ No ☒ Not known"),
            )
        )
    )
    values = _values(parsed)
    assert values["child_forenames"] == "Leo"
    assert values["child_surname"] == "Brown"
    assert values["child_dob"] == "2018-06-01"
    assert values["child_gender"] == "male"
    assert values["urgent"] is False
    assert values["parents_aware"] == "yes"
    assert values["known_to_csc"] == "unknown"


def test_grid_of_children() -> None:
    """GIVEN a grid with a header row and one row per child
    WHEN it is read
    THEN every child is listed and the first is the child_* fields."""
    parsed = _read(
        Paragraph("Children subject of this referral", heading=2),
        Table(
            (
                _row("Surname", "Forename", "DOB", "Gender"),
                _row("SMITH", "Ava", "03/02/2017", "F"),
                _row("SMITH", "Noah", "est. 05/2021", "M"),
            )
        ),
        Paragraph("Parents / carers", heading=2),
        Table((_row("Name", "Relationship", "DOB"), _row("Kim Smith", "Mother", "01/01/1990"))),
    )
    assert [(c.forenames, c.surname, c.dob) for c in parsed.children] == [
        ("Ava", "SMITH", "2017-02-03"),
        ("Noah", "SMITH", "2021-05-01"),
    ]
    assert _values(parsed)["child_surname"] == "SMITH"


def test_unborn_baby_and_comma_name() -> None:
    """GIVEN an unborn baby with an EDD and a name written "SURNAME, Forenames"
    WHEN it is read
    THEN the EDD is the date of birth (with a warning) and the name is split at the comma."""
    parsed = _read(
        Table(
            (
                _row("Child's name", "BAKER, Unborn"),
                _row("DOB / EDD", "EDD 12/05/2027"),
                _row("Gender", "Unknown"),
            )
        )
    )
    values = _values(parsed)
    assert values["child_surname"] == "BAKER"
    assert values["child_dob"] == "2027-05-12"
    assert values["child_gender"] == "unknown"
    assert "child_dob: expected date of delivery" in parsed.warnings


def test_concerns_from_ticks_and_narrative_with_negation() -> None:
    """GIVEN a ticked concern list and a narrative that states one more and denies another
    WHEN it is read
    THEN the concerns are the ticked ones plus the stated one, not the denied one."""
    parsed = _read(
        Paragraph("Type of concern (tick all that apply)", bold=True),
        Table((_row("☒ Neglect", "☐ Physical abuse", "☐ Domestic abuse"),)),
        Table(
            (
                _row(
                    "Nature of concern",
                    "Mum drinks heavily most evenings. There are no concerns about domestic "
                    "abuse at present.",
                ),
            )
        ),
    )
    assert parsed.concerns == ("neglect", "substance_misuse")


def test_placeholders_are_empty_and_warned() -> None:
    """GIVEN labels whose answers are template placeholders
    WHEN it is read
    THEN the fields are present with no value and a warning names each."""
    parsed = _read(Table((_row("Telephone", ""), _row("Name of referrer", "Sam Doe"))))
    assert parsed.fields["referrer_phone"].value is None
    assert "referrer_phone: no value" in parsed.warnings
    assert _values(parsed)["referrer_name"] == "Sam Doe"


def test_gcp_claims() -> None:
    """GIVEN an attachments tick list with a ticked GCP, and a free-text question about a GCP
    WHEN each is read
    THEN the claim is true for a tick or a yes, false for an unticked box."""
    ticked = _read(
        Paragraph("Attachments", heading=2),
        Table((_row("☒ Graded Care Profile (GCP2)", "☐ Chronology"),)),
    )
    assert ticked.fields["gcp_attached_claimed"].value is True
    unticked = _read(
        Paragraph("Attachments", heading=2),
        Table((_row("☐ Graded Care Profile (GCP2)", "☒ Chronology"),)),
    )
    assert unticked.fields["gcp_attached_claimed"].value is False
    asked = _read(Table((_row("Has a Graded Care Profile been completed?", "Yes"),)))
    assert asked.fields["gcp_attached_claimed"].value is True


def test_answers_in_their_own_cells() -> None:
    """GIVEN yes/no boxes in separate cells, and a concern list as "option | box" rows
    WHEN it is read
    THEN the ticked cell answers the question and the ticked rows are the concerns."""
    parsed = _read(
        Table((_row("Is the child at immediate risk?", "Yes ☐", "No ☒"),)),
        Paragraph("Categories of concern", heading=2),
        Table((_row("Neglect", "☒"), _row("Emotional abuse", "☐"), _row("Online harm", "☒"))),
    )
    assert parsed.fields["urgent"].value is False
    assert parsed.concerns == ("neglect", "online_harm")


def test_children_in_columns() -> None:
    """GIVEN a table with one column per child ("Child 1 | Child 2") and labels down the side
    WHEN it is read
    THEN each column is a child, in order."""
    parsed = _read(
        Table(
            (
                _row("", "Child 1", "Child 2"),
                _row("Surname", "Khan", "Khan"),
                _row("Forename(s)", "Zara", "Adam"),
                _row("Date of birth", "01/02/2015", "03/04/2018"),
            )
        )
    )
    assert [(c.forenames, c.surname, c.dob) for c in parsed.children] == [
        ("Zara", "Khan", "2015-02-01"),
        ("Adam", "Khan", "2018-04-03"),
    ]
