"""Onboarding benchmark: a 10,000-message, ~1 GB mailbox read into an empty ledger.

    uv run python -m benchmarks.onboarding [--messages N] [--repeat R] [--postgres] [--tls MODE]

One private Dovecot is filled by hard-linking a cached corpus (60 % of messages carry a
30-200 KB attachment). Each measurement runs in a fresh child process, alternating:

- ``floor``: bare imapclient, the fastest plain download the recipe found (login, EXAMINE,
  UID SEARCH ALL, UID FETCH of ``BODY.PEEK[] INTERNALDATE RFC822.SIZE`` in batches of 100, data
  discarded);
- ``sqlite`` (and ``postgres`` with ``--postgres``): ``intake.service.poll_mailbox`` into a fresh
  database: every message fetched, its raw bytes stored (zstd), parsed and checked.

Both use the same transport (``--tls``, default plain IMAP on loopback as in the recipe's
baseline). The timed span is connect to logout in both; opening/migrating the fresh database is
timed apart. Afterwards the script checks the ledger holds N messages and that no message in the
mailbox became ``\\Seen``. Results go to ``benchmarks/results/onboarding.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import ssl
import tempfile
import time
import tomllib
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks._common import (
    MB,
    ChildRun,
    Spread,
    build_corpus,
    code_fingerprint,
    code_note,
    emit,
    environment,
    log,
    markdown_table,
    run_child,
    snapshot_code,
    write_results,
)

MODULE = "benchmarks.onboarding"
FOLDER = "INBOX"
MAILBOX = "cspoc"
PASSWORD_ENV = "INTAKE_MAILBOX_CSPOC_PASSWORD"
PG_ADMIN_ENV = "INTAKE_BENCH_PG_URL"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FLOOR_BATCH = 100
TARGET_RATIO = 0.7
TARGET_RSS_MB = 200.0


# -- children (each runs in its own fresh process) -----------------------------------------------


def child_floor(config: Path) -> None:
    """The floor: a bare imapclient batched download of the folder, data discarded."""
    from imapclient import IMAPClient

    # The same settings file as ours, read with tomllib only: the floor imports nothing else.
    with config.open("rb") as handle:
        box: dict[str, Any] = tomllib.load(handle)["mailboxes"][MAILBOX]
    tls = box["tls"]
    started = time.perf_counter()
    context = ssl.create_default_context(cafile=box["ca_file"]) if tls != "plain" else None
    imap = IMAPClient(
        box["host"], port=box["port"], ssl=tls == "implicit", ssl_context=context, timeout=60
    )
    if tls == "starttls":
        imap.starttls(context)
    imap.login(box["username"], os.environ[PASSWORD_ENV])
    imap.select_folder(FOLDER, readonly=True)
    uids = imap.search(["ALL"])  # imapclient sends UID SEARCH
    count = size = 0
    for start in range(0, len(uids), FLOOR_BATCH):
        data = imap.fetch(
            uids[start : start + FLOOR_BATCH], ["BODY.PEEK[]", "INTERNALDATE", "RFC822.SIZE"]
        )
        for item in data.values():
            count += 1
            size += len(item[b"BODY[]"])
        del data
    imap.logout()
    emit({"seconds": time.perf_counter() - started, "messages": count, "bytes": size})


def child_ours(config: Path) -> None:
    """Ours: the service's own poll of the mailbox into a fresh (empty) database."""
    from sqlalchemy import func, select

    from intake.config import load
    from intake.service import open_store, poll_mailbox
    from intake.store.models import MessageRow

    settings = load(config)
    started = time.perf_counter()
    store = open_store(settings)
    opened = time.perf_counter()
    wall_opened = dt.datetime.now(dt.UTC)
    result = poll_mailbox(settings, store, settings.mailbox(MAILBOX))
    done = time.perf_counter()
    # Ingest = every message in the ledger with its raw copy: the last batch's commit time,
    # read from the ledger (first_seen_at is stamped as each batch is recorded).
    with store.engine.connect() as conn:
        last_stored = conn.execute(select(func.max(MessageRow.first_seen_at))).scalar_one()
    store.close()
    ingest = (last_stored.replace(tzinfo=dt.UTC) - wall_opened).total_seconds()
    emit(
        {
            "open_seconds": opened - started,
            "ingest_seconds": ingest,
            "seconds": done - opened,
            "new": result.new,
            "seen": result.seen,
            "checked": result.checked,
            "failed": result.failed,
            "errors": result.errors,
        }
    )


