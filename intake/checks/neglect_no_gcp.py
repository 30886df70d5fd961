"""``neglect-no-gcp``: a neglect referral must come with the Graded Care Profile.

The front door asks referrers reporting neglect to attach the GCP. It counts when it is
attached to the referral, or arrives in another email about the same child by the end of the
referral's working day (the close of that day, or of the next working day for a referral
received after closing or on a day the front door is shut). A GCP sent shortly before the
referral (within ``gcp_lookback_days``) counts too. A neglect box ticked for a past concern, on
a form whose narrative says plainly that neglect is not a concern now, is not a neglect
referral. The detail says when the form claims a GCP is attached and none came, and when an
attachment that might be the GCP could not be read.
"""

from __future__ import annotations

import datetime as dt
import re

from intake.cases import Case, Finding, miss, skip
from intake.checks import Check
from intake.checks.common import awaited, reason_of, unreadable_documents, when

#: The referrer writing plainly that neglect is not a (current) concern.
_DENIED = re.compile(
    r"\bno\s+(?:current\s+|present\s+|known\s+)?concerns?\s+(?:about|regarding|re|of|for|around)"
    r"\s+(?:\w+\s+){0,2}neglect\b|\bneglect\s+is\s+(?:not|no\s+longer)\s+(?:a\s+)?"
    r"(?:current\s+)?concern",
    re.IGNORECASE,
)


def run(case: Case) -> Finding:
    form, mail = case.form, case.mail
    assert form is not None and mail is not None
    if case.copy_of:
        return skip(f"a copy of {case.copy_of}")
    if "neglect" not in form.concerns:
        return skip("no neglect concern")
    if _DENIED.search(form.text("concern_narrative")):
        # A box ticked for a past concern, with the referrer writing that neglect is not one now.
        return skip("the narrative says neglect is not a concern")
    if mail.has("gcp"):
        return miss("Graded Care Profile attached")
    settings = case.settings
    due = settings.calendar.end_of_working_day(mail.received_at)
    earliest = mail.received_at - dt.timedelta(days=settings.gcp_lookback_days)
    sent = sorted(
        (
            link
            for link in case.related_mail
            if link.mail is not None and link.mail.has("gcp") and link.at >= earliest
        ),
        key=lambda link: link.at,
    )
    detail = f"neglect concern; no Graded Care Profile attached or received by {when(due, case)}"
    if form.value("gcp_attached_claimed") is True:
        detail += "; the form says one is attached"
    unread = unreadable_documents(mail.attachments)
    if unread:
        detail += "; " + "; ".join(
            f"attachment {a.ordinal} could not be read ({reason_of(a)}) and might be the GCP"
            for a in unread
        )
    return awaited(
        case,
        sent,
        due,
        what="Graded Care Profile",
        waiting="waiting for a Graded Care Profile until the end of the working day",
        missing=detail,
    )


CHECK = Check(
    code="neglect-no-gcp",
    severity="exception",
    applies_to="form",
    description="neglect referral with no Graded Care Profile by the end of its working day",
    run=run,
)
