"""The sandbox (parsers/sandbox.py): a forked child per file, killed at its limits, always reaped.

The limit tests drive the generic :func:`run_isolated` with functions that misbehave on purpose
(sleep, spin, allocate, crash), so they depend on no document reader; the parse tests use plain
text and HTML, read by parsers/text.py.
"""

from __future__ import annotations

import ctypes
import faulthandler
import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from parsers import parse_bytes
from parsers.base import ReadLimits
from parsers.fields import FieldValue, ParsedAttachment
from parsers.sandbox import Outcome, parse_isolated, parse_many, run_isolated, run_many
from tests.support.processes import assert_no_child_left

LIMITS = ReadLimits(timeout_seconds=10, memory_mb=512)
#: Slack allowed over a time limit for killing and reaping on a busy 2-core machine.
SLACK = 1.5


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {b"Z", b"X"}


@pytest.fixture(autouse=True)
def _no_zombies() -> Iterator[None]:
    yield
    assert_no_child_left()


# Functions the children run (module level, so a forkserver worker can import them too).


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def _spin() -> None:
    while True:
        pass


def _busy(seconds: float) -> tuple[float, float, int]:
    start = time.time()
    while time.time() - start < seconds:
        pass
    return start, time.time(), os.getpid()


def _allocate(megabytes: int) -> int:
    held = [bytearray(1 << 20) for _ in range(megabytes)]
    return len(held)


def _segfault() -> None:
    faulthandler.disable()  # no traceback on stderr: the crash itself is the point
    ctypes.string_at(0)


def _abort() -> None:
    faulthandler.disable()
    os.abort()


def _exit(code: int) -> None:
    os._exit(code)


def _raise() -> None:
    raise ValueError("boom")


def _interrupt_self() -> str:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)
    return "still here"


def _start_grandchild(pid_file: str) -> None:
    grandchild = subprocess.Popen(["sleep", "60"])
    Path(pid_file).write_text(str(grandchild.pid))
    time.sleep(60)


def _leave_temporary_files(record: str, then_sleep: float) -> None:
    handle, name = tempfile.mkstemp(suffix=".doc")
    os.write(handle, b"a copy of an attachment")
    os.close(handle)
    Path(record).write_text(name)
    time.sleep(then_sleep)


def _foreign_result() -> object:
    return Path("/")


def _narrative_result(kilobytes: int) -> ParsedAttachment:
    text = ("The child said that things at home were difficult. " * 20_000)[: kilobytes * 1024]
    return ParsedAttachment(
        file="form.docx",
        sha256="0" * 64,
        kind="rfs",
        fields={"concern_narrative": FieldValue(text, 0.9, "Reason for referral")},
        warnings=("referrer_phone: no value",),
    )


def test_returns_the_functions_value() -> None:
    """GIVEN a function that returns plain data
    WHEN it runs sandboxed
    THEN the caller gets the value, status ok."""
    outcome = run_isolated(sum, [1, 2, 3], timeout_seconds=5, memory_mb=100)
    assert outcome.status == "ok"
    assert outcome.value == 6


def test_a_result_larger_than_a_pipe_arrives_whole() -> None:
    """GIVEN a parse result of 600 KB (a long narrative), far more than a pipe buffer holds
    WHEN it comes back from the child
    THEN it arrives intact: the parent drains the pipe while it waits."""
    outcome = run_isolated(_narrative_result, 600, timeout_seconds=10, memory_mb=200)
    assert outcome.status == "ok"
    assert outcome.value == _narrative_result(600)


def test_a_sleeping_child_is_killed_at_the_wall_clock_limit() -> None:
    """GIVEN a function that sleeps for 30 s
    WHEN it runs with a 0.5 s limit
    THEN the outcome is timeout, soon after 0.5 s, and the child is reaped."""
    started = time.monotonic()
    outcome = run_isolated(_sleep, 30, timeout_seconds=0.5, memory_mb=100)
    elapsed = time.monotonic() - started
    assert outcome.status == "timeout"
    assert 0.45 <= elapsed < 0.5 + SLACK


