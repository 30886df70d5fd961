"""Old and other word-processor formats (.doc, .rtf, .odt, …) → :class:`~parsers.layout.Layout`.

Nothing here reads these formats itself: LibreOffice converts the file to DOCX and
:func:`parsers.docx.read` reads that. Before LibreOffice is started, cheap checks refuse what it
could not convert anyway:

* an OLE compound file (``.doc`` and friends) with the streams ``EncryptionInfo`` or
  ``EncryptedPackage`` is a password-protected Office 2007+ file → ``encrypted``; a Word 97-2003
  document whose FIB has ``fEncrypted`` set (bit 0x01 of byte 0x0B of the ``WordDocument``
  stream) → ``encrypted``; any other OLE file without a ``WordDocument`` stream (a spreadsheet,
  an Outlook item) → ``unsupported: OLE file is not a Word document``;
* an ODT must pass :func:`parsers.archive.check_zip`, and one whose ``META-INF/manifest.xml``
  holds ``encryption-data`` → ``encrypted``.

LibreOffice (``limits.soffice``, else ``soffice`` or ``libreoffice`` on ``PATH``; ``none``
switches conversion off) runs headless in a private temporary directory with a user profile of
its own (so conversions can run side by side and nothing is left behind), with the file named
``input.<ext>`` (never the sender's file name), its output discarded (it could quote the file),
a wall-clock limit of ``limits.timeout_seconds`` and an address-space limit of
:data:`SOFFICE_MEMORY_MB` MiB. On time-out its whole process tree is killed, and the socket it
leaves in ``/tmp`` is removed. Inside :mod:`parsers.sandbox` LibreOffice shares the sandboxed
child's process group, so a sandbox time-out kills it too, and the temporary folder (which holds
a copy of the attachment) is inside the child's scratch folder, which the sandbox deletes
whatever happened (see :func:`forget_conversions`).

Reasons raised (as :class:`~parsers.base.Unreadable`): ``encrypted``; ``unsupported: .doc needs
LibreOffice (apt install libreoffice-writer-nogui)``; ``unsupported: .doc (LibreOffice conversion
switched off)``; ``time limit: conversion over N s``; ``corrupt: LibreOffice could not convert
.doc``; ``corrupt: damaged OLE file``; plus whatever :func:`parsers.docx.read` raises.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import olefile  # type: ignore[import-untyped]

from parsers import archive
from parsers.base import ReadLimits, Unreadable
from parsers.layout import Layout

__all__ = [
    "INSTALL_HINT",
    "SOFFICE_MEMORY_MB",
    "convert_to_docx",
    "forget_conversions",
    "is_encrypted_ole",
    "read",
]

#: What to install for the conversions (Debian's package without the desktop parts).
INSTALL_HINT = "apt install libreoffice-writer-nogui"
#: Prefix of the temporary folder of each conversion.
SCRATCH_PREFIX = "cspoc-lo-"
#: Address space LibreOffice may use (it maps about 500 MiB just to start).
SOFFICE_MEMORY_MB = 2048

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAMS = {"encryptioninfo", "encryptedpackage"}
_FIB_FLAGS_HIGH_BYTE = 0x0B
_F_ENCRYPTED = 0x01
_ODF_MANIFEST = "META-INF/manifest.xml"
_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")


def read(data: bytes, limits: ReadLimits, *, filename: str = "") -> Layout:
    """Read a .doc, .rtf, .odt (or another format LibreOffice knows) through LibreOffice."""
    suffix = _suffix(data, filename)
    if data.startswith(_OLE_MAGIC):
        _check_ole(data)
    elif data.startswith(_ZIP_MAGIC):
        _check_odf(data, limits)
    converted = convert_to_docx(data, suffix, limits)
    from parsers import docx

    return docx.read(converted, limits, filename=filename)


def is_encrypted_ole(data: bytes) -> bool:
    """True for a password-protected Office file (OOXML in OLE, or an encrypted Word .doc)."""
    try:
        _check_ole(data)
    except Unreadable as err:
        return err.reason == "encrypted"
    return False


def convert_to_docx(data: bytes, suffix: str, limits: ReadLimits) -> bytes:
    """DOCX bytes of ``data`` (a file of type ``suffix``, e.g. ``.doc``), made by LibreOffice."""
    soffice = _find_soffice(limits, suffix)
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        outdir.mkdir()
        profile = (work / "profile").as_uri()
        command = [
            "/bin/sh",
            "-c",
            # Raise (or lower) only the soft limit: a sandboxed caller's cap is sized for Python.
            f'ulimit -S -v {SOFFICE_MEMORY_MB * 1024} 2>/dev/null; exec "$0" "$@"',
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": tmp,
            "TMPDIR": tmp,
            "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
        }
        try:
            try:
                process = subprocess.Popen(
                    command,
                    cwd=tmp,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as err:
                raise Unreadable(_missing(suffix)) from err
            try:
                process.wait(timeout=limits.timeout_seconds)
            except subprocess.TimeoutExpired:
                _kill_tree(process.pid)
                process.wait()
                raise Unreadable(
                    f"time limit: conversion over {limits.timeout_seconds:g} s"
                ) from None
            except BaseException:
                _kill_tree(process.pid)
                process.wait()
                raise
        finally:
            _remove_ipc_pipe(profile)
        output = outdir / "input.docx"
        if process.returncode != 0 or not output.is_file() or output.stat().st_size == 0:
            raise Unreadable(f"corrupt: LibreOffice could not convert {suffix}")
        return output.read_bytes()


def forget_conversions(root: Path) -> None:
    """Remove what killed conversions under ``root`` left outside it (their IPC sockets).

    For a caller that kills a process mid-conversion, before it deletes ``root`` (the
    conversions' temporary folders live there): LibreOffice makes a socket in ``/tmp`` named
    after its profile and removes it only when it exits cleanly.
    """
    for profile in root.glob(f"{SCRATCH_PREFIX}*/profile"):
        _remove_ipc_pipe(profile.as_uri())


def _remove_ipc_pipe(profile_url: str) -> None:
    """Delete LibreOffice's single-instance socket for this profile, if it is still there.

    LibreOffice names it ``OSL_PIPE_<uid>_SingleOfficeIPC_<md5>`` in ``/tmp`` (``/var/tmp`` if
    ``/tmp`` is unusable), the MD5 taken over the profile URL in UTF-16 and written as hex
    without zero padding.
    """
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    name = f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest)
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - LibreOffice's fixed locations
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, name))


def _find_soffice(limits: ReadLimits, suffix: str) -> str:
    configured = limits.soffice.strip()
    if configured.lower() == "none":
        raise Unreadable(f"unsupported: {suffix} (LibreOffice conversion switched off)")
    if configured:
        found = shutil.which(configured)
    else:
        found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise Unreadable(_missing(suffix))
    return found


def _missing(suffix: str) -> str:
    return f"unsupported: {suffix} needs LibreOffice ({INSTALL_HINT})"


def _suffix(data: bytes, filename: str) -> str:
    """The extension to name the file by: its own when sensible, else one from its content."""
    own = Path(filename).suffix.lower()
    if data.startswith(_OLE_MAGIC):
        return own if own in {".doc", ".dot", ".wps", ".wpd"} else ".doc"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        return ".rtf"
    if data.startswith(_ZIP_MAGIC):
        return own if own in {".odt", ".ott", ".sxw", ".docm", ".dotx"} else ".odt"
    return own if _SAFE_SUFFIX.fullmatch(own) else ".doc"


def _check_ole(data: bytes) -> None:
    """Raise ``Unreadable`` for an encrypted, damaged or non-Word OLE compound file."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            names = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
            if names & _ENCRYPTION_STREAMS:
                raise Unreadable("encrypted")
            if not ole.exists("WordDocument"):
                raise Unreadable("unsupported: OLE file is not a Word document")
            with ole.openstream("WordDocument") as stream:
                fib = stream.read(_FIB_FLAGS_HIGH_BYTE + 1)
    except Unreadable:
        raise
    except Exception as err:  # olefile raises OSError, its own errors and worse on bad input
        raise Unreadable("corrupt: damaged OLE file") from err
    if len(fib) <= _FIB_FLAGS_HIGH_BYTE:
        raise Unreadable("corrupt: damaged OLE file")
    if fib[_FIB_FLAGS_HIGH_BYTE] & _F_ENCRYPTED:
        raise Unreadable("encrypted")


def _check_odf(data: bytes, limits: ReadLimits) -> None:
    """An ODF zip must be safe (:func:`archive.check_zip`) and not password-protected."""
    zipped = archive.check_zip(data, limits)
    if _ODF_MANIFEST not in zipped.namelist():
        return
    manifest = archive.safe_xml(archive.read_member(zipped, _ODF_MANIFEST))
    for element in manifest.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.rsplit("}", 1)[-1] == "encryption-data":
            raise Unreadable("encrypted")


def _kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and every process descended from it (LibreOffice is several)."""
    for victim in [*_descendants(pid), pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(victim, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """Processes below ``pid`` (Linux ``/proc``; an empty list elsewhere)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            parent = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found: list[int] = []
    queue = list(children.get(pid, []))
    while queue:
        child = queue.pop()
        found.append(child)
        queue.extend(children.get(child, []))
    return found
