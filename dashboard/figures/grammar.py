"""How each figure is drawn, decided in one place from what it means (docs/charts.md).

`plan_view` turns the chosen indicators' observations into a Plan: one Mark per figure
(a point at its date, or a span across its period), the Joins allowed between them, the
Breaks where a series changes scope, and what the view as a whole is: nothing, one
figure (a card), two comparable figures (a pair with its change) or a chart. The chart
builder (charts.plan_figure), the pages and the slides only draw what the plan says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from dashboard.catalogue import contradictions
from dashboard.catalogue.contradictions import Contradiction
from dashboard.catalogue.models import Catalogue, Indicator, Observation, Source
from dashboard.catalogue.periods import Period, parse_period
from dashboard.catalogue.precision import derived_place
from dashboard.catalogue.scales import convert
from dashboard.figures import theme
from dashboard.figures.change import Change, change_between
from dashboard.figures.formatting import (
    Scale,
    choose_scale,
    format_number,
    format_value,
    is_count,
    round_to_place,
    to_decimal,
)
from dashboard.figures.highlight import figure_anchor
from dashboard.figures.i18n import Translator
from dashboard.figures.wording import date_words, period_words

MarkShape = Literal["point", "span"]
ViewShape = Literal["empty", "card", "pair", "chart"]
JoinStyle = Literal["solid", "bound", "derived"]

# Growth over a span is drawn across that span and never joined to another figure.
SPAN_MEASURES = frozenset({"growth_rate", "average_growth_rate"})
# Levels sit at the date they are as of; flows in the middle of the period they cover.
AT_END = frozenset({"cumulative", "stock"})
BOUNDS = frozenset({"more_than", "nearly"})
# At most this many indicators share one chart (one colour each, labelled at its end).
MAX_SERIES = 4
DEFAULT_YEARS = (2019, 2025)


@dataclass(frozen=True)
class Mark:
    """One figure as drawn: where, how high, what its label says."""

    indicator: str
    obs: Observation
    source: Source
    shape: MarkShape
    x: date  # where the marker and its label sit
    x0: date  # the span drawn (x0 == x1 for a point)
    x1: date
    y: float  # the value in the chart's scale (derived values rounded as shown)
    text: str  # the value label: qualifier and number ("超 6600")
    period_words: str  # "2024年1—11月", "截至2025年6月25日累计"
    as_of_words: str  # the end date in words: "2025年6月25日"
    detail: str  # the label's second line: a span's or part-year's period, a total's as-of date
    segment: int  # comparable run within the indicator; a series break starts a new one
    place: int | None  # the power of ten a derived value is rounded to
    anchor: str  # where its quote is on its source's page (figures.highlight.figure_anchor)
    original: str = ""  # the figure as the source writes it ("152亿元"), for English hovers

    @property
    def qualifier(self) -> str:
        return self.obs.qualifier.value

    @property
    def since_words(self) -> str:
        """How "since this figure" names it: its date for a level or running total
        ("2023年5月16日"), its period for a flow or rate ("2022年")."""
        return self.as_of_words if self.x == self.x1 == self.obs.span.end else self.period_words

    @property
    def since_start(self) -> bool:
        """A running total since a stated start: a point at its as-of date with a span
        back to that start (never a line from an assumed zero)."""
        return self.shape == "point" and self.x == self.x1 and self.x0 != self.x1

    @property
    def derived(self) -> bool:
        return self.obs.is_derived


@dataclass(frozen=True)
class Join:
    """A line between two comparable figures of one indicator."""

    a: Mark
    b: Mark
    style: JoinStyle


@dataclass(frozen=True)
class Break:
    """Where a series changes wording or scope: no line crosses it."""

    indicator: str
    x: date
    y: float
    reason: str


@dataclass(frozen=True)
class Dispute:
    """Figures the documents disagree on (catalogue/contradictions.py: a running total
    that falls, a bound broken on one date, one number with two meanings). They are never
    joined; the disagreement is written on the chart near them (`label`) and in its notes
    (`note`, naming both documents)."""

    kind: str
    marks: tuple[Mark, ...]  # its figures drawn in this view (the other may be unseen)
    label: str  # a few words on the plot: "两份文件不一致"
    note: str  # the notes' line: both documents and what each says
    acknowledged: bool  # the catalogue records it (an `ambiguity` naming the other)


@dataclass(frozen=True)
class Series:
    """One indicator's marks and lines, in its own colour."""

    indicator: Indicator
    label: str
    colour: str
    marks: tuple[Mark, ...]
    joins: tuple[Join, ...]
    breaks: tuple[Break, ...]


