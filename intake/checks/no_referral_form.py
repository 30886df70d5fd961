"""``no-referral-form``: an email with no readable referral form, about no earlier referral
(info).

Emails carrying a GCP or tool for a referral already sent, replies in a referral's thread and
follow-ups naming a child already referred are linked to that referral and raise nothing. One
that carries an unreadable document is already an ``attachment-unreadable`` exception.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check
from intake.checks.common import message_ref, unreadable_documents


def run(case: Case) -> Finding:
    mail = case.mail
    assert mail is not None
    if mail.forms:
        return skip("carries a referral form")
    if unreadable_documents(mail.attachments):
        return skip("carries an unreadable document")
    earlier = [
        link for link in case.related_mail if link.form is not None and link.at <= mail.received_at
    ]
    if earlier:
        return miss(f"about the referral in {message_ref(earlier[0])}", links=(earlier[0],))
    kinds = sorted(k for k in mail.kinds() if k != "other")
    carried = f" (carries: {', '.join(kinds)})" if kinds else ""
    return hit(f"no referral form, and matches no earlier referral{carried}")


CHECK = Check(
    code="no-referral-form",
    severity="info",
    applies_to="mail",
    description="an email with no readable referral form that matches no earlier referral",
    run=run,
)
