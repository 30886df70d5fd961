"""The daemon: APScheduler jobs that poll each mailbox, run the checks at every deadline, retry
failures, expire raw copies and send the daily exceptions report (see ``intake.report.send``).

The checks run after every poll (inside it), within a minute of every deadline (a light job
each minute asks the database whether a pending deadline has passed, and judges if one has),
and on ``schedule.checks`` as a safety net
(calls recorded from the command line are judged then too).

Each job runs at most one instance at a time and missed runs are coalesced into one. A
database-level lock per mailbox (see ``service.poll_mailbox``) keeps two daemons, or a daemon and
`intake poll`, from polling one mailbox at once. SIGTERM and SIGINT stop it cleanly: the running
poll finishes its current batch commit, and nothing is lost either way.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from intake import service
from intake.config import Settings
from intake.errors import IntakeError, LockHeld
from intake.logs import correlation
from intake.store.ledger import Store

log = logging.getLogger("intake.scheduler")
#: How often the daemon looks for a failed report send whose back-off has passed.
REPORT_RETRY_MINUTES = 5


def build_scheduler(settings: Settings, store: Store) -> BackgroundScheduler:
    """The daemon's jobs, not yet started."""
    zone = settings.calendar.zone
    scheduler = BackgroundScheduler(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=max(2, len(settings.mailboxes)))},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600},
    )
    now = dt.datetime.now(zone)

    def check_job() -> None:
        _guarded("checks", lambda: service.run_checks(settings, store))

    def deadline_job() -> None:
        if store.cases.deadline_passed(dt.datetime.now(dt.UTC)):
            check_job()

    for box in settings.mailboxes:
        if not box.enabled or box.schedule == "disable":
            log.info("mailbox not scheduled", extra={"mailbox": box.name})
            continue

        def poll_job(name: str = box.name) -> None:
            _guarded(
                f"poll:{name}",
                lambda: service.poll_mailbox(settings, store, settings.mailbox(name)),
            )

        scheduler.add_job(
            poll_job,
            CronTrigger.from_crontab(box.schedule, timezone=zone),
            id=f"poll:{box.name}",
            next_run_time=now,
        )
    if settings.schedule.checks != "disable":
        scheduler.add_job(
            check_job,
            CronTrigger.from_crontab(settings.schedule.checks, timezone=zone),
            id="checks",
        )
    scheduler.add_job(deadline_job, IntervalTrigger(minutes=1), id="deadline")
    if settings.schedule.retry != "disable":
        scheduler.add_job(
            lambda: _guarded("retry", lambda: service.retry_failed(settings, store)),
            CronTrigger.from_crontab(settings.schedule.retry, timezone=zone),
            id="retry",
        )
    _add_report_jobs(scheduler, settings, store, now)
    if settings.schedule.retention != "disable":
        scheduler.add_job(
            lambda: _guarded("retention", lambda: service.expire_raw(store)),
            CronTrigger.from_crontab(settings.schedule.retention, timezone=zone),
            id="retention",
        )
    return scheduler


def _add_report_jobs(
    scheduler: BackgroundScheduler, settings: Settings, store: Store, now: dt.datetime
) -> None:
    """The daily report: at ``report.send_at`` every day (the job itself skips days that are not
    working days), once at start-up to catch up on a day missed while the daemon was down, and
    every few minutes for failed sends whose back-off has passed."""
    from intake.report import run_due

    def report_job() -> None:
        _guarded("report", lambda: run_due(settings, store))

    send_time = settings.report.send_time
    scheduler.add_job(
        report_job,
        CronTrigger(hour=send_time.hour, minute=send_time.minute, timezone=settings.calendar.zone),
        id="report",
        next_run_time=now,
    )
    scheduler.add_job(report_job, IntervalTrigger(minutes=REPORT_RETRY_MINUTES), id="report-retry")


def _guarded(job: str, body: Callable[[], object]) -> None:
    """Run one job; log its failure (type only) and let the schedule go on."""
    try:
        with correlation(job.split(":")[0]):
            body()
    except LockHeld:
        log.info("job skipped: another process holds the lock", extra={"job": job})
    except IntakeError as err:
        log.error("job failed", extra={"job": job, "error": type(err).__name__, "reason": str(err)})
    except Exception as err:
        log.error("job crashed", extra={"job": job, "error": type(err).__name__})


def run_daemon(settings: Settings, store: Store, stop: threading.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or ``stop`` is set), then finish running jobs and return."""
    stopping = stop or threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = build_scheduler(settings, store)
    scheduler.start()
    log.info("daemon started", extra={"jobs": len(scheduler.get_jobs())})
    try:
        while not stopping.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("daemon stopped")
