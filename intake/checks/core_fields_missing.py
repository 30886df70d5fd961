"""``core-fields-missing``: the referral lacks what the front door needs to act on it.

Core: the child's name, date of birth (or expected date of delivery), and address; a way to
reach the referrer (a phone number or an email address on the form). The detail names the
missing fields, never values.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check


def run(case: Case) -> Finding:
    form = case.form
    assert form is not None
    if case.copy_of:
        return skip(f"a copy of {case.copy_of}")
    missing: list[str] = []
    children = form.children
    if not children or not any(c.surname and c.forenames for c in children):
        missing.append("child's name")
    if not children or children[0].dob is None:
        missing.append("date of birth or EDD")
    for number, child in enumerate(children[1:], start=2):
        if child.dob is None:
            missing.append(f"child {number}'s date of birth")
    has_address = form.text("child_address") or form.text("child_postcode")
    if not has_address and not any(child.postcode for child in children):
        missing.append("address")
    if not (form.text("referrer_phone") or form.text("referrer_email")):
        missing.append("referrer's phone or email")
    if missing:
        return hit("missing: " + ", ".join(missing))
    return miss()


CHECK = Check(
    code="core-fields-missing",
    severity="exception",
    applies_to="form",
    description="child's name, DOB/EDD or address, or the referrer's phone or email missing",
    run=run,
)
