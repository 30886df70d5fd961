"""Tests of the mail sources."""
