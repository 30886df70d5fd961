"""What a message mentions that can tie it to a child: name words, dates and postcodes.

A follow-up email ("GCP for Jay Smith, DOB 04/03/2019, as promised") often carries no referral
form of its own. Its subject, body and file names are reduced here to folded words that could
be names, the dates they give and the postcodes they quote; the rule book compares those with
the children of earlier referrals. Only this reduced form is kept (for matching), never the text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import parser as dateparser

from intake.matching import fold

#: Most words kept per message: names are near the top of a follow-up; this bounds hostile mail.
MAX_WORDS = 300
MAX_DATES = 40
#: Text read per message (subject, body, file names): a follow-up names the child early on.
MAX_CHARS = 20_000

_WORD = re.compile(r"\b[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*\b")
_NUMERIC_DATE = re.compile(
    r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b"
)
_WORDY_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"\.?,?\s+\d{4}\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
#: Capitalised words that are not names, common at the start of sentences and in signatures.
_NOT_NAMES = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "apologies",
        "are",
        "as",
        "at",
        "attached",
        "be",
        "best",
        "by",
        "can",
        "child",
        "children",
        "could",
        "dear",
        "dob",
        "date",
        "for",
        "form",
        "from",
        "further",
        "gcp",
        "good",
        "graded",
        "care",
        "profile",
        "have",
        "hello",
        "hi",
        "i",
        "if",
        "in",
        "is",
        "it",
        "kind",
        "many",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "re",
        "regards",
        "referral",
        "request",
        "rfs",
        "see",
        "sent",
        "service",
        "she",
        "he",
        "the",
        "their",
        "there",
        "this",
        "to",
        "today",
        "thanks",
        "thank",
        "was",
        "we",
        "with",
        "yes",
        "you",
        "your",
        "fw",
        "fwd",
        "morning",
        "afternoon",
        "evening",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "team",
        "school",
        "nursery",
        "health",
        "visitor",
        "police",
        "council",
        "borough",
        "southend",
        "essex",
        "attachment",
        "attachments",
        "copy",
        "safeguarding",
        "lead",
        "designated",
        "manager",
        "officer",
        "worker",
        "social",
        "family",
        "support",
        "early",
        "help",
        "level",
        "concern",
        "concerns",
        "neglect",
        "urgent",
        "call",
        "telephone",
        "phone",
        "spoke",
        "follow",
        "following",
        "as",
        "per",
    ]
)


@dataclass(frozen=True)
class Mentions:
    """Folded name-like words, ISO dates and postcodes (no spaces, upper case) a message gives."""

    words: frozenset[str] = frozenset()
    dates: frozenset[dt.date] = frozenset()
    postcodes: frozenset[str] = frozenset()

    def to_json(self) -> str:
        return json.dumps(
            {
                "words": sorted(self.words),
                "dates": sorted(d.isoformat() for d in self.dates),
                "postcodes": sorted(self.postcodes),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | None) -> Mentions:
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(
                frozenset(str(w) for w in data.get("words", ())),
                frozenset(dt.date.fromisoformat(d) for d in data.get("dates", ())),
                frozenset(str(p) for p in data.get("postcodes", ())),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


def extract(texts: Iterable[str]) -> Mentions:
    """The mentions in ``texts`` (subject, body, attachment file names), bounded in size."""
    joined = "\n".join(texts)[:MAX_CHARS]
    words: dict[str, None] = {}
    for match in _WORD.finditer(joined):
        word = match.group(0)
        if not word[0].isupper() or len(word) < 2:
            continue
        for part in fold(word).split():
            if len(part) >= 2 and part not in _NOT_NAMES:
                words[part] = None
        if len(words) >= MAX_WORDS:
            break
    dates: set[dt.date] = set()
    for match in _NUMERIC_DATE.finditer(joined):
        day = _numeric_date(match)
        if day is not None:
            dates.add(day)
    for match in _WORDY_DATE.finditer(joined):
        try:
            dates.add(dateparser.parse(match.group(0), dayfirst=True).date())
        except (ValueError, OverflowError):
            continue
    postcodes = {f"{a}{b}".upper() for a, b in _POSTCODE.findall(joined)}
    return Mentions(
        frozenset(words),
        frozenset(sorted(dates)[:MAX_DATES]),
        frozenset(sorted(postcodes)[:MAX_DATES]),
    )


def _numeric_date(match: re.Match[str]) -> dt.date | None:
    try:
        if match.group(4):
            return dt.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        if year < 100:
            year += 2000 if year <= dt.date.today().year % 100 else 1900
        return dt.date(year, month, day)  # UK order: day first
    except ValueError:
        return None
