"""Fictional referrals: who refers whom, for what, with a narrative that matches the concerns."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from intake.synthetic.people import (
    CONCERN_CODES,
    CSPOC_STAFF,
    Child,
    Referral,
    agency_named,
    make_family,
    make_referrer,
    rng_for,
)

#: Relative frequency of each concern on an ordinary day's referrals (a rough guess, not data).
_CONCERN_WEIGHTS: dict[str, int] = {
    "neglect": 20,
    "physical_abuse": 12,
    "emotional_abuse": 14,
    "sexual_abuse": 4,
    "domestic_abuse": 15,
    "cse": 2,
    "cce": 2,
    "hsb": 2,
    "fgm": 1,
    "forced_marriage": 1,
    "honour_based_abuse": 1,
    "radicalisation": 1,
    "missing": 3,
    "mental_health": 8,
    "self_harm": 5,
    "substance_misuse": 6,
    "online_harm": 4,
    "trafficking": 1,
    "other": 2,
}

# Concerns that only make sense for older children, and the ages used for them.
_TEEN_CONCERNS = frozenset(
    {"cse", "cce", "forced_marriage", "self_harm", "radicalisation", "missing", "trafficking"}
)
# Concerns where telling the parents first could put the child at more risk.
_SECRET_CONCERNS = frozenset({"sexual_abuse", "fgm", "honour_based_abuse", "forced_marriage"})

#: What referrers write for each concern: ``{c}`` child, ``{he}``/``{him}``/``{his}`` pronouns,
#: ``{carer}`` first carer's first name, ``{day}`` a recent weekday, ``{setting}`` school or
#: nursery.
_SENTENCES: dict[str, tuple[str, ...]] = {
    "neglect": (
        "{c} has come to {setting} in the same unwashed clothes for most of the last two weeks "
        "and staff were told there was no food at home over the weekend.",
        "Home visits found the kitchen without working appliances, little food in the house and "
        "dog faeces on the floor of the room where {c} sleeps.",
        "{c} has missed two dental appointments and a hospital follow-up, and {his} head lice "
        "have not been treated despite repeated reminders to {carer}.",
    ),
    "physical_abuse": (
        "On {day} {c} arrived with a bruise to {his} left cheek and said that {carer}'s partner "
        "had hit {him} with a shoe.",
        "{c} had finger-tip bruising to {his} upper arm which {he} could not explain and became "
        "upset when asked about it.",
    ),
    "emotional_abuse": (
        "Staff have heard {carer} shouting at {c} at the gate, calling {him} stupid and "
        "worthless, and {c} appears frightened at home time.",
        "{c} describes being left to stay in {his} room for whole weekends as a punishment.",
    ),
    "sexual_abuse": (
        "On {day} {c} told a member of staff that an adult male visitor to the home had touched "
        "{him} in a way that made {him} feel uncomfortable; {his} exact words were recorded.",
    ),
    "domestic_abuse": (
        "Police attended the family home on {day} following a report of an argument in which "
        "{carer} was pushed against a wall; {c} was present.",
        "{carer} has disclosed that {her_carer} partner controls the money and has threatened to "
        "take the children if she leaves.",
    ),
    "cse": (
        "{c} has been seen getting into cars driven by older males after school and has new "
        "clothes and a phone that the family cannot explain.",
    ),
    "cce": (
        "{c} has been found in possession of several phones and cash, and was stopped by police "
        "in another town at 1am; there are concerns about county lines involvement.",
    ),
    "hsb": (
        "{c} was seen on {day} touching a younger pupil over clothing in the toilets and used "
        "sexualised language well beyond what is expected for {his} age.",
    ),
    "fgm": (
        "{c} told a teacher that {he} is going abroad this summer for a special ceremony to "
        "'become a woman', and an older sister has previously undergone a procedure.",
    ),
    "forced_marriage": (
        "{c} has said that {his} family have arranged for {him} to marry a cousin during the "
        "holidays and {he} does not want to go.",
    ),
    "honour_based_abuse": (
        "{c} says {he} has been threatened by relatives after being seen with a boyfriend and is "
        "frightened to go home.",
    ),
    "radicalisation": (
        "{c} has been sharing extremist material with peers and expressing support for violence "
        "against a particular community.",
    ),
    "missing": (
        "{c} has been reported missing three times in the past month, returning each time "
        "without saying where {he} has been.",
    ),
    "mental_health": (
        "{carer} has been struggling with low mood and has told the health visitor she cannot "
        "always get out of bed to care for {c}.",
        "{c} has talked about feeling hopeless and is not sleeping.",
    ),
    "self_harm": (
        "{c} has fresh cuts on {his} forearms and told a friend that {he} wants to end {his} life.",
    ),
    "substance_misuse": (
        "{carer} appeared intoxicated when collecting {c} on {day} and was unable to walk in a "
        "straight line.",
        "There are reports of drug use in the home and drug paraphernalia has been seen within "
        "{c}'s reach.",
    ),
    "online_harm": (
        "{c} has been sending images of {him}self to an adult {he} met on a gaming platform who "
        "is asking to meet.",
    ),
    "trafficking": (
        "{c} arrived in the area recently with an adult who is not a relative and has no school "
        "place; {he} appears to be working long hours.",
    ),
    "other": ("The family is about to be evicted and has nowhere to go.",),
}

_CONSENT_REASONS = (
    "Informing the parents at this stage could place the child at increased risk of harm.",
    "The alleged abuser lives in the home; advice was to seek consent only after C-SPOC review.",
    "Mother could not be contacted today despite three attempts.",
    "Father declined consent but the concerns meet the threshold for significant harm.",
)
_STRENGTHS = (
    "{carer} engages well with {setting} and attends meetings when invited.",
    "{c} has a good relationship with {his} grandmother, who lives locally.",
    "{c} attends {setting} regularly and has a trusted adult there.",
    "The family have accepted early help in the past and made progress.",
)
_ACTIONS = (
    "Discussed with DSL; breakfast club and uniform offered; referral to food bank made.",
    "Early Help Assessment started last term; Team Around the Family meeting held.",
    "Spoken to {carer} about the concerns; advice given; GP informed.",
    "Welfare check requested; incident logged on our safeguarding system.",
)
_KNOWN_DETAILS = (
    "Child in Need plan closed in 2024.",
    "Previously on a child protection plan under the category of neglect.",
    "Open to Supporting Families (Level 3) until last year.",
    "Not known to us; family moved into the area recently.",
)


def _pick_concerns(rng: random.Random) -> tuple[str, ...]:
    codes = list(_CONCERN_WEIGHTS)
    weights = list(_CONCERN_WEIGHTS.values())
    count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
    chosen: list[str] = []
    while len(chosen) < count:
        code = rng.choices(codes, weights=weights)[0]
        if code not in chosen:
            chosen.append(code)
    # Keep the form's order so the tick-boxes and the expected list agree.
    return tuple(code for code in CONCERN_CODES if code in chosen)


def _pronouns(child: Child) -> dict[str, str]:
    if child.gender == "Female":
        return {"he": "she", "him": "her", "his": "her"}
    return {"he": "he", "him": "him", "his": "his"}


def _fill(template: str, child: Child, carer_name: str, day: str) -> str:
    setting = "nursery" if not child.school or "Nursery" in child.school else "school"
    text = template.format(
        c=child.forenames.split()[0],
        carer=carer_name,
        day=day,
        her_carer="her",
        setting=setting,
        **_pronouns(child),
    )
    return text[0].upper() + text[1:]


def narrative(
    rng: random.Random,
    *,
    children: Sequence[Child],
    carer_name: str,
    concerns: Sequence[str],
    when: dt.datetime,
    urgent: bool,
    gcp_claimed: bool,
    brook_used: bool,
) -> str:
    """A few sentences describing ``concerns`` for ``children``, in a referrer's voice."""
    first = children[0]
    day = (when - dt.timedelta(days=rng.randint(1, 3))).strftime("%A")
    firsts = [child.forenames.split()[0] for child in children]
    names = firsts[0] if len(firsts) == 1 else f"{', '.join(firsts[:-1])} and {firsts[-1]}"
    parts = [f"I am referring {names} because of the following concerns."]
    for code in concerns:
        parts.append(_fill(rng.choice(_SENTENCES[code]), first, carer_name, day))
    if gcp_claimed:
        parts.append(
            _fill(
                "I have completed a Graded Care Profile 2 with {carer} over four visits and have "
                "attached it.",
                first,
                carer_name,
                day,
            )
        )
    if brook_used:
        parts.append(
            _fill(
                "Using the Brook Traffic Light Tool, I would rate this behaviour as red for {his} "
                "age.",
                first,
                carer_name,
                day,
            )
        )
    if urgent:
        parts.append(
            _fill("I am worried that {c} is not safe to go home tonight.", first, carer_name, day)
        )
    return " ".join(parts)


