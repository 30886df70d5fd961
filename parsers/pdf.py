"""PDF → :class:`~parsers.layout.Layout`, with pdfplumber (pdfminer.six underneath).

One pass over the document, one parse per page; every page's characters are grouped into words
once (pdfplumber's word extractor) and everything else is built from those words and the page's
drawn objects:

* **Ruled tables** (borders drawn as lines or thin rectangles, as Word prints them) are found with
  pdfplumber's table finder on edges we choose (page-sized frames, invisible white boxes, checkbox
  squares and small curves are left out). Each grid cell becomes a :class:`Cell` whose text is
  the words whose centre lies in it, lines kept with ``\\n``; a cell covering several grid
  columns gets ``span > 1``; the lower parts of a vertically merged cell are ``continued`` cells
  with no text, so every row still reads left to right in grid order. A cell is ``emphasised``
  when all its words are bold or a coloured fill covers it. pdfplumber does not make a table of a
  single box, so text in a lone frame reads as paragraphs.
* **Text outside tables** becomes one :class:`Paragraph` per printed line (words grouped by
  position). A line that is all bold is ``bold``; a line noticeably larger than the document's
  body size (the size most characters have) is ``heading=1``, as a Word title, subtitle or
  heading style would be. "Label: value" lines and a label line followed by a value line stay
  separate paragraphs.
  Blocks are in order of their top edge on each page, pages in order.
* **Gap-separated lines**: a line whose words are split by a gap of at least ``2 × font size``
  (and 12 pt), as borderless label/value forms print "Name ⟶ Jay Smith", becomes a
  :class:`Table` of one row, one cell per part, when it looks like a label/value row: at most 8
  parts, the first has a letter and at most 10 words, and the line is not a heading. Anything
  else (a numbered heading "1.   Introduction", two columns of prose) stays one paragraph with the
  parts joined by a space. The edge of an AcroForm *text* field always splits (its value is a cell
  of its own, however close it sits to the label), and a line holding a text field's value is
  always such a row. Each line is its own one-row table; consecutive lines are not merged into a
  grid.
* **Checkboxes**: glyphs are normalised by :func:`~parsers.layout.normalise_boxes` (``☒``/``☐``,
  ``[X]``/``[ ]``); characters in Wingdings, Wingdings 2 and ZapfDingbats that are box or tick
  glyphs are first mapped to ``☒``/``☐`` (without a ToUnicode map pdfminer gives their raw codes,
  e.g. ZapfDingbats "4" for ✔). A small stroked square (about 5.5-15 pt) with a mark drawn inside
  (lines, curves, a smaller filled square, or an "X"/tick character) becomes ``☒`` at its place,
  an empty one ``☐``; rows of three or more touching squares (date "comb" boxes) are left alone.
* **AcroForm fields**: values are read from the catalog's ``/AcroForm`` field tree (``/Kids``
  recursed; ``/FT``, ``/V``, ``/Ff``, ``/DA``, ``/Opt`` inherited) and each widget's value is
  placed on its page at the widget's ``/Rect`` as if printed there: text and choices as words, a
  checkbox or radio button as ``☒``/``☐`` (ticked when ``/V`` or ``/AS`` names one of the widget's
  "on" appearance states). So the printed label and the value land in the same cell or line.
  Field names are not recorded. Flattened forms are just text.

Errors: a document that needs a user password is ``Unreadable("encrypted")`` (an
owner-password-only PDF opens with the empty password and is read); no characters on any page read
and no field values is ``Unreadable("no text layer")``; anything pdfminer raises while opening or
reading is ``Unreadable("corrupt: <short reason or exception class>")``. A page that fails on its
own is skipped with a ``corrupt: page N`` warning, and a page whose content streams would inflate
past ``limits.max_decompressed_bytes`` with ``too large: page N`` (all pages failing raises the
last reason). Reasons and warnings never quote the document. Python warnings raised inside are
silenced (``warnings.catch_warnings`` is process-global: readers run one at a time per process).

Only the first ``limits.max_pages`` pages are read (warning ``truncated: page limit``; pages past
the limit are never parsed); ``Layout.pages`` is the document's page count and ``Layout.title``
its metadata title. Page objects come from pdfminer's layout directly (see :func:`_objects`):
pdfplumber's ``page.objects`` would double the parse time.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
import warnings
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFNoValidXRef
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSEOF, PSLiteral
from pdfminer.utils import decode_text
from pdfplumber.page import Page
from pdfplumber.table import Table as _PlumberTable
from pdfplumber.table import TableFinder
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from parsers.base import ReadLimits, Unreadable
from parsers.layout import (
    TICKED,
    UNTICKED,
    Block,
    Cell,
    Layout,
    Paragraph,
    Table,
    clean_line,
    clean_text,
    is_placeholder,
    normalise_boxes,
)

__all__ = ["read"]

# --- tuning ------------------------------------------------------------------------------------

#: Characters further apart than this fraction of the font size start a new word (pdfplumber's
#: fixed 3 pt default glues words together in small print that has no space characters).
_WORD_GAP_RATIO = 0.15
#: A gap inside a line at least this many font sizes wide (and at least _MIN_COLUMN_GAP points)
#: separates columns: "Name" ... "Jay Smith".
_COLUMN_GAP_RATIO = 2.0
_MIN_COLUMN_GAP = 12.0
#: A label/value row has this many parts at most, and its first part this many words at most.
_MAX_ROW_PARTS = 8
_MAX_LABEL_WORDS = 10
#: A line is a heading (a title, subtitle or section heading) when its font is this much larger
#: than the body text (both must hold).
_HEADING_RATIO = 1.15
_HEADING_MIN_DELTA = 1.5
#: A drawn checkbox: a square this size (points), sides within _BOX_SQUARENESS of each other.
_BOX_MIN, _BOX_MAX, _BOX_SQUARENESS = 5.5, 15.0, 1.6
#: Tables smaller than this in both directions are drawn boxes, not tables.
_MIN_TABLE_SIZE = 16.0
#: Text in an AcroForm widget with automatic font size is placed as this size.
_DEFAULT_FIELD_SIZE = 10.0
#: Field-tree nodes visited at most (a hostile file cannot make us walk forever).
_MAX_FIELD_NODES = 20_000
_MAX_FIELD_DEPTH = 32

_TABLE_SETTINGS: dict[str, Any] = {
    # Edges are ours (see _table_edges); pdfplumber snaps, joins and intersects them.
    "vertical_strategy": "explicit",
    "horizontal_strategy": "explicit",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}

# --- checkbox glyphs in symbol fonts -------------------------------------------------------------

# Byte codes of box/tick glyphs: ticked first, then empty. Code points in the private-use range
# F000-F0FF (a symbol font's ToUnicode map) are the same codes plus 0xF000.
_DINGBATS: dict[str, tuple[str, str]] = {
    # ZapfDingbats: 3 ✓ 4 ✔ 5 ✕ 6 ✖ 7 ✗ 8 ✘ n ■ | o ❏ p ❐ q ❑ r ❒
    "zapf": ("345678n", "opqr"),
    # Wingdings: x ☒ ý ☒ þ ☑ û ✗ ü ✓ | o □ ¨ ◻ q ❑ r ❒
    "wingdings": ("xýþûü", "o¨qr"),
    # Wingdings 2: O ✗ P ✓ Q R S T (boxes with a tick or a cross) | £ ☐
    "wingdings2": ("OPQRST", "£"),
}
_DINGBAT_MAPS: dict[str, dict[int, str]] = {
    name: {ord(c): TICKED for c in ticked} | {ord(c): UNTICKED for c in empty}
    for name, (ticked, empty) in _DINGBATS.items()
}
#: Text inside a drawn square that marks it ticked.
_TICK_TEXT = frozenset({"x", "X", "✓", "✔", "✗", "✘", "√", "/", "*", TICKED})
_BOXES = frozenset({TICKED, UNTICKED})
_LETTER = re.compile(r"[^\W\d_]")
_ENCRYPT_KEY = re.compile(rb"/Encrypt\b")
_BOLD_NAME = re.compile(r"bold|black|heavy|demi(?![a-z])")

# Word roles: printed text, a checkbox (neutral for bold and size), an AcroForm value.
_TEXT, _BOX, _VALUE = 0, 1, 2


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    role: int = _TEXT
    #: Which AcroForm text widget a _VALUE word came from (its index on the page), else -1.
    group: int = -1

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class _Grid:
    """One ruled table found on a page, and the words that fell in each of its cells."""

    table: _PlumberTable
    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]
    shaded: set[int]
    words: dict[int, list[_Word]]


@dataclass(slots=True)
class _Page:
    words: list[_Word]
    grids: list[_Grid]


@dataclass(slots=True)
class _Widget:
    """One AcroForm widget's value, ready to be placed on its page."""

    page_ref: int | None  # objid of /P
    objid: int | None
    rect: tuple[float, float, float, float]  # PDF user space x0, y0, x1, y1
    text: str
    is_box: bool
    multiline: bool
    size: float


