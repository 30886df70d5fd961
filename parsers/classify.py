"""Which kind of document an attachment is, decided from its text first and its file name second.

``classify(layout, filename) -> (kind, template, warnings)``. Every kind (``rfs``, ``gcp``,
``brook_tool``, ``exploitation_tool``) scores weighted evidence found in the text: title lines,
distinctive phrases, form labels at the start of lines, structure such as a 1-5 grade grid.
Evidence that the document is something else (a letter, an email, minutes, a chronology, a
report) is subtracted from every kind. A kind counts when one of its core signals fired and its
score reaches its threshold; the kind furthest above its threshold wins, otherwise the document
is ``other``. The file name adds a small weight to the kind it names, so it can tip a close call
but never make a kind on its own.

The words, phrases and weights are data, in ``kinds.toml`` beside this module (read once); this
module only normalises text, matches and adds up. A referral form's template id comes from
``templates.toml`` (``[[template]] id = "…" all = ["phrase", …]``): the template whose phrases
all appear, ``unknown`` when none does.

A recognised Graded Care Profile is also checked for grades: none at all gives the warning
``gcp: blank template``, some areas graded and others not ``gcp: partial``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from parsers.fields import KINDS, Kind
from parsers.layout import TICKED, UNTICKED, Block, Layout, Table, is_placeholder

__all__ = [
    "ALSO_LIKE",
    "BLANK_GCP",
    "FILENAME_DECIDED",
    "NO_TEXT",
    "PARTIAL_GCP",
    "KindScore",
    "classify",
    "explain",
    "load_rules",
    "load_templates",
    "normalise",
]

log = logging.getLogger("parsers.classify")

KINDS_FILE = Path(__file__).with_name("kinds.toml")
TEMPLATES_FILE = Path(__file__).with_name("templates.toml")

#: Warning: a Graded Care Profile with no grade given anywhere.
BLANK_GCP = "gcp: blank template"
#: Warning: a Graded Care Profile with some areas graded and others not.
PARTIAL_GCP = "gcp: partial"
#: Warning: the layout holds no text at all.
NO_TEXT = "no text layer"
#: Warning: the content alone was a close call and the file name decided it.
FILENAME_DECIDED = "kind: file name decided"
#: Warning prefix: another kind also passed its threshold (``kind: also looks like gcp``).
ALSO_LIKE = "kind: also looks like"

_SCOPES = ("head", "text", "label", "short", "feature")
_FEATURES = ("grade_scale", "form_rows")

# --- Normalising --------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
# A numbering in front of a label: "2.", "2.3", "Area 1:", "Section F", "A:", "(iv)".
_NUMBERING = re.compile(
    r"^(?:(?:section|part|area|domain|question|q|step|stage)\s+)?"
    r"(?:\d{1,2}(?:\s\d{1,2}){0,2}|[a-h]|[ivx]{1,4})\s+(?=\S)"
)
_SENTENCE_END = re.compile(r"[.?!]\s*$")


_COMMON_UNICODE = str.maketrans(
    {"’": "'", "‘": "'", "´": "'"} | {c: " " for c in "☒☐“”–—…•·\u00a0\u2022\u2013\u2014"}
)
#: ASCII punctuation to spaces (apostrophes are dropped first): the common case, without regex.
_ASCII_PUNCTUATION = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not c.isalnum() and c not in "'`"} | {"_": " "}
)


def normalise(text: str) -> str:
    """Lower case, ``&`` → ``and``, apostrophes dropped, other punctuation → space, letters and
    digits split (``GCP2`` → ``gcp 2``), accents dropped, spaces collapsed; one line."""
    if not text.isascii():
        text = text.translate(_COMMON_UNICODE)  # most forms' only non-ASCII: boxes, dashes, quotes
    if text.isascii():
        text = text.lower().replace("&", " and ")
        if "'" in text or "`" in text:
            text = _APOSTROPHES.sub("", text)
        text = text.translate(_ASCII_PUNCTUATION)
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = _APOSTROPHES.sub("", text.casefold().replace("&", " and "))
        text = _NON_WORD.sub(" ", text)
    if _DIGIT.search(text):
        text = _LETTER_DIGIT.sub(" ", text)
    return " ".join(text.split())


def _strip_numbering(line: str) -> str:
    return _NUMBERING.sub("", line, count=1)


# --- The rules, loaded from kinds.toml ----------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One item: its ``|`` alternatives, any of which is enough.

    Plain phrases are kept padded with spaces (``" graded care profile "``; a ``*`` prefix phrase
    has no trailing space) and found by substring search in text padded the same way: on
    normalised text that is a whole-word match, and far quicker than a regular expression.
    """

    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    #: Plain phrases long enough to match a head line with a typo.
    fuzzy: tuple[str, ...]

    def within(self, padded: str) -> bool:
        """Found anywhere in ``padded`` (normalised text with a space at each end)."""
        if any(phrase in padded for phrase in self.phrases):
            return True
        return any(p.search(padded, 1, len(padded) - 1) for p in self.patterns)

    def starts(self, padded: str) -> bool:
        """Found at the start of ``padded``."""
        if any(padded.startswith(phrase) for phrase in self.phrases):
            return True
        return any(p.match(padded, 1, len(padded) - 1) for p in self.patterns)

    def in_lines(self, lines: _Lines, *, at_start: bool) -> bool:
        """Found in (at the start of, with ``at_start``) any of ``lines``."""
        prefix = "\n" if at_start else ""
        if any(prefix + phrase in lines.blob for phrase in self.phrases):
            return True
        return any(
            (p.match if at_start else p.search)(line, 1, len(line) - 1)
            for p in self.patterns
            for line in lines.padded
        )


