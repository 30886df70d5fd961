"""Attachments in, known kinds and canonical referral-form fields out.

``parse_bytes(data, filename)`` is the whole interface: it sniffs the format, hands the bytes to
that format's reader (``docx``, ``pdf``, ``legacy``, ``text``: each ``read(data, limits) ->
Layout``), classifies the layout (``classify``) and, for a referral form, reads its fields
(``forms``). It never raises: whatever goes wrong becomes kind ``unreadable`` with a reason.
:mod:`parsers.sandbox` runs the same call in a child process with time and memory limits.

This package never imports ``intake``: it knows nothing of mail, databases or configuration.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

from parsers.base import ReadLimits, Unreadable
from parsers.fields import ChildRecord, ParsedAttachment
from parsers.layout import Layout

__all__ = ["ParsedAttachment", "ReadLimits", "forget", "parse_bytes", "parse_file", "sniff"]

log = logging.getLogger("parsers")

#: Kinds of tool whose subject child is read, so a tool sent on its own finds its referral.
TOOL_KINDS = frozenset({"gcp", "brook_tool", "exploitation_tool"})

_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)
_TEXT_SUFFIXES = {".txt", ".text", ".csv", ".htm", ".html", ".md"}
_LEGACY_SUFFIXES = {".doc", ".rtf", ".odt", ".dot", ".wpd", ".docm", ".dotx"}


def sniff(data: bytes, filename: str) -> str:
    """The format to read ``data`` as: docx, pdf, ole, rtf, odt, zip, image, text or unknown.

    Content decides; the file name only breaks ties (a ``.doc`` that is really DOCX is DOCX).
    """
    head = data[:8]
    suffix = Path(filename).suffix.lower()
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"[Content_Types].xml" in data[:4096] or b"word/" in data[:65536]:
            return "docx"
        if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
            return "odt"
        return "docx" if suffix in {".docx", ".docm", ".dotx"} else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        return "rtf"
    for magic, _name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return "image"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in _LEGACY_SUFFIXES:
        return "legacy"
    if data and b"\x00" not in data[:4096]:
        try:
            data[:4096].decode("utf-8")
        except UnicodeDecodeError:
            return "unknown"
        return "text"
    return "unknown"


def parse_bytes(data: bytes, filename: str, limits: ReadLimits | None = None) -> ParsedAttachment:
    """Classify and read one attachment, in this process; never raises."""
    from parsers import classify, forms

    limits = limits or ReadLimits()
    digest = hashlib.sha256(data).hexdigest()
    name = Path(filename).name or filename
    try:
        layout = _read(data, name, limits)
    except Unreadable as err:
        return ParsedAttachment.unreadable(name, digest, err.reason)
    except RecursionError:
        return ParsedAttachment.unreadable(name, digest, "corrupt: nested too deeply")
    except MemoryError:
        return ParsedAttachment.unreadable(name, digest, "too large: memory limit")
    except Exception as err:  # a reader bug or a library's surprise: never the caller's problem
        log.warning("reader failed on %s: %s", digest[:12], type(err).__name__)
        return ParsedAttachment.unreadable(name, digest, f"corrupt: {type(err).__name__}")
    try:
        kind, template, notes = classify.classify(layout, name)
        if kind == "rfs":
            return forms.read_form(layout, name, digest, template, notes)
        if kind == "other":
            # A referral form under a title nobody has listed still asks a referral form's
            # questions: read it, and keep it as one if it answers enough of them.
            form = forms.read_form(layout, name, digest, "unknown", notes)
            if forms.looks_like_referral(form):
                return dataclasses.replace(
                    form, warnings=(*form.warnings, "kind: read as a referral form from its fields")
                )
        children: tuple[ChildRecord, ...] = ()
        if kind in TOOL_KINDS:
            # A GCP or tool names the child it is about: the rule book links it to the
            # referral with it.
            children = tuple(
                child
                for child in forms.read_form(layout, name, digest, "unknown", notes).children
                if child.surname and (child.forenames or child.dob)
            )
        return ParsedAttachment(
            file=name,
            sha256=digest,
            kind=kind,
            template=template,
            children=children,
            warnings=tuple(layout.warnings) + tuple(notes),
            pages=layout.pages,
        )
    except RecursionError:
        return ParsedAttachment.unreadable(name, digest, "corrupt: nested too deeply")
    except Exception as err:
        log.warning("form reading failed on %s: %s", digest[:12], type(err).__name__)
        return ParsedAttachment(
            file=name,
            sha256=digest,
            kind="other",
            warnings=(f"not read: {type(err).__name__}",),
            pages=layout.pages,
        )


def forget() -> None:
    """Empty the label caches, as a fresh sandboxed child starts (for honest benchmarks)."""
    from parsers import forms, labels

    for cached in (
        labels.meaning,
        labels.section_of,
        labels.concern_of_option,
        labels._keys,
        forms._pairs_in,
        forms._label_like_text,
    ):
        cached.cache_clear()


def parse_file(path: str | Path, limits: ReadLimits | None = None) -> ParsedAttachment:
    """:func:`parse_bytes` on a file's contents (an unreadable file gives ``unreadable``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return ParsedAttachment.unreadable(
            path.name, hashlib.sha256(b"").hexdigest(), f"cannot open: {err.strerror or err}"
        )
    return parse_bytes(data, path.name, limits)


def _read(data: bytes, name: str, limits: ReadLimits) -> Layout:
    # Each reader is imported only when its format turns up: a broken one cannot stop the rest.
    fmt = sniff(data, name)
    if not data:
        raise Unreadable("empty file")
    if fmt == "docx":
        from parsers import docx

        return docx.read(data, limits, filename=name)
    if fmt == "pdf":
        from parsers import pdf

        return pdf.read(data, limits, filename=name)
    if fmt in {"ole", "rtf", "odt", "legacy"}:
        from parsers import legacy

        return legacy.read(data, limits, filename=name)
    if fmt == "text":
        from parsers import text

        return text.read(data, limits, filename=name)
    if fmt == "image":
        raise Unreadable("no text layer: image file")
    if fmt == "zip":
        raise Unreadable("unsupported: zip archive")
    raise Unreadable("unsupported format")