@dataclass(frozen=True)
class Unranked:
    """A rank stated as of a date without its years: what it says, and its document."""

    indicator: Indicator
    obs: Observation
    source: Source
    text: str  # the place as labels write it ("第1名")


@dataclass(frozen=True)
class Plan:
    """Everything a view draws, decided from the figures' meaning."""

    shape: ViewShape
    series: tuple[Series, ...]
    scale: Scale
    unit_label: str
    integer_axis: bool
    reversed_axis: bool
    years: tuple[int, int]
    outside: int  # figures of the chosen indicators outside the years shown
    notes: tuple[str, ...]  # break reasons, same-date figures, partial years: on the chart
    change: Change | None  # a pair's change
    newest: date | None
    sources: Mapping[str, int] = field(default_factory=dict)  # citation number per document
    # Ranks a document states with no ranked year ("连续多年位居全国第一" as of its date):
    # not drawn (a place belongs to a ranked year), said in the notes instead.
    unranked: tuple[Unranked, ...] = ()
    disputes: tuple[Dispute, ...] = ()  # contradicting figures, drawn apart and explained

    @property
    def marks(self) -> list[Mark]:
        return [m for s in self.series for m in s.marks]

    @property
    def unranked_notes(self) -> tuple[str, ...]:
        """The notes that say the ranks not drawn (`plan_view` puts them last)."""
        return self.notes[len(self.notes) - len(self.unranked) :] if self.unranked else ()

    def disputes_of(self, mark: Mark) -> list[Dispute]:
        return [d for d in self.disputes if any(m is mark for m in d.marks)]


# --------------------------------------------------------------------------------------------
# Where a figure goes.


def _middle(start: date, end: date) -> date:
    return start + (end - start) / 2


def placement(indicator: Indicator, obs: Observation) -> tuple[MarkShape, date, date, date]:
    """(shape, x, x0, x1) of one figure; see the table in docs/charts.md."""
    span, measure = obs.span, indicator.measure.value
    start = span.start
    if measure == "average_growth_rate" and start is not None:
        return "span", _middle(start, span.end), start, span.end
    if measure == "growth_rate" and obs.compared_with is not None:
        base = parse_period(obs.compared_with)
        base_at = _middle(base.start or base.end, base.end)
        at = _middle(start or span.end, span.end)
        return "span", at, base_at, at
    if measure == "cumulative" and start is not None:
        # A running total since a stated start: at its as-of date, spanning back to the
        # start it counts from; nothing is assumed about the values in between.
        return "point", span.end, start, span.end
    if measure in AT_END or start is None or (span.is_interval and measure != "partial_year_flow"):
        return "point", span.end, span.end, span.end
    if measure == "partial_year_flow":
        return "point", _middle(start, span.end), start, span.end
    return "point", _middle(start, span.end), _middle(start, span.end), _middle(start, span.end)


def _months(span: Period) -> tuple[int, int] | None:
    if span.start is None:
        return None
    return (span.start.month, span.end.month)


# --------------------------------------------------------------------------------------------
# The plan.


@dataclass(frozen=True)
class Words:
    """What the plan needs of the reader's language: labels and the catalogue's units."""

    tr: Translator
    units: Mapping[str, Any]


def _noun(indicator: Indicator) -> dict[str, str] | None:
    return indicator.counts.model_dump() if indicator.counts is not None else None


