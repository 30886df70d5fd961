"""A referral form as a fillable PDF: printed labels, the answers in AcroForm fields (reportlab).

This is what a council's "fillable PDF" version of a form looks like once a referrer has typed
into it: the page content carries only the printed words (title, headings, labels, option
names); every answer lives in an AcroForm widget beside its label. Text answers are text fields
(multi-line for long answers), Yes/No and other choices are one checkbox per option with the
option printed after it, tick lists are checkboxes, and a children grid is a row of text fields
per child under printed column headings. Field names are what Acrobat's automatic field
detection gives: the nearby label (``Surname``, ``Surname_2``, ``Gender Male``...).

``invariant=1`` keeps reportlab's dates and document id fixed, so the same form always gives the
same bytes.
"""

from __future__ import annotations

import io
import re

# reportlab (a dev dependency: only the fixture builders draw fillable PDFs) ships no type hints.
from reportlab.lib.colors import Color, white  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.pdfdoc import PDFtrue  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from intake.synthetic.render import FICTION_NOTICE, pdf_text
from intake.synthetic.templates import Boxes, Field, Form, Group, Note, Opt, Records

_WIDTH, _HEIGHT = A4
_LEFT = 40.0
_RIGHT = _WIDTH - 40.0
_TOP = _HEIGHT - 50.0
_BOTTOM = 50.0
_LABEL_WIDTH = 190.0
_FIELD_X = _LEFT + _LABEL_WIDTH + 10
_NAVY = Color(31 / 255, 56 / 255, 100 / 255)
_PALE = Color(217 / 255, 226 / 255, 243 / 255)


class _Page:
    """A canvas with a cursor that moves down the page and starts a new one when full."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(pdf_text(form.title))
        self.canvas.setAuthor(pdf_text(form.author))
        self.canvas.setSubject(FICTION_NOTICE)
        self.canvas.setCreator("cspoc-intake synthetic fixtures")
        # Viewers redraw the fields from their values (so long answers wrap on screen).
        self.canvas.acroForm.extras["NeedAppearances"] = PDFtrue
        self.names: dict[str, int] = {}
        self.page = 1
        self.y = _TOP
        self._furniture()

    def _furniture(self) -> None:
        c = self.canvas
        c.setFont("Helvetica-Bold", 8)
        c.drawRightString(_RIGHT, _HEIGHT - 30, pdf_text(self.form.marking))
        c.setFont("Helvetica-Oblique", 7)
        c.drawCentredString(_WIDTH / 2, 25, f"{FICTION_NOTICE}  Page {self.page}")

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points fit above the bottom margin."""
        if self.y - height < _BOTTOM:
            self.canvas.showPage()
            self.page += 1
            self.y = _TOP
            self._furniture()

    def name(self, label: str) -> str:
        """A field name from ``label``, Acrobat style: ``Surname``, then ``Surname_2``..."""
        base = re.sub(r"[^A-Za-z0-9 /()-]+", "", label).strip()[:60] or "Text"
        count = self.names.get(base, 0) + 1
        self.names[base] = count
        return base if count == 1 else f"{base}_{count}"

    def text(
        self,
        text: str,
        x: float,
        *,
        size: float = 8.5,
        bold: bool = False,
        width: float = _RIGHT - _LEFT,
    ) -> float:
        """Print ``text`` wrapped to ``width`` at the cursor; the height used."""
        font = "Helvetica-Bold" if bold else "Helvetica"
        lines = simpleSplit(pdf_text(text), font, size, width) or [""]
        leading = size + 2.5
        self.canvas.setFont(font, size)
        for index, line in enumerate(lines):
            self.canvas.drawString(x, self.y - size - index * leading, line)
        return len(lines) * leading

    def textfield(
        self,
        label: str,
        value: str | None,
        x: float,
        width: float,
        height: float = 15.0,
        *,
        multiline: bool = False,
    ) -> None:
        """An AcroForm text field whose top edge is at the cursor."""
        self.canvas.acroForm.textfield(
            name=self.name(label),
            tooltip=pdf_text(label),
            value=pdf_text(value or ""),
            x=x,
            y=self.y - height,
            width=width,
            height=height,
            fontName="Helvetica",
            fontSize=8,
            borderWidth=0.5,
            borderColor=Color(0.4, 0.4, 0.4),
            fillColor=white,
            textColor=Color(0, 0, 0),
            fieldFlags="multiline" if multiline else "",
            maxlen=None,
        )

    def checkbox(self, label: str, checked: bool, x: float) -> None:
        """An AcroForm checkbox (10 pt) beside the cursor line."""
        self.canvas.acroForm.checkbox(
            name=self.name(label),
            tooltip=pdf_text(label),
            checked=checked,
            buttonStyle="cross",
            x=x,
            y=self.y - 11,
            size=10,
            borderWidth=0.5,
            borderColor=Color(0.4, 0.4, 0.4),
            fillColor=white,
            textColor=Color(0, 0, 0),
            fieldFlags="",
        )

    def bar(self, title: str) -> None:
        """A navy title bar across the page."""
        self.need(40)
        c = self.canvas
        c.setFillColor(_NAVY)
        c.rect(_LEFT, self.y - 14, _RIGHT - _LEFT, 14, stroke=0, fill=1)
        c.setFillColor(white)
        c.setFont("Helvetica-Bold", 9)
        c.drawString(_LEFT + 4, self.y - 10.5, pdf_text(title))
        c.setFillColor(Color(0, 0, 0))
        self.y -= 20

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _lines_needed(value: str | None, width: float) -> int:
    return max(1, len(simpleSplit(pdf_text(value or ""), "Helvetica", 8, width - 6)))


