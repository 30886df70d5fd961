"""Reading a referral form: a :class:`~parsers.layout.Layout` in, the contract's fields out.

Two passes. The *walk* goes through the blocks in reading order, keeps track of which section it
is in (child, referrer, parents, concerns…), and collects what the form says as raw pieces:

* label/value pairs, however they are laid out: side by side in a row (two or four columns),
  label above value (in the next row, or the next paragraph), "Label: value" in one line or
  cell, label and value on separate lines of one cell;
* records from grids (a header row of labels and one row per person);
* ticked and unticked options of tick lists.

The *assembly* then gives each piece its meaning (:mod:`parsers.labels`), types its value
(:mod:`parsers.values`), builds the children, the concerns and the confidences. Nothing here
knows any particular template: it reads labels by meaning and layouts by shape.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from parsers import concerns as narrative_concerns
from parsers import values
from parsers.fields import (
    CONCERN_CODES,
    FIELD_NAMES,
    FIELD_TYPES,
    ChildRecord,
    FieldValue,
    ParsedAttachment,
)
from parsers.labels import (
    Label,
    concern_of_option,
    field_for,
    meaning,
    section_of,
    strip_numbering,
    tokens,
)
from parsers.layout import Block, Cell, Layout, Paragraph, Table

#: Sections whose labels are about one person (the rest leave a slot to its default person).
_PERSON_SECTIONS = {"child": "child", "referrer": "referrer", "carer": "carer", "other": "other"}
#: Fields a referral form should always give; a missing one is worth a warning.
_CORE = (
    "referrer_name",
    "referrer_phone",
    "referrer_email",
    "child_forenames",
    "child_surname",
    "child_dob",
    "concern_narrative",
)
_CHILD_SLOTS = ("forenames", "surname", "name", "dob", "gender", "address", "postcode")
_VALUE_SHAPE = re.compile(
    r"^\s*(?:\d[\d\s/.:-]{4,}|[\w.+'-]+@[\w.-]+|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$", re.I
)
_CHILD_NUMBER = re.compile(
    r"\b(?:child|young person|sibling)\s*(?:no\.?\s*)?(\d)\b|\b(second|third|fourth)\b", re.I
)


@dataclass
class _Piece:
    """One label/value pair as found, with where it was found."""

    label: str
    value: str
    section: str | None
    child_block: int


@dataclass
class _Tick:
    option: str
    on: bool
    section: str | None
    context: str = ""


@dataclass
class _Record:
    """One row of a grid: header label → cell text."""

    cells: list[tuple[str, str]]
    section: str | None


@dataclass
class _Walk:
    section: str | None = None
    child_block: int = 0
    pieces: list[_Piece] = field(default_factory=list)
    ticks: list[_Tick] = field(default_factory=list)
    records: list[_Record] = field(default_factory=list)
    #: A label waiting for its value in the next paragraph(s) or single-cell row.
    pending: str | None = None
    pending_lines: list[str] = field(default_factory=list)
    #: The pending label came from a heading (its value is weaker than a real label's).
    pending_from_heading: bool = False
    #: The line being read is a cell of a table (not a paragraph).
    in_table: bool = False
    #: The pending heading-label came from a table cell: the next single cell may answer it.
    pending_in_table: bool = False
    #: Headings seen (for the attachments section's free-text claims).
    attachment_text: list[str] = field(default_factory=list)
    #: A long answer that ended a table: prose straight after the table may continue it (a
    #: printed cell that ran over the page).
    tail: _Piece | None = None

    # --- blocks -------------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[Block]) -> None:
        for block in _coalesce(blocks):
            if isinstance(block, Paragraph):
                for line in _paragraph_lines(block.text):
                    self.line(
                        line, heading=block.heading > 0 or block.bold, strong=block.heading > 0
                    )
            elif self._boxed_answer(block):
                continue
            else:
                self.flush()
                self.table(block)
        self.flush()

    def _boxed_answer(self, table: Table) -> bool:
        """A one-cell table under a label paragraph is that label's answer box."""
        if self.pending is None or self.pending_lines:
            return False
        cells = [c for row in table.rows for c in row if not c.continued]
        if len(table.rows) != 1 or len(cells) != 1 or cells[0].tables:
            return False
        self.pending_lines.append(cells[0].text)
        self.flush()
        return True

    def set_section(self, kind: str, heading: str) -> None:
        self.flush()
        self.tail = None
        if kind == "child":
            number = _CHILD_NUMBER.search(heading)
            another = number or self.section == "child" or self._child_started()
            if another and (number is None or number.group(1) != "1"):
                self.child_block += 1
        self.section = kind

    def _child_started(self) -> bool:
        return any(
            p.child_block == self.child_block and p.section == "child" for p in self.pieces[-20:]
        )

    # --- lines (paragraphs, and lines of single-cell rows) ------------------------------------

    def line(self, text: str, *, heading: bool, strong: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        if self.section == "attachments":
            self.attachment_text.append(text)
        if strong and not re.search(r"[:?]", text):
            # A styled heading or title ("Request for support - Southend MASH") is not a pair.
            kind = section_of(text)
            if kind is not None:
                self.set_section(kind, text)
            if meaning(text).field == "concern_narrative":
                # "Reason for referral" as a heading: the paragraphs under it are the reason.
                self.flush()
                self.pending, self.pending_from_heading = text, True
                self.pending_in_table = self.in_table
            return
        if heading and not _has_answer(text):
            kind = section_of(text)
            if kind is not None:
                self.set_section(kind, text)
                if meaning(text).known:
                    # A bold label may also open a section ("Reason for referral", "Child's
                    # name"): it takes the paragraphs below, but not a table.
                    self.pending, self.pending_from_heading = text, True
                    self.pending_in_table = self.in_table
                return
        if heading and self.pending_from_heading:
            self.flush()  # a bold line under a heading is another label, not the answer
        if self._continues_tail(text, heading=heading):
            return
        if self._continues_answer(text) or self._opens_answer(text):
            self.pending_lines.append(text)
            return
        if heading and _QUESTION_PAIR.match(text) and ":" not in text:
            # A bold question with its guidance ("What happened? Say when and where.") is one
            # label; its answer follows.
            self.flush()
            self.pending, self.pending_from_heading = text, False
            return
        if self._inline_pairs(text, heading=heading):
            return
        if values.has_boxes(text):
            before, boxes = _split_at_boxes(text)
            if before and _label_like_text(before):
                self.flush()
                self.piece(before, boxes)
                return
            if self.pending is not None and not self.pending_lines:
                self.pending_lines.append(text)
                self.flush()
                return
            self.tick_list(text)
            return
        if _label_like_text(text):
            self.flush()
            self.pending, self.pending_from_heading = text, False
            return
        if self.pending is not None:
            self.pending_lines.append(text)
            if not _long_field(self.pending):
                self.flush()

    def _continues_tail(self, text: str, *, heading: bool) -> bool:
        tail = self.tail
        if tail is None or self.pending is not None or heading or self.in_table:
            return False
        if _split_pairs(text) or _label_like_text(text) or values.has_boxes(text):
            self.tail = None
            return False
        tail.value = f"{tail.value}\n{text}"
        return True

    def _opens_answer(self, text: str) -> bool:
        """The first line under a long question is its answer when it reads as prose."""
        if self.pending is None or self.pending_lines or not _long_field(self.pending):
            return False
        if _GUIDANCE.search(text):
            return True  # guidance printed under the question: skipped, the answer follows

        if not meaning(self.pending).known or _strong_text_label(text) or values.has_boxes(text):
            return False
        if _split_pairs(text):
            return False
        return len(text.split()) > 10 and not _label_like_text(text)

    def _continues_answer(self, text: str) -> bool:
        """A line inside a long answer: only a clear new label or question ends the answer."""
        if self.pending is None or not self.pending_lines or not _long_field(self.pending):
            return False
        if len(self.pending_lines) == 1 and _GUIDANCE.search(self.pending_lines[0]):
            self.pending_lines.clear()  # the line before was guidance, not the answer
        if _BOILERPLATE.search(text):
            self.flush()  # a page footer or marking ends the answer on this page
            return True
        if _strong_text_label(text) or values.has_boxes(text):
            return False
        if meaning(self.pending).slot in ("address", "address_part"):
            # An address ends at its postcode, or at the next "Label: value".
            ended = any(values.postcode(line) for line in self.pending_lines)
            return not (ended or _split_pairs(text) or _label_like_text(text))
        pairs = _split_pairs(text)
        if not pairs:
            return True
        label = pairs[0][0]
        if meaning(label).known or label.endswith("?"):
            return False
        # "Officer's assessment: HIGH" after a finished sentence is the next field.
        finished = self.pending_lines[-1].rstrip().endswith((".", "!", "?"))
        return not (finished and label[:1].isupper() and len(label.split()) <= 5)

    def _inline_pairs(self, text: str, *, heading: bool = False) -> bool:
        # A bold line is never split at a dash or a wide gap: it is a heading or a label.
        pairs = _split_pairs(text, loose=not heading)
        if not pairs:
            return False
        self.flush()
        for index, (label, value) in enumerate(pairs):
            last = index == len(pairs) - 1
            if value and last and _long_field(label) and meaning(label).known:
                # "Reason for referral: It started…" may go on in the lines below.
                self.pending, self.pending_lines, self.pending_from_heading = label, [value], False
            elif value:
                self.piece(label, value)
            else:
                self.pending, self.pending_from_heading = label, False
        return True

    def flush(self) -> None:
        if self.pending is not None and self.pending_lines:
            self.piece(self.pending, "\n".join(self.pending_lines))
        elif self.pending is not None and not self.pending_from_heading:
            self.piece(self.pending, "")
        self.pending, self.pending_lines, self.pending_from_heading = None, [], False
        self.pending_in_table = False

    def piece(self, label: str, value: str) -> None:
        listing = bool(_ATTACHMENT_HINT.search(label)) and section_of(label) == "attachments"
        if value and (self.section == "attachments" or listing):
            self.attachment_text.append(value)
        if values.has_boxes(value) and (len(values.options(value)) > 2 or listing):
            meaning_ = meaning(label)
            if not meaning_.known:
                self.tick_list(value, context=label)
                return
        if _BOX_ONLY.match(value) and not meaning(label).known:
            # "Neglect | ☒": the label is the option.
            self.ticks.append(_Tick(_label_text(label), "☒" in value, self.section))
            return
        self.pieces.append(_Piece(label, value, self.section, self.child_block))
        self.tail = self.pieces[-1] if self.in_table and _long_field(label) else None

    def tick_list(self, text: str, context: str = "") -> None:
        for option, on in values.options(text):
            self.ticks.append(_Tick(option, on, self.section, context))

    # --- tables -------------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        outer, self.in_table = self.in_table, True
        try:
            self._table(table)
        finally:
            self.in_table = outer

    def _table(self, table: Table) -> None:
        table = _without_blanket_emphasis(table)
        if self._option_columns(table) or self._child_columns(table):
            return
        side = _side_headings(table)
        rows: list[list[Cell]] = []
        for row in table.rows:
            if side and row and row[0].text and not row[0].continued:
                rows.append([Cell(row[0].text, emphasised=True, span=-1)])  # a section marker
            rows.append([c for c in (row[1:] if side else row) if not c.continued])
        index = 0
        column_labels: dict[int, str] = {}
        while index < len(rows):
            cells = rows[index]
            texts = [c for c in cells if c.text]
            if not texts and not any(c.tables for c in cells):
                index += 1
                continue
            if len(cells) == 1 and cells[0].span == -1:
                self.flush()
                self.set_section(section_of(cells[0].text) or self.section or "", cells[0].text)
            elif len(texts) <= 1:
                self.unanswered(column_labels)
                if (
                    texts
                    and len(cells) >= 2
                    and texts[0] is cells[0]
                    and _label_like(cells[0], cells)
                ):
                    # A label whose answer cell is empty.
                    self.flush()
                    self.piece(_label_text(cells[0].text.replace("\n", " ")), "")
                elif texts:
                    self.single_cell(texts[0])
            else:
                self.flush()
                header = self._grid_header(rows, index)
                if header:
                    index = self.grid(rows, index, header)
                    continue
                pending_columns = dict(column_labels)
                self.row(cells, column_labels)
                for j, label in pending_columns.items():
                    if column_labels.get(j) == label:  # the row below did not answer it
                        self.piece(column_labels.pop(j), "")
            for cell in cells:
                for nested in cell.tables:
                    self.flush()
                    self.table(nested)
            index += 1
        self.unanswered(column_labels)
        self.flush()

    def _option_columns(self, table: Table) -> bool:
        """Questions down the side, answers (Yes | No | Don't know) across the top, a mark in
        the chosen column: each row becomes "question → chosen answer"."""
        rows = [[c for c in row if not c.continued] for row in table.rows]
        if len(rows) < 2 or len(rows[0]) < 3:
            return False
        header = [c.text for c in rows[0]]
        answers = header[1:]
        if header[0] and meaning(header[0]).known:
            return False
        if not all(values.yes_no(a) is not None or _MARK_HEADER.match(a) for a in answers if a):
            return False
        if sum(1 for a in answers if a) < 2:
            return False
        self.flush()
        for row in rows[1:]:
            if not row or not row[0].text:
                continue
            marks = row[1 : len(header)]
            chosen = [answers[k] for k, c in enumerate(marks) if _marked(c.text)]
            if len(marks) != len(answers) or any(c.text and not _is_mark(c.text) for c in marks):
                self.row(row, {})  # not a row of marks after all
                continue
            self.piece(_label_text(row[0].text), " / ".join(chosen))
        return True

    def _child_columns(self, table: Table) -> bool:
        """Labels down the side and one column per child ("| Child 1 | Child 2 |")."""
        rows = [[c for c in row if not c.continued] for row in table.rows]
        if len(rows) < 2 or len(rows[0]) < 3:
            return False
        heads = [c.text for c in rows[0][1:]]
        if not heads or not all(_CHILD_COLUMN.match(h) for h in heads):
            return False
        self.flush()
        base = self.child_block + 1
        for row in rows[1:]:
            if len(row) != len(rows[0]) or not row[0].text:
                continue
            for k, cell in enumerate(row[1:]):
                self.pieces.append(_Piece(_label_text(row[0].text), cell.text, "child", base + k))
        self.child_block = base + len(heads)
        return True

    def unanswered(self, column_labels: dict[int, str]) -> None:
        """Labels that stood over a column nobody filled in: present, with no answer."""
        for label in column_labels.values():
            self.piece(label, "")
        column_labels.clear()

    def single_cell(self, cell: Cell) -> None:
        if self.pending_from_heading and not self.pending_in_table:
            self.flush()  # a heading's own answer is in paragraphs, not in a table
        lines = _unwrap(cell.text.split("\n"))
        first = lines[0]
        if len(lines) == 1 or (cell.emphasised and len(first) < 80):
            self.line(first, heading=cell.emphasised)
            for extra in lines[1:]:
                self.line(extra, heading=False)
            return
        if _label_like_text(first) and not _split_pairs(first) and not values.has_boxes(first):
            self.flush()
            self.piece(first, "\n".join(lines[1:]))
            return
        if self.pending is not None and not _split_pairs(first):
            self.pending_lines.extend(lines)
            self.flush()
            return
        for line in lines:
            self.line(line, heading=False)

    def _grid_header(self, rows: list[list[Cell]], index: int) -> list[str] | None:
        """The header labels when row ``index`` heads a grid of records, else ``None``."""
        header = [c for c in rows[index] if c.text]
        if len(header) < 2 or index + 1 >= len(rows):
            return None
        if any(
            values.has_boxes(c.text) or _split_pairs(c.text) or _ANSWER_WORD.match(c.text)
            for c in header
        ):
            return None  # a header names columns; it does not answer anything
        following = [c for c in rows[index + 1] if c.text]
        if not following or len(rows[index + 1]) != len(rows[index]):
            return None
        if all(c.emphasised for c in header) and not any(c.emphasised for c in following):
            return [c.text.replace("\n", " ") for c in rows[index]]
        if any(c.emphasised for c in following):
            return None
        known = sum(meaning(c.text.replace("\n", " ")).known or _strong_label(c) for c in header)
        if known < max(2, -(-3 * len(header) // 5)) or not all(
            _header_like(c.text) for c in header
        ):
            return None
        if sum(_label_like(c, following) for c in following) * 3 > len(following):
            return None
        # A label|value|label|value row has labels every other cell: not a header.
        if _row_alternates(rows[index]):
            return None
        return [c.text.replace("\n", " ") for c in rows[index]]

    def grid(self, rows: list[list[Cell]], index: int, header: list[str]) -> int:
        width = len(header)
        data: list[list[str]] = []
        cursor = index + 1
        while cursor < len(rows) and len(rows[cursor]) == width:
            texts = [c.text for c in rows[cursor]]
            if not any(texts):
                cursor += 1
                continue
            if all(_label_like(c, rows[cursor]) for c in rows[cursor] if c.text):
                break
            data.append(texts)
            cursor += 1
        person = _is_person_grid(header, self.section)
        if len(data) == 1 and not person:
            for label, value in zip(header, data[0], strict=False):
                if label:
                    self.piece(label, value)
        elif not person and not any(meaning(h).known for h in header):
            # Column headings that name no field ("Concern type | Mark X"): read the rows.
            for cells in rows[index + 1 : cursor]:
                self.row(cells, {})
        else:
            for texts in data:
                self.records.append(
                    _Record(
                        [(h, v) for h, v in zip(header, texts, strict=False) if h], self.section
                    )
                )
        return cursor

    def row(self, cells: list[Cell], column_labels: dict[int, str]) -> None:
        count = len(cells)
        filled = [c for c in cells if c.text]
        if len(filled) >= 2 and all(c.emphasised for c in filled) and not column_labels:
            # A row of labels only: their answers are in the row below.
            for j, cell in enumerate(cells):
                if cell.text:
                    column_labels[j] = _label_text(cell.text.replace("\n", " "))
            return
        emphasis = any(c.emphasised for c in filled) and not all(c.emphasised for c in filled)
        j = 0
        while j < count:
            cell = cells[j]
            if not cell.text:
                j += 1
                continue
            is_label = cell.emphasised if emphasis else _label_like(cell, cells)
            if not is_label and j + 1 < count and _answer_only(cells[j + 1].text):
                # "Neglect | ☒" or "Parents aware | Yes": short text before a bare answer.
                is_label = _short_label(cell.text) and not values.has_boxes(cell.text)
            if j in column_labels and not is_label:
                self.piece(column_labels.pop(j), cell.text)
                j += 1
                continue
            inline = _split_pairs(cell.text) if ":" in cell.text.split("\n", 1)[0] else []
            if inline and all(value for _, value in inline) and not cell.emphasised:
                for label, value in inline:  # "Name: Scott Williams" in a cell of its own
                    self.piece(label, value)
                j += 1
                continue
            stacked = None if emphasis else _stacked(cell)
            if stacked is not None:
                # "Label\nanswer" in one cell, several such cells to a row.
                self.piece(*stacked)
                j += 1
                continue
            if is_label and j + 1 < count:
                nxt = cells[j + 1]
                nxt_label = nxt.emphasised if emphasis else _strong_label(nxt)
                if not emphasis and _stacked(nxt) is not None:
                    self.piece(_label_text(cell.text.replace("\n", " ")), "")
                    j += 1
                    continue
                if not nxt_label:
                    answer, used = nxt.text, 2
                    # "Yes ☐ | No ☒" in separate cells: one answer.
                    while (
                        values.has_boxes(answer)
                        and j + used < count
                        and values.has_boxes(cells[j + used].text)
                        and not _label_like(cells[j + used], cells)
                    ):
                        answer = f"{answer} {cells[j + used].text}"
                        used += 1
                    self.piece(_label_text(cell.text.replace("\n", " ")), answer)
                    j += used
                    continue
            if _split_pairs(cell.text) or "\n" in cell.text:
                for line in cell.text.split("\n"):
                    self.line(line, heading=False)
                self.flush()
                j += 1
                continue
            if values.has_boxes(cell.text):
                self.line(cell.text, heading=False)
                self.flush()
            elif is_label:
                column_labels[j] = _label_text(cell.text)
            j += 1


#: Page furniture: "Page 2 of 5", a protective marking on its own line.
_BOILERPLATE = re.compile(
    r"\bpage \d+(?: of \d+)?\s*$|^\s*(?:official(?:\s*[-–]?\s*sensitive)?|restricted|"
    r"confidential|protect)(?:\s*[:-]\s*\w+)?(?: when complete(?:d)?)?\s*$",
    re.IGNORECASE,
)


def _shouted(text: str) -> bool:
    """A short line in capitals with no answer in it: a plain-text heading."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 4
        and all(c.isupper() for c in letters)
        and len(text.split()) <= 8
        and not re.search(r"[:?☒☐@]|\d{3}", text)
        and values.postcode(text) is None
    )


def _paragraph_lines(text: str) -> list[str]:
    """The lines of a paragraph; "Label: value" followed by lines that only continue the value
    (an address typed with line breaks) stays one line, its breaks kept as newlines."""
    lines = text.split("\n")
    if len(lines) == 1:
        return lines
    out: list[str] = []
    for line in lines:
        if out and _continues_value(out[-1], line):
            out[-1] = f"{out[-1]}\n{line}"
        else:
            out.append(line)
    return out


def _continues_value(previous: str, line: str) -> bool:
    first = previous.split("\n", 1)[0]
    pairs = _split_pairs(first)
    if len(pairs) != 1 or not pairs[0][1] or not meaning(pairs[0][0]).known:
        return False
    return not (_split_pairs(line) or _label_like_text(line) or values.has_boxes(line))


_PIPES = re.compile(r"\s*\|\s*")
_RULE_LINE = re.compile(r"^\s*[-=_*~]{3,}\s*$")


def _coalesce(blocks: Iterable[Block]) -> list[Block]:
    """Tidy the blocks before reading: tables that follow each other with the same number of
    columns are one table (a PDF or a form built row by row draws them apart); a line underlined
    with dashes, or a short line in capitals, is a heading (forms typed as plain text)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.heading < 2 and _BOILERPLATE.search(block.text):
            continue  # page furniture between two halves of a table
        if (
            isinstance(block, Table)
            and len(block.rows) == 1
            and any(_BOILERPLATE.search(c.text) for c in block.rows[0] if c.text)
        ):
            continue  # a running page header drawn as a table
        if isinstance(block, Paragraph) and _RULE_LINE.match(block.text):
            previous = out[-1] if out else None
            if isinstance(previous, Paragraph) and previous.heading == 0:
                out[-1] = Paragraph(previous.text, heading=2, bold=previous.bold)
            elif isinstance(previous, Table) and len(previous.rows) == 1:  # a header underlined
                out[-1] = Table((tuple(Cell(c.text, emphasised=True) for c in previous.rows[0]),))
            continue
        if isinstance(block, Paragraph) and " | " in block.text and "\n" not in block.text:
            block = Table((tuple(Cell(part.strip()) for part in _PIPES.split(block.text)),))
        if isinstance(block, Paragraph) and block.heading == 0 and _shouted(block.text):
            block = Paragraph(block.text, heading=2, bold=block.bold)
        previous = out[-1] if out else None
        if (
            isinstance(block, Table)
            and isinstance(previous, Table)
            and block.rows
            and previous.rows
            and len(block.rows[0]) == len(previous.rows[-1])
            and len(block.rows[0]) > 1
        ):
            out[-1] = Table(previous.rows + block.rows)
        else:
            out.append(block)
    return out


_CHILD_COLUMN = re.compile(
    r"^\s*(?:child|young person|yp|sibling|baby)\s*(?:no\.?\s*)?\d\s*$"
    r"|^\s*(?:first|second|third|fourth)\s+(?:child|young person)\s*$",
    re.I,
)
_NOT_APPLICABLE = re.compile(
    r"^\s*(?:n/?a|not applicable|none|none known|nil|-+|—)\s*\.?\s*$", re.I
)
_ANSWER_WORD = re.compile(
    r"^\s*(?:yes|no|y|n|unknown|not known|don'?t know|n/?a|none|true|false)\s*[.!]?\s*$", re.I
)
_MARK_HEADER = re.compile(r"^(?:yes|no|y|n|n/?a|unknown|not known|don'?t know|unsure)$", re.I)
_MARKS = {"x", "☒", "✓", "✔", "yes", "y", "*", "•"}


def _is_mark(text: str) -> bool:
    """A cell that is only a mark (or an empty box)."""
    return text.strip().lower() in _MARKS or text.strip() == "☐"


def _marked(text: str) -> bool:
    return text.strip().lower() in _MARKS


_BOX_ONLY = re.compile(r"^\s*[☒☐]\s*$")


def _answer_only(text: str) -> bool:
    """A cell that is only an answer: a bare box, or a box with a yes/no/unknown word."""
    text = text.strip()
    if not text:
        return False
    if _BOX_ONLY.match(text):
        return True
    if values.has_boxes(text):
        return all(values.yes_no(label) is not None for label, _ in values.options(text))
    return values.yes_no(text) is not None and len(text) <= 12


_FUNCTION_WORDS = {
    "a", "an", "and", "are", "as", "at", "been", "by", "for", "from", "has", "have", "if", "in",
    "is", "of", "on", "or", "please", "the", "their", "this", "to", "was", "were", "with", "you",
    "your", "who", "what", "why", "when", "how", "does", "do", "did", "not",
}  # fmt: skip


def _stacked(cell: Cell) -> tuple[str, str] | None:
    """(label, answer) when a cell holds a label line with its answer on the lines below."""
    if "\n" not in cell.text:
        return None
    lines = _unwrap(cell.text.split("\n"))
    if len(lines) < 2 or values.has_boxes(lines[0]) or _split_pairs(lines[0]):
        return None
    if not _label_like_text(lines[0]) or _strong_text_label(lines[1]):
        return None
    return _label_text(lines[0]), "\n".join(lines[1:])


def _unwrap(lines: list[str]) -> list[str]:
    """Join a label that wrapped onto the next line of its cell (next line in lower case, or the
    label's question mark or colon only on a later line)."""
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1]
        wrapped = (
            line[:1].islower()
            and not previous.endswith((".", "?", ":", "!"))
            and not _VALUE_SHAPE.match(line)
            and (
                previous.rsplit(" ", 1)[-1].lower() in _FUNCTION_WORDS
                or not _label_like_text(previous)
            )
        )
        if wrapped and len(previous) < 120:
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


def _row_alternates(row: list[Cell]) -> bool:
    """Labels in every other cell and answers between them (a label|value|label|value row)."""
    if len(row) < 4 or len(row) % 2:
        return False
    return all(_label_like(c, row) for c in row[0::2]) and not any(
        _label_like(c, row) for c in row[1::2]
    )


def _header_like(text: str) -> bool:
    """Short enough, and without the digits and @ of an answer, to be a column heading."""
    return text.count("\n") <= 2 and len(text) <= 80 and not re.search(r"\d{2}|@", text)


def _is_person_grid(header: list[str], section: str | None) -> bool:
    """A grid listing people (children, carers, siblings) rather than a one-row label strip."""
    slots = {meaning(h).slot for h in header}
    names = bool(slots & {"name", "forenames", "surname"})
    if section in {"child", "carer", "other"}:
        return names or "dob" in slots
    return names and "dob" in slots


def _label_text(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _has_answer(text: str) -> bool:
    return bool(_split_pairs(text)) or values.has_boxes(text)


def _strong_label(cell: Cell) -> bool:
    return _strong_text_label(cell.text)


def _strong_text_label(text: str) -> bool:
    """Ends like a question or a label ("…?", "…:"), and is not long enough to be an answer."""
    text = text.strip()
    return bool(text) and text.endswith(("?", ":")) and len(text) < 200


@lru_cache(maxsize=4096)
def _label_like_text(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > 220 or values.has_boxes(text):
        return False
    if text.endswith(("?", ":")):
        return True
    words = text.split()
    if (
        _VALUE_SHAPE.match(text)
        or len(words) > 14
        or (text.endswith((".", "!")) and len(words) > 3)
    ):
        return False  # a sentence is an answer, whatever words it uses
    return meaning(text).known or tokens(text) in _BARE_LABELS


def _without_blanket_emphasis(table: Table) -> Table:
    """A table shaded or bold all over says nothing by its emphasis: read it as plain."""
    filled = [c for row in table.rows for c in row if c.text]
    if len(filled) < 4 or not all(c.emphasised for c in filled):
        return table
    return Table(
        tuple(tuple(dataclasses.replace(c, emphasised=False) for c in row) for row in table.rows)
    )


def _side_headings(table: Table) -> bool:
    """The first column holds section titles merged down the rows beside their fields."""
    rows = [row for row in table.rows if row]
    if len(rows) < 2 or not rows[0][0].text or len(rows[0]) < 3:
        return False
    continued = sum(1 for row in rows[1:] if row[0].continued)
    return continued * 2 >= len(rows) - 1 and rows[0][0].emphasised


def _label_like(cell: Cell, row: list[Cell]) -> bool:
    text = cell.text.strip()
    if not text or values.has_boxes(text):
        return False
    if cell.emphasised and len(row) > 1 and any(not c.emphasised for c in row):
        return True
    lines = text.split("\n")
    # A label may wrap onto a few lines of its cell; an answer of many lines is not a label.
    return len(lines) <= 4 and _label_like_text(" ".join(lines))


_PAIR = re.compile(r"^(?P<label>[^:\t]{1,90}?)\s*(?P<sep>:|\t)\s*(?P<value>.*)$")
_LOOSE_PAIR = re.compile(r"^(?P<label>[^:\t]{1,90}?)(?P<sep>\s-\s|\s{3,})\s*(?P<value>.*)$")
_QUESTION_PAIR = re.compile(r"^(?P<label>[^?:\t]{3,200}\?)\s*(?P<value>\S.*)$")


def _split_pairs(text: str, *, loose: bool = True) -> list[tuple[str, str]]:
    """The pairs of :func:`_pairs_in` (cached: the walk asks about a line more than once)."""
    return list(_pairs_in(text, loose))


@lru_cache(maxsize=4096)
def _pairs_in(text: str, loose: bool) -> tuple[tuple[str, str], ...]:
    return tuple(_find_pairs(text, loose=loose))


def _find_pairs(text: str, *, loose: bool = True) -> list[tuple[str, str]]:
    """``Label: value``, ``Question? answer`` and ``Label<tab>value``; several in one line
    when the later labels are known ones."""
    text = text.strip()
    if "\n" in text:  # a value that runs over several lines belongs to the last pair
        first, rest = text.split("\n", 1)
        found = _find_pairs(first, loose=loose)
        if found:
            label, value = found[-1]
            found[-1] = (label, f"{value}\n{rest}" if value else rest)
        return found
    question = _QUESTION_PAIR.match(text)
    if question and re.fullmatch(r"\s*\([^)]*\)\s*", question["value"]):
        question = None  # "Subject of referral? (Y/N)": the bracket is part of the label
    if question and re.match(r"^[^\d:]*[A-Za-z][^\d:]*:", question["value"]):
        question = None  # "Phoned? If so who and when: …" is labelled up to the colon
    if question and _label_like_text(question["label"]) and not values.has_boxes(question["label"]):
        return [(question["label"], question["value"].strip())]
    match = _PAIR.match(text) or (_LOOSE_PAIR.match(text) if loose else None)
    if not match:
        return []
    label, rest = match["label"].strip(), match["value"].strip()
    if label[-1:].isdigit() and text[match.end("sep") : match.end("sep") + 1].isdigit():
        return []  # "…at 23:40": a time, not a label
    if label.split(" ", 1)[0].lower() in _SENTENCE_STARTS:
        return []  # "There is neglect: …" is a sentence, not a label
    loose = match["sep"].strip(" ") in ("-", "")
    if loose and (not meaning(label).known or len(label.split()) > 4):
        return []  # "Title - subtitle", or words far apart: only for short labels we know
    if re.fullmatch(r"\d{1,2}", label) or label.lower() in {"http", "https", "mailto"}:
        return []
    if not strip_numbering(label + " x").strip(" x"):  # "Section A: About you" is a heading
        return []
    if not (meaning(label).known or _short_label(label)):
        return []
    pairs: list[tuple[str, str]] = []
    # Another "Known label:" later in the value starts a new pair.
    for later in re.finditer(r"(?:^|\s)((?:[\w'’()/&.-]+\s){0,5}[\w'’()/&.-]+)\s*:\s", rest):
        candidate = later.group(1)
        for start in range(len(candidate.split())):
            words = candidate.split()[start:]
            phrase = " ".join(words)
            if meaning(phrase).known or tokens(phrase) in _BARE_LABELS:
                cut = later.start(1) + candidate.find(phrase)
                first_value = rest[:cut].strip()
                pairs.append((label, first_value))
                return pairs + _find_pairs(rest[cut:], loose=loose)
    pairs.append((label, rest))
    return pairs


def _short_label(label: str) -> bool:
    words = label.split()
    return 1 <= len(words) <= 8 and not _VALUE_SHAPE.match(label) and label[:1].isalpha()


def _split_at_boxes(text: str) -> tuple[str, str]:
    """``"Urgent? ☒ Yes ☐ No"`` → (``"Urgent?"``, ``"☒ Yes ☐ No"``); label after glyph stays."""
    match = re.search("[☒☐]", text)
    if not match or match.start() == 0:
        return "", text
    before = text[: match.start()].strip()
    # "Yes ☒ No ☐": the text before the first box is an option, not a label.
    if values.yes_no(before) is not None and len(before) <= 8:
        return "", text
    return before.rstrip(":-").strip(), text[match.start() :]


def _long_field(label: str) -> bool:
    found = meaning(label)
    if found.slot in ("address", "address_part"):
        return True  # an address runs over several lines
    if found.field is not None:
        return (
            FIELD_TYPES.get(found.field) == "long_text" or found.field == "consent_refused_reason"
        )
    return not found.known


# --- assembly --------------------------------------------------------------------------------


#: One-word labels that mean nothing alone but are labels all the same.
_BARE_LABELS = {("date",), ("time",), ("dated",), ("signed",), ("signature",), ("date", "signed")}
_FOLLOW_UP = re.compile(
    r"^\W*(?:if\s+(?:no|not|n)\b|why\s+not|reasons?\b|please\s+(?:explain|give|state)|explain|details)",
    re.I,
)


@dataclass
class _Found:
    """The best candidate for one field so far."""

    raw: str
    confidence: float
    label: str


_EMPTY = _Found("", 0.0, "")


@dataclass
class _Person:
    slots: dict[str, _Found] = field(default_factory=dict)


class _Assembly:
    def __init__(self, walk: _Walk) -> None:
        self.walk = walk
        self.found: dict[str, _Found] = {}
        self.children: list[_Person] = []
        self._child_blocks: dict[int, int] = {}
        self.referrer = _Person()
        self.extra_time: _Found | None = None
        self.loose_date: _Found | None = None
        self.concern_rows: set[str] = set()
        self.warnings: list[str] = []
        self.last_field: str | None = None
        self._better = False
        self.household: dict[str, _Found] = {}

    def run(self) -> None:
        for piece in self.walk.pieces:
            self.place(piece)
        for record in self.walk.records:
            self.record(record)
        self._share_family_address()

    def _share_family_address(self) -> None:
        """An address given once for the family ("Family address") is every child's address;
        failing that, the parents' household address is, with less confidence."""
        if self.household and not any(
            _answered(p.slots.get("address", _EMPTY).raw) for p in self.children
        ):
            for person in self.children:
                for slot, found in self.household.items():
                    if not _answered(person.slots.get(slot, _EMPTY).raw):
                        person.slots[slot] = _Found(found.raw, found.confidence * 0.7, found.label)
        named = [
            p
            for p in self.children
            if any(
                _answered(found.raw)
                for slot, found in p.slots.items()
                if slot in ("forenames", "surname", "name", "dob")
            )
        ]
        shared = [p for p in self.children if p not in named and p.slots]
        if not named or not shared:
            return
        for source in shared:
            for person in named:
                for slot in ("address", "postcode"):
                    if slot in source.slots and not _answered(person.slots.get(slot, _EMPTY).raw):
                        person.slots[slot] = source.slots[slot]
        self.children = named

    def place(self, piece: _Piece) -> None:
        label = meaning(piece.label)
        follow_up = self.last_field
        self.last_field = label.field
        if label.field is not None:
            self.question(label, piece)
            return
        if follow_up == "consent" and not label.known and _FOLLOW_UP.match(piece.label):
            # "If no, please explain why" under the consent question.
            self._offer(
                self.found, "consent_refused_reason", _Found(piece.value, 0.85, piece.label)
            )
            return
        if label.slot is not None:
            self.slot(label, piece)
            return
        words = tokens(strip_numbering(piece.label))
        loose = piece.section not in {"carer", "other"}
        if words in {("date",), ("dated",), ("date", "signed")} and loose:
            if self.loose_date is None and piece.value.strip():
                self.loose_date = _Found(piece.value, 0.6, piece.label)
            return
        if words == ("time",) and (loose or follow_up == "referral_datetime"):
            if self.extra_time is None and piece.value.strip():
                self.extra_time = _Found(piece.value, 0.8, piece.label)
            return
        if _CATEGORY_LABEL.search(piece.label) and not values.has_boxes(piece.value):
            # "Category of concern: Neglect, emotional abuse" written out.
            for part in re.split(r"[,;/\n]|\band\b", piece.value):
                found = concern_of_option(part)
                if found is not None:
                    self.concern_rows.add(found)
            return
        code = concern_of_option(piece.label)
        if code is not None and len(words) <= 6:
            answer = values.boolean(piece.value)
            if answer is not None and answer.value is True:
                self.concern_rows.add(code)

    def question(self, label: Label, piece: _Piece) -> None:
        name = label.field
        assert name is not None
        found = _Found(piece.value, label.score, piece.label)
        if name == "phoned" and _says_more_than_yes(piece.value):
            name = "phoned_who_when"  # "Yes, spoke to Gareth Lowe at 2.50pm"
        if name == "phoned_who_when":
            # "Who did you speak to and when?" (perhaps after "Have you phoned?"): one answer,
            # up to three fields.
            answer = values.boolean(piece.value)
            if answer is not None and (answer.value is False or len(piece.value.split()) <= 3):
                self._offer(self.found, "phoned", found)
                return
            when = values.datetime_value(piece.value)
            who = _person_named(piece.value)
            self._offer(self.found, "phoned_to", _Found(who, label.score * 0.9, piece.label))
            if when is not None:
                self._offer(self.found, "phoned_at", _Found(piece.value, label.score, piece.label))
            if who or when is not None:
                self._offer(self.found, "phoned", _Found("yes", 0.8, piece.label))
            return
        if name == "referral_time":
            if self.extra_time is None:
                self.extra_time = found
            return
        self._offer(self.found, name, found)

    @staticmethod
    def _offer(into: dict[str, _Found], name: str, found: _Found) -> None:
        """Keep the first answer, unless it was empty or unreadable and this one is not."""
        current = into.get(name)
        if (
            current is None
            or (not _answered(current.raw) and _answered(found.raw))
            or (not _fits(name, current.raw) and _fits(name, found.raw))
        ):
            into[name] = found

    def slot(self, label: Label, piece: _Piece) -> None:
        assert label.slot is not None
        if label.entity is not None:
            entity, certainty = label.entity, 1.0
        elif piece.section in _PERSON_SECTIONS:
            entity, certainty = _PERSON_SECTIONS[piece.section], 0.95
        else:
            entity, certainty = label.default, 0.8
        found = _Found(piece.value, label.score * certainty, piece.label)
        self._better = certainty >= 0.95  # a person's own section outranks a guess
        if entity == "child" and label.slot == "address_part":
            # "Address line 1", "Address line 2", "Town": one address, in order.
            person = self._child_for(piece.child_block, "")
            current = person.slots.get("address")
            if current is not None and _answered(current.raw) and _answered(found.raw):
                found = _Found(f"{current.raw}, {found.raw}", current.confidence, current.label)
                person.slots["address"] = found
            else:
                self._offer(person.slots, "address", found)
        elif entity == "child":
            person = self._child_for(piece.child_block, label.slot)
            self._offer(person.slots, label.slot, found)
        elif entity == "carer" and label.slot in ("address", "postcode"):
            # The family's address, for children whose own rows give none.
            self._offer(self.household, label.slot, found)
        elif entity == "referrer":
            current = self.referrer.slots.get(label.slot)
            outranks = (
                current is not None
                and self._better
                and current.confidence < found.confidence
                and _answered(found.raw)
                and _fits(label.slot, found.raw)
            )
            if outranks:
                self.referrer.slots[label.slot] = found
                return
            self._offer(self.referrer.slots, label.slot, found)

    def _child_for(self, block: int, slot: str) -> _Person:
        index = self._child_blocks.get(block)
        if index is None:
            self.children.append(_Person())
            index = self._child_blocks[block] = len(self.children) - 1
        person = self.children[index]
        if slot and slot in person.slots and _answered(person.slots[slot].raw):
            # The same slot again in one block: the form lists a second child.
            self.children.append(_Person())
            index = self._child_blocks[block] = len(self.children) - 1
            person = self.children[index]
        return person

    def record(self, record: _Record) -> None:
        labels = [(meaning(h), h, v) for h, v in record.cells]
        explicit = {m.entity for m, _, _ in labels if m.slot is not None and m.entity}
        slots = {m.slot for m, _, _ in labels}
        # A grid of people outside the parents' and others' sections lists the children.
        lists_people = bool(slots & {"name", "forenames", "surname"}) and "dob" in slots
        loose = record.section not in {"carer", "other"} and lists_people
        subject = _subject_answer(record)
        if subject is False or _adult_relation(record):
            return  # a household member the referral is not about, or a parent
        if (
            subject is True
            or "child" in explicit
            or ((record.section == "child" or loose) and not explicit - {"child"})
        ):
            person = _Person()
            for label, header, value in labels:
                if label.slot in _CHILD_SLOTS and label.entity in (None, "child"):
                    certainty = 1.0 if label.entity else 0.95
                    self._offer(
                        person.slots, label.slot, _Found(value, label.score * certainty, header)
                    )
            if any(_answered(f.raw) for f in person.slots.values()):
                self.children.append(person)


#: Printed guidance under a question ("Include dates and, where possible, the child's words.").
_GUIDANCE = re.compile(
    r"^(?:please\s+(?:describe|give|include|explain|state|provide|tell)|include\b|describe\b|"
    r"tell us\b|give details\b)|\bwhere possible\b|\binclude dates\b|\bin your own words\b",
    re.I,
)
#: Words that open a sentence, never a label.
_SENTENCE_STARTS = {
    "we", "i", "she", "he", "they", "it", "there", "this", "that", "his", "her", "their",
    "our", "my", "these", "those", "mum", "dad", "when", "after", "before",
}  # fmt: skip
_CATEGORY_LABEL = re.compile(
    r"\b(?:categor(?:y|ies)|types?|areas?|kinds?)\s+of\s+(?:concern|abuse|harm|need)s?\b", re.I
)
_ATTACHMENT_HINT = re.compile(r"attach|enclos|document|assessment|tool|support", re.I)
_SUBJECT_COLUMN = re.compile(
    r"\b(?:subject of (?:the |this )?referral|referred|focus of (?:the |this )?referral|"
    r"is this child the subject|subject child)\b",
    re.I,
)


_ADULT_RELATION = re.compile(
    r"^\s*(?:mother|mum|father|dad|step\s*-?\s*(?:mother|father|parent)|stepmother|stepfather|"
    r"grand(?:mother|father|parent)|nan|gran|grandma|grandad|partner|carer|guardian|aunt|uncle|"
    r"tenant|lodger|foster carer|parent)\b",
    re.I,
)


def _adult_relation(record: _Record) -> bool:
    """The row names an adult: its relationship column says mother, father, carer…"""
    for header, value in record.cells:
        if re.search(r"\brelationship\b", header, re.I) and _ADULT_RELATION.match(value):
            return True
    return False


def _subject_answer(record: _Record) -> bool | None:
    """The row's answer in a "Subject of referral? (Y/N)" column, if the grid has one."""
    for header, value in record.cells:
        if _SUBJECT_COLUMN.search(header):
            answer = values.boolean(value)
            return None if answer is None else bool(answer.value)
    return None


#: The reader of each value type (text types have none: their answer is the text itself).
_READERS: dict[str, Callable[[str], values.Read | None]] = {
    "bool": values.boolean,
    "yes_no_unknown": values.yes_no,
    "datetime": values.datetime_value,
    "date": values.date_value,
    "level": values.level,
    "email": values.email,
    "phone": values.phone,
    "gender": values.gender,
    "postcode": values.postcode,
}
#: The types whose answers :func:`_fits` checks before preferring one answer to another.
_SHAPE_CHECKS = {kind: _READERS[kind] for kind in _READERS if kind != "postcode"}
_SLOT_TYPES = {"dob": "date", "email": "email", "phone": "phone", "gender": "gender"}


def _fits(name: str, raw: str) -> bool:
    """The answer reads as the kind of value the field (or person slot) holds."""
    kind = FIELD_TYPES.get(name) or _SLOT_TYPES.get(name, "")
    check = _SHAPE_CHECKS.get(kind)
    return _answered(raw) if check is None else check(raw) is not None


_SPOKE = re.compile(
    r"^(?:(?:yes|y)\b[\s.,;:-]*)?(?:i\s+)?(?:(?:spoke|spoken|talked|discussed|speaking)(?:\s+it)?)?"
    r"\s*(?:(?:to|with)\s+)?",
    re.I,
)
_TRAILING = re.compile(r"(?:[\s,;.-]+(?:on|at|@))+[\s,;.-]*$", re.I)


def _person_named(text: str) -> str:
    """The worker's name in "Yes - spoke to Gareth Lowe on 4 March at 09:30"."""
    text = values.collapse(values.without_dates_and_times(text)).strip(" ,;.-/")
    text = _SPOKE.sub("", text, count=1)
    return _TRAILING.sub("", text).strip(" ,;.-/")


def _says_more_than_yes(text: str) -> bool:
    """An answer that goes on past yes or no: a name, a date, a time."""
    text = values.collapse(text)
    if values.has_boxes(text) or values.boolean(text) is None:
        return False
    return len(text.split()) > 3 or values.date_value(text) is not None


def _without_dates(text: str) -> str:
    """``text`` without the dates and times in it (for "Fiona Reedman, 24/08/2026 09:30")."""
    text = re.sub(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b", " ", text)
    text = re.sub(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|hrs)?", " ", text, flags=re.I)
    text = re.sub(r"\b(?:on|at)\b\s*(?=[,;]|$)", " ", text)
    return text


def _answered(raw: str) -> bool:
    return bool(raw.strip()) and not (
        values.has_boxes(raw) and not values.ticked(raw) and len(values.options(raw)) <= 3
    )


# --- typing values -----------------------------------------------------------------------------


def _typed(name: str, found: _Found, warnings: list[str]) -> FieldValue:
    kind = FIELD_TYPES[name]
    raw = found.raw
    text = values.collapse(raw)
    if name == "phoned_to" and text:
        text = raw = _person_named(text)
    if not text or (values.has_boxes(text) and not values.ticked(text) and kind != "long_text"):
        warnings.append(f"{name}: no value")
        return FieldValue(None, round(found.confidence * 0.9, 2), found.label)
    read: values.Read | None
    reader = _READERS.get(kind)
    if reader is not None:
        read = reader(raw)
        if read is None and kind == "phone" and sum(c.isdigit() for c in text) >= 6:
            read = values.Read(text, 0.5)  # a number in no UK shape, kept with low confidence
    else:
        chosen = values.ticked(text) if values.has_boxes(text) else []
        plain = (", ".join(chosen) if chosen else _strip_boxes(text)).rstrip(" ,;:")
        if _NOT_APPLICABLE.match(plain):
            warnings.append(f"{name}: no value")
            return FieldValue(None, round(found.confidence * 0.9, 2), found.label)
        read = values.Read(plain, 0.95)
    if read is None:
        warnings.append(f"{name}: unreadable value")
        return FieldValue(None, round(found.confidence * 0.5, 2), found.label)
    warnings.extend(f"{name}: {note}" for note in read.notes)
    return FieldValue(
        read.value, round(min(1.0, found.confidence * read.confidence), 2), found.label
    )


def _strip_boxes(text: str) -> str:
    return values.collapse(re.sub("[☒☐]", " ", text))


def _child(
    person: _Person, warnings: list[str] | None
) -> tuple[ChildRecord, dict[str, FieldValue]]:
    slots = person.slots
    sink: list[str] = [] if warnings is None else warnings
    typed: dict[str, FieldValue] = {}
    forenames = slots.get("forenames")
    surname = slots.get("surname")
    whole = slots.get("name")
    if whole is not None and _answered(whole.raw):
        first, last = values.split_name(whole.raw)
        if forenames is None or not _answered(forenames.raw):
            forenames = _Found(first or "", whole.confidence * 0.95, whole.label)
        if (surname is None or not _answered(surname.raw)) and last:
            surname = _Found(last, whole.confidence * 0.95, whole.label)
    if forenames is not None:
        typed["child_forenames"] = _typed("child_forenames", forenames, sink)
    if surname is not None:
        typed["child_surname"] = _typed("child_surname", surname, sink)
    for slot, name in (("dob", "child_dob"), ("gender", "child_gender")):
        if slot in slots:
            typed[name] = _typed(name, slots[slot], sink)
    address = slots.get("address")
    code = slots.get("postcode")
    if address is not None:
        body, inner_code = values.split_address(address.raw)
        typed["child_address"] = (
            FieldValue(body, round(address.confidence * 0.95, 2), address.label)
            if body
            else _typed("child_address", _Found("", address.confidence, address.label), sink)
        )
        if inner_code and (code is None or not _answered(code.raw)):
            code = _Found(inner_code, address.confidence * 0.95, address.label)
    if code is not None:
        typed["child_postcode"] = _typed("child_postcode", code, sink)
    record = ChildRecord(
        **{
            key: _as_str(typed.get(f"child_{key}"))
            for key in ("forenames", "surname", "dob", "gender", "address", "postcode")
        }
    )
    return record, typed


def _as_str(found: FieldValue | None) -> str | None:
    if found is None or found.value is None:
        return None
    return str(found.value)


def read_form(
    layout: Layout, file: str, sha256: str, template: str | None, notes: Iterable[str] = ()
) -> ParsedAttachment:
    """Every field, child and concern of a referral form, with confidences and warnings."""
    walk = _Walk()
    walk.blocks(layout.blocks)
    assembly = _Assembly(walk)
    assembly.run()
    warnings: list[str] = list(layout.warnings) + list(notes)
    fields: dict[str, FieldValue] = {}

    for name, found in assembly.found.items():
        if name in FIELD_TYPES and name != "gcp_attached_claimed":
            fields[name] = _typed(name, found, warnings)
    _referral_time(fields, assembly)
    referrer = assembly.referrer.slots
    if "name" not in referrer and "forenames" in referrer:
        parts = [referrer[k].raw for k in ("forenames", "surname") if k in referrer]
        referrer["name"] = _Found(" ".join(parts), referrer["forenames"].confidence, "")
    for slot in ("name", "role", "agency", "phone", "email"):
        if slot in referrer:
            target = field_for("referrer", slot)
            assert target is not None
            fields[target] = _typed(target, referrer[slot], warnings)

    children: list[ChildRecord] = []
    for index, person in enumerate(assembly.children):
        record, typed = _child(person, warnings if index == 0 else None)
        if record.empty:
            continue
        if not children:
            fields.update(typed)
        children.append(record)

    gcp = _gcp_claim(assembly, walk)
    if gcp is not None:
        fields["gcp_attached_claimed"] = gcp

    codes = _concerns(walk, assembly, fields)
    for name in _CORE:
        if name not in fields:
            warnings.append(f"{name}: not found")
    ordered = {name: fields[name] for name in FIELD_NAMES if name in fields}
    return ParsedAttachment(
        file=file,
        sha256=sha256,
        kind="rfs",
        template=template or "unknown",
        fields=ordered,
        children=tuple(children),
        concerns=tuple(code for code in CONCERN_CODES if code in codes),
        warnings=tuple(dict.fromkeys(warnings)),
        pages=layout.pages,
    )


#: Questions only a referral asks (a letter or minutes may name a child, never answer these).
_REFERRAL_QUESTIONS = (
    "urgent",
    "phoned",
    "parents_aware",
    "consent",
    "consent_refused_reason",
    "dsl_consulted",
    "known_to_csc",
    "threshold_level",
    "concern_narrative",
    "gcp_attached_claimed",
)


def looks_like_referral(form: ParsedAttachment) -> bool:
    """Enough answered referral fields to call a document a referral form whatever its title:
    six fields or more, a child's name, and two of the questions only referrals ask."""
    answered = {name for name, found in form.fields.items() if found.value is not None}
    child = bool(answered & {"child_forenames", "child_surname"})
    questions = len(answered.intersection(_REFERRAL_QUESTIONS))
    return len(answered) >= 6 and child and questions >= 2


def _referral_time(fields: dict[str, FieldValue], assembly: _Assembly) -> None:
    current = fields.get("referral_datetime")
    if (current is None or current.value is None) and assembly.loose_date is not None:
        sink: list[str] = []
        fallback = _typed("referral_datetime", assembly.loose_date, sink)
        if fallback.value is not None:
            fields["referral_datetime"] = fallback
            current = fallback
    if current is None or current.value is None or assembly.extra_time is None:
        return
    when = values.time_value(assembly.extra_time.raw)
    if when and "T" not in str(current.value):
        fields["referral_datetime"] = FieldValue(
            f"{current.value}T{when}", current.confidence, current.label
        )


def _gcp_claim(assembly: _Assembly, walk: _Walk) -> FieldValue | None:
    asked = assembly.found.get("gcp_attached_claimed")
    if asked is not None:
        answer = values.boolean(asked.raw)
        if answer is not None:
            return FieldValue(
                answer.value, round(asked.confidence * answer.confidence, 2), asked.label
            )
        if _mentions_gcp(asked.raw):
            return FieldValue(True, 0.8, asked.label)
        if asked.raw.strip() and re.search(r"attach|enclos|included|list", asked.label, re.I):
            return FieldValue(False, 0.8, asked.label)
    gcp_ticks = [t for t in walk.ticks if _mentions_gcp(t.option)]
    if gcp_ticks:
        return FieldValue(any(t.on for t in gcp_ticks), 0.95, "attachments")
    listed = " ".join(t for t in walk.attachment_text if not values.has_boxes(t))
    if listed:
        if _mentions_gcp(listed) and not re.search(
            r"\bno\b[^.]{0,20}\b(?:gcp|graded)", listed, re.I
        ):
            return FieldValue(True, 0.8, "attachments")
        # A list of what is attached that names no GCP: none is claimed.
        return FieldValue(False, 0.75, "attachments")
    if asked is not None:
        return FieldValue(None, 0.5, asked.label)
    return None


def _mentions_gcp(text: str) -> bool:
    return re.search(r"\bgcp\s*2?\b|graded\s*care\s*profile", text, re.I) is not None


def _concerns(walk: _Walk, assembly: _Assembly, fields: dict[str, FieldValue]) -> set[str]:
    codes: set[str] = set(assembly.concern_rows)
    lists: dict[tuple[str | None, str], list[_Tick]] = {}
    for tick in walk.ticks:
        if tick.section == "attachments":
            continue
        lists.setdefault((tick.section, tick.context), []).append(tick)
    for (section, _context), ticks in lists.items():
        mapped = [(t, concern_of_option(t.option)) for t in ticks]
        concern_list = section == "concerns" or sum(1 for _, c in mapped if c) >= 2
        if not concern_list:
            continue
        for tick, code in mapped:
            if tick.on and code is not None:
                codes.add(code)
            elif tick.on and section == "concerns" and code is None and _option_is_concern(tick):
                codes.add("other")
    narrative = fields.get("concern_narrative")
    if narrative is not None and isinstance(narrative.value, str):
        codes |= narrative_concerns.stated(narrative.value)
    return codes


def _option_is_concern(tick: _Tick) -> bool:
    """An unrecognised ticked option in a concerns list counts as "other" unless it is a yes/no."""
    return values.yes_no(tick.option) is None and len(tick.option) <= 60