def value_text(
    indicator: Indicator,
    obs: Observation,
    words: Words,
    scale: Scale | None = None,
    place: int | None = None,
    with_unit: bool = False,
    prose: bool = False,
) -> str:
    """A figure's value as labels show it: qualifier, number (derived ones rounded);
    `prose` writes the qualifier as a word for sentences ("more than", not ">")."""
    tr = words.tr
    prefixes = tr.qualifier_prefixes("qualifier_prose" if prose else "qualifier_prefix")
    ranked = words.units.get(indicator.unit, {}).get("rank_display")
    if indicator.measure.value == "rank" and ranked:
        # A place reads as a place: 第1名 / No. 1 (data/units.yaml `rank_display`).
        prefix = prefixes.get(obs.qualifier.value, "") if obs.qualifier.value != "exact" else ""
        return prefix + str(ranked[tr.lang]).format(value=format_number(obs.value, tr.lang))
    if obs.unit is not None and obs.unit != indicator.unit:
        # Stated in a scale of the indicator's unit (1.33 万家 of a count in 家): shown as
        # stated, with its unit, so it never looks more precise than the source.
        scale, with_unit = None, True
    unit_shown = with_unit or indicator.unit == "%"
    text = format_value(
        obs.value,
        obs.unit_in(indicator),
        obs.qualifier.value,
        tr.lang,
        words.units,
        prefixes,
        noun=_noun(indicator),
        scale=scale,
        place=place,
        with_unit=unit_shown,
        spaced=not (prose and tr.lang == "zh"),
    )
    # A share the source states as a fraction (三分之二) shows it: 66.7% alone would look
    # like a measured percentage.
    return f"{obs.fraction} ({text})" if obs.fraction else text


def original_text(
    indicator: Indicator, obs: Observation, words: Words, place: int | None = None
) -> str:
    """The figure as the source writes it, in Chinese with its own unit ("152亿元",
    "超300亿元", "近3万人"): what an English value is one hover or click away from. A
    derived figure has none (no document states it; its formula is shown instead)."""
    if obs.is_derived:
        return ""
    zh = Words(Translator(words.tr.labels, "zh"), words.units)
    return value_text(indicator, obs, zh, place=place, with_unit=True, prose=True)


def _shown_value(
    obs: Observation, place: int | None, indicator: Indicator, units: Mapping[str, Any]
) -> Decimal:
    """The value in its indicator's unit (1.33 万家 is 13,300 家 on a chart in 家)."""
    number = to_decimal(obs.value)
    if place is not None:
        number = round_to_place(number, place)
    if obs.unit is not None and obs.unit != indicator.unit:
        number = convert(number, obs.unit, indicator.unit, units)
    return number


def fit_years(
    catalogue: Catalogue,
    ids: Sequence[str],
    default: tuple[int, int] = DEFAULT_YEARS,
) -> tuple[int, int]:
    """The default years widened to every figure of the chosen indicators (spans too)."""
    low, high = default
    for ident in ids:
        indicator = catalogue.indicators_by_id.get(ident)
        if indicator is None:
            continue
        for obs in indicator.observations:
            _shape, _x, x0, x1 = placement(indicator, obs)
            low, high = min(low, x0.year, x1.year), max(high, x0.year, x1.year)
    return low, high


