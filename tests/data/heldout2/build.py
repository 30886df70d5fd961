"""Build the second held-out corpus of referral forms from :mod:`intake.synthetic.heldout2`.

Synthetic test document: every person and detail in it is fictional.

Run ``uv run python -m tests.data.heldout2.build``. Each case is ``<template>/<case>.docx`` or
``.pdf`` beside ``<template>/<case>.expected.json``: ``{"kind", "template", "fields",
"children", "concerns"}``, ``fields`` holding every contract §3 field the form has a place for
(``null`` when left blank). The build is deterministic (fixed zip timestamps and PDF creation
dates); files in the template folders that no case names any more are removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from intake.synthetic.heldout2 import TEMPLATES, corpus

HERE = Path(__file__).parent


def build(root: Path = HERE) -> list[Path]:
    """Write every case under ``root``; return the paths written."""
    written: list[Path] = []
    for output in corpus():
        folder = root / output.template
        folder.mkdir(parents=True, exist_ok=True)
        document = folder / output.filename
        document.write_bytes(output.data)
        stem = output.filename.rsplit(".", 1)[0]
        answer = folder / f"{stem}.expected.json"
        answer.write_text(
            json.dumps(output.expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written += [document, answer]
    keep = set(written)
    for template in TEMPLATES:
        for path in (root / template).glob("*"):
            if path.is_file() and path not in keep:
                path.unlink()
    return written


def main() -> int:
    """Build the corpus and say how many files were written."""
    written = build()
    print(f"wrote {len(written)} files under {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
