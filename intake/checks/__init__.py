"""The exception checks, one module each, in one ordered registry.

A check is a pure function of one :class:`~intake.cases.Case` (a referral form, a message or a
phone call, with what is related to it) returning one :class:`~intake.cases.Finding`: a hit
with its reason, a miss, ``pending`` while its deadline is still ahead, or ``skip`` when it does
not apply. It never touches the database: :mod:`intake.rulebook` gathers the case, runs every
check that applies to it and hands the findings to the store, which records hits and misses and
raises, or resolves, exceptions.

Codes are stable kebab-case names (contract section 5); the README has a row for each. A
duplicate code fails at import, that is at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from intake.cases import AnchorKind, Case, Finding, Severity


@dataclass(frozen=True)
class Check:
    """One registered check: its code, severity, what it judges and the function."""

    code: str
    severity: Severity
    #: ``form`` (each referral form), ``mail`` (each message) or ``call`` (each phone contact).
    applies_to: AnchorKind
    #: One line for people (`intake check --list`, the README).
    description: str
    run: Callable[[Case], Finding]


def _registry() -> tuple[Check, ...]:
    from intake.checks import (
        attachment_unreadable,
        consent_no_reason,
        core_fields_missing,
        exploitation_no_tool,
        hsb_no_brook,
        insecure_sender,
        neglect_no_gcp,
        no_referral_form,
        out_of_hours,
        phone_no_same_day_email,
        re_referral,
    )

    return (
        neglect_no_gcp.CHECK,
        phone_no_same_day_email.CHECK,
        consent_no_reason.CHECK,
        core_fields_missing.CHECK,
        attachment_unreadable.CHECK,
        hsb_no_brook.CHECK,
        exploitation_no_tool.CHECK,
        re_referral.CHECK,
        no_referral_form.CHECK,
        out_of_hours.CHECK,
        insecure_sender.CHECK,
    )


def assert_unique(registry: Sequence[Check]) -> None:
    seen: set[str] = set()
    for check in registry:
        if check.code in seen:
            raise RuntimeError(f"two checks share the code {check.code!r}")
        seen.add(check.code)


#: Every check, in the order they run and are listed.
REGISTRY: tuple[Check, ...] = _registry()
assert_unique(REGISTRY)
CODES: tuple[str, ...] = tuple(check.code for check in REGISTRY)


def by_code(code: str) -> Check:
    for check in REGISTRY:
        if check.code == code:
            return check
    raise KeyError(code)
