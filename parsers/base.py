"""What every format reader shares: its limits and the one way it says "I cannot read this".

A reader is a module with ``read(data: bytes, limits: ReadLimits, *, filename: str = "") ->
Layout``. It raises
:class:`Unreadable` with a short reason (``encrypted``, ``corrupt``, ``no text layer``…) and
nothing else on purpose; :func:`parsers.parse_bytes` turns any other exception into an
``unreadable`` result too, so no reader can take the caller down.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    """Caps on one parse; the daemon fills these from its ``[limits]`` configuration."""

    #: Wall-clock seconds for one file, enforced by the sandbox (the child is killed).
    timeout_seconds: float = 20.0
    #: Address space the sandboxed child may add to what it inherits from its parent, in MiB.
    memory_mb: int = 1024
    #: Pages read from a PDF (more are ignored, with a warning).
    max_pages: int = 100
    #: Total decompressed size allowed inside a DOCX/ODT zip, in bytes.
    max_decompressed_bytes: int = 200 * 1024 * 1024
    #: Largest decompressed/compressed ratio of a zip member before it is called a bomb.
    max_compression_ratio: int = 200
    #: LibreOffice's ``soffice`` for .doc/.rtf/.odt; empty: look on PATH; ``none``: never convert.
    soffice: str = ""


class Unreadable(Exception):
    """The file cannot be read; ``reason`` is short, safe to log, and names no content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