def test_a_spinning_child_is_killed_at_the_limit() -> None:
    """GIVEN a function that loops for ever on the CPU
    WHEN it runs with a 0.5 s limit
    THEN the outcome is timeout within the limit plus slack."""
    started = time.monotonic()
    outcome = run_isolated(_spin, timeout_seconds=0.5, memory_mb=100)
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 0.5 + SLACK


def test_memory_over_the_budget_is_a_memory_outcome() -> None:
    """GIVEN a function that keeps allocating up to 2 GB
    WHEN it runs with a 200 MB budget
    THEN it stops with MemoryError in the child, reported as memory, and nothing is left."""
    outcome = run_isolated(_allocate, 2048, timeout_seconds=10, memory_mb=200)
    assert outcome.status == "memory"


def test_memory_within_the_budget_is_fine() -> None:
    """GIVEN a function that holds 100 MB
    WHEN it runs with a 200 MB budget (on top of what the child inherited)
    THEN it succeeds."""
    outcome = run_isolated(_allocate, 100, timeout_seconds=10, memory_mb=200)
    assert outcome == Outcome("ok", value=100, elapsed=outcome.elapsed)


@pytest.mark.parametrize(
    ("func", "args", "detail"),
    [
        (_segfault, (), "SIGSEGV"),
        (_abort, (), "SIGABRT"),
        (_exit, (7,), "exit 7"),
        (_raise, (), "ValueError"),
        (_foreign_result, (), "bad result"),
    ],
)
def test_a_crash_is_reported_not_raised(
    func: object, args: tuple[object, ...], detail: str
) -> None:
    """GIVEN a child that segfaults, aborts, exits early, raises, or sends a class that is not a
    parse result
    WHEN it runs sandboxed
    THEN the caller gets status crashed with what happened, and no exception."""
    assert callable(func)
    outcome = run_isolated(func, *args, timeout_seconds=5, memory_mb=100)
    assert (outcome.status, outcome.detail) == ("crashed", detail)


def test_the_child_ignores_ctrl_c() -> None:
    """GIVEN a child that receives SIGINT (as a whole process group does on Ctrl-C)
    WHEN it runs
    THEN it carries on: stopping work is the caller's decision."""
    outcome = run_isolated(_interrupt_self, timeout_seconds=5, memory_mb=100)
    assert outcome.value == "still here"


def test_processes_the_child_started_die_with_it(tmp_path: Path) -> None:
    """GIVEN a child that starts a long-running process of its own (as LibreOffice would be)
    WHEN the child is killed at its time limit
    THEN that process is killed too (the child's whole process group goes)."""
    pid_file = tmp_path / "grandchild.pid"
    outcome = run_isolated(_start_grandchild, str(pid_file), timeout_seconds=1, memory_mb=100)
    assert outcome.status == "timeout"
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)


@pytest.mark.parametrize("then_sleep", [0, 30], ids=["finishes", "is killed"])
def test_temporary_files_of_the_child_are_deleted(tmp_path: Path, then_sleep: float) -> None:
    """GIVEN a child that writes a temporary file (as a LibreOffice conversion copies the
    attachment) and then either finishes or hangs until it is killed
    WHEN the sandboxed call ends
    THEN the file is gone: it was in the child's scratch folder, which the parent deletes."""
    record = tmp_path / "temporary.txt"
    outcome = run_isolated(
        _leave_temporary_files, str(record), then_sleep, timeout_seconds=1, memory_mb=100
    )
    assert outcome.status == ("ok" if then_sleep == 0 else "timeout")
    left = Path(record.read_text())
    assert left.parent.name.startswith("cspoc-sandbox-")
    assert not left.exists()
    assert not left.parent.exists()


