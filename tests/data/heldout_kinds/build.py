"""Regenerate the held-out kind-classification attachments beside this file.

    uv run python -m tests.data.heldout_kinds.build          # write every case
    uv run python -m tests.data.heldout_kinds.build --check  # exit 1 if a file on disk differs

Each case is ``<kind>/<case>.docx`` or ``.pdf`` beside ``<case>.expected.json``, which holds only
the kind a classifier should give the file (``{"kind": "gcp"}``). The files come from
:mod:`intake.synthetic.heldout_kinds`; everything in them is fictional and the output is
deterministic (fixed zip timestamps, fixed PDF creation dates). Files in a kind folder that no
case names any more are removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from intake.synthetic.heldout_kinds import CASES, KINDS, build_case

HERE = Path(__file__).resolve().parent


def outputs() -> dict[Path, bytes]:
    """Every file of the held-out set, with its bytes."""
    files: dict[Path, bytes] = {}
    for case in CASES:
        data, expected = build_case(case)
        files[HERE / case.path] = data
        files[HERE / case.expected_path] = (json.dumps(expected) + "\n").encode("utf-8")
    if len(files) != 2 * len(CASES):
        raise RuntimeError("two cases write the same file")
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = outputs()
    stale = [
        path
        for kind in KINDS
        if (HERE / kind).is_dir()
        for path in sorted((HERE / kind).iterdir())
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
    count = len(CASES)
    print(f"wrote {count} attachments and their expectations under {HERE.relative_to(Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
