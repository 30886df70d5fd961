"""Debian's Chromium for the Playwright tests (offline): where it is and the flags it runs with.

See shared/recipes/browser-tests.md for the flags.
"""

from __future__ import annotations

import os
from typing import Any

from tests.conftest import unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def launch_args() -> dict[str, Any]:
    """``executable_path`` and ``args`` for ``launch``; skips (fails in CI) with no Chromium."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return {"executable_path": CHROMIUM, "args": ARGS}