def plan_view(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: Words,
    years: tuple[int, int],
) -> Plan:
    """The plan for the chosen indicators (the first decides the unit) over `years`."""
    tr = words.tr
    chosen = [catalogue.indicators_by_id[i] for i in ids if i in catalogue.indicators_by_id]
    chosen = chosen[:MAX_SERIES]
    first = chosen[0] if chosen else None
    lo, hi = date(years[0], 1, 1), date(years[1], 12, 31)
    places: dict[int, int | None] = {}
    inside: list[tuple[Indicator, Observation]] = []
    unranked: list[Unranked] = []
    outside = 0
    for indicator in chosen:
        for obs in indicator.observations:
            _shape, _x, x0, x1 = placement(indicator, obs)
            if x1 < lo or x0 > hi:
                outside += 1
                continue
            if _rank(indicator) and not obs.span.is_single_year:
                text = value_text(indicator, obs, words)
                source = catalogue.sources_by_id[obs.source]
                unranked.append(Unranked(indicator, obs, source, text))
                continue
            inside.append((indicator, obs))
            places[id(obs)] = derived_place(catalogue, obs) if obs.is_derived else None
    unit = first.unit if first else ""
    shown = [_shown_value(o, places[id(o)], i, words.units) for i, o in inside]
    scale = choose_scale(unit, tr.lang, words.units, shown)
    found = contradictions.index(catalogue, words.units)
    series = tuple(
        _series(
            catalogue,
            indicator,
            k,
            [o for i, o in inside if i is indicator],
            scale,
            words,
            places,
            found,
        )
        for k, indicator in enumerate(chosen)
    )
    marks = [m for s in series for m in s.marks]
    disputes = _disputes(catalogue, series, found, words)
    shape = _shape_of(series)
    change = None
    if shape == "pair":
        a, b = series[0].marks
        change = change_between(catalogue, series[0].indicator, a.obs, b.obs, tr, words.units)
    numbers = _numbers(marks, [u.source for u in unranked])
    notes = [d.note for d in disputes] + _notes(series, words, disputes)
    for u in unranked:
        notes.append(
            tr(
                "grammar.rank_unplaced",
                name=u.indicator.label(tr.lang),
                date=date_words(tr, u.obs.span.end, u.obs.span.precision),
                value=u.text,
                quote=u.obs.quote,
                source=tr.text(u.source.short),
            )
        )
    noun = _noun(first) if first else None
    unit_label = ""
    if _rank(first):
        unit_label = tr("grammar.rank_axis")
    elif first is not None:
        unit_label = scale.label(tr.lang, noun)
    return Plan(
        shape=shape,
        series=series,
        scale=scale,
        unit_label=unit_label,
        integer_axis=bool(first) and (is_count(unit, words.units) or _rank(first)),
        reversed_axis=bool(first) and _rank(first),
        years=years,
        outside=outside,
        notes=tuple(notes),
        change=change,
        newest=max((m.obs.span.end for m in marks), default=None),
        sources=numbers,
        unranked=tuple(unranked),
        disputes=disputes,
    )


def _rank(indicator: Indicator | None) -> bool:
    return indicator is not None and indicator.measure.value == "rank"


def _shape_of(series: Sequence[Series]) -> ViewShape:
    marks = [m for s in series for m in s.marks]
    if not marks:
        return "empty"
    if len(series) == 1 and len(marks) == 1:
        return "card"
    if len(series) == 1 and len(marks) == 2 and len(series[0].joins) == 1:
        return "pair"
    return "chart"


def _series(
    catalogue: Catalogue,
    indicator: Indicator,
    k: int,
    observations: Sequence[Observation],
    scale: Scale,
    words: Words,
    places: Mapping[int, int | None],
    found: contradictions.Index,
) -> Series:
    tr = words.tr
    measure = indicator.measure.value
    ordered = sorted(observations, key=lambda o: (o.span.end, o.source))
    marks: list[Mark] = []
    segment = 0
    for obs in ordered:
        if obs.series_break is not None and marks:
            segment += 1
        shape, x, x0, x1 = placement(indicator, obs)
        place = places.get(id(obs))
        value = _shown_value(obs, place, indicator, words.units)
        base = parse_period(obs.compared_with) if obs.compared_with else None
        words_of_period = period_words(tr, obs.span, measure, base)
        if obs.period_inferred:
            # The document does not name this period: it says so wherever it is shown.
            words_of_period = tr("chart.date_inferred", date=words_of_period)
        as_of = date_words(tr, obs.span.end, obs.span.precision)
        marks.append(
            Mark(
                indicator=indicator.id,
                obs=obs,
                source=catalogue.sources_by_id[obs.source],
                shape=shape,
                x=x,
                x0=x0,
                x1=x1,
                y=float(value * scale.factor),
                text=value_text(indicator, obs, words, scale, place),
                period_words=words_of_period,
                as_of_words=as_of,
                detail=_detail(
                    tr,
                    measure,
                    shape,
                    obs.span,
                    x0,
                    x1,
                    words_of_period,
                    as_of,
                    obs.period_inferred,
                ),
                anchor=figure_anchor(indicator.id, _index(indicator, obs)),
                segment=segment,
                place=place,
                original=original_text(indicator, obs, words, place) if tr.lang == "en" else "",
            )
        )
    joins: list[Join] = []
    breaks: list[Break] = []
    for a, b in pairwise(marks):
        if b.segment != a.segment:
            reason = tr.text(b.obs.series_break)
            breaks.append(Break(indicator.id, _middle(a.x, b.x), (a.y + b.y) / 2, reason))
        elif _joinable(indicator, a, b) and found.between(a.obs, b.obs) is None:
            # Two figures that contradict each other are never joined, whatever the style.
            joins.append(Join(a, b, _style(a, b)))
    return Series(
        indicator=indicator,
        label=indicator.label(tr.lang),
        colour=theme.colour(k),
        marks=tuple(marks),
        joins=tuple(joins),
        breaks=tuple(breaks),
    )


