"""Selection rates by sex, province and age band, with the four-fifths rule (pure Python).

Used for selection rounds (who passed a stage, who passed the round) and for
matching runs (who was placed). Protected attributes are *outputs* here: they
are counted after the decision, never fed into it.

The rule, per dimension (``sex``, ``province``, ``age_band``):

* a group's *rate* is ``selected / total``;
* the *reference rate* is the highest rate among the groups of that dimension
  that have at least ``min_group`` people. Small groups are kept out of the
  reference because one person selected out of one would otherwise make every
  large group look disadvantaged. Two cases fall back to the highest rate of
  **all** groups: every group is small, or no large group had anyone selected
  while a small one did (otherwise a large group with 0 selected would be
  compared with a reference of 0 and look fine, as in "0 of 7 selected:
  within the rule");
* a group's *impact ratio* is ``rate / reference``. A small group may have a
  ratio above 1. When nobody in the dimension was selected there is no
  reference: the ratio is ``None`` and no group is judged (nothing was
  decided in anyone's favour, and "within the rule" would be a claim the
  figures cannot support);
* a group is *flagged* when its ratio is below 0.8 (four fifths) **and** it is
  not small. A group of ``min_group`` people or more with nobody selected,
  while someone of the same dimension was selected, therefore always is. A
  small group (``total < min_group``) is never flagged: its rate is shown with
  the caveat that the group is too small for the rule to say anything
  reliable.

Each group's :attr:`GroupRate.verdict` says which of these applies.

The comparison with four fifths is exact (integer arithmetic), so a ratio of
exactly 0.8 is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

DIMENSIONS: tuple[str, ...] = ("sex", "province", "age_band")
AGE_BANDS: tuple[str, ...] = ("<18", "18–24", "25–29", "30–34", "35–39", "40+")
FOUR_FIFTHS = Fraction(4, 5)
MIN_GROUP = 5


@dataclass(frozen=True)
class Person:
    """One person counted in a report: their groups and whether they were selected."""

    sex: str
    province: str
    age_band: str
    selected: bool


@dataclass(frozen=True)
class GroupRate:
    """The selection rate of one group in one dimension, compared with the reference group."""

    dimension: str
    group: str
    total: int
    selected: int
    rate: float
    impact_ratio: float | None
    flagged: bool
    small: bool

    @property
    def verdict(self) -> str:
        """``flagged``, ``small`` (too few to judge), ``no_selection`` (nobody of
        the dimension selected: nothing to compare) or ``within`` the rule."""
        if self.flagged:
            return "flagged"
        if self.small:
            return "small"
        if self.impact_ratio is None:
            return "no_selection"
        return "within"

    @property
    def rate_percent(self) -> float:
        """The rate in percent, one decimal (for display)."""
        return round(self.rate * 100, 1)

    @property
    def impact_percent(self) -> float | None:
        """The impact ratio in percent, one decimal (for display); None without a reference."""
        return None if self.impact_ratio is None else round(self.impact_ratio * 100, 1)


@dataclass(frozen=True)
class FairnessReport:
    """Overall and per-group selection rates; ``flagged`` lists the four-fifths breaches."""

    total: int
    selected: int
    rate: float
    groups: list[GroupRate] = field(default_factory=list)
    min_group: int = MIN_GROUP

    @property
    def rate_percent(self) -> float:
        """The overall rate in percent, one decimal (for display)."""
        return round(self.rate * 100, 1)

    @property
    def flagged(self) -> list[GroupRate]:
        """The groups whose impact ratio is below four fifths (small groups excluded)."""
        return [g for g in self.groups if g.flagged]

    @property
    def has_small(self) -> bool:
        """True if some group is too small for the four-fifths rule."""
        return any(g.small for g in self.groups)

    def dimension(self, name: str) -> list[GroupRate]:
        """The groups of one dimension (``sex``, ``province`` or ``age_band``), in order."""
        return [g for g in self.groups if g.dimension == name]

    @property
    def by_dimension(self) -> list[tuple[str, list[GroupRate]]]:
        """(dimension, groups) pairs in the fixed order of :data:`DIMENSIONS` (for templates)."""
        return [(name, self.dimension(name)) for name in DIMENSIONS]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` reads it back."""
        return {
            "total": self.total,
            "selected": self.selected,
            "rate": self.rate,
            "min_group": self.min_group,
            "groups": [asdict(g) for g in self.groups],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FairnessReport:
        """Rebuild a report stored with :meth:`to_dict`."""
        return cls(
            total=int(data["total"]),
            selected=int(data["selected"]),
            rate=float(data["rate"]),
            min_group=int(data.get("min_group", MIN_GROUP)),
            groups=[GroupRate(**g) for g in data.get("groups", [])],
        )


def age_band(age: int) -> str:
    """The age band of an age in whole years: <18, 18–24, 25–29, 30–34, 35–39, 40+."""
    if age < 18:
        return "<18"
    if age < 25:
        return "18–24"
    if age >= 40:
        return "40+"
    low = age // 5 * 5
    return f"{low}–{low + 4}"


def fairness_report(people: Iterable[Person], *, min_group: int = MIN_GROUP) -> FairnessReport:
    """Count selection rates overall and per group, and apply the four-fifths rule."""
    counts: dict[tuple[str, str], list[int]] = {}
    total = selected = 0
    for person in people:
        total += 1
        selected += person.selected
        for name in DIMENSIONS:
            tally = counts.setdefault((name, getattr(person, name)), [0, 0])
            tally[0] += 1
            tally[1] += person.selected
    groups: list[GroupRate] = []
    for name in DIMENSIONS:
        tallies = {g: (t, s) for (d, g), (t, s) in counts.items() if d == name}
        groups.extend(_dimension_rates(name, tallies, min_group))
    return FairnessReport(
        total=total,
        selected=selected,
        rate=selected / total if total else 0.0,
        groups=groups,
        min_group=min_group,
    )


def _dimension_rates(
    name: str, tallies: Mapping[str, tuple[int, int]], min_group: int
) -> list[GroupRate]:
    """The rates of one dimension's groups against that dimension's reference rate."""
    rates = {g: Fraction(s, t) for g, (t, s) in tallies.items()}
    reference = reference_rate(tallies, min_group)
    result = []
    for group in sorted(tallies, key=lambda g: _group_key(name, g)):
        total, chosen = tallies[group]
        ratio = rates[group] / reference if reference else None
        small = total < min_group
        result.append(
            GroupRate(
                dimension=name,
                group=group,
                total=total,
                selected=chosen,
                rate=float(rates[group]),
                impact_ratio=None if ratio is None else float(ratio),
                flagged=not small and ratio is not None and ratio < FOUR_FIFTHS,
                small=small,
            )
        )
    return result


def reference_rate(tallies: Mapping[str, tuple[int, int]], min_group: int) -> Fraction:
    """The rate the groups of one dimension are compared with (0: nobody was selected).

    ``tallies`` maps a group to ``(total, selected)``. The highest rate among
    groups of at least ``min_group`` people; the highest of all groups when no
    group is that large, or when no large group had anyone selected.
    """
    rates = [Fraction(s, t) for t, s in tallies.values()]
    large = [Fraction(s, t) for t, s in tallies.values() if t >= min_group]
    return max(large, default=Fraction(0)) or max(rates, default=Fraction(0))


def _group_key(dimension: str, group: str) -> tuple[int, str]:
    """Sort age bands in age order and other groups alphabetically (unknown last)."""
    if dimension == "age_band" and group in AGE_BANDS:
        return (AGE_BANDS.index(group), group)
    return (len(AGE_BANDS) if group else len(AGE_BANDS) + 1, group)
