"""Turning what a person typed into the contract's value shapes, with how sure we are.

Each reader here takes the raw text of one answer and returns a :class:`Read` (value, confidence,
notes) or ``None`` when there is no answer. Dates are read day-first, as everyone writing a UK
form means them; a month name or a four-digit year first is honoured where it appears.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from parsers.layout import TICKED, UNTICKED


@dataclass(frozen=True)
class Read:
    """One value read from an answer."""

    value: str | bool | int
    confidence: float = 1.0
    #: Short notes for warnings (``estimated``, ``expected date of delivery``…).
    notes: tuple[str, ...] = ()


_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Trim and collapse every run of whitespace (newlines too) to one space."""
    return _WS.sub(" ", text).strip()


# --- choices -------------------------------------------------------------------------------------

_GLYPHS = TICKED + UNTICKED


def has_boxes(text: str) -> bool:
    """True when the answer is drawn as tick boxes."""
    return TICKED in text or UNTICKED in text


def options(text: str) -> list[tuple[str, bool]]:
    """The (option, ticked) pairs of a tick-box answer, in order.

    Works whether the box comes before its label (``☒ Yes ☐ No``) or after it (``Yes ☒ No ☐``).
    """
    if not has_boxes(text):
        return []
    pieces = re.split(f"([{_GLYPHS}])", text)
    stripped = text.strip()
    box_first = stripped[:1] in _GLYPHS or stripped[-1:] not in _GLYPHS
    found: list[tuple[str, bool]] = []
    if box_first:
        # pieces: [before, glyph, label, glyph, label, …]
        for index in range(1, len(pieces) - 1, 2):
            label = _option_label(pieces[index + 1])
            found.append((label, pieces[index] == TICKED))
    else:
        # pieces: [label, glyph, label, glyph, …, tail]
        for index in range(1, len(pieces), 2):
            label = _option_label(pieces[index - 1])
            found.append((label, pieces[index] == TICKED))
    return [(label, ticked) for label, ticked in found if label]


def _option_label(text: str) -> str:
    return collapse(text.strip(" \t/|,;:-"))


def ticked(text: str) -> list[str]:
    """The ticked options' labels (empty when nothing is ticked or there are no boxes)."""
    return [label for label, on in options(text) if on]


_YES = re.compile(r"^(?:yes|y|yep|true|agreed|consent(?:ed)? given|given|aware)\b", re.IGNORECASE)
_NO = re.compile(r"^(?:no|n|none|false|not (?:given|aware|sought|obtained)|refused)\b", re.I)
_UNKNOWN = re.compile(
    r"^(?:unknown|not known|don'?t know|do not know|unsure|not sure|n/?k|n/?a|not applicable)\b",
    re.IGNORECASE,
)


def yes_no(text: str) -> Read | None:
    """``yes``/``no``/``unknown`` from ticked boxes or typed words; ``None`` when unanswered."""
    text = collapse(text).strip(" /|,;")
    if not text:
        return None
    if text in (TICKED, UNTICKED):  # a lone box: ticked means yes, empty is no answer
        return Read("yes", 0.85) if text == TICKED else None
    if text.lower() in ("x", "✓", "✔"):  # a mark in a "Mark X" column
        return Read("yes", 0.8)
    if has_boxes(text):
        chosen = ticked(text)
        if not chosen:
            return None
        answers = {a for a in (_word_answer(c) for c in chosen) if a is not None}
        if len(answers) == 1:
            return Read(answers.pop(), 0.98)
        return None if not answers else Read("unknown", 0.5, ("conflicting ticks",))
    # "Yes / No" left with both options is unanswered; one struck out leaves the other.
    words = [w for w in re.split(r"\s*[/|]\s*|\s+or\s+", text) if w]
    if len(words) >= 2 and all(_word_answer(w) is not None for w in words[:3]):
        answers_typed = {_word_answer(w) for w in words}
        if len(answers_typed) > 1:
            return None
    answer = _word_answer(text)
    if answer is None:
        return None
    return Read(answer, 0.95 if len(text) <= 12 else 0.85)


