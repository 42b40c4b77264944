"""How much a sending organisation's apprentices are at risk: pure arithmetic, no queries.

The figures of one organisation (:class:`Figures`) are counted by
``risk_selectors.py``; here they become rates per 100 apprentices abroad, one
score to rank organisations by, and the quarters a trend is drawn over.

The score weighs what was *found* above what is only *alleged*: a substantiated
case (or partly substantiated) counts 3, an early return 2, an open case 1 and
an overdue monitoring report 0.5, all per 100 apprentices abroad (an
organisation with nobody abroad is counted as if it had one, so that cases
about it still rank it). The weights are a starting point for the ministry to
adjust, documented in docs/protection.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS = {
    "substantiated": Decimal(3),
    "early_returns": Decimal(2),
    "open": Decimal(1),
    "overdue_reports": Decimal("0.5"),
}
TREND_QUARTERS = 4
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def per_hundred(count: int, abroad: int) -> Decimal | None:
    """``count`` per 100 apprentices abroad, to two places; None when nobody is abroad."""
    if abroad <= 0:
        return None
    return (Decimal(count) * HUNDRED / Decimal(abroad)).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Quarter:
    """One calendar quarter (``2026-Q3``), its first and last day."""

    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )


def quarter_of(day: dt.date) -> Quarter:
    """The quarter ``day`` falls in."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_quarters(today: dt.date, count: int = TREND_QUARTERS) -> list[Quarter]:
    """The ``count`` quarters up to and including today's, the oldest first."""
    found = [quarter_of(today)]
    while len(found) < count:
        found.append(found[-1].previous())
    return found[::-1]


@dataclass(frozen=True)
class QuarterFigures:
    """What happened with one organisation in one quarter."""

    quarter: Quarter
    abroad: int  # apprentices abroad on the quarter's last day (or today, for this quarter)
    reported: int  # cases reported in the quarter
    substantiated: int  # cases found substantiated (wholly or partly) in the quarter
    early_returns: int  # stays that ended early in the quarter

    @property
    def reported_rate(self) -> Decimal | None:
        return per_hundred(self.reported, self.abroad)

    @property
    def substantiated_rate(self) -> Decimal | None:
        return per_hundred(self.substantiated, self.abroad)

    @property
    def early_return_rate(self) -> Decimal | None:
        return per_hundred(self.early_returns, self.abroad)


@dataclass(frozen=True)
class Figures:
    """One sending organisation's counts: now, over the last four quarters, and per quarter."""

    organisation_id: int
    name: str
    abroad: int
    open_by_category: dict[str, int] = field(default_factory=dict)
    substantiated_by_category: dict[str, int] = field(default_factory=dict)
    overdue_reports: int = 0
    early_returns: int = 0
    trend: tuple[QuarterFigures, ...] = ()

    @property
    def open_cases(self) -> int:
        return sum(self.open_by_category.values())

    @property
    def substantiated_cases(self) -> int:
        return sum(self.substantiated_by_category.values())

    @property
    def open_rate(self) -> Decimal | None:
        return per_hundred(self.open_cases, self.abroad)

    @property
    def substantiated_rate(self) -> Decimal | None:
        return per_hundred(self.substantiated_cases, self.abroad)

    @property
    def overdue_rate(self) -> Decimal | None:
        return per_hundred(self.overdue_reports, self.abroad)

    @property
    def early_return_rate(self) -> Decimal | None:
        return per_hundred(self.early_returns, self.abroad)

    @property
    def score(self) -> Decimal:
        """The weighted sum of the counts per 100 abroad (see the module's docstring)."""
        weighted = (
            WEIGHTS["substantiated"] * self.substantiated_cases
            + WEIGHTS["early_returns"] * self.early_returns
            + WEIGHTS["open"] * self.open_cases
            + WEIGHTS["overdue_reports"] * self.overdue_reports
        )
        return (weighted * HUNDRED / max(self.abroad, 1)).quantize(TWO_PLACES, ROUND_HALF_UP)

    @property
    def has_signals(self) -> bool:
        """Whether anything at all counts against the organisation."""
        return bool(
            self.open_cases
            or self.substantiated_cases
            or self.overdue_reports
            or self.early_returns
        )

    def by_category(self) -> list[tuple[str, int, int]]:
        """(category, open, substantiated) for every category with either, by category code."""
        codes = sorted(set(self.open_by_category) | set(self.substantiated_by_category))
        return [
            (c, self.open_by_category.get(c, 0), self.substantiated_by_category.get(c, 0))
            for c in codes
        ]


def ranked(figures: list[Figures]) -> list[Figures]:
    """Organisations with any signal, the highest score first (then by name, then id)."""
    shown = [f for f in figures if f.has_signals]
    return sorted(shown, key=lambda f: (-f.score, f.name, f.organisation_id))
