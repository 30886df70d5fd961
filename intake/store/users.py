"""What the web interface asks of the database: accounts, sign-in sessions and failed sign-ins.

Only :mod:`intake.store` knows SQLAlchemy; everything handed out is a frozen value defined here.
Password hashing and the rules on names and passwords live in :mod:`intake.web.accounts` (this
module stores the hash it is given). Session tokens arrive already hashed (SHA-256 hex); the
token itself never reaches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from intake.errors import AccountError, StoreError
from intake.store.models import LoginAttemptRow, SessionRow, UserRow

if TYPE_CHECKING:
    from intake.store.ledger import Store

ROLES = ("admin", "team", "viewer")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class User:
    """One account. ``password_hash`` is here for verification only: never log or audit it."""

    id: int
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    last_login_at: dt.datetime | None
    password_hash: str

    def audit_view(self) -> dict[str, object]:
        """What the audit log may record of the account (never the hash)."""
        return {"name": self.name, "role": self.role, "disabled": self.disabled}


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser, joined with its user."""

    token_hash: str
    user: User
    csrf: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_login_at=row.last_login_at,
        password_hash=row.password_hash,
    )


class UserStore:
    """Accounts, sessions and failed sign-ins. Each public method is one transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def ping(self) -> bool:
        """Whether the database answers a trivial query (False, not an error, when it does not)."""
        try:
            with self._store._tx(read=True) as session:
                return session.scalar(select(1)) == 1
        except (SQLAlchemyError, StoreError, OSError):
            return False

    # -- accounts ---------------------------------------------------------------------------

    def get(self, name: str) -> User | None:
        with self._store._tx(read=True) as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
            return None if row is None else _user(row)

    def by_id(self, pk: int) -> User | None:
        with self._store._tx(read=True) as session:
            row = session.get(UserRow, pk)
            return None if row is None else _user(row)

    def list(self) -> list[User]:
        with self._store._tx(read=True) as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]

    def count_enabled_admins(self) -> int:
        with self._store._tx(read=True) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(UserRow)
                    .where(UserRow.role == "admin", UserRow.disabled.is_(False))
                )
                or 0
            )

    def add(self, name: str, role: str, password_hash: str) -> User:
        """Create an account (the caller checked the name is free and valid)."""
        now = _now()
        try:
            return self._add(name, role, password_hash, now)
        except IntegrityError as err:
            raise AccountError("name", "is taken; choose another name") from err

    def _add(self, name: str, role: str, password_hash: str, now: dt.datetime) -> User:
        with self._store._tx() as session:
            row = UserRow(
                name=name,
                role=role,
                password_hash=password_hash,
                disabled=False,
                created_at=now,
                updated_at=now,
                last_login_at=None,
            )
            session.add(row)
            session.flush()
            return _user(row)

    def update(
        self,
        pk: int,
        *,
        role: str | None = None,
        password_hash: str | None = None,
        disabled: bool | None = None,
    ) -> User:
        """Change an account. Disabling it (or setting a new password) ends its sessions."""
        with self._store._tx() as session:
            row = session.get(UserRow, pk)
            if row is None:
                raise LookupError(pk)
            if role is not None:
                row.role = role
            if password_hash is not None:
                row.password_hash = password_hash
            if disabled is not None:
                row.disabled = disabled
            row.updated_at = _now()
            if disabled or password_hash is not None:
                session.execute(delete(SessionRow).where(SessionRow.user_pk == pk))
            session.flush()
            return _user(row)

    def set_hash(self, pk: int, password_hash: str) -> None:
        """Store a rehashed password (same password, newer parameters); sessions stay."""
        with self._store._tx() as session:
            session.execute(
                update(UserRow).where(UserRow.id == pk).values(password_hash=password_hash)
            )

    # -- sessions ---------------------------------------------------------------------------

    def start_session(
        self, user_pk: int, token_hash: str, csrf: str, expires_at: dt.datetime
    ) -> None:
        now = _now()
        with self._store._tx() as session:
            session.add(
                SessionRow(
                    token_hash=token_hash,
                    user_pk=user_pk,
                    csrf=csrf,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires_at,
                )
            )
            session.execute(update(UserRow).where(UserRow.id == user_pk).values(last_login_at=now))
            # Housekeeping: expired sessions are useless; drop them while here.
            session.execute(delete(SessionRow).where(SessionRow.expires_at < now))

    def session(self, token_hash: str) -> WebSession | None:
        with self._store._tx(read=True) as session:
            found = session.execute(
                select(SessionRow, UserRow)
                .join(UserRow, UserRow.id == SessionRow.user_pk)
                .where(SessionRow.token_hash == token_hash)
            ).first()
            if found is None:
                return None
            srow, urow = found
            return WebSession(
                token_hash=srow.token_hash,
                user=_user(urow),
                csrf=srow.csrf,
                created_at=srow.created_at,
                last_seen_at=srow.last_seen_at,
                expires_at=srow.expires_at,
            )

    def touch_session(self, token_hash: str, seen_at: dt.datetime) -> None:
        with self._store._tx() as session:
            session.execute(
                update(SessionRow)
                .where(SessionRow.token_hash == token_hash)
                .values(last_seen_at=seen_at)
            )

    def end_session(self, token_hash: str) -> None:
        with self._store._tx() as session:
            session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    def session_count(self, user_pk: int) -> int:
        with self._store._tx(read=True) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(SessionRow)
                    .where(SessionRow.user_pk == user_pk)
                )
                or 0
            )

    # -- failed sign-ins --------------------------------------------------------------------

    def record_failure(self, keys: tuple[str, ...], at: dt.datetime | None = None) -> None:
        when = at or _now()
        with self._store._tx() as session:
            session.add_all(LoginAttemptRow(key=key, at=when) for key in keys)
            # Keep the table small: a day-old failure counts for nothing.
            session.execute(
                delete(LoginAttemptRow).where(LoginAttemptRow.at < when - dt.timedelta(days=1))
            )

    def failures_since(self, key: str, since: dt.datetime) -> int:
        with self._store._tx(read=True) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(LoginAttemptRow)
                    .where(LoginAttemptRow.key == key, LoginAttemptRow.at >= since)
                )
                or 0
            )

    def latest_failure(self, key: str) -> dt.datetime | None:
        with self._store._tx(read=True) as session:
            value = session.scalar(
                select(func.max(LoginAttemptRow.at)).where(LoginAttemptRow.key == key)
            )
            return value

    def clear_failures(self, key: str) -> None:
        with self._store._tx() as session:
            session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key == key))
