"""The referral-form corpus: every form in tests/data/forms parses to the JSON written beside it.

tests/data/forms/build.py made each ``<template>/<case>.docx|pdf`` and its
``<case>.expected.json`` from what it put into the form (never from a parser's output). A field
the form has a place for is listed, ``null`` when blank; a field the form has no place for is
left out, and the parser must not give it a value either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import parsers
from tests.data.forms import build as builder

CORPUS = Path(__file__).resolve().parents[1] / "data" / "forms"
EXPECTED = sorted(CORPUS.rglob("*.expected.json"))


def form_file(expected: Path) -> Path:
    """The .docx or .pdf beside ``expected``."""
    stem = expected.name.removesuffix(".expected.json")
    found = [expected.with_name(stem + suffix) for suffix in (".docx", ".pdf")]
    present = [path for path in found if path.exists()]
    assert len(present) == 1, f"{expected}: expected exactly one form beside it, found {present}"
    return present[0]


def differences(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """What ``got`` (a ``to_json()`` line) says differently from ``want``, one line each."""
    out: list[str] = []
    for key in ("kind", "template"):
        if got.get(key) != want[key]:
            out.append(f"{key}: expected {want[key]!r}, got {got.get(key)!r}")
    fields: dict[str, Any] = got.get("fields") or {}

    def value(name: str) -> Any:
        found = fields.get(name)
        return found.get("value") if isinstance(found, dict) else None

    for name, expected in want["fields"].items():
        actual = value(name)
        if actual != expected:
            out.append(f"fields.{name}: expected {expected!r}, got {actual!r}")
    for name in fields:
        if name not in want["fields"] and value(name) is not None:
            out.append(f"fields.{name}: the form has no place for it, got {value(name)!r}")
    got_children: list[dict[str, Any]] = got.get("children") or []
    if len(got_children) != len(want["children"]):
        out.append(f"children: expected {len(want['children'])}, got {len(got_children)}")
    for index, (expected_child, actual_child) in enumerate(
        zip(want["children"], got_children, strict=False)
    ):
        for key, expected in expected_child.items():
            if actual_child.get(key) != expected:
                out.append(
                    f"children[{index}].{key}: expected {expected!r}, got {actual_child.get(key)!r}"
                )
    for surplus in got_children[len(want["children"]) :]:
        out.append(f"children: unexpected {surplus!r}")
    concerns = list(got.get("concerns") or [])
    if concerns != want["concerns"]:
        missing = [c for c in want["concerns"] if c not in concerns]
        extra = [c for c in concerns if c not in want["concerns"]]
        out.append(
            f"concerns: expected {want['concerns']}, got {concerns} "
            f"(missing {missing}, unexpected {extra})"
        )
    return out


@pytest.mark.parametrize(
    "expected_path",
    EXPECTED,
    ids=[str(p.relative_to(CORPUS)).removesuffix(".expected.json") for p in EXPECTED],
)
def test_form_parses_to_its_expected_json(expected_path: Path) -> None:
    """GIVEN a corpus referral form and the parse written when it was built
    WHEN parsers.parse_file reads the form
    THEN its kind, template, every field the form has a place for, its children and its
    concerns are as expected, and no field the form has no place for has a value.
    """
    want = json.loads(expected_path.read_text(encoding="utf-8"))
    path = form_file(expected_path)

    got = parsers.parse_file(path).to_json()

    problems = differences(want, got)
    assert not problems, f"{path.relative_to(CORPUS)}:\n  " + "\n  ".join(problems)


def test_corpus_is_big_enough_and_builds_deterministically() -> None:
    """GIVEN the corpus build script
    WHEN a few of its cases (Word controls, legacy fields, a printed PDF, a fillable PDF, a
    hand-made edge case) are built twice
    THEN both builds give identical bytes and the committed expectations are what it writes.
    """
    assert len(EXPECTED) >= 40
    wanted = {
        "knowsley-marf/controls-blanks",
        "calderdale-eiss/legacy-fields",
        "lambeth-irh/printed",
        "bromley-multi-child/fillable-urgent",
        "edge/strike-and-deleted",
    }
    cases = [case for case in builder.all_cases() if case.name in wanted]
    assert {case.name for case in cases} == wanted

    for case in cases:
        first, second = builder.render(case), builder.render(case)

        assert first == second, f"{case.name}: two builds differ"
        for path, data in first.items():
            if path.name.endswith(".expected.json"):
                assert path.read_bytes() == data, f"{case.name}: rerun tests/data/forms/build.py"
