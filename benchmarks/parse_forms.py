"""How fast referral forms are read, against the bare library call on the same file.

Three figures, each measured in this one run on the same synthetic 4–6 page forms:

* DOCX: median time of ``parsers.parse_bytes`` (sniff, read, classify, fields) over the median
  of python-docx's bare ``Document()`` load of the same bytes. Target ≤ 2×. Before each timed
  parse the label caches are emptied and warmed with only the synonym table's own wordings,
  untimed: that is what the sandboxed child parsing each attachment starts with.
* PDF: median time of ``parsers.parse_bytes`` over the median of pdfplumber's bare text
  extraction of every page (``open`` + ``page.extract_text()`` for all pages). Target ≤ 1.5×.
* Throughput with a backlog: forms per second through ``parsers.sandbox.parse_many`` (every
  form in its own sandboxed child process, as the daemon does) with 1 and with 2 workers.

Floor and ours alternate file by file, after a warm-up, so the machine's other load falls on
both alike. Run: ``uv run python -m benchmarks.parse_forms [--forms 12] [--repeat 15]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import statistics
import time
from collections.abc import Callable

from benchmarks._common import environment, spread, write_results

LONG_PARAGRAPHS = 5


def _forms(count: int) -> list[tuple[str, bytes, bytes]]:
    """``count`` (name, docx, pdf) triples of 4–6 page RFS forms, alternating templates."""
    from intake.synthetic.forms import LAYOUTS, rfs_docx, rfs_pdf
    from intake.synthetic.referrals import make_referral

    out = []
    for seed in range(count):
        referral = make_referral(1000 + seed, n_children=4)
        # Real referrals run to several pages: the narrative, strengths and actions are long.
        referral = dataclasses.replace(
            referral,
            concern_narrative=" ".join([referral.concern_narrative] * LONG_PARAGRAPHS),
            strengths=" ".join([referral.strengths or "Engages with the school."] * 16),
            actions_taken=" ".join([referral.actions_taken or "Advice given."] * 16),
        )
        layout = LAYOUTS[seed % len(LAYOUTS)]
        out.append((f"{layout}-{seed}", rfs_docx(referral, layout), rfs_pdf(referral, layout)))
    return out


#: When the measured part of a call began (``_ours`` resets caches first, untimed).
_START = [0.0]


def _time(call: Callable[[], object]) -> float:
    gc.collect()
    _START[0] = start = time.perf_counter()
    call()
    return time.perf_counter() - max(start, _START[0])


def _bare_docx(data: bytes) -> None:
    import docx

    docx.Document(io.BytesIO(data))


def _bare_pdf(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _ours(data: bytes, name: str) -> None:
    from parsers import forget, labels, parse_bytes

    # Each attachment is parsed in a fresh forked child, which starts with only what its parent
    # warmed (the table's own wordings): time that, not a process that has seen this form.
    forget()
    labels.warm()
    _START[0] = time.perf_counter()
    parse_bytes(data, name)


def _pages(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _compare(
    forms: list[tuple[str, bytes]], floor: Callable[[bytes], None], repeat: int, suffix: str
) -> tuple[list[float], list[float], list[float]]:
    """Per-file medians of floor and ours (ms), and the per-file ratios."""
    floors, ours, ratios = [], [], []
    for name, data in forms:
        floor(data)  # warm-up: imports, caches
        _ours(data, name + suffix)
        f_times, o_times = [], []
        for _ in range(repeat):
            f_times.append(_time(lambda d=data: floor(d)))  # type: ignore[misc]
            o_times.append(_time(lambda d=data, n=name: _ours(d, n + suffix)))  # type: ignore[misc]
        f, o = statistics.median(f_times) * 1000, statistics.median(o_times) * 1000
        floors.append(f)
        ours.append(o)
        ratios.append(o / f)
    return floors, ours, ratios


def _throughput(forms: list[tuple[str, bytes]], workers: int, rounds: int) -> list[float]:
    from parsers.base import ReadLimits
    from parsers.sandbox import parse_many

    rates = []
    items = [(data, name) for name, data in forms]
    for _ in range(rounds):
        start = time.perf_counter()
        results = list(parse_many(items, ReadLimits(), workers=workers))
        elapsed = time.perf_counter() - start
        assert len(results) == len(items)
        assert all(r.kind == "rfs" for r in results), [r.warnings for r in results]
        rates.append(len(items) / elapsed)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=12, help="distinct forms per format")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per file and side")
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds per setting")
    parser.add_argument("--name", default="parse_forms", help="results file name")
    args = parser.parse_args()

    triples = _forms(args.forms)
    docx_forms = [(name, d) for name, d, _ in triples]
    pdf_forms = [(name, p) for name, _, p in triples]
    pages = [_pages(p) for _, p in pdf_forms]
    d_floor, d_ours, d_ratio = _compare(docx_forms, _bare_docx, args.repeat, ".docx")
    p_floor, p_ours, p_ratio = _compare(pdf_forms, _bare_pdf, args.repeat, ".pdf")
    backlog = (docx_forms + pdf_forms) * 2
    one = _throughput(backlog, 1, args.rounds)
    two = _throughput(backlog, 2, args.rounds)

    lines = [
        "# Reading referral forms",
        "",
        environment(),
        "",
        f"{args.forms} synthetic RFS forms per format ({min(pages)}–{max(pages)} pages as PDF; "
        f"the same forms as DOCX), {args.repeat} timed runs per file and side, floor and ours "
        "alternating. Per-file medians, then the median (min–max) over files.",
        "",
        "| format | floor (bare library call) | floor ms | ours ms | ours / floor | target |",
        "|---|---|---|---|---|---|",
        f"| DOCX | python-docx `Document()` | {spread(d_floor, 1)} | {spread(d_ours, 1)} "
        f"| {spread(d_ratio)} | ≤ 2.0 |",
        f"| PDF | pdfplumber `extract_text()` of every page | {spread(p_floor, 1)} "
        f"| {spread(p_ours, 1)} | {spread(p_ratio)} | ≤ 1.5 |",
        "",
        f"Throughput with a backlog of {len(backlog)} forms (half DOCX, half PDF), each parsed in "
        f"its own sandboxed child process (`parsers.sandbox.parse_many`), {args.rounds} rounds:",
        "",
        "| workers | forms/s | speed-up |",
        "|---|---|---|",
        f"| 1 | {spread(one, 1)} | 1.00 |",
        f"| 2 | {spread(two, 1)} | {statistics.median(two) / statistics.median(one):.2f} |",
        "",
        "Command: `uv run python -m benchmarks.parse_forms"
        f" --forms {args.forms} --repeat {args.repeat} --rounds {args.rounds}`",
    ]
    write_results(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
