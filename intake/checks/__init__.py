"""The exception checks, one module each, in one ordered registry.

A check is a pure function of a referral's context returning hits with reasons; it never writes to
the database (the pipeline persists what it returns). The rule book lands here with the checks
issue; until then the registry is empty and every parsed message goes straight to ``checked``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One registered check: a stable kebab-case code, what it means, and the function."""

    code: str
    description: str
    run: Callable[..., Sequence[object]]


#: Every check, in the order they run. A duplicate code fails at import (start-up).
REGISTRY: tuple[Check, ...] = ()


def _assert_unique(registry: Sequence[Check]) -> None:
    seen: set[str] = set()
    for check in registry:
        if check.code in seen:
            raise RuntimeError(f"two checks share the code {check.code!r}")
        seen.add(check.code)


_assert_unique(REGISTRY)