# --- entry point -------------------------------------------------------------------------------


def read(data: bytes, limits: ReadLimits, *, filename: str = "") -> Layout:
    """Read a PDF into a :class:`Layout` (see the module docstring); raises :class:`Unreadable`."""
    with warnings.catch_warnings():
        # pdfminer/pdfplumber may warn about odd files; a warning is not our caller's business
        # (and the test suite turns warnings into errors).
        warnings.simplefilter("ignore")
        try:
            return _read(data, limits)
        except (Unreadable, MemoryError, RecursionError):
            raise
        except PdfminerException as err:
            cause = err.args[0] if err.args and isinstance(err.args[0], BaseException) else err
            if isinstance(cause, (MemoryError, RecursionError)):
                raise cause from None
            raise Unreadable(_reason(cause, data)) from None
        except Exception as err:
            raise Unreadable(_reason(err, data)) from None


def _reason(err: BaseException, data: bytes, *, opening: bool = False) -> str:
    """A short, content-free reason for an exception raised while opening or reading."""
    if isinstance(err, PDFEncryptionError):
        return "encrypted"
    if opening and _ENCRYPT_KEY.search(data):
        # An encrypted file that pdfminer could not open (a broken or unsupported handler).
        return "encrypted"
    if isinstance(err, PSEOF):
        return "corrupt: unexpected end of file"
    if isinstance(err, PDFNoValidXRef):
        return "corrupt: no valid cross-reference table"
    if isinstance(err, PDFSyntaxError):
        return "corrupt: syntax error"
    return f"corrupt: {type(err).__name__}"


