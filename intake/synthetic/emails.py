"""RFC 5322 referral emails for each scenario the daemon must handle, plus deliberately broken mail.

Messages are built with :class:`email.message.EmailMessage` under the ``SMTP`` policy (CRLF line
endings). Message-IDs, dates, ``Received:`` stamps and MIME boundaries all come from the seed, so
the same call always gives the same bytes. Every person and address is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from intake.synthetic.forms import (
    LAYOUTS,
    Layout,
    brook_pdf,
    exploitation_docx,
    gcp_docx,
    gcp_pdf,
    letter_pdf,
    rfs_docx,
    rfs_pdf,
)
from intake.synthetic.people import CSPOC_ADDRESS, Referral, Referrer, make_referrer
from intake.synthetic.referrals import make_referral
from intake.synthetic.workdays import next_working_day

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"

#: Every scenario :func:`scenario` can compose.
SCENARIOS: tuple[str, ...] = (
    "rfs_docx",
    "rfs_pdf",
    "neglect_with_gcp",
    "neglect_without_gcp",
    "neglect_decoy_letter",
    "gcp_follow_up",
    "urgent_phoned",
    "urgent_phoned_late",
    "hsb_with_brook",
    "exploitation_with_tool",
    "forwarded",
    "nameless_attachment",
    "zipped_rfs",
    "plain_enquiry",
)

_CSPOC_NAME = "C-SPOC"
_MX = "mx1.southend.example.gov.uk"
_STORE = "mailstore.southend.example.gov.uk"
_DISCLAIMER = (
    "This email and any attachments are confidential and intended only for the addressee. "
    "If you have received it in error please tell the sender and delete it. "
    "(Synthetic test message: all people and details are fictional.)"
)


@dataclass(frozen=True)
class Attachment:
    """One attachment: bytes, a MIME type and (usually) a filename."""

    filename: str | None
    content_type: str
    data: bytes
    #: A short tag for tests: ``rfs_docx``, ``gcp_docx``, ``brook_pdf``, ``zip`` ...
    tag: str = ""
    #: ``False`` drops the Content-Disposition header: the part has a content type only.
    disposition: bool = True


@dataclass(frozen=True)
class SyntheticEmail:
    """A composed message with what a test needs to know about it."""

    kind: str
    raw: bytes
    message_id: str
    #: When the C-SPOC mail store accepted it (the top ``Received:`` stamp), timezone-aware.
    received_at: dt.datetime
    referral: Referral | None
    #: Tags of the attachments it carries, in order (see :attr:`Attachment.tag`).
    attachments: tuple[str, ...] = ()


# --- time -----------------------------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def uk_time(local: dt.datetime) -> dt.datetime:
    """``local`` (naive UK wall-clock time) with its GMT/BST offset attached.

    British Summer Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
    Sunday of October; computed here so the package needs no time-zone database.
    """
    if local.tzinfo is not None:
        return local
    start = dt.datetime.combine(_last_sunday(local.year, 3), dt.time(1))
    end = dt.datetime.combine(_last_sunday(local.year, 10), dt.time(2))
    offset = dt.timedelta(hours=1) if start <= local < end else dt.timedelta(0)
    return local.replace(tzinfo=dt.timezone(offset))


# --- composing ------------------------------------------------------------------------------------


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}X}"


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1]


def _received_chain(
    rng: random.Random, sender_domain: str, sent: dt.datetime, *, internal: bool = False
) -> tuple[list[tuple[str, str]], dt.datetime]:
    """``Received:`` headers, newest first, and the final delivery time (UTC).

    ``internal`` mail (a colleague's message later forwarded) never left the sender's relay.
    """
    relay = f"smtp.{sender_domain}"
    hop1 = sent + dt.timedelta(seconds=rng.randint(0, 2))
    hop2 = hop1 + dt.timedelta(seconds=rng.randint(1, 25))
    hop3 = hop2 + dt.timedelta(seconds=rng.randint(0, 4))
    utc = dt.UTC
    client = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    relay_ip = f"198.51.100.{rng.randint(1, 254)}"
    headers = [
        (
            "Received",
            f"from {_MX} ({_MX} [192.0.2.25]) by {_STORE} with LMTP id {_hex(rng, 12)}; "
            f"{format_datetime(hop3.astimezone(utc))}",
        ),
        (
            "Received",
            f"from {relay} ({relay} [{relay_ip}]) by {_MX} with ESMTPS "
            f"(TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256) id {_hex(rng, 10)} "
            f"for <{CSPOC_ADDRESS}>; {format_datetime(hop2.astimezone(utc))}",
        ),
        (
            "Received",
            f"from WS-{_hex(rng, 6)} ([{client}]) by {relay} with ESMTPSA id {_hex(rng, 10)}; "
            f"{format_datetime(hop1)}",
        ),
    ]
    if internal:
        return headers[-1:], hop1.astimezone(utc)
    return headers, hop3.astimezone(utc)


def _set_boundaries(message: EmailMessage, rng: random.Random) -> None:
    """Give every multipart a boundary from ``rng`` (the stdlib would pick a random one)."""
    # walk() also descends into message/rfc822 parts, so forwarded messages are covered.
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"----=_Part_{_hex(rng, 8)}_{_hex(rng, 8)}")


def compose(
    rng: random.Random,
    *,
    sender: Referrer,
    sent: dt.datetime,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    to: str = CSPOC_ADDRESS,
    to_name: str = _CSPOC_NAME,
    html: bool = False,
    extra_headers: Sequence[tuple[str, str]] = (),
    forwarded: EmailMessage | None = None,
) -> tuple[EmailMessage, dt.datetime]:
    """Build one message sent by ``sender`` at ``sent`` (naive UK local time).

    Returns the message and the time it reached the C-SPOC mail store (UTC); mail to an address
    in the sender's own domain gets only the sender's ``Received:`` stamp.
    """
    local = uk_time(sent)
    message = EmailMessage(policy=SMTP)
    internal = _domain(to) == _domain(sender.email)
    received, delivered = _received_chain(rng, _domain(sender.email), local, internal=internal)
    for name, value in received:
        message[name] = value
    message["From"] = f"{sender.name} <{sender.email}>"
    message["To"] = f"{to_name} <{to}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(local)
    # Short enough that the header never folds (a folded Message-ID trips up naive readers).
    message_id = f"<{_hex(rng, 16)}@{_domain(sender.email)}>"
    message["Message-ID"] = message_id
    for name, value in extra_headers:
        message[name] = value
    message.set_content(body)
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n\n"))
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    for item in attachments:
        maintype, subtype = item.content_type.split("/", 1)
        message.add_attachment(
            item.data, maintype=maintype, subtype=subtype, filename=item.filename
        )
        if not item.disposition:
            *_, part = message.iter_attachments()
            del part["Content-Disposition"]
    if forwarded is not None:
        message.add_attachment(forwarded)
    _set_boundaries(message, rng)
    return message, delivered


def _finish(
    kind: str,
    message: EmailMessage,
    delivered: dt.datetime,
    referral: Referral | None,
    attachments: Sequence[Attachment],
) -> SyntheticEmail:
    return SyntheticEmail(
        kind=kind,
        raw=message.as_bytes(policy=SMTP),
        message_id=str(message["Message-ID"]),
        received_at=delivered,
        referral=referral,
        attachments=tuple(a.tag for a in attachments),
    )


# --- wording --------------------------------------------------------------------------------------


def _subject(rng: random.Random, referral: Referral) -> str:
    initials = referral.children[0].initials
    return rng.choice(
        (
            "RFS - OFFICIAL-SENSITIVE",
            f"OFFICIAL-SENSITIVE: Request for Service - {initials}",
            f"[SECURE] RFS {initials}",
            f"Referral - {initials} - OFFICIAL-SENSITIVE",
            "Request for Service",
        )
    )


def _greeting(sent: dt.datetime) -> str:
    return "Good morning," if sent.hour < 12 else "Good afternoon,"


def _signature(sender: Referrer) -> str:
    phone = f"\nTel: {sender.phone}" if sender.phone else ""
    return f"Kind regards,\n\n{sender.name}\n{sender.role}\n{sender.agency}{phone}\n\n{_DISCLAIMER}"


def _body(referral: Referral, sent: dt.datetime, middle: str) -> str:
    child = referral.children[0]
    dob = child.dob.strftime("%d/%m/%Y") if child.dob else "not known"
    return (
        f"{_greeting(sent)}\n\nPlease find attached a Request for Service for {child.initials} "
        f"(DOB {dob}).{middle}\n\n{_signature(referral.referrer)}\n"
    )


def _rfs_attachment(
    rng: random.Random, referral: Referral, *, pdf: bool = False, layout: Layout | None = None
) -> Attachment:
    child = referral.children[0]
    chosen = layout or rng.choices(LAYOUTS, weights=(85, 15))[0]
    if pdf:
        data = rfs_pdf(referral, chosen)
        name = rng.choice(
            (f"RFS {child.initials}.pdf", f"RFS_{referral.referral_datetime:%Y%m%d}.pdf", "RFS.pdf")
        )
        return Attachment(name, PDF_TYPE, data, "rfs_pdf")
    data = rfs_docx(referral, chosen)
    stem = "EHFSA" if chosen == "ehfsa" else "RFS"
    name = rng.choice(
        (
            f"{stem} {child.initials}.docx",
            f"{stem} - {child.surname}.docx",
            f"{stem} form completed.docx",
            f"Request for Service – {child.surname}.docx",  # en dash: RFC 2231 filename
        )
    )
    content_type = DOCX_TYPE if rng.random() < 0.93 else "application/octet-stream"
    return Attachment(name, content_type, data, "rfs_docx")


def _gcp_attachment(rng: random.Random, referral: Referral) -> Attachment:
    child = referral.children[0]
    completed = referral.referral_datetime.date() - dt.timedelta(days=rng.randint(0, 6))
    carer = referral.carers[0].name
    if rng.random() < 0.2:
        data = gcp_pdf(child, completed=completed)
        return Attachment(f"GCP2 {child.initials}.pdf", PDF_TYPE, data, "gcp_pdf")
    name = rng.choice(
        (
            f"GCP2 {child.initials}.docx",
            "Graded Care Profile.docx",
            "NSPCC GCP2 Multiple Child Tool.docx",
            f"{child.surname} GCP.docx",
        )
    )
    data = gcp_docx(child, completed=completed, carer=carer, severity=rng.randint(3, 4))
    return Attachment(name, DOCX_TYPE, data, "gcp_docx")


def _zip(members: Sequence[tuple[str, bytes]], when: dt.datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            archive.writestr(info, data)
    return out.getvalue()


# --- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    kind: str
    rng: random.Random
    sent: dt.datetime
    referral: Referral | None


def _form_time(ctx: _Context) -> dt.datetime:
    return ctx.sent - dt.timedelta(minutes=ctx.rng.randint(5, 50))


def _referral(
    ctx: _Context,
    *,
    concerns: Sequence[str] | None = None,
    urgent: bool | None = None,
    phoned: bool | None = None,
    phoned_at: dt.datetime | None = None,
    threshold_level: int | None = None,
    gcp_attached_claimed: bool | None = None,
    other_attachments: Sequence[str] | None = None,
) -> Referral:
    if ctx.referral is not None:
        return ctx.referral
    return make_referral(
        ctx.rng,
        when=_form_time(ctx),
        concerns=concerns,
        urgent=urgent,
        phoned=phoned,
        phoned_at=phoned_at,
        threshold_level=threshold_level,
        gcp_attached_claimed=gcp_attached_claimed,
        other_attachments=other_attachments,
    )


def _simple(
    ctx: _Context, referral: Referral, attachments: list[Attachment], middle: str = ""
) -> list[SyntheticEmail]:
    rng = ctx.rng
    message, delivered = compose(
        rng,
        sender=referral.referrer,
        sent=ctx.sent,
        subject=_subject(rng, referral),
        body=_body(referral, ctx.sent, middle),
        attachments=attachments,
        html=rng.random() < 0.5,
    )
    return [_finish(ctx.kind, message, delivered, referral, attachments)]


def _s_rfs_docx(ctx: _Context) -> list[SyntheticEmail]:
    referral = _referral(ctx, urgent=False)
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral)])


def _s_rfs_pdf(ctx: _Context) -> list[SyntheticEmail]:
    referral = _referral(ctx, urgent=False)
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral, pdf=True)])


def _neglect(ctx: _Context, claimed: bool = True) -> Referral:
    concerns = ["neglect"]
    if ctx.rng.random() < 0.4:
        concerns.append(ctx.rng.choice(("domestic_abuse", "substance_misuse", "mental_health")))
    return _referral(ctx, concerns=concerns, gcp_attached_claimed=claimed, urgent=False)


def _s_neglect_with_gcp(ctx: _Context) -> list[SyntheticEmail]:
    referral = _neglect(ctx)
    attachments = [_rfs_attachment(ctx.rng, referral), _gcp_attachment(ctx.rng, referral)]
    return _simple(ctx, referral, attachments, " The Graded Care Profile is also attached.")


def _s_neglect_without_gcp(ctx: _Context) -> list[SyntheticEmail]:
    # The form claims a GCP2 is attached, but only the RFS is.
    referral = _neglect(ctx, claimed=True)
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral)])


def _s_neglect_decoy_letter(ctx: _Context) -> list[SyntheticEmail]:
    # A dental "care profile" letter is not a Graded Care Profile.
    referral = _neglect(ctx, claimed=False)
    child = referral.children[0]
    letter = Attachment(
        f"Dental letter {child.initials}.pdf", PDF_TYPE, letter_pdf(child), "letter_pdf"
    )
    middle = " I have also attached a recent letter from the dentist."
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral), letter], middle)


def _s_gcp_follow_up(ctx: _Context) -> list[SyntheticEmail]:
    rng = ctx.rng
    referral = _neglect(ctx, claimed=True)
    first = _simple(ctx, referral, [_rfs_attachment(rng, referral)])[0]
    later = ctx.sent + dt.timedelta(minutes=rng.randint(20, 180))
    gcp = _gcp_attachment(rng, referral)
    body = (
        f"{_greeting(later)}\n\nFurther to my referral earlier today, please find attached the "
        f"Graded Care Profile for {referral.children[0].initials}. Apologies for leaving it off "
        f"the first email.\n\n{_signature(referral.referrer)}\n"
    )
    message, delivered = compose(
        rng,
        sender=referral.referrer,
        sent=later,
        subject=f"RE: {_subject(rng, referral)}",
        body=body,
        attachments=[gcp],
        extra_headers=[("In-Reply-To", first.message_id), ("References", first.message_id)],
    )
    second = _finish(ctx.kind, message, delivered, referral, [gcp])
    return [first, second]


def _urgent(ctx: _Context, *, phoned_at: dt.datetime | None = None) -> Referral:
    return _referral(ctx, urgent=True, phoned=True, threshold_level=4, phoned_at=phoned_at)


def _phoned_middle(referral: Referral) -> str:
    assert referral.phoned_at is not None
    return (
        f" This follows my telephone call to {referral.phoned_to} at "
        f"{referral.phoned_at:%H:%M} today."
    )


def _s_urgent_phoned(ctx: _Context) -> list[SyntheticEmail]:
    rng = ctx.rng
    referral = _urgent(ctx)
    attachments = [_rfs_attachment(rng, referral)]
    message, delivered = compose(
        rng,
        sender=referral.referrer,
        sent=ctx.sent,
        subject=rng.choice(
            (
                "URGENT RFS following telephone call - OFFICIAL-SENSITIVE",
                f"URGENT: Request for Service {referral.children[0].initials}",
            )
        ),
        body=_body(referral, ctx.sent, _phoned_middle(referral)),
        attachments=attachments,
        extra_headers=[("Importance", "high"), ("X-Priority", "1")],
    )
    return [_finish(ctx.kind, message, delivered, referral, attachments)]


def _s_urgent_phoned_late(ctx: _Context) -> list[SyntheticEmail]:
    # Phoned late one afternoon; the written RFS only arrives the next morning.
    rng = ctx.rng
    call = dt.datetime.combine(ctx.sent.date(), dt.time(16, rng.randint(5, 55)))
    sent = dt.datetime.combine(next_working_day(ctx.sent.date()), dt.time(9, rng.randint(0, 50)))
    late = _Context(ctx.kind, rng, sent, ctx.referral)
    referral = _urgent(late, phoned_at=call)
    called = referral.phoned_at or call
    middle = f" This follows my telephone call to {referral.phoned_to} on {called:%A} afternoon."
    return _simple(late, referral, [_rfs_attachment(rng, referral)], middle)


def _s_hsb_with_brook(ctx: _Context) -> list[SyntheticEmail]:
    referral = _referral(ctx, concerns=["hsb"], other_attachments=["Brook Traffic Light Tool"])
    child = referral.children[0]
    brook = Attachment(
        "Brook traffic light tool.pdf",
        PDF_TYPE,
        brook_pdf(child, completed=referral.referral_datetime.date()),
        "brook_pdf",
    )
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral), brook])


def _s_exploitation_with_tool(ctx: _Context) -> list[SyntheticEmail]:
    concerns = ctx.rng.choice((["cce"], ["cse"], ["cse", "missing"], ["cce", "missing"]))
    referral = _referral(
        ctx, concerns=concerns, other_attachments=["Child Exploitation Pathway screening tool"]
    )
    child = referral.children[0]
    tool = Attachment(
        f"CE Pathway screening {child.initials}.docx",
        DOCX_TYPE,
        exploitation_docx(child, completed=referral.referral_datetime.date()),
        "exploitation_docx",
    )
    return _simple(ctx, referral, [_rfs_attachment(ctx.rng, referral), tool])


def _s_forwarded(ctx: _Context) -> list[SyntheticEmail]:
    rng = ctx.rng
    referral = _referral(ctx, urgent=False)
    colleague = referral.referrer
    forwarder = make_referrer(rng, kinds=(colleague.agency_kind,))
    forwarder = replace(
        forwarder,
        agency=colleague.agency,
        role="Designated Safeguarding Lead",
        email=f"{forwarder.email.split('@')[0]}@{_domain(colleague.email)}",
        agency_kind=colleague.agency_kind,
    )
    rfs = _rfs_attachment(rng, referral)
    earlier = ctx.sent - dt.timedelta(minutes=rng.randint(15, 120))
    inner, _ = compose(
        rng,
        sender=colleague,
        sent=earlier,
        subject=_subject(rng, referral),
        body=f"Hi,\n\nCould you send this RFS on to C-SPOC please?\n\n{_signature(colleague)}\n",
        attachments=[rfs],
        to=forwarder.email,
        to_name=forwarder.name,
    )
    outer, delivered = compose(
        rng,
        sender=forwarder,
        sent=ctx.sent,
        subject=f"FW: {inner['Subject']}",
        body=(
            f"{_greeting(ctx.sent)}\n\nPlease see the referral below from my colleague "
            f"{colleague.name}, with the RFS attached to it.\n\n{_signature(forwarder)}\n"
        ),
        forwarded=inner,
    )
    return [_finish(ctx.kind, outer, delivered, referral, [rfs])]


def _s_nameless_attachment(ctx: _Context) -> list[SyntheticEmail]:
    referral = _referral(ctx, urgent=False)
    rfs = _rfs_attachment(ctx.rng, referral, layout="southend-rfs")
    nameless = Attachment(None, DOCX_TYPE, rfs.data, "rfs_docx", disposition=False)
    return _simple(ctx, referral, [nameless])


def _s_zipped_rfs(ctx: _Context) -> list[SyntheticEmail]:
    referral = _referral(ctx, urgent=False)
    rfs = _rfs_attachment(ctx.rng, referral, layout="southend-rfs")
    members = [(f"RFS {referral.children[0].initials}.docx", rfs.data)]
    tags = "zip[rfs_docx]"
    if referral.gcp_attached_claimed:
        gcp = _gcp_attachment(ctx.rng, referral)
        members.append((gcp.filename or "GCP2.docx", gcp.data))
        tags = f"zip[rfs_docx,{gcp.tag}]"
    archive = Attachment(
        "Referral documents.zip",
        ctx.rng.choice((ZIP_TYPE, "application/x-zip-compressed")),
        _zip(members, referral.referral_datetime),
        tags,
    )
    return _simple(ctx, referral, [archive], " The documents are in the attached zip file.")


def _s_plain_enquiry(ctx: _Context) -> list[SyntheticEmail]:
    rng = ctx.rng
    sender = make_referrer(rng)
    body = rng.choice(
        (
            "Could someone from the team call me back for a professional consultation? "
            "I would like to talk through a family I am worried about before deciding whether "
            "to make a referral. I have not included any family details.",
            "Could you confirm the current version of the Request for Service form and whether "
            "it should be sent to this address?",
            "I made a referral last week and have not had any feedback yet. Could you let me "
            "know who is dealing with it? I can give the reference by phone.",
        )
    )
    message, delivered = compose(
        rng,
        sender=sender,
        sent=ctx.sent,
        subject=rng.choice(("Query", "Request for consultation", "Advice please")),
        body=f"{_greeting(ctx.sent)}\n\n{body}\n\n{_signature(sender)}\n",
    )
    return [_finish(ctx.kind, message, delivered, None, [])]


_BUILDERS: dict[str, Callable[[_Context], list[SyntheticEmail]]] = {
    "rfs_docx": _s_rfs_docx,
    "rfs_pdf": _s_rfs_pdf,
    "neglect_with_gcp": _s_neglect_with_gcp,
    "neglect_without_gcp": _s_neglect_without_gcp,
    "neglect_decoy_letter": _s_neglect_decoy_letter,
    "gcp_follow_up": _s_gcp_follow_up,
    "urgent_phoned": _s_urgent_phoned,
    "urgent_phoned_late": _s_urgent_phoned_late,
    "hsb_with_brook": _s_hsb_with_brook,
    "exploitation_with_tool": _s_exploitation_with_tool,
    "forwarded": _s_forwarded,
    "nameless_attachment": _s_nameless_attachment,
    "zipped_rfs": _s_zipped_rfs,
    "plain_enquiry": _s_plain_enquiry,
}
assert tuple(_BUILDERS) == SCENARIOS


def scenario(
    kind: str,
    *,
    seed: int = 0,
    when: dt.datetime | None = None,
    referral: Referral | None = None,
) -> list[SyntheticEmail]:
    """The email(s) for scenario ``kind`` (one of :data:`SCENARIOS`), sent at ``when``.

    ``when`` is naive UK local time (default: Monday 2 March 2026, 10:30). ``referral`` replaces
    the generated one (its concerns are then the caller's business). ``gcp_follow_up`` gives two
    messages; ``urgent_phoned_late`` is phoned in at about 16:30 on ``when``'s day and
    emailed the next working day.
    """
    try:
        builder = _BUILDERS[kind]
    except KeyError:
        raise ValueError(f"unknown scenario {kind!r}; choose one of {SCENARIOS}") from None
    rng = random.Random(f"{kind}|{seed}")
    sent = when or dt.datetime(2026, 3, 2, 10, 30)
    return builder(_Context(kind, rng, sent, referral))


# --- broken mail ----------------------------------------------------------------------------------


def malformed_emails(seed: int = 0) -> dict[str, bytes]:
    """Deliberately broken messages, by name, for robustness tests.

    ``truncated_base64`` (cut off mid-attachment), ``broken_boundary`` (parts use a boundary the
    header does not declare), ``unknown_charset``, ``bad_base64``, ``empty``, ``binary_garbage``,
    ``endless_header`` (one 256 KiB header line and no end of headers), ``no_headers``,
    ``nul_in_headers`` and ``deep_nesting`` (60 levels of multipart).
    """
    rng = random.Random(f"malformed|{seed}")
    good = scenario("rfs_docx", seed=seed)[0].raw
    head = (
        b"From: Sam Example <sam.example@school.example.sch.uk>\r\n"
        b"To: C-SPOC <" + CSPOC_ADDRESS.encode() + b">\r\n"
        b"Date: Mon, 02 Mar 2026 10:30:00 +0000\r\n"
    )
    nested = b"".join(
        b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (n, n + 1)
        for n in range(60)
    )
    return {
        "truncated_base64": good[: len(good) * 2 // 3],
        "broken_boundary": head
        + b"Subject: RFS\r\nMessage-ID: <broken-boundary@school.example.sch.uk>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="declared-boundary"\r\n\r\n'
        b"--actual-boundary\r\nContent-Type: text/plain\r\n\r\nPlease see attached.\r\n"
        b'--actual-boundary\r\nContent-Type: application/pdf; name="RFS.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--actual-boundary--\r\n",
        "unknown_charset": head
        + b"Subject: =?x-no-such-charset?B?UkZT?=\r\nMessage-ID: <charset@example.net>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="x-no-such-charset"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\nReferral \xe9\xff\xfe text\r\n",
        "bad_base64": head
        + b"Subject: RFS\r\nMessage-ID: <bad-b64@example.net>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        b'Content-Type: application/pdf; name="RFS.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"JVBER!!i0xL*jQK===\r\nnot base64 at all\r\n--x--\r\n",
        "empty": b"",
        "binary_garbage": rng.randbytes(4096),
        "endless_header": head + b"Subject: " + b"RFS " * 65536,
        "no_headers": b"Please find attached the referral.\r\n\r\nJVBERi0xLjQK\r\n",
        "nul_in_headers": head.replace(b"Sam Example", b"Sam\x00Example")
        + b"Subject: RFS\x00\r\nMessage-ID: <nul@example.net>\r\n\r\nBody\r\n",
        "deep_nesting": head
        + b"Subject: nested\r\nMessage-ID: <nested@example.net>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        + nested
        + b"--b60\r\nContent-Type: text/plain\r\n\r\ndeep\r\n",
    }
