"""The held-out rule worlds: deterministic, readable mail, a contract call log, valid answers.

No intake command runs here (``benchmarks/rule_accuracy.py`` does that); this only checks that
what :func:`intake.synthetic.heldout_rules.build` writes is well formed. One small world
(three working days) is built twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from intake.synthetic.heldout_rules import WORLDS, build

WORLD = "may-bank-holiday"
#: The call-log columns of the contract (§4), in the order the generator writes them.
CONTRACT_COLUMNS = [
    "called_at",
    "caller_name",
    "caller_agency",
    "caller_phone",
    "child_forenames",
    "child_surname",
    "child_dob",
    "urgent",
    "kind",
    "taken_by",
    "notes",
]
RULES = {"neglect-no-gcp", "phone-no-same-day-email"}
# Building a world renders a few dozen DOCX and PDF forms: about eight seconds a build.
pytestmark = pytest.mark.slow
STATUSES = {"open", "auto_resolved"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rules-a")
    (folder,) = build(root, seed=1, days=3, only=[WORLD])
    return folder


@pytest.fixture(scope="module")
def expected(world: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((world / "expected.json").read_text("utf-8"))
    return data


def test_worlds_are_described_and_named() -> None:
    assert len(WORLDS) >= 3
    for name, about in WORLDS.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert about and "\n" not in about
    with pytest.raises(ValueError, match="unknown worlds"):
        build(Path("/nonexistent"), only=["no-such-world"])


def test_the_same_seed_gives_the_same_bytes(
    world: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (again,) = build(tmp_path_factory.mktemp("rules-b"), seed=1, days=3, only=[WORLD])
    assert again.name == world.name
    assert _files(again) == _files(world)


def test_every_message_parses(world: Path, expected: dict[str, Any]) -> None:
    paths = sorted((world / "mail").glob("*.eml"))
    assert len(paths) >= 15
    as_of = dt.datetime.fromisoformat(expected["as_of"])
    message_ids = set()
    for path in paths:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert not message.defects, path.name
        for header in ("From", "To", "Subject", "Date", "Message-ID", "Received"):
            assert message[header], f"{path.name}: no {header}"
        message_ids.add(str(message["Message-ID"]))
        stamp = str(message.get_all("Received", [""])[0]).rsplit(";", 1)[1]
        received = parsedate_to_datetime(stamp.strip())
        # Every message arrived before the checks are judged (as_of is London time: an hour's
        # slack covers British Summer Time).
        assert received < as_of.replace(tzinfo=dt.UTC) + dt.timedelta(hours=1)
        for part in message.walk():
            if part.get_content_maintype() in ("application", "message"):
                assert part.get_payload(decode=True) is not None or part.is_multipart()
    assert len(message_ids) == len(paths)


def test_call_log_has_the_contract_columns(world: Path) -> None:
    with (world / "calls.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CONTRACT_COLUMNS
        rows = list(reader)
    assert len(rows) >= 5
    for row in rows:
        dt.datetime.fromisoformat(row["called_at"])
        assert row["caller_name"]
        assert row["child_forenames"] and row["child_surname"]
        dob = row["child_dob"]
        assert not dob or ISO_DATE.match(dob) or UK_DATE.match(dob), dob
        assert row["urgent"] in ("yes", "no")
        assert row["kind"] in ("referral", "consultation")


def test_expected_exceptions_are_well_formed(expected: dict[str, Any]) -> None:
    as_of = dt.datetime.strptime(expected["as_of"], "%Y-%m-%dT%H:%M")
    assert set(expected) == {"as_of", "exceptions"}
    for item in expected["exceptions"]:
        assert item["rule"] in RULES
        assert item["status"] in STATUSES
        assert item["late"] is (item["status"] == "auto_resolved")
        assert isinstance(item.get("optional", False), bool)
        child = item["child"]
        assert set(child) == {"forenames", "surname", "dob"}
        assert child["forenames"] and child["surname"]
        assert child["dob"] is None or ISO_DATE.match(child["dob"])
        due = dt.datetime.fromisoformat(item["due_at"])
        assert due.tzinfo is not None
        assert due.replace(tzinfo=None) <= as_of + dt.timedelta(hours=1)


def test_both_rules_are_expected(expected: dict[str, Any]) -> None:
    required = [item for item in expected["exceptions"] if not item.get("optional")]
    for rule in RULES:
        assert any(item["rule"] == rule for item in required), rule