def _read(data: bytes, limits: ReadLimits) -> Layout:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as err:
        cause = err.args[0] if err.args and isinstance(err.args[0], BaseException) else err
        raise Unreadable(_reason(cause, data, opening=True)) from None
    # Pages are taken from pdfminer one by one: ``pdf.pages`` (and ``pdf.close()``) would build a
    # pdfplumber Page for every page of a 20,000-page file before we read the first.
    limit = max(limits.max_pages, 1)
    source = PDFPage.create_pages(pdf.doc)
    page_objs = list(itertools.islice(source, limit + 1))
    if not page_objs:
        raise Unreadable("corrupt: no pages")
    notes: list[str] = []
    total = len(page_objs)
    if total > limit:
        page_objs = page_objs[:limit]
        total = _page_count(pdf.doc, limit, source)
        notes.append("truncated: page limit")
    pages: list[Any] = []
    doctop = 0.0
    for number, page_obj in enumerate(page_objs, start=1):
        try:
            page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
        except Exception:  # an unusable MediaBox and the like: read() names it
            page = None
        pages.append(page)
        doctop += float(page.height) if page is not None else 0.0
    widgets = _widgets_by_page(pdf, [p.page_obj if p is not None else None for p in pages])
    extractor = WordExtractor(x_tolerance_ratio=_WORD_GAP_RATIO, extra_attrs=["fontname", "size"])
    read_pages: list[_Page] = []
    any_text = False
    image_only = 0
    failures: list[str] = []
    for index, page in enumerate(pages):
        try:
            if page is None:
                raise Unreadable("corrupt: page")
            if _oversized(page.page_obj, limits.max_decompressed_bytes):
                raise Unreadable("too large: page content")
            objects = _objects(page)
            any_text = any_text or bool(objects.chars)
            if not objects.chars and objects.images:
                image_only += 1
            read_pages.append(_read_page(page, objects, extractor, widgets.get(index, [])))
        except (MemoryError, RecursionError):
            raise
        except Exception as err:  # one broken page does not lose the others
            cause = _cause(err)
            if isinstance(cause, (MemoryError, RecursionError)):
                raise cause from None  # pdfplumber wraps these too; the caller reports them
            reason = err.reason if isinstance(err, Unreadable) else _reason(cause, data)
            failures.append(reason)
            notes.append(f"{reason.split(':')[0]}: page {index + 1}")
        finally:
            if page is not None:
                page.close()
    if len(failures) == len(pages):
        raise Unreadable(failures[-1])
    if not any_text and not widgets:
        raise Unreadable("no text layer")
    if image_only:
        notes.append(f"no text layer: {image_only} of {len(pages)} pages")
    title = _title(pdf.metadata)
    blocks = _blocks(read_pages)
    return Layout(blocks=tuple(blocks), pages=total, title=title, warnings=tuple(notes))


def _cause(err: Exception) -> BaseException:
    """The pdfminer exception inside pdfplumber's wrapper."""
    if isinstance(err, PdfminerException) and err.args and isinstance(err.args[0], BaseException):
        return err.args[0]
    return err


def _page_count(doc: Any, limit: int, rest: Iterator[Any]) -> int:
    """The page count of a document with more than ``limit`` pages (``limit + 1`` were taken)."""
    try:
        tree = resolve1(doc.catalog.get("Pages"))
        count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    except Exception:
        count = None
    if isinstance(count, int) and not isinstance(count, bool) and count > limit:
        return count
    # No believable /Count: count the rest of the page tree (bounded; it is only a number).
    return limit + 1 + sum(1 for _ in itertools.islice(rest, 1_000_000))


def _oversized(page_obj: Any, cap: int) -> bool:
    """True when the page's Flate content streams inflate to more than ``cap`` bytes.

    pdfminer inflates a content stream in one piece; a small stream of zeros can hold gigabytes.
    Counting in bounded chunks first costs little next to parsing the page.
    """
    total = 0
    for ref in page_obj.contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        if stream.rawdata is None:  # already inflated (a stream shared with an earlier page)
            total += len(stream.data or b"")
            if total > cap:
                return True
            continue
        try:
            filters = stream.get_filters()
            if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
                continue
            raw = stream.rawdata
            if stream.decipher is not None:
                if stream.objid is None or stream.genno is None:
                    continue
                raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
            inflater = zlib.decompressobj()
            while raw and not inflater.eof:
                total += len(inflater.decompress(raw, 1 << 20))
                if total > cap:
                    return True
                raw = inflater.unconsumed_tail
        except (zlib.error, ValueError, TypeError, KeyError):
            continue  # pdfminer copes with (or reports) a broken stream itself
    return False


def _title(metadata: object) -> str:
    if not isinstance(metadata, dict):
        return ""
    value = metadata.get("Title")
    if isinstance(value, bytes):
        value = _decode(value)
    return clean_line(value) if isinstance(value, str) else ""


# --- one page ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Objects:
    """What we use of a page's layout, as pdfplumber-style dicts (see :func:`_objects`)."""

    chars: list[dict[str, Any]]
    rects: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    curves: list[dict[str, Any]]
    images: int


