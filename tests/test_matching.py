"""intake.matching: is the child on a referral form the child on the call log?

Table-driven scenarios (every way one child's name is written that must match, and the
neighbouring children that must not), then properties checked with hypothesis. Every name
and postcode here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.matching import (
    FEMININE_ENDINGS,
    Match,
    Person,
    _name_lists,
    _tables,
    compare,
    fold,
    name_keys,
)

DOB = dt.date(2016, 5, 17)
OTHER_DOB = dt.date(2016, 5, 18)

#: Every value the evidence may hold, per key.
EVIDENCE_CODES = {
    "dob": {"equal", "missing"},
    "forenames": {"exact", "nickname", "short", "similar", "unborn"},
    "surname": {"exact", "part", "similar", "missing"},
    "order": {"straight", "swapped"},
    "postcode": {"equal", "different", "missing"},
    "referrer": {"same"},
}

PROPERTIES = settings(deadline=None, database=None, max_examples=200)


def child(
    forenames: str | None,
    surname: str | None,
    dob: dt.date | None = DOB,
    postcode: str | None = None,
) -> Person:
    return Person(forenames=forenames, surname=surname, dob=dob, postcode=postcode)


def both_ways(a: Person, b: Person, *, corroborated: bool = False) -> Match | None:
    """compare(a, b), after checking that compare(b, a) says the same."""
    forward = compare(a, b, corroborated=corroborated)
    backward = compare(b, a, corroborated=corroborated)
    assert (forward is None) == (backward is None)
    if forward is not None and backward is not None:
        assert forward.confidence == backward.confidence
    return forward


def assert_clean_evidence(match: Match, *people: Person) -> None:
    """Known codes only, JSON-able, and not one name token in it."""
    evidence = dict(match.evidence)
    assert json.loads(json.dumps(evidence)) == evidence
    for key, value in evidence.items():
        assert value in EVIDENCE_CODES[key], (key, value)
    words = set(json.dumps(evidence).replace('"', " ").replace(":", " ").split())
    for person in people:
        assert not (name_keys(person) & words), "a name leaked into the evidence"


# --- fold and name_keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        (None, ""),
        ("", ""),
        ("  Zoë  ", "zoe"),
        ("JOSÉ", "jose"),
        ("O'Brannagh", "obrannagh"),
        ("O’Brannagh", "obrannagh"),
        ("Pellow-Fennick", "pellow fennick"),
        ("St. Quillan,  Jr", "st quillan jr"),
        ("Áine\tMaeve", "aine maeve"),
        ("MARY-JANE", "mary jane"),
        ("Straße", "strasse"),
    ],
)
def test_fold(text: str | None, folded: str) -> None:
    """GIVEN a name as someone typed it WHEN folded THEN case, accents and punctuation go."""
    assert fold(text) == folded


def test_name_keys_are_single_folded_tokens_without_fillers() -> None:
    """GIVEN an unborn child with a double-barrelled surname
    WHEN its name keys are taken
    THEN they are the folded parts of the surname and the parts run together (and nothing of
    "Unborn baby of")."""
    assert name_keys(child("Unborn baby of", "Pellow-Fénnick")) == {
        "pellow",
        "fennick",
        "pellowfennick",
    }
    assert name_keys(child("Arthur", "O'Brannagh")) == {"arthur", "obrannagh"}
    assert name_keys(child("Unborn", "Da Costa")) == {"da", "costa", "dacosta"}
    assert name_keys(child(None, None)) == frozenset()


# --- the same child, written differently -----------------------------------------------------

# fmt: off
SAME_CHILD = [
    # id, a (forenames, surname), b (forenames, surname), forenames code, surname code, order
    ("identical", ("Jonah", "Ashdown"), ("Jonah", "Ashdown"), "exact", "exact", "straight"),
    ("case and space", ("  jonah ", "ASHDOWN"), ("Jonah", "Ashdown "), "exact", "exact",
     "straight"),
    ("accent", ("Zoë", "Pellow"), ("Zoe", "Pellow"), "exact", "exact", "straight"),
    ("accent upper", ("JOSÉ", "Quillan"), ("Jose", "quillan"), "exact", "exact", "straight"),
    ("apostrophe", ("Liam", "O'Brannagh"), ("Liam", "OBrannagh"), "exact", "exact", "straight"),
    ("curly apostrophe", ("Liam", "O’Brannagh"), ("Liam", "O Brannagh"), "exact", "exact",
     "straight"),
    ("hyphen vs space", ("Amy", "Pellow-Fennick"), ("Amy", "Pellow Fennick"), "exact", "exact",
     "straight"),
    ("double-barrelled part", ("Amy", "Pellow-Fennick"), ("Amy", "Fennick"), "exact", "part",
     "straight"),
    ("double-barrelled first part", ("Amy", "Pellow-Fennick"), ("amy", "PELLOW"), "exact", "part",
     "straight"),
    ("middle name one side", ("Arthur Theo", "Ashdown"), ("Arthur", "Ashdown"), "exact", "exact",
     "straight"),
    ("different middle names", ("Arthur Theo", "Ashdown"), ("Arthur James", "Ashdown"), "exact",
     "exact", "straight"),
    ("jon", ("Jon", "Ashdown"), ("Jonathan", "Ashdown"), "nickname", "exact", "straight"),
    ("kate", ("Kate", "Ashdown"), ("Katherine", "Ashdown"), "nickname", "exact", "straight"),
    ("alfie", ("Alfie", "Ashdown"), ("Alfred", "Ashdown"), "nickname", "exact", "straight"),
    ("ollie", ("Ollie", "Ashdown"), ("Oliver", "Ashdown"), "nickname", "exact", "straight"),
    ("freddie", ("Freddie", "Ashdown"), ("Frederick", "Ashdown"), "nickname", "exact", "straight"),
    ("harry", ("Harry", "Ashdown"), ("Henry", "Ashdown"), "nickname", "exact", "straight"),
    ("charlie f", ("Charlie", "Ashdown"), ("Charlotte", "Ashdown"), "nickname", "exact",
     "straight"),
    ("charlie m", ("Charlie", "Ashdown"), ("Charles", "Ashdown"), "nickname", "exact", "straight"),
    ("millie", ("Millie", "Ashdown"), ("Amelia", "Ashdown"), "nickname", "exact", "straight"),
    ("evie", ("Evie", "Ashdown"), ("Eve", "Ashdown"), "nickname", "exact", "straight"),
    ("lexi", ("Lexi", "Ashdown"), ("Alexis", "Ashdown"), "nickname", "exact", "straight"),
    ("izzy", ("Izzy", "Ashdown"), ("Isabella", "Ashdown"), "nickname", "exact", "straight"),
    ("maddie", ("Maddie", "Ashdown"), ("Madison", "Ashdown"), "nickname", "exact", "straight"),
    ("theo", ("Theo", "Ashdown"), ("Theodore", "Ashdown"), "nickname", "exact", "straight"),
    ("archie", ("Archie", "Ashdown"), ("Archibald", "Ashdown"), "nickname", "exact", "straight"),
    ("sam m", ("Sam", "Ashdown"), ("Samuel", "Ashdown"), "nickname", "exact", "straight"),
    ("sam f", ("Sam", "Ashdown"), ("Samantha", "Ashdown"), "nickname", "exact", "straight"),
    ("liz", ("Liz", "Ashdown"), ("Elizabeth", "Ashdown"), "nickname", "exact", "straight"),
    ("bill", ("Bill", "Ashdown"), ("William", "Ashdown"), "nickname", "exact", "straight"),
    ("peggy", ("Peggy", "Ashdown"), ("Margaret", "Ashdown"), "nickname", "exact", "straight"),
    ("two short forms", ("Katie", "Ashdown"), ("Kate", "Ashdown"), "nickname", "exact",
     "straight"),
    ("alex", ("Alex", "Ashdown"), ("Alexander", "Ashdown"), "nickname", "exact", "straight"),
    ("unlisted short form", ("Seraphina", "Ashdown"), ("Sera", "Ashdown"), "short", "exact",
     "straight"),
    ("jayden", ("Jayden", "Ashdown"), ("Jaden", "Ashdown"), "similar", "exact", "straight"),
    ("jaydon", ("Jaydon", "Ashdown"), ("Jayden", "Ashdown"), "similar", "exact", "straight"),
    ("mohammed", ("Mohammed", "Ashdown"), ("Muhammad", "Ashdown"), "similar", "exact",
     "straight"),
    ("mohamed", ("Mohamed", "Ashdown"), ("Mohammed", "Ashdown"), "similar", "exact", "straight"),
    ("leah", ("Leah", "Ashdown"), ("Lea", "Ashdown"), "similar", "exact", "straight"),
    ("kaitlyn", ("Kaitlyn", "Ashdown"), ("Caitlin", "Ashdown"), "similar", "exact", "straight"),
    ("surname typo", ("Jonah", "Smiht"), ("Jonah", "Smith"), "exact", "similar", "straight"),
    ("surname y for i", ("Jonah", "Smyth"), ("Jonah", "Smith"), "exact", "similar", "straight"),
    ("surname doubled letter", ("Jonah", "Pelow"), ("Jonah", "Pellow"), "exact", "similar",
     "straight"),
    ("swapped", ("Ashdown", "Jonah"), ("Jonah", "Ashdown"), "exact", "exact", "swapped"),
    ("swapped other side", ("Jonah", "Ashdown"), ("Ashdown", "Jonah"), "exact", "exact",
     "swapped"),
    ("swapped nickname", ("Ashdown", "Jon"), ("Jonathan", "Ashdown"), "nickname", "exact",
     "swapped"),
    ("swapped middle name", ("Ashdown", "Arthur Theo"), ("Arthur Theo", "Ashdown"), "exact",
     "exact", "swapped"),
    ("nickname and typo", ("Ollie", "Smiht"), ("Oliver", "Smith"), "nickname", "similar",
     "straight"),
]
# fmt: on

CONFIDENCE = {
    # (forenames, surname, order) -> confidence with no postcodes
    ("exact", "exact", "straight"): 1.0,
    ("exact", "part", "straight"): 0.9,
    ("nickname", "exact", "straight"): 0.9,
    ("short", "exact", "straight"): 0.9,
    ("similar", "exact", "straight"): 0.85,
    ("exact", "similar", "straight"): 0.85,
    ("exact", "exact", "swapped"): 0.9,
    ("nickname", "exact", "swapped"): 0.8,
    ("nickname", "similar", "straight"): 0.75,
}


@pytest.mark.parametrize(
    ("a", "b", "forenames", "surname", "order"),
    [pytest.param(*case[1:], id=case[0]) for case in SAME_CHILD],
)
def test_the_same_child_written_differently_matches(
    a: tuple[str, str], b: tuple[str, str], forenames: str, surname: str, order: str
) -> None:
    """GIVEN two records of one child, the name written two ways, the same date of birth
    WHEN compared (either way round)
    THEN they match, with evidence saying how the names agree, at the documented confidence."""
    first, second = child(*a), child(*b)
    match = both_ways(first, second)
    assert match is not None
    assert dict(match.evidence) == {
        "dob": "equal",
        "forenames": forenames,
        "surname": surname,
        "order": order,
        "postcode": "missing",
    }
    assert match.confidence == CONFIDENCE[(forenames, surname, order)]
    assert_clean_evidence(match, first, second)


@pytest.mark.parametrize("placeholder", ["Unborn", "Baby", "Unborn baby", "UNBORN BABY", "", None])
def test_unborn_placeholder_matches_the_named_baby(placeholder: str | None) -> None:
    """GIVEN a referral about an unborn baby (placeholder forename, the expected date of delivery)
    WHEN the call log later names the baby, same surname, born on that date
    THEN it is the same child (forenames: unborn)."""
    unborn = child(placeholder, "Quillan", dob=DOB)
    born = child("Ava Rose", "Quillan", dob=DOB)
    match = both_ways(unborn, born)
    assert match is not None
    assert match.evidence["forenames"] == "unborn"
    assert match.confidence == 0.9
    assert_clean_evidence(match, unborn, born)
    assert both_ways(unborn, child("Unborn", "Quillan")) is not None


def test_unborn_placeholder_still_needs_the_surname_and_date() -> None:
    """GIVEN an unborn placeholder
    WHEN the other record has another surname, or another date
    THEN no match."""
    unborn = child("Unborn baby", "Quillan")
    assert both_ways(unborn, child("Ava", "Fennick")) is None
    assert both_ways(unborn, child("Ava", "Quillan", dob=OTHER_DOB)) is None
    assert both_ways(unborn, child("Ava", "Quillan", dob=None), corroborated=True) is None


# --- different children -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Jonah", "Ashdown"), ("Jonah", "Ashdown")),
        (("Unborn", "Ashdown"), ("Unborn", "Ashdown")),
        (("Ashdown", "Jonah"), ("Jonah", "Ashdown")),
    ],
)
def test_different_dates_of_birth_are_different_children(
    a: tuple[str, str], b: tuple[str, str]
) -> None:
    """GIVEN identical names
    WHEN the dates of birth differ by a day
    THEN never a match, however much else agrees (postcode, referrer)."""
    first = child(*a, dob=DOB, postcode="ZZ1 1AA")
    second = child(*b, dob=OTHER_DOB, postcode="ZZ1 1AA")
    assert both_ways(first, second, corroborated=True) is None


TWINS = [
    ("Alexander", "Alexandra"),
    ("Oliver", "Olivia"),
    ("Charles", "Charlotte"),
    ("Daniel", "Daniella"),
    ("Daniel", "Danielle"),
    ("Louis", "Louise"),
    ("Louis", "Louisa"),
    ("Francis", "Frances"),
    ("George", "Georgia"),
    ("Paul", "Paula"),
    ("Eric", "Erica"),
    ("Joseph", "Josephine"),
    ("Antonio", "Antonia"),
    ("Theo", "Thea"),
    ("Eva", "Evan"),
    ("Jade", "Jaden"),
    ("Emma", "Emily"),
    ("Ella", "Ellie"),
    ("Max", "Maxine"),
    ("Samuel", "Samantha"),
    ("Harry", "Harriet"),
    ("Mila", "Milan"),
    ("Isla", "Ivy"),
    ("Noah", "Nora"),
    ("Ruby", "Rudy"),
    ("Jack", "Jacob"),
]


@pytest.mark.parametrize(("one", "other"), TWINS)
def test_twins_are_different_children(one: str, other: str) -> None:
    """GIVEN twins: same surname, same date of birth, same postcode, look-alike forenames
    WHEN compared
    THEN no match (the forename is all that tells twins apart)."""
    first = child(one, "Fennick", postcode="ZZ9 9ZZ")
    second = child(other, "Fennick", postcode="ZZ9 9ZZ")
    assert both_ways(first, second) is None


@pytest.mark.parametrize(
    ("one", "other"), [("Amelia", "Oscar"), ("Tomasz", "Zofia"), ("Ivy", "Ruby")]
)
def test_sibling_born_the_same_day_is_a_different_child(one: str, other: str) -> None:
    """GIVEN two children with the same surname and date of birth
    WHEN their forenames are unrelated
    THEN no match, neither straight nor swapped."""
    assert both_ways(child(one, "Pellow-Fennick"), child(other, "Pellow Fennick")) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Jonah", "Ashdown"), ("Priya", "Quillan")),
        (("Jonah", "Ashdown"), ("Jonah", "Quillan")),
        (("Jonah", "Ashdown"), ("Ashdown", "Priya")),
        (("Jonah", "Fennick"), ("Jonah", "Fenwick-Brae")),
    ],
)
def test_unrelated_names_with_the_same_date_of_birth(
    a: tuple[str, str], b: tuple[str, str]
) -> None:
    """GIVEN two children born the same day
    WHEN their surnames (or all their names) are unrelated
    THEN no match."""
    assert both_ways(child(*a), child(*b)) is None


# --- missing dates of birth ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Jonah", "Ashdown"), ("Jonah", "Ashdown")),
        (("Jon", "Ashdown"), ("Jonathan", "Ashdown")),
        (("Alex", "Ashdown"), ("Alexander", "Ashdown")),
        (("Ashdown", "Jonah"), ("Jonah", "Ashdown")),
        (("Amy", "Pellow-Fennick"), ("Amy", "Fennick")),
        (("Amy", "Da Costa"), ("Amy", "DaCosta")),
    ],
)
@pytest.mark.parametrize("missing", ["one", "both"])
def test_missing_dob_matches_a_strong_name_only_when_corroborated(
    a: tuple[str, str], b: tuple[str, str], missing: str
) -> None:
    """GIVEN a strong name agreement and a date of birth missing on one or both sides
    WHEN nothing corroborates it THEN no match;
    WHEN the same referrer made both, or both postcodes are equal THEN a match, at most 0.7."""
    first = child(*a, dob=None)
    second = child(*b, dob=None if missing == "both" else DOB)
    assert both_ways(first, second) is None
    assert both_ways(first, second, corroborated=False) is None

    by_referrer = both_ways(first, second, corroborated=True)
    assert by_referrer is not None
    assert name_keys(first) & name_keys(second)  # how the store finds the candidate
    assert by_referrer.evidence["dob"] == "missing"
    assert by_referrer.evidence["referrer"] == "same"
    assert 0.4 <= by_referrer.confidence <= 0.7
    assert_clean_evidence(by_referrer, first, second)

    first, second = (
        child(*a, dob=first.dob, postcode="zz1 1aa"),
        child(*b, dob=second.dob, postcode="ZZ11AA"),
    )
    by_postcode = both_ways(first, second)
    assert by_postcode is not None
    assert by_postcode.evidence["postcode"] == "equal"
    assert "referrer" not in by_postcode.evidence
    assert 0.4 <= by_postcode.confidence <= 0.7
    assert both_ways(first, second, corroborated=True) is not None


def test_missing_dob_exact_names_confidence() -> None:
    """GIVEN exact names, no dates, the same referrer WHEN compared THEN confidence 0.7."""
    match = both_ways(
        child("Jonah", "Ashdown", None), child("Jonah", "Ashdown", None), corroborated=True
    )
    assert match is not None
    assert match.confidence == 0.7


@pytest.mark.parametrize(
    ("a", "b", "with_dob"),
    [
        (("Jaydon", "Ashdown"), ("Jayden", "Ashdown"), True),
        (("Mohammed", "Ashdown"), ("Muhammad", "Ashdown"), True),
        (("Leah", "Ashdown"), ("Lea", "Ashdown"), True),
        (("Jonah", "Smiht"), ("Jonah", "Smith"), True),
        (("Unborn", "Ashdown"), ("Jonah", "Ashdown"), True),
        (("Jonah", "Ashdown"), ("Priya", "Ashdown"), False),
    ],
)
def test_missing_dob_with_a_slip_never_matches(
    a: tuple[str, str], b: tuple[str, str], with_dob: bool
) -> None:
    """GIVEN a missing date of birth and a name that agrees only by a slip, a placeholder,
    or not at all
    WHEN compared, even with the same referrer and the same postcode
    THEN no match (though the slips do match when both dates are known and equal)."""
    first = child(*a, dob=None, postcode="ZZ1 1AA")
    second = child(*b, dob=DOB, postcode="ZZ1 1AA")
    assert both_ways(first, second, corroborated=True) is None
    assert (both_ways(child(*a), child(*b)) is not None) == with_dob


# --- missing names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nameless",
    [child(None, None), child("", "  "), child("Unborn baby", None), child("-", "'")],
)
def test_a_person_without_names_matches_nothing(nameless: Person) -> None:
    """GIVEN a record with no surname and no forename
    WHEN compared with anyone, itself included
    THEN no match."""
    assert both_ways(nameless, nameless, corroborated=True) is None
    assert both_ways(nameless, child("Jonah", "Ashdown"), corroborated=True) is None


def test_missing_surname_needs_date_forename_and_postcode() -> None:
    """GIVEN a record without a surname
    WHEN the date of birth, the first forename exactly and the postcode agree THEN a weak match;
    WHEN any of them does not THEN no match."""
    bare = child("Jonah", None, postcode="ZZ1 1AA")
    full = child("Jonah", "Ashdown", postcode="zz11aa")
    match = both_ways(bare, full)
    assert match is not None
    assert match.confidence == 0.6
    assert match.evidence["surname"] == "missing"
    assert_clean_evidence(match, bare, full)
    assert both_ways(bare, bare) is not None
    assert both_ways(bare, child("Jonah", "Ashdown")) is None
    assert both_ways(bare, child("Jonah", "Ashdown", postcode="ZZ2 2BB")) is None
    assert both_ways(bare, child("Jon", "Ashdown", postcode="ZZ1 1AA")) is None
    assert both_ways(bare, child("Jonah", "Ashdown", OTHER_DOB, "ZZ1 1AA")) is None
    assert both_ways(child("Jonah", None, None, "ZZ1 1AA"), full, corroborated=True) is None


# --- postcodes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "code", "confidence"),
    [
        ("ZZ1 1AA", "zz11aa", "equal", 0.95),
        (" zz1  1aa ", "ZZ1 1AA", "equal", 0.95),
        ("ZZ1 1AA", "ZZ2 2BB", "different", 0.85),
        ("ZZ1 1AA", None, "missing", 0.9),
        ("", "ZZ1 1AA", "missing", 0.9),
    ],
)
def test_postcode_nudges_the_confidence(
    a: str | None, b: str | None, code: str, confidence: float
) -> None:
    """GIVEN a nickname match on an equal date of birth
    WHEN the postcodes are equal (spacing and case aside) / different / unknown
    THEN +0.05 / -0.05 (not a veto) / unchanged."""
    match = both_ways(child("Jon", "Ashdown", postcode=a), child("Jonathan", "Ashdown", postcode=b))
    assert match is not None
    assert match.evidence["postcode"] == code
    assert match.confidence == confidence


def test_postcode_bonus_is_capped() -> None:
    """GIVEN an exact match and equal postcodes WHEN compared THEN confidence stays 1.0."""
    match = both_ways(child("Jonah", "Ashdown", postcode="ZZ1 1AA"), child("jonah", "ashdown"))
    assert match is not None
    assert match.confidence == 1.0
    exact = both_ways(
        child("Jonah", "Ashdown", postcode="ZZ1 1AA"), child("jonah", "ashdown", postcode="ZZ11AA")
    )
    assert exact is not None
    assert exact.confidence == 1.0


# --- the tables ---------------------------------------------------------------------------------


def test_tables_load_and_every_distinct_pair_stays_apart() -> None:
    """GIVEN the UK supplement WHEN loaded THEN it has groups, variants and look-alike pairs,
    and no look-alike pair is ever taken for one child."""
    tables = _tables()
    assert 40 <= len({hub for hubs in tables.hubs.values() for hub in hubs}) <= 120
    assert tables.variant_group
    for pair in tables.distinct:
        one, other = sorted(pair)
        assert both_ways(child(one, "Fennick"), child(other, "Fennick")) is None


def test_every_variant_pair_matches() -> None:
    """GIVEN each spelling-variant group WHEN two of its names are compared THEN a match."""
    groups: dict[int, list[str]] = {}
    for name, index in _tables().variant_group.items():
        groups.setdefault(index, []).append(name)
    for names in groups.values():
        for other in names[1:]:
            assert both_ways(child(names[0], "Fennick"), child(other, "Fennick")) is not None


@pytest.mark.parametrize(
    "data",
    [
        {"groups": "alfie"},
        {"groups": [[]]},
        {"groups": [["alfie", 3]]},
        {"groups": [["mary jane", "mj"]]},
    ],
)
def test_malformed_tables_are_refused(data: dict[str, object]) -> None:
    """GIVEN a malformed table WHEN read THEN ValueError (the file name, no data)."""
    with pytest.raises(ValueError, match=r"nicknames_uk\.toml"):
        _name_lists(data, "groups")


def test_feminine_endings_are_plain_suffixes() -> None:
    assert all(ending.isalpha() and ending.islower() for ending in FEMININE_ENDINGS)


def test_values_are_frozen_and_hashable() -> None:
    """GIVEN a person and a match WHEN hashed or changed THEN hashable and immutable."""
    person = child("Jonah", "Ashdown")
    match = compare(person, person)
    assert match is not None
    assert hash(person) == hash(child("Jonah", "Ashdown"))
    assert isinstance(hash(match), int)
    with pytest.raises(AttributeError):
        person.surname = "Quillan"  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------------

FORENAMES = [
    "Jonah", "Jon", "Jonathan", "Kate", "Katherine", "Katie", "Alfie", "Alfred", "Ollie",
    "Oliver", "Olivia", "Freddie", "Frederick", "Harry", "Henry", "Harriet", "Charlie",
    "Charlotte", "Charles", "Millie", "Amelia", "Evie", "Eve", "Eva", "Evan", "Lexi", "Alexis",
    "Alex", "Alexander", "Alexandra", "Izzy", "Isabella", "Maddie", "Madison", "Theo", "Thea",
    "Theodore", "Archie", "Sam", "Samuel", "Samantha", "Liz", "Elizabeth", "Bill", "William",
    "Peggy", "Margaret", "Jayden", "Jaden", "Jaydon", "Mohammed", "Muhammad", "Leah", "Lea",
    "Kaitlyn", "Caitlin", "Zoë", "José", "Priya", "Tomasz", "Aoife", "Arthur Theo", "Mary-Jane",
    "Ivy", "Ruby", "Noah",
]  # fmt: skip
SURNAMES = [
    "Ashdown", "Pellow", "Pellow-Fennick", "Fennick", "O'Brannagh", "Quillan", "Smith", "Smiht",
    "Smyth", "Brae", "Okonkwo-Ashdown", "Nguyen", "Da Costa", "DaCosta", "Zieliński",
]  # fmt: skip
PLACEHOLDERS = ["Unborn", "Baby", "Unborn baby", ""]
DATES = [DOB, OTHER_DOB, dt.date(2024, 1, 31)]
POSTCODES = ["ZZ1 1AA", "zz11aa", "ZZ9 9ZZ"]

names = st.sampled_from(FORENAMES)
surnames = st.sampled_from(SURNAMES)
people = st.builds(
    Person,
    forenames=st.one_of(names, names, names, st.sampled_from(PLACEHOLDERS), st.none()),
    surname=st.one_of(surnames, surnames, surnames, surnames, st.none()),
    dob=st.one_of(st.sampled_from(DATES), st.sampled_from(DATES), st.none()),
    postcode=st.one_of(st.sampled_from(POSTCODES), st.none()),
)
ACCENTS = ["\u0301", "\u0300", "\u0302", "\u0308", "\u0303"]


@st.composite
def restyled(draw: st.DrawFn, text: str | None, *, accents: bool = True) -> str | None:
    """``text`` with its letters' case changed and (names) accents added here and there."""
    if text is None:
        return None
    out = []
    for char in text:
        if char.isalpha():
            char = char.upper() if draw(st.booleans()) else char.lower()
            if accents and draw(st.integers(0, 3)) == 0:
                char += draw(st.sampled_from(ACCENTS))
        out.append(char)
    joined = "".join(out)
    return unicodedata.normalize("NFC" if draw(st.booleans()) else "NFD", joined)


