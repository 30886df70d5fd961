"""What the list pages (exceptions, calls, messages) share: page numbers, links to the previous
and next pages that keep the filter, and local-date filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from intake.store.ledger import Store
from intake.store.triage import TriageStore

PER_PAGE = 50


def triage_store(store: Store) -> TriageStore:
    return TriageStore(store)


def page_number(text: str | None) -> int:
    """``?page=N`` (1 when absent or not a sensible number)."""
    if text and text.isdigit() and len(text) <= 6:
        return max(1, int(text))
    return 1


def local_day(text: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` filter value; raises ValueError for anything else."""
    if not text:
        return None
    return dt.date.fromisoformat(text.strip())


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


@dataclass(frozen=True)
class Pager:
    """Links to the previous and next pages, keeping the filter."""

    page: int
    pages: int
    total: int
    previous: str | None
    next: str | None


def pager(path: str, params: dict[str, str], page: int, pages: int, total: int) -> Pager:
    def link(number: int) -> str:
        kept = {k: v for k, v in params.items() if v}
        if number > 1:
            kept["page"] = str(number)
        return path + ("?" + urlencode(kept) if kept else "")

    return Pager(
        page,
        pages,
        total,
        link(page - 1) if page > 1 else None,
        link(page + 1) if page < pages else None,
    )
