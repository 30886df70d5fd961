"""Fixtures for the mail-source tests: the private Dovecot server."""

from tests.support.dovecot import dovecot

__all__ = ["dovecot"]
