"""Write the third held-out corpus: ``uv run python -m tests.data.heldout3.build``.

Each case becomes ``<template>/<case>.docx|pdf`` and ``<case>.expected.json`` beside this file.
The output is deterministic; files left over from earlier builds in the template folders are
removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from intake.synthetic.heldout3 import build_cases

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Render every case and write it, with its expected reading, under this folder."""
    written: set[Path] = set()
    for item in build_cases():
        folder = HERE / item.template
        folder.mkdir(exist_ok=True)
        document = folder / f"{item.case}.{item.ext}"
        expected = folder / f"{item.case}.expected.json"
        document.write_bytes(item.data)
        text = json.dumps(item.expected, indent=2, ensure_ascii=False) + "\n"
        expected.write_text(text, encoding="utf-8")
        written.update((document, expected))
    for folder in {path.parent for path in written}:
        for path in folder.iterdir():
            if path.is_file() and path not in written:
                path.unlink()
    print(f"wrote {len(written) // 2} cases to {HERE}")


if __name__ == "__main__":
    main()
