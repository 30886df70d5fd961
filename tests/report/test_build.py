"""Building and rendering the daily report: its sections, the CSV, escaping, a day with no data,
and reconciliation with a mailbox in trouble. SQLite only (nothing here is database-specific)
except the period test, which reads the ``reports`` table on both."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import update

from intake import service, synthetic
from intake.config import MailboxSettings, ReportSettings
from intake.demo import DEMO_SEED
from intake.report import CSV_COLUMNS, build, neutralise, period, render
from intake.report.build import NO_DATA
from intake.store.ledger import Store
from intake.store.models import MessageRow
from tests.report.conftest import MON, FrontDoor, at, days, report_settings

TUE = MON + days(1)
NEGLECT = "neglect-no-gcp"
PHONE = "phone-no-same-day-email"


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def a_week(door: FrontDoor) -> dict[str, int]:
    """The exceptions Tuesday 1 December's report is about (period Mon 08:00 - Tue 08:00)."""
    old, kid, caller, late_kid = door.child(), door.child(), door.child(), door.child()
    call = door.call(at(MON, 11, 5), caller, "Estuary Hospital Emergency Department")
    ids = {
        # Raised last Friday and still open: only in "still open".
        "old": door.raise_(
            NEGLECT, at(MON - days(3), 16, 30), old, due_at=at(MON - days(3), 16, 30)
        ),
        # Raised on Monday at the close of day, overdue at Tuesday's cut-off.
        "new": door.raise_(NEGLECT, at(MON, 17, 30), kid, due_at=at(MON, 17, 30)),
        "phone": door.raise_(PHONE, at(MON, 23, 59), caller, due_at=at(MON, 23, 59), call_pk=call),
        # The GCP came in late on Monday evening: auto-resolved, late.
        "late": door.raise_(
            NEGLECT,
            at(MON, 17, 30),
            late_kid,
            due_at=at(MON, 17, 30),
            arrived_at=at(MON, 19, 0),
            late=True,
        ),
        "info1": door.raise_("insecure-sender", at(MON, 10), kid, severity="info"),
        "info2": door.raise_("insecure-sender", at(MON, 14), old, severity="info"),
        "info3": door.raise_("out-of-hours", at(MON, 19), late_kid, severity="info"),
        # After Tuesday's cut-off: not in Tuesday's report at all.
        "after": door.raise_(NEGLECT, at(TUE, 9, 0), door.child(), due_at=at(TUE, 9)),
    }
    return ids


def test_a_report_has_its_sections_in_order(door: FrontDoor) -> None:
    """GIVEN an exception open since Friday, two new ones on Monday (one from an urgent call
    from a hospital), one auto-resolved late on Monday evening, three info items and one raised
    after Tuesday's cut-off
    WHEN Tuesday's report is built
    THEN new exceptions are grouped by rule with the caller's agency, initials, DOB, reference
    and how overdue they are; the open ones are listed oldest first with their age in working
    days; the late one is under auto-resolved marked late; the info items are counted per rule;
    the one after the cut-off is nowhere; and the totals add up."""
    ids = a_week(door)
    report = build(door.settings, door.store, TUE, now=at(TUE, 8))
    assert (report.period_start, report.period_end) == (at(MON, 8), at(TUE, 8))
    new = report.section("new")
    assert [g.rule for g in new.groups] == [NEGLECT, PHONE]
    assert {r.exception_id for r in new.rows} == {ids["new"], ids["phone"]}
    phone = next(r for r in new.rows if r.rule == PHONE)
    assert phone.agency == "Estuary Hospital Emergency Department"
    assert phone.reference.startswith(f"EX-{ids['phone']} / call #")
    assert re.fullmatch(r"([A-Z]\.)+", phone.child)
    assert phone.received_at == at(MON, 11, 5)
    neglect = next(r for r in new.rows if r.rule == NEGLECT)
    assert neglect.overdue == "under 1 working hour"  # Mon 17:30 to Tue 08:00: office closed
    still_open = report.section("open")
    assert [r.exception_id for r in still_open.rows] == [ids["old"], ids["new"], ids["phone"]]
    assert still_open.rows[0].age_working_days == 2  # Friday to Tuesday: Monday, Tuesday
    assert still_open.rows[0].overdue == "2 working days"
    resolved = report.section("auto_resolved").rows
    assert [(r.exception_id, r.late) for r in resolved] == [(ids["late"], True)]
    info = report.section("info")
    assert info.counts == (("insecure-sender", 2), ("out-of-hours", 1))
    assert ids["after"] not in {r.exception_id for r in report.rows}
    assert dict(report.totals)["New exceptions"] == 2
    assert dict(report.totals)["Still open"] == 3
    assert not report.empty

    rendered = render(report, "C-SPOC daily exceptions report")
    text = rendered.text
    order = [
        text.index(title.upper())
        for title in ("Totals", "New exceptions", "Exceptions still open", "Auto-resolved", "Info")
    ]
    assert order == sorted(order)
    assert "LATE" in text.split("AUTO-RESOLVED")[1].split("INFO ITEMS")[0]
    rows = csv_rows(rendered.csv)
    assert list(rows[0]) == list(CSV_COLUMNS)
    sections = [row["section"] for row in rows]
    assert sections.count("new") == 2 and sections.count("open") == 3
    assert sections.count("auto_resolved") == 1 and sections.count("info") == 3
    late_row = next(row for row in rows if row["section"] == "auto_resolved")
    assert late_row["late"] == "yes"
    assert late_row["due_at"] == "2026-11-30T17:30:00+00:00"
    assert next(r for r in rows if r["section"] == "open")["age_working_days"] == "2"


