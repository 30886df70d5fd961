"""Shared benchmark helpers: cached corpora, statistics, child processes, result tables.

This module imports only the standard library at import time, so a measured child process that
imports it pays nothing for it in start-up time or peak RSS; the corpus builder imports the
project's synthetic-mail generator only when it has to build a corpus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
#: Prefix of the one stdout line a child process reports its measurements on.
RESULT_MARK = "BENCH-RESULT "
#: Prefix of the line ``benchmarks._hwm`` prints at a child's exit: its peak RSS in MB.
HWM_MARK = "BENCH-PEAK-RSS-MB "
#: The product code whose speed is measured (fingerprinted per run: see code_fingerprint).
CODE_DIRS = ("intake", "parsers", "migrations")
#: How often run_child samples the memory of the child's process tree.
SAMPLE_SECONDS = 0.1
MB = 1_000_000  # throughput and memory are quoted in decimal megabytes


# -- corpora -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A directory of ``.eml`` files (CRLF line ends) built once from ``bulk_corpus``."""

    directory: Path
    paths: tuple[Path, ...]
    total_bytes: int

    def head(self, n: int) -> tuple[list[Path], int]:
        """The first ``n`` files and their total size."""
        chosen = list(self.paths[:n])
        return chosen, sum(p.stat().st_size for p in chosen)