def _options(page: _Page, label: str, value: Opt, x: float) -> None:
    step = max(60.0, max(len(option) for option in value.options) * 5.0 + 22)
    for index, option in enumerate(value.options):
        left = x + index * step
        page.checkbox(f"{label} {option}", option in value.selected, left)
        page.canvas.setFont("Helvetica", 8.5)
        page.canvas.drawString(left + 14, page.y - 9.5, pdf_text(option))


def _field(page: _Page, field: Field) -> None:
    value = field.value
    if field.wide and not isinstance(value, Opt):
        width = _RIGHT - _LEFT
        height = 12.0 * min(_lines_needed(value, width), 14) + 8
        label_lines = simpleSplit(pdf_text(field.label), "Helvetica-Bold", 8.5, width)
        page.need(len(label_lines) * 11.0 + height + 8)
        page.y -= page.text(field.label, _LEFT, bold=True) + 2
        page.textfield(field.label, value, _LEFT, width, height, multiline=True)
        page.y -= height + 8
        return
    label_lines = simpleSplit(pdf_text(field.label), "Helvetica", 8.5, _LABEL_WIDTH)
    height = 15.0
    text = value if isinstance(value, str) else ""
    multiline = "\n" in text or _lines_needed(text, 320) > 1
    if multiline:
        height = 11.0 * _lines_needed(text, 320) + 6 + 11.0 * text.count("\n")
    page.need(max(len(label_lines) * 11.0, height) + 6)
    used = page.text(field.label, _LEFT, width=_LABEL_WIDTH)
    if isinstance(value, Opt):
        _options(page, field.label, value, _FIELD_X)
        height = 12.0
    else:
        page.textfield(field.label, value, _FIELD_X, _RIGHT - _FIELD_X, height, multiline=multiline)
    page.y -= max(used, height) + 6


def _records(page: _Page, part: Records) -> None:
    weights = [2.6 if "address" in h.lower() else 1.0 for h in part.header]
    scale = (_RIGHT - _LEFT) / sum(weights)
    widths = [w * scale for w in weights]
    lefts = [_LEFT + sum(widths[:i]) for i in range(len(widths))]
    page.need(40)
    c = page.canvas
    c.setFillColor(_PALE)
    c.rect(_LEFT, page.y - 14, _RIGHT - _LEFT, 14, stroke=0, fill=1)
    c.setFillColor(Color(0, 0, 0))
    c.setFont("Helvetica-Bold", 8)
    for left, heading in zip(lefts, part.header, strict=True):
        c.drawString(left + 2, page.y - 10, pdf_text(heading))
    page.y -= 18
    for number, values in enumerate(part.rows, start=1):
        page.need(22)
        for left, width, heading, value in zip(lefts, widths, part.header, values, strict=True):
            page.textfield(f"{heading}Row{number}", value, left + 1, width - 2, 16)
        page.y -= 20
    page.y -= 6


def _boxes(page: _Page, part: Boxes) -> None:
    if part.title:
        page.need(30)
        page.y -= page.text(part.title, _LEFT, bold=True) + 4
    cols = part.columns
    width = (_RIGHT - _LEFT) / cols
    for start in range(0, len(part.items), cols):
        page.need(16)
        for index, (label, ticked) in enumerate(part.items[start : start + cols]):
            x = _LEFT + index * width
            page.checkbox(label, ticked, x)
            page.canvas.setFont("Helvetica", 8.5)
            page.canvas.drawString(x + 14, page.y - 9.5, pdf_text(label))
        page.y -= 15
    page.y -= 6


def render_acroform(form: Form) -> bytes:
    """``form`` as a fillable PDF with its answers in AcroForm text fields and checkboxes."""
    page = _Page(form)
    page.y -= page.text(form.title, _LEFT, size=15, bold=True) + 4
    if form.subtitle:
        page.y -= page.text(form.subtitle, _LEFT, size=9) + 8
    for sect in form.sections:
        if sect.heading:
            page.need(40)
            page.y -= page.text(sect.heading, _LEFT, size=11, bold=True) + 6
        for part in sect.parts:
            if isinstance(part, Note):
                page.need(30)
                page.y -= page.text(part.text, _LEFT) + 6
            elif isinstance(part, Group):
                if part.title and part.title != sect.heading:
                    page.bar(part.title)
                for field in part.fields:
                    _field(page, field)
                page.y -= 4
            elif isinstance(part, Records):
                if part.title:
                    page.bar(part.title)
                _records(page, part)
            else:
                _boxes(page, part)
    return page.finish()
