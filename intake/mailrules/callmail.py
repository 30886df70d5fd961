"""A phone contact written up in a duty worker's email (a mailbox rule's ``call`` action).

The layout: one ``Label: value`` line per field, anywhere in the body, e.g.::

    Called at: 2026-11-20 10:15
    Caller: Sam Jones
    Agency: Example Primary School
    Child's forenames: Jay
    Child's surname: Smith
    DOB: 04/03/2019
    Urgent?: yes
    Taken by: Duty worker A

Labels are the call-log CSV's column names (contract section 4) or an obvious human variant
(``Time of call``, ``Caller``, ``DOB``, ``Urgent?`` ...; :data:`LABELS` has them all), in any
case, with or without a trailing ``?``. The first line for a field counts; quoted lines (``>``)
are skipped. The values are checked exactly as a call-log row is (:func:`intake.calls.make_call`).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from intake.calls import CALL_COLUMNS, CallRecord, make_call

#: Human labels for each call-log column (normalised by :func:`normalise_label`).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "called_at": (
        "called at", "call at", "time of call", "date of call", "date and time of call",
        "date time of call", "call time", "call date", "call received", "time called",
        "date time", "date and time", "when",
    ),
    "caller_name": (
        "caller", "caller name", "name of caller", "callers name", "professional",
        "referrer", "referrer name",
    ),
    "caller_agency": (
        "agency", "caller agency", "organisation", "organization", "caller organisation",
        "caller organization", "agency organisation",
    ),
    "caller_phone": (
        "phone", "caller phone", "telephone", "tel", "phone number", "telephone number",
        "contact number", "caller number", "callers number",
    ),
    "child_forenames": (
        "child forenames", "child forename", "forenames", "forename", "first name",
        "first names", "child first name", "given names", "child given names",
    ),
    "child_surname": ("child surname", "surname", "last name", "family name", "child last name"),
    "child_dob": ("child dob", "dob", "date of birth", "child date of birth", "birth date"),
    "urgent": ("urgent", "is it urgent", "urgency"),
    "kind": ("kind", "type", "call type", "type of call", "kind of call"),
    "taken_by": ("taken by", "call taken by", "duty worker", "received by", "taken"),
    "notes": ("notes", "note", "details", "summary", "comments"),
}  # fmt: skip
_LINE = re.compile(r"^[ \t]*([^:\n>][^:\n]{0,60}?)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
#: How much of a body is read for the call's fields.
_MAX_BODY = 50_000


def normalise_label(label: str) -> str:
    """A label as :data:`LABELS` keys it: ``"Child's Surname"`` -> ``"child surname"``."""
    text = label.casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[.'?*]", "", text)
    text = re.sub(r"[\s_/&-]+", " ", text)
    return text.strip()


LABELS: dict[str, str] = {
    normalise_label(label): column
    for column, variants in _VARIANTS.items()
    for label in (column, *variants)
}


def read_fields(body: str) -> dict[str, str]:
    """The call-log fields an email body gives, ``column -> text`` (first line per field)."""
    found: dict[str, str] = {}
    for match in _LINE.finditer(body[:_MAX_BODY]):
        column = LABELS.get(normalise_label(match.group(1)))
        if column is not None and column not in found:
            found[column] = match.group(2)
    return found


def read_call(body: str, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> CallRecord | str:
    """The call an email body records, or one line naming the missing and bad fields (never a
    value) and saying how to fix it."""
    values = read_fields(body)
    made = make_call(
        called_at=values.get("called_at", ""),
        caller_name=values.get("caller_name", ""),
        child_forenames=values.get("child_forenames"),
        child_surname=values.get("child_surname"),
        urgent=values.get("urgent"),
        zone=zone,
        now=now,
        caller_agency=values.get("caller_agency"),
        caller_phone=values.get("caller_phone"),
        child_dob=values.get("child_dob"),
        kind=values.get("kind") or "referral",
        taken_by=values.get("taken_by"),
        notes=values.get("notes"),
    )
    if isinstance(made, CallRecord):
        return made
    missing: list[str] = []
    bad: list[str] = []
    for problem in made:
        option, _, reason = problem.reason.partition(":")
        column = option.removeprefix("--").replace("-", "_")
        if column not in CALL_COLUMNS:
            column = "call"
        target = missing if reason.strip().startswith("missing") else bad
        if column not in target:
            target.append(column)
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if bad:
        parts.append("unreadable " + ", ".join(bad))
    return (
        f"call email: {'; '.join(parts)}; write each as a 'Label: value' line (labels: "
        f"{', '.join(CALL_COLUMNS)}, as in the call-log CSV), or record the call with "
        "`intake calls add`, then `intake reprocess` the message"
    )