def build_corpus(
    n: int,
    *,
    seed: int = 1,
    attach_ratio: float = 0.6,
    min_kb: int = 30,
    max_kb: int = 200,
) -> Corpus:
    """``n`` messages from ``intake.synthetic.scenarios.bulk_corpus``, cached under ``.cache/``.

    The cache key is every generator argument, so a corpus is built once and reused by later
    runs (generating the 10,000-message, ~1 GB corpus takes ~15 s). A larger cached corpus with
    the same arguments is reused too: ``bulk_corpus`` is a stream, so its first ``n`` messages
    are the same whatever ``n`` was asked for.
    """
    stem = f"bulk-s{seed}-a{attach_ratio:g}-{min_kb}-{max_kb}kb"
    for candidate in sorted(CACHE.glob(f"{stem}-n*")):
        manifest = _read_manifest(candidate)
        if manifest is not None and manifest["count"] >= n:
            cached = tuple(candidate / name for name in manifest["files"][:n])
            return Corpus(candidate, cached, sum(manifest["sizes"][:n]))
    from intake.synthetic.scenarios import bulk_corpus

    target = CACHE / f"{stem}-n{n}"
    scratch = CACHE / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    started = time.perf_counter()
    names: list[str] = []
    sizes: list[int] = []
    generator = bulk_corpus(n, seed, attach_ratio, min_kb, max_kb)
    for index, raw in enumerate(generator):
        raw = _crlf(raw)
        name = f"m{index:06d}.eml"
        (scratch / name).write_bytes(raw)
        (scratch / name).chmod(0o644)  # the unprivileged Dovecot reads the hard links
        names.append(name)
        sizes.append(len(raw))
    manifest = {"count": n, "files": names, "sizes": sizes, "seed": seed}
    (scratch / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    log(
        f"built corpus {target.name}: {n} messages, {sum(sizes) / MB:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return Corpus(target, tuple(target / name for name in names), sum(sizes))


def _read_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        manifest: dict[str, Any] = json.loads((directory / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    return manifest


_BARE_LF = re.compile(rb"(?<!\r)\n")


def _crlf(raw: bytes) -> bytes:
    """IMAP messages use CRLF; ``bulk_corpus`` already does, this only guards against drift."""
    return _BARE_LF.sub(b"\r\n", raw) if b"\n" in raw.replace(b"\r\n", b"") else raw


# -- statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Median, min and max of a sample."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no values")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def fmt(self, digits: int = 2) -> str:
        """``"10.38 (9.76–11.42)"``: median, then the range."""
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


def spread(values: Sequence[float], digits: int = 2) -> str:
    return Spread.of(values).fmt(digits)


# -- child processes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """One measured child process: wall time seen from outside, memory, CPU, its report."""

    wall: float
    #: The child's own peak RSS (``VmHWM``, reported by ``benchmarks._hwm`` at its exit).
    peak_rss_mb: float
    data: dict[str, Any]
    #: User + system CPU seconds of the child and its descendants (parse workers included):
    #: the larger of ``wait4()``'s figure and the sampled per-process sum (see run_child).
    cpu: float
    #: :func:`code_fingerprint` of the code tree the child ran.
    code: str
    #: Peak of the summed RSS / PSS of the child and all its descendants (parse workers, a
    #: fork server), sampled every SAMPLE_SECONDS. RSS counts shared pages once per process (an
    #: upper bound); PSS shares them out (the fair total).
    tree_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    #: The most processes seen in the tree at once.
    tree_processes: int = 1


def code_fingerprint(root: Path = ROOT) -> str:
    """A short hash of the product's source files, to notice code edited during a run."""
    digest = hashlib.sha256()
    for directory in CODE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_code(dest: Path) -> Path:
    """Copy the product code and the benchmarks into ``dest``; children run from there.

    The work tree is shared with people editing it; a copy taken once per benchmark run means
    every measured process of that run executes the same code, and an edit made meanwhile can
    neither mix versions nor break a run half-way (a parse worker importing a half-written
    module). Children started with ``cwd=dest`` import from it: ``python -m`` puts the current
    directory ahead of the editable install's path entry.
    """
    skip = shutil.ignore_patterns("__pycache__", ".cache", "results", "*.pyc")
    for name in (*CODE_DIRS, "benchmarks"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=skip)
    return dest


def run_child(
    module: str,
    args: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    code_root: Path = ROOT,
    expect_report: bool = True,
) -> ChildRun:
    """Run ``python -m module ARGS`` in a fresh process (in ``code_root``) and collect results.

    The child runs under ``benchmarks._hwm``, which prints its own peak RSS at exit (see there
    why ``ru_maxrss`` cannot be used); a thread here samples the memory and CPU time of its
    whole process tree meanwhile. The child reports its measurements with :func:`emit`; its
    stderr is passed through.
    """
    command = [sys.executable, "-m", "benchmarks._hwm", module, *args]
    code = code_fingerprint(code_root)
    merged = dict(os.environ)
    merged.update(env or {})
    merged["PYTHONPATH"] = str(code_root)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=code_root, env=merged, stdout=subprocess.PIPE)
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    assert proc.stdout is not None
    try:
        out = proc.stdout.read()
    finally:
        proc.stdout.close()
        sampler.halt()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    what = " ".join([module, *args][:3])
    if proc.returncode != 0:
        raise RuntimeError(f"{what} exited {proc.returncode}")
    lines = out.decode(errors="replace").splitlines()
    reports = [line[len(RESULT_MARK) :] for line in lines if line.startswith(RESULT_MARK)]
    peaks = [line[len(HWM_MARK) :] for line in lines if line.startswith(HWM_MARK)]
    if not peaks or peaks[-1] == "None":
        raise RuntimeError(f"{what} did not report its peak RSS")
    # wait4() counts the child and the descendants it waited for, exactly; a fork server's
    # workers are reaped by the fork server, which nobody waits for, so their CPU would be
    # missing. The sampled sum over the tree has them (each process less its last < 0.1 s).
    peak = float(peaks[-1])
    cpu = max(usage.ru_utime + usage.ru_stime, sum(sampler.cpu_by_pid.values()))

    def result(data: dict[str, Any]) -> ChildRun:
        tree_rss = max(sampler.rss_mb, peak)
        return ChildRun(
            wall, peak, data, cpu, code, tree_rss, sampler.pss_mb or peak, sampler.processes
        )

    if not expect_report:
        return result({})
    if not reports:
        raise RuntimeError(f"{what} reported nothing")
    data: dict[str, Any] = json.loads(reports[-1])
    imported = data.get("intake_from")
    if imported and not Path(imported).is_relative_to(code_root):
        raise RuntimeError(f"{what} imported intake from {imported}, not {code_root}")
    return result(data)


class _TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants until halted."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.rss_mb = 0.0
        self.pss_mb = 0.0
        self.processes = 1
        #: The most user + system CPU seconds seen for each process of the tree.
        self.cpu_by_pid: dict[int, float] = {}
        self._stop_event = threading.Event()

    def halt(self) -> None:
        self._stop_event.set()
        self.join()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_SECONDS):
            tree = _tree(self.pid)
            pids = list(tree)
            rss = pss = 0
            for pid in pids:
                rss_kb, pss_kb = _memory_kb(pid)
                rss, pss = rss + rss_kb, pss + pss_kb
                self.cpu_by_pid[pid] = max(self.cpu_by_pid.get(pid, 0.0), tree[pid])
            self.rss_mb = max(self.rss_mb, rss * 1024 / MB)
            self.pss_mb = max(self.pss_mb, pss * 1024 / MB)
            self.processes = max(self.processes, len(pids))


_TICKS = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> dict[int, float]:
    """``root`` and every live descendant of it, from /proc, with its CPU seconds so far."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
    found: dict[int, float] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        found[pid] = cpu.get(pid, 0.0)
        todo.extend(children.get(pid, ()))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of one process in KiB, or zeros if it is gone or a zombie."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


def emit(data: Mapping[str, Any]) -> None:
    """Report a child's measurements to :func:`run_child` (one marked JSON line on stdout)."""
    data = dict(data)
    intake = sys.modules.get("intake")
    if intake is not None and getattr(intake, "__file__", None):
        data["intake_from"] = str(intake.__file__)  # run_child checks it is the snapshot
    print(RESULT_MARK + json.dumps(data), flush=True)


def vm_hwm_mb() -> float | None:
    """This process's peak RSS from /proc (``VmHWM``), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    return None


def log(text: str) -> None:
    """Progress to stderr (stdout of a child carries its report)."""
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


# -- results -------------------------------------------------------------------------------------


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def environment() -> str:
    """A few lines saying where and when the figures were taken."""
    try:
        dovecot = subprocess.run(
            ["/usr/sbin/dovecot", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        dovecot = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join(
        [
            f"- when: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; command: "
            f"`uv run python -m {' '.join(_argv())}`",
            f"- machine: {platform.platform()}, {os.cpu_count()} cores (shared), "
            f"load average at start {load}; Python {platform.python_version()}; Dovecot {dovecot}",
        ]
    )


def _argv() -> list[str]:
    module = Path(sys.argv[0]).with_suffix("").relative_to(ROOT).as_posix().replace("/", ".")
    return [module, *sys.argv[1:]]


def code_note(runs: Sequence[ChildRun]) -> str:
    """One line saying which product code was measured, loudly if it changed mid-run."""
    codes = list(dict.fromkeys(run.code for run in runs))
    if len(codes) == 1:
        return f"- product code (sha256 of intake/, parsers/, migrations/ sources): `{codes[0]}`"
    return (
        f"- **WARNING: the product code changed during this run** ({len(codes)} versions: "
        f"{', '.join(f'`{c}`' for c in codes)}); runs are not comparable, run again."
    )


def write_results(name: str, text: str) -> Path:
    """Print the Markdown report and write it to ``benchmarks/results/<name>.md``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text.rstrip() + "\n", encoding="utf-8")
    tmp.replace(path)
    print(text)
    print(f"(written to {path.relative_to(ROOT)})")
    return path
