"""Word (.docx) → :class:`~parsers.layout.Layout`.

The reader opens only the parts a form needs (the main part, found through the package's
relationships wherever it lives; the first page header; the title property) and walks their XML
directly. python-docx's object model would load every part (styles, numbering, theme, fonts)
and still not show what forms are made of:

* content controls (``w:sdt``): text, drop-downs and dates, where an unfilled control shows its
  placeholder (``w:showingPlcHdr``) and so counts as empty; ``w14:checkbox`` controls;
* legacy form fields: ``FORMCHECKBOX`` (ticked state in ``w:ffData``) and ``FORMTEXT`` (the value
  sits between the field's ``separate`` and ``end`` marks; the instruction text is skipped);
* struck-through (``w:strike``/``w:dstrike``), deleted (``w:del``) and hidden (``w:vanish``)
  text, which is left out: a person striking out "No" has answered "Yes";
* merged cells (``w:gridSpan``, ``w:vMerge``), nested tables, and text boxes.

Before any XML is parsed, :func:`parsers.archive.check_zip` refuses zip bombs and broken archives,
and :func:`parsers.archive.safe_xml` parses without entities, DTDs or network.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]

from parsers import archive
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
    normalise_boxes,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, R, T, TBL, TR, TC, SDT = (_q(t) for t in ("p", "r", "t", "tbl", "tr", "tc", "sdt"))
SDT_CONTENT, SDT_PR = _q("sdtContent"), _q("sdtPr")
TAB, BR, CR, SYM, FLD_CHAR = _q("tab"), _q("br"), _q("cr"), _q("sym"), _q("fldChar")
DEL, MOVE_FROM, INS, MOVE_TO = _q("del"), _q("moveFrom"), _q("ins"), _q("moveTo")
HYPERLINK, SMART_TAG, FLD_SIMPLE, CUSTOM_XML = (
    _q("hyperlink"),
    _q("smartTag"),
    _q("fldSimple"),
    _q("customXml"),
)
NO_BREAK_HYPHEN, SOFT_HYPHEN = _q("noBreakHyphen"), _q("softHyphen")
TXBX_CONTENT, DRAWING, PICT = _q("txbxContent"), _q("drawing"), _q("pict")
ALTERNATE, CHOICE = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice"
W_VAL = _q("val")
_OFF = {"0", "false", "off", "none"}
_HEADING_STYLE = re.compile(r"^(?:heading|kop|titre|berschrift)\s*(\d)$", re.IGNORECASE)
_HIDING = frozenset((_q("strike"), _q("dstrike"), _q("vanish")))
_SKIP_IN_RUN = {_q("instrText"), _q("delText"), _q("footnoteReference"), _q("commentReference")}
W_B = _q("b")
W_BODY = _q("body")
W_BR = _q("br")
W_CHAR = _q("char")
W_CHECKED = _q("checked")
W_CHECK_BOX = _q("checkBox")
W_COMMENT_REFERENCE = _q("commentReference")
W_CR = _q("cr")
W_CUSTOM_XML = _q("customXml")
W_DEFAULT = _q("default")
W_DEL = _q("del")
W_DEL_TEXT = _q("delText")
W_DRAWING = _q("drawing")
W_DSTRIKE = _q("dstrike")
W_FF_DATA = _q("ffData")
W_FILL = _q("fill")
W_FLD_CHAR = _q("fldChar")
W_FLD_CHAR_TYPE = _q("fldCharType")
W_FLD_SIMPLE = _q("fldSimple")
W_FOOTNOTE_REFERENCE = _q("footnoteReference")
W_GRID_SPAN = _q("gridSpan")
W_HEADER_REFERENCE = _q("headerReference")
W_HYPERLINK = _q("hyperlink")
W_INS = _q("ins")
W_INSTR_TEXT = _q("instrText")
W_LAST_RENDERED_PAGE_BREAK = _q("lastRenderedPageBreak")
W_MOVE_FROM = _q("moveFrom")
W_MOVE_TO = _q("moveTo")
W_NO_BREAK_HYPHEN = _q("noBreakHyphen")
W_OUTLINE_LVL = _q("outlineLvl")
W_PICT = _q("pict")
W_P_PR = _q("pPr")
W_P_STYLE = _q("pStyle")
W_R_PR = _q("rPr")
W_SDT_CONTENT = _q("sdtContent")
W_SDT_PR = _q("sdtPr")
W_SECT_PR = _q("sectPr")
W_SHD = _q("shd")
W_SHOWING_PLC_HDR = _q("showingPlcHdr")
W_SMART_TAG = _q("smartTag")
W_SOFT_HYPHEN = _q("softHyphen")
W_STRIKE = _q("strike")
W_SYM = _q("sym")
W_TAB = _q("tab")
W_TC_PR = _q("tcPr")
W_TXBX_CONTENT = _q("txbxContent")
W_TYPE = _q("type")
W_VAL = _q("val")
W_VANISH = _q("vanish")
W_V_MERGE = _q("vMerge")


def read(data: bytes, limits: ReadLimits, *, filename: str = "") -> Layout:
    """Read a DOCX; raises :class:`Unreadable` for anything that is not a sound Word file."""
    # Only the few parts read below are inflated, each bounded by its checked declared size.
    package = archive.check_zip(data, limits, verify=False)
    main = _main_part(package)
    body_root = archive.safe_xml(archive.read_member(package, main))
    body = body_root.find(W_BODY)
    if body is None:
        raise Unreadable("corrupt: no document body")
    walker = _Walker()
    blocks: list[Block] = []
    header = _first_header(package, main, body)
    if header is not None:
        blocks.extend(_as_heading(walker.blocks(header)))
    blocks.extend(walker.blocks(body))
    return Layout(tuple(blocks), pages=_pages(walker.page_breaks), title=_title(package))


_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_DOCUMENT = _R + "/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _relationships(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id → (type, target part name)."""
    folder, _, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels_name not in package.NameToInfo:
        return {}
    root = archive.safe_xml(archive.read_member(package, rels_name))
    found: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        if target.startswith("/"):
            target = target[1:]
        elif folder:
            target = posixpath.normpath(f"{folder}/{target}")
        found[rel.get("Id") or ""] = (rel.get("Type") or "", target)
    return found


