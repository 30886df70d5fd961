"""``re-referral``: the same child referred again within ``rules.re_referral_days`` (info).

A referral about a child already referred on an earlier day within the period (default six
months). The same form sent twice or forwarded is a copy, not a re-referral; neither is a second
form the same day.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check
from intake.checks.common import message_ref


def run(case: Case) -> Finding:
    form, mail = case.form, case.mail
    assert form is not None and mail is not None
    if case.copy_of:
        return skip(f"a copy of {case.copy_of}")
    settings = case.settings
    zone = settings.calendar.zone
    day = mail.received_at.astimezone(zone).date()
    window = settings.re_referral_days
    earlier = sorted(
        (
            link
            for link in case.related_mail
            if link.form is not None
            and link.form.sha256 != form.sha256
            and link.at < mail.received_at
            and 0 < (day - link.at.astimezone(zone).date()).days <= window
        ),
        key=lambda link: link.at,
        reverse=True,
    )
    if not earlier:
        return miss()
    last = earlier[0]
    days = (day - last.at.astimezone(zone).date()).days
    return hit(
        f"referred before {days} days ago ({message_ref(last)}, "
        f"{last.at.astimezone(zone):%d %b %Y}); {len(earlier)} earlier referral(s) "
        f"in {window} days",
        links=(last,),
    )


CHECK = Check(
    code="re-referral",
    severity="info",
    applies_to="form",
    description="the same child referred again within the re-referral period (default 6 months)",
    run=run,
)