# -- the parent: server, databases, alternation, checks, report ---------------------------------


class Databases:
    """Fresh, empty databases, one per measured run, removed after their checks."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.admin_url = os.environ.get(PG_ADMIN_ENV, PG_ADMIN_URL)
        self._serial = 0

    def sqlite(self) -> str:
        self._serial += 1
        return f"sqlite:///{self.scratch / f'ledger-{self._serial}.db'}"

    def postgres(self) -> str:
        from sqlalchemy import create_engine, text

        name = f"intake_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def size_mb(self, url: str) -> float:
        from sqlalchemy import create_engine, text

        if url.startswith("sqlite:///"):
            base = Path(url.removeprefix("sqlite:///"))
            files = [base, Path(f"{base}-wal"), Path(f"{base}-shm")]
            return sum(p.stat().st_size for p in files if p.exists()) / MB
        engine = create_engine(url)
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        engine.dispose()
        return int(size) / MB

    def drop(self, url: str) -> None:
        from sqlalchemy import create_engine, text

        if url.startswith("sqlite:///"):
            base = Path(url.removeprefix("sqlite:///"))
            for path in (base, Path(f"{base}-wal"), Path(f"{base}-shm")):
                path.unlink(missing_ok=True)
            return
        name = url.rsplit("/", 1)[1]
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def check_ledger(url: str, expected: int, run: ChildRun) -> dict[str, int]:
    """The ledger must hold exactly ``expected`` messages, all new in this run, each raw copy kept.

    Plain SQL on the ledger's tables, so the check does not depend on the (possibly edited)
    live code, only on the table names.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {
                str(status): int(count)
                for status, count in conn.execute(
                    text("SELECT status, count(*) FROM messages GROUP BY status")
                )
            }
            raws = int(conn.execute(text("SELECT count(*) FROM raw_messages")).scalar_one())
    finally:
        engine.dispose()
    total = sum(counts.values())
    assert total == expected, f"ledger holds {total} messages, expected {expected}"
    assert raws == expected, f"ledger keeps {raws} raw copies, expected {expected}"
    assert run.data["new"] == expected, f"poll reported {run.data['new']} new"
    assert not run.data["errors"], f"poll errors: {run.data['errors']}"
    return counts