def _main_part(package: zipfile.ZipFile) -> str:
    """The main document part, wherever the package's relationships put it."""
    for kind, target in _relationships(package, "").values():
        if kind in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT) and target in package.NameToInfo:
            return target
    if "word/document.xml" in package.NameToInfo:
        return "word/document.xml"
    raise Unreadable("corrupt: not a Word document")


def _first_header(
    package: zipfile.ZipFile, main: str, body: etree._Element
) -> etree._Element | None:
    """The first section's default page header (forms often put their title there)."""
    props = body.find(f".//{W_SECT_PR}")
    if props is None:
        return None
    wanted = None
    for ref in props.iter(W_HEADER_REFERENCE):
        if ref.get(W_TYPE, "default") in ("default", "first"):
            wanted = ref.get(f"{{{_R}}}id")
            if ref.get(W_TYPE, "default") == "default":
                break
    if wanted is None:
        return None
    target = _relationships(package, main).get(wanted)
    if target is None or target[1] not in package.NameToInfo:
        return None
    return archive.safe_xml(archive.read_member(package, target[1]))


def _title(package: zipfile.ZipFile) -> str:
    """The document's title property, if it has one."""
    if "docProps/core.xml" not in package.NameToInfo:
        return ""
    try:
        root = archive.safe_xml(archive.read_member(package, "docProps/core.xml"))
    except Unreadable:
        return ""
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return clean_line(title.text or "") if title is not None else ""


def _as_heading(blocks: Iterator[Block]) -> Iterator[Block]:
    """Header text (often the form's own title) as top-level headings; header tables as they are."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield Paragraph(block.text, heading=block.heading or 1, bold=block.bold)
        else:
            yield block


def _pages(breaks: int) -> int:
    """Pages as far as the body says (explicit breaks); Word's own count is not trustworthy."""
    return breaks + 1


