"""Third held-out corpus of referral forms from five templates the parsers were never tuned on.

``<template>/<case>.docx|pdf`` beside ``<case>.expected.json``; regenerate with
``uv run python -m tests.data.heldout3.build`` (see :mod:`intake.synthetic.heldout3`).
Synthetic test documents: every person and detail in them is fictional.
"""