@dataclass(frozen=True)
class _Lines:
    """Normalised lines, each padded with a space at each end, and all of them joined by
    newlines (one substring search finds a phrase in any line: a phrase holds no newline)."""

    padded: tuple[str, ...]
    blob: str

    @classmethod
    def of(cls, lines: Iterator[str] | Sequence[str]) -> _Lines:
        padded = tuple(f" {line} " for line in lines)
        return cls(padded, "\n" + "\n".join(padded) + "\n")


@dataclass(frozen=True)
class _Signal:
    """One piece of weighted evidence: ``weight * min(hits, maximum)`` when ``hits >= minimum``."""

    name: str
    scope: str
    weight: float
    minimum: int
    maximum: int
    items: tuple[_Item, ...]
    #: Feature names, for the ``feature`` scope.
    features: tuple[str, ...]


@dataclass(frozen=True)
class _Completion:
    """How to tell a graded Graded Care Profile from a blank or partial one."""

    sections: str
    grade_words: re.Pattern[str]
    not_assessed: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _KindRules:
    kind: Kind
    threshold: float
    require_any: frozenset[str]
    filename: tuple[re.Pattern[str], ...]
    signals: tuple[_Signal, ...]


@dataclass(frozen=True)
class _Rules:
    kinds: tuple[_KindRules, ...]
    penalties: tuple[_Signal, ...]
    completion: _Completion | None
    head_lines: int
    head_max_words: int
    label_max_words: int
    short_line_words: int
    filename_weight: float
    also_margin: float
    fuzzy_min_chars: int
    fuzzy_score: float


def _alternative(alt: str, where: str) -> str:
    if alt.startswith("re:"):
        body = alt[3:]
        try:
            re.compile(body)
        except re.error as err:
            raise ValueError(f"{where}: bad regular expression {body!r}: {err}") from None
        return f"(?:{body})"
    prefix = alt.endswith("*")
    words = normalise(alt.rstrip("*"))
    if not words:
        raise ValueError(f"{where}: empty phrase in {alt!r}")
    return rf"\b{re.escape(words)}" + (r"\w*" if prefix else r"\b")


def _alternatives(item: str) -> list[str]:
    return [item] if item.startswith("re:") else [alt.strip() for alt in item.split("|")]


def _compile_item(item: str, where: str) -> re.Pattern[str]:
    return re.compile("|".join(_alternative(alt, where) for alt in _alternatives(item)))


