"""Regenerate the held-out referral forms beside this file.

    uv run python -m tests.data.heldout.build          # write every case
    uv run python -m tests.data.heldout.build --check  # exit 1 if a file on disk differs

Each case is ``<template>/<case>.docx`` or ``.pdf`` beside ``<case>.expected.json``: what a parser
should say about the form in the contract's §3 shape (``kind``, ``template`` always ``unknown``,
``fields`` as plain values for every field the form has a place for, ``children``,
``concerns``). The expectations are recorded by :mod:`intake.synthetic.heldout` as it writes each
value into the form, never taken from a parser. Everything is fictional and deterministic (fixed
zip timestamps, fixed PDF creation dates); files in a template folder that no case names any more
are removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from intake.synthetic.heldout import CASES, TEMPLATES, build_case, case_path

HERE = Path(__file__).resolve().parent


def _expected_path(path: Path) -> Path:
    return path.with_name(f"{path.name.rsplit('.', 1)[0]}.expected.json")


def outputs() -> dict[Path, bytes]:
    """Every file the held-out set consists of, with its bytes."""
    files: dict[Path, bytes] = {}
    for spec in CASES:
        data, expected = build_case(spec)
        path = HERE / case_path(spec)
        files[path] = data
        text = json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
        files[_expected_path(path)] = text.encode("utf-8")
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = outputs()
    stale = [
        path
        for template in TEMPLATES
        if (HERE / template).is_dir()
        for path in sorted((HERE / template).iterdir())
        if path not in files
    ]
    if check:
        differ = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
        for path in differ + stale:
            print(f"out of date: {path.relative_to(HERE)}", file=sys.stderr)
        return 1 if differ or stale else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for path in stale:
        path.unlink()
    forms = sum(1 for path in files if not path.name.endswith(".expected.json"))
    print(f"wrote {forms} forms and their expectations under {HERE.relative_to(Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
