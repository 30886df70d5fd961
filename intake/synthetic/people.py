"""Fictional children, carers, referrers and the referrals they appear in, built from a seed.

Everything here is made up. Names come from short lists of common first names and surnames,
streets are invented, postcodes only have the shape of Southend ones (``SS1 2AB``), telephone
numbers sit in Ofcom's drama ranges (01632 960xxx, 07700 900xxx) and email addresses use
``example`` domains. The same seed always gives the same people.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from parsers.fields import CONCERN_CODES as _CONTRACT_CONCERNS

#: The concern codes a referral form can tick, in the order the forms list them.
CONCERN_CODES: tuple[str, ...] = _CONTRACT_CONCERNS

#: How each concern code is worded on a form's tick-box list.
CONCERN_LABELS: dict[str, str] = {
    "neglect": "Neglect",
    "physical_abuse": "Physical abuse",
    "emotional_abuse": "Emotional abuse",
    "sexual_abuse": "Sexual abuse",
    "domestic_abuse": "Domestic abuse",
    "cse": "Child sexual exploitation (CSE)",
    "cce": "Child criminal exploitation (CCE) / county lines",
    "hsb": "Harmful sexual behaviour (HSB)",
    "fgm": "Female genital mutilation (FGM)",
    "forced_marriage": "Forced marriage",
    "honour_based_abuse": "Honour-based abuse",
    "radicalisation": "Radicalisation / extremism",
    "missing": "Missing from home / care / education",
    "mental_health": "Mental health",
    "self_harm": "Self-harm",
    "substance_misuse": "Substance misuse",
    "online_harm": "Online harm",
    "trafficking": "Trafficking / modern slavery",
    "other": "Other",
}

#: The C-SPOC mailbox every synthetic referral is sent to (an ``example`` domain, not the real one).
CSPOC_ADDRESS = "c-spoc@southend.example.gov.uk"
#: The made-up webmail domain of referrers who write from a personal, non-secure address.
PERSONAL_DOMAIN = "mail.example.com"

_GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Poppy", "Evie", "Ella", "Ruby", "Chloe", "Emily", "Layla", "Maya",
)  # fmt: skip
_BOYS = (
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Jacob",
    "Thomas", "Alfie", "Freddie", "Theo", "Archie", "Joshua", "Ethan", "Riley", "Mason", "Kai",
)  # fmt: skip
_WOMEN = (
    "Sarah", "Emma", "Claire", "Lisa", "Michelle", "Rebecca", "Laura", "Nicola", "Kelly",
    "Samantha", "Joanne", "Hannah", "Gemma", "Aisha", "Natalie", "Kirsty",
)  # fmt: skip
_MEN = (
    "Daniel", "James", "Mark", "Paul", "Lee", "Craig", "Wayne", "Stephen", "Darren", "Kevin",
    "Ryan", "Adam", "Jamie", "Tariq", "Ben", "Scott",
)  # fmt: skip
_SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Cooper", "Ward", "Morris",
    "Harris", "Baker", "Lewis", "Martin", "Ahmed", "Nowak", "Okafor", "Mensah", "O'Connor",
    "McAllister", "Smith-Jones", "Fairweather", "Pennington",
)  # fmt: skip
_STREETS = (
    "Gullwing Road", "Samphire Close", "Mudflat Lane", "Lugworm Way", "Tidewater Crescent",
    "Winkle Row", "Oystercatcher Drive", "Barge Mews", "Saltings Walk", "Dunlin Avenue",
    "Breakwater Gardens", "Sandpiper Court", "Kittiwake Close", "Sea Lavender Way",
    "Cockleshell Street", "Bladderwrack Road", "Shingle Bank Avenue", "Lightship Grove",
)  # fmt: skip
#: Town names paired with the postcode districts that cover them.
_TOWNS = (
    ("Westcliff-on-Sea", "SS0"),
    ("Southend-on-Sea", "SS1"),
    ("Southend-on-Sea", "SS2"),
    ("Shoeburyness", "SS3"),
    ("Leigh-on-Sea", "SS9"),
    ("Thorpe Bay", "SS1"),
)
# Letters allowed in the inward unit of a UK postcode (no C, I, K, M, O, V).
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

#: C-SPOC staff who take calls (fictional).
CSPOC_STAFF = (
    "Helen Marsh", "Tom Ashdown", "Priya Nair", "Gareth Lowe", "Fiona Reedman", "Sam Okoro",
)  # fmt: skip


@dataclass(frozen=True)
class Agency:
    """A fictional organisation a referrer works for."""

    name: str
    #: ``school``, ``health``, ``police``, ``housing``, ``voluntary`` or ``early_years``.
    kind: str
    #: Mail domain of the organisation (always an ``example`` domain).
    domain: str
    roles: tuple[str, ...]
    #: For schools and nurseries, the ages (in whole years) of the children on roll.
    ages: tuple[int, int] = (0, 99)


AGENCIES: tuple[Agency, ...] = (
    Agency(
        "Seaview Primary School",
        "school",
        "seaview.school.example.sch.uk",
        ("Designated Safeguarding Lead", "Deputy Designated Safeguarding Lead", "Class Teacher"),
        (4, 10),
    ),
    Agency(
        "Estuary Academy",
        "school",
        "estuary-academy.school.example.sch.uk",
        ("Designated Safeguarding Lead", "Head of Year 9", "Pastoral Manager"),
        (11, 17),
    ),
    Agency(
        "Thamesmouth High School",
        "school",
        "thamesmouth.school.example.sch.uk",
        ("Designated Safeguarding Lead", "Attendance Officer", "Head of Year 11"),
        (11, 17),
    ),
    Agency(
        "Saltmarsh Junior School",
        "school",
        "saltmarsh.school.example.sch.uk",
        ("Designated Safeguarding Lead", "Learning Mentor", "Class Teacher"),
        (7, 10),
    ),
    Agency(
        "Kittiwake Infant School",
        "school",
        "kittiwake.school.example.sch.uk",
        ("Head Teacher", "Family Liaison Officer", "SENCo"),
        (4, 6),
    ),
    Agency(
        "Estuary Community Health - Health Visiting",
        "health",
        "nhs.example.net",
        ("Health Visitor", "Community Staff Nurse"),
    ),
    Agency(
        "School Nursing Team (South East Essex)",
        "health",
        "nhs.example.net",
        ("School Nurse", "Safeguarding Nurse"),
    ),
    Agency(
        "Estuary Hospital Emergency Department",
        "health",
        "nhs.example.net",
        ("Paediatric Liaison Nurse", "Emergency Department Registrar"),
    ),
    Agency(
        "Seafront Surgery",
        "health",
        "nhs.example.net",
        ("GP", "Practice Nurse"),
    ),
    Agency(
        "Police Safeguarding Hub (Southend District)",
        "police",
        "police.example.pnn.uk",
        ("Police Constable", "Detective Constable"),
    ),
    Agency(
        "Estuary Homes Housing Association",
        "housing",
        "housing.example.org",
        ("Tenancy Sustainment Officer", "Housing Officer"),
    ),
    Agency(
        "Tidewater Family Support",
        "voluntary",
        "charity.example.org",
        ("Family Support Worker", "Youth Worker"),
    ),
    Agency(
        "Little Gulls Day Nursery",
        "early_years",
        "nursery.example.org",
        ("Nursery Manager", "Key Worker"),
        (1, 3),
    ),
)


@dataclass(frozen=True)
class Child:
    """A fictional child named on a referral."""

    forenames: str
    surname: str
    #: ``None`` when the referrer left the date of birth blank.
    dob: dt.date | None
    #: ``Male`` or ``Female``.
    gender: str
    #: First line(s) and town, without the postcode.
    address: str
    postcode: str
    school: str = ""
    #: Only the month and year of birth are known (forms write ``est. 03/2019``); ``dob`` is the
    #: first of that month.
    dob_estimated: bool = False
    #: Not yet born: ``dob`` is the expected date of delivery (EDD).
    unborn: bool = False

    @property
    def full_name(self) -> str:
        """Forenames then surname."""
        return f"{self.forenames} {self.surname}"

    @property
    def initials(self) -> str:
        """Upper-case initials, e.g. ``O.S.`` (used in subjects instead of names)."""
        return f"{self.forenames[0]}.{self.surname[0]}."

    def to_expected(self) -> dict[str, Any]:
        """The canonical fields a parser should read back for this child."""
        return {
            "forenames": self.forenames,
            "surname": self.surname,
            "dob": self.dob.isoformat() if self.dob else None,
            "gender": self.gender,
            "address": self.address,
            "postcode": self.postcode,
        }

    def to_contract(self) -> dict[str, Any]:
        """This child as one entry of ``children`` in ``intake parse --json`` (contract §3)."""
        return {
            "forenames": self.forenames or None,
            "surname": self.surname or None,
            "dob": self.dob.isoformat() if self.dob else None,
            "gender": self.gender.lower() if self.gender else None,
            "address": self.address or None,
            "postcode": _postcode(self.postcode) or None,
        }


def _postcode(code: str) -> str:
    """A postcode in capitals with one space before the inward part (``ss12ab`` → ``SS1 2AB``)."""
    compact = "".join(code.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


@dataclass(frozen=True)
class Carer:
    """A fictional parent or carer."""

    name: str
    relationship: str
    dob: dt.date
    phone: str
    address: str
    postcode: str
    parental_responsibility: bool

    def to_expected(self) -> dict[str, Any]:
        """The canonical fields a parser should read back for this carer."""
        return {
            "name": self.name,
            "relationship": self.relationship,
            "dob": self.dob.isoformat(),
            "phone": self.phone,
            "address": self.address,
            "postcode": self.postcode,
            "parental_responsibility": self.parental_responsibility,
        }


@dataclass(frozen=True)
class Referrer:
    """A fictional professional making a referral."""

    name: str
    role: str
    agency: str
    #: Empty when the referrer left the telephone field blank.
    phone: str
    email: str
    agency_kind: str = "school"

    @property
    def forename(self) -> str:
        """First word of the name (for sign-offs)."""
        return self.name.split()[0]


@dataclass(frozen=True)
class Referral:
    """Everything a synthetic Request for Service says; forms and emails are rendered from it."""

    reference: str
    #: Local (UK) wall-clock time written on the form.
    referral_datetime: dt.datetime
    urgent: bool
    phoned: bool
    phoned_at: dt.datetime | None
    phoned_to: str | None
    #: Southend threshold level: 2 early help, 3 Supporting Families, 4 statutory social care.
    threshold_level: int
    referrer: Referrer
    children: tuple[Child, ...]
    carers: tuple[Carer, ...]
    #: ``None``: the referrer does not know (forms tick "Unknown").
    parents_aware: bool | None
    consent: bool | None
    #: Why consent was not sought; empty when consent was given or the referrer left it blank.
    consent_refused_reason: str
    dsl_consulted: bool | None
    known_to_csc: bool | None
    concerns: tuple[str, ...]
    concern_narrative: str
    gcp_attached_claimed: bool
    #: Other documents the form says are attached (besides any GCP2).
    other_attachments_listed: tuple[str, ...] = ()
    strengths: str = ""
    actions_taken: str = ""
    dsl_name: str = ""
    known_details: str = ""

    @property
    def referral_type(self) -> str:
        """``safeguarding`` for level 4, ``early_help`` for levels 2 and 3."""
        return "safeguarding" if self.threshold_level >= 4 else "early_help"

    @property
    def attachments_listed(self) -> tuple[str, ...]:
        """Every document the form claims is attached, GCP2 first."""
        gcp = ("Graded Care Profile 2 (GCP2)",) if self.gcp_attached_claimed else ()
        return gcp + self.other_attachments_listed

    def to_expected(self) -> dict[str, Any]:
        """The canonical field dict (names from domain.md §2) a parser should read back."""
        return {
            "referral_datetime": self.referral_datetime.strftime("%Y-%m-%dT%H:%M"),
            "referral_type": self.referral_type,
            "urgent": self.urgent,
            "phoned_first": self.phoned,
            "phoned_at": self.phoned_at.strftime("%Y-%m-%dT%H:%M") if self.phoned_at else None,
            "phoned_to": self.phoned_to,
            "threshold_level": self.threshold_level,
            "referrer_name": self.referrer.name,
            "referrer_role": self.referrer.role,
            "referrer_agency": self.referrer.agency,
            "referrer_phone": self.referrer.phone,
            "referrer_email": self.referrer.email,
            "children": [child.to_expected() for child in self.children],
            "carers": [carer.to_expected() for carer in self.carers],
            "parents_aware": self.parents_aware,
            "consent_given": self.consent,
            "no_consent_reason": self.consent_refused_reason or None,
            "dsl_consulted": self.dsl_consulted,
            "known_to_csc": self.known_to_csc,
            "concern_categories": list(self.concerns),
            "concern_narrative": self.concern_narrative,
            "gcp_attached_claimed": self.gcp_attached_claimed,
            "attachments_listed": list(self.attachments_listed),
        }

    def to_contract(self) -> dict[str, Any]:
        """What ``intake parse --json`` should say about a form carrying this referral.

        ``fields`` holds every contract §3 field (plain values, no confidences; ``None`` where
        the referral has no value), then ``children`` and ``concerns``. A form without a place
        for some field leaves it out; :mod:`intake.synthetic.templates` does that filtering.
        """
        first = self.children[0].to_contract() if self.children else {}
        return {
            "fields": {
                "referral_datetime": self.referral_datetime.strftime("%Y-%m-%dT%H:%M"),
                "urgent": self.urgent,
                "phoned": self.phoned,
                "phoned_at": self.phoned_at.strftime("%Y-%m-%dT%H:%M") if self.phoned_at else None,
                "phoned_to": self.phoned_to or None,
                "threshold_level": self.threshold_level,
                "referrer_name": self.referrer.name or None,
                "referrer_role": self.referrer.role or None,
                "referrer_agency": self.referrer.agency or None,
                "referrer_phone": self.referrer.phone or None,
                "referrer_email": self.referrer.email or None,
                **{f"child_{key}": first.get(key) for key in _CHILD_FIELD_KEYS},
                "parents_aware": _tri_state(self.parents_aware),
                "consent": _tri_state(self.consent),
                "consent_refused_reason": self.consent_refused_reason or None,
                "dsl_consulted": self.dsl_consulted,
                "known_to_csc": _tri_state(self.known_to_csc),
                "concern_narrative": " ".join(self.concern_narrative.split()) or None,
                "gcp_attached_claimed": self.gcp_attached_claimed,
            },
            "children": [child.to_contract() for child in self.children],
            "concerns": [code for code in CONCERN_CODES if code in self.concerns],
        }


_CHILD_FIELD_KEYS = ("forenames", "surname", "dob", "gender", "address", "postcode")


def _tri_state(value: bool | None) -> str:
    """``yes``/``no``/``unknown``, as the contract writes a yes/no/don't-know answer."""
    if value is None:
        return "unknown"
    return "yes" if value else "no"