def _item(item: str, where: str, fuzzy_min: int | None) -> _Item:
    phrases: list[str] = []
    patterns: list[re.Pattern[str]] = []
    fuzzy: list[str] = []
    for alt in _alternatives(item):
        if alt.startswith("re:"):
            patterns.append(re.compile(_alternative(alt, where)))
            continue
        words = normalise(alt.rstrip("*"))
        if not words:
            raise ValueError(f"{where}: empty phrase in {alt!r}")
        if alt.endswith("*"):
            phrases.append(f" {words}")
        else:
            phrases.append(f" {words} ")
            if fuzzy_min is not None and len(words) >= fuzzy_min:
                fuzzy.append(words)
    return _Item(tuple(phrases), tuple(patterns), tuple(fuzzy))


def _number(table: Mapping[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: {key} must be a number, not {value!r}")
    return float(value)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def _signal(raw: Any, where: str, fuzzy_min: int | None, siblings: Sequence[Any] = ()) -> _Signal:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a signal must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"{where}: every signal needs a name")
    where = f"{where} {name!r}"
    scope = raw.get("scope", "text")
    if scope not in _SCOPES:
        raise ValueError(f"{where}: scope must be one of {_SCOPES}, not {scope!r}")
    raw_items = raw.get("items")
    if isinstance(raw_items, str) and raw_items.startswith("@"):
        # "@other": the same items as the signal named "other" (weighed differently).
        source = next(
            (sib for sib in siblings if isinstance(sib, dict) and sib.get("name") == raw_items[1:]),
            None,
        )
        if source is None or isinstance(source.get("items"), str):
            raise ValueError(f"{where}: items {raw_items!r} names no signal with a list of items")
        raw_items = source.get("items")
    items = _strings(raw_items, where)
    minimum = int(_number(raw, "min", 1, where))
    maximum = int(_number(raw, "max", 1, where))
    if minimum < 1 or maximum < 1:
        raise ValueError(f"{where}: min and max must be at least 1")
    if scope == "feature" and set(items) - set(_FEATURES):
        unknown = sorted(set(items) - set(_FEATURES))
        raise ValueError(f"{where}: unknown features {unknown}; known: {_FEATURES}")
    fuzzy_min = fuzzy_min if scope == "head" else None
    return _Signal(
        name=name,
        scope=scope,
        weight=_number(raw, "weight", 1, where),
        minimum=minimum,
        maximum=maximum,
        items=() if scope == "feature" else tuple(_item(i, where, fuzzy_min) for i in items),
        features=tuple(items) if scope == "feature" else (),
    )


def _completion(raw: Any, where: str) -> _Completion:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a table")
    sections = raw.get("sections")
    grade_words = raw.get("grade_words")
    if not isinstance(sections, str) or not isinstance(grade_words, str):
        raise ValueError(f"{where}: needs sections (a signal name) and grade_words")
    return _Completion(
        sections=sections,
        grade_words=_compile_item(grade_words, where),
        not_assessed=tuple(
            _compile_item(item, where) for item in _strings(raw.get("not_assessed", []), where)
        ),
    )


def load_rules(path: Path = KINDS_FILE) -> _Rules:
    """Read and check ``kinds.toml``; a mistake raises ``ValueError`` naming the place."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    settings = data.get("settings", {})
    fuzzy_min = int(_number(settings, "fuzzy_min_chars", 12, "settings"))
    kinds: list[_KindRules] = []
    completion: _Completion | None = None
    for name, raw in data.get("kind", {}).items():
        where = f"{path.name} [kind.{name}]"
        if name not in KINDS or name in ("other", "unreadable"):
            raise ValueError(f"{where}: not a kind that is scored")
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: must be a table")
        raw_signals = raw.get("signal", [])
        signals = tuple(
            _signal(sig, f"{where} signal", fuzzy_min, raw_signals) for sig in raw_signals
        )
        names = {sig.name for sig in signals}
        require = frozenset(_strings(raw.get("require_any", sorted(names)), where))
        if require - names:
            raise ValueError(
                f"{where}: require_any names unknown signals {sorted(require - names)}"
            )
        if "completion" in raw:
            completion = _completion(raw["completion"], f"{where} completion")
            if completion.sections not in names:
                raise ValueError(f"{where}: completion.sections names no signal")
        kind = next(k for k in KINDS if k == name)
        kinds.append(
            _KindRules(
                kind=kind,
                threshold=_number(raw, "threshold", 6, where),
                require_any=require,
                filename=tuple(
                    _compile_item(item, where) for item in _strings(raw.get("filename", []), where)
                ),
                signals=signals,
            )
        )
    if not kinds:
        raise ValueError(f"{path.name}: no [kind.*] tables")
    return _Rules(
        kinds=tuple(kinds),
        penalties=tuple(
            _signal(sig, f"{path.name} penalty", fuzzy_min) for sig in data.get("penalty", [])
        ),
        completion=completion,
        head_lines=int(_number(settings, "head_lines", 12, "settings")),
        head_max_words=int(_number(settings, "head_max_words", 16, "settings")),
        label_max_words=int(_number(settings, "label_max_words", 24, "settings")),
        short_line_words=int(_number(settings, "short_line_words", 14, "settings")),
        filename_weight=_number(settings, "filename_weight", 2, "settings"),
        also_margin=_number(settings, "also_margin", 2, "settings"),
        fuzzy_min_chars=fuzzy_min,
        fuzzy_score=_number(settings, "fuzzy_score", 92, "settings"),
    )


@functools.cache
def _rules() -> _Rules:
    return load_rules()


@dataclass(frozen=True)
class _Template:
    id: str
    #: Normalised phrases padded with spaces (see _Item).
    phrases: tuple[str, ...]


def load_templates(path: Path = TEMPLATES_FILE) -> tuple[_Template, ...]:
    """The referral-form templates of ``templates.toml``; none when it is missing or broken."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return ()
    except (OSError, tomllib.TOMLDecodeError) as err:
        log.warning("templates file unusable (%s); every form is 'unknown'", type(err).__name__)
        return ()
    found: list[_Template] = []
    for index, raw in enumerate(data.get("template", [])):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            log.warning("template %d has no id; skipped", index)
            continue
        phrases = raw.get("all", [])
        if not isinstance(phrases, list) or not phrases:
            log.warning("template %s has no phrases; skipped", raw["id"])
            continue
        padded = [
            f" {words} "
            for phrase in phrases
            if isinstance(phrase, str) and (words := normalise(phrase))
        ]
        if len(padded) == len(phrases):
            found.append(_Template(raw["id"], tuple(padded)))
        else:
            log.warning("template %s has an empty or non-text phrase; skipped", raw["id"])
    return tuple(found)


@functools.cache
def _templates() -> tuple[_Template, ...]:
    return load_templates()


# --- The document as evidence -------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    #: Lines (cells and paragraphs), as printed.
    lines: tuple[str, ...]
    #: Normalised lines, one for one with ``lines``.
    norm: tuple[str, ...]
    # The rest are normalised and padded with a space at each end (see _Item).
    #: All the text on one line.
    text: str
    #: Lines that look like the document's title.
    head: tuple[str, ...]
    #: Lines short enough to be labels, numbering stripped: where labels are.
    labels: _Lines
    #: Lines of a few words: list items, options, table rows.
    short: _Lines
    features: frozenset[str]
    #: A metadata title that is really a file name ("Microsoft Word - GCP2.docx"), normalised:
    #: evidence of the file-name kind, not of the content.
    file_title: str


def _tables(blocks: Sequence[Block]) -> Iterator[Table]:
    for block in blocks:
        if isinstance(block, Table):
            yield block
            for row in block.rows:
                for cell in row:
                    yield from _tables(cell.tables)


_DIGIT_HEAD = re.compile(r"^([1-5])(?:\s|$)")
_SCALE_LINE = re.compile(r"(?<![\d/.:])1\s+2\s+3\s+4\s+5(?![\d/.:])")


def _is_scale(values: Sequence[str]) -> bool:
    """Five consecutive entries numbered 1..5 (or 5..1), each short: a grade grid header."""
    digits = []
    for value in values:
        match = _DIGIT_HEAD.match(value)
        digits.append(int(match.group(1)) if match and len(value.split()) <= 4 else 0)
    for start in range(len(digits) - 4):
        window = digits[start : start + 5]
        if window in ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]):
            return True
    return False


