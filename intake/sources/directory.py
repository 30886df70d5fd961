"""Mail from disk: ``.eml`` files, Maildir folders and mbox files, for `intake import` and the demo.

Files have no UIDs, so every message is listed each time and the pipeline skips paths the ledger
has already seen. A path inside an mbox file is written ``FILE#N`` (N counts from 1).
"""

from __future__ import annotations

import datetime as dt
import logging
import mailbox
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from intake.errors import SourceError, SourceProtocolError
from intake.headers import MAX_HEADER_BYTES
from intake.sources.base import Fetched, FolderState, MessageRef, PostAction

log = logging.getLogger("intake.sources.directory")

#: Files taken as one message each in a plain directory ("" = no suffix, as Maildir files have).
_EML_SUFFIXES = {".eml", ""}
_MBOX_SUFFIXES = {".mbox", ".mbx"}


class DirectorySource:
    """Every message under the given paths. Reading never changes a file."""

    def __init__(
        self,
        name: str,
        paths: Sequence[str | Path],
        *,
        batch_messages: int = 100,
        batch_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.name = name
        self.paths = [Path(p) for p in paths]
        self.batch_messages = batch_messages
        self.batch_bytes = batch_bytes
        for path in self.paths:
            if not path.exists():
                raise SourceError(
                    name, f"{path} does not exist; give .eml files, Maildir folders or mbox files"
                )

    def __enter__(self) -> DirectorySource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def folders(self) -> Sequence[str]:
        return [str(path) for path in self.paths]

    def state(self, folder: str) -> FolderState:
        return FolderState(folder, None, None, None)

    def list_new(self, folder: str, uidvalidity: int | None, after_uid: int) -> list[MessageRef]:
        root = Path(folder)
        refs: list[MessageRef] = []
        if root.is_dir() and _is_maildir(root):
            for sub in ("cur", "new"):
                refs.extend(self._file_ref(folder, p) for p in _files(root / sub))
        elif root.is_dir():
            for path in _files(root, recursive=True):
                if _is_maildir(path.parent.parent) and path.parent.name in {"cur", "new"}:
                    refs.append(self._file_ref(folder, path))
                elif path.suffix.lower() in _MBOX_SUFFIXES:
                    refs.extend(self._mbox_refs(folder, path))
                elif path.suffix.lower() in _EML_SUFFIXES:
                    refs.append(self._file_ref(folder, path))
        elif root.suffix.lower() in _MBOX_SUFFIXES or _looks_like_mbox(root):
            refs.extend(self._mbox_refs(folder, root))
        else:
            refs.append(self._file_ref(folder, root))
        return refs

    def _file_ref(self, folder: str, path: Path) -> MessageRef:
        stat = path.stat()
        return MessageRef(
            self.name,
            folder,
            None,
            None,
            str(path),
            stat.st_size,
            None,
            dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC),
        )

    def _mbox_refs(self, folder: str, path: Path) -> list[MessageRef]:
        stat = path.stat()
        mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
        box = mailbox.mbox(path, create=False)
        try:
            box.lock = lambda: None  # type: ignore[method-assign]  # read-only: never lock or write
            refs = []
            for position, key in enumerate(box.keys(), start=1):
                size = len(box.get_bytes(key))
                refs.append(
                    MessageRef(
                        self.name, folder, None, None, f"{path}#{position}", size, None, mtime
                    )
                )
            return refs
        except (OSError, mailbox.Error) as err:
            raise SourceProtocolError(
                self.name, folder, f"mbox unreadable ({type(err).__name__})"
            ) from err
        finally:
            box.close()

    def fetch(self, refs: Sequence[MessageRef], max_bytes: int) -> Iterator[list[Fetched]]:
        batch: list[Fetched] = []
        held = 0
        boxes: dict[str, tuple[mailbox.mbox, list[str]]] = {}
        try:
            for ref in refs:
                item = self._read(ref, max_bytes, boxes)
                size = len(item.raw) if item.raw is not None else 0
                if batch and (len(batch) >= self.batch_messages or held + size > self.batch_bytes):
                    yield batch
                    batch, held = [], 0
                batch.append(item)
                held += size
            if batch:
                yield batch
        finally:
            for box, _keys in boxes.values():
                box.close()

    def _read(
        self, ref: MessageRef, max_bytes: int, boxes: dict[str, tuple[mailbox.mbox, list[str]]]
    ) -> Fetched:
        assert ref.path is not None
        try:
            if _is_mbox_path(ref.path):
                file_part, _, position = ref.path.rpartition("#")
                if file_part not in boxes:
                    box = mailbox.mbox(file_part, create=False)
                    boxes[file_part] = (box, list(box.keys()))
                box, keys = boxes[file_part]
                raw = box.get_bytes(keys[int(position) - 1])
                if len(raw) > max_bytes:
                    return Fetched(ref, None, raw[:MAX_HEADER_BYTES])
                return Fetched(ref, raw)
            if ref.size > max_bytes:
                with open(ref.path, "rb") as handle:
                    return Fetched(ref, None, handle.read(MAX_HEADER_BYTES))
            return Fetched(ref, Path(ref.path).read_bytes())
        except (OSError, IndexError, mailbox.Error) as err:
            raise SourceProtocolError(
                self.name, ref.folder, f"cannot read {ref.path} ({type(err).__name__})"
            ) from err

    def apply(self, ref: MessageRef, action: PostAction) -> None:
        """Files are never changed: a post-action on disk is not supported."""
        log.debug("post-action ignored for files", extra={"action": action.kind})


def _is_mbox_path(path: str) -> bool:
    head, sep, tail = path.rpartition("#")
    return bool(sep) and tail.isdigit() and Path(head).is_file()


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _files(root: Path, recursive: bool = False) -> list[Path]:
    if not root.is_dir():
        return []
    if not recursive:
        return sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith("."))
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "tmp")
        found.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return found


def _looks_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False
