"""Idle-poll benchmark: a poll that finds nothing new, on 10,000- and 100,000-message folders.

    uv run python -m benchmarks.idle_poll [--sizes 10000,100000] [--tls starttls]

One private Dovecot gets one folder per size, filled by hard-linking a cached corpus of small
messages. The ledger's cursor is seeded at the end of each folder (the idle state after
onboarding) without running the messages through the pipeline. Then one child process per size
measures, in-process with ``perf_counter``:

(a) on an open, logged-in connection: the real ``pipeline.poll`` (the source's ``with`` made a
    no-op so the connection is reused), its idle check (``source.state`` + ``store.cursor``), the
    parts one by one;
(b) whole polls that connect, log in and log out each time: ``service.poll_mailbox`` and
    ``pipeline.poll`` on a new ``imap_source``;
(c) floors, bare imapclient on its own connections: ``STATUS (UIDNEXT UIDVALIDITY)``; EXAMINE +
    ``UID SEARCH ALL`` + a Python set difference against every known UID (the anti-pattern); and
    connect + STARTTLS + LOGIN + STATUS + LOGOUT.

The measures are interleaved round by round, so drift on the shared machine hits all alike.
A fresh-process ``python -m intake poll`` is timed too (cron-style use; informational).
Results go to ``benchmarks/results/idle_poll.md``.
"""

from __future__ import annotations

import argparse
import os
import ssl
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from benchmarks._common import (
    ChildRun,
    Spread,
    build_corpus,
    code_note,
    emit,
    environment,
    log,
    markdown_table,
    run_child,
    snapshot_code,
    write_results,
)

if TYPE_CHECKING:
    from intake.sources.base import Fetched, FolderState, MessageRef, PostAction
    from intake.sources.imap import ImapSource
    from intake.store.ledger import Store

MODULE = "benchmarks.idle_poll"
MAILBOX = "cspoc"
PASSWORD_ENV = "INTAKE_MAILBOX_CSPOC_PASSWORD"
TARGET_OPEN_MS = 5.0
TARGET_WHOLE_MS = 250.0


class KeptOpen:
    """An already logged-in ImapSource whose ``with`` does nothing.

    ``pipeline.poll`` enters its source (connect + LOGIN) and leaves it (LOGOUT) on every call;
    there is no public way to poll twice on one connection, so this hands the real ``poll`` an
    open connection to measure the poll itself. Every other call goes to the real source.
    """

    def __init__(self, inner: ImapSource) -> None:
        self.inner = inner
        self.name = inner.name

    def __enter__(self) -> KeptOpen:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def folders(self) -> Sequence[str]:
        return self.inner.folders()

    def state(self, folder: str) -> FolderState:
        return self.inner.state(folder)

    def list_new(self, folder: str, uidvalidity: int | None, after_uid: int) -> list[MessageRef]:
        return self.inner.list_new(folder, uidvalidity, after_uid)

    def fetch(self, refs: Sequence[MessageRef], max_bytes: int) -> Iterator[list[Fetched]]:
        return self.inner.fetch(refs, max_bytes)

    def apply(self, ref: MessageRef, action: PostAction) -> None:
        self.inner.apply(ref, action)


# -- the child: every in-process measurement for one folder --------------------------------------


def _bare_client(box: Any, password: str) -> Any:
    """A bare imapclient connection with the same transport as the service's."""
    from imapclient import IMAPClient

    context = ssl.create_default_context(cafile=box.ca_file) if box.tls != "plain" else None
    imap = IMAPClient(
        box.host, port=box.effective_port, ssl=box.tls == "implicit", ssl_context=context
    )
    if box.tls == "starttls":
        imap.starttls(context)
    imap.login(box.username, password)
    return imap