def test_full_names_when_configured(door: FrontDoor) -> None:
    """GIVEN report.identify = "full" WHEN the report is built THEN the child's full name is
    shown; with the default THEN only initials, never the surname."""
    kid = door.child()
    door.raise_(NEGLECT, at(MON, 17, 30), kid, due_at=at(MON, 17, 30))
    initials = build(door.settings, door.store, TUE, now=at(TUE, 8))
    full_settings = dataclasses.replace(
        door.settings, report=ReportSettings(identify="full", out_dir=str(door.folder))
    )
    full = build(full_settings, door.store, TUE, now=at(TUE, 8))
    assert full.rows[0].child == f"{kid.forenames} {kid.surname}"
    assert initials.rows[0].child == f"{kid.forenames[0]}.{kid.surname[0]}."
    rendered = render(initials, "subject")
    for form in (rendered.html, rendered.text, rendered.csv.decode("utf-8-sig")):
        assert kid.surname not in form


def test_referrer_text_is_escaped_in_html_and_neutralised_in_csv(door: FrontDoor) -> None:
    """GIVEN a child called <script>...</script> and a caller's agency =HYPERLINK(...)
    WHEN the report is rendered with full names
    THEN the HTML shows them as text (no script element, no link), and the CSV cells that
    start with a formula character get a leading apostrophe."""
    kid = door.child(forenames="<script>alert('x')</script>", surname="@SUM(A1)")
    call = door.call(at(MON, 10), kid, '=HYPERLINK("http://evil.example/","open me")')
    door.raise_(PHONE, at(MON, 23, 59), kid, due_at=at(MON, 23, 59), call_pk=call)
    settings = dataclasses.replace(
        door.settings, report=ReportSettings(identify="full", out_dir=str(door.folder))
    )
    rendered = render(build(settings, door.store, TUE, now=at(TUE, 8)), "subject")
    html = rendered.html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "=HYPERLINK(&#34;http://evil.example/&#34;" in html
    assert "<a " not in html and "href" not in html and "<img" not in html
    assert "class=" not in html and "<link" not in html and "@import" not in html
    rows = [row for row in csv_rows(rendered.csv) if row["section"] == "new"]
    assert rows[0]["agency"] == '\'=HYPERLINK("http://evil.example/","open me")'
    assert rows[0]["child"] == "<script>alert('x')</script> @SUM(A1)"  # starts with "<": as is
    assert "<script>alert('x')</script>" in rendered.text  # plain text is not HTML


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1632 960000", "'+44 1632 960000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Estuary Academy", "Estuary Academy"),
        ("", ""),
    ],
)
def test_csv_cells_never_start_a_formula(cell: str, shown: str) -> None:
    """GIVEN a cell starting with = + - @ tab or CR WHEN written to the CSV THEN it gets a
    leading apostrophe; anything else is unchanged."""
    assert neutralise(cell) == shown


def test_a_day_with_no_data_says_so(door: FrontDoor) -> None:
    """GIVEN an empty database WHEN Tuesday's report is built THEN it says plainly that there
    were no exceptions and no mail, and is still a whole report: totals of 0, a CSV header."""
    report = build(door.settings, door.store, TUE, now=at(TUE, 8))
    assert report.empty
    rendered = render(report, "C-SPOC daily exceptions report")
    assert NO_DATA in rendered.html and NO_DATA in rendered.text
    assert rendered.html.rstrip().endswith("</html>")
    assert csv_rows(rendered.csv) == []
    assert rendered.csv.decode("utf-8-sig").startswith(",".join(CSV_COLUMNS))
    assert dict(report.totals) == dict.fromkeys(dict(report.totals), 0)