def _index(indicator: Indicator, obs: Observation) -> int:
    return next(k for k, o in enumerate(indicator.observations) if o is obs)


def _detail(
    tr: Translator,
    measure: str,
    shape: MarkShape,
    span: Period,
    x0: date,
    x1: date,
    period: str,
    as_of: str,
    inferred: bool = False,
) -> str:
    """What a value label says under the number, so the PNG says what the hover does:
    the span of a growth rate or part-year, the start a running total counts from and
    the date it is as of ("Aug 2022 – 16 May 2023"), the as-of date of a total or level,
    and a period the document does not name ("2019年（推断）")."""
    if measure == "cumulative" and span.start is not None and span.start_precision and not inferred:
        start = date_words(tr, span.start, span.start_precision)
        return tr("grammar.since", start=start, end=as_of)
    if shape == "span" or x0 != x1 or inferred:
        return period
    if measure in AT_END:
        return tr("period_words.as_of", date=as_of)
    return ""


def _joinable(indicator: Indicator, a: Mark, b: Mark) -> bool:
    """Two neighbouring figures of one segment may be joined by a line (docs/charts.md)."""
    measure = indicator.measure.value
    if measure in SPAN_MEASURES or a.shape == "span" or b.shape == "span":
        return False
    if a.obs.span.end == b.obs.span.end:
        return False  # two documents on one date: alternatives, not a change
    if measure == "partial_year_flow" and _months(a.obs.span) != _months(b.obs.span):
        return False  # Jan-Nov is not comparable with Jan-Dec
    return not (measure == "rank" and b.obs.span.end.year - a.obs.span.end.year > 1)


def _style(a: Mark, b: Mark) -> JoinStyle:
    if a.derived or b.derived:
        return "derived"
    if a.qualifier in BOUNDS or b.qualifier in BOUNDS:
        return "bound"
    return "solid"


def _disputes(
    catalogue: Catalogue,
    series: Sequence[Series],
    found: contradictions.Index,
    words: Words,
) -> tuple[Dispute, ...]:
    """The contradictions with at least one figure drawn in this view, in series order."""
    mark_of = {id(m.obs): m for s in series for m in s.marks}
    seen: set[int] = set()
    out: list[Dispute] = []
    for s in series:
        for c in found.of(s.indicator.id):
            drawn = tuple(mark_of[id(f.obs)] for f in c.figures if id(f.obs) in mark_of)
            if not drawn or id(c) in seen:
                continue
            seen.add(id(c))
            out.append(_dispute(catalogue, c, drawn, words))
    return tuple(out)