def seed_cursor(store: Store, folder: str, uidvalidity: int, last_uid: int) -> None:
    """Put the ledger's cursor for ``folder`` at ``last_uid``, as if onboarding had finished."""
    from sqlalchemy import update

    from intake.store.models import CursorRow

    store.reset_cursor(MAILBOX, folder, uidvalidity)
    # The store has no public "set the cursor" (record_batch advances it only with a non-empty
    # batch), so one UPDATE of the row reset_cursor just made.
    with store.engine.begin() as conn:
        conn.execute(
            update(CursorRow)
            .where(CursorRow.mailbox == MAILBOX, CursorRow.folder == folder)
            .values(last_uid=last_uid)
        )
    cursor = store.cursor(MAILBOX, folder)
    assert (cursor.uidvalidity, cursor.last_uid) == (uidvalidity, last_uid)


def child_idle(config: Path, seed: str, n_open: int, n_whole: int, n_scan: int) -> None:
    from intake import pipeline
    from intake.config import load
    from intake.service import imap_source, open_store, pipeline_settings, poll_mailbox
    from intake.sources.imap import ImapSource

    settings = load(config)
    box = settings.mailbox(MAILBOX)
    (folder,) = box.folders
    password = os.environ[PASSWORD_ENV]
    store = open_store(settings)
    uidvalidity, last_uid = (int(part) for part in seed.split(":"))
    seed_cursor(store, folder, uidvalidity, last_uid)
    psettings = pipeline_settings(settings, box)

    # The cursor must already be at the end: a real poll then finds nothing.
    first = pipeline.poll(imap_source(settings, box), store, psettings)
    assert first.ok, first.errors
    assert first.seen == 0, "the folder is not idle"
    cursor = store.cursor(MAILBOX, folder)

    times: dict[str, list[float]] = {}

    def timed(name: str, func: Callable[[], object]) -> None:
        started = time.perf_counter()
        func()
        times.setdefault(name, []).append((time.perf_counter() - started) * 1000)

    source = imap_source(settings, box)
    assert isinstance(source, ImapSource)
    kept = KeptOpen(source)
    status_conn = _bare_client(box, password)
    scan_conn = _bare_client(box, password)
    known = set(range(1, cursor.last_uid + 1))  # every UID the ledger has seen

    def idle_check() -> None:
        state = source.state(folder)
        seen = store.cursor(MAILBOX, folder)
        assert state.uidvalidity == seen.uidvalidity
        assert state.uidnext is not None
        assert state.uidnext <= seen.last_uid + 1

    def poll_open() -> None:
        result = pipeline.poll(kept, store, psettings)
        assert result.ok
        assert result.seen == 0

    def bare_status() -> None:
        status_conn.folder_status(folder, [b"UIDNEXT", b"UIDVALIDITY"])

    def bare_scan() -> None:
        scan_conn.select_folder(folder, readonly=True)
        found = scan_conn.search(["ALL"])
        assert not set(found) - known

    def poll_service() -> None:
        assert poll_mailbox(settings, store, box).seen == 0

    def poll_new_source() -> None:
        assert pipeline.poll(imap_source(settings, box), store, psettings).seen == 0

    def bare_whole() -> None:
        imap = _bare_client(box, password)
        imap.folder_status(folder, [b"UIDNEXT", b"UIDVALIDITY"])
        imap.logout()

    with source:
        for _ in range(5):  # warm-up, not counted
            poll_open()
            bare_status()
        for index in range(n_open):
            timed("poll_open", poll_open)
            timed("idle_check", idle_check)
            timed("state", lambda: source.state(folder))
            timed("cursor", lambda: store.cursor(MAILBOX, folder))
            timed("record_poll", lambda: store.record_poll(MAILBOX, folder))
            timed("bare_status", bare_status)
            if index < n_scan:
                timed("bare_scan", bare_scan)
    status_conn.logout()
    scan_conn.logout()
    for _ in range(n_whole):
        timed("poll_service", poll_service)
        timed("poll_new_source", poll_new_source)
        timed("bare_whole", bare_whole)
    store.close()
    emit({"times_ms": times, "last_uid": cursor.last_uid})


