"""Parse attachments in a forked child process with a wall-clock and a memory limit.

A referral form is hostile input: a crafted PDF can spin the parser for minutes, a decompression
bomb can eat every byte of memory, and a C library can crash. :func:`parse_isolated` runs
:func:`parsers.parse_bytes` in a child made with ``os.fork`` so none of that reaches the caller:

* the child caps its address space (``RLIMIT_AS``) and CPU time (``RLIMIT_CPU``, a little above
  the wall-clock limit), writes no core file, ignores SIGINT (Ctrl-C belongs to the caller), puts
  itself in a process group of its own (so a LibreOffice it starts dies with it) and dies if its
  parent does; it pickles the result into a pipe and leaves with ``os._exit``;
* the child's temporary files (``tempfile``, ``TMPDIR``) go in a scratch folder of its own;
* the parent reads the pipe as data arrives (a result can be hundreds of KB, more than a pipe
  holds), waits at most ``limits.timeout_seconds`` with ``poll``, then SIGKILLs the child's whole
  process group, reaps the child and deletes the scratch folder: no zombie, no orphan, no hang,
  and no copy of an attachment left on disk, whatever the child did.

The memory limit is a budget for the parse itself: the child's address space may grow by
``limits.memory_mb`` MiB beyond what it inherited from the fork. An absolute cap would depend on
what the caller happens to have mapped (a daemon worker with one extra thread already has ~150 MiB
of address space, most of it reserved and never touched), so a cap that works in the CLI could
leave nothing for the parse in a worker.

What the caller gets is always a :class:`ParsedAttachment` (nothing here raises):

=====================================  =====================================================
the child returned                     its result
over the wall-clock or CPU limit       ``unreadable``, ``time limit: over N s``
ran out of memory                      ``unreadable``, ``too large: memory limit``
died otherwise (signal, no result)     ``unreadable``, ``crashed: SIGSEGV`` (or ``exit N``…)
=====================================  =====================================================

The child's result is unpickled with an allow-list of the result classes only, so a child that
the input managed to subvert still cannot run code in the parent through the pipe.

This works wherever ``os.fork`` is safe enough: the CLI, and the daemon's forkserver pool workers
(which have one extra thread, asleep; only the forking thread exists in the child). It is
POSIX-only (Linux in production; ``/proc`` is used when present to size the memory budget).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import gc
import hashlib
import importlib
import io
import logging
import math
import os
import pickle
import resource
import select
import shutil
import signal
import struct
import tempfile
import time
import warnings
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

from parsers.base import ReadLimits
from parsers.fields import ParsedAttachment

__all__ = ["Outcome", "parse_isolated", "parse_many", "run_isolated", "run_many"]

#: The warning for a child stopped by the memory limit (the same words ``parse_bytes`` uses).
MEMORY_REASON = "too large: memory limit"
#: Extra CPU seconds allowed over the wall-clock limit before the kernel stops the child.
CPU_GRACE_SECONDS = 1
#: How many finished results ``parse_many`` keeps ahead of the one it is waiting to yield.
_LOOKAHEAD_PER_WORKER = 4
#: Exit codes of the child when it could not send a result.
_EXIT_MEMORY = 3
_EXIT_ERROR = 4
_READ_CHUNK = 1 << 16
#: Largest result accepted from a child (a long narrative pickles to a few hundred KB).
_MAX_RESULT = 64 << 20
_HEADER = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1
_SCRATCH_PREFIX = "cspoc-sandbox-"

log = logging.getLogger("parsers.sandbox")

Status = Literal["ok", "timeout", "memory", "crashed"]


@dataclass(frozen=True)
class Outcome:
    """How one sandboxed call ended."""

    status: Status
    #: The function's return value when ``status`` is ``ok``.
    value: object = None
    #: For ``crashed``: what happened (``SIGSEGV``, ``exit 1``, ``ValueError``…).
    detail: str = ""
    #: Wall-clock seconds from fork to reaping.
    elapsed: float = 0.0


def parse_isolated(data: bytes, filename: str, limits: ReadLimits) -> ParsedAttachment:
    """:func:`parsers.parse_bytes` in a sandboxed child; never raises, never leaves a child."""
    child = _Child.start(data, filename, limits)
    try:
        child.wait()
    finally:
        child.stop()
    return child.result()


def parse_many(
    items: Iterable[tuple[bytes, str]], limits: ReadLimits, workers: int = 2
) -> Generator[ParsedAttachment, None, None]:
    """:func:`parse_isolated` for each ``(data, filename)``, up to ``workers`` children at once.

    Results come in input order. ``items`` is read lazily: a new file is taken only when a child
    slot is free and fewer than ``4 * workers`` finished results wait behind a slow one. Closing
    the iterator early kills and reaps the children still running.
    """
    starts = (functools.partial(_Child.start, data, filename, limits) for data, filename in items)
    for child in _run_many(starts, workers):
        yield child.result()


def run_isolated(
    func: Callable[..., object],
    *args: Any,
    timeout_seconds: float,
    memory_mb: int,
) -> Outcome:
    """Call ``func(*args)`` in a sandboxed child and say how it ended; never raises.

    The mechanism behind :func:`parse_isolated`. The return value must be plain data (numbers,
    strings, bytes, containers of them) or the result classes of :mod:`parsers.fields`.
    """
    _sweep_once()
    child = _Child(func, args, timeout_seconds, memory_mb)
    try:
        child.wait()
    finally:
        child.stop()
    return child.outcome()


def run_many(
    func: Callable[..., object],
    arguments: Iterable[tuple[Any, ...]],
    *,
    timeout_seconds: float,
    memory_mb: int,
    workers: int = 2,
) -> Generator[Outcome, None, None]:
    """:func:`run_isolated` for each tuple of arguments, like :func:`parse_many`."""
    _sweep_once()
    starts = (
        functools.partial(_Child, func, args, timeout_seconds, memory_mb) for args in arguments
    )
    for child in _run_many(starts, workers):
        yield child.outcome()


def _run_many(
    starts: Iterable[Callable[[], _Child]], workers: int
) -> Generator[_Child, None, None]:
    """Start children from ``starts``, at most ``workers`` alive; yield them, stopped, in order."""
    workers = max(1, workers)
    lookahead = _LOOKAHEAD_PER_WORKER * workers
    source = iter(starts)
    running: dict[int, _Child] = {}
    finished: dict[int, _Child] = {}
    started = 0
    yielded = 0
    exhausted = False
    poller = select.poll()
    try:
        while True:
            while not exhausted and len(running) < workers and started - yielded < lookahead:
                start = next(source, None)
                if start is None:
                    exhausted = True
                    break
                child = start()
                del start  # the file's bytes are the child's now
                running[started] = child
                if child.fd >= 0:
                    poller.register(child.fd, select.POLLIN)
                started += 1
            while yielded in finished:
                yield finished.pop(yielded)
                yielded += 1
            if not running:
                if exhausted:
                    return
                continue
            if not any(child.eof for child in running.values()):
                wait = min(child.deadline for child in running.values()) - time.monotonic()
                poller.poll(max(0, math.ceil(wait * 1000)))
            now = time.monotonic()
            for index, child in list(running.items()):
                child.pump()
                if child.eof or now >= child.deadline:
                    if child.fd >= 0:
                        poller.unregister(child.fd)
                    child.stop()
                    finished[index] = child
                    del running[index]
    finally:
        for child in running.values():
            child.stop()


class _Child:
    """One forked child, its pipe and what it has sent so far."""

    def __init__(
        self,
        func: Callable[..., object],
        args: tuple[Any, ...],
        timeout_seconds: float,
        memory_mb: int,
        *,
        file: str = "",
        sha256: str = "",
    ) -> None:
        self.timeout = float(timeout_seconds)
        self.memory_mb = memory_mb
        self.file = file
        self.sha256 = sha256
        self.buffer = bytearray()
        self.eof = False
        self.killed = False
        self.oversized = False
        self.status: int | None = None
        self.rusage: resource.struct_rusage | None = None
        self.fork_error = ""
        self.parent_maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.pid = -1
        self.fd = -1
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout
        self.elapsed = 0.0
        self.scratch = _make_scratch()
        try:
            read_fd, write_fd = os.pipe()
        except OSError as err:
            self.fork_error = _errno_name(err)
            self.eof = True
            return
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns about forking a process with threads; the forkserver
                # workers have one asleep, and the child never touches what it might hold.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError as err:
            os.close(read_fd)
            os.close(write_fd)
            self.fork_error = _errno_name(err)
            self.eof = True
            return
        if pid == 0:  # pragma: no cover - the child: measured by its effects
            _child_main(read_fd, write_fd, func, args, self.timeout, memory_mb, self.scratch)
        self.pid = pid
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout
        os.close(write_fd)
        self.fd = read_fd
        os.set_blocking(read_fd, False)
        with contextlib.suppress(OSError):  # the child does the same: either may run first
            os.setpgid(pid, pid)

    @classmethod
    def start(cls, data: bytes, filename: str, limits: ReadLimits) -> _Child:
        from parsers import parse_bytes

        _preload()
        return cls(
            parse_bytes,
            (data, filename, limits),
            limits.timeout_seconds,
            limits.memory_mb,
            file=Path(filename).name or filename,
            sha256=hashlib.sha256(data).hexdigest(),
        )

    def pump(self) -> None:
        """Take whatever the child has written so far (never blocks)."""
        while self.fd >= 0 and not self.eof:
            try:
                chunk = os.read(self.fd, _READ_CHUNK)
            except BlockingIOError:
                return
            except OSError:
                self.eof = True
                return
            if not chunk:
                self.eof = True
                return
            self.buffer += chunk
            if len(self.buffer) > _MAX_RESULT:  # no parse result is this big: stop listening
                self.oversized = True
                self.eof = True

    def wait(self) -> None:
        """Read until the child closes its pipe (it has finished) or the deadline passes."""
        if self.fd < 0:
            return
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while not self.eof:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                return
            poller.poll(math.ceil(remaining * 1000))
            self.pump()

    def stop(self) -> None:
        """Kill the child's process group (a no-op for one that has finished), reap it, and
        delete its scratch folder."""
        if self.pid <= 0:
            self._clear_scratch()
            return
        self.killed = not self.eof
        # Before reaping, while the group id cannot yet belong to anyone else.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.killed:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _pid, self.status, self.rusage = os.wait4(self.pid, 0)
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): status unknown
            self.status = None
        self.elapsed = time.monotonic() - self.started
        self.pid = -1
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        self._clear_scratch()

    def _clear_scratch(self) -> None:
        if self.scratch is None:
            return
        scratch, self.scratch = self.scratch, None
        if self.killed or self.status is None or not os.WIFEXITED(self.status):
            # A conversion killed half-way leaves LibreOffice's socket outside the folder.
            with contextlib.suppress(Exception):
                from parsers import legacy

                legacy.forget_conversions(scratch)
        shutil.rmtree(scratch, ignore_errors=True)

    def outcome(self) -> Outcome:
        """How the child ended (call after :meth:`stop`)."""
        elapsed = self.elapsed
        if self.fork_error:
            return Outcome("crashed", detail=f"cannot start: {self.fork_error}", elapsed=elapsed)
        if self.killed:
            return Outcome("timeout", elapsed=elapsed)
        if self.oversized:
            return Outcome("crashed", detail="result too large", elapsed=elapsed)
        message = _decode(bytes(self.buffer))
        if message is not None:
            tag, value = message
            if tag == "ok":
                return Outcome("ok", value=value, elapsed=elapsed)
            if tag == "memory":
                return Outcome("memory", elapsed=elapsed)
            return Outcome("crashed", detail=str(value), elapsed=elapsed)
        return self._diagnose(elapsed)

    def result(self) -> ParsedAttachment:
        """The parse result, or an ``unreadable`` one saying why there is none."""
        outcome = self.outcome()
        if outcome.status == "ok" and isinstance(outcome.value, ParsedAttachment):
            return outcome.value
        if outcome.status == "timeout":
            reason = f"time limit: over {self.timeout:g} s"
        elif outcome.status == "memory":
            reason = MEMORY_REASON
        elif outcome.status == "ok":
            reason = "crashed: bad result"
        else:
            reason = f"crashed: {outcome.detail}"
        return ParsedAttachment.unreadable(self.file, self.sha256, reason)

    def _diagnose(self, elapsed: float) -> Outcome:
        """No complete result: tell a limit from a crash by the exit status and usage."""
        status = self.status
        if status is None:
            return Outcome("crashed", detail="no result", elapsed=elapsed)
        if os.WIFEXITED(status):
            code = os.WEXITSTATUS(status)
            if code == _EXIT_MEMORY:
                return Outcome("memory", elapsed=elapsed)
            return Outcome("crashed", detail=f"exit {code}", elapsed=elapsed)
        number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        cpu = 0.0
        grew_kib = 0
        if self.rusage is not None:
            cpu = self.rusage.ru_utime + self.rusage.ru_stime
            # ru_maxrss starts at the parent's high-water mark: only growth past it is the child's.
            grew_kib = self.rusage.ru_maxrss - self.parent_maxrss_kib
        if number == signal.SIGXCPU or (
            number == signal.SIGKILL and cpu >= math.ceil(self.timeout) + CPU_GRACE_SECONDS
        ):
            return Outcome("timeout", elapsed=elapsed)
        if number == signal.SIGKILL:  # not ours and not the CPU limit: the kernel's OOM killer
            return Outcome("memory", elapsed=elapsed)
        if number in {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT} and (
            grew_kib * 1024 >= (self.memory_mb << 20) // 2
        ):  # a C library that met a failed allocation
            return Outcome("memory", elapsed=elapsed)
        return Outcome("crashed", detail=_signal_name(number), elapsed=elapsed)


_preloaded = False
_swept = False


def _sweep_once() -> None:
    global _swept
    if not _swept:
        _swept = True
        _sweep_stale_scratch()


#: Imported once in the parent so every child starts with the readers loaded (imports take
#: longer than most parses, and longer still where bytecode is not cached).
_PRELOAD = (
    "parsers.classify",
    "parsers.forms",
    "parsers.docx",
    "parsers.pdf",
    "parsers.legacy",
    "parsers.text",
    "parsers.archive",
)


def _preload() -> None:
    """Once per process: import the readers, and clear scratch folders left by dead processes."""
    global _preloaded
    if _preloaded:
        return
    _preloaded = True
    _sweep_once()
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # the child will meet (and report) the same error itself
            log.warning("sandbox could not preload %s", name)
    try:  # every child inherits what the common labels mean, instead of working it out again
        from parsers import labels

        labels.warm()
    except Exception:
        log.warning("sandbox could not warm the label table")


def _child_main(
    read_fd: int,
    write_fd: int,
    func: Callable[..., object],
    args: tuple[Any, ...],
    timeout: float,
    memory_mb: int,
    scratch: Path | None,
) -> NoReturn:  # pragma: no cover - runs in the child
    """The child's whole life: limits, the call, the result down the pipe, ``os._exit``."""
    code = _EXIT_ERROR
    try:
        os.close(read_fd)
        _confine(timeout, memory_mb)
        if scratch is not None:  # temporary files go where the parent will delete them
            tempfile.tempdir = str(scratch)
            os.environ["TMPDIR"] = str(scratch)
        try:
            message: tuple[str, object] = ("ok", func(*args))
        except MemoryError:
            message = ("memory", None)
        except BaseException as err:
            message = ("error", type(err).__name__)
        try:
            payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            code = _EXIT_MEMORY
            raise
        except Exception as err:
            payload = pickle.dumps(("error", f"unpicklable result ({type(err).__name__})"))
        _write_all(write_fd, _HEADER.pack(len(payload)))
        _write_all(write_fd, payload)
        code = 0
    except MemoryError:
        code = _EXIT_MEMORY
    except BaseException:
        code = _EXIT_ERROR
    finally:
        os._exit(code)


