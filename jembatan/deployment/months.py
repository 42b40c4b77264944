"""Counting in calendar months: a stay of 36 months, a report due every 3 months.

A month later than 31 January is the last day of February: the day is kept
where the month has it, otherwise the month's last day is taken.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (negative moves back)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_end(anchor: dt.date, months: int, period: int) -> dt.date:
    """The end of period ``period`` (1, 2, …) of ``months`` months each, counted from ``anchor``."""
    return add_months(anchor, months * period)


def period_containing(anchor: dt.date, months: int, day: dt.date) -> int:
    """The first period (1, 2, …) whose end is on or after ``day``."""
    elapsed = (day.year - anchor.year) * 12 + day.month - anchor.month
    period = max(1, elapsed // months)
    while period_end(anchor, months, period) < day:
        period += 1
    while period > 1 and period_end(anchor, months, period - 1) >= day:
        period -= 1
    return period
