"""``insecure-sender``: an email about a child from an address outside the secure domains
(info).

Referrals should come from secure addresses (``rules.secure_domains``: gov.uk, nhs.net,
police.uk, sch.uk and the like, each with its subdomains), not personal webmail.
"""

from __future__ import annotations

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check


def secure(domain: str, allowed: tuple[str, ...]) -> bool:
    domain = domain.lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def run(case: Case) -> Finding:
    mail = case.mail
    assert mail is not None
    if not mail.sender or "@" not in mail.sender:
        return skip("no sender address")
    if not mail.forms and not (mail.kinds() - {"other"}):
        return skip("carries no referral or tool")
    domain = mail.sender_domain
    if secure(domain, case.settings.secure_domains):
        return miss()
    return hit(f"sent from {domain}, which is not a secure domain")


CHECK = Check(
    code="insecure-sender",
    severity="info",
    applies_to="mail",
    description="an email carrying a referral or tool from outside the secure domains",
    run=run,
)
