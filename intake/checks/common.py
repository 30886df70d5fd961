"""Small helpers the checks share: how times and documents are described in a finding."""

from __future__ import annotations

import datetime as dt
import re

from intake.cases import Attachment, Case, Finding, Link, hit, miss, pending

#: Document types whose failure to read matters (a logo or a calendar invite does not).
_DOCUMENT = re.compile(
    r"\.(docx?|docm|dotx|pdf|odt|rtf|txt|xlsx?|pages|tiff?|jpe?g|png|heic)$", re.I
)
#: An image smaller than this is taken for a signature logo, not a scanned form.
_LOGO_BYTES = 60_000


def when(at: dt.datetime, case: Case) -> str:
    """``17:30 Mon 2 Mar 2026`` in the calendar's zone."""
    local = at.astimezone(case.settings.calendar.zone)
    return f"{local:%H:%M} {local:%a} {local.day} {local:%b %Y}"


def unreadable_documents(
    attachments: tuple[Attachment, ...], sizes: bool = True
) -> list[Attachment]:
    """Attachments that should have been readable documents but could not be read."""
    found = []
    for attachment in attachments:
        if attachment.kind != "unreadable" or attachment.inline:
            continue
        reason = attachment.warnings[0] if attachment.warnings else ""
        if reason.startswith("unsupported: zip"):
            continue  # its members were unpacked and are attachments of their own
        is_image = attachment.content_type.startswith("image/") or reason.endswith("image file")
        if is_image and sizes and attachment.size < _LOGO_BYTES:
            continue
        if is_image or _DOCUMENT.search(attachment.filename) or not attachment.filename:
            found.append(attachment)
    return found


def reason_of(attachment: Attachment) -> str:
    return attachment.warnings[0] if attachment.warnings else "could not be read"


def message_ref(link: Link) -> str:
    mail = link.mail
    return f"message #{mail.pk}" if mail is not None else link.key


def tool_nearby(case: Case, kind: str) -> bool:
    """A tool of ``kind`` attached to the case's message, or to a related email by the end of
    the same working day."""
    mail = case.mail
    assert mail is not None
    if mail.has(kind):
        return True
    due = case.settings.calendar.end_of_working_day(mail.received_at)
    return any(
        link.mail is not None and link.mail.has(kind) and link.at <= due
        for link in case.related_mail
    )


def awaited(
    case: Case,
    arrivals: list[Link],
    due: dt.datetime,
    *,
    what: str,
    waiting: str,
    missing: str,
) -> Finding:
    """The judgement of a rule that waits for an item by a deadline: ``arrivals`` (in order of
    arrival) that came by ``due`` satisfy it; before ``due`` it is pending; after it, a hit,
    already closed (late) by the first that came later, if one did."""
    on_time = [link for link in arrivals if link.at <= due]
    if on_time:
        return miss(
            f"{what} received in {message_ref(on_time[0])}", due_at=due, links=(on_time[0],)
        )
    if case.as_of < due:
        return pending(due, waiting)
    late = [link for link in arrivals if link.at > due]
    if not late:
        return hit(missing, due_at=due)
    first = late[0]
    return hit(
        f"{missing}; it arrived late in {message_ref(first)} at {when(first.at, case)}",
        due_at=due,
        arrived_at=first.at,
        arrived_in=first.mail.pk if first.mail else None,
        links=(first,),
    )