def test_a_stale_mailbox_with_a_dead_message_is_shown_first_in_red(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """GIVEN mailbox cspoc (polled every 5 minutes) whose last good poll was 20 minutes ago,
    holding 3 messages, 2 in the ledger, one of them dead; and a healthy file import
    WHEN the report is built
    THEN cspoc's reconciliation comes first, before the new exceptions, marked in red with both
    problems; the import mailbox follows, not in trouble."""
    box = MailboxSettings(name="cspoc", host="imap.example.net", username="intake")
    settings = dataclasses.replace(
        report_settings(sqlite_store.url, tmp_path / "out"), mailboxes=(box,)
    )
    mail = synthetic.demo_corpus(seed=5, start=MON, days=1)[:2]
    broken = synthetic.malformed_emails()["binary_garbage"]
    files = []
    for index, raw in enumerate([mail[0], broken]):
        path = tmp_path / f"m{index}.eml"
        path.write_bytes(raw)
        files.append(path)
    service.import_paths(settings, sqlite_store, files, "cspoc")
    (tmp_path / "x.eml").write_bytes(mail[1])
    service.import_paths(settings, sqlite_store, [tmp_path / "x.eml"])
    sqlite_store.record_poll("cspoc", "INBOX", exists=3)
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(MessageRow).where(MessageRow.status == "failed").values(status="dead"))
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)
    report = build(settings, sqlite_store, now.date(), now=now)
    first, second = report.mailboxes[0], report.mailboxes[1]
    assert first.mailbox == "cspoc" and first.trouble
    assert first.in_folders == 3 and first.dead == 1 and first.in_ledger == 2
    assert "no successful poll for over two poll intervals" in first.problems
    assert "1 dead message" in first.problems
    assert second.mailbox == "import" and not second.trouble
    rendered = render(report, "subject")
    assert rendered.text.index("RECONCILIATION") < rendered.text.index("NEW EXCEPTIONS")
    assert "!! cspoc" in rendered.text
    html = rendered.html
    assert html.index("Reconciliation per mailbox") < html.index("New exceptions since")
    cspoc_cell = re.search(r'<td style="([^"]*)" data-mailbox="cspoc">', html)
    assert cspoc_cell is not None and "background-color:#fde2e2" in cspoc_cell.group(1)
    import_cell = re.search(r'<td style="([^"]*)" data-mailbox="import">', html)
    assert import_cell is not None and "#fde2e2" not in import_cell.group(1)
    mailbox_rows = [row for row in csv_rows(rendered.csv) if row["section"] == "mailbox"]
    assert [row["reference"] for row in mailbox_rows] == ["cspoc", "import"]


def test_a_healthy_mailbox_goes_last(door: FrontDoor) -> None:
    """GIVEN a healthy import mailbox WHEN the report is rendered THEN reconciliation comes
    after the exceptions."""
    (door.folder / "a.eml").write_bytes(synthetic.demo_corpus(seed=5, start=MON, days=1)[0])
    service.import_paths(door.settings, door.store, [door.folder / "a.eml"])
    text = render(build(door.settings, door.store, TUE, now=at(TUE, 8)), "s").text
    assert text.index("INFO ITEMS") < text.index("RECONCILIATION")


def test_the_period_starts_at_the_previous_reports_cut_off(store: Store, tmp_path: Path) -> None:
    """GIVEN no report yet WHEN Monday's report period is worked out THEN it starts at Friday's
    cut-off (the previous working day); GIVEN a report row for Wednesday 25 November (the day
    before Thursday's missing one) THEN Monday's... starts at the latest earlier row's cut-off."""
    settings = report_settings(store.url, tmp_path)
    assert period(settings, store, MON) == (at(MON - days(3), 8), at(MON, 8))
    store.reports.ensure(MON - days(5), at(MON - days(6), 8), at(MON - days(5), 8))
    assert period(settings, store, MON) == (at(MON - days(5), 8), at(MON, 8))
    assert period(settings, store, MON - days(5))[0] == at(MON - days(6), 8)


def test_through_the_real_pipeline_the_agency_comes_from_the_form(door: FrontDoor) -> None:
    """GIVEN a working day of synthetic referral mail imported as the daemon would and the checks
    run by Tuesday's cut-off
    WHEN Tuesday's report is built
    THEN every exception on a message shows the referrer's agency as its form gives it, when
    the message was received, and a reference naming the ledger message."""
    mail = synthetic.demo_corpus(seed=DEMO_SEED, start=MON, days=1)
    paths = []
    for index, raw in enumerate(mail):
        path = door.folder / f"m{index:02d}.eml"
        path.write_bytes(raw)
        paths.append(path)
    service.import_paths(door.settings, door.store, paths)
    service.run_checks(door.settings, door.store, as_of=at(TUE, 8))
    report = build(door.settings, door.store, TUE, now=at(TUE, 8))
    on_messages = [row for row in report.rows if "msg #" in row.reference]
    assert on_messages, "the day's mail raised nothing"
    ledger = {entry.id: entry for entry in door.store.ledger()}
    forms = door.store.parsed_by_message(list(ledger))
    for row in on_messages:
        pk = int(row.reference.rsplit("#", 1)[1])
        agencies = {
            form.value("referrer_agency") for form in forms.get(pk, []) if form.kind == "rfs"
        }
        assert row.agency in agencies or (not agencies and row.agency == ""), row
        assert row.received_at == ledger[pk].received_at
    assert any(row.agency for row in on_messages)
