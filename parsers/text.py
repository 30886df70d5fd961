"""Plain text and HTML → :class:`~parsers.layout.Layout`.

The encoding is found from a byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-16 without a mark
when every other byte is NUL, else UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what
an old Outlook or a Windows text editor writes). Control characters are dropped.

Plain text becomes one :class:`~parsers.layout.Paragraph` per non-empty line. HTML (a ``.htm`` or
``.html`` name, or content that starts like an HTML document) is read with the standard library's
:class:`html.parser.HTMLParser`: tags are stripped, block elements and ``<br>`` end lines,
``<h1>``–``<h6>`` become headings, ``<script>``, ``<style>`` and the like are skipped, the
``<title>`` becomes the layout's title, and ``<table>`` becomes a :class:`~parsers.layout.Table`
(``colspan`` kept, ``<th>`` marked as a label, nested tables inside their cell) because a form
sent as HTML keeps its labels and answers in table cells.

At most :data:`MAX_CHARS` characters are read; the rest is dropped with the warning
``truncated: text limit``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from parsers.base import ReadLimits
from parsers.layout import Block, Cell, Layout, Paragraph, Table, clean_line

__all__ = ["MAX_CHARS", "decode", "read"]

#: Characters read from one text file (a long referral narrative is well under 100,000).
MAX_CHARS = 5_000_000
#: Table cells kept per row and rows per table (an HTML table can be built to be huge).
_MAX_CELLS = 200
_MAX_ROWS = 20_000
#: Table nesting kept; deeper tables are read as text of their enclosing cell.
_MAX_DEPTH = 20

_HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|font|br)\b",
    re.IGNORECASE | re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read(data: bytes, limits: ReadLimits, *, filename: str = "") -> Layout:
    """Read plain text or HTML; never fails on an encoding (undecodable bytes become U+FFFD)."""
    del limits  # text is cheap: the character cap below is all the limit it needs
    text, truncated = decode(data)
    warnings = ("truncated: text limit",) if truncated else ()
    if Path(filename).suffix.lower() in _HTML_SUFFIXES or _HTML_START.match(text[:4096]):
        blocks, title = _html_blocks(text)
    else:
        blocks, title = _text_blocks(text), ""
    return Layout(blocks=blocks, pages=0, title=title, warnings=warnings)


def decode(data: bytes, max_chars: int = MAX_CHARS) -> tuple[str, bool]:
    """The text of ``data`` (at most ``max_chars`` characters) and whether it was cut short."""
    encoding = _encoding(data)
    # Decode no more than could make max_chars characters (4 bytes each at most), without
    # failing on a character cut in half at the end.
    limit = max_chars * 4
    truncated = len(data) > limit
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(data[:limit], final=not truncated)
    if len(text) > max_chars:
        text, truncated = text[:max_chars], True
    text = _CONTROLS.sub("", text.replace("\f", "\n").replace("\x0b", "\n"))
    return text, truncated


def _encoding(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:4096]
    if len(sample) >= 4:
        odd_nuls = sample[1::2].count(0)
        even_nuls = sample[0::2].count(0)
        half = len(sample) // 2
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[: MAX_CHARS * 4], final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _text_blocks(text: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cleaned = clean_line(line)
        if cleaned:
            blocks.append(Paragraph(cleaned))
    return tuple(blocks)


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
}
_SKIP_TAGS = {"script", "style", "template", "head", "noscript", "svg", "math", "object", "iframe"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


@dataclass
class _Lines:
    """Text being gathered into lines: the page itself or one table cell."""

    lines: list[tuple[str, int]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    heading: int = 0

    def add(self, text: str) -> None:
        self.parts.append(text)

    def end_line(self) -> None:
        line = clean_line("".join(self.parts))
        self.parts.clear()
        if line:
            self.lines.append((line, self.heading))


@dataclass
class _CellBuilder(_Lines):
    span: int = 1
    header: bool = False
    tables: list[Table] = field(default_factory=list)

    def build(self) -> Cell:
        self.end_line()
        text = "\n".join(line for line, _level in self.lines)
        return Cell(text=text, span=self.span, emphasised=self.header, tables=tuple(self.tables))


@dataclass
class _TableBuilder:
    rows: list[list[Cell]] = field(default_factory=list)
    row: list[Cell] | None = None
    cell: _CellBuilder | None = None

    def close_cell(self) -> None:
        if self.cell is not None:
            built = self.cell.build()
            self.cell = None
            if self.row is None:
                self.row = []
            if len(self.row) < _MAX_CELLS:
                self.row.append(built)

    def close_row(self) -> None:
        self.close_cell()
        if self.row is not None:
            if self.row and len(self.rows) < _MAX_ROWS:
                self.rows.append(self.row)
            self.row = None

    def build(self) -> Table:
        self.close_row()
        return Table(rows=tuple(tuple(row) for row in self.rows))


class _HtmlReader(HTMLParser):
    """Collects blocks: paragraphs from lines of text, tables from ``<table>`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.page = _Lines()
        self.tables: list[_TableBuilder] = []
        self.skipping: list[str] = []
        self.in_title = False
        self.title_parts: list[str] = []
        self.too_deep = 0

    # Where text goes now: the open cell of the innermost table, else the page.
    def _sink(self) -> _Lines:
        for table in reversed(self.tables):
            if table.cell is not None:
                return table.cell
        return self.page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
            return
        if tag == "body" and "head" in self.skipping:  # a </head> left out: the body still counts
            self.skipping.clear()
        if self.skipping or tag in _SKIP_TAGS:
            if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
                self.skipping.append(tag)
            return
        if tag == "table":
            if len(self.tables) >= _MAX_DEPTH:
                self.too_deep += 1
                self._sink().end_line()
                return
            self._flush_page()
            self._sink().end_line()
            self.tables.append(_TableBuilder())
        elif tag == "tr" and self.tables and not self.too_deep:
            self.tables[-1].close_row()
            self.tables[-1].row = []
        elif tag in {"td", "th"} and self.tables and not self.too_deep:
            table = self.tables[-1]
            table.close_cell()
            table.cell = _CellBuilder(span=_span(attrs), header=tag == "th")
        elif tag == "br" or tag in _BLOCK_TAGS:
            sink = self._sink()
            sink.end_line()
            if tag in _HEADINGS:
                sink.heading = _HEADINGS[tag]
        elif tag in {"td", "th", "tr"}:  # cells of a table nested too deep: one line each
            self._sink().end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "table":
            if self.too_deep:
                self.too_deep -= 1
                self._sink().end_line()
                return
            if not self.tables:
                return
            built = self.tables.pop().build()
            sink = self._sink()
            if self.tables and isinstance(sink, _CellBuilder):
                sink.end_line()
                sink.tables.append(built)
            elif built.rows:
                self._flush_page()
                self.blocks.append(built)
        elif tag in {"td", "th"} and self.tables and not self.too_deep:
            self.tables[-1].close_cell()
        elif tag == "tr" and self.tables and not self.too_deep:
            self.tables[-1].close_row()
        elif tag in _BLOCK_TAGS or tag in {"td", "th", "tr"}:
            sink = self._sink()
            sink.end_line()
            if tag in _HEADINGS:
                sink.heading = 0

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skipping:
            return
        if self.tables and self.tables[-1].cell is None and not data.strip():
            return  # whitespace between rows and cells
        self._sink().add(data.replace("\n", " "))

    def finish(self) -> tuple[tuple[Block, ...], str]:
        self.close()
        while self.tables:
            self.handle_endtag("table")
        self._flush_page()
        return tuple(self.blocks), clean_line(" ".join(self.title_parts))

    def _flush_page(self) -> None:
        self.page.end_line()
        for line, level in self.page.lines:
            self.blocks.append(Paragraph(line, heading=level))
        self.page.lines.clear()


_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"}


def _span(attrs: list[tuple[str, str | None]]) -> int:
    for name, value in attrs:
        if name == "colspan" and value:
            try:
                return max(1, min(int(value.strip()), _MAX_CELLS))
            except ValueError:
                return 1
    return 1


def _html_blocks(text: str) -> tuple[tuple[Block, ...], str]:
    reader = _HtmlReader()
    reader.feed(text)
    return reader.finish()
