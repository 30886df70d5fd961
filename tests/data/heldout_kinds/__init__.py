"""Held-out attachments for the document-kind classifier: 8 each of gcp, brook_tool,
exploitation_tool, rfs and other.

``<kind>/<case>.docx|pdf`` beside ``<case>.expected.json`` (``{"kind": "<kind>"}``); regenerate
with ``uv run python -m tests.data.heldout_kinds.build``
(see :mod:`intake.synthetic.heldout_kinds`).
"""
