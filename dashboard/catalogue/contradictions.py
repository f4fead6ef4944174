"""Figures that contradict each other: a running total that falls, a bound broken on one
date, one number given another meaning by another document; and whether the catalogue
records the disagreement (an `ambiguity` naming the other document).

The checks warn about them (checks/crossdoc.py); the chart grammar never joins such a pair
and writes the disagreement on the chart (figures/grammar.py). One definition serves both,
so what `check` names is what the charts keep apart.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import Any, Literal

from dashboard.catalogue.models import Catalogue, Indicator, Measure, Observation, Qualifier
from dashboard.catalogue.periods import Period
from dashboard.catalogue.scales import convert
from dashboard.catalogue.textnorm import normalize

# "近 v" (nearly) is read as [NEARLY_FLOOR * v, v): close below v. "约 v" (about) as
# v ± ABOUT_SPREAD. Looser readings would miss a fall; tighter ones would cry wolf.
NEARLY_FLOOR = 0.8
ABOUT_SPREAD = 0.2
# A number must be this specific for its reuse under another meaning to be telling: 339 or
# 2674 hardly recur by chance in one topic and unit; 8, 12 or 300 do.
MEANING_DIGITS = 3
_BOUNDS = {Qualifier.more_than, Qualifier.nearly}

Kind = Literal["falls", "bound", "meaning"]


@dataclass(frozen=True)
class Range:
    """The values a figure allows: low..high, each end open or closed."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def below(self, other: Range) -> bool:
        """Every value of self is below every value of other."""
        if self.high < other.low:
            return True
        return self.high == other.low and (self.high_open or other.low_open)


def value_range(
    obs: Observation, indicator: Indicator | None = None, units: Mapping[str, Any] | None = None
) -> Range:
    """The values a figure allows, in its indicator's unit when it is stated in a scale of
    it, by data/units.yaml's factors (1.33 万家 of an indicator in 家 is 13,300). ValueError
    for a unit that is not a listed scale of the indicator's: never compared as if it were
    (the check `observation-unit` names it)."""
    v = float(obs.value)
    if indicator is not None and obs.unit is not None and obs.unit != indicator.unit:
        v = float(convert(obs.value, obs.unit, indicator.unit, units or {}))
    if obs.qualifier is Qualifier.more_than:
        return Range(v, math.inf, low_open=True)
    if obs.qualifier is Qualifier.nearly:
        return Range(v * NEARLY_FLOOR, v, high_open=True)
    if obs.qualifier is Qualifier.about:
        return Range(v * (1 - ABOUT_SPREAD), v * (1 + ABOUT_SPREAD))
    return Range(v, v)


@dataclass(frozen=True)
class Figure:
    """One observation, by its indicator and its index there (so checks can locate it)."""

    indicator: Indicator
    index: int

    @property
    def obs(self) -> Observation:
        return self.indicator.observations[self.index]


@dataclass(frozen=True)
class Contradiction:
    """Two figures that cannot both hold as they are read: `later` (the newer document's,
    where the warning is placed) against `earlier`."""

    kind: Kind
    earlier: Figure
    later: Figure
    acknowledged: bool  # an `ambiguity` of either figure names the other's document

    @property
    def figures(self) -> tuple[Figure, Figure]:
        return self.earlier, self.later


# --------------------------------------------------------------------------------------------
# Recorded disagreements.


def document_names(catalogue: Catalogue, source_id: str) -> list[str]:
    """The ways an ambiguity may name a document: its reference, short labels, id."""
    source = catalogue.sources_by_id.get(source_id)
    names = [source_id]
    if source is not None:
        names += [source.reference or "", source.short.zh, source.short.en]
    return [n for n in dict.fromkeys(names) if n]


def records(catalogue: Catalogue, obs: Observation, other: Observation) -> bool:
    """Whether `obs`'s ambiguity records a disagreement with `other`: it names `other`'s
    document (any ambiguity will do when both come from one document)."""
    if obs.ambiguity is None:
        return False
    if obs.source == other.source:
        return True
    text = normalize(obs.ambiguity.zh + obs.ambiguity.en)
    return any(normalize(name) in text for name in document_names(catalogue, other.source))