def _scale_runs(norm: Sequence[str]) -> set[int]:
    """Indexes of lines that belong to a 1-2-3-4-5 run (grid headers flattened to lines)."""
    inside: set[int] = set()
    for start in range(len(norm) - 4):
        if _is_scale(norm[start : start + 5]):
            inside.update(range(start, start + 5))
    return inside


def _features(layout: Layout, lines: Sequence[str], norm: Sequence[str]) -> frozenset[str]:
    found: set[str] = set()
    label_rows = 0
    for table in _tables(layout.blocks):
        for row in table.rows:
            texts = [cell.text for cell in row if not cell.continued]
            if _is_scale([normalise(text) for text in texts]):
                found.add("grade_scale")
            filled = [text for text in texts if text.strip()]
            if len(filled) >= 2 and len(filled[0].split()) <= 12:
                label_rows += 1
    if label_rows >= 8:
        found.add("form_rows")
    if any("5" in line and _SCALE_LINE.search(line) for line in lines) or _scale_runs(norm):
        found.add("grade_scale")
    return frozenset(found)


# A metadata title that is a file name, as printing to PDF leaves it.
_FILE_TITLE = re.compile(r"\.(?:docx?|dotx?|docm|pdf|rtf|odt)\b|^microsoft (?:word|office)\b", re.I)


