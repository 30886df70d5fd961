"""A private, throw-away Dovecot IMAP server for tests, plus the ``dovecot`` pytest fixture."""

# How this works and why (see shared/recipes/imap-testbed.md for the measurements):
# - Every start gets a fresh temp dir: a reused one can hold a stale master.pid or root-owned
#   auth secrets that make Dovecot refuse to start.
# - Dovecot never gives mail access to uid 0, so when the tests run as root the master is
#   started as nobody/nogroup and the temp root is chowned to it. chroot() needs root, hence the
#   three empty `chroot =` lines (they make the same config work for an unprivileged developer).
# - Stop is SIGKILL to the process group: SIGTERM takes a full second per test.

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
REQUIRE_ENV = "INTAKE_TEST_REQUIRE_SERVICES"

_START_ATTEMPTS = 5
_START_TIMEOUT = 10.0
_APPENDUID = re.compile(rb"APPENDUID \d+ ([0-9:,]+)")


def _free_port() -> int:
    # Racy by nature (the port is free only until someone else binds it); start() retries.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _uid_set_to_list(text: bytes) -> list[int]:
    out: list[int] = []
    for part in text.split(b","):
        first, _, last = part.partition(b":")
        lo, hi = int(first), int(last or first)
        out.extend(range(min(lo, hi), max(lo, hi) + 1))
    return out


class DovecotError(RuntimeError):
    """The test server could not be started or administered."""


