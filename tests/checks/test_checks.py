"""Each check on its own: a pure function of one case, judged without a database.

Cases are built by hand here; the scenario tests (tests/test_rulebook.py) go through the real
pipeline. Every check gets a hit, a miss and, where it has a deadline, a pending case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from intake import checks
from intake.calendar import WorkingCalendar, parse_policy
from intake.cases import Attachment, Call, Case, Form, Link, Mail, RuleSettings
from intake.matching import Person
from intake.mentions import Mentions

LONDON = zoneinfo.ZoneInfo("Europe/London")
SETTINGS = RuleSettings(
    calendar=WorkingCalendar.default(),
    phone_deadline=parse_policy("same_day"),
    secure_domains=("gov.uk", "nhs.net", "sch.uk"),
)
CHILD = Person("Ava", "Fairbank", dt.date(2019, 3, 4), "SS1 2AB")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def attachment(ordinal: int, kind: str, name: str = "file.docx", **extra: Any) -> Attachment:
    values: dict[str, Any] = {
        "ordinal": ordinal,
        "filename": name,
        "content_type": "application/octet-stream",
        "inline": False,
        "size": 100_000,
        "kind": kind,
    }
    values.update(extra)
    return Attachment(**values)


def form(
    pk: int = 1,
    concerns: tuple[str, ...] = (),
    children: tuple[Person, ...] = (CHILD,),
    sha: str = "a" * 64,
    **fields: object,
) -> Form:
    values: dict[str, object] = {
        "child_address": "1 Samphire Close",
        "referrer_phone": "01702 000000",
    }
    values.update(fields)
    return Form(pk, 1, sha, values, children, frozenset(concerns))


def mail(
    pk: int = 1,
    received: str = "2026-03-04T10:00",
    forms: tuple[Form, ...] = (),
    attachments: tuple[Attachment, ...] = (),
    sender: str = "dsl@school.example.sch.uk",
    **extra: Any,
) -> Mail:
    parts = attachments or tuple(attachment(f.ordinal, "rfs") for f in forms)
    return Mail(
        pk=pk,
        message_id=f"<{pk}@example>",
        received_at=at(received),
        sender=sender,
        subject="Referral",
        in_reply_to=None,
        references=(),
        attachments=parts,
        forms=forms,
        mentions=extra.pop("mentions", Mentions()),
        **extra,
    )


def form_case(
    m: Mail, as_of: str = "2026-03-10T09:00", related: tuple[Link, ...] = (), **extra: Any
) -> Case:
    return Case("form", at(as_of), SETTINGS, mail=m, form=m.forms[0], related_mail=related, **extra)


def link(m: Mail, with_form: bool = False) -> Link:
    return Link(0.9, {"dob": "equal"}, m, None, m.forms[0] if with_form and m.forms else None)


def run(code: str, case: Case) -> Any:
    return checks.by_code(code).run(case)


# -- the registry -----------------------------------------------------------------------------


def test_registry_codes_are_unique_kebab_case_and_documented() -> None:
    """Every check has a stable kebab-case code, a severity, a description and a README row."""
    text = (Path(checks.__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for check in checks.REGISTRY:
        assert check.code.replace("-", "").isalnum() and check.code == check.code.lower()
        assert check.severity in {"exception", "info"}
        assert check.applies_to in {"form", "mail", "call"}
        assert f"| `{check.code}` |" in text, check.code
    assert checks.CODES[:2] == ("neglect-no-gcp", "phone-no-same-day-email")


def test_a_duplicate_code_fails_at_start_up() -> None:
    """GIVEN a registry with one code twice WHEN it is checked THEN start-up stops, naming it."""
    twice = (checks.REGISTRY[0], checks.REGISTRY[0])
    with pytest.raises(RuntimeError, match="neglect-no-gcp"):
        checks.assert_unique(twice)


# -- neglect-no-gcp ---------------------------------------------------------------------------


def test_neglect_with_a_gcp_attached_is_a_miss() -> None:
    m = mail(
        forms=(form(concerns=("neglect",)),),
        attachments=(attachment(1, "rfs"), attachment(2, "gcp")),
    )
    assert run("neglect-no-gcp", form_case(m)).outcome == "miss"


def test_neglect_without_a_gcp_waits_for_the_end_of_the_working_day() -> None:
    """GIVEN a neglect referral at 10:00 on a Wednesday with no GCP
    WHEN judged at 12:00 THEN pending until 17:30; WHEN judged the next day THEN a hit due 17:30,
    and the detail says the form claims one is attached."""
    m = mail(forms=(form(concerns=("neglect",), gcp_attached_claimed=True),))
    early = run("neglect-no-gcp", form_case(m, as_of="2026-03-04T12:00"))
    assert early.outcome == "pending" and early.due_at == at("2026-03-04T17:30")
    late = run("neglect-no-gcp", form_case(m))
    assert late.outcome == "hit" and late.due_at == at("2026-03-04T17:30")
    assert "form says one is attached" in late.detail


def test_a_gcp_in_another_email_that_day_counts_and_the_next_day_is_late() -> None:
    m = mail(forms=(form(concerns=("neglect",)),))
    same_day = mail(2, "2026-03-04T16:00", attachments=(attachment(1, "gcp"),))
    next_day = mail(3, "2026-03-05T09:30", attachments=(attachment(1, "gcp"),))
    assert run("neglect-no-gcp", form_case(m, related=(link(same_day),))).outcome == "miss"
    found = run("neglect-no-gcp", form_case(m, related=(link(next_day),)))
    assert found.outcome == "hit" and found.late is True and found.arrived_in == 3


def test_an_unreadable_attachment_that_might_be_the_gcp_is_named() -> None:
    unread = attachment(2, "unreadable", "GCP.pdf", warnings=("encrypted",))
    m = mail(forms=(form(concerns=("neglect",)),), attachments=(attachment(1, "rfs"), unread))
    found = run("neglect-no-gcp", form_case(m))
    assert found.outcome == "hit" and "attachment 2 could not be read (encrypted)" in found.detail


def test_no_neglect_or_a_copy_is_skipped() -> None:
    m = mail(forms=(form(concerns=("physical_abuse",)),))
    assert run("neglect-no-gcp", form_case(m)).outcome == "skip"
    copy = mail(forms=(form(concerns=("neglect",)),))
    assert run("neglect-no-gcp", form_case(copy, copy_of="form:9:1")).outcome == "skip"


# -- phone-no-same-day-email ------------------------------------------------------------------


def call(called: str = "2026-03-04T10:00", **extra: Any) -> Call:
    values: dict[str, Any] = {
        "pk": 5,
        "called_at": at(called),
        "child": CHILD,
        "urgent": True,
        "kind": "referral",
        "source": "csv",
    }
    values.update(extra)
    return Call(**values)


def call_case(c: Call, as_of: str = "2026-03-10T09:00", **extra: Any) -> Case:
    return Case("call", at(as_of), SETTINGS, call=c, **extra)


@pytest.mark.parametrize(
    ("email", "as_of", "outcome", "late"),
    [
        ("2026-03-04T15:00", "2026-03-10T09:00", "miss", None),
        (None, "2026-03-04T20:00", "pending", None),
        (None, "2026-03-05T00:00", "hit", None),
        ("2026-03-05T00:10", "2026-03-10T09:00", "hit", True),
    ],
)
def test_an_urgent_call_owes_a_written_referral_the_same_day(
    email: str | None, as_of: str, outcome: str, late: bool | None
) -> None:
    related: tuple[Link, ...] = ()
    if email is not None:
        written = mail(2, email, forms=(form(2),))
        related = (link(written, with_form=True),)
    found = run("phone-no-same-day-email", call_case(call(), as_of, related_mail=related))
    assert found.outcome == outcome and found.late == late
    if outcome != "miss":
        assert found.due_at == at("2026-03-04T23:59:59")


def test_consultations_and_calls_that_are_not_urgent_owe_nothing() -> None:
    assert run("phone-no-same-day-email", call_case(call(kind="consultation"))).outcome == "skip"
    assert run("phone-no-same-day-email", call_case(call(urgent=False))).outcome == "skip"


def test_a_declared_call_the_log_also_has_is_merged_into_it() -> None:
    """GIVEN a call a form declares and a logged call about the same child that day
    WHEN the declared one is judged THEN it is merged into the logged one (judged once)."""
    declared = call(source="form", message_pk=7, form_ordinal=1, pk=8)
    logged = call(called="2026-03-04T10:05", pk=9)
    found = run(
        "phone-no-same-day-email",
        call_case(declared, related_calls=(Link(0.95, {"dob": "equal"}, call=logged),)),
    )
    assert found.outcome == "merged" and found.merged_into == "call:9"


@pytest.mark.parametrize(
    ("policy", "email", "outcome"),
    [
        ("same_day", "2026-03-09T10:00", "hit"),
        ("same_working_day", "2026-03-09T10:00", "miss"),
        ("working_hours:4", "2026-03-09T10:00", "miss"),
        ("working_hours:4", "2026-03-09T14:00", "hit"),
    ],
)
def test_a_friday_16_45_call_under_each_policy(policy: str, email: str, outcome: str) -> None:
    settings = dataclasses.replace(SETTINGS, phone_deadline=parse_policy(policy))
    written = mail(2, email, forms=(form(2),))
    case = Case(
        "call",
        at("2026-03-12T09:00"),
        settings,
        call=call("2026-03-06T16:45"),
        related_mail=(link(written, with_form=True),),
    )
    assert run("phone-no-same-day-email", case).outcome == outcome


# -- the other form checks --------------------------------------------------------------------


def test_consent_no_without_a_reason() -> None:
    refused = mail(forms=(form(consent="no"),))
    assert run("consent-no-reason", form_case(refused)).outcome == "hit"
    reasoned = mail(forms=(form(consent="no", consent_refused_reason="Risk of harm"),))
    assert run("consent-no-reason", form_case(reasoned)).outcome == "miss"
    unaware = mail(forms=(form(parents_aware="no"),))
    assert "parents aware: no" in run("consent-no-reason", form_case(unaware)).detail
    given = mail(forms=(form(consent="yes", parents_aware="yes"),))
    assert run("consent-no-reason", form_case(given)).outcome == "skip"


def test_core_fields_missing_names_the_fields_never_values() -> None:
    bare = Form(1, 1, "b" * 64, {}, (Person("Ava", None, None),), frozenset())
    found = run("core-fields-missing", form_case(mail(forms=(bare,))))
    assert found.outcome == "hit"
    for name in ("child's name", "date of birth or EDD", "address", "referrer's phone or email"):
        assert name in found.detail
    assert "Ava" not in found.detail
    assert run("core-fields-missing", form_case(mail(forms=(form(),)))).outcome == "miss"


def test_hsb_without_brook_and_exploitation_without_a_tool_are_info() -> None:
    hsb = mail(forms=(form(concerns=("hsb",)),))
    assert run("hsb-no-brook", form_case(hsb)).outcome == "hit"
    told = mail(forms=(form(concerns=("hsb",), concern_narrative="Rated red on the Brook tool"),))
    assert run("hsb-no-brook", form_case(told)).outcome == "miss"
    cce = mail(forms=(form(concerns=("cce",)),))
    assert run("exploitation-no-tool", form_case(cce)).outcome == "hit"
    tool = mail(
        forms=(form(concerns=("cce",)),),
        attachments=(attachment(1, "rfs"), attachment(2, "exploitation_tool")),
    )
    assert run("exploitation-no-tool", form_case(tool)).outcome == "miss"
    assert checks.by_code("hsb-no-brook").severity == "info"


def test_re_referral_within_the_period_but_not_a_copy_or_the_same_day() -> None:
    now = mail(5, "2026-03-04T10:00", forms=(form(5, sha="c" * 64),))
    before = mail(2, "2025-12-01T10:00", forms=(form(2, sha="d" * 64),))
    long_ago = mail(3, "2025-06-01T10:00", forms=(form(3, sha="e" * 64),))
    same_day = mail(4, "2026-03-04T09:00", forms=(form(4, sha="f" * 64),))
    hit = run("re-referral", form_case(now, related=(link(before, True),)))
    assert hit.outcome == "hit" and "93 days ago" in hit.detail
    for other in (long_ago, same_day):
        assert run("re-referral", form_case(now, related=(link(other, True),))).outcome == "miss"


# -- message checks ---------------------------------------------------------------------------


def mail_case(m: Mail, related: tuple[Link, ...] = ()) -> Case:
    return Case("mail", at("2026-03-10T09:00"), SETTINGS, mail=m, related_mail=related)


def test_unreadable_documents_but_not_logos() -> None:
    logo = attachment(
        2,
        "unreadable",
        "image001.png",
        content_type="image/png",
        size=4_000,
        warnings=("no text layer: image file",),
    )
    assert run("attachment-unreadable", mail_case(mail(attachments=(logo,)))).outcome == "miss"
    locked = attachment(1, "unreadable", "RFS.docx", warnings=("encrypted",))
    found = run("attachment-unreadable", mail_case(mail(attachments=(locked,))))
    assert found.outcome == "hit" and found.detail == "attachment 1 could not be read: encrypted"


def test_no_referral_form_unless_it_follows_one() -> None:
    query = mail(2, attachments=(attachment(1, "other", "letter.pdf"),))
    assert run("no-referral-form", mail_case(query)).outcome == "hit"
    earlier = mail(1, "2026-03-04T09:00", forms=(form(),))
    assert run("no-referral-form", mail_case(query, (link(earlier, True),))).outcome == "miss"


def test_out_of_hours_and_insecure_senders() -> None:
    night = mail(received="2026-03-04T19:10", forms=(form(),))
    found = run("out-of-hours", mail_case(night))
    assert found.outcome == "hit" and "starts 09:00 Thu 5 Mar 2026" in found.detail
    assert run("out-of-hours", mail_case(mail(forms=(form(),)))).outcome == "miss"
    webmail = mail(forms=(form(),), sender="someone@mail.example.com")
    assert run("insecure-sender", mail_case(webmail)).outcome == "hit"
    school = mail(forms=(form(),), sender="dsl@kittiwake.school.example.sch.uk")
    assert run("insecure-sender", mail_case(school)).outcome == "miss"


def test_a_neglect_tick_for_a_past_concern_is_not_a_neglect_referral() -> None:
    """GIVEN a form with neglect ticked (for a past plan) whose narrative says there are no
    concerns about neglect now WHEN judged THEN it is not a neglect referral."""
    past = mail(
        forms=(form(concerns=("neglect",), concern_narrative="No current concerns about neglect."),)
    )
    found = run("neglect-no-gcp", form_case(past))
    assert found.outcome == "skip" and "not a concern" in found.detail
