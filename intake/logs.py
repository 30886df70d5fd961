"""Logging set-up: text or JSON lines, each carrying the current poll's correlation id.

Log records carry ids, hashes, counts and codes only. Pass values through ``extra={...}``; never
format a subject, name, address or body text into a message. A test plants a name in the mail and
checks it appears in no log line.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_correlation: contextvars.ContextVar[str] = contextvars.ContextVar(
    "intake_correlation", default="-"
)
#: Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@contextmanager
def correlation(prefix: str = "poll") -> Iterator[str]:
    """Give every log line inside the block one id, so one poll's lines can be read together."""
    value = f"{prefix}-{uuid.uuid4().hex[:12]}"
    token = _correlation.set(value)
    try:
        yield value
    finally:
        _correlation.reset(token)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _correlation.get()
        return True


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and k != "correlation_id"}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        return f"{base} {extras}" if extras else base


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "correlation_id": getattr(record, "correlation_id", "-"),
            "event": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's type only: its text or traceback could quote message content.
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def setup(level: str = "INFO", fmt: str = "text") -> None:
    """Send the service's logs to stderr in the chosen format (idempotent)."""
    root = logging.getLogger("intake")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            TextFormatter("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s")
        )
    root.addHandler(handler)
    root.setLevel(level.upper())
    root.propagate = False