def rng_for(seed: int | str | random.Random) -> random.Random:
    """A private ``random.Random`` for ``seed`` (a ``Random`` passed in is used as it is)."""
    if isinstance(seed, random.Random):
        return seed
    return random.Random(seed)


def landline(rng: random.Random) -> str:
    """A number in Ofcom's drama range for the 01632 area: ``01632 960xxx``."""
    return f"01632 960{rng.randrange(1000):03d}"


def mobile(rng: random.Random) -> str:
    """A mobile number in Ofcom's drama range: ``07700 900xxx``."""
    return f"07700 900{rng.randrange(1000):03d}"


def postcode(rng: random.Random, district: str) -> str:
    """A postcode shaped like a Southend one, e.g. ``SS1 2AB`` (not checked against real ones)."""
    unit = rng.choice(_UNIT_LETTERS) + rng.choice(_UNIT_LETTERS)
    return f"{district} {rng.randint(1, 9)}{unit}"


def address(rng: random.Random) -> tuple[str, str]:
    """An invented street address and a matching-district postcode."""
    town, district = rng.choice(_TOWNS)
    number = rng.randint(1, 140)
    street = rng.choice(_STREETS)
    line = f"{number} {street}, {town}"
    if rng.random() < 0.2:
        line = f"Flat {rng.randint(1, 12)}, {line}"
    return line, postcode(rng, district)


