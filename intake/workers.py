"""Where the parse and check stages run: in worker processes, beside the poller.

Parsing is CPU-bound Python, so it runs in separate processes and uses every core while the poller
goes on fetching. A worker is handed message ids, not bytes: it reads each raw copy from the
database itself, so the poller's memory stays bounded however far parsing falls behind. Each
attachment is then read by :func:`parsers.sandbox.parse_isolated`, in a child process of the
worker with its own time and memory caps, so a hostile document costs one attachment, never a
worker. Results come back as plain values (attachment bytes left out) and the poller persists
them. With ``workers=0`` the same function runs in the poller's own process.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from types import TracebackType

from intake.errors import MalformedMessage, MessageError, RawExpired, WorkerCrashed
from intake.messages import Message, parse_message
from intake.store.ledger import Store
from intake.store.records import Failure
from parsers.base import ReadLimits
from parsers.fields import ParsedAttachment
from parsers.sandbox import parse_isolated

log = logging.getLogger("intake.workers")

#: Ids per task: large enough that process hand-off costs little, small enough to spread work.
CHUNK = 16


@dataclass(frozen=True)
class Outcome:
    """What parsing one message came to, ready to persist."""

    pk: int
    message: Message | None
    failure: Failure | None = None
    #: What reading each attachment gave, aligned with ``message.attachments``. An unreadable
    #: attachment is a result like any other (its warnings say why), not a failed message.
    #: Kept out of ``repr``: it holds what the forms say.
    parsed: tuple[ParsedAttachment, ...] = field(default=(), repr=False)


def examine(pk: int, raw: bytes, limits: ReadLimits) -> Outcome:
    """The parse stage for one message, in memory; never raises."""
    try:
        message = parse_message(raw)
        parsed = tuple(parse_isolated(a.data, a.filename, limits) for a in message.attachments)
        if message.problems:
            error = MalformedMessage(str(pk), "; ".join(message.problems))
            return Outcome(pk, message, Failure.of(error, transient=False), parsed=parsed)
        return Outcome(pk, message, parsed=parsed)
    except MessageError as err:
        return Outcome(pk, None, Failure.of(err, transient=err.transient))
    except Exception as err:
        # Unexpected: perhaps a bug an upgrade will fix, so retry a bounded number of times.
        return Outcome(pk, None, Failure.of(err, transient=True))


def examine_stored(store: Store, pks: Sequence[int], limits: ReadLimits) -> list[Outcome]:
    """Examine messages from their raw copies in the ledger."""
    raws = store.raw_copies(pks)
    outcomes = []
    for pk in pks:
        raw = raws.pop(pk, None)
        if raw is None:  # the raw copy has expired: say so on the row
            outcomes.append(Outcome(pk, None, Failure.of(RawExpired(str(pk)), transient=False)))
            continue
        outcomes.append(_lighten(examine(pk, raw, limits)))
    return outcomes


def _lighten(outcome: Outcome) -> Outcome:
    """Leave the attachment bytes behind: the ledger keeps the raw message, not the parts."""
    if outcome.message is None:
        return outcome
    parts = tuple(dataclasses.replace(a, data=b"") for a in outcome.message.attachments)
    return dataclasses.replace(
        outcome, message=dataclasses.replace(outcome.message, attachments=parts)
    )


_worker_store: Store | None = None
_worker_limits = ReadLimits()


def _start_worker(url: str, poller_pid: int, limits: ReadLimits) -> None:
    global _worker_store, _worker_limits
    # Parsing yields to the poller: fetching and storing mail never waits for a busy parser.
    os.nice(10)
    # Ctrl-C reaches the whole process group; the poller decides when work stops, not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_store = Store.open(url, auto_upgrade=False)
    _worker_limits = limits
    threading.Thread(target=_exit_with_poller, args=(poller_pid,), daemon=True).start()


def _exit_with_poller(poller_pid: int) -> None:
    """A worker (and so the fork server) ends when its poller is gone, even after a kill -9.

    Without this, workers of a killed poller wait on their task queue for ever.
    """
    while True:
        time.sleep(1.0)
        try:
            os.kill(poller_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _work(pks: list[int]) -> list[Outcome]:
    assert _worker_store is not None, "worker not initialised"
    return examine_stored(_worker_store, pks, _worker_limits)


class Examiner:
    """Runs the parse and check stages for message ids, in worker processes or inline.

    ``submit`` never blocks; ``ready`` returns what has finished; ``drain`` waits for the rest.
    """

    def __init__(self, store: Store, workers: int, limits: ReadLimits | None = None) -> None:
        self.store = store
        self.workers = workers
        self.limits = limits or ReadLimits()
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[Future[list[Outcome]], list[int]]] = []
        self._done: list[Outcome] = []

    def __enter__(self) -> Examiner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=exc is not None)
            self._pool = None

    def submit(self, pks: Sequence[int]) -> None:
        if not pks:
            return
        if self.workers <= 0:
            self._done.extend(examine_stored(self.store, pks, self.limits))
            return
        pool = self._ensure_pool()
        for start in range(0, len(pks), CHUNK):
            chunk = list(pks[start : start + CHUNK])
            self._pending.append((pool.submit(_work, chunk), chunk))

    def ready(self) -> list[Outcome]:
        """Outcomes finished so far (each returned once)."""
        still = []
        for future, chunk in self._pending:
            if future.done():
                self._collect(future, chunk)
            else:
                still.append((future, chunk))
        self._pending = still
        return self._take()

    def drain(self) -> list[Outcome]:
        """Wait for every submitted message; return the outcomes not yet returned."""
        for future, chunk in self._pending:
            self._collect(future, chunk)
        self._pending = []
        return self._take()

    def _take(self) -> list[Outcome]:
        done, self._done = self._done, []
        return done

    def _collect(self, future: Future[list[Outcome]], chunk: list[int]) -> None:
        try:
            self._done.extend(future.result())
        except BrokenProcessPool:
            # A worker died on one of these messages; which one is unknown, so each is marked
            # failed with a retry planned (bounded), and a fresh pool takes the next work.
            log.error("parse worker died", extra={"messages": len(chunk)})
            self._pool = None
            self._done.extend(
                Outcome(
                    pk,
                    None,
                    Failure.of(
                        WorkerCrashed(str(pk), "parse worker stopped unexpectedly"), transient=True
                    ),
                )
                for pk in chunk
            )

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers start clean (no copied threads, locks or database connections).
            # Nothing is preloaded, so the fork server starts at once and each worker imports
            # the parser itself, off the poller's critical path.
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.store.url, os.getpid(), self.limits),
            )
        return self._pool
