"""``phone-no-same-day-email``: an urgent phone referral must be followed by the written form.

Southend's guidance: a professional who phones an urgent referral through must email the
completed Request for Service the same day. A call of kind ``consultation`` (advice only) never
owes one, nor does a call that is not urgent. The deadline follows ``rules.phone_deadline``
(default ``same_day``: the end of the call's calendar day, Europe/London). A written referral
about the same child received from a day before the call up to the deadline satisfies it; one
received later still closes the exception, marked late. Judged only once the deadline has passed.

Calls come from the call log and from referral forms that say they were phoned through first.
A declared call that the call log also recorded (the same child, the same day) is one call: it
is merged into the logged one, so the pair is judged, and raised, once; so is a call two forms
declare (the form sent again), merged into the first.
"""

from __future__ import annotations

import datetime as dt

from intake.cases import Case, Finding, Link, skip
from intake.checks import Check
from intake.checks.common import awaited, when

#: A written referral this long before the call counts (sent first, then phoned to flag it).
_BEFORE_CALL = dt.timedelta(hours=24)


def run(case: Case) -> Finding:
    call = case.call
    assert call is not None
    if call.kind == "consultation":
        return skip("a consultation, not a referral")
    if not call.urgent:
        return skip("not urgent")
    if not call.logged:
        same = _same_call(case)
        if same is not None:
            return Finding(
                "merged",
                f"the same call as call #{same.call.pk}" if same.call else "the same call",
                merged_into=same.key,
                links=(same,),
            )
    due = case.settings.calendar.deadline(call.called_at, case.settings.phone_deadline)
    written = sorted(
        (
            link
            for link in case.related_mail
            if link.form is not None and link.at >= call.called_at - _BEFORE_CALL
        ),
        key=lambda link: link.at,
    )
    source = (
        f"declared on the referral form in message #{call.message_pk}"
        if not call.logged
        else f"call #{call.pk}"
    )
    return awaited(
        case,
        written,
        due,
        what="Request for Service",
        waiting="waiting for the written Request for Service",
        missing=(
            f"urgent phone referral at {when(call.called_at, case)} ({source}); "
            f"no written Request for Service received by {when(due, case)}"
        ),
    )


def _same_call(case: Case) -> Link | None:
    """For a call a form declares: the call it is the same as, if there is one about the same
    child that day: the logged one, else the one an earlier form declared (a form sent twice)."""
    call = case.call
    assert call is not None
    zone = case.settings.calendar.zone
    day = call.called_at.astimezone(zone).date()
    same_day = [
        link
        for link in case.related_calls
        if link.call is not None
        and link.call.kind != "consultation"
        and link.call.called_at.astimezone(zone).date() == day
    ]
    logged = [link for link in same_day if link.call is not None and link.call.logged]
    if logged:
        return min(logged, key=lambda link: link.call.pk if link.call else 0)
    earlier = [link for link in same_day if link.call is not None and 0 < link.call.pk < call.pk]
    return min(earlier, key=lambda link: link.call.pk if link.call else 0) if earlier else None


CHECK = Check(
    code="phone-no-same-day-email",
    severity="exception",
    applies_to="call",
    description="urgent phone referral with no written Request for Service by its deadline",
    run=run,
)