@st.composite
def twin_pairs(draw: st.DrawFn) -> tuple[Person, Person]:
    """Two people, the second often a variant of the first (so that many pairs match)."""
    a = draw(people)
    if draw(st.booleans()):
        return a, draw(people)
    forenames = draw(st.one_of(st.just(a.forenames), names))
    surname = draw(st.one_of(st.just(a.surname), surnames))
    if draw(st.booleans()):
        forenames, surname = surname, forenames
    dob = draw(st.one_of(st.just(a.dob), st.none()))
    postcode = draw(st.one_of(st.just(a.postcode), st.sampled_from(POSTCODES), st.none()))
    return a, Person(forenames, surname, dob, postcode)


@PROPERTIES
@given(pair=twin_pairs(), corroborated=st.booleans())
def test_compare_is_symmetric_and_bounded(pair: tuple[Person, Person], corroborated: bool) -> None:
    """Same decision and confidence both ways round, within [0, 1], clean evidence; a match
    without a date of birth is at most 0.7 and findable by name key."""
    a, b = pair
    forward = compare(a, b, corroborated=corroborated)
    backward = compare(b, a, corroborated=corroborated)
    assert (forward is None) == (backward is None)
    if forward is not None and backward is not None:
        assert forward.confidence == backward.confidence
        assert 0.0 <= forward.confidence <= 1.0
        assert_clean_evidence(forward, a, b)
        if forward.evidence["dob"] == "missing":
            assert forward.confidence <= 0.7
            # The store finds candidates by name key when a date is missing.
            assert name_keys(a) & name_keys(b)


