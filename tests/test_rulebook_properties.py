"""Properties of the two deadline rules, checked with hypothesis on cases built by hand.

No database: each example builds :class:`~intake.cases.Case` values (a phone call, a referral
form, the emails related to them) the way :mod:`intake.rulebook` hands them to the pure checks
in :mod:`intake.checks`, and compares the finding with a plain statement of the rule:

* ``phone-no-same-day-email``: an urgent referral call owes a written RFS by
  ``calendar.deadline(called_at, policy)``; one received from 24 hours before the call up to the
  deadline satisfies it; one received later closes it, late; none raises it; nothing is decided
  while the deadline is still ahead.
* ``neglect-no-gcp``: a neglect referral owes a Graded Care Profile, attached or received by the
  close of its working day (from ``gcp_lookback_days`` before it); the same late/pending rules.

The related emails a case sees are only those received by ``as_of``, as the rule book gathers
them. Every person here is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.calendar import DeadlinePolicy, WorkingCalendar
from intake.cases import Attachment, Call, Case, Finding, Form, Link, Mail, RuleSettings
from intake.checks import by_code
from intake.matching import Person, compare

CALENDAR = WorkingCalendar.default()
LONDON = CALENDAR.zone
PHONE = by_code("phone-no-same-day-email")
NEGLECT = by_code("neglect-no-gcp")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A written referral this long before the call still counts for it (sent, then phoned).
BEFORE_CALL = dt.timedelta(hours=24)
SENDER = "wren.halloway@seaview.school.example.sch.uk"

CHILD = Person("Jonathan", "Smith", dt.date(2017, 5, 4), "SS1 4DP")
NAMESAKE = Person("Jonathan", "Smith", dt.date(2017, 5, 5), "SS1 4DP")

# -- strategies -----------------------------------------------------------------------------------

#: Whole-minute moments from 2025 to 2027 (three years of weekends, bank holidays and clock
#: changes), as UTC instants: unambiguous, whatever the local clock did.
moments = st.builds(
    lambda minutes: dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes),
    st.integers(0, 3 * 365 * 24 * 60),
)
#: A gap from minutes to a fortnight, in seconds.
gaps = st.integers(0, 14 * 24 * 3600).map(lambda s: dt.timedelta(seconds=s))
policies = st.one_of(
    st.just(DeadlinePolicy("same_day")),
    st.just(DeadlinePolicy("same_working_day")),
    st.integers(1, 40).map(lambda n: DeadlinePolicy("working_hours", n)),
)
#: An email about the call's child: from two days before the call to a fortnight after.
offsets = st.integers(-2 * 24 * 60, 14 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))


SAME_DAY = DeadlinePolicy("same_day")


def rules(policy: DeadlinePolicy = SAME_DAY) -> RuleSettings:
    return RuleSettings(calendar=CALENDAR, phone_deadline=policy)


# -- records --------------------------------------------------------------------------------------


def attachment(ordinal: int, kind: str, child: Person | None = None) -> Attachment:
    names = {"rfs": "RFS.docx", "gcp": "GCP2.docx"}
    return Attachment(
        ordinal=ordinal,
        filename=names.get(kind, "letter.docx"),
        content_type=DOCX,
        inline=False,
        size=24_000,
        kind=kind,
        children=(child,) if child is not None and kind == "gcp" else (),
    )


def form(pk: int, child: Person, concerns: Sequence[str], claimed: bool | None = None) -> Form:
    fields: dict[str, object] = {
        "child_forenames": child.forenames,
        "child_surname": child.surname,
        "child_dob": child.dob.isoformat() if child.dob else None,
    }
    if claimed is not None:
        fields["gcp_attached_claimed"] = claimed
    return Form(
        message_pk=pk,
        ordinal=1,
        sha256=f"{pk:064x}",
        fields=fields,
        children=(child,),
        concerns=frozenset(concerns),
    )


def referral_mail(
    pk: int,
    received_at: dt.datetime,
    *,
    child: Person = CHILD,
    concerns: Sequence[str] = ("physical_abuse",),
    gcp: bool = False,
    claimed: bool | None = None,
) -> Mail:
    """An email with one RFS about ``child`` (and the GCP too when ``gcp``)."""
    parts = [attachment(1, "rfs")]
    if gcp:
        parts.append(attachment(2, "gcp", child))
    return Mail(
        pk=pk,
        message_id=f"<referral-{pk}@seaview.school.example.sch.uk>",
        received_at=received_at,
        sender=SENDER,
        subject="Request for Service",
        in_reply_to=None,
        references=(),
        attachments=tuple(parts),
        forms=(form(pk, child, concerns, claimed),),
    )


def gcp_mail(pk: int, received_at: dt.datetime, child: Person = CHILD) -> Mail:
    """A follow-up with only the Graded Care Profile (naming ``child``) attached."""
    return Mail(
        pk=pk,
        message_id=f"<gcp-{pk}@seaview.school.example.sch.uk>",
        received_at=received_at,
        sender=SENDER,
        subject="GCP",
        in_reply_to=None,
        references=(),
        attachments=(attachment(1, "gcp", child),),
        forms=(),
    )


def form_link(mail: Mail, about: Person) -> Link | None:
    """The link the rule book would make from a call about ``about`` to ``mail``'s form."""
    found = mail.forms[0]
    match = compare(about, found.children[0])
    if match is None or match.confidence < 0.6:
        return None
    return Link.of(match, mail=mail, form=found)