def _word_answer(text: str) -> str | None:
    text = text.strip(" .:-–*/|,;")
    if _UNKNOWN.match(text):
        return "unknown"
    if _NO.match(text):
        return "no"
    if _YES.match(text):
        return "yes"
    return None


def boolean(text: str) -> Read | None:
    """``True``/``False`` from a yes/no answer (``unknown`` is no answer)."""
    read = yes_no(text)
    if read is None or read.value == "unknown":
        return None
    return Read(read.value == "yes", read.confidence, read.notes)


# --- dates ---------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # ISO first: four-digit year leads.
    re.compile(r"\b(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    # 04/03/2019, 4-3-19, 04.03.19, 04 03 2019
    re.compile(r"\b(?P<d>\d{1,2})\s?[-/.]\s?(?P<m>\d{1,2})\s?[-/.]\s?(?P<y>\d{4}|\d{2})\b"),
    # 4 March 2019, 4th Mar 2019, 4-Mar-19
    re.compile(
        rf"\b(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?[\s\-/.]*{_MONTH}\.?,?[\s\-/.]*(?P<y>\d{{4}}|\d{{2}})\b",
        re.I,
    ),
    # March 4 2019, March 4th, 2019
    re.compile(rf"\b{_MONTH}\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", re.I),
)
_MONTH_YEAR = (
    re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})\s?[/.-]\s?(?P<y>\d{4})\b"),
    re.compile(rf"\b{_MONTH}\.?,?\s+(?P<y>\d{{4}})\b", re.I),
)
_ESTIMATED = re.compile(r"\b(?:est(?:imated)?|approx(?:imately)?|circa|c\.|around|about)\b", re.I)
_EDD = re.compile(r"\b(?:e\.?d\.?d\.?|expected|due date|due|unborn|pregnan\w*)\b", re.I)
_AGE_ONLY = re.compile(r"^\s*(?:aged?\s*)?\d{1,2}\s*(?:y(?:ea)?rs?|yo)\b", re.I)


