"""Building a day's exceptions report from the database alone, as frozen values.

A report for day D is cut off at D's ``report.send_at`` (local time) and covers the time since
the previous report's cut-off (the latest report row before D), or, when there is none, since
the previous working day's cut-off. Its parts, in order:

* totals;
* reconciliation per mailbox (shown before the exceptions when a mailbox is in trouble: not
  polled successfully for two poll intervals, or holding a dead message);
* new exceptions (severity ``exception``, raised in the period), grouped by rule;
* exceptions still open, oldest first, with their age in working days;
* exceptions auto-resolved in the period (late ones marked);
* info items raised in the period, counted per rule, then listed.

"Now" is a parameter, so a test (or a late send) builds exactly what the daemon would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from apscheduler.triggers.cron import CronTrigger

from intake.calendar import WorkingCalendar
from intake.config import Settings, working_calendar
from intake.store.ledger import Store
from intake.store.reports import MailboxCounts, ReportItem

#: The sections a row can be in, as they appear in the report and in the CSV's first column.
SECTIONS = ("new", "open", "auto_resolved", "info")
_TITLES = {
    "new": "New exceptions since the previous report",
    "open": "Exceptions still open (oldest first)",
    "auto_resolved": "Auto-resolved since the previous report",
    "info": "Info items",
}
_EMPTY = {
    "new": "No new exceptions.",
    "open": "No exceptions open.",
    "auto_resolved": "None auto-resolved.",
    "info": "No info items.",
}
#: The file-import mailbox (``intake import``): it has no poll schedule.
IMPORT_MAILBOXES = ("import",)
NO_DATA = "No exceptions and no mail for this period."
#: Overdue by fewer working hours than this is shown in hours, else in working days.
_DAY_HOURS = 7.5


@dataclass(frozen=True)
class Row:
    """One line of a section (and of the CSV)."""

    section: str
    rule: str
    severity: str
    status: str
    exception_id: int
    #: How to look it up: ``EX-12`` (`intake exceptions show 12`), with the message or call.
    reference: str
    #: The child as configured (``report.identify``): initials, or the full name.
    child: str
    dob: str
    agency: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    #: How far past its deadline at the cut-off ("3 working days", "2.5 working hours"); "".
    overdue: str
    #: Still-open rows: working days since it was raised, at the cut-off.
    age_working_days: int | None
    late: bool
    detail: str


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[Row, ...]
    groups: tuple[RuleGroup, ...]
    empty_text: str

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        return tuple((group.rule, len(group.rows)) for group in self.groups)


@dataclass(frozen=True)
class Report:
    day: dt.date
    period_start: dt.datetime
    period_end: dt.datetime
    built_at: dt.datetime
    zone_name: str
    identify: str
    mail_received: int
    failed_messages: int
    dead_messages: int
    mailboxes: tuple[MailboxCounts, ...]
    sections: tuple[Section, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def trouble(self) -> bool:
        return any(line.trouble for line in self.mailboxes)

    @property
    def empty(self) -> bool:
        return not self.rows and self.mail_received == 0

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    @property
    def totals(self) -> tuple[tuple[str, int], ...]:
        return (
            ("New exceptions", len(self.section("new").rows)),
            ("Still open", len(self.section("open").rows)),
            ("Auto-resolved", len(self.section("auto_resolved").rows)),
            ("Info items", len(self.section("info").rows)),
            ("Mail received", self.mail_received),
            ("Failed messages", self.failed_messages),
            ("Dead messages", self.dead_messages),
        )


def cutoff(settings: Settings, day: dt.date) -> dt.datetime:
    """Day ``day``'s report cut-off: ``report.send_at`` local time."""
    return dt.datetime.combine(day, settings.report.send_time, tzinfo=settings.calendar.zone)


def previous_working_day(calendar: WorkingCalendar, day: dt.date) -> dt.date:
    candidate = day - dt.timedelta(days=1)
    for _ in range(3660):
        if calendar.is_working_day(candidate):
            return candidate
        candidate -= dt.timedelta(days=1)
    raise ValueError(f"no working day in the ten years before {day}")


