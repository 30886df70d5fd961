"""Raw WordprocessingML for what python-docx cannot draw: content controls, legacy form fields,
struck-out options, merged cells and nested tables.

Each helper returns a fragment of ``word/document.xml`` as a string (prefixes ``w`` and ``w14``);
:func:`compose_docx` puts the fragments into a document made by python-docx (which supplies the
styles, the protective marking in the header and the fiction notice in the footer) and saves it
with fixed zip timestamps, so the same fragments always give the same bytes.

What the helpers draw is what Word itself writes:

* text, date and drop-down content controls (``w:sdt``), filled or showing their placeholder
  ("Click here to enter text.", "Click or tap to enter a date.", "Choose an item.") with
  ``w:showingPlcHdr``;
* Word 2010 checkbox controls: ``w14:checkbox`` with ``w14:checked`` and the ☒/☐ glyph in the
  content run;
* legacy form fields: ``FORMTEXT`` (the value sits in the runs between the ``separate`` and
  ``end`` field characters; an empty one shows five en spaces) and ``FORMCHECKBOX`` (state in
  ``w:ffData/w:checkBox``: ``w:default``, overridden by ``w:checked`` when present);
* runs with ``w:strike`` (a crossed-out Yes/No option);
* ``w:gridSpan`` and ``w:vMerge`` merged cells, shaded cells and a table nested in a cell.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt

from intake.synthetic.render import CHOOSE, FICTION_NOTICE, PLACEHOLDER, TICKED, UNTICKED, fixed_zip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
_NSDECL = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}" xmlns:w15="{W15_NS}"'

#: What Word 2013+ shows in an unfilled date picker.
DATE_PLACEHOLDER = "Click or tap to enter a date."
#: What an unfilled legacy text field shows: five en spaces.
EMPTY_FORMTEXT = "\u2002" * 5
#: Usable width of the default python-docx page (US Letter, 1-inch margins), in twentieths of a
#: point.
PAGE_WIDTH = 9360
LABEL_FILL = "D9E2F3"
TITLE_FILL = "1F3864"
_GREY = "808080"

VMerge = Literal["", "restart", "continue"]


def _attr(value: str | int) -> str:
    return quoteattr(str(value))


# --- runs and paragraphs ------------------------------------------------------------------------


def run(
    text: str,
    *,
    bold: bool = False,
    strike: bool = False,
    font: str = "",
    color: str = "",
    no_proof: bool = False,
) -> str:
    """One run; a newline in ``text`` becomes a line break (``w:br``)."""
    props = ""
    if font:
        props += f"<w:rFonts w:ascii={_attr(font)} w:hAnsi={_attr(font)} w:eastAsia={_attr(font)}/>"
    if bold:
        props += "<w:b/>"
    if strike:
        props += "<w:strike/>"
    if no_proof:
        props += "<w:noProof/>"
    if color:
        props += f"<w:color w:val={_attr(color)}/>"
    body = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n")
    )
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{body}</w:r>"


def glyph(ticked: bool) -> str:
    """A ☒ or ☐ typed as a character (in MS Gothic, as Word's symbol dialog inserts it)."""
    return run(TICKED if ticked else UNTICKED, font="MS Gothic")


def para(content: str = "", *, style: str = "", align: str = "") -> str:
    """A paragraph holding ``content`` (runs or run-level controls)."""
    props = ""
    if style:
        props += f"<w:pStyle w:val={_attr(style)}/>"
    if align:
        props += f"<w:jc w:val={_attr(align)}/>"
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{content}</w:p>"


def text_paras(text: str, *, bold: bool = False) -> str:
    """One paragraph per line of ``text`` (an empty paragraph for empty text)."""
    return "".join(
        para(run(line, bold=bold) if line else "") for line in (text.split("\n") or [""])
    )


def with_colon(label: str) -> str:
    """``Label:`` (a label already ending in ``?`` or ``:`` is left as it is)."""
    return label if label.endswith(("?", ":")) else f"{label}:"


def label_value(label: str, value_runs: str) -> str:
    """A ``Label: value`` paragraph, the label in bold."""
    return para(run(with_colon(label), bold=True) + run(" ") + value_runs)


# --- tables -------------------------------------------------------------------------------------


def cell(
    content: str = "",
    *,
    width: int,
    span: int = 1,
    vmerge: VMerge = "",
    fill: str = "",
) -> str:
    """A table cell; ``content`` is block XML (paragraphs, tables) and gets a closing paragraph
    when it would not end with one (a cell must)."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill={_attr(fill)}/>'
    if not content.endswith("</w:p>"):
        content += "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def label_cell(text: str, *, width: int, span: int = 1) -> str:
    """A shaded cell with a bold label."""
    return cell(para(run(text, bold=True)), width=width, span=span, fill=LABEL_FILL)


def title_cell(text: str, *, width: int, span: int = 1) -> str:
    """A dark shaded cell with a white bold section title (older forms' merged first row)."""
    return cell(
        para(run(text, bold=True, color="FFFFFF")),
        width=width,
        span=span,
        fill=TITLE_FILL,
    )


def row(cells: Iterable[str], *, header: bool = False) -> str:
    """A table row of ``cells`` (each from :func:`cell`)."""
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table(rows: Iterable[str], widths: Sequence[int]) -> str:
    """A bordered table (Word's "Table Grid" style) with grid columns ``widths``."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def split_widths(total: int, parts: Sequence[float]) -> list[int]:
    """``total`` twips shared out in proportion to ``parts`` (the last part takes the rest)."""
    scale = sum(parts)
    widths = [int(total * part / scale) for part in parts[:-1]]
    return [*widths, total - sum(widths)]


# --- choices ------------------------------------------------------------------------------------


def glyph_choice(options: Sequence[str], selected: Sequence[str]) -> str:
    """``☒ Yes   ☐ No`` as typed glyphs."""
    out = []
    for index, option in enumerate(options):
        if index:
            out.append(run("   "))
        out.append(glyph(option in selected))
        out.append(run(f" {option}"))
    return "".join(out)


def strike_choice(options: Sequence[str], selected: Sequence[str]) -> str:
    """``Yes / No`` with every option but the chosen one struck through (``w:strike``)."""
    out = []
    for index, option in enumerate(options):
        if index:
            out.append(run(" / "))
        out.append(run(option, strike=option not in selected))
    return "".join(out)


def deleted_choice(options: Sequence[str], selected: Sequence[str]) -> str:
    """What is left when the referrer deletes the options that do not apply (``Yes``); every
    option stays when none was chosen."""
    kept = [option for option in options if option in selected] or list(options)
    return run(" / ".join(kept))


# --- content controls ---------------------------------------------------------------------------


def _sdt_pr(ident: int, alias: str, kind: str, *, showing_placeholder: bool) -> str:
    parts = []
    if alias:
        parts.append(f"<w:alias w:val={_attr(alias)}/>")
        parts.append(f"<w:tag w:val={_attr(alias)}/>")
    parts.append(f'<w:id w:val="{ident}"/>')
    if showing_placeholder:
        parts.append("<w:showingPlcHdr/>")
    parts.append(kind)
    return f"<w:sdtPr>{''.join(parts)}</w:sdtPr>"


def _placeholder_run(text: str) -> str:
    return run(text, color=_GREY)


def text_control(value: str | None, *, ident: int, alias: str = "") -> str:
    """A run-level plain-text content control holding ``value`` (placeholder when ``None``)."""
    empty = not value
    content = _placeholder_run(PLACEHOLDER) if empty else run(value or "")
    props = _sdt_pr(ident, alias, '<w:text w:multiLine="1"/>', showing_placeholder=empty)
    return f"<w:sdt>{props}<w:sdtContent>{content}</w:sdtContent></w:sdt>"


def block_text_control(value: str | None, *, ident: int, alias: str = "") -> str:
    """A block-level rich-text control: one paragraph per line of ``value``."""
    empty = not value
    content = (
        para(_placeholder_run(PLACEHOLDER))
        if empty
        else "".join(para(run(line)) for line in (value or "").split("\n"))
    )
    return (
        f"<w:sdt>{_sdt_pr(ident, alias, '<w:richText/>', showing_placeholder=empty)}"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def date_control(
    text: str | None, day: dt.date | None, *, ident: int, alias: str = "", fmt: str = "dd/MM/yyyy"
) -> str:
    """A date-picker control showing ``text`` (Word's own format of ``day``), or its placeholder."""
    empty = not text
    full = f' w:fullDate="{day.isoformat()}T00:00:00Z"' if day and not empty else ""
    kind = (
        f'<w:date{full}><w:dateFormat w:val={_attr(fmt)}/><w:lid w:val="en-GB"/>'
        '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
    )
    content = _placeholder_run(DATE_PLACEHOLDER) if empty else run(text or "")
    return (
        f"<w:sdt>{_sdt_pr(ident, alias, kind, showing_placeholder=empty)}"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def dropdown_control(
    options: Sequence[str], selected: str | None, *, ident: int, alias: str = ""
) -> str:
    """A drop-down list control showing ``selected``, or "Choose an item."."""
    empty = selected is None
    items = "".join(f"<w:listItem w:displayText={_attr(o)} w:value={_attr(o)}/>" for o in options)
    kind = f'<w:dropDownList><w:listItem w:value=""/>{items}</w:dropDownList>'
    content = _placeholder_run(CHOOSE) if empty else run(selected or "")
    return (
        f"<w:sdt>{_sdt_pr(ident, alias, kind, showing_placeholder=empty)}"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def checkbox_control(checked: bool, *, ident: int, alias: str = "") -> str:
    """A Word 2010 checkbox content control (``w14:checkbox``) showing ☒ or ☐."""
    kind = (
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
    )
    return (
        f"<w:sdt>{_sdt_pr(ident, alias, kind, showing_placeholder=False)}"
        f"<w:sdtContent>{glyph(checked)}</w:sdtContent></w:sdt>"
    )


def checkbox_choice(options: Sequence[str], selected: Sequence[str], *, first_id: int) -> str:
    """``☒ Yes ☐ No`` drawn with one checkbox control per option (ids from ``first_id``)."""
    out = []
    for index, option in enumerate(options):
        if index:
            out.append(run("   "))
        out.append(checkbox_control(option in selected, ident=first_id + index))
        out.append(run(f" {option}"))
    return "".join(out)


def repeating_section(rows: Sequence[str], *, first_id: int, alias: str = "") -> str:
    """Table rows inside a Word 2013 repeating-section control: an outer ``w:sdt``
    (``w15:repeatingSection``) holding one ``w:sdt`` (``w15:repeatingSectionItem``) per row, so
    the rows are not children of the table. Uses ids ``first_id`` to ``first_id + len(rows)``."""
    item = "<w15:repeatingSectionItem/>"
    items = "".join(
        f"<w:sdt>{_sdt_pr(first_id + n, '', item, showing_placeholder=False)}"
        f"<w:sdtContent>{tr}</w:sdtContent></w:sdt>"
        for n, tr in enumerate(rows, start=1)
    )
    outer = _sdt_pr(first_id, alias, "<w15:repeatingSection/>", showing_placeholder=False)
    return f"<w:sdt>{outer}<w:sdtContent>{items}</w:sdtContent></w:sdt>"


# --- legacy form fields -------------------------------------------------------------------------


def form_text(
    value: str | None,
    *,
    name: str,
    date_format: str = "",
    split: bool = False,
) -> str:
    """A legacy ``FORMTEXT`` field: begin (with ``w:ffData``), instruction, separate, the value
    runs, end. ``split`` spreads the value over two runs, as Word does after an edit; an empty
    field shows five en spaces; a newline becomes ``w:br``."""
    if date_format:
        text_input = (
            f'<w:textInput><w:type w:val="date"/><w:format w:val={_attr(date_format)}/>'
            "</w:textInput>"
        )
    else:
        text_input = "<w:textInput/>"
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData>'
        f'<w:name w:val={_attr(name)}/><w:enabled/><w:calcOnExit w:val="0"/>{text_input}'
        "</w:ffData></w:fldChar></w:r>"
    )
    text = value or EMPTY_FORMTEXT
    if split and len(text) > 4 and "\n" not in text:
        middle = len(text) // 2
        result = run(text[:middle], no_proof=True) + run(text[middle:], no_proof=True)
    else:
        result = run(text, no_proof=True)
    return (
        begin
        + '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + result
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


CheckboxState = Literal["default", "checked", "override"]


def form_checkbox(checked: bool, *, name: str, how: CheckboxState = "default") -> str:
    """A legacy ``FORMCHECKBOX``: begin (with ``w:ffData/w:checkBox``), instruction, end.

    ``how`` says where the state is: ``default`` (only ``w:default``), ``checked`` (``w:default``
    0 and a ``w:checked`` element when ticked, as after a user ticks it), ``override``
    (``w:default`` is the opposite and ``w:checked w:val`` says the real state).
    """
    if how == "default":
        state = f'<w:default w:val="{1 if checked else 0}"/>'
    elif how == "checked":
        state = '<w:default w:val="0"/>' + ("<w:checked/>" if checked else "")
    else:
        state = (
            f'<w:default w:val="{0 if checked else 1}"/><w:checked w:val="{1 if checked else 0}"/>'
        )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData>'
        f'<w:name w:val={_attr(name)}/><w:enabled/><w:calcOnExit w:val="0"/>'
        f"<w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def form_checkbox_choice(
    options: Sequence[str], selected: Sequence[str], *, first: int, how: CheckboxState = "default"
) -> str:
    """``[x] Yes [ ] No`` as one legacy checkbox per option (named ``Check<first+i>``)."""
    out = []
    for index, option in enumerate(options):
        if index:
            out.append(run("  "))
        out.append(form_checkbox(option in selected, name=f"Check{first + index}", how=how))
        out.append(run(f" {option}"))
    return "".join(out)


# --- the document -------------------------------------------------------------------------------


def compose_docx(
    *,
    title: str,
    subtitle: str,
    body: Sequence[str],
    author: str,
    created: dt.datetime,
    marking: str = "OFFICIAL-SENSITIVE",
) -> bytes:
    """A .docx whose body is the title, the subtitle and the XML ``body`` fragments, in order.

    The header carries ``marking``, the footer the fiction notice, and the core properties the
    title, author, date and the notice; the zip members get fixed timestamps.
    """
    document = new_document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = FICTION_NOTICE
    fragments = [para(run(title), style="Title")]
    if subtitle:
        fragments.append(para(run(subtitle), style="Subtitle"))
    fragments.extend(body)
    wrapper = parse_xml(f"<w:body {_NSDECL}>{''.join(fragments)}</w:body>")
    target = document.element.body
    anchor = target.sectPr
    for child in list(wrapper):
        if anchor is not None:
            anchor.addprevious(child)
        else:
            target.append(child)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = created
    props.modified = created
    props.revision = 1
    props.comments = FICTION_NOTICE
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), created)
