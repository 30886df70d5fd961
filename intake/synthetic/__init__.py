"""Synthetic referral data for ``intake demo``, the tests and the benchmarks.

Everything this package produces is fictional. No real person's data is used or derived: names
come from short built-in lists of common first names and surnames, streets are invented,
postcodes only have the shape of Southend ones, telephone numbers are in Ofcom's drama ranges
(01632 960xxx, 07700 900xxx) and email addresses use ``example`` domains. Every generated
document says so in its footer. The same seed always gives the same bytes.
"""

from __future__ import annotations

from intake.synthetic.emails import (
    SCENARIOS,
    Attachment,
    SyntheticEmail,
    compose,
    malformed_emails,
    scenario,
    uk_time,
)
from intake.synthetic.forms import (
    LAYOUTS,
    Layout,
    brook_pdf,
    chronology_docx,
    exploitation_docx,
    gcp_docx,
    gcp_pdf,
    letter_pdf,
    rfs_docx,
    rfs_pdf,
)
from intake.synthetic.mailbox import write_eml_files, write_maildir, write_mbox
from intake.synthetic.people import (
    CONCERN_CODES,
    CSPOC_ADDRESS,
    PERSONAL_DOMAIN,
    Carer,
    Child,
    Referral,
    Referrer,
    make_child,
    make_family,
    make_referrer,
)
from intake.synthetic.referrals import make_referral
from intake.synthetic.scenarios import (
    CALL_COLUMNS,
    bulk_corpus,
    calls_csv,
    demo_calls,
    demo_corpus,
    demo_messages,
)
from intake.synthetic.workdays import bank_holidays, next_working_day, working_days

__all__ = [
    "CALL_COLUMNS",
    "CONCERN_CODES",
    "CSPOC_ADDRESS",
    "LAYOUTS",
    "PERSONAL_DOMAIN",
    "SCENARIOS",
    "Attachment",
    "Carer",
    "Child",
    "Layout",
    "Referral",
    "Referrer",
    "SyntheticEmail",
    "bank_holidays",
    "brook_pdf",
    "bulk_corpus",
    "calls_csv",
    "chronology_docx",
    "compose",
    "demo_calls",
    "demo_corpus",
    "demo_messages",
    "exploitation_docx",
    "gcp_docx",
    "gcp_pdf",
    "letter_pdf",
    "make_child",
    "make_family",
    "make_referral",
    "make_referrer",
    "malformed_emails",
    "next_working_day",
    "rfs_docx",
    "rfs_pdf",
    "scenario",
    "uk_time",
    "working_days",
    "write_eml_files",
    "write_maildir",
    "write_mbox",
]
