"""The IMAP mail source: read-only listing and fetching over imapclient, plus post-actions."""

# Rules this module keeps, and why:
# - Reading never changes the mailbox: folders are opened with EXAMINE, bodies fetched with
#   BODY.PEEK, nothing is ever selected by UNSEEN. The team keeps working the same mailbox by
#   hand, and \Seen is their signal, not ours.
# - Error and log text carries the mailbox, folder, UIDs and counts only. Server replies and
#   exception texts can echo message content (imaplib's "unexpected response" quotes the line),
#   so only response codes (e.g. [AUTHENTICATIONFAILED]) and error class names are passed on.
#   The original exception stays reachable as __cause__ for a developer at a debugger.

from __future__ import annotations

import datetime as dt
import errno
import imaplib
import ipaddress
import logging
import re
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import Any

from imapclient import IMAPClient

from intake.errors import SourceConnectError, SourceError, SourceProtocolError
from intake.sources.base import Fetched, FolderState, MessageRef, PostAction

log = logging.getLogger("intake.sources.imap")

TLS_MODES = ("implicit", "starttls", "plain")
#: How much of an oversized message's header block is fetched (enough for its Message-ID).
HEADER_BYTES = 64 * 1024
#: UIDs per metadata FETCH in list_new: keeps each command line well under server limits.
LIST_CHUNK = 1000

_LOOPBACK_NAMES = {"localhost"}
_RESPONSE_CODE = re.compile(r"\[([A-Z][A-Z0-9.-]*)")
# An IMAP flag-keyword is an atom: no specials, and not a system flag (those start with "\").
_KEYWORD = re.compile(r"^[!#$&'+,\-./0-9:;<=>?@A-Z^_`a-z|~]+$")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe(err: BaseException) -> str:
    """A short reason for ``err`` that cannot contain message content."""
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({err.verify_message})"
    if isinstance(err, ssl.SSLError):
        return f"TLS error ({err.reason or type(err).__name__})"
    if isinstance(err, TimeoutError):
        return "timed out"
    if isinstance(err, OSError):
        name = errno.errorcode.get(err.errno or 0)
        return name or type(err).__name__
    if isinstance(err, imaplib.IMAP4.error):
        match = _RESPONSE_CODE.search(str(err))
        code = f" [{match.group(1)}]" if match else ""
        return f"{type(err).__name__}{code}"
    return type(err).__name__


