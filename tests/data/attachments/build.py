"""Build the attachments corpus from the synthetic generators.

Run ``uv run python -m tests.data.attachments.build`` after changing a generator. Each case is
``<kind>/<case>.<ext>`` beside ``<kind>/<case>.expected.json``: ``{"kind": …, "warnings": […]}``,
the warnings being those that must be present (a reason such as ``corrupt`` also matches a
longer ``corrupt: BadZipFile``). Everything is fictional and the build is deterministic; files in
the kind folders that no case names any more are removed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intake.synthetic import forms, tools
from intake.synthetic.people import Referral
from intake.synthetic.referrals import make_referral
from intake.synthetic.tools import render, tool_child

HERE = Path(__file__).parent
KIND_DIRS = ("rfs", "gcp", "brook_tool", "exploitation_tool", "other", "unreadable")


@dataclass(frozen=True)
class Case:
    """One corpus file: where it goes, how to make it, what a parser must say about it."""

    kind: str
    filename: str
    make: Callable[[], bytes]
    warnings: tuple[str, ...] = ()


def _neglect(seed: str) -> Referral:
    """A neglect referral whose form says a Graded Care Profile is attached."""
    return make_referral(f"corpus|{seed}", concerns=["neglect"], gcp_attached_claimed=True)


def cases() -> tuple[Case, ...]:
    """Every case of the corpus."""
    c = tool_child
    teen = {"min_age": 12, "max_age": 16}
    siblings = (c("multi-1"), c("multi-2", max_age=6))
    blank_gcp = ("gcp: blank template",)
    partial = ("gcp: partial",)
    return (
        # Graded Care Profiles: GCP2, the older scoring sheet, a council's adaptation, partial,
        # blank, several children, meaningless file names.
        Case("gcp", "GCP2 - completed.docx", lambda: forms.gcp_docx(c("gcp2"))),
        Case("gcp", "gcp2-completed.pdf", lambda: forms.gcp_pdf(c("gcp2-pdf"))),
        Case("gcp", "gcp-v1.docx", lambda: forms.gcp_docx(c("gcp-v1"), version=1)),
        Case("gcp", "scan0004.pdf", lambda: render(tools.gcp_v1_sheet(c("v1-sheet")), "pdf")),
        Case("gcp", "doc1.docx", lambda: render(tools.gcp_adapted(c("adapted")), "docx")),
        Case("gcp", "attachment-2.pdf", lambda: render(tools.gcp_adapted(c("adapted-2")), "pdf")),
        Case("gcp", "siblings.docx", lambda: render(tools.gcp_multiple_child(siblings), "docx")),
        Case(
            "gcp",
            "gcp2-partial.docx",
            lambda: forms.gcp_docx(c("partial"), partial=True),
            partial,
        ),
        Case(
            "gcp",
            "Scoring sheet part done.pdf",
            lambda: render(tools.gcp_v1_sheet(c("v1-partial"), partial=True), "pdf"),
            partial,
        ),
        Case("gcp", "GCP2 template.docx", lambda: render(tools.gcp_blank(), "docx"), blank_gcp),
        Case("gcp", "blank form.pdf", lambda: render(tools.gcp_blank(), "pdf"), blank_gcp),
        # Brook traffic light tool: a completed record, guidance tables, school records.
        Case("brook_tool", "Brook tool.pdf", lambda: forms.brook_pdf(c("brook"))),
        Case(
            "brook_tool", "traffic light guide.docx", lambda: render(tools.brook_guidance(), "docx")
        ),
        Case(
            "brook_tool",
            "incident 14-02.docx",
            lambda: render(tools.brook_incident_record(c("hsb-1")), "docx"),
        ),
        Case(
            "brook_tool",
            "hsb-record.pdf",
            lambda: render(tools.brook_incident_record(c("hsb-2")), "pdf"),
        ),
        Case(
            "brook_tool",
            "attachment-1.pdf",
            lambda: render(tools.brook_decision_record(c("tlt", **teen)), "pdf"),
        ),
        # Exploitation tools.
        Case(
            "exploitation_tool", "CE pathway.docx", lambda: forms.exploitation_docx(c("ce", **teen))
        ),
        Case(
            "exploitation_tool",
            "SET pathway screening.pdf",
            lambda: render(tools.set_pathway_screening(c("set", **teen)), "pdf"),
        ),
        Case(
            "exploitation_tool",
            "risk in the community.docx",
            lambda: render(tools.risk_in_the_community(c("ritc", **teen)), "docx"),
        ),
        Case(
            "exploitation_tool",
            "Partner intel.pdf",
            lambda: render(tools.partner_intelligence(c("intel", **teen)), "pdf"),
        ),
        Case(
            "exploitation_tool",
            "doc2.docx",
            lambda: render(tools.partner_intelligence(c("intel-2", **teen)), "docx"),
        ),
        Case(
            "exploitation_tool",
            "CSE screening.docx",
            lambda: render(tools.cse_screening(c("cse", **teen)), "docx"),
        ),
        Case(
            "exploitation_tool",
            "county lines checklist.pdf",
            lambda: render(tools.cce_screening(c("cce", **teen)), "pdf"),
        ),
        Case(
            "exploitation_tool",
            "scan0007.pdf",
            lambda: render(tools.cse_toolbox(c("toolbox", **teen)), "pdf"),
        ),
        # Referral forms, each listing a Graded Care Profile among its attachments.
        Case("rfs", "RFS form.docx", lambda: forms.rfs_docx(_neglect("rfs-1"))),
        Case("rfs", "RFS.pdf", lambda: forms.rfs_pdf(_neglect("rfs-2"))),
        Case("rfs", "EHFSA.docx", lambda: forms.rfs_docx(_neglect("rfs-3"), "ehfsa")),
        Case(
            "rfs",
            "GCP and referral.docx",
            lambda: render(tools.marf_form(_neglect("marf")), "docx"),
        ),
        Case("rfs", "MARF.pdf", lambda: render(tools.marf_form(_neglect("marf-2")), "pdf")),
        Case(
            "rfs",
            "attachment-3.pdf",
            lambda: render(tools.referral_form_generic(_neglect("generic")), "pdf"),
        ),
        # Decoys: they mention a GCP, a care profile or a referral, and are none of them.
        Case("other", "Chronology.docx", lambda: forms.chronology_docx(c("chrono"))),
        Case(
            "other",
            "chronology GCP.docx",
            lambda: render(tools.chronology_with_gcp(c("chrono-gcp")), "docx"),
        ),
        Case("other", "Dental letter.pdf", lambda: forms.letter_pdf(c("dental"))),
        Case("other", "GCP.docx", lambda: render(tools.gcp_letter(c("hv-letter")), "docx")),
        Case(
            "other",
            "attendance.pdf",
            lambda: render(tools.school_attendance_report(c("attendance", min_age=5)), "pdf"),
        ),
        Case(
            "other",
            "core group minutes.docx",
            lambda: render(tools.core_group_minutes(c("minutes")), "docx"),
        ),
        Case(
            "other", "clinic letter.pdf", lambda: render(tools.medical_letter(c("clinic")), "pdf")
        ),
        Case(
            "other",
            "referral email.pdf",
            lambda: render(tools.cover_email(_neglect("cover")), "pdf"),
        ),
        # Unreadable: a scan, a photo, a locked PDF, a broken Word file, an empty file.
        Case(
            "unreadable",
            "scan0009.pdf",
            lambda: tools.image_only_pdf("scan0009"),
            ("no text layer",),
        ),
        Case(
            "unreadable", "photo of form.png", lambda: tools.scan_png("photo"), ("no text layer",)
        ),
        Case("unreadable", "locked GCP.pdf", tools.encrypted_pdf, ("encrypted",)),
        Case(
            "unreadable",
            "broken.docx",
            lambda: tools.corrupt_docx(forms.gcp_docx(c("broken"))),
            ("corrupt",),
        ),
        Case("unreadable", "empty.pdf", lambda: b"", ("empty file",)),
    )


def expected_path(path: Path) -> Path:
    """``<case>.expected.json`` for the corpus file ``<case>.<ext>``."""
    return path.with_name(f"{path.stem}.expected.json")


def expected(case: Case) -> dict[str, object]:
    """What ``<case>.expected.json`` holds."""
    return {"kind": case.kind, "warnings": list(case.warnings)}


def build(root: Path = HERE) -> list[Path]:
    """Write every case under ``root``; remove files of cases that no longer exist."""
    written: list[Path] = []
    for case in cases():
        path = root / case.kind / case.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.make())
        text = json.dumps(expected(case), indent=2) + "\n"
        expected_path(path).write_text(text, encoding="utf-8")
        written += [path, expected_path(path)]
    keep = set(written)
    for kind in KIND_DIRS:
        for stale in sorted((root / kind).glob("*")):
            if stale.is_file() and stale not in keep:
                stale.unlink()
    return written


def main() -> int:
    written = build()
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written) // 2} cases ({total // 1024} KiB) under {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
