"""Checks on the child processes a test leaves behind."""

from __future__ import annotations

import os


def assert_no_child_left() -> None:
    """No child of this process has exited without being reaped."""
    try:
        pid, _status = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return
    assert pid == 0, f"child {pid} was left as a zombie"
