"""A headline card's content: latest figure, its period, the honest change since the
previous comparable figure, a sparkline when there is a line to draw, and the source."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.catalogue.comparability import refusal
from dashboard.catalogue.models import Catalogue, Indicator
from dashboard.figures import charts
from dashboard.figures.alt_text import ChartAlt, sparkline_alt
from dashboard.figures.change import change_between
from dashboard.figures.formatting import choose_scale
from dashboard.figures.grammar import (
    Mark,
    Plan,
    Words,
    fit_years,
    original_text,
    plan_view,
    value_text,
)
from dashboard.figures.wording import not_comparable_text


@dataclass(frozen=True)
class Headline:
    """What one card says, in one language; the same for every viewer (built once)."""

    indicator: str
    topic: str
    title: str  # short label
    name: str  # full name
    value: str  # latest figure with qualifier and unit ("超 300 亿元")
    original: str  # the latest figure as the source writes it (English cards show it small)
    derived: bool
    period: str  # its period in words
    change: str  # since the previous comparable figure, or why there is none
    also: tuple[str, ...]  # other documents' figures for the same date
    quote: str  # the latest figure's sentence (shown when there is no line to draw)
    source_id: str
    anchor: str  # the latest figure's quote on the source's page
    source: str  # "沪科提复〔2025〕51号 · 2025-06-25"
    caution: str  # a neighbour on the overview that must not be compared with it
    caution_short: str  # the same in a few words, for a presenter's tile
    qualifier: str  # a bound's qualifier in words ("more than (a lower bound)"), else ""
    source_short: str  # the document in a few words ("SSTC reply No. 51 (2025)")
    figure: go.Figure | None  # a sparkline, only when two or more figures are joined
    alt: ChartAlt | None = None  # the sparkline's accessible name and figure sentence


def latest_and_previous(plan: Plan) -> tuple[Mark, Mark | None, list[Mark]]:
    """The newest figure (stated before derived on one date), the newest one before its
    date, and other documents' figures for the newest date."""
    marks = sorted(plan.marks, key=lambda m: (m.obs.span.end, not m.derived, m.source.as_of))
    latest = marks[-1]
    same = [m for m in marks[:-1] if m.obs.span.end == latest.obs.span.end]
    earlier = [m for m in marks if m.obs.span.end < latest.obs.span.end]
    return latest, (earlier[-1] if earlier else None), same


def headline(
    catalogue: Catalogue,
    indicator: Indicator,
    words: Words,
    neighbours: tuple[str, ...] = (),
    presenter: bool = False,
) -> Headline | None:
    """The card of `indicator`; `neighbours` are the cards shown beside it."""
    tr = words.tr
    plan = plan_view(catalogue, [indicator.id], words, fit_years(catalogue, [indicator.id]))
    if not plan.marks:
        return None
    latest, previous, same = latest_and_previous(plan)
    if previous is None:
        change = tr("overview.no_earlier")
    else:
        found = change_between(catalogue, indicator, previous.obs, latest.obs, tr, words.units)
        change = tr("change.since", period=previous.since_words, change=found.short + found.note)
    # One scale on the card: its value, its change and other documents' figures alike.
    shown = [m.obs.value for m in (latest, *same)]
    shown += [previous.obs.value] if previous is not None else []
    scale = choose_scale(indicator.unit, tr.lang, words.units, shown)
    also = tuple(
        tr(
            "overview.also_reported",
            value=value_text(indicator, m.obs, words, scale=scale, place=m.place, with_unit=True),
            source=tr.text(m.source.short),
        )
        for m in same
    )
    caution = caution_short = ""
    for other_id in neighbours:
        other = catalogue.indicators_by_id.get(other_id)
        if other is None or other is indicator:
            continue
        why = refusal(catalogue, indicator, other)
        if why is not None and why.kind == "not_comparable":
            caution = not_comparable_text(tr, catalogue, why, indicator, other)
            caution_short = tr("overview.tile_not_comparable", other=other.label(tr.lang))
            break
    joined = any(s.joins for s in plan.series)
    source = latest.source
    qualifier = latest.qualifier
    return Headline(
        indicator=indicator.id,
        topic=tr.topic(indicator.topic),
        title=indicator.label(tr.lang),
        name=tr.text(indicator.name),
        value=value_text(
            indicator, latest.obs, words, scale=scale, place=latest.place, with_unit=True
        ),
        original=original_text(indicator, latest.obs, words, latest.place),
        derived=latest.derived,
        period=latest.period_words,
        change=change,
        also=also,
        quote=latest.obs.quote,
        source_id=source.id,
        anchor=latest.anchor,
        source=tr("overview.source", source=tr.text(source.short), date=source.as_of),
        caution=caution,
        caution_short=caution_short,
        qualifier=tr("qualifier." + qualifier) if qualifier != "exact" else "",
        source_short=tr.text(source.short),
        figure=charts.sparkline(plan, presenter) if joined else None,
        alt=sparkline_alt(catalogue, plan, words, indicator.label(tr.lang)) if joined else None,
    )
