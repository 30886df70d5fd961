"""Every error the service raises on purpose, grouped by how a caller reacts to it.

::

    IntakeError                      root: the CLI prints str(error) on one line and exits 1
    ├── ConfigError                  bad or missing setting; carries .key; the message says the fix
    ├── StoreError                   the database cannot be used as asked
    │   ├── SchemaOutOfDate          the database needs `intake db upgrade`
    │   ├── NotFound                 no ledger row with that id; carries .ref
    │   ├── ExceptionNotFound        no exception with that id; carries .ref
    │   └── LockHeld                 another daemon holds the mailbox lock; carries .name, .owner
    ├── RuleError                    a mailbox rule cannot be saved or used as given
    │   ├── RuleInvalid              a rule breaks the rule language; carries .rule and every
    │   │                            problem (.problems), each saying the fix
    │   ├── RuleNotFound             no mailbox rule with that name; carries .rule
    │   └── RulesFileInvalid         a rules YAML file has problems (nothing was changed); carries
    │                                .path and .problems
    ├── SourceError                  a mailbox cannot be read right now (transient: retry next poll)
    │   ├── SourceConnectError       connect, TLS or login failed; carries .mailbox
    │   └── SourceProtocolError      the server answered something we cannot use; carries .mailbox
    │                                and .folder
    ├── AccountError                 a web account cannot be created or changed as asked; carries
    │   │                            .field (name, role, password) and .problem (the fix)
    │   └── UserNotFound             no account with that name; carries .name
    ├── ReportError                  the daily report cannot be built or sent; carries .day
    │   ├── SendFailed               SMTP refused, unreachable, auth failed or timed out
    │   │                            (transient: retried with back-off)
    │   └── AlreadySent              that day's report was sent (or may have been); --force
    └── MessageError                 one message cannot be processed (recorded on its ledger row)
        ├── MalformedMessage         the bytes are not readable mail (permanent until reprocessed);
        │                            carries .ref
        ├── MessageTooLarge          over `limits.max_message_bytes`; never downloaded whole;
        │                            carries .ref and .size
        ├── RawExpired               the stored copy has passed its retention and was deleted;
        │                            carries .ref
        ├── CallMailInvalid          a mailbox rule routed it as a call, but its body holds no
        │                            valid call (names the fields, never their values)
        └── WorkerCrashed            a parse worker process died on it (transient: retried);
                                     carries .ref

Third-party errors (imaplib, smtplib, ssl, socket, SQLAlchemy) are wrapped with
``raise ... from err`` at the boundary that knows the context, so a caller never needs to import
those libraries to react.
No message text here may contain personal data: only ids, hashes, keys, counts and codes.
"""

from __future__ import annotations


class IntakeError(Exception):
    """Root of every error the service raises on purpose."""


class ConfigError(IntakeError):
    """A setting is missing, malformed or unsafe; the message names the key and the fix."""

    def __init__(self, key: str, problem: str, fix: str) -> None:
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(f"config {key}: {problem}; {fix}")


class StoreError(IntakeError):
    """The database cannot be used as asked."""


class SchemaOutOfDate(StoreError):
    """The database schema is older (or newer) than this release expects."""


class NotFound(StoreError):
    """No ledger row matches the reference given."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no message with id {ref} in the ledger; `intake messages` lists them")


class ExceptionNotFound(StoreError):
    """No exception has the id given."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no exception with id {ref}; `intake exceptions --status all` lists them")


class LockHeld(StoreError):
    """Another process holds the named lock (two daemons never poll one mailbox at once)."""

    def __init__(self, name: str, owner: str) -> None:
        self.name = name
        self.owner = owner
        super().__init__(
            f"lock {name} is held by {owner}; stop that process first, or wait for its lease to end"
        )


class SourceError(IntakeError):
    """A mailbox cannot be read right now; the next poll tries again."""

    def __init__(self, mailbox: str, problem: str) -> None:
        self.mailbox = mailbox
        super().__init__(f"mailbox {mailbox}: {problem}")


class SourceConnectError(SourceError):
    """Connecting, negotiating TLS or logging in failed."""


class SourceProtocolError(SourceError):
    """The server gave an answer the service cannot use."""

    def __init__(self, mailbox: str, folder: str, problem: str) -> None:
        self.folder = folder
        super().__init__(mailbox, f"folder {folder}: {problem}")


class AccountError(IntakeError):
    """A web account cannot be created or changed as asked; ``problem`` says the fix."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class UserNotFound(AccountError):
    """No web account has the name given."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__("name", f"no user named {name!r}; `intake users list` shows them")


class ReportError(IntakeError):
    """A day's exceptions report cannot be built or sent."""

    def __init__(self, day: str, problem: str) -> None:
        self.day = day
        self.problem = problem
        super().__init__(f"report {day}: {problem}")


class SendFailed(ReportError):
    """The mail server refused the report, could not be reached, or timed out."""


class AlreadySent(ReportError):
    """The report was sent already (or a crash left it in doubt); only --force sends it again."""


class MessageError(IntakeError):
    """One message cannot be processed; the reason goes on its ledger row."""

    #: Whether retrying later (without anyone changing anything) could succeed.
    transient = False

    def __init__(self, ref: str, problem: str) -> None:
        self.ref = ref
        super().__init__(f"message {ref}: {problem}")


class MalformedMessage(MessageError):
    """The bytes are not readable mail: stored as far as they could be read, marked failed."""


class MessageTooLarge(MessageError):
    """Over the configured size cap; recorded without downloading it whole."""

    def __init__(self, ref: str, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            ref, f"too large: {size} bytes over the limit of {limit} (limits.max_message_bytes)"
        )


class RawExpired(MessageError):
    """The raw copy has passed its retention period, so the message cannot be re-read."""

    def __init__(self, ref: str) -> None:
        super().__init__(
            ref, "stored copy expired (storage.raw_retention_days); the mailbox still has it"
        )


class WorkerCrashed(MessageError):
    """A parse worker process died while it had this message (retried a bounded number of times)."""

    transient = True


class RuleError(IntakeError):
    """A mailbox rule cannot be saved, found or used as given."""


class RuleInvalid(RuleError):
    """A mailbox rule breaks the rule language: every problem is listed, each with its fix.

    ``str()`` is one line saying what to do, then one line per problem.
    """

    def __init__(self, rule: str, problems: list[str] | tuple[str, ...]) -> None:
        self.rule = rule
        self.problems = tuple(problems)
        count = len(self.problems)
        head = (
            f"rule {rule!r} was not saved: {count} problem{'s' if count != 1 else ''}; "
            "fix and run the command again"
        )
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class RuleNotFound(RuleError):
    """No mailbox rule has the name given."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        super().__init__(f"no mailbox rule named {rule!r}; `intake rules list` shows them")


class RulesFileInvalid(RuleError):
    """A rules file (YAML) has problems; nothing was changed. One line, then each problem."""

    def __init__(self, path: str, problems: list[str] | tuple[str, ...]) -> None:
        self.path = path
        self.problems = tuple(problems)
        count = len(self.problems)
        head = (
            f"{path} was not imported, nothing changed: {count} "
            f"problem{'s' if count != 1 else ''}; fix them and import the file again"
        )
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class CallMailInvalid(MessageError):
    """A mailbox rule routed the message as a call, but its body holds no valid call.

    The reason names the missing or bad fields, never their values.
    """