def _objects(page: Any) -> _Objects:
    """The page's characters and drawings in pdfplumber's coordinates, from pdfminer's layout.

    pdfplumber's ``page.objects`` copies and resolves every attribute of every layout object,
    which costs as much again as pdfminer's parse; we build only the keys that word grouping and
    the table finder read, with the same coordinates (``top`` from the top of the MediaBox).
    """
    layout = page.layout
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    base = float(page.initial_doctop)
    out = _Objects([], [], [], [], 0)
    stack: list[Iterator[Any]] = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTChar):
                top = height - obj.y1 + mb_top
                fontname = obj.fontname
                if isinstance(fontname, bytes):
                    fontname = fontname.decode("latin-1")
                out.chars.append(
                    {
                        "text": obj.get_text(),
                        "x0": obj.x0 + mb_x0,
                        "x1": obj.x1 + mb_x0,
                        "top": top,
                        "bottom": height - obj.y0 + mb_top,
                        "doctop": base + top,
                        "upright": obj.upright,
                        "fontname": fontname,
                        "size": obj.size,
                    }
                )
            elif isinstance(obj, LTCurve):
                kind = (
                    "rect"
                    if isinstance(obj, LTRect)
                    else "line"
                    if isinstance(obj, LTLine)
                    else "curve"
                )
                top = height - obj.y1 + mb_top
                shape = {
                    "object_type": kind,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "y0": obj.y0,
                    "y1": obj.y1,
                    "top": top,
                    "bottom": height - obj.y0 + mb_top,
                    "doctop": base + top,
                    "width": obj.width,
                    "height": obj.height,
                    "stroke": obj.stroke,
                    "fill": obj.fill,
                    "non_stroking_color": obj.non_stroking_color,
                }
                if kind == "rect":
                    out.rects.append(shape)
                elif kind == "line":
                    out.lines.append(shape)
                else:
                    shape["pts"] = [(mb_x0 + x, mb_top + height - y) for x, y in obj.pts]
                    out.curves.append(shape)
            elif isinstance(obj, LTImage):
                out.images += 1
            elif isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
        else:
            stack.pop()
    return out


def _read_page(
    page: Any, objects: _Objects, extractor: WordExtractor, widgets: list[_Widget]
) -> _Page:
    chars = objects.chars
    words = [_word(w) for w in extractor.extract_words(chars)] if chars else []
    rects, lines, curves = objects.rects, objects.lines, objects.curves
    boxes = _drawn_boxes(rects, lines, curves, words) if rects else ([], set())
    words.extend(boxes[0])
    if widgets:
        words.extend(_place_widgets(page, widgets))
    words = [w for w in words if w.text]
    grids = _grids(page, rects, lines, curves, boxes[1], words)
    return _Page(words=words, grids=grids)


def _word(raw: dict[str, Any]) -> _Word:
    text: str = raw["text"]
    fontname: str = raw.get("fontname") or ""
    table = _dingbat_table(fontname)
    role = _TEXT
    if table is not None:
        text = "".join(table.get(_code(c), c) for c in text)
    if not text.isascii() or "[" in text or "(" in text:
        text = normalise_boxes(text)
        if text and all(c in _BOXES for c in text):
            role = _BOX
    size = float(raw.get("size") or 0.0)
    return _Word(
        text=text,
        x0=float(raw["x0"]),
        x1=float(raw["x1"]),
        top=float(raw["top"]),
        bottom=float(raw["bottom"]),
        size=size,
        bold=_is_bold(fontname),
        role=role,
    )


def _code(char: str) -> int:
    code = ord(char)
    return code - 0xF000 if 0xF000 <= code <= 0xF0FF else code


def _dingbat_table(fontname: str) -> dict[int, str] | None:
    name = fontname.lower().replace(" ", "").replace("-", "").replace("_", "")
    if "wingdings2" in name:
        return _DINGBAT_MAPS["wingdings2"]
    if "wingdings3" in name:
        return None
    if "wingdings" in name:
        return _DINGBAT_MAPS["wingdings"]
    if "dingbats" in name:
        return _DINGBAT_MAPS["zapf"]
    return None


def _is_bold(fontname: str) -> bool:
    """Bold by name: ``Arial,Bold``, ``XYZ+Calibri-Bold``, ``Avenir-Heavy``, ``Franklin-Demi``."""
    return bool(_BOLD_NAME.search(fontname.split("+", 1)[-1].lower()))


# --- drawn checkboxes --------------------------------------------------------------------------


def _drawn_boxes(
    rects: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    curves: list[dict[str, Any]],
    words: list[_Word],
) -> tuple[list[_Word], set[int]]:
    """Checkbox words for small drawn squares, and the ids of every small square (not table edges).

    Tick characters found inside a square are removed from ``words`` (the square's glyph replaces
    them).
    """
    squares = [
        r
        for r in rects
        if _BOX_MIN <= r["width"] <= _BOX_MAX
        and _BOX_MIN <= r["height"] <= _BOX_MAX
        and abs(r["width"] - r["height"]) <= _BOX_SQUARENESS
    ]
    if not squares:
        return [], set()
    small = {id(r) for r in squares}
    combs = _comb_boxes(squares)
    out: list[_Word] = []
    consumed: set[int] = set()
    for rect in squares:
        if id(rect) in combs or not rect.get("stroke"):
            continue  # filled squares are bullets or decoration, runs of squares are date combs
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        inside = [
            i
            for i, w in enumerate(words)
            if x0 - 1 <= w.cx <= x1 + 1 and top - 1 <= w.mid <= bottom + 1 and i not in consumed
        ]
        texts = {words[i].text for i in inside}
        if texts and not texts <= (_TICK_TEXT | _BOXES):
            continue  # a letter box or a framed label, not a checkbox
        if texts & _BOXES:
            continue  # a glyph already says what it is
        ticked = bool(texts) or _has_mark(rect, rects, lines, curves)
        consumed.update(inside)
        size = rect["bottom"] - rect["top"]
        out.append(_Word(TICKED if ticked else UNTICKED, x0, x1, top, bottom, size, False, _BOX))
    if consumed:
        words[:] = [w for i, w in enumerate(words) if i not in consumed]
    return out, small