def _dob_for_age(rng: random.Random, on: dt.date, min_years: int, max_years: int) -> dt.date:
    days_old = rng.randint(min_years * 365 + 1, max_years * 365 + 300)
    return on - dt.timedelta(days=days_old)


def make_child(
    rng: random.Random,
    *,
    on: dt.date,
    surname: str | None = None,
    home: tuple[str, str] | None = None,
    min_age: int = 0,
    max_age: int = 16,
    gender: str | None = None,
) -> Child:
    """A fictional child aged ``min_age``..``max_age`` on ``on``."""
    gender = gender or rng.choice(("Female", "Male"))
    forename = rng.choice(_GIRLS if gender == "Female" else _BOYS)
    if rng.random() < 0.15:
        middle = rng.choice(_GIRLS if gender == "Female" else _BOYS)
        if middle != forename:
            forename = f"{forename} {middle}"
    street, code = home or address(rng)
    dob = _dob_for_age(rng, on, min_age, max_age)
    age = (on - dob).days // 365
    schools = [
        a.name
        for a in AGENCIES
        if a.kind in ("school", "early_years") and a.ages[0] <= age <= a.ages[1]
    ]
    school = rng.choice(schools) if schools else ""
    return Child(forename, surname or rng.choice(_SURNAMES), dob, gender, street, code, school)


