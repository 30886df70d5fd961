"""The format-neutral shape of a document: paragraphs and tables of cells, text already cleaned.

Every format reader (DOCX, PDF, converted legacy files) turns its input into a :class:`Layout`;
classification and form reading work only on this. The cleaning rules are the same for every
format, so they live here:

* a ticked box is the glyph ``☒`` and an empty box ``☐``, whatever the source drew: a Word
  checkbox control, a legacy ``FORMCHECKBOX``, a Wingdings character, ``[X]``, an AcroForm
  checkbox;
* text a person struck through or deleted is gone (so "Yes / ~~No~~" reads "Yes /");
* a template placeholder ("Click here to enter text.", "Choose an item.") is empty;
* whitespace is collapsed inside a line (a run of tabs becomes one tab), lines are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TICKED = "☒"
UNTICKED = "☐"

#: Placeholder text Word and form designers leave in an unfilled control, compared after
#: lower-casing and dropping punctuation and spaces (see :func:`is_placeholder`).
_PLACEHOLDERS = (
    "click here to enter text",
    "click or tap here to enter text",
    "click here to enter a date",
    "click or tap to enter a date",
    "choose an item",
    "select an item",
    "select",
    "please select",
    "enter text",
    "enter date",
    "type here",
    "insert text",
    "insert date",
    "dd/mm/yyyy",
    "dd/mm/yy",
    "dd-mm-yyyy",
    "dd.mm.yyyy",
    "hh:mm",
)
_PLACEHOLDER_KEYS = {re.sub(r"[^a-z]", "", p) for p in _PLACEHOLDERS if re.sub(r"[^a-z]", "", p)}
_PLACEHOLDER_RE = re.compile(
    "|".join(
        re.escape(p).replace(r"\ ", r"\s+") + r"\.?"
        for p in sorted(_PLACEHOLDERS, key=len, reverse=True)
    ),
    re.IGNORECASE,
)

# Boxes drawn as characters: ticked first, then empty. Wingdings/Symbol private-use code points
# are what Word's "symbol" checkboxes turn into when text is extracted.
_TICKED_GLYPHS = "☒☑✔✓✗✘■▣⊠\uf0fe\uf078\uf0fd\uf0fb\uf0fc"
_EMPTY_GLYPHS = "☐□▢❑❏\uf06f\uf0a8\uf071\uf072"
_BRACKET_TICK = re.compile(r"\[\s*[xX✓✔]\s*\]|\(\s*[xX✓✔]\s*\)")
_BRACKET_EMPTY = re.compile(r"\[\s{0,3}\]|\(\s{1,3}\)")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TABS = re.compile(r" *\t[\t ]*")


_BOX_TABLE = {ord(c): TICKED for c in _TICKED_GLYPHS} | {ord(c): UNTICKED for c in _EMPTY_GLYPHS}


def normalise_boxes(text: str) -> str:
    """Every drawn box becomes ``☒`` or ``☐``."""
    if not text:
        return text
    if "[" in text or "(" in text:
        text = _BRACKET_TICK.sub(TICKED, text)
        text = _BRACKET_EMPTY.sub(UNTICKED, text)
    return text.translate(_BOX_TABLE)


def is_placeholder(text: str) -> bool:
    """True when ``text`` is only a template placeholder (or nothing)."""
    key = re.sub(r"[^a-z]", "", text.lower())
    return not key or key in _PLACEHOLDER_KEYS


_PLACEHOLDER_HINT = re.compile(r"click|choose|select|enter|type here|insert|dd|hh:mm", re.I)


def strip_placeholders(text: str) -> str:
    """Remove placeholder phrases from ``text`` (a cell may hold one beside real text)."""
    if not _PLACEHOLDER_HINT.search(text):
        return text
    return _PLACEHOLDER_RE.sub("", text)


def clean_line(text: str) -> str:
    """One line: boxes normalised, placeholders removed, spaces collapsed, trimmed.

    A run of tabs stays, as one tab: on forms typed without tables it separates label and value.
    """
    text = strip_placeholders(normalise_boxes(text))
    text = _SPACES.sub(" ", text)
    if "\t" in text:
        text = _TABS.sub("\t", text)
    return text.strip(" \t")


def clean_text(text: str) -> str:
    """Several lines cleaned one by one; empty lines dropped (a placeholder may wrap lines)."""
    if "\n" not in text and "\r" not in text:
        return clean_line(text)
    text = strip_placeholders(text.replace("\r", "\n"))
    lines = (clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Cell:
    """One table cell: cleaned text (lines joined by ``\\n``) and any tables nested in it."""

    text: str
    #: Grid columns this cell covers (a horizontally merged cell spans several).
    span: int = 1
    #: True for the lower parts of a vertically merged cell (their text is in the top part).
    continued: bool = False
    #: Looks like a label: shaded background or every run bold.
    emphasised: bool = False
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Table:
    """Rows of cells, in reading order."""

    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or a PDF line) of cleaned text."""

    text: str
    #: 0 for body text; 1, 2, … for a heading level or a title.
    heading: int = 0
    #: Every run is bold (forms often use bold body text as a heading or a label).
    bold: bool = False


Block = Paragraph | Table


@dataclass(frozen=True)
class Layout:
    """A whole document as blocks in reading order."""

    blocks: tuple[Block, ...]
    #: Page count (PDF) or an estimate; 0 when unknown.
    pages: int = 0
    #: Document title and other metadata text that may name the form (cleaned).
    title: str = ""
    #: Things the reader noticed, as short codes (``no text layer``, ``truncated: page limit``).
    warnings: tuple[str, ...] = field(default=())

    def text(self) -> str:
        """All the text, blocks in order, cells separated by newlines (for classification)."""
        out: list[str] = []
        _collect(self.blocks, out)
        return "\n".join(out)


def _collect(blocks: tuple[Block, ...], out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.text:
                out.append(block.text)
            continue
        for row in block.rows:
            for cell in row:
                if cell.text and not cell.continued:
                    out.append(cell.text)
                _collect(cell.tables, out)