def _year(text: str, *, future_ok: bool, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000
        if not future_ok and year > today.year:
            year -= 100
    return year


def _month_number(text: str | None, digits: str | None) -> int:
    if digits is not None:
        return int(digits)
    assert text is not None
    return _MONTHS[text.lower().rstrip(".")]


def date_value(text: str, *, future_ok: bool = True, today: dt.date | None = None) -> Read | None:
    """A date (``YYYY-MM-DD``) from any UK way of writing it; ``None`` when there is none."""
    text = collapse(text)
    if not text:
        return None
    today = today or dt.date.today()
    notes: list[str] = []
    confidence = 0.97
    if _EDD.search(text):
        notes.append("expected date of delivery")
        future_ok = True
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            year = _year(parts["y"], future_ok=future_ok or bool(notes), today=today)
            month = _month_number(parts.get("mon"), parts.get("m"))
            day = int(parts["d"])
            value = dt.date(year, month, day)
        except (ValueError, KeyError):
            continue
        if len(parts["y"]) == 2:
            confidence = 0.9
        if _ESTIMATED.search(text):
            notes.append("estimated")
            confidence = min(confidence, 0.8)
        return Read(value.isoformat(), confidence, tuple(notes))
    for pattern in _MONTH_YEAR:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            value = dt.date(int(parts["y"]), _month_number(parts.get("mon"), parts.get("m")), 1)
        except (ValueError, KeyError):
            continue
        notes.append("estimated" if _ESTIMATED.search(text) else "month only")
        return Read(value.isoformat(), 0.7, tuple(notes))
    if _AGE_ONLY.match(text) or len(text) > 40 or not re.search(r"\d", text):
        return None
    try:
        value = date_parser.parse(text, dayfirst=True, fuzzy=True, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if value.year == 1:
        return None
    return Read(value.date().isoformat(), 0.6, tuple(notes))


_TIME = re.compile(
    r"(?<![\d/.])(?P<h>[01]?\d|2[0-3])(?:\s?[:.h]\s?(?P<m>[0-5]\d))?\s?(?P<ampm>[ap]\.?m\.?)?(?:\s?hrs|\s?hours)?(?![\d/])",
    re.IGNORECASE,
)
_TIME_24 = re.compile(r"(?<![\d/.])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s?(?:hrs|hours|h)\b", re.I)


def time_value(text: str) -> str | None:
    """``HH:MM`` from 14:30, 14.30, 2.30pm, 2pm, 1430hrs; ``None`` when there is no time."""
    text = collapse(text)
    match = _TIME_24.search(text)
    if match:
        return f"{int(match['h']):02d}:{match['m']}"
    for match in _TIME.finditer(text):
        if match["m"] is None and match["ampm"] is None:
            continue  # a bare number is not a time
        hour = int(match["h"])
        ampm = (match["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        return f"{hour:02d}:{match['m'] or '00'}"
    return None


def _without_dates(text: str) -> str:
    for pattern in _DATE_PATTERNS:
        text = pattern.sub(" ", text)
    return text


def without_dates_and_times(text: str) -> str:
    """``text`` with every date and time in it taken out (to leave a name beside them)."""
    text = _without_dates(text)
    text = _TIME_24.sub(" ", text)
    return re.sub(
        r"(?<![\d/.])(?:[01]?\d|2[0-3])(?:\s?[:.]\s?[0-5]\d\s?(?:[ap]\.?m\.?)?|\s?[ap]\.?m\.?)(?:\s?hrs)?",
        " ",
        text,
        flags=re.I,
    )


def datetime_value(text: str, *, today: dt.date | None = None) -> Read | None:
    """``YYYY-MM-DDTHH:MM`` when a time is written, else ``YYYY-MM-DD``; ``None`` when no date."""
    date = date_value(text, today=today)
    if date is None:
        return None
    when = time_value(_without_dates(collapse(text)))
    if when is None:
        return date
    return Read(f"{date.value}T{when}", date.confidence, date.notes)


# --- people and places ---------------------------------------------------------------------------

_POSTCODE = re.compile(
    r"\b(?P<out>(?:GIR|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?))\s*(?P<in>\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)


def postcode(text: str) -> Read | None:
    """A UK postcode, upper-case with one space (``SS1 2AB``)."""
    match = _POSTCODE.search(text)
    if not match:
        return None
    return Read(f"{match['out'].upper()} {match['in'].upper()}", 0.98)


def split_address(text: str) -> tuple[str | None, str | None]:
    """An address without its postcode, and the postcode.

    Address lines typed one under another become "line, line"; a long line that merely wrapped
    (its lines already carry commas) is joined with a space.
    """
    code = postcode(text)
    body = _POSTCODE.sub(" ", text) if code else text
    lines = [line.strip() for line in body.replace("\r", "\n").split("\n") if line.strip(" ,")]
    wrapped = any("," in line.rstrip(" ,") for line in lines)
    body = (" " if wrapped else ", ").join(lines)
    body = re.sub(r"\s*,\s*(?:,\s*)+", ", ", collapse(body)).strip(" ,;")
    body = re.sub(r"\s*,?\s*(?:post\s*code|pc)\s*:?\s*$", "", body, flags=re.I).strip(" ,;")
    body = re.sub(r"\s+,", ",", body)
    return (body or None, code.value if code else None)  # type: ignore[return-value]


_GENDERS = (
    (re.compile(r"^(?:m|male|boy|man|son|he/him|he)$", re.I), "male"),
    (re.compile(r"^(?:f|female|girl|woman|daughter|she/her|she)$", re.I), "female"),
    (re.compile(r"^(?:unknown|not known|unborn|n/?k|tbc|to be confirmed|u)$", re.I), "unknown"),
    (re.compile(r"^(?:non[- ]?binary|nb|they/them)$", re.I), "non-binary"),
    (re.compile(r"^(?:trans(?:gender)?\s*(?:male|boy|man)|trans\s*m)$", re.I), "male"),
    (re.compile(r"^(?:trans(?:gender)?\s*(?:female|girl|woman)|trans\s*f)$", re.I), "female"),
)


def gender(text: str) -> Read | None:
    """``male``/``female``/``unknown``/… from M/F, Boy/Girl, ticks or words."""
    chosen = ticked(text) if has_boxes(text) else [text]
    for choice in chosen:
        word = collapse(choice).strip(" .:-()")
        for pattern, value in _GENDERS:
            if pattern.match(word):
                return Read(value, 0.97)
        first = re.split(r"[\s/(,]", word, maxsplit=1)[0]
        for pattern, value in _GENDERS:
            if first and pattern.match(first):
                return Read(value, 0.85)
    if has_boxes(text) or not collapse(text):
        return None
    return Read(collapse(text).lower(), 0.5, ("unrecognised",))


_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|master|baby)\.?\s+", re.I)


def split_name(text: str) -> tuple[str | None, str | None]:
    """(forenames, surname) from one name field: ``Jay Alex Smith`` or ``SMITH, Jay``."""
    text = collapse(re.sub(r"\(.*?\)", " ", text))
    text = _TITLES.sub("", text)
    if not text:
        return None, None
    if "," in text:
        surname, _, forenames = text.partition(",")
        return (collapse(forenames) or None, collapse(surname) or None)
    words = text.split(" ")
    if len(words) == 1:
        return words[0], None
    # A surname written in capitals after the forenames: "Jay Alex SMITH".
    return " ".join(words[:-1]), words[-1]


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def email(text: str) -> Read | None:
    """The first email address in the text."""
    match = _EMAIL.search(text.replace("mailto:", " "))
    return Read(match.group(0).rstrip("."), 0.98) if match else None


_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|\(?0)[\d\s()-]{8,16}\d")


def phone(text: str) -> Read | None:
    """The first UK telephone number, as written (spaces collapsed)."""
    match = _PHONE.search(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(0))
    if not 10 <= len(digits) <= 13:
        return None
    return Read(collapse(match.group(0)), 0.95)


_LEVEL_WORDS = (
    (re.compile(r"\b(?:level|tier|lvl)\s*[:\-]?\s*(?P<n>[1-4])\b", re.I), 0.97),
    (re.compile(r"^\s*(?P<n>[1-4])\s*(?:[-:.)]|$)"), 0.9),
    (re.compile(r"\b(?:level|tier)\s*(?P<r>iv|iii|ii|i)\b", re.I), 0.9),
)
_LEVEL_NAMES = (
    (re.compile(r"\b(?:statutory|safeguarding|child protection|acute|specialist)\b", re.I), 4),
    (re.compile(r"\b(?:supporting families|complex|intensive)\b", re.I), 3),
    (re.compile(r"\b(?:early help|targeted|additional)\b", re.I), 2),
    (re.compile(r"\buniversal\b", re.I), 1),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def level(text: str) -> Read | None:
    """The threshold level 1–4 from ``Level 3``, ``Tier 4``, a ticked option or a level's name."""
    chosen = ticked(text) if has_boxes(text) else [text]
    if has_boxes(text) and not chosen:
        return None
    for choice in chosen:
        for pattern, confidence in _LEVEL_WORDS:
            match = pattern.search(choice)
            if match:
                number = match.groupdict().get("n")
                value = int(number) if number else _ROMAN[match["r"].lower()]
                return Read(value, confidence)
        for pattern, value in _LEVEL_NAMES:
            if pattern.search(choice):
                return Read(value, 0.75)
    return None
