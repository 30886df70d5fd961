"""The attachments corpus: ``<kind>/<case>.<ext>`` beside ``<case>.expected.json`` (see build)."""