def make_carer(
    rng: random.Random,
    *,
    on: dt.date,
    surname: str,
    home: tuple[str, str],
    relationship: str,
    oldest_child_age: int = 0,
) -> Carer:
    """A fictional adult carer living at ``home`` (or elsewhere, for a parent apart)."""
    female = relationship in ("Mother", "Stepmother", "Grandmother", "Aunt", "Foster carer")
    first = rng.choice(_WOMEN if female else _MEN)
    pr = relationship in ("Mother", "Father") or (
        relationship == "Grandmother" and rng.random() < 0.3
    )
    min_age = oldest_child_age + (38 if relationship == "Grandmother" else 18)
    return Carer(
        name=f"{first} {surname}",
        relationship=relationship,
        dob=_dob_for_age(rng, on, min_age, min_age + 17),
        phone=mobile(rng),
        address=home[0],
        postcode=home[1],
        parental_responsibility=pr,
    )


def agency_named(name: str) -> Agency | None:
    """The entry of :data:`AGENCIES` called ``name``, if any."""
    return next((a for a in AGENCIES if a.name == name), None)


def make_referrer(
    rng: random.Random, *, kinds: tuple[str, ...] = (), agency: Agency | None = None
) -> Referrer:
    """A fictional professional from ``agency`` or one of :data:`AGENCIES` (of ``kinds``)."""
    if agency is None:
        agency = rng.choice([a for a in AGENCIES if not kinds or a.kind in kinds])
    first = rng.choice(_WOMEN + _MEN)
    surname = rng.choice(_SURNAMES)
    local = f"{first}.{surname}".lower().replace("'", "")
    domain = agency.domain
    if agency.kind in ("voluntary", "housing", "early_years") and rng.random() < 0.08:
        # Now and then a referrer writes from a personal (insecure) mailbox.
        local, domain = local.replace(".", ""), PERSONAL_DOMAIN
    phone = landline(rng) if rng.random() < 0.7 else mobile(rng)
    return Referrer(
        name=f"{first} {surname}",
        role=rng.choice(agency.roles),
        agency=agency.name,
        phone=phone,
        email=f"{local}@{domain}",
        agency_kind=agency.kind,
    )