def _uid_set(uids: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1:3,7"``: compact UID set for SEARCH lines."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid != prev + 1:
            parts.append(f"{start}:{prev}" if prev != start else str(start))
            start = uid
        prev = uid
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


def _aware_utc(value: Any) -> dt.datetime:
    # With normalise_times=False imapclient keeps the server's offset (its own FixedOffset
    # tzinfo); convert to UTC so every ref carries a plain, comparable stdlib timezone.
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise TypeError("INTERNALDATE without a timezone")
    return value.astimezone(dt.UTC)


class ImapSource:
    """One IMAP mailbox, read through EXAMINE + BODY.PEEK; see :class:`MailSource`.

    Use it as a context manager: ``__enter__`` connects and logs in, ``__exit__`` logs out. If
    the connection drops, the call that noticed raises :class:`SourceConnectError` and the
    next call reconnects.
    """

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        tls: str,
        username: str,
        password: str,
        folders: Sequence[str] = ("INBOX",),
        *,
        ca_file: str | None = None,
        timeout: float = 30.0,
        batch_messages: int = 100,
        batch_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        if tls not in TLS_MODES:
            raise SourceConnectError(name, f"tls must be one of {', '.join(TLS_MODES)}")
        if tls == "plain" and not _is_loopback(host):
            # A password and children's personal data in clear text over a network: never.
            raise SourceConnectError(
                name, "tls=plain is allowed only to 127.0.0.1, ::1 or localhost"
            )
        if batch_messages < 1 or batch_bytes < 1:
            raise ValueError("batch_messages and batch_bytes must be positive")
        self.name = name
        self.host = host
        self.port = port
        self.tls = tls
        self._username = username
        self._password = password
        self._folders = tuple(folders)
        self._ca_file = ca_file
        self._timeout = timeout
        self._batch_messages = batch_messages
        self._batch_bytes = batch_bytes
        self._imap: Any = None
        self._entered = False
        #: (folder, readonly, uidvalidity) of the currently selected folder, if any.
        self._selected: tuple[str, bool, int] | None = None
        #: The untagged data of the last SELECT/EXAMINE (UIDNEXT, EXISTS, ...).
        self._last_select: dict[bytes, Any] = {}

    def __repr__(self) -> str:
        return f"ImapSource({self.name!r}, {self.host!r}:{self.port}, tls={self.tls!r})"

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> ImapSource:
        self._entered = True
        try:
            self._client()
        except BaseException:
            self._entered = False
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._entered = False
        imap, self._imap = self._imap, None
        self._selected = None
        if imap is not None:
            _close_quietly(imap)
            log.debug("mailbox %s: logged out", self.name)

    def _client(self) -> Any:
        if self._imap is None:
            if not self._entered:
                raise RuntimeError("use the source as a context manager: `with source:`")
            self._imap = self._connect()
            self._selected = None
        return self._imap

    def _connect(self) -> Any:
        context = None
        if self.tls != "plain":
            # Always verify: the certificate chain and that it names the host we dialled.
            try:
                context = ssl.create_default_context(cafile=self._ca_file)
            except OSError as err:
                raise SourceConnectError(
                    self.name, f"cannot load CA file ({_describe(err)})"
                ) from err
        log.debug("mailbox %s: connecting to %s:%d (%s)", self.name, self.host, self.port, self.tls)
        try:
            imap = IMAPClient(
                self.host,
                port=self.port,
                ssl=self.tls == "implicit",
                ssl_context=context,
                timeout=self._timeout,
            )
        except (OSError, imaplib.IMAP4.error) as err:
            raise SourceConnectError(
                self.name, f"cannot connect to {self.host}:{self.port} ({_describe(err)})"
            ) from err
        # imaplib's protocol trace (imapclient turns it on and routes it to the
        # "imapclient.imaplib" logger at DEBUG) includes whole fetched literals: message bodies.
        imap._imap.debug = 0
        # Aware datetimes with the server's offset, instead of naive local time.
        imap.normalise_times = False
        step = "STARTTLS"
        try:
            if self.tls == "starttls":
                imap.starttls(context)
            step = "LOGIN"
            imap.login(self._username, self._password)
        except (OSError, imaplib.IMAP4.error) as err:
            _close_quietly(imap)
            raise SourceConnectError(self.name, f"{step} failed ({_describe(err)})") from err
        log.debug("mailbox %s: logged in", self.name)
        return imap

    def _drop(self) -> None:
        imap, self._imap = self._imap, None
        self._selected = None
        if imap is not None:
            _close_quietly(imap)

    @contextmanager
    def _guard(self, folder: str, what: str) -> Iterator[None]:
        """Turn library errors into SourceErrors; forget a broken connection."""
        try:
            yield
        except SourceError:
            raise
        except imaplib.IMAP4.readonly as err:
            # Subclass of abort, but the connection is fine: the folder went read-only.
            self._selected = None
            raise SourceProtocolError(self.name, folder, f"{what} ({_describe(err)})") from err
        except (imaplib.IMAP4.abort, OSError) as err:
            self._drop()
            raise SourceConnectError(
                self.name, f"connection lost during {what} in folder {folder} ({_describe(err)})"
            ) from err
        except imaplib.IMAP4.error as err:
            raise SourceProtocolError(
                self.name, folder, f"{what} failed ({_describe(err)})"
            ) from err

    def _select(self, folder: str, *, readonly: bool, force: bool = False) -> int:
        """EXAMINE (or SELECT) ``folder`` unless it already is; returns its UIDVALIDITY."""
        if not force and self._selected and self._selected[:2] == (folder, readonly):
            return self._selected[2]
        imap = self._client()
        self._selected = None
        with self._guard(folder, "SELECT" if not readonly else "EXAMINE"):
            info = imap.select_folder(folder, readonly=readonly)
        uidvalidity = info.get(b"UIDVALIDITY")
        if not isinstance(uidvalidity, int):
            raise SourceProtocolError(self.name, folder, "server sent no UIDVALIDITY")
        self._selected = (folder, readonly, uidvalidity)
        self._last_select = info
        return uidvalidity

    # ---------------------------------------------------------------- reading

    def folders(self) -> Sequence[str]:
        return self._folders

    def state(self, folder: str) -> FolderState:
        imap = self._client()
        # STATUS: one round trip, no SELECT; this is the idle-poll path.
        with self._guard(folder, "STATUS"):
            status = imap.folder_status(folder, [b"UIDNEXT", b"UIDVALIDITY", b"MESSAGES"])
        try:
            return FolderState(
                folder=folder,
                uidvalidity=int(status[b"UIDVALIDITY"]),
                uidnext=int(status[b"UIDNEXT"]),
                exists=int(status[b"MESSAGES"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise SourceProtocolError(self.name, folder, "incomplete STATUS reply") from err

    def list_new(self, folder: str, uidvalidity: int | None, after_uid: int) -> list[MessageRef]:
        """UIDs above ``after_uid`` in ``folder``, oldest first (``uidvalidity=None``: any)."""
        if after_uid < 0:
            raise ValueError("after_uid must be >= 0")
        current = self._select(folder, readonly=True, force=True)
        if uidvalidity is not None and current != uidvalidity:
            raise SourceProtocolError(
                self.name, folder, f"UIDVALIDITY changed from {uidvalidity} to {current}"
            )
        info = self._last_select
        uidnext = info.get(b"UIDNEXT")
        if info.get(b"EXISTS") == 0 or (isinstance(uidnext, int) and uidnext <= after_uid + 1):
            log.debug("mailbox %s folder %s: nothing after uid %d", self.name, folder, after_uid)
            return []
        imap = self._client()
        with self._guard(folder, "UID SEARCH"):
            found = imap.search(["UID", f"{after_uid + 1}:*"])
        # "n:*" always matches the highest UID, even when it is below n: filter.
        uids = sorted(int(uid) for uid in found if int(uid) > after_uid)
        refs: list[MessageRef] = []
        for start in range(0, len(uids), LIST_CHUNK):
            chunk = uids[start : start + LIST_CHUNK]
            with self._guard(folder, "UID FETCH"):
                data = imap.fetch(chunk, ["RFC822.SIZE", "INTERNALDATE"])
            for uid in chunk:
                item = data.get(uid)
                if item is None or b"RFC822.SIZE" not in item:
                    continue  # expunged since the SEARCH
                try:
                    internaldate = _aware_utc(item.get(b"INTERNALDATE"))
                    size = int(item[b"RFC822.SIZE"])
                except (TypeError, ValueError) as err:
                    raise SourceProtocolError(
                        self.name, folder, f"bad FETCH metadata for uid {uid}"
                    ) from err
                refs.append(
                    MessageRef(
                        mailbox=self.name,
                        folder=folder,
                        uidvalidity=current,
                        uid=uid,
                        path=None,
                        size=size,
                        internaldate=internaldate,
                    )
                )
        log.debug(
            "mailbox %s folder %s uidvalidity %d: %d new after uid %d",
            self.name, folder, current, len(refs), after_uid,
        )  # fmt: skip
        return refs

    def fetch(self, refs: Sequence[MessageRef], max_bytes: int) -> Iterator[list[Fetched]]:
        """Yield ``Fetched`` batches bounded by ``batch_messages`` and ``batch_bytes``.

        Refs over ``max_bytes`` come back with ``raw=None`` and at most ``HEADER_BYTES`` of
        their header block. UIDs the server no longer has are skipped.
        """
        batch: list[MessageRef] = []
        batch_bytes = 0
        for ref in refs:
            if ref.uid is None or ref.uidvalidity is None:
                raise ValueError("an IMAP ref needs a uid and a uidvalidity")
            cost = ref.size if ref.size <= max_bytes else HEADER_BYTES
            if batch and (
                len(batch) >= self._batch_messages
                or batch_bytes + cost > self._batch_bytes
                or (batch[0].folder, batch[0].uidvalidity) != (ref.folder, ref.uidvalidity)
            ):
                fetched = self._fetch_batch(batch, max_bytes)
                batch, batch_bytes = [], 0
                yield fetched
                del fetched  # hold at most one batch while fetching the next
            batch.append(ref)
            batch_bytes += cost
        if batch:
            yield self._fetch_batch(batch, max_bytes)

    def _fetch_batch(self, batch: list[MessageRef], max_bytes: int) -> list[Fetched]:
        folder, expected = batch[0].folder, batch[0].uidvalidity
        # Re-EXAMINE only if something (an apply(), a reconnect) changed the selection.
        current = self._select(folder, readonly=True)
        if current != expected:
            raise SourceProtocolError(
                self.name, folder, f"UIDVALIDITY changed from {expected} to {current}"
            )
        whole = [r.uid for r in batch if r.uid is not None and r.size <= max_bytes]
        heads = [r.uid for r in batch if r.uid is not None and r.size > max_bytes]
        imap = self._client()
        bodies: dict[int, Any] = {}
        headers: dict[int, Any] = {}
        with self._guard(folder, "UID FETCH"):
            if whole:
                bodies = imap.fetch(whole, ["BODY.PEEK[]"])
            if heads:
                # A partial fetch of the header block only: the body is never transferred.
                headers = imap.fetch(heads, [f"BODY.PEEK[HEADER]<0.{HEADER_BYTES}>"])
        out: list[Fetched] = []
        for ref in batch:
            assert ref.uid is not None
            if ref.size <= max_bytes:
                raw = bodies.get(ref.uid, {}).get(b"BODY[]")
                if isinstance(raw, bytes):
                    out.append(Fetched(ref=ref, raw=raw))
                    continue
            else:
                head = headers.get(ref.uid, {}).get(b"BODY[HEADER]<0>")
                if isinstance(head, bytes):
                    out.append(Fetched(ref=ref, raw=None, headers=head[:HEADER_BYTES]))
                    continue
            log.debug("mailbox %s folder %s: uid %d gone, skipped", self.name, folder, ref.uid)
        log.debug(
            "mailbox %s folder %s: fetched %d of %d (%d over the size cap)",
            self.name, folder, len(out), len(batch), len(heads),
        )  # fmt: skip
        return out

    def list_folders(self) -> list[str]:
        """Every folder a message can be in or moved to (LIST; ``\\Noselect`` ones left out),
        for checking the folder names mailbox rules use."""
        imap = self._client()
        with self._guard("*", "LIST"):
            listed = imap.list_folders()
        names = []
        for flags, _delimiter, name in listed:
            if any(flag.lower() in (b"\\noselect", b"\\nonexistent") for flag in flags):
                continue
            names.append(name if isinstance(name, str) else name.decode("utf-8", "replace"))
        return sorted(names)

    # ------------------------------------------------------------ post-actions

    def apply(self, ref: MessageRef, action: PostAction) -> None:
        """Set a keyword, set \\Flagged, or move the message (the only writes this source does)."""
        if ref.uid is None:
            raise ValueError("an IMAP ref needs a uid")
        if action.kind not in ("keyword", "flag", "move"):
            raise ValueError(f"unknown post-action kind {action.kind!r}")
        if action.kind == "keyword" and not _KEYWORD.match(action.argument):
            raise ValueError("a keyword must be a non-empty IMAP atom not starting with '\\'")
        if action.kind == "move" and not action.argument:
            raise ValueError("a move needs a target folder")
        folder, uid = ref.folder, ref.uid
        current = self._select(folder, readonly=False, force=True)
        if current != ref.uidvalidity:
            raise SourceProtocolError(
                self.name, folder, f"UIDVALIDITY changed from {ref.uidvalidity} to {current}"
            )
        imap = self._client()
        what = f"{action.kind} on uid {uid}"
        with self._guard(folder, what):
            if action.kind == "keyword":
                done = imap.add_flags([uid], [action.argument.encode("ascii")])
            elif action.kind == "flag":
                done = imap.add_flags([uid], [b"\\Flagged"])
            elif imap.has_capability("MOVE"):
                imap.move([uid], action.argument)
                done = {uid: ()}
            elif imap.has_capability("UIDPLUS"):
                # RFC 4315: expunge exactly this UID, never other \Deleted messages.
                imap.copy([uid], action.argument)
                imap.add_flags([uid], [b"\\Deleted"])
                imap.uid_expunge([uid])
                done = {uid: ()}
            else:
                raise SourceProtocolError(
                    self.name, folder, "server offers neither MOVE nor UIDPLUS: cannot move"
                )
        if uid not in done:
            log.debug("mailbox %s folder %s: %s: uid no longer there", self.name, folder, what)
        else:
            log.debug("mailbox %s folder %s: %s done", self.name, folder, what)


def _close_quietly(imap: Any) -> None:
    """LOGOUT, or at least close the socket; never raises (the connection may be dead)."""
    try:
        imap.logout()
    except Exception:
        with suppress(Exception):
            imap.shutdown()
