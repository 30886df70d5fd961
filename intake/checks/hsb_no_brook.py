"""``hsb-no-brook``: harmful sexual behaviour with no sign the Brook tool was used (info).

Southend asks referrers to use the Brook Sexual Behaviours Traffic Light Tool to support their
decision. It is guidance, not a form to attach, so this is information only: neither a Brook
record attached (here or in a related email that day) nor a mention of Brook or the traffic
light in the form or the subject line.
"""

from __future__ import annotations

import re

from intake.cases import Case, Finding, hit, miss, skip
from intake.checks import Check
from intake.checks.common import tool_nearby

_MENTION = re.compile(
    r"\bbrook\b|traffic[\s-]*light|\b(green|amber|orange|red)\b.{0,40}\bbehaviou?r", re.I
)


def run(case: Case) -> Finding:
    form, mail = case.form, case.mail
    assert form is not None and mail is not None
    if case.copy_of:
        return skip(f"a copy of {case.copy_of}")
    if "hsb" not in form.concerns:
        return skip("no harmful sexual behaviour concern")
    if tool_nearby(case, "brook_tool"):
        return miss("Brook tool attached")
    texts = (form.text("concern_narrative"), mail.subject, *(a.filename for a in mail.attachments))
    if any(_MENTION.search(text) for text in texts) or "brook" in mail.mentions.words:
        return miss("Brook tool mentioned")
    return hit("harmful sexual behaviour; no Brook traffic light tool mentioned or attached")


CHECK = Check(
    code="hsb-no-brook",
    severity="info",
    applies_to="form",
    description="harmful sexual behaviour with no Brook traffic light tool mentioned or attached",
    run=run,
)
