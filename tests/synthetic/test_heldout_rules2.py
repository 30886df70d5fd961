"""The second held-out rule worlds are deterministic and in the scorer's format."""

from __future__ import annotations

import csv
import email
import json
from email import policy
from pathlib import Path

import pytest

from intake.synthetic.heldout_rules2 import NEGLECT, PHONE, build
from intake.synthetic.scenarios import CALL_COLUMNS


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.slow
def test_two_day_worlds_are_well_formed_and_deterministic(tmp_path: Path) -> None:
    """GIVEN the second held-out set WHEN its worlds are built for two days THEN every file is
    well formed; WHEN one world is built again THEN it is byte for byte the same."""
    first = build(tmp_path / "a", seed=3, days=2)
    name = first[0].name
    build(tmp_path / "b", seed=3, days=2, only=[name])
    assert _snapshot(tmp_path / "a" / name) == _snapshot(tmp_path / "b" / name)
    assert len(first) == 3
    rules: set[str] = set()
    for world in first:
        mail = sorted((world / "mail").glob("*.eml"))
        assert mail
        for path in mail:
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            assert not message.defects, path.name
            assert message["Message-ID"]
            assert message["Date"]
        with (world / "calls.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == CALL_COLUMNS
            rows = list(reader)
        assert rows
        assert all(row["urgent"] in ("yes", "no") for row in rows)
        assert all(row["kind"] in ("referral", "consultation") for row in rows)
        expected = json.loads((world / "expected.json").read_text("utf-8"))
        assert expected["as_of"]
        for item in expected["exceptions"]:
            assert item["rule"] in (NEGLECT, PHONE)
            assert item["status"] in ("open", "auto_resolved")
            assert item["late"] is (item["status"] == "auto_resolved")
            assert item["child"]["surname"]
            assert item["child"]["forenames"]
            rules.add(item["rule"])
        assert {NEGLECT, PHONE} <= {item["rule"] for item in expected["exceptions"]}
    assert rules == {NEGLECT, PHONE}
