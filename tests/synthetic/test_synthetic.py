"""The synthetic data generator: fictional, deterministic, and readable by the usual tools."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import email
import hashlib
import io
import mailbox
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.table import Table
from docx.text.run import Run

from intake.synthetic import (
    CALL_COLUMNS,
    CONCERN_CODES,
    CSPOC_ADDRESS,
    LAYOUTS,
    SCENARIOS,
    Child,
    Layout,
    Referral,
    SyntheticEmail,
    bank_holidays,
    brook_pdf,
    bulk_corpus,
    calls_csv,
    chronology_docx,
    demo_calls,
    demo_corpus,
    demo_messages,
    exploitation_docx,
    gcp_docx,
    gcp_pdf,
    letter_pdf,
    make_referral,
    malformed_emails,
    rfs_docx,
    rfs_pdf,
    scenario,
    uk_time,
    working_days,
    write_eml_files,
    write_maildir,
    write_mbox,
)

PHONE = re.compile(r"^(01632 960\d{3}|07700 900\d{3})$")
POSTCODE = re.compile(r"^SS[01239] \d[ABDEFGHJLNPQRSTUWXYZ]{2}$")
EXAMPLE_EMAIL = re.compile(r"^[a-z.'-]+@([a-z0-9-]+\.)*example(\.[a-z]+)*$")


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The text pdfplumber extracts from every page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module")
def referral() -> Referral:
    return make_referral(
        11,
        concerns=("neglect", "domestic_abuse"),
        n_children=2,
        consent=False,
        phoned=True,
        gcp_attached_claimed=True,
    )


@pytest.fixture(scope="module")
def demo() -> tuple[list[SyntheticEmail], list[dict[str, str]]]:
    return demo_messages()


# --- people and referrals -------------------------------------------------------------------------


def test_same_seed_gives_the_same_referral_and_other_seeds_differ() -> None:
    assert make_referral(5) == make_referral(5)
    assert make_referral(5).to_expected() == make_referral(5).to_expected()
    assert make_referral(5) != make_referral(6)


def test_people_have_only_fictional_contact_details() -> None:
    for seed in range(150):
        referral = make_referral(seed)
        assert PHONE.match(referral.referrer.phone), referral.referrer.phone
        assert EXAMPLE_EMAIL.match(referral.referrer.email), referral.referrer.email
        for child in referral.children:
            assert POSTCODE.match(child.postcode), child.postcode
        for carer in referral.carers:
            assert PHONE.match(carer.phone)
            assert POSTCODE.match(carer.postcode)
        assert set(referral.concerns) <= set(CONCERN_CODES)
        assert 1 <= len(referral.children) <= 3
        assert referral.threshold_level in (2, 3, 4)


def test_referral_fields_hang_together() -> None:
    for seed in range(150):
        r = make_referral(seed)
        assert r.phoned == (r.phoned_at is not None) == (r.phoned_to is not None)
        if r.phoned_at:
            assert r.phoned_at < r.referral_datetime
        if r.urgent:
            assert r.threshold_level == 4
        if not r.parents_aware:
            assert not r.consent
        if r.consent:
            assert r.consent_refused_reason == ""
        assert r.gcp_attached_claimed == ("Graded Care Profile 2 (GCP2)" in r.attachments_listed)
        carers_born = max(c.dob for c in r.carers)
        children_born = min(c.dob for c in r.children if c.dob)
        assert (children_born - carers_born).days > 17 * 365


def test_to_expected_is_the_canonical_field_dict(referral: Referral) -> None:
    expected = referral.to_expected()
    assert expected["concern_categories"] == ["neglect", "domestic_abuse"]
    assert expected["consent_given"] is False
    assert expected["no_consent_reason"]
    assert expected["phoned_first"] is True
    assert expected["children"][0]["surname"] == referral.children[0].surname
    assert expected["referral_datetime"] == referral.referral_datetime.strftime("%Y-%m-%dT%H:%M")
    assert expected["attachments_listed"][0] == "Graded Care Profile 2 (GCP2)"


def test_missing_fields_are_blank_and_leave_placeholders() -> None:
    r = make_referral(3, missing=("child_dob", "referrer_phone", "consent_reason"), consent=False)
    expected = r.to_expected()
    assert expected["children"][0]["dob"] is None
    assert expected["referrer_phone"] == ""
    assert expected["no_consent_reason"] is None
    text = docx_text(rfs_docx(r))
    assert text.count("Click here to enter text.") >= 4


def test_unknown_concern_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown concern"):
        make_referral(1, concerns=("witchcraft",))


# --- forms ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rfs_docx_opens_and_carries_the_referral(referral: Referral, layout: Layout) -> None:
    data = rfs_docx(referral, layout)
    assert data == rfs_docx(referral, layout)
    text = docx_text(data)
    for child in referral.children:
        assert child.surname in text
        assert child.postcode in text
    assert referral.referrer.email in text
    assert referral.concern_narrative in text
    assert "Click here to enter text." in text
    assert referral.children[0].dob is not None
    assert referral.children[0].dob.strftime("%d/%m/%Y") in text
    if layout == "southend-rfs":
        assert "☒ Neglect" in text
        assert "☐ Sexual abuse" in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rfs_pdf_is_a_text_pdf(referral: Referral, layout: Layout) -> None:
    data = rfs_pdf(referral, layout)
    assert data.startswith(b"%PDF")
    assert data == rfs_pdf(referral, layout)
    text = pdf_text(data)
    assert referral.children[0].surname in text
    assert "[X] Neglect" in text
    assert "☒" not in text


def test_rfs_docx_uses_four_column_rows_and_word_tick_glyphs(referral: Referral) -> None:
    document = docx.Document(io.BytesIO(rfs_docx(referral)))
    widths = {len({id(c._tc) for c in row.cells}) for t in document.tables for row in t.rows}
    assert {2, 4} <= widths
    assert any(run.font.name == "MS Gothic" for t in document.tables for run in _runs(t))


def _runs(table: Table) -> list[Run]:
    return [
        run for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs
    ]


def test_gcp2_docx_has_title_areas_grades_and_the_child(referral: Referral) -> None:
    child = referral.children[0]
    data = gcp_docx(child)
    assert data == gcp_docx(child)
    text = docx_text(data)
    assert "Graded Care Profile 2 (GCP2)" in text
    for area in ("Physical care", "Safety", "Emotional care", "Developmental care"):
        assert area in text
    assert child.surname in text
    assert text.count("☒") >= 16


def test_gcp_variants(referral: Referral) -> None:
    child = referral.children[0]
    old = docx_text(gcp_docx(child, version=1))
    assert "Graded Care Profile" in old
    assert "GCP2" not in old
    assert "C: Love" in old
    assert "D: Esteem" in old
    assert "Not yet assessed" in docx_text(gcp_docx(child, partial=True))
    printed = gcp_pdf(child)
    assert printed.startswith(b"%PDF")
    assert child.surname in pdf_text(printed)


def test_other_tools_and_the_decoy_letter(referral: Referral) -> None:
    child = referral.children[0]
    exploitation = docx_text(exploitation_docx(child))
    assert "Child Exploitation Pathway" in exploitation
    assert child.surname in exploitation
    chronology = docx_text(chronology_docx(child))
    assert child.surname in chronology
    brook = brook_pdf(child)
    assert brook.startswith(b"%PDF")
    assert "Traffic Light" in pdf_text(brook)
    assert child.surname in pdf_text(brook)
    letter = pdf_text(letter_pdf(child))
    assert child.surname in letter
    assert "care profile" in letter
    assert "Graded" not in letter
    # Without a child they still render, for a fallback fictional child.
    assert brook_pdf().startswith(b"%PDF")
    assert letter_pdf().startswith(b"%PDF")
    assert docx_text(chronology_docx())


def test_every_document_says_it_is_fictional(referral: Referral) -> None:
    document = docx.Document(io.BytesIO(rfs_docx(referral)))
    assert "fictional" in document.sections[0].footer.paragraphs[0].text
    assert "fictional" in pdf_text(rfs_pdf(referral))


# --- emails ---------------------------------------------------------------------------------------


def _attachments(message: EmailMessage) -> list[EmailMessage]:
    return list(message.iter_attachments())


@pytest.mark.parametrize("kind", SCENARIOS)
def test_every_scenario_parses_and_is_deterministic(kind: str) -> None:
    emails = scenario(kind, seed=4)
    assert [e.raw for e in emails] == [e.raw for e in scenario(kind, seed=4)]
    for item in emails:
        assert b"\r\n" in item.raw
        assert b"\n" not in item.raw.replace(b"\r\n", b"")
        message = parse(item.raw)
        assert not message.defects
        assert message["To"].addresses[0].addr_spec == CSPOC_ADDRESS
        assert message["Message-ID"] == item.message_id
        assert len(message.get_all("Received") or []) == 3
        assert message["Date"].datetime.utcoffset() is not None
        assert message.get_body(("plain",)) is not None
        assert len(_attachments(message)) == len(item.attachments)
        for part in _attachments(message):
            if part.get_content_type() != "message/rfc822":
                assert part.get_content()


def test_referral_emails_carry_a_form_naming_the_child() -> None:
    item = scenario("rfs_docx", seed=1)[0]
    assert item.referral is not None
    (part,) = _attachments(parse(item.raw))
    assert item.referral.children[0].surname in docx_text(part.get_content())
    pdf_item = scenario("rfs_pdf", seed=1)[0]
    assert pdf_item.referral is not None
    (pdf_part,) = _attachments(parse(pdf_item.raw))
    assert pdf_item.referral.children[0].surname in pdf_text(pdf_part.get_content())


def test_neglect_scenarios_with_and_without_the_gcp() -> None:
    with_gcp = scenario("neglect_with_gcp", seed=2)[0]
    without = scenario("neglect_without_gcp", seed=2)[0]
    for item in (with_gcp, without):
        assert item.referral is not None
        assert "neglect" in item.referral.concerns
        assert item.referral.gcp_attached_claimed
    assert with_gcp.attachments[1] in ("gcp_docx", "gcp_pdf")
    assert without.attachments == ("rfs_docx",)
    decoy = scenario("neglect_decoy_letter", seed=2)[0]
    assert decoy.attachments == ("rfs_docx", "letter_pdf")


def test_gcp_follow_up_is_a_same_day_reply_with_the_gcp() -> None:
    first, second = scenario("gcp_follow_up", seed=8)
    assert first.referral == second.referral
    assert first.attachments == ("rfs_docx",)
    assert second.attachments == ("gcp_docx",) or second.attachments == ("gcp_pdf",)
    assert second.received_at > first.received_at
    assert uk_time(second.received_at).date() == uk_time(first.received_at).date()
    reply = parse(second.raw)
    assert reply["In-Reply-To"] == first.message_id
    assert str(reply["Subject"]).startswith("RE: ")


def test_urgent_phoned_scenarios() -> None:
    item = scenario("urgent_phoned", seed=3)[0]
    referral = item.referral
    assert referral is not None
    assert referral.urgent
    assert referral.phoned_at is not None
    assert referral.phoned_at.date() == referral.referral_datetime.date()
    assert parse(item.raw)["Importance"] == "high"
    late = scenario("urgent_phoned_late", seed=3, when=dt.datetime(2026, 3, 6, 11, 0))[0]
    assert late.referral is not None
    assert late.referral.phoned_at is not None
    assert late.referral.phoned_at.date() == dt.date(2026, 3, 6)
    assert late.received_at.date() == dt.date(2026, 3, 9)  # Friday call, Monday email


def test_forwarded_referral_is_a_message_rfc822_part() -> None:
    item = scenario("forwarded", seed=6)[0]
    (part,) = _attachments(parse(item.raw))
    assert part.get_content_type() == "message/rfc822"
    inner = part.get_content()
    assert isinstance(inner, EmailMessage)
    (form,) = inner.iter_attachments()
    assert form.get_filename()
    assert docx_text(form.get_content())
    assert len(inner.get_all("Received") or []) == 1


def test_nameless_attachment_has_a_content_type_only() -> None:
    item = scenario("nameless_attachment", seed=6)[0]
    message = parse(item.raw)
    parts = [p for p in message.walk() if p.get_content_maintype() == "application"]
    assert len(parts) == 1
    assert parts[0].get_filename() is None
    assert parts[0]["Content-Disposition"] is None
    assert docx_text(parts[0].get_content())


def test_zipped_rfs_holds_a_real_form() -> None:
    item = scenario("zipped_rfs", seed=6)[0]
    (part,) = _attachments(parse(item.raw))
    assert part.get_filename() == "Referral documents.zip"
    with zipfile.ZipFile(io.BytesIO(part.get_content())) as archive:
        names = archive.namelist()
        assert names[0].endswith(".docx")
        assert item.referral is not None
        assert item.referral.children[0].surname in docx_text(archive.read(names[0]))


def test_plain_enquiry_has_no_attachment_and_no_referral() -> None:
    item = scenario("plain_enquiry", seed=6)[0]
    assert item.raw != scenario("plain_enquiry", seed=7)[0].raw
    assert item.referral is None
    message = parse(item.raw)
    assert not message.is_multipart()
    assert "consultation" in message.get_content() or message.get_content()


def test_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        scenario("carrier_pigeon")


def test_uk_time_knows_summer_time() -> None:
    assert uk_time(dt.datetime(2026, 1, 5, 10)).utcoffset() == dt.timedelta(0)
    assert uk_time(dt.datetime(2026, 7, 6, 10)).utcoffset() == dt.timedelta(hours=1)
    assert uk_time(dt.datetime(2026, 3, 29, 0, 30)).utcoffset() == dt.timedelta(0)
    assert uk_time(dt.datetime(2026, 3, 29, 2, 30)).utcoffset() == dt.timedelta(hours=1)


def test_malformed_emails_are_broken_but_do_not_crash_the_stdlib_parser() -> None:
    broken = malformed_emails()
    assert {"truncated_base64", "broken_boundary", "unknown_charset", "empty"} <= set(broken)
    assert {"binary_garbage", "endless_header"} <= set(broken)
    assert broken == malformed_emails()
    assert broken["empty"] == b""
    for raw in broken.values():
        message: Message = email.message_from_bytes(raw, policy=policy.default)
        for part in message.walk():
            part.get_content_type()
    truncated = email.message_from_bytes(broken["truncated_base64"], policy=policy.default)
    assert truncated.defects
    assert len(broken["endless_header"]) > 256 * 1024
    assert b"\r\n\r\n" not in broken["endless_header"]


# --- corpora --------------------------------------------------------------------------------------


def test_demo_corpus_mixes_every_scenario_over_working_days(
    demo: tuple[list[SyntheticEmail], list[dict[str, str]]],
) -> None:
    emails, _ = demo
    assert 40 <= len(emails) <= 60
    kinds = Counter(e.kind for e in emails)
    assert set(kinds) == set(SCENARIOS)
    assert kinds["rfs_docx"] + kinds["rfs_pdf"] > len(emails) / 3
    assert [e.received_at for e in emails] == sorted(e.received_at for e in emails)
    days = set(working_days(dt.date(2026, 3, 2), 5))
    for item in emails:
        assert uk_time(item.received_at).date() in days
        parse(item.raw)
    assert demo_corpus() == [e.raw for e in emails]


def test_demo_calls_cover_every_phoned_referral_and_some_without_email(
    demo: tuple[list[SyntheticEmail], list[dict[str, str]]],
) -> None:
    emails, calls = demo
    assert demo_calls() == calls
    assert all(tuple(row) == CALL_COLUMNS for row in calls)
    assert [row["called_at"] for row in calls] == sorted(row["called_at"] for row in calls)
    emailed = {
        (r.children[0].surname, r.children[0].forenames)
        for r in (e.referral for e in emails)
        if r is not None
    }
    referral_calls = {(row["child_surname"], row["child_forenames"]) for row in calls}
    for item in emails:
        if item.referral is not None and item.referral.phoned:
            child = item.referral.children[0]
            assert (child.surname, child.forenames) in referral_calls
    unwritten = [
        row
        for row in calls
        if row["kind"] == "referral"
        and (row["child_surname"], row["child_forenames"]) not in emailed
    ]
    assert unwritten
    assert all(row["urgent"] == "yes" for row in unwritten)
    assert any(row["kind"] == "consultation" for row in calls)
    rows = list(csv.DictReader(io.StringIO(calls_csv(calls))))
    assert rows == calls


def test_demo_corpus_is_deterministic_and_seeded() -> None:
    one, calls_one = demo_messages(seed=7, start=dt.date(2026, 4, 2), days=1, cache=False)
    assert demo_corpus(seed=7, start=dt.date(2026, 4, 2), days=1) == [e.raw for e in one]
    assert demo_calls(seed=7, start=dt.date(2026, 4, 2), days=1) == calls_one
    # 3 April 2026 is Good Friday: a one-day corpus from 2 April stays on the 2nd, except the
    # late follow-up, which goes out on the next working day (Tuesday 7 April).
    dates = {uk_time(e.received_at).date() for e in one}
    assert dates <= {dt.date(2026, 4, 2), dt.date(2026, 4, 7)}


def test_demo_corpus_is_the_same_in_a_fresh_interpreter() -> None:
    code = (
        "import hashlib\n"
        "from intake.synthetic import scenario\n"
        "h = hashlib.sha256()\n"
        "for kind in ('neglect_with_gcp', 'rfs_pdf'):\n"
        "    for e in scenario(kind, seed=9):\n"
        "        h.update(e.raw)\n"
        "print(h.hexdigest())\n"
    )
    here = hashlib.sha256()
    for kind in ("neglect_with_gcp", "rfs_pdf"):
        for item in scenario(kind, seed=9):
            here.update(item.raw)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == here.hexdigest()


def test_bank_holidays_and_working_days() -> None:
    holidays = bank_holidays(2026)
    assert dt.date(2026, 4, 3) in holidays  # Good Friday
    assert dt.date(2026, 4, 6) in holidays  # Easter Monday
    assert dt.date(2026, 12, 28) in holidays  # Boxing Day falls on a Saturday
    assert working_days(dt.date(2026, 4, 2), 2) == [dt.date(2026, 4, 2), dt.date(2026, 4, 7)]


def test_bulk_corpus_proportions_sizes_and_determinism() -> None:
    messages = list(bulk_corpus(n=1500, seed=3))
    assert len(messages) == 1500
    assert messages[:20] == list(bulk_corpus(n=20, seed=3))
    assert messages[:20] != list(bulk_corpus(n=20, seed=4))
    with_attachment = 0
    for index, raw in enumerate(messages):
        if b"Content-Disposition: attachment" not in raw:
            assert len(raw) < 4096
            continue
        with_attachment += 1
        if index % 25:
            continue
        message = parse(raw)
        (part,) = message.iter_attachments()
        name = part.get_filename()
        assert name is not None
        assert name.endswith((".pdf", ".docx"))
        assert ("pdf" in part.get_content_type()) == name.endswith(".pdf")
        payload = part.get_content()
        assert 30 * 1024 <= len(payload) <= 200 * 1024
        assert len(payload) == len(base64.b64decode(str(part.get_payload())))
    assert 0.55 <= with_attachment / len(messages) <= 0.65
    ids = [re.search(rb"Message-ID: (<[^>]+>)", raw) for raw in messages]
    assert len({m.group(1) for m in ids if m}) == len(messages)


def test_bulk_corpus_makes_ten_thousand_messages_quickly() -> None:
    started = time.perf_counter()
    count = sum(1 for _ in bulk_corpus())
    assert count == 10_000
    assert time.perf_counter() - started < 30


# --- writing mailboxes ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def few() -> list[bytes]:
    return [e.raw for kind in ("rfs_pdf", "plain_enquiry", "gcp_follow_up") for e in scenario(kind)]


def test_maildir_is_readable_by_the_stdlib(tmp_path: Path, few: list[bytes]) -> None:
    paths = write_maildir(few, tmp_path / "Maildir")
    paths += write_maildir(few[:1], tmp_path / "Maildir")
    assert len({p.name for p in paths}) == len(few) + 1
    assert all(p.parent.name == "new" for p in paths)
    assert not any((tmp_path / "Maildir" / "tmp").iterdir())
    box = mailbox.Maildir(tmp_path / "Maildir", create=False)
    assert len(box) == len(few) + 1
    assert sorted(box.get_bytes(key) for key in box.iterkeys()) == sorted([*few, few[0]])


def test_eml_files_and_mbox(tmp_path: Path, few: list[bytes]) -> None:
    files = write_eml_files(few, tmp_path / "eml")
    assert [f.name for f in files] == [f"message-{n:05d}.eml" for n in range(1, len(few) + 1)]
    assert [f.read_bytes() for f in files] == few
    target = write_mbox([*few, b""], tmp_path / "box.mbox")
    box = mailbox.mbox(target, create=False)
    try:
        messages = list(box)
    finally:
        box.close()
    assert len(messages) == len(few) + 1
    first = parse(few[0])
    assert messages[0]["Message-ID"] == first["Message-ID"]
    assert messages[0].get_from().startswith(first["From"].addresses[0].addr_spec)
    assert messages[-1].get_from().startswith("MAILER-DAEMON")
    assert target.read_bytes().startswith(b"From ")


def test_fictional_child_helper_types() -> None:
    child = make_referral(1).children[0]
    assert isinstance(child, Child)
    assert child.initials == f"{child.forenames[0]}.{child.surname[0]}."
