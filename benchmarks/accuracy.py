"""How well the form reader does on a labelled corpus: kind accuracy, field accuracy, concern F1.

Every ``<case>.<ext>`` beside a ``<case>.expected.json`` under the given directories is parsed
(in the sandbox, as the daemon does) and compared with what it should give:

* kind accuracy: the share of files whose kind is right;
* field accuracy: over every field the expected file names, plus every field the reader gave a
  value the expected file does not have (a wrong extra value is an error too), the share right;
* children: the share of files whose list of children is exactly right;
* concern F1: micro-averaged over the concern codes of every file;
* crashes and hangs: results that are ``unreadable`` for a file that should be readable.

Run: ``uv run python -m benchmarks.accuracy tests/data/forms tests/data/attachments``
(``--show`` lists every wrong field).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, write_results


def _cases(roots: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for root in roots:
        for expected in sorted(root.rglob("*.expected.json")):
            stem = expected.name[: -len(".expected.json")]
            matches = [p for p in expected.parent.glob(f"{stem}.*") if p != expected]
            if matches:
                found.append((matches[0], json.loads(expected.read_text("utf-8"))))
    return found


def main() -> None:
    from parsers.base import ReadLimits
    from parsers.sandbox import parse_many

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="print every wrong field")
    parser.add_argument("--name", default="", help="write results/<name>.md")
    args = parser.parse_args()
    cases = _cases(args.roots)
    start = time.perf_counter()
    results = list(
        parse_many(((path.read_bytes(), path.name) for path, _ in cases), ReadLimits(), workers=2)
    )
    elapsed = time.perf_counter() - start
    kinds_right = fields_total = fields_right = children_right = crashes = forms = 0
    tp = fp = fn = 0
    wrong_fields: Counter[str] = Counter()
    for (path, expected), parsed in zip(cases, results, strict=True):
        got = parsed.to_json()
        kinds_right += got["kind"] == expected["kind"]
        if got["kind"] == "unreadable" and expected["kind"] != "unreadable":
            crashes += 1
        if expected["kind"] != "rfs" or "fields" not in expected:
            continue
        forms += 1
        values = {name: item["value"] for name, item in got["fields"].items()}
        names = set(expected["fields"]) | {n for n, v in values.items() if v is not None}
        for name in sorted(names):
            want = expected["fields"].get(name)
            have = values.get(name)
            fields_total += 1
            if want == have:
                fields_right += 1
            else:
                wrong_fields[name] += 1
                if args.show:
                    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    print(f"{rel}: {name}: got {have!r} want {want!r}")
        if "children" in expected:
            children_right += got["children"] == expected["children"]
        want_codes, have_codes = set(expected.get("concerns", [])), set(got["concerns"])
        tp += len(want_codes & have_codes)
        fp += len(have_codes - want_codes)
        fn += len(want_codes - have_codes)
        if args.show and want_codes != have_codes:
            print(f"{path.name}: concerns got {sorted(have_codes)} want {sorted(want_codes)}")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    lines = [
        f"# Reading accuracy: {', '.join(str(r) for r in args.roots)}",
        "",
        f"{len(cases)} files ({forms} referral forms), parsed in {elapsed:.1f} s with 2 workers.",
        "",
        "| measure | result |",
        "|---|---|",
        f"| kind accuracy | {kinds_right}/{len(cases)} = {kinds_right / max(1, len(cases)):.1%} |",
        f"| field accuracy | {fields_right}/{fields_total} = "
        f"{fields_right / max(1, fields_total):.1%} |",
        f"| children exactly right | {children_right}/{forms} |",
        f"| concern F1 | {f1:.3f} (tp {tp}, fp {fp}, fn {fn}) |",
        f"| readable files read as unreadable | {crashes} |",
    ]
    if wrong_fields:
        lines += [
            "",
            "Wrong fields by name: " + ", ".join(f"{k} {v}" for k, v in wrong_fields.most_common()),
        ]
    text = "\n".join(lines)
    if args.name:
        write_results(args.name, text)
    else:
        print(text)


if __name__ == "__main__":
    main()
