"""The daemon's housekeeping jobs: automatic retries of failed messages, raw-copy expiry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

from intake import service, synthetic
from intake.config import DatabaseSettings, LimitSettings, Settings
from intake.store.ledger import Store
from intake.store.records import Failure


def test_a_transient_failure_is_retried_automatically_once_due(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN an imported message whose processing failed for a passing reason (retry in 1 s)
    WHEN the retry job runs before and after that THEN it is left alone, then checked."""
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        limits=dataclasses.replace(LimitSettings(), retry_backoff_seconds=1),
    )
    mail = synthetic.demo_corpus(seed=9, start=dt.date(2026, 11, 16))[:1]
    path = synthetic.write_eml_files(mail, tmp_path)
    service.import_paths(settings, store, path)
    (entry,) = store.ledger()
    failure = Failure.of(TimeoutError("disk busy"), transient=True)
    store.mark_failed(entry.id, failure, max_attempts=4, backoff=dt.timedelta(seconds=1))
    assert service.retry_failed(settings, store) == {}
    time.sleep(1.2)
    assert service.retry_failed(settings, store) == {"checked": 1}
    assert store.ledger()[0].status == "checked"


def test_expiry_removes_old_raw_copies_only(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(database=DatabaseSettings(url=database_url))
    mail = synthetic.demo_corpus(seed=9, start=dt.date(2026, 11, 16))[:2]
    service.import_paths(settings, store, synthetic.write_eml_files(mail, tmp_path))
    assert service.expire_raw(store) == 0
    assert store.summary().raw_bytes_kept > 0
