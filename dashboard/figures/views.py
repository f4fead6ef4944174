"""A chosen view drawn whole: the grammar's plan, and either its figure card or its chart,
with the events, citation numbers, words and table that go with it (pages and slides)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.models import Catalogue, Event, Indicator
from dashboard.figures import charts
from dashboard.figures.alt_text import ChartAlt, chart_alt
from dashboard.figures.citation import citation_sentence
from dashboard.figures.figure_card import FigureCard, figure_card
from dashboard.figures.grammar import Plan, Words, plan_view
from dashboard.figures.wording import date_words, event_date_text


@dataclass(frozen=True)
class ChartView:
    """What a view shows: a figure card for one figure, else a chart; never both."""

    plan: Plan
    title: str
    subtitle: str
    footer: tuple[str, ...]
    side_notes: tuple[str, ...]  # notes shown beside a card instead of in a chart
    events: tuple[Event, ...]
    numbers: Mapping[str, int]  # citation number of each document behind marks and events
    cites: Mapping[str, str]  # "[1] 沪科提复〔2023〕48号" per document
    figure: go.Figure | None
    card: FigureCard | None
    table: pd.DataFrame  # exactly what is drawn, with citations (the table and the CSV)
    alt: ChartAlt | None = None  # the chart's accessible name and figure sentence


def event_marks(catalogue: Catalogue, ids: Sequence[str], years: tuple[int, int]) -> list[Event]:
    """Events that explain one of the charted indicators and fall in the years shown."""
    chosen = set(ids)
    out = [
        e
        for e in catalogue.events
        if chosen.intersection(e.indicators)
        and e.span.end.year >= years[0]
        and (e.span.start or e.span.end).year <= years[1]
    ]
    return sorted(out, key=lambda e: (e.span.start or e.span.end, e.id))


def title_of(indicators: Sequence[Indicator], words: Words) -> str:
    tr = words.tr
    names = [i.label(tr.lang) for i in indicators]
    if len(names) == 1:
        return names[0]
    return tr("chart.compare_title", first=names[0], count=len(names), more=len(names) - 1)


def build_view(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: Words,
    years: tuple[int, int],
    *,
    show_events: bool = True,
    presenter: bool = False,
    compact: bool = False,
    words_inside: bool = True,
    page_numbers: Mapping[str, int] | None = None,
) -> ChartView:
    """The whole view for `ids` over `years` in the reader's language. A `compact` view
    (a topic page's small multiple) has a shorter plot and only its source line and
    disagreements below. The chart carries its title, unit, notes and sources inside,
    unless `words_inside` is False (a slide sets them as its own text around the image).
    `page_numbers` are the citation numbers of the page the view is part of (a topic's):
    the chart's [n] then names the same document as the page's [n]."""
    tr = words.tr
    plan = plan_view(catalogue, ids, words, years)
    indicators = [s.indicator for s in plan.series]
    shown_ids = [i.id for i in indicators]
    events = event_marks(catalogue, shown_ids, years) if show_events else []
    numbers = _numbers(catalogue, plan, events, page_numbers)
    cites = {s: f"[{n}] {tr.text(catalogue.sources_by_id[s].short)}" for s, n in numbers.items()}
    title = title_of(indicators, words) if indicators else ""
    subtitle = f"{tr('chart.unit')}: {plan.unit_label or '—'}"
    footer = [*plan.notes]
    if plan.change is not None:
        footer.insert(0, tr("grammar.change_line", change=plan.change.text + plan.change.note))
    if numbers:
        footer.append(tr("chart.source_prefix") + "; ".join(cites.values()))
    if plan.newest is not None:
        newest = max(m.obs.span.end for m in plan.marks)
        precision = next(m.obs.span.precision for m in plan.marks if m.obs.span.end == newest)
        footer.append(tr("grammar.newest", date=date_words(tr, newest, precision)))
    marks = [
        charts.EventMark(
            e.span.start or e.span.end,
            e.span.end,
            tr.text(e.short),
            f"{tr.text(e.title)}\n{event_date_text(tr, e)}\n{cites[e.source]}",
        )
        for e in events
    ]
    if events:
        footer.append(
            tr("chart.events_line")
            + "; ".join(
                f"{tr.text(e.short)} {event_date_text(tr, e)} [{numbers[e.source]}]" for e in events
            )
        )
    card = figure_card(catalogue, plan, words) if plan.shape == "card" else None
    figure = None
    if plan.shape != "card":
        lines = tuple(footer)
        if compact:
            # A small multiple keeps the notes it needs to be read (breaks, disagreements,
            # two documents on one date, part years) and its source; the rest is on its
            # Trends page.
            source = tr("chart.source_prefix")
            lines = tuple(n for n in footer if n in plan.notes or n.startswith(source))
        # A presenter's chart keeps every note it needs to be read (on screen and in its
        # PNG): the notes wrap to its width and the plot takes the rest of the screen.
        text = charts.ChartText(title=title, subtitle=subtitle, footer=lines)
        if not words_inside:
            text = charts.ChartText(title="", subtitle="", footer=())
        figure = charts.plan_figure(
            plan,
            text=text,
            cites=dict(cites),
            events=marks,
            tr=tr,
            presenter=presenter,
            height=COMPACT_HEIGHT if compact else None,
            compact=compact,
            fill=presenter and not compact,
        )
    return ChartView(
        plan=plan,
        title=title,
        subtitle=subtitle,
        footer=tuple(footer),
        # A card's notes: what it cannot draw (a rank with no ranked year) is said beside it.
        side_notes=plan.unranked_notes if card is not None else (),
        events=tuple(events),
        numbers=numbers,
        cites=cites,
        figure=figure,
        card=card,
        table=marks_table(catalogue, plan, numbers, words),
        alt=chart_alt(catalogue, plan, words, title, footer) if figure is not None else None,
    )


def _numbers(
    catalogue: Catalogue,
    plan: Plan,
    events: Sequence[Event],
    page_numbers: Mapping[str, int] | None,
) -> dict[str, int]:
    """Citation numbers of the documents behind the marks and events: the page's, when the
    view is part of a page that numbers its documents, else the view's own, oldest first."""
    used = list(plan.sources) + [e.source for e in events if e.source not in plan.sources]
    if page_numbers is not None and all(s in page_numbers for s in used):
        return {s: page_numbers[s] for s in sorted(used, key=lambda s: page_numbers[s])}
    numbers = dict(plan.sources)
    for source in sorted(
        {e.source for e in events} - set(numbers),
        key=lambda s: (catalogue.sources_by_id[s].as_of, s),
    ):
        numbers[source] = len(numbers) + 1
    return numbers


# The plot height of a small multiple on a topic page (px).
COMPACT_HEIGHT = 210

TABLE_COLUMNS = [
    "citation",
    "indicator",
    "name_zh",
    "name_en",
    "period",
    "period_text",
    "value",
    "qualifier",
    "unit",
    "measure",
    "derived",
    "label",
    "chart_value",
    "chart_unit",
    "series_break",
    "source",
    "source_ref",
    "source_date",
    "source_title",
    "quote",
    "anchor",
    "cite",
]


def marks_table(
    catalogue: Catalogue, plan: Plan, numbers: Mapping[str, int], words: Words
) -> pd.DataFrame:
    """Exactly what the view draws, one row per figure, with its citation and quote."""
    tr = words.tr
    rows = []
    for series in plan.series:
        indicator = series.indicator
        for mark in series.marks:
            obs, source = mark.obs, mark.source
            rows.append(
                {
                    "citation": numbers.get(source.id, 0),
                    "indicator": indicator.id,
                    "name_zh": indicator.name.zh,
                    "name_en": indicator.name.en,
                    "period": obs.span.label,
                    "period_text": mark.period_words,
                    "value": obs.value,
                    "qualifier": obs.qualifier.value,
                    "unit": obs.unit_in(indicator),
                    "measure": indicator.measure.value,
                    "derived": obs.is_derived,
                    "label": mark.text,
                    "chart_value": mark.y,
                    "chart_unit": plan.unit_label,
                    "series_break": tr.text(obs.series_break) if obs.series_break else "",
                    "source": source.id,
                    "source_ref": source.reference or "",
                    "source_date": source.as_of.isoformat(),
                    "source_title": tr.text(source.title),
                    "quote": obs.quote,
                    "anchor": mark.anchor,
                    "cite": citation_sentence(catalogue, indicator, obs, words),
                }
            )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)