def _comb_boxes(squares: list[dict[str, Any]]) -> set[int]:
    """Ids of squares in a row of three or more touching squares (boxes for digits of a date)."""
    ordered = sorted(squares, key=lambda r: (round(r["top"]), r["x0"]))
    out: set[int] = set()
    run: list[dict[str, Any]] = []
    for rect in ordered:
        if run and abs(rect["top"] - run[-1]["top"]) < 1.5 and rect["x0"] - run[-1]["x1"] < 2.0:
            run.append(rect)
            continue
        if len(run) >= 3:
            out.update(id(r) for r in run)
        run = [rect]
    if len(run) >= 3:
        out.update(id(r) for r in run)
    return out


def _has_mark(
    box: dict[str, Any],
    rects: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    curves: list[dict[str, Any]],
) -> bool:
    x0, top, x1, bottom = box["x0"] - 1, box["top"] - 1, box["x1"] + 1, box["bottom"] + 1
    least = 0.3 * min(box["width"], box["height"])
    for obj in (*lines, *curves, *rects):
        if obj is box:
            continue
        if obj["x0"] >= x0 and obj["x1"] <= x1 and obj["top"] >= top and obj["bottom"] <= bottom:
            if obj["object_type"] == "rect" and not obj.get("fill"):
                continue  # an inner frame (a double border) is not a mark
            if max(obj["width"], obj["height"]) >= least:
                return True
    return False


# --- AcroForm fields ---------------------------------------------------------------------------


def _widgets_by_page(pdf: Any, page_objs: Sequence[Any]) -> dict[int, list[_Widget]]:
    """Each read page's filled-in AcroForm widgets, by page index (none if the form is broken)."""
    try:
        return _find_widgets(pdf, page_objs)
    except (MemoryError, RecursionError):
        raise
    except Exception:  # a broken field tree loses the field values, not the document
        return {}


def _find_widgets(pdf: Any, page_objs: Sequence[Any]) -> dict[int, list[_Widget]]:
    catalog = pdf.doc.catalog
    acroform = resolve1(catalog.get("AcroForm")) if isinstance(catalog, dict) else None
    if not isinstance(acroform, dict):
        return {}
    fields = resolve1(acroform.get("Fields"))
    if not isinstance(fields, list) or not fields:
        return {}
    found: list[_Widget] = []
    seen: set[int] = set()
    for ref in fields:
        _walk(ref, {}, found, seen, 0)
        if len(seen) > _MAX_FIELD_NODES:
            break
    if not found:
        return {}
    by_annot: dict[int, int] = {}
    by_pageid: dict[int, int] = {}
    for index, page_obj in enumerate(page_objs):
        if page_obj is None:
            continue
        by_pageid[page_obj.pageid] = index
        annots = resolve1(page_obj.annots)
        if isinstance(annots, list):
            for annot in annots:
                if isinstance(annot, PDFObjRef):
                    by_annot.setdefault(annot.objid, index)
    out: dict[int, list[_Widget]] = {}
    for widget in found:
        index_: int | None = None
        if widget.objid is not None:
            index_ = by_annot.get(widget.objid)
        if index_ is None and widget.page_ref is not None:
            index_ = by_pageid.get(widget.page_ref)
        if index_ is not None:
            out.setdefault(index_, []).append(widget)
    return out


_INHERITED = ("FT", "V", "Ff", "DA", "Opt")


def _walk(
    ref: object, inherited: dict[str, object], out: list[_Widget], seen: set[int], depth: int
) -> None:
    if depth > _MAX_FIELD_DEPTH or len(seen) > _MAX_FIELD_NODES:
        return
    objid = ref.objid if isinstance(ref, PDFObjRef) else None
    if objid is not None:
        if objid in seen:
            return
        seen.add(objid)
    try:
        node = resolve1(ref)
    except Exception:
        return
    if not isinstance(node, dict):
        return
    attrs = dict(inherited)
    for key in _INHERITED:
        if key in node:
            attrs[key] = node[key]
    kids = resolve1(node.get("Kids"))
    if isinstance(kids, list) and kids:
        for kid in kids:
            _walk(kid, attrs, out, seen, depth + 1)
        return
    widget = _widget(node, attrs, objid)
    if widget is not None:
        out.append(widget)


def _widget(node: dict[str, Any], attrs: dict[str, object], objid: int | None) -> _Widget | None:
    rect = resolve1(node.get("Rect"))
    if not isinstance(rect, list) or len(rect) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(resolve1(v)) for v in rect)
    except (TypeError, ValueError):
        return None
    flags = _int(resolve1(node.get("F")))
    if flags & 2:  # hidden annotation
        return None
    field_type = _name(resolve1(attrs.get("FT")))
    field_flags = _int(resolve1(attrs.get("Ff")))
    page = node.get("P")
    page_ref = page.objid if isinstance(page, PDFObjRef) else None
    rect_ = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    size = _font_size(resolve1(node.get("DA", attrs.get("DA"))))
    if field_type == "Btn":
        if field_flags & (1 << 16):  # push button
            return None
        ticked = _is_on(node, resolve1(attrs.get("V")))
        return _Widget(page_ref, objid, rect_, TICKED if ticked else UNTICKED, True, False, size)
    if field_type == "Tx":
        text = _text_value(resolve1(attrs.get("V")))
    elif field_type == "Ch":
        text = _choice_value(resolve1(attrs.get("V")), resolve1(attrs.get("Opt")))
    else:
        return None  # signatures and unknown kinds carry nothing we print
    if not text.strip():
        return None
    multiline = bool(field_flags & (1 << 12)) or "\n" in text or "\r" in text
    return _Widget(page_ref, objid, rect_, text, False, multiline, size)