def period(settings: Settings, store: Store, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The (start, end] a report for ``day`` covers."""
    end = cutoff(settings, day)
    previous = store.reports.previous(day)
    if previous is not None and previous.period_end < end:
        return previous.period_end, end
    return cutoff(settings, previous_working_day(working_calendar(settings), day)), end


def build(
    settings: Settings, store: Store, day: dt.date, *, now: dt.datetime | None = None
) -> Report:
    """The report for ``day``, from the database as it is now."""
    now = now or dt.datetime.now(dt.UTC)
    calendar = working_calendar(settings)
    start, end = period(settings, store, day)
    items = store.reports.items(start, end)
    by_status = store.reports.messages_by_status()
    identify = settings.report.identify

    def row(section: str, item: ReportItem) -> Row:
        overdue = ""
        if section in {"new", "open"} and item.status == "open" and item.due_at is not None:
            overdue = _overdue(calendar, item.due_at, end)
        age = calendar.working_days_between(item.raised_at, end) if section == "open" else None
        return Row(
            section=section,
            rule=item.rule,
            severity=item.severity,
            status=item.status,
            exception_id=item.id,
            reference=_reference(item),
            child=_child(item, identify),
            dob=item.child_dob or "",
            agency=item.agency or "",
            received_at=item.received_at,
            due_at=item.due_at,
            overdue=overdue,
            age_working_days=age,
            late=bool(item.late),
            detail=item.detail,
        )

    in_period = [item for item in items if start < item.raised_at <= end]
    resolved_items = [
        i
        for i in items
        if i.status == "auto_resolved"
        and i.resolved_at is not None
        and start < i.resolved_at <= end
    ]
    resolved_set = {i.id for i in resolved_items}
    # Raised and already auto-resolved in the period: listed once, under auto-resolved.
    new = [
        row("new", i) for i in in_period if i.severity == "exception" and i.id not in resolved_set
    ]
    still_open = [
        row("open", i)
        for i in items
        if i.status == "open" and i.severity == "exception" and i.raised_at <= end
    ]
    resolved = [row("auto_resolved", i) for i in resolved_items]
    info = [row("info", i) for i in in_period if i.severity == "info"]
    sections = (
        _section("new", new),
        _section("open", still_open),
        _section("auto_resolved", resolved),
        _section("info", info),
    )
    found = store.reports.mailboxes()
    lines = tuple(_mailbox_line(settings, counts, now) for counts in found)
    lines += _never_polled(settings, {counts.mailbox for counts in found})
    lines = tuple(sorted(lines, key=lambda line: (not line.trouble, line.mailbox)))
    return Report(
        day=day,
        period_start=start,
        period_end=end,
        built_at=now,
        zone_name=settings.calendar.timezone,
        identify=identify,
        mail_received=store.reports.mail_received(start, end),
        failed_messages=by_status.get("failed", 0),
        dead_messages=by_status.get("dead", 0),
        mailboxes=lines,
        sections=sections,
    )


def _section(key: str, rows: list[Row]) -> Section:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.rule, []).append(row)
    return Section(
        key=key,
        title=_TITLES[key],
        rows=tuple(rows) if key != "new" else tuple(r for g in groups.values() for r in g),
        groups=tuple(RuleGroup(rule, tuple(found)) for rule, found in sorted(groups.items())),
        empty_text=_EMPTY[key],
    )


def _reference(item: ReportItem) -> str:
    parts = [f"EX-{item.id}"]
    if item.message_pk is not None:
        parts.append(f"msg #{item.message_pk}")
    elif item.call_pk is not None:
        parts.append(f"call #{item.call_pk}")
    return " / ".join(parts)


def _child(item: ReportItem, identify: str) -> str:
    names = [item.child_forenames or "", item.child_surname or ""]
    if identify == "full":
        return " ".join(part.strip() for part in names if part.strip())
    letters = [word[0].upper() for part in names for word in part.split() if word[:1].isalpha()]
    return ".".join(letters) + "." if letters else ""


def _overdue(calendar: WorkingCalendar, due: dt.datetime, at: dt.datetime) -> str:
    """How far past ``due`` the moment ``at`` is: working hours (of opening time) while under a
    working day's worth, else working days."""
    if at <= due:
        return ""
    days = calendar.working_days_between(due, at)
    if days <= 2:
        hours = _working_hours(calendar, due, at)
        if hours < 1:
            return "under 1 working hour"
        if hours < _DAY_HOURS:
            return f"{hours:.1f} working hours"
        days = max(days, 1)
    return f"{days} working day{'' if days == 1 else 's'}"


def _working_hours(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Opening time between ``start`` and ``end`` (a few days apart at most)."""
    total = dt.timedelta(0)
    day = start.astimezone(calendar.zone).date()
    last = end.astimezone(calendar.zone).date()
    while day <= last:
        opens, closes = calendar.opening(day), calendar.closing(day)
        if opens is not None and closes is not None:
            overlap = min(closes, end) - max(opens, start)
            if overlap > dt.timedelta(0):
                total += overlap
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def poll_interval(schedule: str, zone: dt.tzinfo, at: dt.datetime) -> dt.timedelta | None:
    """The gap between two runs of a cron ``schedule`` around ``at`` (None: "disable")."""
    if schedule == "disable":
        return None
    trigger = CronTrigger.from_crontab(schedule, timezone=zone)
    first = trigger.get_next_fire_time(None, at)
    if first is None:
        return None
    second = trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1))
    if second is None:
        return None
    gap: dt.timedelta = second - first
    return gap


def _mailbox_line(settings: Settings, counts: MailboxCounts, now: dt.datetime) -> MailboxCounts:
    problems: list[str] = []
    box = next((b for b in settings.mailboxes if b.name == counts.mailbox), None)
    if box is not None and box.enabled:
        interval = poll_interval(box.schedule, settings.calendar.zone, now)
        if interval is not None:
            last = counts.last_success_at
            if last is None:
                problems.append("never polled successfully")
            elif now - last > 2 * interval:
                problems.append("no successful poll for over two poll intervals")
    if counts.dead:
        problems.append(f"{counts.dead} dead message{'' if counts.dead == 1 else 's'}")
    return replace(counts, problems=tuple(problems))


def _never_polled(settings: Settings, known: set[str]) -> tuple[MailboxCounts, ...]:
    """Configured, enabled, scheduled mailboxes the database has never heard of."""
    return tuple(
        MailboxCounts(
            box.name,
            None,
            0,
            0,
            0,
            0,
            0,
            None,
            polled=False,
            problems=("never polled successfully",),
        )
        for box in settings.mailboxes
        if box.enabled and box.schedule != "disable" and box.name not in known
    )