def acknowledged(catalogue: Catalogue, a: Observation, b: Observation) -> bool:
    """The catalogue records this disagreement on either figure."""
    return records(catalogue, a, b) or records(catalogue, b, a)


def _pair(catalogue: Catalogue, kind: Kind, earlier: Figure, later: Figure) -> Contradiction:
    return Contradiction(kind, earlier, later, acknowledged(catalogue, earlier.obs, later.obs))


# --------------------------------------------------------------------------------------------
# The three kinds.


def _stated(indicator: Indicator) -> list[Figure]:
    return [
        Figure(indicator, j) for j, obs in enumerate(indicator.observations) if not obs.is_derived
    ]


def _by_end(figure: Figure) -> tuple[date, date]:
    span = figure.obs.span
    return span.end, span.start or date.min


def _starts_later(later: Period, earlier: Period) -> bool:
    """The later total counts from a later start, so it may legitimately be smaller."""
    return later.start is not None and (earlier.start is None or later.start > earlier.start)


def _same_date(a: Period, b: Period) -> bool:
    return a.end == b.end and a.precision == b.precision


def _comparable(figures: Iterable[Figure], units: Mapping[str, Any]) -> list[tuple[Figure, Range]]:
    """Each figure with its range; a figure in a unit that is not a listed scale of its
    indicator's is left out rather than compared in a guessed scale."""
    out: list[tuple[Figure, Range]] = []
    for f in figures:
        try:
            out.append((f, value_range(f.obs, f.indicator, units)))
        except ValueError:
            continue
    return out


def falls(
    catalogue: Catalogue, indicator: Indicator, units: Mapping[str, Any]
) -> Iterator[Contradiction]:
    """A running total that is lower at a later date than at an earlier one (unless the
    later total counts from a later start)."""
    if indicator.measure is not Measure.cumulative:
        return
    ordered = sorted(_comparable(_stated(indicator), units), key=lambda fr: _by_end(fr[0]))
    for (a, ra), (b, rb) in combinations(ordered, 2):
        if a.obs.span.end >= b.obs.span.end or _starts_later(b.obs.span, a.obs.span):
            continue
        if rb.below(ra):
            yield _pair(catalogue, "falls", a, b)


def bounds(
    catalogue: Catalogue, indicator: Indicator, units: Mapping[str, Any]
) -> Iterator[Contradiction]:
    """Two figures for one date, one of them a bound (超/近), that cannot both hold: exact
    8 vs 超8, or 近8 vs 超8. The one of the newer document (else the later one listed) is
    `later`."""
    stated = [f for f in _stated(indicator) if f.obs.qualifier is not Qualifier.about]
    for (a, ra), (b, rb) in combinations(_comparable(stated, units), 2):
        if not (_BOUNDS & {a.obs.qualifier, b.obs.qualifier}):
            continue
        if not _same_date(a.obs.span, b.obs.span):
            continue
        if ra.below(rb) or rb.below(ra):
            if _as_of(catalogue, a)[0] > _as_of(catalogue, b)[0]:
                a, b = b, a
            yield _pair(catalogue, "bound", a, b)


def _digits(value: float) -> int:
    """Significant digits as written: 339 → 3, 6600 → 2, 18.3 → 3."""
    return len(Decimal(str(value)).normalize().as_tuple().digits)


def _as_of(catalogue: Catalogue, figure: Figure) -> tuple[date, date, str]:
    source = catalogue.sources_by_id.get(figure.obs.source)
    when = source.as_of if source is not None else figure.obs.span.end
    return when, figure.obs.span.end, figure.obs.source


