"""Benchmarks of the intake service against a private Dovecot (see README.md)."""
