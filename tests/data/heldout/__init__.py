"""Held-out referral forms from six templates the parsers were never tuned on.

``<template>/<case>.docx|pdf`` beside ``<case>.expected.json``; regenerate with
``uv run python -m tests.data.heldout.build`` (see :mod:`intake.synthetic.heldout`).
"""