class _Walker:
    """Turns body XML into blocks; counts explicit page breaks on the way."""

    def __init__(self) -> None:
        self.page_breaks = 0

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        for child in container:
            tag = child.tag
            if tag == P:
                paragraph = self.paragraph(child)
                if paragraph is not None:
                    yield paragraph
            elif tag == TBL:
                table = self.table(child)
                if table.rows:
                    yield table
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None and not _showing_placeholder(child):
                    yield from self.blocks(content)
            elif tag in (CUSTOM_XML, INS, MOVE_TO):
                yield from self.blocks(child)

    # --- paragraphs --------------------------------------------------------------------------

    def paragraph(self, p: etree._Element) -> Paragraph | None:
        parts: list[str] = []
        state = _RunState()
        self._inline(p, parts, state)
        split = state.bold_label_end
        if split is not None and not state.all_bold:
            # "**Child's name** Jay Smith": a bold label run, then its answer in plain text.
            label, answer = "".join(parts[:split]).strip(), "".join(parts[split:]).strip()
            if label and answer and len(label) < 120 and "\n" not in label:
                parts = [label, "\t", answer]
        text = clean_text("".join(parts))
        if not text:
            return None
        return Paragraph(text, heading=_heading_level(p), bold=state.all_bold)

    def _inline(self, node: etree._Element, out: list[str], state: _RunState) -> None:
        for child in node:
            tag = child.tag
            if tag == R:
                self._run(child, out, state)
            elif tag == SDT:
                self._inline_sdt(child, out, state)
            elif tag in (DEL, MOVE_FROM):
                continue
            elif tag in (HYPERLINK, SMART_TAG, FLD_SIMPLE, CUSTOM_XML, INS, MOVE_TO, SDT_CONTENT):
                self._inline(child, out, state)
            elif tag == P:  # paragraphs inside text boxes or block-level content
                self._inline(child, out, state)
                out.append("\n")

    def _inline_sdt(self, sdt: etree._Element, out: list[str], state: _RunState) -> None:
        props = sdt.find(SDT_PR)
        if props is not None:
            box = props.find(f"{{{_W14}}}checkbox")
            if box is not None:
                checked = box.find(f"{{{_W14}}}checked")
                on = checked is not None and checked.get(f"{{{_W14}}}val", "1") not in _OFF
                out.append(TICKED if on else UNTICKED)
                return
            if props.find(W_SHOWING_PLC_HDR) is not None:
                return
        content = sdt.find(SDT_CONTENT)
        if content is not None:
            self._inline(content, out, state)

    def _run(self, r: etree._Element, out: list[str], state: _RunState) -> None:
        struck = bold = False
        for child in r:
            tag = child.tag
            if tag == W_R_PR:  # comes first: strike, double strike, hidden, bold
                for prop in child:
                    kind = prop.tag
                    if kind in _HIDING and _on(prop):
                        struck = True
                    elif kind == W_B and _on(prop):
                        bold = True
                continue
            if tag == FLD_CHAR:
                self._field_char(child, out, state)
                continue
            if state.field_box is not None and state.in_field_result:
                continue  # a FORMCHECKBOX's displayed result: its state is already written
            if state.in_field_code:
                continue
            if tag == T:
                if struck:
                    continue
                text = child.text or ""
                if text.strip():
                    state.saw_text(bold, len(out))
                out.append(text)
            elif tag == TAB:
                out.append("\t")
            elif tag == BR:
                if child.get(W_TYPE) == "page":
                    self.page_breaks += 1
                out.append("\n")
            elif tag == CR:
                out.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == SYM and not struck:
                out.append(_symbol(child))
            elif tag in _SKIP_IN_RUN:
                continue
            elif tag in (ALTERNATE, DRAWING, PICT):
                # Text boxes: in a drawing, or in mc:Choice (mc:Fallback repeats them).
                scope = child.find(CHOICE) if tag == ALTERNATE else child
                if scope is not None:
                    for box in scope.iter(TXBX_CONTENT):
                        for p in box.iter(P):
                            self._inline(p, out, state)
                            out.append("\n")
            elif tag == W_LAST_RENDERED_PAGE_BREAK:
                continue

    def _field_char(self, fld: etree._Element, out: list[str], state: _RunState) -> None:
        kind = fld.get(W_FLD_CHAR_TYPE)
        if kind == "begin":
            state.depth += 1
            state.in_field_code = True
            data = fld.find(W_FF_DATA)
            box = data.find(W_CHECK_BOX) if data is not None else None
            if box is not None:
                checked = box.find(W_CHECKED)
                if checked is None:
                    checked = box.find(W_DEFAULT)
                on = checked is not None and checked.get(W_VAL, "1") not in _OFF
                out.append(TICKED if on else UNTICKED)
                state.field_box = state.depth
        elif kind == "separate":
            state.in_field_code = False
            state.in_field_result = state.field_box == state.depth
        elif kind == "end":
            if state.field_box == state.depth:
                state.field_box = None
            state.depth = max(0, state.depth - 1)
            state.in_field_code = False
            state.in_field_result = False
        # A checkbox field has no "separate": its end closes the code part.
        if kind == "begin" and state.field_box == state.depth:
            state.in_field_code = True

    # --- tables ------------------------------------------------------------------------------

    def table(self, tbl: etree._Element) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for tr in _children(tbl, TR):
            cells = tuple(self.cell(tc) for tc in _children(tr, TC))
            if cells:
                rows.append(cells)
        return Table(tuple(rows))

    def cell(self, tc: etree._Element) -> Cell:
        props = tc.find(W_TC_PR)
        span, continued, shaded = 1, False, False
        if props is not None:
            grid_span = props.find(W_GRID_SPAN)
            if grid_span is not None:
                try:
                    span = max(1, int(grid_span.get(W_VAL, "1")))
                except ValueError:
                    span = 1
            merge = props.find(W_V_MERGE)
            if merge is not None and merge.get(W_VAL, "continue") == "continue":
                continued = True
            shade = props.find(W_SHD)
            if shade is not None:
                fill = (shade.get(W_FILL) or "auto").lower()
                shaded = fill not in {"auto", "ffffff", "none", ""}
        lines: list[str] = []
        tables: list[Table] = []
        bold_all = True
        any_text = False
        for block in self.blocks(tc):
            if isinstance(block, Paragraph):
                lines.append(block.text)
                any_text = True
                bold_all = bold_all and block.bold
            else:
                tables.append(block)
        text = "" if continued else "\n".join(lines)
        return Cell(
            text=text,
            span=span,
            continued=continued,
            emphasised=shaded or (any_text and bold_all),
            tables=tuple(tables),
        )


