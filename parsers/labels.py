"""What a label means: matching form labels against the synonym table in ``labels.toml``.

Labels are compared by meaning, not by exact string: both the label and every term in the table
are normalised the same way (:func:`normalise`), a term matches when its words appear in the
label in order, and a long word may be misspelt by one letter ("Referal", "Adress"). A label is
then one of:

* a *field* question that means the same wherever it sits ("Has consent been given?");
* a *slot* about a person ("Date of birth"), whose person comes from the label's own words
  ("child's", "your", "mother's") or else from the section it is in;
* nothing we know, which still tells the form reader that the next cell is someone's answer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import Levenshtein

Tokens = tuple[str, ...]


def normalise(text: str) -> str:
    """Lower case, ``&`` as "and", possessives and ``(s)`` folded, punctuation as spaces."""
    text = text.lower().replace("&", " and ").replace("’", "'").replace("(s)", "s")
    text = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group(0) == "'s" else "s", text)
    text = re.sub(r"n't\b", "nt", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def tokens(text: str) -> Tokens:
    """The normalised words of ``text``."""
    return tuple(normalise(text).split())


def _same(word: str, term: str) -> bool:
    if word == term:
        return True
    if len(term) < 6 or abs(len(word) - len(term)) > 1 or word[0] != term[0]:
        return False
    # An inflection is a different word ("telephoned", "parents"), not a misspelling.
    if word.startswith(term) or term.startswith(word):
        return False
    return Levenshtein.distance(word, term, score_cutoff=1) <= 1


def find(words: Tokens, term: Tokens) -> int:
    """Where ``term`` occurs in ``words`` (index), or -1; long words may be misspelt by one."""
    size = len(term)
    if not size or size > len(words):
        return -1
    first = term[0]
    for start in range(len(words) - size + 1):
        if not _same(words[start], first):
            continue
        if all(_same(words[start + k], term[k]) for k in range(1, size)):
            return start
    return -1


def _at(words: Tokens, start: int, term: Tokens) -> bool:
    """``term`` stands in ``words`` from ``start`` (its first word already matched)."""
    size = len(term)
    if start + size > len(words):
        return False
    if size == 1 or words[start + 1 : start + size] == term[1:]:
        return True
    return all(_same(words[start + k], term[k]) for k in range(1, size))


@lru_cache(maxsize=8192)
def _keys(words: Tokens) -> frozenset[str]:
    """What a term could start with in ``words``: each word, and each long word's first letter
    with its length and the lengths either side (where a misspelling could start)."""
    keys = set(words)
    for word in words:
        if len(word) >= 5:
            keys.update(f"{word[0]}{n}" for n in (len(word) - 1, len(word), len(word) + 1))
    return frozenset(keys)


class Terms(tuple[Tokens, ...]):
    """A group of terms, indexed by first word (and, for misspellings, by first letter and
    length), so that asking whether any of them is in a label costs a few dictionary lookups
    per word of the label instead of a scan of every term."""

    by_first: dict[str, tuple[Tokens, ...]]
    by_shape: dict[str, tuple[Tokens, ...]]
    keys: frozenset[str]

    def __new__(cls, terms: Iterable[Tokens]) -> Terms:
        self = super().__new__(cls, tuple(terms))
        by_first: dict[str, list[Tokens]] = {}
        by_shape: dict[str, list[Tokens]] = {}
        for term in self:
            by_first.setdefault(term[0], []).append(term)
            if len(term[0]) >= 6:
                by_shape.setdefault(f"{term[0][0]}{len(term[0])}", []).append(term)
        self.by_first = {k: tuple(v) for k, v in by_first.items()}
        self.by_shape = {k: tuple(v) for k, v in by_shape.items()}
        self.keys = frozenset(self.by_first) | frozenset(self.by_shape)
        return self

    def _starting(self, words: Tokens, start: int) -> int:
        """The longest term standing in ``words`` at ``start`` (its length), or 0."""
        word = words[start]
        best = 0
        for term in self.by_first.get(word, ()):
            if len(term) > best and _at(words, start, term):
                best = len(term)
        if len(word) >= 5:
            for size in (len(word) - 1, len(word), len(word) + 1):
                for term in self.by_shape.get(f"{word[0]}{size}", ()):
                    if len(term) > best and _same(word, term[0]) and _at(words, start, term):
                        best = len(term)
        return best

    def first_in(self, words: Tokens) -> tuple[int, int]:
        """(position, length) of the earliest term in ``words`` (the longest there), or (-1, 0)."""
        if self.keys.isdisjoint(_keys(words)):
            return -1, 0
        for start in range(len(words)):
            size = self._starting(words, start)
            if size:
                return start, size
        return -1, 0

    def longest_in(self, words: Tokens) -> int:
        """The length of the longest term anywhere in ``words`` (0 for none)."""
        if self.keys.isdisjoint(_keys(words)):
            return 0
        return max((self._starting(words, start) for start in range(len(words))), default=0)


def has_any(words: Tokens, terms: tuple[Tokens, ...]) -> bool:
    """True when any of ``terms`` occurs in ``words``."""
    if isinstance(terms, Terms):
        return terms.first_in(words)[0] >= 0
    return any(find(words, term) >= 0 for term in terms)


@dataclass(frozen=True)
class _Rule:
    name: str
    all: tuple[tuple[Tokens, ...], ...]
    none: tuple[Tokens, ...]
    default: str = ""
    #: A label longer than this is not this rule's ("County" is an address line, "Criminal
    #: exploitation / county lines" is not); 0 for no limit.
    max_words: int = 0

    def matches(self, words: Tokens, whole: Tokens = ()) -> bool:
        """All groups found in ``words``; no excluded term in ``whole`` (default ``words``)."""
        if self.max_words and len(words) > self.max_words:
            return False
        if not all(has_any(words, group) for group in self.all):
            return False
        return not has_any(whole or words, self.none)


@dataclass(frozen=True)
class Concern:
    """A concern code with the option labels that tick it and the phrases that state it."""

    code: str
    tick: tuple[Tokens, ...]
    say: tuple[Tokens, ...]


@dataclass(frozen=True)
class Table:
    """The whole synonym table, normalised once."""

    entities: dict[str, tuple[Tokens, ...]]
    precedence: tuple[str, ...]
    sections: tuple[tuple[str, tuple[Tokens, ...]], ...]
    #: Section terms that decide wherever they stand in a heading.
    overrides: tuple[tuple[str, tuple[Tokens, ...]], ...]
    fields: tuple[_Rule, ...]
    slots: tuple[_Rule, ...]
    entity_fields: dict[str, dict[str, str]]
    concerns: tuple[Concern, ...]
    negations: tuple[Tokens, ...]
    negation_window: int


def _terms(items: list[str]) -> Terms:
    return Terms(t for t in (tokens(item) for item in items) if t)


def _rule(entry: dict[str, Any]) -> _Rule:
    return _Rule(
        name=entry["name"],
        all=tuple(_terms(group) for group in entry.get("all", [])),
        none=_terms(entry.get("none", [])),
        default=entry.get("default", ""),
        max_words=int(entry.get("max_words", 0)),
    )


@cache
def table() -> Table:
    """The synonym table from ``labels.toml`` (read once per process)."""
    raw = tomllib.loads(resources.files("parsers").joinpath("labels.toml").read_text("utf-8"))
    entities = raw["entities"]
    return Table(
        entities={k: _terms(v) for k, v in entities.items() if k != "precedence"},
        precedence=tuple(entities["precedence"]),
        sections=tuple((s["kind"], _terms(s["terms"])) for s in raw["section"]),
        overrides=tuple(
            (s["kind"], _terms(s["decisive"])) for s in raw["section"] if s.get("decisive")
        ),
        fields=tuple(_rule(entry) for entry in raw["field"]),
        slots=tuple(_rule(entry) for entry in raw["slot"]),
        entity_fields={k: dict(v) for k, v in raw["entity_fields"].items()},
        concerns=tuple(
            Concern(c["code"], _terms(c.get("tick", [])), _terms(c.get("say", [])))
            for c in raw["concern"]
        ),
        negations=_terms(raw["negation"]["before"]),
        negation_window=int(raw["negation"]["window"]),
    )


@dataclass(frozen=True)
class Label:
    """What one label means."""

    #: A question field ("consent") or ``None``.
    field: str | None = None
    #: A person slot ("dob") or ``None``.
    slot: str | None = None
    #: The person the label itself names (child, referrer, carer, other) or ``None``.
    entity: str | None = None
    #: The slot's default person when neither label nor section says.
    default: str = ""
    #: 1.0 for an exact match; lower when words were misspelt.
    score: float = 1.0

    @property
    def known(self) -> bool:
        """True when the label means a field or a slot."""
        return self.field is not None or self.slot is not None


UNKNOWN = Label()
_QUESTION = re.compile(
    r"^(?:what|how|why|has|have|is|are|does|do|did|was|were|please|can|could|would|will|if)\b"
)
_NUMBERING = re.compile(
    r"^\s*(?:\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[a-z]?[.)]?\s|[a-z][.)]\s|"
    r"(?:section|part|step|stage)\s+(?:\d{1,2}|[a-z]|[ivx]{1,4})\b\s*[:.)-]?)\s*",
    re.I,
)


def strip_numbering(text: str) -> str:
    """Drop a heading's numbering: ``"3. Referrer details"``, ``"Section B: Consent"``."""
    return _NUMBERING.sub("", text, count=1)


