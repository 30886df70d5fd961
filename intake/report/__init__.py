"""The daily exceptions report: built from the database (:mod:`.build`), rendered as an HTML
email, plain text and CSV (:mod:`.render`), written to files and sent once per working day
(:mod:`.send`)."""

from __future__ import annotations

from intake.report.build import Report, Row, Section, build, cutoff, period
from intake.report.render import CSV_COLUMNS, Rendered, neutralise, render
from intake.report.send import (
    Outcome,
    build_and_write,
    due_days,
    next_due,
    run_due,
    send_report,
    status_lines,
)

__all__ = [
    "CSV_COLUMNS",
    "Outcome",
    "Rendered",
    "Report",
    "Row",
    "Section",
    "build",
    "build_and_write",
    "cutoff",
    "due_days",
    "neutralise",
    "next_due",
    "period",
    "render",
    "run_due",
    "send_report",
    "status_lines",
]
