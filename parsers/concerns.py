"""Concern categories a narrative clearly states, leaving out negations ("no concerns about
neglect").

The phrases are in ``labels.toml`` (``[[concern]] say``); a phrase counts unless one of the
negation words stands shortly before it in the same sentence.
"""

from __future__ import annotations

import re

from parsers.labels import Tokens, table, tokens

_CLAUSE_BREAKS = {"and", "but", "because", "although", "however", "whereas", "while", "so"}
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+|\s+-\s+|,\s*(?:but|however|although)\s+", re.I)


def stated(narrative: str) -> set[str]:
    """The concern codes ``narrative`` states plainly (phrases matched exactly, word by word)."""
    found: set[str] = set()
    t = table()
    for sentence in _SENTENCES.split(narrative):
        words = tokens(sentence)
        if not words:
            continue
        present = set(words)
        for concern in t.concerns:
            if concern.code in found:
                continue
            for term in concern.say:
                if term[0] not in present or not present.issuperset(term):
                    continue
                if _affirmed(words, term, t.negations, t.negation_window):
                    found.add(concern.code)
                    break
    return found


def _find_exact(words: Tokens, term: Tokens) -> int:
    size = len(term)
    for start in range(len(words) - size + 1):
        if words[start : start + size] == term:
            return start
    return -1


def _affirmed(words: Tokens, term: Tokens, negations: tuple[Tokens, ...], window: int) -> bool:
    """``term`` occurs in ``words`` at least once without a negation just before it."""
    start = 0
    while start < len(words):
        at = _find_exact(words[start:], term)
        if at < 0:
            return False
        at += start
        before = words[max(0, at - window) : at]
        for cut in range(len(before) - 1, -1, -1):  # a negation does not cross "and", "but"…
            if before[cut] in _CLAUSE_BREAKS:
                before = before[cut + 1 :]
                break
        if not any(_find_exact(before, negation) >= 0 for negation in negations):
            return True
        start = at + 1
    return False
