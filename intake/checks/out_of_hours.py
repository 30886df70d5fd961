"""``out-of-hours``: a referral received outside working hours (info).

Its working-day clock starts at the next opening; out of hours, urgent matters go to the
Emergency Duty Team, so the team may want to check it was not missed there.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check
from intake.checks.common import when


def run(case: Case) -> Finding:
    mail = case.mail
    assert mail is not None
    if not mail.forms:
        return skip("no referral form")
    calendar = case.settings.calendar
    if calendar.is_open(mail.received_at):
        return miss()
    day = calendar.working_day_of(mail.received_at)
    opening = calendar.opening(day)
    starts = f"; its working day starts {when(opening, case)}" if opening else ""
    return hit(f"received {when(mail.received_at, case)}, outside working hours{starts}")


CHECK = Check(
    code="out-of-hours",
    severity="info",
    applies_to="mail",
    description="a referral received outside working hours",
    run=run,
)
