"""Mailbox rules: evaluation, validation, YAML, the store and audit log, the CLI, routing."""