def warm() -> None:
    """Work out once what the table's own wordings mean, as labels and as headings.

    Forms mostly use the common wordings ("Date of birth", "Surname", "Reason for referral"),
    so a process that forks a child per attachment warms these first and every child starts
    with them known.
    """
    raw = tomllib.loads(resources.files("parsers").joinpath("labels.toml").read_text("utf-8"))
    phrases: set[str] = set()
    for entry in (*raw["field"], *raw["slot"]):
        for group in entry.get("all", []):
            phrases.update(group)
    for entry in raw["section"]:
        phrases.update(entry["terms"])
    for phrase in phrases:
        for text in (phrase, phrase.capitalize()):
            meaning(text)
            section_of(text)


@lru_cache(maxsize=8192)
def meaning(label: str) -> Label:
    """What ``label`` asks for (``UNKNOWN`` when nothing in the table matches)."""
    text = strip_numbering(label)
    words = tokens(text)
    if not words or len(words) > 40:
        return UNKNOWN
    t = table()
    outside = tokens(re.sub(r"\(.*?\)|\(.*$", " ", text))
    entity = _entity(outside, t)
    # A bracketed note ("Full name (give any other names used)") may mislead: the words outside
    # the brackets are tried first, then the whole label.
    # A question with guidance after it ("…at risk? If yes, telephone us first.") means the
    # question.
    question, mark, after = text.partition("?")
    first = tokens(re.sub(r"\(.*?\)", " ", question)) if mark and after.strip() else ()
    for candidate in dict.fromkeys((first, outside, words)):
        if not candidate:
            continue
        for rule in t.fields:
            if rule.matches(candidate, first or words):
                return Label(field=rule.name, entity=entity, score=_score(candidate, rule))
        short_question = _QUESTION.match(" ".join(candidate)) is not None and len(candidate) > 5
        if len(candidate) <= 9 and not short_question:
            for rule in t.slots:
                if rule.matches(candidate, candidate):
                    return Label(
                        slot=rule.name,
                        entity=entity,
                        default=rule.default,
                        score=_score(candidate, rule),
                    )
    if entity in ("referrer", "child") and len(words) <= 5 and not label.rstrip().endswith("?"):
        # A label that only names the person ("Referrer", "Request for service from",
        # "Young person") is asking for their name.
        rest = _without(outside, t.entities[entity])
        if all(word in _FILLER for word in rest):
            return Label(slot="name", entity=entity, default=entity, score=0.9)
    return Label(entity=entity)


