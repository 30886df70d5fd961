"""Mailbox rules in the pipeline, through `intake import` of synthetic mail, on SQLite and
PostgreSQL: ignored mail raises nothing, a duty worker's call email becomes a logged call that
the phone check then judges, and a call email without a valid call fails saying which fields."""

from __future__ import annotations

import dataclasses
import random
from email.policy import SMTP
from pathlib import Path

import pytest

from intake import service
from intake.mailrules import Condition, Rule
from intake.store.ledger import Store
from intake.synthetic import SyntheticEmail, compose
from intake.synthetic.people import Referrer
from tests.test_rulebook import (
    ELLIS,
    MON,
    PHONE,
    FrontDoor,
    days,
    on,
    referral,
    referral_email,
    wall,
)

DUTY = Referrer(
    "Helen Marsh",
    "Duty Social Worker",
    "Southend Children's Services",
    "01632 960500",
    "helen.marsh@duty.southend.example.gov.uk",
)
CALL_RULE = Rule(
    "duty call emails",
    (
        Condition("sender_domain", "equals", "southend.example.gov.uk"),
        Condition("subject", "regex", r"^phone (call|referral)\b"),
    ),
    action="call",
)


@pytest.fixture
def door(store: Store, database_url: str, tmp_path: Path) -> FrontDoor:
    return FrontDoor(store, database_url, tmp_path)


def call_email(body: str, sent_hour: int, seed: str) -> SyntheticEmail:
    message, delivered = compose(
        random.Random(seed),
        sender=DUTY,
        sent=wall(on(MON, sent_hour)),
        subject="Phone referral taken",
        body=body,
    )
    raw = message.as_bytes(policy=SMTP)
    return SyntheticEmail("test", raw, str(message["Message-ID"]), delivered, None)


def call_body(kid_forenames: str, kid_surname: str, dob: str, hour: int) -> str:
    return (
        "Logged from the duty phone.\n\n"
        f"Called at: {MON.isoformat()} {hour:02d}:00\n"
        "Caller: Bronwen Tallis\n"
        "Agency: Seaview Primary School\n"
        f"Child's forenames: {kid_forenames}\n"
        f"Child's surname: {kid_surname}\n"
        f"DOB: {dob}\n"
        "Urgent?: yes\n"
        "Taken by: Helen Marsh\n"
    )


def routes(store: Store) -> dict[int, tuple[str | None, str | None, str]]:
    return {m.id: (m.route, m.route_rule, m.status) for m in store.rules.recent(100)}


def test_call_emails_become_calls_the_phone_check_judges(door: FrontDoor) -> None:
    """GIVEN a rule routing the duty team's "Phone referral" emails as calls
    WHEN two such emails arrive on Monday (urgent calls about Ellis at 10:00 and Maisie at
    10:30) and Ellis's written Request for Service arrives at 14:00, and the checks run on
    Tuesday THEN both calls are recorded from the emails (source mail, linked to their
    message), the call emails themselves raise nothing, and only Maisie's call is an open
    phone-no-same-day-email exception."""
    door.store.rules.add(CALL_RULE, actor="test")
    ellis = call_email(call_body("Ellis", "Marchbank", "14/06/2018", 10), 10, "call-ellis")
    maisie = call_email(call_body("Maisie", "Thorncliffe", "2020-02-09", 10), 11, "call-maisie")
    maisie = dataclasses.replace(maisie, raw=maisie.raw.replace(b"10:00", b"10:30"))
    door.receive(ellis, maisie)
    ref = referral(ELLIS, on(MON, 13, 30), concerns=("physical_abuse",))
    door.receive(referral_email(ref, on(MON, 14), gcp=True))
    calls = door.store.cases.calls()
    assert [(c.child_forenames, c.source, c.urgent) for c in calls] == [
        ("Ellis", "mail", True),
        ("Maisie", "mail", True),
    ]
    assert [c.message_pk for c in calls] == [1, 2]
    assert routes(door.store)[1] == ("call", "duty call emails", "checked")
    assert routes(door.store)[3] == ("referral", None, "checked")
    door.check(on(MON + days(1), 9))
    found = door.one(PHONE)
    assert (found.child_forenames, found.call_id, found.status) == ("Maisie", calls[1].id, "open")
    assert len(door.exceptions()) == 1  # the call emails raised nothing of their own


def test_an_ignore_rule_stores_the_mail_and_raises_nothing(door: FrontDoor) -> None:
    """GIVEN a neglect referral without a Graded Care Profile (which raises neglect-no-gcp) and
    a rule ignoring mail from its school WHEN it arrives and the checks run the next day
    THEN it is in the ledger, checked, routed ignore by that rule, and nothing is raised."""
    ref = referral(ELLIS, on(MON, 9))
    domain = ref.referrer.email.rpartition("@")[2]
    door.store.rules.add(
        Rule("school test mail", (Condition("sender_domain", "equals", domain),), "ignore"),
        actor="test",
    )
    door.receive(referral_email(ref, on(MON, 10)))
    door.check(on(MON + days(2), 9))
    assert routes(door.store) == {1: ("ignore", "school test mail", "checked")}
    assert door.exceptions() == []


def test_a_call_email_without_a_valid_call_fails_naming_the_fields(door: FrontDoor) -> None:
    """GIVEN the call rule WHEN a duty email arrives without the child's surname and with an
    urgency of "maybe" THEN the message is failed with a one-line reason naming those fields
    (not their values) and no call is recorded; once the rule is disabled, `intake reprocess`
    reads it again as a referral."""
    door.store.rules.add(CALL_RULE, actor="test")
    body = call_body("Ellis", "", "14/06/2018", 10).replace("Urgent?: yes", "Urgent?: maybe")
    bad = call_email(body, 10, "bad-call")
    door.folder.joinpath("bad.eml").write_bytes(bad.raw)
    result = service.import_paths(door.settings, door.store, [door.folder / "bad.eml"])
    assert result.failed == 1
    (entry,) = door.store.ledger()
    assert entry.status == "failed" and entry.error is not None
    assert "missing child_surname" in entry.error and "unreadable urgent" in entry.error
    assert "maybe" not in entry.error and "Ellis" not in entry.error
    assert door.store.cases.calls() == []
    door.store.rules.update(
        CALL_RULE.name, dataclasses.replace(CALL_RULE, enabled=False), actor="test"
    )
    counts = service.reprocess_messages(door.settings, door.store, [entry.id], failed=False)
    assert counts == {"checked": 1}
    assert routes(door.store)[entry.id] == ("referral", None, "checked")