def test_parse_isolated_gives_what_parse_bytes_gives() -> None:
    """GIVEN text, HTML, an empty file and random bytes
    WHEN each is parsed in the sandbox and in-process
    THEN the results are equal."""
    samples = [
        (b"Referral for support\nChild: Test Child\n", "note.txt"),
        (b"<html><body><h1>Referral</h1><p>Hello</p></body></html>", "page.html"),
        (b"", "empty.txt"),
        (bytes(range(256)) * 40, "blob.bin"),
    ]
    for data, name in samples:
        assert parse_isolated(data, name, LIMITS) == parse_bytes(data, name, LIMITS)


def test_a_parse_over_the_time_limit_is_unreadable() -> None:
    """GIVEN an HTML file of 10,000 table rows, which takes the text reader several seconds
    WHEN it is parsed in the sandbox with a 0.2 s limit
    THEN the result is unreadable "time limit: over 0.2 s", named and hashed as the file."""
    data = b"<table>" + b"<tr><td>label</td><td>value</td></tr>" * 200_000 + b"</table>"
    started = time.monotonic()
    result = parse_isolated(data, "dir/huge.html", ReadLimits(timeout_seconds=0.2))
    assert time.monotonic() - started < 0.2 + SLACK
    assert result.kind == "unreadable"
    assert result.warnings == ("time limit: over 0.2 s",)
    assert result.file == "huge.html"
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_parse_many_keeps_input_order() -> None:
    """GIVEN twelve text files
    WHEN they are parsed with two children at a time
    THEN the results come in input order and equal the in-process ones."""
    items = [(f"Line {n}\n".encode() * (n + 1), f"file{n}.txt") for n in range(12)]
    results = list(parse_many(items, LIMITS, workers=2))
    assert [r.file for r in results] == [name for _data, name in items]
    assert results == [parse_bytes(data, name, LIMITS) for data, name in items]


def test_run_many_uses_both_cores_with_a_backlog() -> None:
    """GIVEN six jobs that each keep a CPU busy for 0.4 s
    WHEN they run with workers=2
    THEN two run at once (never three), and the whole takes well under the serial 2.4 s."""
    started = time.monotonic()
    outcomes = list(run_many(_busy, [(0.4,)] * 6, timeout_seconds=10, memory_mb=100, workers=2))
    elapsed = time.monotonic() - started
    assert [o.status for o in outcomes] == ["ok"] * 6
    spans = [o.value for o in outcomes]
    assert all(isinstance(s, tuple) for s in spans)
    edges = sorted(
        [(s[0], 1) for s in spans if isinstance(s, tuple)]
        + [(s[1], -1) for s in spans if isinstance(s, tuple)],
        key=lambda edge: (edge[0], edge[1]),
    )
    running = peak = 0
    for _when, step in edges:
        running += step
        peak = max(peak, running)
    assert peak == 2
    assert elapsed < 0.8 * 2.4


def test_run_many_yields_in_order_around_a_timeout() -> None:
    """GIVEN three jobs, the middle one hanging
    WHEN they run together with a 0.5 s limit
    THEN the outcomes are ok, timeout, ok, in that order."""
    outcomes = run_many(
        _sleep, [(0.05,), (30,), (0.05,)], timeout_seconds=0.5, memory_mb=100, workers=2
    )
    assert [o.status for o in outcomes] == ["ok", "timeout", "ok"]


def test_closing_the_iterator_early_kills_the_children(tmp_path: Path) -> None:
    """GIVEN a batch whose later jobs would run for a minute
    WHEN the caller takes the first result and closes the iterator
    THEN the running children are killed and reaped at once."""
    jobs = run_many(_sleep, [(0,), (60,), (60,)], timeout_seconds=90, memory_mb=100, workers=3)
    started = time.monotonic()
    first = next(jobs)
    jobs.close()
    assert first.status == "ok"
    assert time.monotonic() - started < SLACK


