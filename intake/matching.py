"""Is this the same child? Comparing the children named on referral forms and on the call log.

Duty workers and referrers write the same child's name in many ways, so :func:`compare` decides
on folded names, nickname tables and small spelling slips, guarded by the date of birth. It is
pure (no database, no configuration, no logging) and never puts a name into its result: the
evidence holds short fixed codes only.

Folding (:func:`fold`)
    Case, accents (NFKD, combining marks dropped), apostrophes (removed: O'Brien = OBrien) and
    hyphens, dots and other punctuation (spaces) never matter; whitespace is collapsed.

Date of birth (for an unborn child: the expected date of delivery)
    * Both known and different: never the same child, whatever the names.
    * Both known and equal: the names decide (below).
    * One or both missing: only a *strong* name agreement counts (surname ``exact`` or
      ``part``; forename ``exact``, ``nickname`` or ``short``; straight or swapped order; no
      slips, no unborn placeholder), and only when corroborated: the caller says the same
      referrer made both (``referrer: same``) or both postcodes are known and equal.
      Confidence is 0.7 x the name confidence, at most 0.7.

Surnames (all tokens, after folding)
    ``exact``   the same letters once spaces are removed (Smith-Jones = Smith Jones);
    ``part``    one side's tokens are a subset of the other's (Jones ~ Smith-Jones);
    ``similar`` a slip: both at least 3 letters, and Jaro-Winkler >= 0.9 on the folded text
                (Smiht ~ Smith) or the same rough phonetic skeleton (ph=f, hard c=k, y=i,
                doubled letters single, final vowel+h = vowel: Smyth ~ Smith).

Forenames (first token only: middle names are ignored, "Arthur Theo" ~ "Arthur")
    ``exact``;
    ``nickname`` the names' canonical forms intersect, from the ``nicknames`` package plus the
                UK groups in ``nicknames_uk.toml`` (Jon ~ Jonathan, Kate ~ Katherine, Alfie ~
                Alfred, Charlie ~ Charlotte and ~ Charles, but Charlotte !~ Charles);
    ``short``   one is a prefix of the other, at least 3 letters and at least 2 letters
                shorter (Alex ~ Alexander; Lea ~ Leah is a slip);
    ``similar`` a spelling variant listed in ``nicknames_uk.toml`` (Mohammed ~ Muhammad) or a
                slip as for surnames (Jaydon ~ Jayden, Leah ~ Lea, Kaitlyn ~ Caitlin);
    ``unborn``  either side is a placeholder for an unborn child ("Unborn", "Baby", "Unborn
                baby", or no forename at all): agrees with any forename (straight order only).
    Never agreeing, whatever the rules above say: the look-alike pairs listed under
    ``distinct`` in ``nicknames_uk.toml`` (Alexander/Alexandra, Oliver/Olivia...) and a name
    with a feminine ending added (Paul/Paula, Louis/Louisa, Joseph/Josephine; Antonio/Antonia),
    unless the nickname tables link them. Twins share a surname and a date of birth, so the
    forename is all that tells them apart; a sibling born the same day with a different
    forename is never the same child.

Order
    Each comparison takes the better of the straight reading and the swapped one (surname typed
    in the forename box on either side: ``order: swapped``).

Confidence (date of birth equal)
    1.0, less 0.1 for each of ``nickname``/``short``/``unborn`` forename, ``part`` surname and
    swapped order, less 0.15 for each slip (``similar``); so exact everything is 1.0, a nickname
    or a swap 0.9, one slip 0.85, the worst allowed combination 0.6. Then +0.05 when both
    postcodes are known and equal (``postcode: equal``; capped at 1.0) and -0.05 when both are
    known and different (``postcode: different``: not a veto, families move).

Missing names
    A person with neither a surname nor a real forename matches nothing. A surname missing on
    either side: no match unless the date of birth is equal, the first forenames are exactly
    equal and both postcodes are known and equal (confidence 0.6, ``surname: missing``).

Evidence keys: ``dob`` (equal/missing), ``forenames``, ``surname`` (codes above, or
``missing``), ``order`` (straight/swapped), ``postcode`` (equal/different/missing) and, when a
date of birth is missing and the caller says the same referrer made both, ``referrer: same``.

Speed: folded tokens and per-pair name agreements are memoised (``functools.lru_cache``) and
the tables are loaded once, on first use; a different date of birth is rejected first.

:func:`name_keys` gives the folded name tokens (and each several-part name run together) the
store indexes a person under; any two people that :func:`compare` matches without a date of
birth share at least one of them.

Known limits: twins whose names are listed nowhere yet differ by one letter (Jaden/Jade is
listed; an unlisted pair may still be taken for a slip), and twins with the same first forename
and different middle names, are taken for one child. Grow ``distinct`` as cases appear.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler

__all__ = ["Match", "Person", "compare", "fold", "name_keys"]

#: The supplement to the nicknames package (groups, spelling variants, look-alike pairs).
TABLES_PATH = Path(__file__).with_name("nicknames_uk.toml")

#: Jaro-Winkler similarity from which two names count as a slip of one another.
SIMILARITY_THRESHOLD = 0.9
#: Names shorter than this are never slips of one another nor short forms.
MIN_LETTERS = 3
#: A short form leaves off at least this many letters (one letter more is a slip: Lea/Leah).
MIN_CUT = 2
#: What each kind of agreement costs below 1.0.
FORENAME_PENALTY: Mapping[str, float] = {
    "exact": 0.0,
    "nickname": 0.1,
    "short": 0.1,
    "unborn": 0.1,
    "similar": 0.15,
}
SURNAME_PENALTY: Mapping[str, float] = {"exact": 0.0, "part": 0.1, "similar": 0.15}
SWAPPED_PENALTY = 0.1
#: Added when both postcodes are known and equal, taken off when both are known and different.
POSTCODE_ADJUSTMENT = 0.05
#: Without both dates of birth: confidence is this times the name confidence, and at most this.
MISSING_DOB_FACTOR = 0.7
#: With a surname missing (date of birth, first forename and postcode all equal).
MISSING_SURNAME_CONFIDENCE = 0.6

#: Words that are no part of a name ("Unborn baby of ...").
FILLER_WORDS = frozenset({"unborn", "baby", "of"})
#: A forename starting with one of these stands for a child not yet born (or not yet named),
#: or for a forename the person recording did not know ("Unknown", "N/K", "TBC").
PLACEHOLDER_WORDS = frozenset({"unborn", "baby", "unknown", "unk", "nk", "tbc", "unnamed", "not"})
#: Endings that make a girl's name of a boy's (Paul/Paula, Joseph/Josephine).
FEMININE_ENDINGS = ("a", "ina", "ine", "ette", "etta")

STRONG_FORENAME = frozenset({"exact", "nickname", "short"})
STRONG_SURNAME = frozenset({"exact", "part"})

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"), None)
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SOFT_C = re.compile(r"c(?![eiy])")
_DOUBLED = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Person:
    """A child as one record names them. ``dob`` is the expected date of delivery if unborn."""

    forenames: str | None
    surname: str | None
    dob: dt.date | None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """Why two records are taken for the same child: never contains the names themselves."""

    #: 0..1
    confidence: float
    #: Short JSON-able codes, e.g. {"dob": "equal", "forenames": "nickname", ...}.
    evidence: Mapping[str, str] = field(hash=False)


def fold(text: str | None) -> str:
    """``text`` lower-cased, without accents or apostrophes, other punctuation as spaces."""
    if not text:
        return ""
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = _NOT_WORD.sub(" ", bare.translate(_APOSTROPHES))
    return _SPACES.sub(" ", bare).strip()


def name_keys(person: Person) -> frozenset[str]:
    """The folded single tokens of both names, fillers dropped: each hyphenated (or spaced) part
    and, for a name of several parts, the parts run together (Smith-Jones: smith, jones and
    smithjones, so that it meets Smithjones)."""
    keys: set[str] = set()
    for text in (person.forenames, person.surname):
        tokens = [token for token in _tokens(text) if token not in FILLER_WORDS]
        keys.update(tokens)
        if len(tokens) > 1:
            keys.add("".join(tokens))
    return frozenset(keys)


def lookup_key(name: str | None) -> str | None:
    """The first folded word of a surname or of forenames: the indexed key the store finds
    candidate records by when a date of birth is missing."""
    words = fold(name).split()
    return words[0][:200] if words else None


def compare(a: Person, b: Person, *, corroborated: bool = False) -> Match | None:
    """The match between ``a`` and ``b``, or None when they are not (known to be) one child.

    ``corroborated``: the caller knows the same referrer made both records; it stands in for an
    equal postcode when a date of birth is missing. The rules are in the module docstring.
    """
    dob_known = a.dob is not None and b.dob is not None
    if dob_known and a.dob != b.dob:
        return None
    fa, sa = _tokens(a.forenames), _tokens(a.surname)
    fb, sb = _tokens(b.forenames), _tokens(b.surname)
    unborn_a, unborn_b = _is_placeholder(fa), _is_placeholder(fb)
    if (unborn_a and not sa) or (unborn_b and not sb):
        return None
    postcode = _postcode_relation(a.postcode, b.postcode)
    if not sa or not sb:
        if dob_known and postcode == "equal" and not unborn_a and not unborn_b and fa[0] == fb[0]:
            evidence = {
                "dob": "equal",
                "forenames": "exact",
                "surname": "missing",
                "order": "straight",
                "postcode": "equal",
            }
            return Match(MISSING_SURNAME_CONFIDENCE, evidence)
        return None
    if not dob_known and not (corroborated or postcode == "equal"):
        return None
    best = _name_agreement(fa, sa, unborn_a, fb, sb, unborn_b, strong_only=not dob_known)
    if best is None:
        return None
    confidence, forenames, surname, order = best
    evidence = {
        "dob": "equal" if dob_known else "missing",
        "forenames": forenames,
        "surname": surname,
        "order": order,
        "postcode": postcode,
    }
    cap = 1.0
    if not dob_known:
        confidence *= MISSING_DOB_FACTOR
        cap = MISSING_DOB_FACTOR
        if corroborated:
            evidence["referrer"] = "same"
    if postcode == "equal":
        confidence += POSTCODE_ADJUSTMENT
    elif postcode == "different":
        confidence -= POSTCODE_ADJUSTMENT
    return Match(round(min(cap, max(0.0, confidence)), 4), evidence)


# --- names ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _tokens(text: str | None) -> tuple[str, ...]:
    return tuple(fold(text).split())


def _is_placeholder(forenames: tuple[str, ...]) -> bool:
    return not forenames or forenames[0] in PLACEHOLDER_WORDS


def _postcode_relation(a: str | None, b: str | None) -> str:
    pa, pb = _postcode(a), _postcode(b)
    if not pa or not pb:
        return "missing"
    return "equal" if pa == pb else "different"


@functools.lru_cache(maxsize=1 << 14)
def _postcode(text: str | None) -> str:
    return "".join(text.split()).upper() if text else ""


_Agreement = tuple[float, str, str, str]  # confidence, forename code, surname code, order


def _name_agreement(
    fa: tuple[str, ...],
    sa: tuple[str, ...],
    unborn_a: bool,
    fb: tuple[str, ...],
    sb: tuple[str, ...],
    unborn_b: bool,
    *,
    strong_only: bool,
) -> _Agreement | None:
    """The best reading (straight, or swapped either way) under which the names agree."""
    readings: list[tuple[str | None, str | None, str]] = []
    if unborn_a or unborn_b:
        readings.append(("unborn", _surname(sa, sb), "straight"))
    else:
        straight = (_forename(fa[0], fb[0]), _surname(sa, sb), "straight")
        if straight[:2] == ("exact", "exact"):
            return (1.0, "exact", "exact", "straight")  # nothing beats it
        readings.append(straight)
        # b's boxes swapped: a's forename is in b's surname box, and the other way round...
        readings.append((_forename(fa[0], sb[0]), _surname(sa, fb), "swapped"))
        # ...or a's boxes swapped.
        readings.append((_forename(sa[0], fb[0]), _surname(fa, sb), "swapped"))
    best: _Agreement | None = None
    for forenames, surname, order in readings:
        if forenames is None or surname is None:
            continue
        if strong_only and (forenames not in STRONG_FORENAME or surname not in STRONG_SURNAME):
            continue
        confidence = 1.0 - FORENAME_PENALTY[forenames] - SURNAME_PENALTY[surname]
        if order == "swapped":
            confidence -= SWAPPED_PENALTY
        candidate = (round(confidence, 4), forenames, surname, order)
        # Ties broken on the codes alone, so that compare(a, b) and compare(b, a) agree.
        if best is None or (candidate[0], order == "straight", candidate[1:]) > (
            best[0],
            best[3] == "straight",
            best[1:],
        ):
            best = candidate
    return best


def _forename(x: str, y: str) -> str | None:
    return _forename_agreement(x, y) if x <= y else _forename_agreement(y, x)


def _surname(x: tuple[str, ...], y: tuple[str, ...]) -> str | None:
    return _surname_agreement(x, y) if x <= y else _surname_agreement(y, x)


@functools.lru_cache(maxsize=1 << 16)
def _forename_agreement(x: str, y: str) -> str | None:
    """How two first forenames agree (called with x <= y), or None."""
    if x == y:
        return "exact"
    tables = _tables()
    if frozenset((x, y)) in tables.distinct:
        return None
    if _canonicals(x) & _canonicals(y):
        return "nickname"
    if _feminine_pair(x, y):
        return None
    shorter, longer = (x, y) if len(x) <= len(y) else (y, x)
    if (
        len(shorter) >= MIN_LETTERS
        and len(longer) - len(shorter) >= MIN_CUT
        and longer.startswith(shorter)
    ):
        return "short"
    variant = tables.variant_group.get(x)
    if variant is not None and variant == tables.variant_group.get(y):
        return "similar"
    return "similar" if _slip(x, y) else None


@functools.lru_cache(maxsize=1 << 16)
def _surname_agreement(x: tuple[str, ...], y: tuple[str, ...]) -> str | None:
    """How two surnames (token tuples) agree (called with x <= y), or None."""
    if not x or not y:
        return None
    joined_x, joined_y = "".join(x), "".join(y)
    if joined_x == joined_y:
        return "exact"
    set_x, set_y = set(x), set(y)
    if set_x <= set_y or set_y <= set_x:
        return "part"
    return "similar" if _slip(joined_x, joined_y) else None


def _slip(x: str, y: str) -> bool:
    if len(x) < MIN_LETTERS or len(y) < MIN_LETTERS:
        return False
    if JaroWinkler.similarity(x, y) >= SIMILARITY_THRESHOLD:
        return True
    return _skeleton(x) == _skeleton(y)


@functools.lru_cache(maxsize=1 << 16)
def _skeleton(name: str) -> str:
    """A rough sound-alike form: Kaitlyn and Caitlin both give "kaitlin", Smyth "smith"."""
    s = name.replace("ph", "f").replace("ck", "k")
    s = _SOFT_C.sub("k", s).replace("y", "i")
    s = _DOUBLED.sub(r"\1", s)
    if len(s) > 2 and s[-1] == "h" and s[-2] in "aeiou":
        s = s[:-1]
    return s


def _feminine_pair(x: str, y: str) -> bool:
    """A girl's name made of a boy's by an ending (Paul/Paula, Antonio/Antonia)."""
    shorter, longer = (x, y) if len(x) <= len(y) else (y, x)
    if len(shorter) >= MIN_LETTERS and longer.startswith(shorter):
        return longer[len(shorter) :] in FEMININE_ENDINGS and shorter[-1] not in "aeiou"
    return len(x) == len(y) > MIN_LETTERS and x[:-1] == y[:-1] and {x[-1], y[-1]} == {"a", "o"}


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    namer: NickNamer
    #: name -> the full names of the UK groups it is a short form of (or is).
    hubs: Mapping[str, frozenset[str]]
    #: name -> index of its spelling-variant group.
    variant_group: Mapping[str, int]
    distinct: frozenset[frozenset[str]]


@functools.cache
def _tables() -> _Tables:
    """The nickname tables, loaded on first use."""
    with TABLES_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    hubs: dict[str, set[str]] = {}
    for group in _name_lists(data, "groups"):
        for name in group:
            hubs.setdefault(name, set()).add(group[0])
    variant_group: dict[str, int] = {}
    for index, group in enumerate(_name_lists(data, "variants")):
        for name in group:
            variant_group.setdefault(name, index)
    distinct = frozenset(frozenset(pair) for pair in _name_lists(data, "distinct"))
    if any(len(pair) != 2 for pair in distinct):
        raise ValueError(f"{TABLES_PATH.name}: each 'distinct' entry is two different names")
    return _Tables(
        namer=NickNamer(),
        hubs={name: frozenset(found) for name, found in hubs.items()},
        variant_group=variant_group,
        distinct=distinct,
    )


def _name_lists(data: Mapping[str, object], key: str) -> list[tuple[str, ...]]:
    """``data[key]`` as lists of folded one-word names; ValueError when it is not that."""
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise ValueError(f"{TABLES_PATH.name}: '{key}' must be a list of lists of names")
    lists: list[tuple[str, ...]] = []
    for number, group in enumerate(raw, start=1):
        if not isinstance(group, list) or not group:
            raise ValueError(f"{TABLES_PATH.name}: '{key}' entry {number} is not a list of names")
        folded = []
        for name in group:
            tokens = _tokens(name) if isinstance(name, str) else ()
            if len(tokens) != 1:
                raise ValueError(f"{TABLES_PATH.name}: '{key}' entry {number}: one word per name")
            folded.append(tokens[0])
        lists.append(tuple(folded))
    return lists


@functools.lru_cache(maxsize=1 << 14)
def _canonicals(name: str) -> frozenset[str]:
    """``name`` with every full name it may be short for (nicknames package and UK groups)."""
    tables = _tables()
    found = {name, *tables.namer.canonicals_of(name)}
    found |= tables.hubs.get(name, frozenset())
    return frozenset(found)