class DovecotServer:
    """One private Dovecot instance on loopback: plain IMAP (+STARTTLS) and IMAPS.

    Usable as a context manager (``with DovecotServer() as server:``) or via ``start()``/``stop()``.
    ``extra_config`` is appended to the generated dovecot.conf (e.g. an ``imap_capability`` line
    to hide MOVE from clients). ``rawlog=True`` records every command clients send (see
    :meth:`rawlog_commands`), so a test can prove what a client did and did not ask for.
    """

    host = "127.0.0.1"
    user = "test"
    password = "secret"

    def __init__(
        self, *, extra_config: str = "", rawlog: bool = False, binary: str = DOVECOT
    ) -> None:
        self.extra_config = extra_config
        self.rawlog = rawlog
        self.binary = binary
        self.port = 0
        self.imaps_port = 0
        self.root = Path()
        self._proc: subprocess.Popen[bytes] | None = None
        self._counter = 0
        if os.geteuid() == 0:
            self._run_uid = pwd.getpwnam("nobody").pw_uid
            self._run_gid = grp.getgrnam("nogroup").gr_gid
        else:
            self._run_uid, self._run_gid = os.getuid(), os.getgid()

    # ----------------------------------------------------------------- paths

    @property
    def conf(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def cafile(self) -> str:
        """The self-signed server certificate (CN/SAN localhost, 127.0.0.1): use it as the CA."""
        return str(self.root / "tls" / "cert.pem")

    @property
    def log_path(self) -> Path:
        return self.root / "log" / "dovecot.log"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def maildir(self, folder: str) -> Path:
        """The Maildir++ directory holding ``folder`` (INBOX is the user's root)."""
        base = self.root / "mail" / self.user
        if folder.upper() == "INBOX":
            return base
        return base / f".{folder}"

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server log, for assertion messages."""
        parts: list[str] = []
        for path in (self.root / "log" / "stderr.log", self.log_path):
            with contextlib.suppress(OSError):
                parts.extend(path.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(parts[-lines:]) or "(no log)"

    # ------------------------------------------------------------ lifecycle

    def start(self) -> DovecotServer:
        if self.running:
            return self
        if not Path(self.binary).exists():
            raise DovecotError(f"{self.binary} not found (apt-get install dovecot-imapd)")
        last = ""
        for _ in range(_START_ATTEMPTS):
            self._prepare()
            outcome = self._launch()
            if outcome is None:
                return self
            last = outcome
            self._teardown()
            if "in use" not in last:
                break
        raise DovecotError(f"dovecot did not start:\n{last}")

    def stop(self) -> None:
        self._teardown()

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _prepare(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="intake-dovecot-"))
        for sub in ("run", "state", "log", "tls", "mail", "rawlog"):
            (self.root / sub).mkdir()
        self.port, self.imaps_port = _free_port(), _free_port()
        while self.imaps_port == self.port:
            self.imaps_port = _free_port()
        # EC P-256: RSA-2048 generation costs ~0.3 s per test, EC ~7 ms.
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(self.root / "tls" / "key.pem"),
                "-out", self.cafile,
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        mail = self.root / "mail" / self.user
        (self.root / "passwd").write_text(
            f"{self.user}:{{PLAIN}}{self.password}:{self._run_uid}:{self._run_gid}::{mail}::\n"
        )
        self.conf.write_text(self._config())
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.lchown(path, self._run_uid, self._run_gid)

    def _config(self) -> str:
        r = self.root
        user = pwd.getpwuid(self._run_uid).pw_name
        group = grp.getgrgid(self._run_gid).gr_name
        return f"""\
# private Dovecot test instance -- nothing here refers to /etc/dovecot
instance_name = intake-test-{self.port}
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/log/dovecot.log
info_log_path = {r}/log/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{r}/tls/cert.pem
ssl_key = <{r}/tls/key.pem
ssl_client_ca_dir =
disable_plaintext_auth = no
auth_mechanisms = plain login
# A failed login normally waits 2 s before answering; tests of wrong passwords need no delay.
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {self._run_uid}
mail_location = maildir:{r}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {r}/passwd
}}
# chroot() needs root: turn it off so the same file works unprivileged
service anvil {{
  chroot =
}}
service ipc {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = {self.imaps_port}
    ssl = yes
  }}
}}
{self._rawlog_config()}
{self.extra_config}
"""

    def _rawlog_config(self) -> str:
        if not self.rawlog:
            return ""
        return f"protocol imap {{\n  rawlog_dir = {self.root}/rawlog\n}}"

    def _launch(self) -> str | None:
        """Start the master and wait for the banner; None on success, else why it failed."""
        extra: dict[str, Any] = {}
        if os.geteuid() == 0:
            extra = {"user": self._run_uid, "group": self._run_gid, "extra_groups": []}
        with open(self.root / "log" / "stderr.log", "wb") as errlog:
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=errlog,
                stderr=errlog,
                start_new_session=True,
                **extra,
            )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return self.log_tail()
            if self._banner():
                return None
            time.sleep(0.01)
        return "timed out waiting for the * OK banner\n" + self.log_tail()

    def _banner(self) -> bool:
        try:
            # Short timeout: if another program grabbed the port (the free-port race), its
            # listener stays silent while our master exits; poll() in the caller notices.
            with socket.create_connection((self.host, self.port), timeout=0.25) as sock:
                data = b""
                while not data.endswith(b"\r\n"):
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                return data.startswith(b"* OK")
        except OSError:
            return False

    def _teardown(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if self.root != Path() and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)

    def log_lines(self) -> list[str]:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace").splitlines()
        return []

    def wait_for_log(self, pattern: str, *, after: int = 0, timeout: float = 3.0) -> re.Match[str]:
        """Wait until a log line (from line index ``after`` on) matches ``pattern``.

        Dovecot writes session lines (login, logout statistics) through its log service, a
        moment after the client sees the response, so tests poll.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_lines()[after:]:
                match = regex.search(line)
                if match:
                    return match
            if time.monotonic() > deadline:
                raise AssertionError(f"no log line matches {pattern!r}:\n{self.log_tail()}")
            time.sleep(0.01)

    def rawlog_commands(self, *, timeout: float = 3.0) -> list[str]:
        """Every command line clients sent since start (or :meth:`clear_rawlog`), tags stripped.

        Needs ``rawlog=True``. Waits until each recorded session has logged out, so call it
        after the client under test has closed. Literal data (APPEND bodies) shows up as lines
        too; clear the rawlog after filling a folder.
        """
        if not self.rawlog:
            raise DovecotError("start the server with rawlog=True")
        deadline = time.monotonic() + timeout
        while True:
            texts = [p.read_bytes() for p in sorted((self.root / "rawlog").glob("*.in"))]
            if all(b" LOGOUT\r\n" in text for text in texts) or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        timed: list[tuple[float, str]] = []
        for text in texts:
            for line in text.decode("utf-8", "replace").splitlines():
                stamp, _, rest = line.partition(" ")
                _tag, _, command = rest.partition(" ")
                with contextlib.suppress(ValueError):
                    timed.append((float(stamp), command))
        return [command for _, command in sorted(timed, key=lambda item: item[0])]

    def clear_rawlog(self) -> None:
        for path in (self.root / "rawlog").iterdir():
            path.unlink()

    # --------------------------------------------------------------- admin

    def doveadm(self, *args: str, ok: tuple[int, ...] = (0,)) -> str:
        """Run ``doveadm -c <our conf> ARGS`` and return its stdout."""
        done = subprocess.run(
            [DOVEADM, "-c", str(self.conf), *args], capture_output=True, text=True, check=False
        )
        if done.returncode not in ok:
            raise DovecotError(
                f"doveadm {' '.join(args)} exited {done.returncode}: "
                f"{(done.stderr or done.stdout).strip()}"
            )
        return done.stdout

    def kick(self) -> None:
        """Disconnect every session of the test user and wait until they are gone."""
        # Exit code 68 (EX_NOUSER) just means nobody was logged in.
        self.doveadm("kick", self.user, ok=(0, 68))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.user not in self.doveadm("who"):
                return
            time.sleep(0.01)
        raise DovecotError("sessions still open after doveadm kick")

    @contextlib.contextmanager
    def client(self) -> Iterator[Any]:
        """A logged-in imapclient connection over plain IMAP on loopback (the test's own view)."""
        with IMAPClient(self.host, port=self.port, ssl=False, timeout=30) as imap:
            imap.login(self.user, self.password)
            yield imap

    def create_folder(self, name: str) -> None:
        with self.client() as imap:
            imap.create_folder(name)

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Sequence[bytes | str] = (),
        internaldate: dt.datetime | None = None,
    ) -> int:
        """APPEND one message; returns its UID (from the UIDPLUS APPENDUID response code)."""
        with self.client() as imap:
            response = imap.append(folder, raw, flags=flags, msg_time=internaldate)
        match = _APPENDUID.search(response)
        if match is None:
            raise DovecotError("APPEND gave no APPENDUID")
        return _uid_set_to_list(match.group(1))[0]

    def multiappend(self, folder: str, raws: Sequence[bytes], chunk: int = 100) -> list[int]:
        """APPEND many messages, ``chunk`` per MULTIAPPEND command (~6x faster); returns UIDs."""
        uids: list[int] = []
        with self.client() as imap:
            for start in range(0, len(raws), chunk):
                typ, data = imap.multiappend(folder, raws[start : start + chunk])
                match = _APPENDUID.search(data[0]) if typ == "OK" and data else None
                if match is None:
                    raise DovecotError(f"MULTIAPPEND failed: {typ}")
                uids.extend(_uid_set_to_list(match.group(1)))
        return uids

    def link_files(self, folder: str, paths: Iterable[str | os.PathLike[str]]) -> list[int]:
        """Hard-link pre-built .eml files into ``folder``'s Maildir ``new/``; returns the new UIDs.

        The fast way to fill 10k-100k messages (~0.3 s per 10k). The folder must exist (IMAP
        CREATE, so its directories belong to the server's user); files are made 0644 so the
        unprivileged server can read them. INTERNALDATE becomes each file's mtime. Which UID
        each file gets is the server's choice (directory order), not the order of ``paths``.
        """
        before = set(self.uids(folder))  # also makes Dovecot create INBOX's directories
        new = self.maildir(folder) / "new"
        host = socket.gethostname().replace("/", "_").replace(":", "_")
        stamp = int(time.time())
        for path in paths:
            src = Path(path)
            if src.stat().st_mode & 0o777 != 0o644:
                src.chmod(0o644)
            self._counter += 1
            name = f"{stamp}.M{self._counter}P{os.getpid()}.{host},S={src.stat().st_size}"
            try:
                os.link(src, new / name)
            except OSError as err:
                if err.errno not in (errno.EXDEV, errno.EPERM):
                    raise
                shutil.copyfile(src, new / name)  # another filesystem: copy instead
                (new / name).chmod(0o644)
        # EXAMINE makes Dovecot assign UIDs to what is in new/ (it leaves the files there).
        return sorted(set(self.uids(folder)) - before)

    def uids(self, folder: str) -> list[int]:
        with self.client() as imap:
            imap.select_folder(folder, readonly=True)
            return sorted(int(u) for u in imap.search("ALL"))

    def flags(self, folder: str) -> dict[int, tuple[bytes, ...]]:
        """Every message's flags, read through a separate EXAMINE (so reading changes nothing)."""
        with self.client() as imap:
            imap.select_folder(folder, readonly=True)
            # imapclient 4.1's fetch() cannot take "1:*" (it int()s the message set), so SEARCH.
            uids = imap.search("ALL")
            data = imap.fetch(uids, ["FLAGS"]) if uids else {}
        return {int(uid): tuple(item[b"FLAGS"]) for uid, item in data.items()}

    def reset_uidvalidity(self, folder: str) -> None:
        """Force a new UIDVALIDITY: same messages, UIDs renumbered from 1.

        Kicks every session first: deleting the index under an open session makes its next
        SELECT fail with a server bug ("duplicate transaction log sequence").
        """
        self.kick()
        box = self.maildir(folder)
        for path in [box / "dovecot-uidlist", *box.glob("dovecot.index*")]:
            path.unlink(missing_ok=True)


def require_dovecot() -> None:
    """Skip (or, with INTAKE_TEST_REQUIRE_SERVICES=1, fail) when Dovecot is not installed."""
    if Path(DOVECOT).exists() and Path(DOVEADM).exists():
        return
    why = f"{DOVECOT} not installed (apt-get install dovecot-imapd)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{why}; {REQUIRE_ENV}=1 forbids skipping")
    pytest.skip(why)


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    """A started private Dovecot, fresh for each test, killed afterwards."""
    require_dovecot()
    with DovecotServer() as server:
        yield server