def _is_on(node: dict[str, Any], value: object) -> bool:
    """A checkbox or radio widget is on when /V or /AS names one of its "on" appearances."""
    on_states: set[str] = set()
    appearance = resolve1(node.get("AP"))
    if isinstance(appearance, dict):
        normal = resolve1(appearance.get("N"))
        if isinstance(normal, dict):
            on_states = {str(k) for k in normal if str(k) != "Off"}
    state = _name(resolve1(node.get("AS")))
    chosen = _name(value)
    if on_states:
        return chosen in on_states or state in on_states
    # No appearance dictionary to compare with: any state other than Off is on.
    if state is not None:
        return state != "Off"
    return chosen is not None and chosen != "Off"


def _name(value: object) -> str | None:
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str):
        return value
    return None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _font_size(da: object) -> float:
    """The font size in a default-appearance string (``/Helv 12 Tf 0 g``); 0 means automatic."""
    text = _decode(da) if isinstance(da, bytes) else da if isinstance(da, str) else ""
    match = re.search(r"([\d.]+)\s+Tf\b", text)
    try:
        size = float(match.group(1)) if match else 0.0
    except ValueError:
        size = 0.0
    return size if 2.0 <= size <= 72.0 else _DEFAULT_FIELD_SIZE


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    try:
        return decode_text(raw)
    except (IndexError, KeyError, UnicodeDecodeError):
        return raw.decode("latin-1")


def _text_value(value: object) -> str:
    if isinstance(value, PDFStream):
        try:
            value = value.get_data()
        except Exception:
            return ""
    if isinstance(value, bytes):
        return _decode(value)
    if isinstance(value, str):
        return value
    name = _name(value) if isinstance(value, PSLiteral) else None
    return name or ""


def _choice_value(value: object, options: object) -> str:
    chosen = [resolve1(v) for v in value] if isinstance(value, list) else [value]
    texts = [_text_value(v) for v in chosen]
    if isinstance(options, list):
        shown: dict[str, str] = {}
        for option in options:
            option = resolve1(option)
            if isinstance(option, list) and len(option) == 2:
                shown[_text_value(resolve1(option[0]))] = _text_value(resolve1(option[1]))
        texts = [shown.get(t, t) for t in texts]
    return ", ".join(t for t in texts if t)


def _place_widgets(page: Any, widgets: list[_Widget]) -> list[_Word]:
    """Words for the widgets' values, in pdfplumber's page coordinates."""
    page_obj = page.page_obj
    mx0, my0, mx1, my1 = (float(v) for v in page_obj.mediabox)
    rotate = page_obj.rotate % 360
    if rotate == 90:
        ctm = (0.0, -1.0, 1.0, 0.0, -my0, mx1)
    elif rotate == 180:
        ctm = (-1.0, 0.0, 0.0, -1.0, mx1, my1)
    elif rotate == 270:
        ctm = (0.0, 1.0, -1.0, 0.0, my1, -mx0)
    else:
        ctm = (1.0, 0.0, 0.0, 1.0, -mx0, -my0)
    a, b, c, d, e, f = ctm
    height = float(page.height)
    left, top_offset = float(page.mediabox[0]), float(page.mediabox[1])
    out: list[_Word] = []
    for group, widget in enumerate(widgets):
        rx0, ry0, rx1, ry1 = widget.rect
        xs, ys = [], []
        for x, y in ((rx0, ry0), (rx1, ry1)):
            xs.append(a * x + c * y + e)
            ys.append(b * x + d * y + f)
        x0, x1 = min(xs) + left, max(xs) + left
        top, bottom = height - max(ys) + top_offset, height - min(ys) + top_offset
        if widget.is_box:
            out.append(_Word(widget.text, x0, x1, top, bottom, 0.0, False, _BOX))
            continue
        out.append(_value_word(widget, x0, x1, top, bottom, group))
    return out


def _value_word(
    widget: _Widget, x0: float, x1: float, top: float, bottom: float, group: int
) -> _Word:
    """A text widget's value as one word over its rectangle: centred in a single-line field; in a
    multi-line one, at the top (where its first line is drawn) with its lines kept as ``\\n`` so
    the whole answer stays in one cell or paragraph."""
    size = widget.size
    lines = re.split(r"\r\n|\r|\n", widget.text)
    if widget.multiline:
        height = min(size, bottom - top)
        text, line_top = "\n".join(lines), top + min(1.0, (bottom - top - height) / 2)
    else:
        height = size
        text, line_top = " ".join(lines), (top + bottom - size) / 2
    return _Word(text, x0 + 2, x1, line_top, line_top + height, 0.0, False, _VALUE, group)


# --- ruled tables ------------------------------------------------------------------------------