def _dispute(
    catalogue: Catalogue, c: Contradiction, drawn: tuple[Mark, ...], words: Words
) -> Dispute:
    tr = words.tr
    a, b = c.earlier, c.later

    def said(f: contradictions.Figure) -> dict[str, str]:
        source = catalogue.sources_by_id[f.obs.source]
        value = value_text(f.indicator, f.obs, words, with_unit=True, prose=True)
        return {"value": value, "doc": tr.text(source.short)}

    early, late = said(a), said(b)
    name = b.indicator.label(tr.lang)
    if c.kind == "meaning":
        note = tr(
            "grammar.dispute_meaning",
            name=name,
            value=late["value"],
            later_doc=late["doc"],
            earlier_doc=early["doc"],
            other=a.indicator.label(tr.lang),
        )
        label = tr("grammar.dispute_label_meaning")
    else:
        note = tr(
            f"grammar.dispute_{c.kind}",
            name=name,
            earlier=early["value"],
            earlier_doc=early["doc"],
            later=late["value"],
            later_doc=late["doc"],
            date=date_words(tr, b.obs.span.end, b.obs.span.precision),
        )
        label = tr("grammar.dispute_label")
    return Dispute(c.kind, drawn, label, note, c.acknowledged)


def _notes(series: Sequence[Series], words: Words, disputes: Sequence[Dispute] = ()) -> list[str]:
    tr = words.tr
    notes: list[str] = []
    # A same-date pair that is a broken bound is explained by its dispute's note.
    explained = [{id(m) for m in d.marks} for d in disputes if d.kind == "bound"]
    for s in series:
        for brk in s.breaks:
            notes.append(tr("grammar.break_note", name=s.label, reason=brk.reason))
        disagree = _same_date_groups(s.marks)
        for group in disagree:
            if {id(m) for m in group} in explained:
                continue
            values = " / ".join(m.text for m in group)
            notes.append(tr("grammar.same_date_note", name=s.label, values=values))
        months = {
            _months(m.obs.span) for m in s.marks if s.indicator.measure.value == "partial_year_flow"
        }
        if months:
            notes.append(tr("grammar.partial_note", name=s.label, period=s.marks[-1].period_words))
    return notes


def _same_date_groups(marks: Sequence[Mark]) -> list[list[Mark]]:
    by_end: dict[date, list[Mark]] = {}
    for m in marks:
        by_end.setdefault(m.obs.span.end, []).append(m)
    return [group for group in by_end.values() if len(group) > 1]


def _numbers(marks: Sequence[Mark], more: Sequence[Source] = ()) -> dict[str, int]:
    """Citation numbers [1], [2]… for the documents behind the marks (and `more`, the
    documents of figures said but not drawn), oldest first."""
    sources = sorted(
        {(m.source.as_of, m.source.id) for m in marks} | {(s.as_of, s.id) for s in more}
    )
    return {ident: k + 1 for k, (_when, ident) in enumerate(sources)}


def shift_same_dates(marks: Sequence[Mark], days: float) -> dict[int, date]:
    """Figures of one indicator on one date (documents that disagree, 近8亿 and 超8亿) are
    drawn `days` apart around it so neither hides the other; hovers keep the true date."""
    out: dict[int, date] = {}
    for group in _same_date_groups(marks):
        for k, mark in enumerate(group):
            offset = (k - (len(group) - 1) / 2) * days
            out[id(mark)] = mark.x + timedelta(days=offset)
    return out


@dataclass(frozen=True)
class FigureText:
    """One figure in words, the same on every card, chart, finder, statement and slide."""

    value: str  # qualifier, number and unit in the reader's language ("15.2 bn yuan")
    original: str  # as the source writes it ("152亿元"); the same as `value` in Chinese
    period: str  # its period in words


def figure_text(
    catalogue: Catalogue, indicator: Indicator, obs: Observation, words: Words
) -> FigureText:
    """Any figure's value (qualifier, number, unit; derived ones rounded as charts show
    them), the source's own wording of it, and its period in words."""
    place = derived_place(catalogue, obs) if obs.is_derived else None
    base = parse_period(obs.compared_with) if obs.compared_with else None
    value = value_text(indicator, obs, words, place=place, with_unit=True)
    return FigureText(
        value=value,
        original=original_text(indicator, obs, words, place),
        period=period_words(words.tr, obs.span, indicator.measure.value, base),
    )


def figure_words(
    catalogue: Catalogue, indicator: Indicator, obs: Observation, words: Words
) -> tuple[str, str]:
    """A figure's value and its period in words (figure_text without the original)."""
    text = figure_text(catalogue, indicator, obs, words)
    return text.value, text.period