@PROPERTIES
@given(
    forenames=names,
    surname=surnames,
    dob=st.sampled_from(DATES),
    postcode=st.one_of(st.sampled_from(POSTCODES), st.none()),
)
def test_a_child_with_a_dob_matches_itself_fully(
    forenames: str, surname: str, dob: dt.date, postcode: str | None
) -> None:
    """Any realistic child with a date of birth is fully (1.0) itself."""
    person = Person(forenames, surname, dob, postcode)
    match = compare(person, Person(forenames, surname, dob, postcode))
    assert match is not None
    assert match.confidence == 1.0


@PROPERTIES
@given(pair=twin_pairs(), days=st.integers(1, 9000), earlier=st.booleans())
def test_another_date_of_birth_never_matches(
    pair: tuple[Person, Person], days: int, earlier: bool
) -> None:
    """Dates of birth a day or more apart: never a match, whatever else agrees."""
    a, b = pair
    base = a.dob or DOB
    shifted = base - dt.timedelta(days=days) if earlier else base + dt.timedelta(days=days)
    a = Person(a.forenames, a.surname, base, a.postcode)
    b = Person(b.forenames, b.surname, shifted, b.postcode)
    assert compare(a, b, corroborated=True) is None
    assert compare(b, a) is None


@PROPERTIES
@given(data=st.data(), pair=twin_pairs(), corroborated=st.booleans())
def test_case_and_accents_never_change_the_outcome(
    data: st.DataObject, pair: tuple[Person, Person], corroborated: bool
) -> None:
    """Upper/lower case and accents on names (case on postcodes) change nothing."""
    a, b = pair
    styled = Person(
        data.draw(restyled(a.forenames)),
        data.draw(restyled(a.surname)),
        a.dob,
        data.draw(restyled(a.postcode, accents=False)),
    )
    plain = compare(a, b, corroborated=corroborated)
    fancy = compare(styled, b, corroborated=corroborated)
    if plain is None or fancy is None:
        assert plain is fancy is None
    else:
        assert fancy == plain


def test_a_forename_nobody_knew_matches_on_surname_and_dob() -> None:
    """GIVEN a call logged as "Unknown Wilder", born 2019-03-04, and a form naming Ruby Wilder,
    born the same day WHEN compared THEN they match; with a different date of birth they do
    not."""
    call = Person("Unknown", "Wilder", dt.date(2019, 3, 4))
    assert compare(call, Person("Ruby", "Wilder", dt.date(2019, 3, 4))) is not None
    assert compare(call, Person("Ruby", "Wilder", dt.date(2019, 3, 5))) is None
