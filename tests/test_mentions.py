"""What a follow-up email mentions: folded name words, dates and postcodes, bounded."""

from __future__ import annotations

import datetime as dt

from intake.mentions import MAX_WORDS, Mentions, extract


def test_a_follow_up_gives_the_childs_name_dob_and_postcode() -> None:
    """GIVEN a follow-up naming the child, her date of birth and postcode in several styles
    WHEN reduced THEN the name words, every date and the postcode are found, and common words
    (greetings, Graded Care Profile) are not taken for names."""
    found = extract(
        [
            "RE: Referral - Zoë Fairbank-Hale",
            "Dear Team,\nPlease find the GCP for Zoë (DOB 04/03/2019, also 2019-03-04, "
            "4th March 2019), SS1 2AB.\nKind regards",
            "GCP Fairbank.docx",
        ]
    )
    assert {"zoe", "fairbank", "hale"} <= found.words
    assert not {"dear", "please", "gcp", "kind", "regards", "re"} & found.words
    assert found.dates == {dt.date(2019, 3, 4)}
    assert found.postcodes == {"SS12AB"}


def test_round_trip_and_bad_stored_text() -> None:
    found = extract(["Jay Smith born 01/02/2018 SS0 7AA"])
    assert Mentions.from_json(found.to_json()) == found
    assert Mentions.from_json("not json") == Mentions()
    assert Mentions.from_json(None) == Mentions()


def test_hostile_mail_is_bounded() -> None:
    many = " ".join("Name" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(5000))
    assert len(extract([many]).words) == MAX_WORDS
    assert extract(["31/02/2019 and 99/99/9999"]).dates == frozenset()
