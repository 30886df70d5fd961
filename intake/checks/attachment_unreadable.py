"""``attachment-unreadable``: a document attached to a message could not be read.

Password-protected, corrupt, image-only scans, unsupported or too large: a person has to open
it. Inline images and small pictures (signature logos) do not count.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss
from intake.checks import Check
from intake.checks.common import reason_of, unreadable_documents


def run(case: Case) -> Finding:
    mail = case.mail
    assert mail is not None
    unread = unreadable_documents(mail.attachments)
    if not unread:
        return miss()
    return hit(
        "; ".join(f"attachment {a.ordinal} could not be read: {reason_of(a)}" for a in unread)
    )


CHECK = Check(
    code="attachment-unreadable",
    severity="exception",
    applies_to="mail",
    description="an attached document could not be read (encrypted, corrupt, scanned, too big)",
    run=run,
)