def meanings(catalogue: Catalogue) -> Iterator[Contradiction]:
    """The same specific number (at least MEANING_DIGITS significant digits), in the same
    topic and unit, given by two documents to two different indicators: the newer one
    likely names with another word what the older one counted (339 signed deals, later
    339 matches). Each newer figure is paired once, with the oldest such figure."""
    groups: dict[tuple[str, str, Decimal], list[Figure]] = {}
    for indicator in catalogue.indicators:
        if indicator.measure is Measure.rank:
            continue
        for figure in _stated(indicator):
            value = figure.obs.value
            if value == 0 or _digits(value) < MEANING_DIGITS:
                continue
            # The number as written, in the unit it was written in (339 项 is not 339 万项).
            unit = figure.obs.unit or indicator.unit
            key = (indicator.topic, unit, Decimal(str(value)).normalize())
            groups.setdefault(key, []).append(figure)
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda f: _as_of(catalogue, f))
        # Per document, its first two figures of distinct indicators so far: enough to find
        # the oldest figure of another document and another indicator without rescanning
        # (a catalogue of many alike indicators has large groups).
        firsts: dict[str, list[tuple[int, Figure]]] = {}
        for k, later in enumerate(ordered):
            candidates = [
                (order, f)
                for source, kept in firsts.items()
                if source != later.obs.source
                for order, f in kept
                if f.indicator.id != later.indicator.id
            ]
            if candidates:
                yield _pair(catalogue, "meaning", min(candidates, key=lambda c: c[0])[1], later)
            kept = firsts.setdefault(later.obs.source, [])
            if len(kept) < 2 and all(f.indicator.id != later.indicator.id for _, f in kept):
                kept.append((k, later))


def within(
    catalogue: Catalogue, indicator: Indicator, units: Mapping[str, Any]
) -> list[Contradiction]:
    """The contradictions between figures of one indicator (falls and broken bounds)."""
    return [*falls(catalogue, indicator, units), *bounds(catalogue, indicator, units)]


# --------------------------------------------------------------------------------------------
# All of a catalogue's, indexed for charts (built once per catalogue object).


@dataclass(frozen=True)
class Index:
    """Every contradiction of a catalogue, by indicator and by figure (the observation
    object of the catalogue it was built from)."""

    all: tuple[Contradiction, ...]
    by_indicator: dict[str, tuple[Contradiction, ...]]
    by_obs: dict[int, tuple[Contradiction, ...]]

    def of(self, indicator_id: str) -> tuple[Contradiction, ...]:
        return self.by_indicator.get(indicator_id, ())

    def of_figure(self, obs: Observation) -> tuple[Contradiction, ...]:
        return self.by_obs.get(id(obs), ())

    def between(self, a: Observation, b: Observation) -> Contradiction | None:
        """The contradiction of these two figures (either order), if they are one."""
        for c in self.of_figure(a):
            if b is c.earlier.obs or b is c.later.obs:
                return c
        return None


def find_all(catalogue: Catalogue, units: Mapping[str, Any]) -> list[Contradiction]:
    """Every contradiction of the catalogue, figures compared by data/units.yaml `units`."""
    found: list[Contradiction] = []
    for indicator in catalogue.indicators:
        found += within(catalogue, indicator, units)
    found += meanings(catalogue)
    return found


def _index(found: Iterable[Contradiction]) -> Index:
    items = tuple(found)
    by: dict[str, list[Contradiction]] = {}
    by_obs: dict[int, list[Contradiction]] = {}
    for c in items:
        for ident in dict.fromkeys(f.indicator.id for f in c.figures):
            by.setdefault(ident, []).append(c)
        for f in c.figures:
            by_obs.setdefault(id(f.obs), []).append(c)
    return Index(
        items, {k: tuple(v) for k, v in by.items()}, {k: tuple(v) for k, v in by_obs.items()}
    )


# Keyed on the catalogue object, held weakly: an entry lives as long as its catalogue (a
# page builds many views of one version; an old version, once dropped, takes its index with
# it), and kept only for the units table it was built with (the loading layer hands every
# view of one version the same table object). Plain dict reads and writes: atomic under the
# GIL, and a weakref callback may run inside any code, so no lock is taken there.
_CACHE: dict[int, tuple[weakref.ref[Catalogue], Mapping[str, Any], Index]] = {}


def index(catalogue: Catalogue, units: Mapping[str, Any]) -> Index:
    """The catalogue's contradictions (figures compared by data/units.yaml `units`),
    computed once per catalogue object and units table."""
    key = id(catalogue)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is catalogue and hit[1] is units:
        return hit[2]
    built = _index(find_all(catalogue, units))

    def forget(ref: weakref.ref[Catalogue]) -> None:
        entry = _CACHE.get(key)
        if entry is not None and entry[0] is ref:
            _CACHE.pop(key, None)

    _CACHE[key] = (weakref.ref(catalogue, forget), units, built)
    return built