def parse_limits(items: Sequence[str]) -> dict[str, int]:
    """``["parse_workers=0"]`` -> ``{"parse_workers": 0}`` for the ``[limits]`` table."""
    limits: dict[str, int] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise SystemExit(f"--limit wants KEY=NUMBER, not {item!r}")
        limits[key.strip()] = int(value)
    return limits


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="mailbox size (10000)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs of each (3)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted floor runs first (1)")
    parser.add_argument("--postgres", action="store_true", help="also measure PostgreSQL")
    parser.add_argument(
        "--tls", choices=("plain", "starttls", "implicit"), default="plain", help="transport"
    )
    parser.add_argument("--name", default="onboarding", help="results/<name>.md")
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="KEY=N",
        help="a [limits] setting for ours, e.g. parse_workers=0 (repeatable)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="OUT",
        help="instead of measuring: run ours once under cProfile into OUT, print the top 25 "
        "by cumulative and by own time, and write them to results/<name>-profile.md",
    )
    parser.add_argument("--child", choices=("floor", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        {"floor": child_floor, "ours": child_ours}[args.child](args.config)
        return
    if args.messages < 1 or args.repeat < 1:
        parser.error("--messages and --repeat must be at least 1")
    run_parent(args)


def run_parent(args: argparse.Namespace) -> None:
    from tests.support.dovecot import DovecotServer
    from tests.support.settings import write_config

    limits = parse_limits(args.limit)
    corpus = build_corpus(args.messages)
    paths, total_bytes = corpus.head(args.messages)
    header = environment()
    if args.profile:
        profile_ours(args, paths, header, limits)
        return
    live_before = code_fingerprint()
    kinds = ["floor", "sqlite"] + (["postgres"] if args.postgres else [])
    runs: dict[str, list[ChildRun]] = {kind: [] for kind in kinds}
    statuses: dict[str, dict[str, int]] = {}
    db_sizes: dict[str, list[float]] = {kind: [] for kind in kinds[1:]}
    with (
        tempfile.TemporaryDirectory(prefix="intake-bench-") as scratch_name,
        DovecotServer() as server,
    ):
        scratch = Path(scratch_name)
        code_root = snapshot_code(scratch / "code")
        started = time.perf_counter()
        uids = server.link_files(FOLDER, paths)
        assert len(uids) == args.messages, f"mailbox has {len(uids)} messages"
        log(f"linked {len(uids)} messages ({total_bytes / MB:.1f} MB) into {FOLDER} "
            f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        env = {PASSWORD_ENV: server.password}
        databases = Databases(scratch)

        def config_for(url: str) -> Path:
            path = scratch / f"intake-{uuid.uuid4().hex[:8]}.toml"
            return write_config(path, server, url, limits=limits, tls=args.tls, folders=(FOLDER,))

        def child(kind: str, config: Path) -> ChildRun:
            argv = ["--child", kind, "--config", str(config)]
            return run_child(MODULE, argv, env, code_root=code_root)

        floor_config = config_for(databases.sqlite())  # the floor never opens the database
        for index in range(args.warmup):
            log(f"warm-up floor {index + 1}/{args.warmup}")
            child("floor", floor_config)
        for rep in range(args.repeat):
            for kind in kinds:
                log(f"run {rep + 1}/{args.repeat}: {kind}")
                if kind == "floor":
                    run = child("floor", floor_config)
                    assert run.data["messages"] == args.messages
                    assert run.data["bytes"] == total_bytes
                else:
                    url = databases.postgres() if kind == "postgres" else databases.sqlite()
                    try:
                        config = config_for(url)
                        run = child("ours", config)
                        statuses[kind] = check_ledger(url, args.messages, run)
                        db_sizes[kind].append(databases.size_mb(url))
                    finally:
                        databases.drop(url)
                runs[kind].append(run)
                log(f"  {run.data['seconds']:.2f} s, {args.messages / run.data['seconds']:.0f} "
                    f"msg/s, CPU {run.cpu:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB, tree "
                    f"{run.tree_rss_mb:.0f} MB in {run.tree_processes} processes")  # fmt: skip
        flags = server.flags(FOLDER)
        seen = sum(1 for item in flags.values() if b"\\Seen" in item)
        assert len(flags) == args.messages, f"mailbox now has {len(flags)} messages"
        assert seen == 0, f"{seen} messages became \\Seen"
    if code_fingerprint() != live_before:
        header += (
            f"\n- note: the work tree's code was edited during this run (`{live_before}` → "
            f"`{code_fingerprint()}`); every run above used the snapshot taken at the start."
        )
    report(args, runs, statuses, db_sizes, total_bytes, header)


def profile_ours(
    args: argparse.Namespace, paths: list[Path], header: str, limits: dict[str, int]
) -> None:
    """One run of ours (SQLite) under cProfile, for whoever optimises the pipeline."""
    import io
    import pstats

    from tests.support.dovecot import DovecotServer
    from tests.support.settings import write_config

    with (
        tempfile.TemporaryDirectory(prefix="intake-bench-") as scratch_name,
        DovecotServer() as server,
    ):
        scratch = Path(scratch_name)
        code_root = snapshot_code(scratch / "code")
        server.link_files(FOLDER, paths)
        url = f"sqlite:///{scratch / 'ledger.db'}"
        config = write_config(
            scratch / "intake.toml", server, url, limits=limits, tls=args.tls, folders=(FOLDER,)
        )
        log(f"profiling ours on {len(paths)} messages into {args.profile}")
        run = run_child(
            "cProfile",
            ["-o", str(args.profile), "-m", MODULE, "--child", "ours", "--config", str(config)],
            {PASSWORD_ENV: server.password},
            code_root=code_root,
        )
        check_ledger(url, len(paths), run)
    overrides = ", ".join(f"{k} = {v}" for k, v in limits.items()) or "none (product defaults)"
    sections = [
        f"# Onboarding profile: ours → SQLite, {len(paths):,} messages, under cProfile",
        f"{header}\n{code_note([run])}\n- poll under the profiler: {run.data['seconds']:.1f} s "
        f"({len(paths) / run.data['seconds']:.0f} msg/s; cProfile slows it down). Profile data: "
        f"`{args.profile}` (`python -m pstats {args.profile}`).\n- `[limits]` overrides: "
        f"{overrides}. cProfile sees only the poller process: with parse workers, the parse "
        "and check stages run in other processes and are missing here; profile with "
        "`--limit parse_workers=0` to see them inline.\n- whole process tree under the "
        f"profiler: {run.cpu:.1f} s CPU, {run.tree_processes} processes at most.",
    ]
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(str(args.profile), stream=buffer)
        stats.sort_stats(order).print_stats(25)
        text = buffer.getvalue()
        body = text[text.index("   ncalls") :] if "   ncalls" in text else text
        sections.append(f"## Top 25 by {order}\n\n```\n{body.rstrip()}\n```")
    write_results(f"{args.name}-profile", "\n\n".join(sections))


def _memory_verdict(tree_rss: float, tree_pss: float) -> str:
    if tree_rss <= TARGET_RSS_MB:
        return "met"
    if tree_pss <= TARGET_RSS_MB:
        return "met by Σ PSS, not by Σ RSS"
    return "NOT met"


def report(
    args: argparse.Namespace,
    runs: dict[str, list[ChildRun]],
    statuses: dict[str, dict[str, int]],
    db_sizes: dict[str, list[float]],
    total_bytes: int,
    header: str,
) -> None:
    n = args.messages
    floor = runs["floor"]
    overrides = ", ".join(f"{k} = {v}" for k, v in parse_limits(args.limit).items()) or "none"
    floor_rate = Spread.of([n / r.data["seconds"] for r in floor]).median
    labels = {
        "floor": f"floor: bare imapclient, UID FETCH batches of {FLOOR_BATCH}, data discarded",
        "sqlite": "ours: `service.poll_mailbox` → fresh SQLite",
        "postgres": "ours: `service.poll_mailbox` → fresh PostgreSQL",
    }
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for kind, measured in runs.items():
        seconds = [r.data["seconds"] for r in measured]
        rates = [n / s for s in seconds]
        rss = Spread.of([r.peak_rss_mb for r in measured])
        tree_rss = Spread.of([r.tree_rss_mb for r in measured])
        tree_pss = Spread.of([r.tree_pss_mb for r in measured])
        procs = max(r.tree_processes for r in measured)
        if kind == "floor":
            ratio = paired = "1"
            ingest = ingest_ratio = "–"
        else:
            ingest_s = Spread.of([r.data["ingest_seconds"] for r in measured])
            ingest = ingest_s.fmt()
            ingest_ratio = f"**{n / ingest_s.median / floor_rate:.2f}**"
            median_ratio = Spread.of(rates).median / floor_rate
            # Run i of ours against run i of the floor (taken just before it): less drift.
            pairs = [
                f.data["seconds"] / o.data["seconds"] for f, o in zip(floor, measured, strict=True)
            ]
            ratio = f"**{median_ratio:.2f}**"
            paired = Spread.of(pairs).fmt()
            verdicts.append(
                f"- {kind}: ratio {median_ratio:.2f} (target ≥ {TARGET_RATIO}: "
                f"{'met' if median_ratio >= TARGET_RATIO else 'NOT met'}); peak memory of the "
                f"whole process tree ({procs} processes at most), worst run: Σ RSS "
                f"{tree_rss.high:.0f} MB, Σ PSS {tree_pss.high:.0f} MB; main process "
                f"{rss.high:.0f} MB (target ≤ {TARGET_RSS_MB:.0f} MB: "
                f"{_memory_verdict(tree_rss.high, tree_pss.high)})"
            )
        rows.append(
            [
                labels[kind],
                Spread.of(seconds).fmt(),
                f"{Spread.of(rates).median:.0f}",
                f"{total_bytes / MB / Spread.of(seconds).median:.1f}",
                ratio,
                paired,
                ingest,
                ingest_ratio,
                Spread.of([r.wall for r in measured]).fmt(),
                Spread.of([r.cpu for r in measured]).fmt(1),
                rss.fmt(0),
                f"{tree_rss.fmt(0)} / {tree_pss.median:.0f} ({procs})",
            ]
        )
    headers = [
        "what",
        "timed s: connect→logout",
        "msg/s",
        "MB/s",
        "ratio ours/floor (medians)",
        "ratio, paired runs",
        "ingest s: all in the ledger with raw bytes",
        "ingest ratio",
        "whole process s",
        "client CPU s",
        "peak RSS MB, main process",
        "peak Σ RSS / Σ PSS MB, process tree (processes)",
    ]
    extra: list[str] = []
    for kind, measured in runs.items():
        if kind == "floor":
            continue
        opened = Spread.of([r.data["open_seconds"] for r in measured]).fmt()
        size = Spread.of(db_sizes[kind]).fmt(0)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(statuses[kind].items()))
        extra.append(
            f"- {kind}: open + migrate the fresh database {opened} s (not in the timed span); "
            f"database size afterwards {size} MB; ledger statuses: {counts}"
        )
    text = "\n\n".join(
        [
            "# Onboarding benchmark",
            f"{n:,} messages, {total_bytes / MB:.1f} MB (60 % with a 30–200 KB attachment), "
            f"one private Dovecot, transport `{args.tls}` to localhost. Median (min–max) over "
            f"n={args.repeat} runs of each, alternating floor/ours, each a fresh process, after "
            f"{args.warmup} uncounted floor run(s). MB = 10^6 bytes.",
            header,
            markdown_table(headers, rows),
            "\n".join(verdicts),
            "\n".join(
                [
                    *extra,
                    f"- checked after every run of ours: the ledger holds exactly {n:,} messages; "
                    f"after all runs no message in the mailbox is `\\Seen`.",
                    "- timed span = connect → logout inside the child; whole process = Python "
                    "start, imports, database open/migration, poll, exit (seen from outside).",
                    "- client CPU = user + system CPU seconds of the child and all its descendants "
                    "(parse workers included, sampled; the IMAP server's CPU is not).",
                    "- peak RSS, main process = `VmHWM`, read by the child itself at exit "
                    "(`ru_maxrss` from `wait4()` is not used: Linux carries the parent's "
                    "high-water mark over fork/exec into it). Process tree = the child plus "
                    "every descendant (parse workers, fork server), summed and sampled every "
                    "0.1 s: Σ RSS counts shared pages once per process (an upper bound); Σ PSS "
                    "shares them out, also with unrelated processes mapping the same libraries "
                    "(so it reads low even for a lone process: compare the floor's two figures); "
                    "the PSS figure is the median.",
                    "- measured code: a snapshot of the work tree taken at the start; `[limits]` "
                    f"overrides: {overrides}.",
                    code_note([run for measured in runs.values() for run in measured]),
                ]
            ),
        ]
    )
    write_results(args.name, text)


if __name__ == "__main__":
    main()