def _head(layout: Layout, lines: Sequence[str], norm: Sequence[str], rules: _Rules) -> list[str]:
    title = layout.title.strip()
    head = [normalise(title)] if title and not _FILE_TITLE.search(title) else []
    for line, words in itertools.islice(zip(lines, norm, strict=True), rules.head_lines):
        if TICKED in line or UNTICKED in line or _SENTENCE_END.search(line):
            continue
        if words and len(words.split()) <= rules.head_max_words:
            head.append(words)
    return head


def _placeholder(line: str) -> bool:
    """A line of only "Click here to enter text." and the like (not a tick box or a digit)."""
    return is_placeholder(line) and any(ch.isalpha() for ch in line)


def _evidence(layout: Layout, rules: _Rules) -> _Evidence:
    # Readers give cleaned text (boxes as glyphs, placeholders gone); a hand-made layout may
    # still hold a bare placeholder, which is no text either.
    lines = tuple(
        line
        for raw in layout.text().split("\n")
        if (line := raw.strip()) and not _placeholder(line)
    )
    norm = tuple(normalise(line) for line in lines)
    sizes = [len(words.split()) for words in norm]
    return _Evidence(
        lines=lines,
        norm=norm,
        text=f" {' '.join(words for words in norm if words)} ",
        head=tuple(f" {words} " for words in _head(layout, lines, norm, rules)),
        labels=_Lines.of(
            [
                _strip_numbering(words)
                for words, size in zip(norm, sizes, strict=True)
                if 0 < size <= rules.label_max_words
            ]
        ),
        short=_Lines.of(
            [
                words
                for words, size in zip(norm, sizes, strict=True)
                if 0 < size <= rules.short_line_words
            ]
        ),
        features=_features(layout, lines, norm),
        file_title=normalise(layout.title) if _FILE_TITLE.search(layout.title) else "",
    )


# --- Scoring ------------------------------------------------------------------------------------


def _item_found(item: _Item, scope: str, ev: _Evidence, rules: _Rules) -> bool:
    if scope == "text":
        return item.within(ev.text)
    if scope == "label":
        return item.in_lines(ev.labels, at_start=True)
    if scope == "short":
        return item.in_lines(ev.short, at_start=False)
    if any(item.within(line) for line in ev.head):
        return True
    return any(
        len(line) >= len(phrase) and fuzz.partial_ratio(phrase, line) >= rules.fuzzy_score
        for phrase in item.fuzzy
        for line in ev.head
    )