def seen(links: Sequence[Link | None], as_of: dt.datetime) -> tuple[Link, ...]:
    """The links a case judged at ``as_of`` sees: records received by then."""
    return tuple(link for link in links if link is not None and link.at <= as_of)


def urgent_call(
    called_at: dt.datetime,
    *,
    pk: int = 1,
    urgent: bool = True,
    kind: str = "referral",
    source: str = "csv",
    child: Person = CHILD,
) -> Call:
    return Call(
        pk=pk,
        called_at=called_at,
        child=child,
        urgent=urgent,
        kind=kind,
        source=source,
        caller_name="Wren Halloway",
        message_pk=99 if source == "form" else None,
        form_ordinal=1 if source == "form" else None,
    )


def call_case(
    call: Call,
    emails: Sequence[Mail],
    as_of: dt.datetime,
    policy: DeadlinePolicy,
    calls: Sequence[Link] = (),
) -> Case:
    return Case(
        kind="call",
        as_of=as_of,
        settings=rules(policy),
        call=call,
        related_mail=seen([form_link(mail, call.child) for mail in emails], as_of),
        related_calls=tuple(calls),
    )


def form_case(mail: Mail, related: Sequence[Mail], as_of: dt.datetime) -> Case:
    return Case(
        kind="form",
        as_of=as_of,
        settings=rules(),
        mail=mail,
        form=mail.forms[0],
        related_mail=seen(
            [Link(1.0, {"dob": "equal"}, other) for other in related if other.pk != mail.pk],
            as_of,
        ),
    )


# -- the rule, stated plainly ---------------------------------------------------------------------


def expected(
    due: dt.datetime,
    arrived: dt.datetime | None,
    as_of: dt.datetime,
    earliest: dt.datetime,
) -> tuple[str, bool | None]:
    """(outcome, late) for an item owed by ``due`` that arrived at ``arrived`` (or never), judged
    at ``as_of``; an item before ``earliest`` does not count."""
    counted = arrived is not None and earliest <= arrived <= as_of
    if counted and arrived is not None and arrived <= due:
        return "miss", None
    if as_of < due:
        return "pending", None
    if counted:
        return "hit", True
    return "hit", None


def outcome(finding: Finding) -> tuple[str, bool | None]:
    return finding.outcome, finding.late


# -- phone-no-same-day-email ----------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(called=moments, offset=offsets, after=gaps, policy=policies)
def test_an_urgent_call_is_raised_iff_its_email_came_after_the_deadline(
    called: dt.datetime, offset: dt.timedelta, after: dt.timedelta, policy: DeadlinePolicy
) -> None:
    """GIVEN an urgent phone referral at any moment, under any deadline policy, and an RFS about
    the same child received at any moment from two days before to a fortnight after it
    WHEN the check judges the call at any moment after the later of the deadline and the email
    THEN it hits exactly when the email came after the deadline (or over 24 hours before the
    call), and the hit is late exactly when the email came after the deadline."""
    email = referral_mail(2, called + offset)
    due = CALENDAR.deadline(called, policy)
    as_of = max(due, email.received_at) + after
    finding = PHONE.run(call_case(urgent_call(called), [email], as_of, policy))
    assert outcome(finding) == expected(due, email.received_at, as_of, called - BEFORE_CALL)
    assert finding.due_at == due
    if finding.outcome == "hit":
        late = email.received_at > due and email.received_at >= called - BEFORE_CALL
        assert finding.late is (True if late else None)
        assert (finding.arrived_at == email.received_at) is late


