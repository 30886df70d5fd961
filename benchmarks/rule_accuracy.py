"""How well the two rule checks do on held-out scenario worlds: per rule TP/FP/FN and status.

Each world under ROOT (built by :func:`intake.synthetic.heldout_rules.build` when ROOT is empty
or missing) holds ``mail/*.eml``, ``calls.csv`` and ``expected.json``. For each world, in a fresh
database of its own (SQLite in a temporary directory, or with ``--postgres`` a new PostgreSQL
database on 127.0.0.1:5432, or at ``$INTAKE_BENCH_PG_URL``, dropped afterwards), this runs the
service exactly as a user would, through its outside contract::

    python -m intake import WORLD/mail
    python -m intake calls import WORLD/calls.csv
    python -m intake check --as-of AS_OF
    python -m intake exceptions --status all --json

and compares the ``neglect-no-gcp`` and ``phone-no-same-day-email`` exceptions with the expected
ones (other rules are ignored):

* an expected exception is *found* (TP) when an actual one has the same rule and the same child:
  the first token of the forenames, the surname and the DOB agree after folding case, accents,
  hyphens and apostrophes (a DOB missing on either side is not compared), or the surname and DOB
  agree and the first names differ only as nickname and full name (Tom / Thomas). Each actual
  exception is used for one expected one at most; the rest are false positives (FP), the
  expected ones left over false negatives (FN);
* *status agreement* is the share of found exceptions whose status (``open`` or
  ``auto_resolved``) is right; whether the detail says "late" is not scored;
* *raised twice* counts actual exceptions of one rule for the same child and the same deadline
  (the same day of ``due_at``, else of ``raised_at``) beyond the first: the same event twice
  (each extra one is also a false positive);
* an expected exception marked ``"optional": true`` (a policy the contract allows but does not
  require, such as one exception per sibling) is neither a miss when absent nor a false positive
  when present; *optional raised* says how many were.

A world whose command fails is reported with the command's stderr and skipped. The first few
misses of each world are listed with the child's initials only; ``--show`` lists every miss with
names and DOBs (the data is synthetic) and the actual exception's detail. Exit status 0.

    uv run python -m benchmarks.rule_accuracy /tmp/rule-worlds
    uv run python -m benchmarks.rule_accuracy /tmp/rule-worlds --postgres --show
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nicknames import NickNamer

from benchmarks._common import RESULTS, markdown_table

RULES: tuple[str, ...] = ("neglect-no-gcp", "phone-no-same-day-email")
PG_ADMIN_ENV = "INTAKE_BENCH_PG_URL"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
#: How long one command may take (importing ~100 referral emails parses every attachment).
COMMAND_TIMEOUT = 1800
#: Misses listed per world without ``--show``.
FIRST_MISSES = 5

LONDON = ZoneInfo("Europe/London")
_NAMER = NickNamer()

Child = dict[str, Any] | None


# --- comparing children -----------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Lower case, no accents, letters only: ``O'Connor`` → ``oconnor``, ``Zoë`` → ``zoe``."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", plain.lower())


def first_token(forenames: str | None) -> str:
    """The folded first forename: ``Anders-Jon Lee`` → ``anders``."""
    tokens = [t for t in re.split(r"[\s\-]+", forenames or "") if fold(t)]
    return fold(tokens[0]) if tokens else ""


def nickname_related(a: str, b: str) -> bool:
    """Are folded first names ``a`` and ``b`` the same or a nickname of one another?"""
    if not a or not b:
        return False
    if a == b:
        return True
    related_a = {a} | _NAMER.nicknames_of(a) | _NAMER.canonicals_of(a)
    related_b = {b} | _NAMER.nicknames_of(b) | _NAMER.canonicals_of(b)
    return bool(related_a & related_b)


def same_child(expected: Child, actual: Child) -> bool:
    """Does ``actual`` name the child ``expected`` names (see the module docstring)?"""
    if not expected or not actual:
        return False
    dob_e, dob_a = expected.get("dob"), actual.get("dob")
    if dob_e and dob_a and dob_e != dob_a:
        return False
    surname_e, surname_a = fold(expected.get("surname")), fold(actual.get("surname"))
    if not surname_e or surname_e != surname_a:
        return False
    first_e, first_a = first_token(expected.get("forenames")), first_token(actual.get("forenames"))
    if first_e and first_e == first_a:
        return True
    return bool(dob_e and dob_a) and nickname_related(first_e, first_a)


def initials(child: Child) -> str:
    if not child:
        return "?"
    first = first_token(child.get("forenames"))[:1].upper() or "?"
    last = fold(child.get("surname"))[:1].upper() or "?"
    return f"{first}.{last}."


def describe(child: Child) -> str:
    if not child:
        return "(no child)"
    return f"{child.get('forenames')} {child.get('surname')} ({child.get('dob') or 'no DOB'})"


def _event_day(item: dict[str, Any]) -> str:
    """The London day of an actual exception's deadline (else of when it was raised)."""
    stamp = item.get("due_at") or item.get("raised_at") or ""
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)[:10]
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return moment.date().isoformat()


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class Miss:
    kind: str  # "FN", "FP" or "status"
    rule: str
    child: Child
    expected: str
    got: str
    #: The scenario that planted the expected exception (from expected.json), if any.
    case: str = ""
    #: The actual exception's deadline and detail, if any.
    detail: str = ""