def _hits(signal: _Signal, ev: _Evidence, rules: _Rules) -> int:
    if signal.scope == "feature":
        return sum(1 for feature in signal.features if feature in ev.features)
    return sum(1 for item in signal.items if _item_found(item, signal.scope, ev, rules))


def _score(signal: _Signal, ev: _Evidence, rules: _Rules) -> float:
    hits = _hits(signal, ev, rules)
    if hits < signal.minimum:
        return 0.0
    return signal.weight * min(hits, signal.maximum)


@dataclass(frozen=True)
class KindScore:
    """How one kind fared: content score (penalties taken off), what fired, and the verdict."""

    kind: Kind
    score: float
    threshold: float
    #: Names of the signals that scored (never any text from the document).
    fired: tuple[str, ...]
    #: One of the kind's core (``require_any``) signals fired.
    eligible: bool
    #: The file name (or a metadata title that is a file name) names this kind.
    named: bool

    def margin(self, bonus: float = 0.0) -> float:
        """How far above its threshold the kind is (with the file-name ``bonus`` when named)."""
        return self.score + (bonus if self.named else 0.0) - self.threshold

    def passes(self, bonus: float = 0.0) -> bool:
        """Eligible and at or above the threshold."""
        return self.eligible and self.margin(bonus) >= 0


def explain(layout: Layout, filename: str = "") -> tuple[KindScore, ...]:
    """Every scored kind's result for ``layout``: what :func:`classify` decides from."""
    rules = _rules()
    ev = _evidence(layout, rules)
    return _assess(ev, filename, rules)


def _assess(ev: _Evidence, filename: str, rules: _Rules) -> tuple[KindScore, ...]:
    penalty = sum(_score(signal, ev, rules) for signal in rules.penalties)
    names = [name for name in (normalise(Path(filename).stem), ev.file_title) if name]
    results = []
    for kind in rules.kinds:
        fired: list[str] = []
        total = 0.0
        for signal in kind.signals:
            points = _score(signal, ev, rules)
            if points:
                fired.append(signal.name)
                total += points
        results.append(
            KindScore(
                kind=kind.kind,
                score=round(total - penalty, 2),
                threshold=kind.threshold,
                fired=tuple(fired),
                eligible=bool(kind.require_any.intersection(fired)),
                named=any(p.search(name) for p in kind.filename for name in names),
            )
        )
    return tuple(results)


def _ranked(scores: Sequence[KindScore], bonus: float) -> list[KindScore]:
    passing = [score for score in scores if score.passes(bonus)]
    return sorted(passing, key=lambda score: score.margin(bonus), reverse=True)


# --- Graded Care Profile: graded, partial or blank ----------------------------------------------

# A 1-5 range or scale inside a line ("Score (1-5)", "1 2 3 4 5"): not a grade given.
_RANGE = re.compile(r"\b1 (?:to )?5\b|\b1 2 3 4 5\b|\b5 4 3 2 1\b")
# Numbers that are not grades: page numbers, versions, counts, numbering, dates' parts.
_NOT_GRADE = re.compile(
    r"\b(?:page|profile|version|v|gcp|level|tier|week|weeks|year|years|aged|age|child|children|"
    r"no|number|section|part|area|domain|stage|step|of|visit|visits|x|times|sessions)"
    r" [1-5]\b|\b[1-5] (?:of|out of|times|visits|weeks|days|months|years|children)\b"
)
_GRADE_TOKEN = re.compile(r"\b[1-5]\b")
_TRAILING_GRADE = re.compile(r"\b[1-5]$")
# A grade cell marked with a cross instead of a tick box.
_MARK_TOKEN = re.compile(r"(?:^|\s)[xX●✗✘](?:\s|$)")


def _area_lines(ev: _Evidence, areas: _Signal, rules: _Rules) -> dict[int, int]:
    """Line index -> area (item of the sections signal) for every line that starts an area."""
    found: dict[int, int] = {}
    for index, words in enumerate(ev.norm):
        if not words or len(words.split()) > rules.label_max_words:
            continue
        stripped = f" {_strip_numbering(words)} "
        for number, item in enumerate(areas.items):
            if item.starts(stripped):
                found[index] = number
                break
    return found