def test_forking_from_a_threaded_process_works() -> None:
    """GIVEN this process has another thread (asleep, as in a daemon worker)
    WHEN a sandboxed call is made
    THEN it works, with no warning about forking with threads."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        outcome = run_isolated(sum, [2, 2], timeout_seconds=5, memory_mb=100)
    finally:
        stop.set()
        thread.join()
    assert outcome.value == 4


def _start_worker() -> None:
    """Like the daemon's parse workers: one extra thread, asleep for ever."""
    threading.Thread(target=threading.Event().wait, daemon=True).start()


def _in_worker() -> tuple[str, tuple[str, ...], str, str]:
    parsed = parse_isolated(b"Referral\nfrom a worker\n", "w.txt", LIMITS)
    hung = parse_isolated(
        b"<table>" + b"<tr><td>a</td><td>b</td></tr>" * 200_000 + b"</table>",
        "hung.html",
        ReadLimits(timeout_seconds=0.2),
    )
    try:
        left = str(os.waitpid(-1, os.WNOHANG))
    except ChildProcessError:
        left = "none"
    return parsed.kind, hung.warnings, left, str(threading.active_count())


def test_works_inside_a_forkserver_pool_worker() -> None:
    """GIVEN a forkserver process-pool worker with an extra sleeping thread (the daemon's setup)
    WHEN it parses a file in the sandbox, and another that hangs
    THEN the first is read, the second is cut off at its limit, and the worker has no child
    left behind."""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker) as pool:
        kind, warnings, left, threads = pool.submit(_in_worker).result(timeout=60)
    assert kind != "unreadable"
    assert warnings == ("time limit: over 0.2 s",)
    assert left == "none"
    assert int(threads) >= 2


class _Interrupted(Exception):
    pass


def _raise_interrupted(_signum: int, _frame: object) -> None:
    raise _Interrupted


def test_an_interrupted_caller_leaves_no_child() -> None:
    """GIVEN a sandboxed call that would run for 30 s
    WHEN the caller is interrupted by a signal whose handler raises (as Ctrl-C does)
    THEN the exception reaches the caller at once and the child is killed and reaped."""
    previous = signal.signal(signal.SIGUSR1, _raise_interrupted)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGUSR1))
    started = time.monotonic()
    try:
        timer.start()
        with pytest.raises(_Interrupted):
            run_isolated(_sleep, 30, timeout_seconds=60, memory_mb=100)
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)
    assert time.monotonic() - started < SLACK


_ORPHAN_SCRIPT = """
import os, sys, time
from parsers.sandbox import run_isolated

def child() -> None:
    with open(sys.argv[1], "w") as out:
        out.write(str(os.getpid()))
    time.sleep(60)

run_isolated(child, timeout_seconds=120, memory_mb=100)
"""


_NEXT_USER_SCRIPT = """
from parsers.sandbox import run_isolated

assert run_isolated(int, "7", timeout_seconds=10, memory_mb=100).value == 7
"""


def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    """GIVEN a process (a parse worker, say) waiting on a sandboxed child
    WHEN that process is killed with SIGKILL, so nobody will ever read the child's result
    THEN the child dies too instead of running on as an orphan, and the scratch folder the
    dead process could not delete is deleted by the next process that uses the sandbox."""
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT, str(pid_file)], cwd=Path(__file__).parents[2]
    )
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the sandboxed child never started"
            assert parent.poll() is None, "the parent process failed"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        parent.kill()
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 3
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
    stale = list(Path(tempfile.gettempdir()).glob(f"cspoc-sandbox-{parent.pid}-*"))
    assert stale, "the killed process's scratch folder should still be there"
    subprocess.run(
        [sys.executable, "-c", _NEXT_USER_SCRIPT], cwd=Path(__file__).parents[2], check=True
    )
    assert not any(folder.exists() for folder in stale)