def _grids(
    page: Any,
    rects: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    curves: list[dict[str, Any]],
    small: set[int],
    words: list[_Word],
) -> list[_Grid]:
    edges = _table_edges(page, rects, lines, curves, small)
    vertical = sum(1 for e in edges if e["orientation"] == "v")
    if vertical < 2 or len(edges) - vertical < 2:
        return []
    settings = dict(_TABLE_SETTINGS)
    settings["explicit_vertical_lines"] = [e for e in edges if e["orientation"] == "v"]
    settings["explicit_horizontal_lines"] = [e for e in edges if e["orientation"] == "h"]
    finder = TableFinder(page, settings)
    grids: list[_Grid] = []
    for table in finder.tables:
        x0, top, x1, bottom = table.bbox
        if x1 - x0 < _MIN_TABLE_SIZE and bottom - top < _MIN_TABLE_SIZE:
            continue
        grids.append(_Grid(table, (x0, top, x1, bottom), list(table.cells), set(), {}))
    if not grids:
        return []
    _shade(grids, rects)
    _assign(grids, words)
    return grids


def _table_edges(
    page: Any,
    rects: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    curves: list[dict[str, Any]],
    small: set[int],
) -> list[dict[str, Any]]:
    from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

    width, height = float(page.width), float(page.height)
    edges: list[dict[str, Any]] = []
    for rect in rects:
        if id(rect) in small:
            continue
        if rect["width"] >= 0.9 * width and rect["height"] >= 0.9 * height:
            continue  # a page frame or background
        if not rect.get("stroke") and (not rect.get("fill") or _is_white(rect)):
            continue  # invisible
        edges.extend(rect_to_edges(rect))
    for line in lines:
        horizontal = abs(line["bottom"] - line["top"]) < 1
        vertical = abs(line["x1"] - line["x0"]) < 1
        if horizontal or vertical:
            edge = line_to_edge(line)
            edge["orientation"] = "h" if horizontal else "v"
            edges.append(edge)
    for curve in curves:
        if curve["width"] <= _BOX_MAX and curve["height"] <= _BOX_MAX:
            continue  # ticks, crosses and small shapes
        edges.extend(e for e in curve_to_edges(curve) if e["orientation"] in ("h", "v"))
    return edges


def _is_white(obj: dict[str, Any]) -> bool:
    color = obj.get("non_stroking_color")
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:
        return all(v <= 0.02 for v in color)
    return all(v >= 0.98 for v in color)


_BAND = 12.0  # points: the height of one bucket of :func:`_bands`