def _grade_in_section(line: str, words: str) -> bool:
    """A line inside an area section that gives a grade: a ticked box, a cross, or one or two
    stand-alone grades 1-5 (both 1 and 5, or three or more, are a key or a scale)."""
    if TICKED in line or _MARK_TOKEN.search(line):
        return True
    words = _NOT_GRADE.sub(" ", _RANGE.sub(" ", _strip_numbering(words)))
    tokens = set(_GRADE_TOKEN.findall(words))
    return 1 <= len(tokens) <= 2 and not {"1", "5"} <= tokens


def _grade_labelled(line: str, words: str, grade_words: re.Pattern[str]) -> bool:
    """Anywhere in a document: a ticked box, or a grade label ending in a grade."""
    if TICKED in line:
        return True
    value = _RANGE.sub(" ", words).strip()
    return grade_words.search(value) is not None and _TRAILING_GRADE.search(value) is not None


def _gcp_warnings(ev: _Evidence, rules: _Rules) -> tuple[str, ...]:
    completion = rules.completion
    gcp = next((kind for kind in rules.kinds if kind.kind == "gcp"), None)
    if completion is None or gcp is None:
        return ()
    areas = next(signal for signal in gcp.signals if signal.name == completion.sections)
    runs = _scale_runs(ev.norm)
    area_of = _area_lines(ev, areas, rules)
    starts = sorted(area_of)
    graded_areas: set[int] = set()
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(ev.norm)
        if any(
            _grade_in_section(ev.lines[index], ev.norm[index])
            for index in range(start, end)
            if index not in runs
        ):
            graded_areas.add(area_of[start])
    if starts:
        any_grade = bool(graded_areas)
    else:
        any_grade = any(
            _grade_labelled(line, words, completion.grade_words)
            for index, (line, words) in enumerate(zip(ev.lines, ev.norm, strict=True))
            if index not in runs
        )
    if not any_grade:
        return (BLANK_GCP,)
    after = " ".join(ev.norm[starts[0] :]) if starts else ev.text.strip()
    unassessed = any(pattern.search(after) for pattern in completion.not_assessed)
    if set(area_of.values()) - graded_areas or unassessed:
        return (PARTIAL_GCP,)
    return ()


# --- The decision -------------------------------------------------------------------------------


def _template(text: str) -> str:
    matching = [t for t in _templates() if all(phrase in text for phrase in t.phrases)]
    if not matching:
        return "unknown"
    return max(matching, key=lambda template: len(template.phrases)).id


def classify(layout: Layout, filename: str) -> tuple[Kind, str | None, tuple[str, ...]]:
    """The kind of ``layout``, its template id (referral forms only) and warnings.

    Content decides; ``filename`` only tips a close call. A layout without text is
    ``unreadable`` (``no text layer``, unless the reader said so already).
    """
    rules = _rules()
    ev = _evidence(layout, rules)
    if not ev.text.strip():
        return "unreadable", None, (() if NO_TEXT in layout.warnings else (NO_TEXT,))
    scores = _assess(ev, filename, rules)
    log.debug(
        "scores: %s",
        ", ".join(f"{s.kind}={s.score:g}{'*' if s.named else ''}" for s in scores),
    )
    ranked = _ranked(scores, rules.filename_weight)
    if not ranked:
        return "other", None, ()
    winner = ranked[0]
    warnings: list[str] = []
    by_content = _ranked(scores, 0.0)
    if not by_content or by_content[0].kind != winner.kind:
        warnings.append(FILENAME_DECIDED)
    warnings.extend(
        f"{ALSO_LIKE} {other.kind}"
        for other in ranked[1:]
        if other.margin(rules.filename_weight) >= rules.also_margin
    )
    if winner.kind == "gcp":
        warnings.extend(_gcp_warnings(ev, rules))
    template = _template(ev.text) if winner.kind == "rfs" else None
    return winner.kind, template, tuple(warnings)
