"""Run a module as ``__main__`` and, at exit, report this process's peak RSS (``VmHWM``).

    python -m benchmarks._hwm MODULE [ARGS...]

Why not ``ru_maxrss`` from ``wait4()``: on Linux a child's ``ru_maxrss`` is carried over
``exec`` from the process that forked it (the kernel folds the old memory map's high-water mark
into the new program's), so a child of a 150 MB parent reports at least 150 MB even if it never
used that much. ``VmHWM`` in ``/proc/self/status`` belongs to the memory map the new program got
at ``exec``, so it is the program's own peak. ``_common.run_child`` starts every child through
this module and reads the line it prints.
"""

from __future__ import annotations

import atexit
import runpy
import sys

from benchmarks._common import HWM_MARK, vm_hwm_mb


def _report() -> None:
    print(f"{HWM_MARK}{vm_hwm_mb()}", flush=True)


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m benchmarks._hwm MODULE [ARGS...]")
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    atexit.register(_report)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