def _bands(boxes: Sequence[tuple[float, float, float, float]]) -> dict[int, list[int]]:
    """Indexes of ``boxes`` (x0, top, x1, bottom) by horizontal band, so a lookup by ``top``
    tests a handful of boxes rather than every cell of a large table."""
    out: dict[int, list[int]] = {}
    for index, (_, top, _, bottom) in enumerate(boxes):
        for band in range(int(top // _BAND), int(bottom // _BAND) + 1):
            out.setdefault(band, []).append(index)
    return out


def _shade(grids: list[_Grid], rects: list[dict[str, Any]]) -> None:
    """Mark cells covered by a coloured fill (label cells are often shaded)."""
    fills = [
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for r in rects
        if r.get("fill") and not _is_white(r) and r["width"] > 4 and r["height"] > 4
    ]
    if not fills:
        return
    bands = _bands(fills)
    for grid in grids:
        for index, (x0, top, x1, bottom) in enumerate(grid.cells):
            area = max((x1 - x0) * (bottom - top), 1e-6)
            for fill in bands.get(int((top + bottom) / 2 // _BAND), ()):
                fx0, ftop, fx1, fbottom = fills[fill]
                w = min(x1, fx1) - max(x0, fx0)
                h = min(bottom, fbottom) - max(top, ftop)
                if w > 0 and h > 0 and w * h >= 0.8 * area:
                    grid.shaded.add(index)
                    break


def _assign(grids: list[_Grid], words: list[_Word]) -> None:
    """Move each word whose centre lies in a table cell into that cell (smallest cell wins)."""
    indexes = [_bands(grid.cells) for grid in grids]
    remaining: list[_Word] = []
    for word in words:
        cx, cy = word.cx, word.mid
        band = int(cy // _BAND)
        best: tuple[float, _Grid, int] | None = None
        for grid, bands in zip(grids, indexes, strict=True):
            gx0, gtop, gx1, gbottom = grid.bbox
            if not (gx0 <= cx <= gx1 and gtop <= cy <= gbottom):
                continue
            for index in bands.get(band, ()):
                x0, top, x1, bottom = grid.cells[index]
                if x0 <= cx < x1 and top <= cy < bottom:
                    area = (x1 - x0) * (bottom - top)
                    if best is None or area < best[0]:
                        best = (area, grid, index)
        if best is None:
            remaining.append(word)
        else:
            best[1].words.setdefault(best[2], []).append(word)
    words[:] = remaining


def _table_block(grid: _Grid) -> Table:
    cells = grid.cells
    index_of = {cell: i for i, cell in enumerate(cells)}
    xs = sorted({cell[0] for cell in cells})
    rows: list[tuple[Cell, ...]] = []
    for row in grid.table.rows:
        present = [c for c in row.cells if c is not None]
        if not present:
            continue
        row_top = float(present[0][1])
        out: list[Cell] = []
        covered_to = float("-inf")
        for slot, raw in enumerate(row.cells):
            x = xs[slot] if slot < len(xs) else float("inf")
            if x < covered_to - 0.5:
                continue
            if raw is not None:
                bbox = raw
                index = index_of.get(raw, -1)
                words = grid.words.get(index, [])
                out.append(
                    Cell(
                        text=_cell_text(words),
                        span=_span(xs, bbox[0], bbox[2]),
                        emphasised=index in grid.shaded or _all_bold(words),
                    )
                )
                covered_to = bbox[2]
                continue
            above = next(
                (
                    c
                    for c in cells
                    if c[0] - 0.5 <= x < c[2] - 0.5
                    and c[1] < row_top - 0.5
                    and c[3] > row_top + 0.5
                ),
                None,
            )
            if above is not None:
                out.append(Cell(text="", span=_span(xs, above[0], above[2]), continued=True))
                covered_to = above[2]
        if out:
            rows.append(tuple(out))
    return Table(rows=tuple(rows))


def _span(xs: list[float], x0: float, x1: float) -> int:
    return max(1, sum(1 for x in xs if x0 - 0.5 <= x < x1 - 0.5))


def _cell_text(words: list[_Word]) -> str:
    if not words:
        return ""
    text = clean_text("\n".join(_join(line) for line in _group_lines(words)))
    # A placeholder wrapped over two lines of a narrow cell ("Click here to enter / text.").
    if "\n" in text and _LETTER.search(text) and is_placeholder(text.replace("\n", " ")):
        return ""
    return text


# --- lines and paragraphs ----------------------------------------------------------------------


def _group_lines(words: Iterable[_Word]) -> list[list[_Word]]:
    """Words grouped into printed lines (by vertical centre), each line left to right."""
    lines: list[list[_Word]] = []
    anchor_mid = anchor_half = 0.0
    for word in sorted(words, key=lambda w: (w.mid, w.x0)):
        half = max((word.bottom - word.top) / 2, 1.0)
        if lines and abs(word.mid - anchor_mid) <= max(min(half, anchor_half), 2.0):
            lines[-1].append(word)
            continue
        lines.append([word])
        anchor_mid, anchor_half = word.mid, half
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _join(words: Sequence[_Word]) -> str:
    """A line's words as text: a space between words, none where a font change split a word."""
    parts: list[str] = []
    previous: _Word | None = None
    for word in words:
        if previous is not None:
            size = previous.size or word.size or _DEFAULT_FIELD_SIZE
            touching = word.x0 - previous.x1 <= 0.1 * size and word.role == previous.role == _TEXT
            if not touching:
                parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def _line_size(words: Sequence[_Word]) -> float:
    sizes = [w.size for w in words if w.role == _TEXT and w.size > 0]
    return max(sizes) if sizes else 0.0


def _all_bold(words: Sequence[_Word]) -> bool:
    text = [w for w in words if w.role != _BOX]
    return bool(text) and all(w.bold and w.role == _TEXT for w in text)


def _body_size(pages: Sequence[_Page]) -> float:
    weights: dict[float, int] = {}
    for page in pages:
        for word in _all_words(page):
            if word.role == _TEXT and word.size > 0:
                key = round(word.size * 2) / 2
                weights[key] = weights.get(key, 0) + len(word.text)
    if not weights:
        return 0.0
    return max(weights.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def _all_words(page: _Page) -> Iterator[_Word]:
    yield from page.words
    for grid in page.grids:
        for words in grid.words.values():
            yield from words


def _split_columns(words: Sequence[_Word]) -> list[list[_Word]]:
    sizes = [w.size for w in words if w.size > 0]
    size = statistics.median(sizes) if sizes else _DEFAULT_FIELD_SIZE
    gap = max(_COLUMN_GAP_RATIO * size, _MIN_COLUMN_GAP)
    parts: list[list[_Word]] = [[words[0]]]
    for previous, word in itertools.pairwise(words):
        if word.x0 - previous.x1 >= gap or previous.group != word.group:
            # A wide gap, or the edge of an AcroForm text field: a field's value is a cell of
            # its own however close its widget sits to the label.
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _line_block(words: Sequence[_Word], body: float) -> Block | None:
    size = _line_size(words)
    bold = _all_bold(words)
    heading = bool(body) and size >= body * _HEADING_RATIO and size >= body + _HEADING_MIN_DELTA
    parts = _split_columns(words)
    if len(parts) > 1 and not heading and _label_value_row(parts):
        cells = tuple(
            Cell(text=clean_text(_join(part)), emphasised=_all_bold(part)) for part in parts
        )
        if any(cell.text for cell in cells):
            return Table(rows=(cells,))
        return None
    text = clean_text(_join(words))  # lines only from a multi-line form field's value
    if not text:
        return None
    return Paragraph(text=text, heading=1 if heading else 0, bold=bold)


def _label_value_row(parts: list[list[_Word]]) -> bool:
    if any(word.role == _VALUE for part in parts for word in part):
        return True  # a form field's value beside its printed label, or a row of fields
    if len(parts) > _MAX_ROW_PARTS:
        return False
    label = clean_line(_join(parts[0]))
    return bool(_LETTER.search(label)) and len(label.split()) <= _MAX_LABEL_WORDS


def _blocks(pages: Sequence[_Page]) -> list[Block]:
    body = _body_size(pages)
    out: list[Block] = []
    for page in pages:
        placed: list[tuple[float, float, Block]] = []
        for grid in page.grids:
            placed.append((grid.bbox[1], grid.bbox[0], _table_block(grid)))
        for line in _group_lines(page.words):
            block = _line_block(line, body)
            if block is not None:
                placed.append((min(w.top for w in line), line[0].x0, block))
        placed.sort(key=lambda item: (item[0], item[1]))
        out.extend(block for _, _, block in placed)
    return out