_FILLER = {
    "of", "the", "a", "from", "by", "name", "full", "1", "2", "3", "4", "alert", "referral",
    "form", "request", "notification", "concern", "report", "this", "clinician", "officer",
    "professional", "practitioner", "worker", "person", "staff", "member", "nurse", "doctor",
    "gp", "or", "and",
}  # fmt: skip


def _without(words: Tokens, terms: tuple[Tokens, ...]) -> Tokens:
    """``words`` with the first occurrence of the first matching term removed."""
    for term in terms:
        at = find(words, term)
        if at >= 0:
            return words[:at] + words[at + len(term) :]
    return words


def _entity(words: Tokens, t: Table) -> str | None:
    for kind in t.precedence:
        if has_any(words, t.entities[kind]):
            return kind
    return None


def _score(words: Tokens, rule: _Rule) -> float:
    """1.0 when every required group matched exactly, 0.85 when a misspelling was needed."""
    exact = set(words)
    for group in rule.all:
        if not any(all(w in exact for w in term) for term in group):
            return 0.85
    return 1.0


@lru_cache(maxsize=4096)
def section_of(heading: str) -> str | None:
    """The section a heading opens (child, referrer, carer, other, concerns, …) or ``None``."""
    words = tokens(strip_numbering(heading))
    if not words or len(words) > 12:
        return None
    # The person a heading names first is the one it is about: "Children in the household" is
    # about children, "Parents of the child" about parents.
    for kind, terms in table().overrides:
        if has_any(words, terms):
            return kind
    best: tuple[int, int, int, str] | None = None
    for order, (kind, terms) in enumerate(table().sections):
        at, size = terms.first_in(words) if isinstance(terms, Terms) else (-1, 0)
        if at >= 0:
            key = (at, -size, order, kind)
            if best is None or key < best:
                best = key
    return best[3] if best else None


def field_for(entity: str, slot: str) -> str | None:
    """The canonical field a person's slot becomes (``child``/``dob`` → ``child_dob``)."""
    return table().entity_fields.get(entity, {}).get(slot)


@lru_cache(maxsize=4096)
def concern_of_option(option: str) -> str | None:
    """The concern code a tick-box option means, or ``None``."""
    words = tokens(strip_numbering(option))
    if not words or len(words) > 14:
        return None
    best: tuple[int, str] | None = None
    for concern in table().concerns:
        # The longest matching term decides ("sexual exploitation" over "sexual").
        size = concern.tick.longest_in(words) if isinstance(concern.tick, Terms) else 0
        if size and (best is None or size > best[0]):
            best = (size, concern.code)
    return best[1] if best else None