@settings(deadline=None, max_examples=200)
@given(called=moments, offset=offsets, judged=offsets, policy=policies)
def test_a_phone_check_judged_at_any_moment_follows_the_rule(
    called: dt.datetime, offset: dt.timedelta, judged: dt.timedelta, policy: DeadlinePolicy
) -> None:
    """GIVEN an urgent call and an RFS about the child at any moments
    WHEN the check runs at any moment (before or after the deadline, before or after the email)
    THEN the finding is what the rule says: miss for an email in time, pending while the deadline
    is ahead, otherwise a hit (late when the email had arrived by then)."""
    email = referral_mail(2, called + offset)
    as_of = called + abs(judged)
    due = CALENDAR.deadline(called, policy)
    finding = PHONE.run(call_case(urgent_call(called), [email], as_of, policy))
    assert outcome(finding) == expected(due, email.received_at, as_of, called - BEFORE_CALL)


@settings(deadline=None, max_examples=200)
@given(called=moments, judged=gaps, policy=policies)
def test_nothing_is_decided_before_the_phone_deadline(
    called: dt.datetime, judged: dt.timedelta, policy: DeadlinePolicy
) -> None:
    """GIVEN an urgent call with no email about the child
    WHEN the check runs at any moment before the deadline, then at the deadline itself
    THEN it is pending (due at the deadline) before, and a hit, not late, from the deadline on."""
    due = CALENDAR.deadline(called, policy)
    before = max(called, due - judged - dt.timedelta(seconds=1))
    early = PHONE.run(call_case(urgent_call(called), [], before, policy))
    assert (early.outcome, early.due_at) == ("pending", due)
    at_due = PHONE.run(call_case(urgent_call(called), [], due, policy))
    assert outcome(at_due) == ("hit", None)


@settings(deadline=None, max_examples=150)
@given(
    called=moments,
    offset=offsets,
    after=gaps,
    policy=policies,
    urgent=st.booleans(),
    kind=st.sampled_from(["referral", "consultation"]),
)
def test_non_urgent_calls_and_consultations_never_raise(
    called: dt.datetime,
    offset: dt.timedelta,
    after: dt.timedelta,
    policy: DeadlinePolicy,
    urgent: bool,
    kind: str,
) -> None:
    """GIVEN a call that is not urgent, or is a professional consultation, with or without an
    email at any moment
    WHEN the check runs at any moment
    THEN it skips the call: never a hit, never pending."""
    if urgent and kind == "referral":
        urgent = False
    call = urgent_call(called, urgent=urgent, kind=kind)
    for emails in ([], [referral_mail(2, called + offset)]):
        finding = PHONE.run(call_case(call, emails, called + after, policy))
        assert finding.outcome == "skip"


@settings(deadline=None, max_examples=150)
@given(called=moments, offset=offsets, after=gaps, policy=policies)
def test_an_email_about_a_namesake_with_another_birthday_never_satisfies_a_call(
    called: dt.datetime, offset: dt.timedelta, after: dt.timedelta, policy: DeadlinePolicy
) -> None:
    """GIVEN an urgent call about Jonathan Smith born 04/05/2017 and an RFS about a Jonathan Smith
    born a day later, received at any moment
    WHEN the check runs after the deadline
    THEN the call is a hit, not late: the email is about another child."""
    email = referral_mail(2, called + offset, child=NAMESAKE)
    as_of = CALENDAR.deadline(called, policy) + after
    finding = PHONE.run(call_case(urgent_call(called), [email], as_of, policy))
    assert outcome(finding) == ("hit", None)


@settings(deadline=None, max_examples=150)
@given(declared=moments, logged=offsets, after=gaps, policy=policies)
def test_a_declared_call_merges_into_the_logged_call_of_the_same_local_day(
    declared: dt.datetime, logged: dt.timedelta, after: dt.timedelta, policy: DeadlinePolicy
) -> None:
    """GIVEN a call a referral form declares and a logged urgent call about the same child
    WHEN the declared call is judged
    THEN it is merged into the logged call exactly when both were on the same London day."""
    form_call = urgent_call(declared, source="form")
    log_call = urgent_call(declared + logged, pk=2)
    match = compare(form_call.child, log_call.child)
    assert match is not None
    link = Link.of(match, call=log_call)
    as_of = max(declared, declared + logged) + after
    finding = PHONE.run(call_case(form_call, [], as_of, policy, calls=[link]))
    same_day = declared.astimezone(LONDON).date() == (declared + logged).astimezone(LONDON).date()
    assert (finding.outcome == "merged") is same_day
    if same_day:
        assert finding.merged_into == log_call.key