def make_referral(
    seed: int | str | random.Random,
    *,
    when: dt.datetime | None = None,
    concerns: Sequence[str] | None = None,
    urgent: bool | None = None,
    phoned: bool | None = None,
    phoned_at: dt.datetime | None = None,
    threshold_level: int | None = None,
    n_children: int | None = None,
    gcp_attached_claimed: bool | None = None,
    other_attachments: Sequence[str] | None = None,
    consent: bool | None = None,
    referrer_kinds: tuple[str, ...] = (),
    missing: Sequence[str] = (),
    reference: str | None = None,
) -> Referral:
    """A fictional referral; any argument left ``None`` is chosen from ``seed``.

    ``when`` is the local time written on the form (default: a Monday morning in March 2026);
    ``phoned_at`` defaults to 10-90 minutes before it when ``phoned``.
    ``missing`` blanks core fields to test the checks: ``child_dob``, ``referrer_phone``,
    ``consent_reason``.
    """
    rng = rng_for(seed)
    if when is None:
        when = dt.datetime(2026, 3, 2, 9, 0) + dt.timedelta(minutes=rng.randint(0, 480))
    if concerns is None:
        concerns = _pick_concerns(rng)
    unknown = set(concerns) - set(CONCERN_CODES)
    if unknown:
        raise ValueError(f"unknown concern codes: {sorted(unknown)}")
    concerns = tuple(code for code in CONCERN_CODES if code in concerns)
    if urgent is None:
        urgent = rng.random() < 0.12
    if phoned is None:
        phoned = urgent or rng.random() < 0.05
    if threshold_level is None:
        threshold_level = 4 if urgent else rng.choices((2, 3, 4), weights=(25, 35, 40))[0]
    if threshold_level not in (2, 3, 4):
        raise ValueError(f"threshold_level must be 2, 3 or 4, not {threshold_level}")
    if n_children is None:
        n_children = rng.choices((1, 2, 3), weights=(65, 25, 10))[0]

    teen = bool(_TEEN_CONCERNS & set(concerns))
    min_age, max_age = (11, 16) if teen else ((5, 14) if "hsb" in concerns else (0, 15))
    children, carers = make_family(
        rng, on=when.date(), n_children=n_children, min_age=min_age, max_age=max_age
    )

    if not referrer_kinds:
        if "hsb" in concerns or teen:
            referrer_kinds = ("school", "police", "voluntary")
        elif max(child.dob or when.date() for child in children) > when.date() - dt.timedelta(
            days=730
        ):
            referrer_kinds = ("health", "early_years", "housing")
    school = agency_named(children[0].school)
    if school and (not referrer_kinds or school.kind in referrer_kinds) and rng.random() < 0.6:
        referrer = make_referrer(rng, agency=school)
    else:
        referrer = make_referrer(rng, kinds=referrer_kinds)
    if "referrer_phone" in missing:
        referrer = type(referrer)(
            referrer.name, referrer.role, referrer.agency, "", referrer.email, referrer.agency_kind
        )
    if "child_dob" in missing:
        first = children[0]
        children = (
            Child(
                first.forenames,
                first.surname,
                None,
                first.gender,
                first.address,
                first.postcode,
                first.school,
            ),
            *children[1:],
        )

    phoned_to: str | None = None
    if phoned:
        gap = dt.timedelta(minutes=rng.randint(10, 90))
        opening = when.replace(hour=9, minute=0)
        # Calls happen in opening hours: no earlier than 09:00 on a form written after 09:05.
        earliest = opening if when - opening >= dt.timedelta(minutes=5) else when - gap
        phoned_at = phoned_at or max(when - gap, earliest)
        phoned_to = rng.choice(CSPOC_STAFF)
    else:
        phoned_at = None

    secret = bool(_SECRET_CONCERNS & set(concerns))
    parents_aware = (rng.random() < 0.3) if secret else (rng.random() < 0.9)
    if consent is None:
        consent = parents_aware and rng.random() < 0.9
    reason = ""
    if not consent and "consent_reason" not in missing:
        reason = _CONSENT_REASONS[0] if secret else rng.choice(_CONSENT_REASONS)

    if gcp_attached_claimed is None:
        gcp_attached_claimed = "neglect" in concerns and rng.random() < 0.85
    if other_attachments is None:
        extra: list[str] = []
        if "hsb" in concerns:
            extra.append("Brook Traffic Light Tool")
        if {"cse", "cce"} & set(concerns):
            extra.append("Child Exploitation Pathway screening tool")
        if rng.random() < 0.15:
            extra.append("Chronology")
        other_attachments = extra
    carer_first = carers[0].name.split()[0]
    dsl_consulted = rng.random() < (0.92 if referrer.agency_kind == "school" else 0.7)
    known = rng.random() < 0.35
    first_child = children[0]
    return Referral(
        reference=reference or f"SYN-{when:%Y%m%d}-{rng.randrange(16**4):04X}",
        referral_datetime=when,
        urgent=urgent,
        phoned=phoned,
        phoned_at=phoned_at,
        phoned_to=phoned_to,
        threshold_level=threshold_level,
        referrer=referrer,
        children=children,
        carers=carers,
        parents_aware=parents_aware,
        consent=consent,
        consent_refused_reason=reason,
        dsl_consulted=dsl_consulted,
        known_to_csc=known,
        concerns=concerns,
        concern_narrative=narrative(
            rng,
            children=children,
            carer_name=carer_first,
            concerns=concerns,
            when=when,
            urgent=urgent,
            gcp_claimed=gcp_attached_claimed,
            brook_used="Brook Traffic Light Tool" in other_attachments,
        ),
        gcp_attached_claimed=gcp_attached_claimed,
        other_attachments_listed=tuple(other_attachments),
        strengths=_fill(rng.choice(_STRENGTHS), first_child, carer_first, ""),
        actions_taken=_fill(rng.choice(_ACTIONS), first_child, carer_first, ""),
        dsl_name=f"{rng.choice(('Mrs', 'Mr', 'Ms'))} {rng.choice(('Archer', 'Bell', 'Dale'))}"
        if dsl_consulted
        else "",
        known_details=rng.choice(_KNOWN_DETAILS) if known else "",
    )
