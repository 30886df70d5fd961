"""Concern categories a narrative clearly states, with negations ("no concerns about neglect") left out.

The phrases are in ``labels.toml`` (``[[concern]] say``); a phrase counts unless one of the
negation words stands shortly before it in the same sentence.
"""

from __future__ import annotations

import re

from parsers.labels import Tokens, find, table, tokens

_CLAUSE_BREAKS = {"and", "but", "because", "although", "however", "whereas", "while", "so"}
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+|\s+-\s+|,\s*(?:but|however|although)\s+", re.I)


def stated(narrative: str) -> set[str]:
    """The concern codes ``narrative`` states plainly."""
    found: set[str] = set()
    t = table()
    for sentence in _SENTENCES.split(narrative):
        words = tokens(sentence)
        if not words:
            continue
        for concern in t.concerns:
            if concern.code in found:
                continue
            for term in concern.say:
                if _affirmed(words, term, t.negations, t.negation_window):
                    found.add(concern.code)
                    break
    return found


def _affirmed(words: Tokens, term: Tokens, negations: tuple[Tokens, ...], window: int) -> bool:
    """``term`` occurs in ``words`` at least once without a negation just before it."""
    start = 0
    while start < len(words):
        at = find(words[start:], term)
        if at < 0:
            return False
        at += start
        before = words[max(0, at - window) : at]
        for cut in range(len(before) - 1, -1, -1):  # a negation does not cross "and", "but"…
            if before[cut] in _CLAUSE_BREAKS:
                before = before[cut + 1 :]
                break
        if not any(find(before, negation) >= 0 for negation in negations):
            return True
        start = at + 1
    return False
