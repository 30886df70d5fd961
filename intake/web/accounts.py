"""Accounts: the rules on names and passwords, argon2id hashing, and every audited change.

Shared by `intake users` and the /users page. Every change is written to the audit log
(entity ``user``); the before/after never include the password hash. Errors are
:class:`intake.errors.AccountError` naming the field and the fix.
"""

from __future__ import annotations

import functools
import logging
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intake.errors import AccountError, UserNotFound
from intake.store.ledger import Store
from intake.store.users import ROLES, User

log = logging.getLogger("intake.web.accounts")

NAME_PATTERN = re.compile(r"^[a-z0-9._-]{2,100}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024


@functools.cache
def hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's current recommended parameters."""
    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the name is unknown, so the reply takes as long as for a real one.
    return hasher().hash("not a password of anyone's: timing equaliser")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def name_problem(name: str) -> str | None:
    if not NAME_PATTERN.match(name):
        return "use 2-100 lower-case letters, digits, '.', '_' or '-'"
    return None


def role_problem(role: str) -> str | None:
    if role not in ROLES:
        return "choose admin, team or viewer"
    return None


def password_problem(name: str, password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"use at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"use at most {MAX_PASSWORD} characters"
    if password.strip().lower() == name.lower():
        return "must not be the same as the name"
    return None


def _check(field: str, problem: str | None) -> None:
    if problem is not None:
        raise AccountError(field, problem)


def find(store: Store, name: str) -> User:
    user = store.users.get(name)
    if user is None:
        raise UserNotFound(name)
    return user


def add_user(store: Store, *, name: str, role: str, password: str, actor: str) -> User:
    _check("name", name_problem(name))
    _check("role", role_problem(role))
    _check("password", password_problem(name, password))
    if store.users.get(name) is not None:
        raise AccountError("name", "is taken; choose another name (or use passwd)")
    user = store.users.add(name, role, hash_password(password))
    store.audit(
        actor=actor,
        entity="user",
        key=name,
        action="add",
        before=None,
        after=user.audit_view(),
    )
    log.info("user added", extra={"user_id": user.id, "role": role})
    return user


def set_password(store: Store, *, name: str, password: str, actor: str) -> User:
    user = find(store, name)
    _check("password", password_problem(name, password))
    updated = store.users.update(user.id, password_hash=hash_password(password))
    store.audit(
        actor=actor,
        entity="user",
        key=name,
        action="password",
        before=user.audit_view(),
        after={**updated.audit_view(), "password": "changed"},
    )
    log.info("password set", extra={"user_id": user.id})
    return updated


def _last_admin_guard(store: Store, user: User, *, losing: bool) -> None:
    if (
        losing
        and user.role == "admin"
        and not user.disabled
        and store.users.count_enabled_admins() <= 1
    ):
        raise AccountError("role", "this is the last enabled admin; make another user admin first")


def set_disabled(store: Store, *, name: str, disabled: bool, actor: str) -> User:
    """Disable (ending every session) or enable an account."""
    user = find(store, name)
    if user.disabled == disabled:
        return user
    _last_admin_guard(store, user, losing=disabled)
    updated = store.users.update(user.id, disabled=disabled)
    store.audit(
        actor=actor,
        entity="user",
        key=name,
        action="disable" if disabled else "enable",
        before=user.audit_view(),
        after=updated.audit_view(),
    )
    log.info("user disabled" if disabled else "user enabled", extra={"user_id": user.id})
    return updated


def set_role(store: Store, *, name: str, role: str, actor: str) -> User:
    user = find(store, name)
    _check("role", role_problem(role))
    if user.role == role:
        return user
    _last_admin_guard(store, user, losing=role != "admin")
    updated = store.users.update(user.id, role=role)
    store.audit(
        actor=actor,
        entity="user",
        key=name,
        action="role",
        before=user.audit_view(),
        after=updated.audit_view(),
    )
    log.info("role changed", extra={"user_id": user.id, "role": role})
    return updated


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The enabled user with this name and password, else None (in about the same time).

    A hash made with older parameters is replaced on success.
    """
    user = store.users.get(name) if NAME_PATTERN.match(name) else None
    if len(password) > MAX_PASSWORD:
        password = password[:MAX_PASSWORD]
    stored = user.password_hash if user is not None else _dummy_hash()
    try:
        hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if hasher().check_needs_rehash(stored):
        store.users.set_hash(user.id, hash_password(password))
        log.info("password rehashed", extra={"user_id": user.id})
    return user
