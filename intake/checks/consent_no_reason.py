"""``consent-no-reason``: consent or parental awareness is "no" and the form gives no reason.

Referrals made without the family's knowledge or consent are sometimes right (telling them
could put the child at greater risk), but the form must say why; inspectors find partners do
not always seek consent, leaving the front door to chase it.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check


def run(case: Case) -> Finding:
    form = case.form
    assert form is not None
    if case.copy_of:
        return skip(f"a copy of {case.copy_of}")
    refused = [
        label
        for name, label in (("consent", "consent"), ("parents_aware", "parents aware"))
        if form.text(name).lower() == "no"
    ]
    if not refused:
        return skip("consent and awareness not refused")
    if form.text("consent_refused_reason"):
        return miss("reason given")
    return hit(f"{' and '.join(refused)}: no; no reason given")


CHECK = Check(
    code="consent-no-reason",
    severity="exception",
    applies_to="form",
    description='consent or parental awareness "no" with no reason given',
    run=run,
)