class _RunState:
    """What the run walker carries across runs of one paragraph (fields span several runs)."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_field_code = False
        self.in_field_result = False
        self.field_box: int | None = None
        self._bold_runs = 0
        self._text_runs = 0
        #: Where the paragraph's leading bold text ends, when plain text follows it.
        self.bold_label_end: int | None = None

    def saw_text(self, bold: bool, at: int) -> None:
        if not bold and self._text_runs and self._bold_runs == self._text_runs:
            self.bold_label_end = at if self.bold_label_end is None else self.bold_label_end
        self._text_runs += 1
        self._bold_runs += bold

    @property
    def all_bold(self) -> bool:
        return self._text_runs > 0 and self._bold_runs == self._text_runs


def _children(node: etree._Element, tag: str) -> Iterator[etree._Element]:
    """``tag`` children of ``node``, looking through content controls and custom XML wrappers."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in (CUSTOM_XML, INS, MOVE_TO):
            yield from _children(child, tag)


def _on(element: etree._Element | None) -> bool:
    """A toggle property (``<w:b/>``, ``<w:strike w:val="0"/>``) is on."""
    return element is not None and element.get(W_VAL, "true").lower() not in _OFF


def _showing_placeholder(sdt: etree._Element) -> bool:
    props = sdt.find(SDT_PR)
    return props is not None and props.find(W_SHOWING_PLC_HDR) is not None


def _heading_level(p: etree._Element) -> int:
    props = p.find(W_P_PR)
    if props is None:
        return 0
    style = props.find(W_P_STYLE)
    if style is not None:
        name = (style.get(W_VAL) or "").replace(" ", "")
        if name.lower() in {"title", "subtitle"}:
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
    outline = props.find(W_OUTLINE_LVL)
    if outline is not None:
        try:
            return int(outline.get(W_VAL, "9")) + 1 if int(outline.get(W_VAL, "9")) < 9 else 0
        except ValueError:
            return 0
    return 0


def _symbol(sym: etree._Element) -> str:
    """A ``w:sym`` (Wingdings and friends) as the box glyph it draws, or nothing."""
    code = sym.get(W_CHAR) or ""
    try:
        char = chr(int(code, 16))
    except ValueError:
        return ""
    glyph = normalise_boxes(char)
    return glyph if glyph in (TICKED, UNTICKED) else ""