def _confine(timeout: float, memory_mb: int) -> None:
    """The child's limits and signals (see the module docstring)."""
    parent = os.getppid()
    # Inherited objects are never collected here: keep the collector off their pages, which
    # would otherwise be copied into this process as it touched them.
    gc.freeze()
    with contextlib.suppress(OSError):  # the parent does it too
        os.setpgid(0, 0)
    # Ctrl-C is the caller's to handle; and in its own process group the child is a background
    # job, so terminal I/O must not stop it (it never reads the terminal; logging may write).
    for number in (signal.SIGINT, signal.SIGTTOU, signal.SIGTTIN):
        signal.signal(number, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGXCPU):
        signal.signal(number, signal.SIG_DFL)
    _die_with_parent(parent)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _lower(resource.RLIMIT_CPU, math.ceil(timeout) + CPU_GRACE_SECONDS, hard_extra=1)
    _lower(resource.RLIMIT_AS, _address_space() + (memory_mb << 20))


def _make_scratch() -> Path | None:
    """A private folder for the child's temporary files (None if none can be made).

    Named after this process, so that a later sandbox user can tell it is stale if this
    process is killed before deleting it (see :func:`_sweep_stale_scratch`).
    """
    try:
        return Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-"))
    except OSError:
        return None


def _sweep_stale_scratch() -> None:
    """Delete scratch folders of sandbox users that died without deleting them (kill -9)."""
    try:
        candidates = list(Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*"))
    except OSError:
        return
    for folder in candidates:
        owner = folder.name[len(_SCRATCH_PREFIX) :].split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
            continue  # still running (or its pid reused): not ours to judge
        except ProcessLookupError:
            pass
        except OSError:
            continue
        with contextlib.suppress(Exception):
            from parsers import legacy

            legacy.forget_conversions(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _lower(which: int, soft: int, *, hard_extra: int = 0) -> None:
    """Set a soft limit (and a hard one ``hard_extra`` above it), never above the current hard."""
    _old_soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    new_hard = hard if hard_extra == 0 else soft + hard_extra
    if hard != resource.RLIM_INFINITY:
        new_hard = min(new_hard, hard)
    resource.setrlimit(which, (soft, new_hard))


def _address_space() -> int:
    """Bytes of address space this process has mapped now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_libc: ctypes.CDLL | None = None


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent dies (a worker killed with -9, say)."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl: nobody is waiting for us
        os._exit(_EXIT_ERROR)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _ResultUnpickler(pickle.Unpickler):
    """Only plain data and the result classes: a subverted child cannot run code here."""

    _ALLOWED = frozenset(
        {
            ("parsers.fields", "ParsedAttachment"),
            ("parsers.fields", "FieldValue"),
            ("parsers.fields", "ChildRecord"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a result class")


def _decode(buffer: bytes) -> tuple[str, object] | None:
    """The child's ``(tag, value)`` message; ``None`` when missing or cut short.

    A complete message that is not one the child would send (a class outside the allow-list,
    a wrong shape) comes back as ``("error", "bad result")``.
    """
    if len(buffer) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    if len(buffer) != _HEADER.size + size:
        return None
    try:
        message = _ResultUnpickler(io.BytesIO(buffer[_HEADER.size :])).load()
    except Exception:
        return ("error", "bad result")
    if (
        not isinstance(message, tuple)
        or len(message) != 2
        or message[0] not in {"ok", "memory", "error"}
    ):
        return ("error", "bad result")
    return (str(message[0]), message[1])


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _errno_name(err: OSError) -> str:
    return errno.errorcode.get(err.errno or 0, "OSError")