# -- the parent --------------------------------------------------------------------------------


ROWS: tuple[tuple[str, str, str], ...] = (
    ("poll_open", "ours: `pipeline.poll` on an open connection (whole real poll)", "≤ 5 ms"),
    ("idle_check", "ours: idle check `source.state` + `store.cursor` + compare", "≤ 5 ms"),
    ("state", "  part: `ImapSource.state` (one STATUS)", ""),
    ("cursor", "  part: `Store.cursor` (one read transaction)", ""),
    ("record_poll", "  part: `Store.record_poll` (one write transaction)", ""),
    ("bare_status", "floor: imapclient `STATUS (UIDNEXT UIDVALIDITY)`, open connection", ""),
    ("bare_scan", "anti-pattern: EXAMINE + `UID SEARCH ALL` + set difference", ""),
    ("poll_service", "ours: `service.poll_mailbox` incl. connect + STARTTLS + LOGIN", "≤ 250 ms"),
    ("poll_new_source", "ours: `pipeline.poll(imap_source(...))` incl. connect + LOGIN", ""),
    ("bare_whole", "floor: imapclient connect + STARTTLS + LOGIN + STATUS + LOGOUT", ""),
)
TARGETS = {"poll_open": TARGET_OPEN_MS, "idle_check": TARGET_OPEN_MS}
TARGETS["poll_service"] = TARGET_WHOLE_MS


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="folder sizes (10000,100000)")
    parser.add_argument("--open-n", type=int, default=200, help="rounds on an open connection")
    parser.add_argument("--whole-n", type=int, default=20, help="rounds of connect+login polls")
    parser.add_argument("--scan-n", type=int, default=50, help="rounds of the anti-pattern")
    parser.add_argument("--process-n", type=int, default=5, help="fresh `intake poll` processes")
    parser.add_argument(
        "--tls", choices=("plain", "starttls", "implicit"), default="starttls", help="transport"
    )
    parser.add_argument("--name", default="idle_poll", help="results/<name>.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_idle(args.config, args.seed, args.open_n, args.whole_n, args.scan_n)
        return
    run_parent(args, sorted({int(s) for s in args.sizes.split(",")}))


def run_parent(args: argparse.Namespace, sizes: list[int]) -> None:
    from tests.support.dovecot import DovecotServer
    from tests.support.settings import write_config

    corpus = build_corpus(max(sizes), seed=7, attach_ratio=0.0)
    header = environment()
    results: dict[int, dict[str, list[float]]] = {}
    rss: dict[int, ChildRun] = {}
    process_runs: dict[int, list[float]] = {}
    process_rss: dict[int, list[float]] = {}
    children: list[ChildRun] = []
    with (
        tempfile.TemporaryDirectory(prefix="intake-bench-") as scratch_name,
        DovecotServer() as server,
    ):
        scratch = Path(scratch_name)
        code_root = snapshot_code(scratch / "code")
        env = {PASSWORD_ENV: server.password}
        for size in sizes:
            folder = f"Idle{size}"
            server.create_folder(folder)
            paths, _ = corpus.head(size)
            started = time.perf_counter()
            uids = server.link_files(folder, paths)
            assert len(uids) == size
            log(f"{folder}: linked and indexed {size} messages in "
                f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            with server.client() as imap:
                status = imap.folder_status(folder, [b"UIDNEXT", b"UIDVALIDITY"])
            uidnext, uidvalidity = int(status[b"UIDNEXT"]), int(status[b"UIDVALIDITY"])
            url = f"sqlite:///{scratch / f'ledger-{size}.db'}"
            mailbox = {"tls": args.tls, "folders": (folder,)}
            config = write_config(scratch / f"intake-{size}.toml", server, url, **mailbox)
            log(f"{folder}: measuring in a child process")
            argv = [*_child_args(args), "--config", str(config), "--seed"]
            argv.append(f"{uidvalidity}:{uidnext - 1}")
            run = run_child(MODULE, argv, env, code_root=code_root)
            assert run.data["last_uid"] == uidnext - 1
            children.append(run)
            results[size], rss[size] = run.data["times_ms"], run
            log(f"{folder}: fresh `intake poll` processes")
            for _ in range(args.process_n):
                proc = run_child(
                    "intake",
                    ["--config", str(config), "poll"],
                    env,
                    code_root=code_root,
                    expect_report=False,
                )
                children.append(proc)
                process_runs.setdefault(size, []).append(proc.wall * 1000)
                process_rss.setdefault(size, []).append(proc.tree_rss_mb)
    report(
        args, sizes, results, rss, process_runs, process_rss, header + "\n" + code_note(children)
    )


def _child_args(args: argparse.Namespace) -> list[str]:
    return [
        "--child",
        "--open-n", str(args.open_n),
        "--whole-n", str(args.whole_n),
        "--scan-n", str(args.scan_n),
    ]  # fmt: skip


def report(
    args: argparse.Namespace,
    sizes: list[int],
    results: dict[int, dict[str, list[float]]],
    rss: dict[int, ChildRun],
    process_runs: dict[int, list[float]],
    process_rss: dict[int, list[float]],
    header: str,
) -> None:
    headers = ["measure", "n", *[f"{size:,} msgs: median ms (min–max)" for size in sizes]]
    headers.append("target")
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for key, label, target in ROWS:
        n = len(results[sizes[0]][key])
        cells = [Spread.of(results[size][key]).fmt(2) for size in sizes]
        if key in TARGETS:
            cells = [f"**{c.split(' ', 1)[0]}** {c.split(' ', 1)[1]}" for c in cells]
            worst = max(Spread.of(results[size][key]).median for size in sizes)
            met = "met" if worst <= TARGETS[key] else "NOT met"
            verdicts.append(f"- {label}: worst median {worst:.2f} ms, target {target}: {met}")
        rows.append([label, str(n), *cells, target])
    if process_runs:
        rows.append(
            [
                "fresh process: `python -m intake --config … poll` (start, imports, poll, exit)",
                str(len(process_runs[sizes[0]])),
                *[Spread.of(process_runs[size]).fmt(0) for size in sizes],
                "(informational)",
            ]
        )
    memory = ", ".join(
        f"{size:,}: {rss[size].peak_rss_mb:.0f} MB (process tree Σ RSS {rss[size].tree_rss_mb:.0f}"
        f" MB, {rss[size].tree_processes} processes)"
        for size in sizes
    )
    process_memory = ", ".join(
        f"{size:,}: {Spread.of(process_rss[size]).median:.0f} MB" for size in process_rss
    )
    text = "\n\n".join(
        [
            "# Idle-poll benchmark",
            "A poll that finds nothing new: the ledger cursor is already at the end of the "
            f"folder. Transport `{args.tls}` to localhost. In-process wall times (perf_counter), "
            "median (min–max); all measures interleaved round by round in one child process "
            "per folder size, after 5 uncounted warm-up rounds.",
            header,
            markdown_table(headers, rows),
            "\n".join(verdicts),
            "\n".join(
                [
                    f"- peak RSS (`VmHWM`) of the measuring child, which holds every connection "
                    f"and the anti-pattern's UID sets: {memory}; of a fresh `intake poll` "
                    f"(process tree Σ RSS, median): {process_memory or '-'}.",
                    "- 'on an open connection': `pipeline.poll` is given the logged-in source "
                    "with its `with` made a no-op (it otherwise connects and logs out each "
                    "call); it still does everything else a poll does (unfinished-message query, "
                    "STATUS, cursor read, `record_poll` write, pending post-actions query).",
                    "- the anti-pattern compares a `UID SEARCH ALL` against every known UID; it "
                    "grows with the folder, the STATUS-based check does not.",
                ]
            ),
        ]
    )
    write_results(args.name, text)


if __name__ == "__main__":
    main()
