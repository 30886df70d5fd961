"""Whole corpora: a few realistic working days for ``intake demo``, and bulk mail for benchmarks."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import functools
import io
import math
import random
from collections.abc import Iterator
from email.utils import format_datetime

# The call-log columns (contract section 4) demo_calls fills, in order; re-exported.
from intake.calls import CALL_COLUMNS as CALL_COLUMNS
from intake.synthetic.emails import SCENARIOS, SyntheticEmail, scenario, uk_time
from intake.synthetic.people import CSPOC_ADDRESS, CSPOC_STAFF, Referral, make_referrer
from intake.synthetic.referrals import make_referral
from intake.synthetic.workdays import working_days

#: Emails of each scenario in five working days (a plausible mix, not measured data): most
#: referrals are in order; a few break the GCP or same-day rules.
_EMAILS_PER_FIVE_DAYS: dict[str, int] = {
    "rfs_docx": 15,
    "rfs_pdf": 6,
    "neglect_with_gcp": 5,
    "neglect_without_gcp": 3,
    "neglect_decoy_letter": 1,
    "gcp_follow_up": 2,
    "urgent_phoned": 4,
    "urgent_phoned_late": 1,
    "hsb_with_brook": 2,
    "exploitation_with_tool": 2,
    "forwarded": 2,
    "nameless_attachment": 1,
    "zipped_rfs": 1,
    "plain_enquiry": 3,
}
assert set(_EMAILS_PER_FIVE_DAYS) == set(SCENARIOS)
#: Urgent phone referrals never followed by an email, and consultation calls, per five days.
_UNWRITTEN_CALLS_PER_FIVE_DAYS = 3
_CONSULTATIONS_PER_FIVE_DAYS = 2
#: Share of ordinary emails sent outside working hours (evenings).
_OUT_OF_HOURS_SHARE = 0.06

DEFAULT_START = dt.date(2026, 3, 2)  # a Monday


# --- demo corpus ----------------------------------------------------------------------------------


def _scaled(per_five: int, days: int) -> int:
    return max(1, round(per_five * days / 5))


def _send_time(rng: random.Random, day: dt.date, kind: str) -> dt.datetime:
    if kind in ("urgent_phoned", "urgent_phoned_late"):
        minutes = rng.randint(9 * 60 + 30, 15 * 60 + 45)
    elif rng.random() < _OUT_OF_HOURS_SHARE:
        minutes = rng.randint(18 * 60, 22 * 60 + 30)
    else:
        minutes = rng.randint(8 * 60 + 15, 17 * 60 + 15)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)


def _call_row(referral: Referral, *, written: bool) -> dict[str, str]:
    assert referral.phoned_at is not None
    child = referral.children[0]
    ref = referral.referrer
    notes = "RFS to follow today." if written else "RFS to follow."
    if referral.urgent:
        notes = f"Urgent: {notes}"
    return {
        "called_at": referral.phoned_at.strftime("%Y-%m-%dT%H:%M"),
        "caller_name": ref.name,
        "caller_agency": ref.agency,
        "caller_phone": ref.phone,
        "child_forenames": child.forenames,
        "child_surname": child.surname,
        "child_dob": child.dob.isoformat() if child.dob else "",
        "urgent": "yes" if referral.urgent else "no",
        "kind": "referral",
        "taken_by": referral.phoned_to or "",
        "notes": notes,
    }


def _build_demo(
    seed: int, start: dt.date | None, days: int
) -> tuple[list[SyntheticEmail], list[dict[str, str]]]:
    rng = random.Random(f"demo|{seed}")
    calendar = working_days(start or DEFAULT_START, days)
    plan: list[tuple[str, dt.datetime, int]] = []
    for kind, per_five in _EMAILS_PER_FIVE_DAYS.items():
        for _ in range(_scaled(per_five, days)):
            # A late follow-up needs a next working day inside the window when there is one.
            choices = calendar[:-1] if kind == "urgent_phoned_late" and days > 1 else calendar
            day = rng.choice(choices)
            plan.append((kind, _send_time(rng, day, kind), rng.randrange(2**31)))
    emails: list[SyntheticEmail] = []
    for kind, when, event_seed in plan:
        emails.extend(scenario(kind, seed=event_seed, when=when))
    emails.sort(key=lambda email: (email.received_at, email.message_id))

    calls: list[dict[str, str]] = []
    seen: set[str] = set()
    for email in emails:
        referral = email.referral
        if referral is not None and referral.phoned and referral.reference not in seen:
            seen.add(referral.reference)
            calls.append(_call_row(referral, written=True))
    for _ in range(_scaled(_UNWRITTEN_CALLS_PER_FIVE_DAYS, days)):
        when = _send_time(rng, rng.choice(calendar), "urgent_phoned")
        referral = make_referral(
            rng.randrange(2**31), when=when, urgent=True, phoned=True, threshold_level=4
        )
        calls.append(_call_row(referral, written=False))
    for _ in range(_scaled(_CONSULTATIONS_PER_FIVE_DAYS, days)):
        caller = make_referrer(rng)
        when = _send_time(rng, rng.choice(calendar), "urgent_phoned")
        calls.append(
            {
                "called_at": when.strftime("%Y-%m-%dT%H:%M"),
                "caller_name": caller.name,
                "caller_agency": caller.agency,
                "caller_phone": caller.phone,
                "child_forenames": "",
                "child_surname": "",
                "child_dob": "",
                "urgent": "no",
                "kind": "consultation",
                "taken_by": rng.choice(CSPOC_STAFF),
                "notes": "Professional consultation; no family details taken.",
            }
        )
    calls.sort(key=lambda row: (row["called_at"], row["caller_name"]))
    return emails, calls


@functools.lru_cache(maxsize=4)
def _cached_demo(
    seed: int, start: dt.date | None, days: int
) -> tuple[tuple[SyntheticEmail, ...], tuple[tuple[tuple[str, str], ...], ...]]:
    # demo_corpus and demo_calls are usually asked for together: build the corpus once.
    emails, calls = _build_demo(seed, start, days)
    return tuple(emails), tuple(tuple(row.items()) for row in calls)


def demo_messages(
    seed: int = 2026, start: dt.date | None = None, days: int = 5, *, cache: bool = True
) -> tuple[list[SyntheticEmail], list[dict[str, str]]]:
    """The demo corpus with its metadata, and the call log that goes with it.

    Emails are sorted by delivery time. Call rows cover every referral that says it was phoned
    through (emailed or not) plus a few consultation calls, sorted by ``called_at``. Results are
    cached per arguments (building five days takes seconds); ``cache=False`` always rebuilds.
    """
    if not cache:
        return _build_demo(seed, start, days)
    emails, rows = _cached_demo(seed, start, days)
    return list(emails), [dict(row) for row in rows]


def demo_corpus(seed: int = 2026, start: dt.date | None = None, days: int = 5) -> list[bytes]:
    """About ten raw emails a working day for ``days`` working days from ``start``.

    The default start is Monday 2 March 2026. The mix: mostly ordinary RFS referrals (DOCX or
    PDF), some neglect referrals with and without a GCP2, urgent phoned referrals (some emailed
    the next day), HSB and exploitation referrals with their tools, forwarded, zipped and
    nameless attachments, and plain enquiries.
    """
    emails, _ = demo_messages(seed, start, days)
    return [email.raw for email in emails]


def demo_calls(
    seed: int = 2026, start: dt.date | None = None, days: int = 5
) -> list[dict[str, str]]:
    """The C-SPOC call log for the same days as :func:`demo_corpus` (see :data:`CALL_COLUMNS`).

    Includes the urgent phone referrals that were never followed by an email.
    """
    _, calls = demo_messages(seed, start, days)
    return calls


def calls_csv(calls: list[dict[str, str]]) -> str:
    """``calls`` as CSV text with a header row of :data:`CALL_COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CALL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(calls)
    return out.getvalue()


# --- bulk corpus ----------------------------------------------------------------------------------

# Base64 turns each 57-byte chunk into one 76-character line; slicing a pre-encoded blob on whole
# lines therefore always gives valid base64 of a whole number of chunks.
_CHUNK = 57
_LINE = 78  # 76 characters plus CRLF
_POOL_SIZE = 8
_BULK_TYPES = (
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)
_BULK_TEXTS = (
    "Please find attached a Request for Service. Kind regards.",
    "Could someone call me back about a family I am worried about? No details included.",
    "Further to my call this morning, the RFS will follow shortly.",
    "Please could you confirm receipt of the referral I sent yesterday?",
)


def _encoded_pool(rng: random.Random, lines: int) -> list[bytes]:
    pool = []
    for _ in range(_POOL_SIZE):
        encoded = base64.b64encode(rng.randbytes(lines * _CHUNK))
        pool.append(b"".join(encoded[i : i + 76] + b"\r\n" for i in range(0, len(encoded), 76)))
    return pool


def bulk_corpus(
    n: int = 10_000,
    seed: int = 1,
    attach_ratio: float = 0.6,
    min_kb: int = 30,
    max_kb: int = 200,
) -> Iterator[bytes]:
    """``n`` raw messages for benchmarks, fast: no real documents are built.

    About ``attach_ratio`` of them carry one attachment of ``min_kb``..``max_kb`` KiB of random
    bytes (base64, named ``.pdf`` or ``.docx`` with the matching type), sliced from a small
    pre-encoded pool; the rest are short plain-text messages.
    """
    if not 0 < min_kb <= max_kb:
        raise ValueError("need 0 < min_kb <= max_kb")
    rng = random.Random(f"bulk|{seed}")
    min_lines = math.ceil(min_kb * 1024 / _CHUNK)
    max_lines = max(min_lines, max_kb * 1024 // _CHUNK)
    spare = 512
    pool = _encoded_pool(rng, max_lines + spare)
    senders = [make_referrer(rng) for _ in range(40)]
    start = uk_time(dt.datetime(2026, 3, 2, 8, 0))
    to = f"C-SPOC <{CSPOC_ADDRESS}>".encode()
    for index in range(n):
        sender = rng.choice(senders)
        domain = sender.email.rsplit("@", 1)[1]
        sent = start + dt.timedelta(seconds=index * 7 + rng.randint(0, 6))
        date = format_datetime(sent).encode()
        text = rng.choice(_BULK_TEXTS).encode()
        head = (
            b"Received: from smtp." + domain.encode() + b" by mx1.southend.example.gov.uk "
            b"with ESMTPS; " + date + b"\r\n"
            b"From: " + sender.name.encode() + b" <" + sender.email.encode() + b">\r\n"
            b"To: " + to + b"\r\n"
            b"Subject: RFS - OFFICIAL-SENSITIVE (" + str(index).encode() + b")\r\n"
            b"Date: " + date + b"\r\n"
            b"Message-ID: <bulk." + f"{seed}.{index:07d}".encode() + b"@" + domain.encode()
            + b">\r\nMIME-Version: 1.0\r\n"
        )  # fmt: skip
        if rng.random() >= attach_ratio:
            yield (
                head + b'Content-Type: text/plain; charset="us-ascii"\r\n'
                b"Content-Transfer-Encoding: 7bit\r\n\r\n" + text + b"\r\n"
            )
            continue
        lines = rng.randint(min_lines, max_lines)
        offset = rng.randrange(spare)
        body = rng.choice(pool)[offset * _LINE : (offset + lines) * _LINE]
        ext, content_type = rng.choice(_BULK_TYPES)
        boundary = f"----=_bulk_{seed}_{index:07d}".encode()
        name = f"RFS-{index:07d}.{ext}".encode()
        yield (
            head + b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n'
            b"--" + boundary + b'\r\nContent-Type: text/plain; charset="us-ascii"\r\n'
            b"Content-Transfer-Encoding: 7bit\r\n\r\n" + text + b"\r\n"
            b"--" + boundary + b"\r\nContent-Type: " + content_type.encode()
            + b'; name="' + name + b'"\r\nContent-Disposition: attachment; filename="'
            + name + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + body + b"--" + boundary + b"--\r\n"
        )  # fmt: skip