def make_family(
    rng: random.Random, *, on: dt.date, n_children: int, min_age: int = 0, max_age: int = 16
) -> tuple[tuple[Child, ...], tuple[Carer, ...]]:
    """Siblings sharing a surname and address, plus one or two carers."""
    surname = rng.choice(_SURNAMES)
    home = address(rng)
    children = []
    used: set[str] = set()
    for _ in range(n_children):
        child = make_child(rng, on=on, surname=surname, home=home, min_age=min_age, max_age=max_age)
        while child.forenames in used:
            child = make_child(
                rng, on=on, surname=surname, home=home, min_age=min_age, max_age=max_age
            )
        used.add(child.forenames)
        children.append(child)
    oldest = max((on - child.dob).days // 365 for child in children if child.dob)

    def carer(relationship: str, surname: str, home: tuple[str, str]) -> Carer:
        return make_carer(
            rng,
            on=on,
            surname=surname,
            home=home,
            relationship=relationship,
            oldest_child_age=oldest,
        )

    carers = [carer("Mother", surname, home)]
    roll = rng.random()
    if roll < 0.45:
        carers.append(carer("Father", surname, home))
    elif roll < 0.65:
        carers.append(carer("Father", rng.choice(_SURNAMES), address(rng)))
    elif roll < 0.75:
        carers.append(carer("Grandmother", surname, home))
    return tuple(children), tuple(carers)