# -- neglect-no-gcp -------------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(
    received=moments,
    judged=offsets,
    claimed=st.sampled_from([True, False, None]),
    also=st.lists(offsets, max_size=2),
)
def test_a_neglect_referral_with_its_gcp_attached_never_raises(
    received: dt.datetime,
    judged: dt.timedelta,
    claimed: bool | None,
    also: list[dt.timedelta],
) -> None:
    """GIVEN a neglect referral with the Graded Care Profile attached, received at any moment,
    whatever its form claims, and any other GCP emails about the child
    WHEN the check runs at any moment after it arrived
    THEN it is a miss: never a hit, never pending."""
    mail = referral_mail(1, received, concerns=("neglect",), gcp=True, claimed=claimed)
    others = [gcp_mail(10 + n, received + gap) for n, gap in enumerate(also)]
    finding = NEGLECT.run(form_case(mail, others, received + abs(judged)))
    assert finding.outcome == "miss"


@settings(deadline=None, max_examples=200)
@given(received=moments, offset=offsets, judged=offsets, claimed=st.booleans())
def test_a_neglect_referral_follows_the_rule_for_a_gcp_sent_separately(
    received: dt.datetime, offset: dt.timedelta, judged: dt.timedelta, claimed: bool
) -> None:
    """GIVEN a neglect referral without its GCP, received at any moment, and the Graded Care
    Profile for the child in another email at any moment from two days before to a fortnight
    after
    WHEN the check runs at any moment after the referral arrived
    THEN the finding is what the rule says: due at the close of the referral's working day, a
    miss when the GCP came in time (from a day before), pending while the deadline is ahead,
    otherwise a hit, late when the GCP had arrived by then; a hit says whether the form claimed
    a GCP was attached."""
    mail = referral_mail(1, received, concerns=("neglect",), claimed=claimed)
    follow_up = gcp_mail(2, received + offset)
    as_of = received + abs(judged)
    due = CALENDAR.end_of_working_day(received)
    finding = NEGLECT.run(form_case(mail, [follow_up], as_of))
    lookback = received - dt.timedelta(days=rules().gcp_lookback_days)
    assert outcome(finding) == expected(due, follow_up.received_at, as_of, lookback)
    if finding.outcome != "miss" or finding.due_at is not None:
        assert finding.due_at == due
    if finding.outcome == "hit":
        assert ("the form says one is attached" in finding.detail) is claimed


@settings(deadline=None, max_examples=200)
@given(received=moments, judged=gaps)
def test_nothing_is_decided_before_the_close_of_the_referrals_working_day(
    received: dt.datetime, judged: dt.timedelta
) -> None:
    """GIVEN a neglect referral without a GCP, received at any moment
    WHEN the check runs at any moment before the close of its working day, then at the close
    THEN it is pending before and a hit from the close on; the close is a closing time of a
    working day (17:30 Mon-Thu, 16:30 Fri London time), after the referral arrived."""
    mail = referral_mail(1, received, concerns=("neglect",))
    due = CALENDAR.end_of_working_day(received)
    assert due > received
    local = due.astimezone(LONDON)
    assert CALENDAR.is_working_day(local.date())
    assert local.time() == (dt.time(16, 30) if local.weekday() == 4 else dt.time(17, 30))
    before = max(received, due - judged - dt.timedelta(seconds=1))
    assert NEGLECT.run(form_case(mail, [], before)).outcome == "pending"
    assert outcome(NEGLECT.run(form_case(mail, [], due))) == ("hit", None)


OTHER_CONCERNS = st.sets(st.sampled_from(["physical_abuse", "domestic_abuse", "other"]))


@settings(deadline=None, max_examples=100)
@given(received=moments, judged=gaps, concerns=OTHER_CONCERNS)
def test_a_referral_without_neglect_never_owes_a_gcp(
    received: dt.datetime, judged: dt.timedelta, concerns: set[str]
) -> None:
    """GIVEN a referral whose concerns do not include neglect, received at any moment
    WHEN the check runs at any moment
    THEN it skips it."""
    mail = referral_mail(1, received, concerns=sorted(concerns))
    assert NEGLECT.run(form_case(mail, [], received + judged)).outcome == "skip"