@dataclass
class RuleScore:
    expected: int = 0
    actual: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    status_right: int = 0
    twice: int = 0
    #: Expected exceptions marked optional (allowed, not required), and how many were raised.
    optional: int = 0
    optional_raised: int = 0

    def add(self, other: RuleScore) -> None:
        self.expected += other.expected
        self.actual += other.actual
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.status_right += other.status_right
        self.twice += other.twice
        self.optional += other.optional
        self.optional_raised += other.optional_raised


@dataclass
class WorldResult:
    name: str
    emails: int
    calls: int
    as_of: str
    seconds: float = 0.0
    error: str = ""
    rules: dict[str, RuleScore] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def raised_twice(actual: Sequence[dict[str, Any]]) -> int:
    """Actual exceptions beyond the first for one child and one deadline day."""
    extra = 0
    kept: list[dict[str, Any]] = []
    for item in actual:
        day = _event_day(item)
        if any(same_child(k["child"], item["child"]) and _event_day(k) == day for k in kept):
            extra += 1
        else:
            kept.append(item)
    return extra


def score(
    expected: Sequence[dict[str, Any]], actual: Sequence[dict[str, Any]]
) -> tuple[dict[str, RuleScore], list[Miss]]:
    """Per rule counts and the misses, matching expected to actual exceptions one to one."""
    scores: dict[str, RuleScore] = {}
    misses: list[Miss] = []
    for rule in RULES:
        want = [e for e in expected if e["rule"] == rule and not e.get("optional")]
        allowed = [e for e in expected if e["rule"] == rule and e.get("optional")]
        have = [a for a in actual if a.get("rule") == rule]
        result = RuleScore(
            expected=len(want), actual=len(have), twice=raised_twice(have), optional=len(allowed)
        )
        used: set[int] = set()
        for item in want:
            candidates = [
                i
                for i, got in enumerate(have)
                if i not in used and same_child(item["child"], got.get("child"))
            ]
            if not candidates:
                result.fn += 1
                case = str(item.get("case", ""))
                misses.append(Miss("FN", rule, item["child"], item["status"], "nothing", case))
                continue
            # Prefer an actual exception whose status agrees (two near-identical children).
            best = next(
                (i for i in candidates if have[i].get("status") == item["status"]), candidates[0]
            )
            used.add(best)
            result.tp += 1
            got = have[best]
            if got.get("status") == item["status"]:
                result.status_right += 1
            else:
                misses.append(
                    Miss(
                        "status",
                        rule,
                        item["child"],
                        item["status"],
                        str(got.get("status")),
                        str(item.get("case", "")),
                        f"due {got.get('due_at')}; {got.get('detail', '')}",
                    )
                )
        for item in allowed:  # neither missed when absent nor false when present
            spare = next(
                (
                    i
                    for i, got in enumerate(have)
                    if i not in used and same_child(item["child"], got.get("child"))
                ),
                None,
            )
            if spare is not None:
                used.add(spare)
                result.optional_raised += 1
        for i, got in enumerate(have):
            if i not in used:
                result.fp += 1
                detail = f"due {got.get('due_at')}; {got.get('detail', '')}"
                misses.append(
                    Miss(
                        "FP", rule, got.get("child"), "nothing", str(got.get("status")), "", detail
                    )
                )
        scores[rule] = result
    return scores, misses


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a"


def table(rules: dict[str, RuleScore]) -> str:
    headers = [
        "rule",
        "expected",
        "actual",
        "TP",
        "FP",
        "FN",
        "precision",
        "recall",
        "status agreement",
        "raised twice",
        "optional raised",
    ]
    rows = []
    for rule in RULES:
        s = rules.get(rule, RuleScore())
        rows.append(
            [
                rule,
                str(s.expected),
                str(s.actual),
                str(s.tp),
                str(s.fp),
                str(s.fn),
                _ratio(s.tp, s.tp + s.fp),
                _ratio(s.tp, s.tp + s.fn),
                f"{s.status_right}/{s.tp}" if s.tp else "n/a",
                str(s.twice),
                f"{s.optional_raised}/{s.optional}" if s.optional else "-",
            ]
        )
    return markdown_table(headers, rows)


def miss_line(miss: Miss, *, show: bool) -> str:
    who = describe(miss.child) if show else initials(miss.child)
    text = f"  {miss.kind:<6} {miss.rule:<24} {who}: expected {miss.expected}, got {miss.got}"
    if miss.case:
        text += f" [case {miss.case}]"
    if show and miss.detail:
        text += f" [{miss.detail}]"
    return text


# --- running the service ----------------------------------------------------------------------


class CommandFailed(Exception):
    """One of the contract's commands exited non-zero or timed out."""


def run_intake(args: Sequence[str], env: dict[str, str], cwd: Path) -> str:
    """``python -m intake ARGS``; its stdout, or :class:`CommandFailed` with its stderr."""
    command = [sys.executable, "-m", "intake", *args]
    try:
        done = subprocess.run(
            command,
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CommandFailed(f"`intake {' '.join(args)}` timed out after {error.timeout}s") from None
    if done.returncode != 0:
        raise CommandFailed(
            f"`intake {' '.join(args)}` exited {done.returncode}:\n{done.stderr.strip()}"
        )
    return done.stdout


@contextmanager
def database(kind: str, scratch: Path) -> Iterator[str]:
    """A fresh database URL for one world; a PostgreSQL database is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{scratch / 'intake.db'}"
        return
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get(PG_ADMIN_ENV, PG_ADMIN_URL)
    name = f"intake_rules_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def parse_exceptions(stdout: str) -> list[dict[str, Any]]:
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            print(f"  (ignored a line that is not JSON: {line[:60]!r})")
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


def run_world(folder: Path, kind: str) -> WorldResult:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    calls_text = (folder / "calls.csv").read_text("utf-8")
    result = WorldResult(
        name=folder.name,
        emails=len(list((folder / "mail").glob("*.eml"))),
        calls=max(0, len(calls_text.splitlines()) - 1),
        as_of=expected["as_of"],
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rule-accuracy-") as tmp:
        scratch = Path(tmp)
        try:
            with database(kind, scratch) as url:
                env = {**os.environ, "INTAKE_DATABASE_URL": url}
                run_intake(["import", str((folder / "mail").resolve())], env, scratch)
                run_intake(["calls", "import", str((folder / "calls.csv").resolve())], env, scratch)
                run_intake(["check", "--as-of", expected["as_of"]], env, scratch)
                stdout = run_intake(["exceptions", "--status", "all", "--json"], env, scratch)
        except CommandFailed as error:
            result.error = str(error)
            result.seconds = time.perf_counter() - started
            return result
        except Exception as error:  # a database that cannot be made: report, go on
            result.error = f"{type(error).__name__}: {error}"
            result.seconds = time.perf_counter() - started
            return result
    actual = [a for a in parse_exceptions(stdout) if a.get("rule") in RULES]
    result.rules, result.misses = score(expected["exceptions"], actual)
    result.seconds = time.perf_counter() - started
    return result


# --- the report -------------------------------------------------------------------------------


def worlds_under(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "expected.json").is_file())


def print_world(result: WorldResult, *, show: bool) -> list[str]:
    """Print one world's table and misses as soon as it is scored; its Markdown (tables only)."""
    head = (
        f"## {result.name}: {result.emails} emails, {result.calls} calls, "
        f"as of {result.as_of} ({result.seconds:.0f} s)"
    )
    print(head)
    if result.error:
        print(f"  FAILED: {result.error}\n", flush=True)
        return [head, "", f"failed: {result.error.splitlines()[0]}", ""]
    text = table(result.rules)
    print(text)
    misses = result.misses if show else result.misses[:FIRST_MISSES]
    if misses:
        more = len(result.misses) - len(misses)
        print(f"misses{f' (first {len(misses)}; --show for all)' if more else ''}:")
        for miss in misses:
            print(miss_line(miss, show=show))
    print(flush=True)
    return [head, "", text, ""]


def print_overall(results: Sequence[WorldResult]) -> list[str]:
    """Print the totals over every world that was scored; their Markdown."""
    total: dict[str, RuleScore] = {rule: RuleScore() for rule in RULES}
    scored = [result for result in results if not result.error]
    for result in scored:
        for rule, value in result.rules.items():
            total[rule].add(value)
    head = f"## overall: {len(scored)} of {len(results)} worlds scored"
    text = table(total)
    print(head)
    print(text)
    return [head, "", text]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("root", type=Path, help="folder of worlds (built there if empty)")
    parser.add_argument("--postgres", action="store_true", help="use a fresh PostgreSQL database")
    parser.add_argument("--show", action="store_true", help="list every miss, with names")
    parser.add_argument("--seed", type=int, default=1, help="seed when building (default 1)")
    parser.add_argument("--days", type=int, default=10, help="working days per built world")
    parser.add_argument("--name", default="", help="also write results/<name>.md (tables only)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if not root.exists() or not any(root.iterdir()):
        from intake.synthetic.heldout_rules import build

        print(f"building the worlds under {root} (seed {args.seed}, {args.days} days)...")
        build(root, seed=args.seed, days=args.days)
    worlds = worlds_under(root)
    if not worlds:
        print(f"no worlds (folders with expected.json) under {root}", file=sys.stderr)
        return 0
    kind = "postgres" if args.postgres else "sqlite"
    print(f"# Rule accuracy on held-out worlds ({kind})\n", flush=True)
    parts = [f"# Rule accuracy on held-out worlds ({kind})", ""]
    results = []
    for folder in worlds:
        result = run_world(folder, kind)
        results.append(result)
        parts += print_world(result, show=args.show)
    parts += print_overall(results)
    if args.name:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{args.name}.md"
        path.write_text("\n".join(parts).rstrip() + "\n", encoding="utf-8")
        print(f"(tables written to {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
