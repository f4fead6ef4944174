"""The Trends view: its points, events, citations and figure, built once per view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.app.urlstate import ViewState
from dashboard.catalogue.models import Event
from dashboard.figures import charts, series
from dashboard.figures.formatting import display_unit
from dashboard.figures.wording import event_date_text


def unit_label(ctx: Context, indicator_id: str) -> str:
    """The chart's unit in the reader's language (English may rescale: "bn yuan")."""
    unit = ctx.catalogue.indicators_by_id[indicator_id].unit
    return display_unit(unit, ctx.tr.lang, ctx.units) or ctx.tr.text(ctx.units.get(unit, {}))


@dataclass(frozen=True)
class TrendView:
    """What the Trends page shows for one view; the same for every viewer of one link."""

    rows: pd.DataFrame  # the points inside the years shown (read-only: shared)
    outside: int  # points of the chosen indicators outside those years
    events: tuple[Event, ...]
    numbers: Mapping[str, int]  # citation number of each document behind rows and events
    unit_label: str
    figure: go.Figure


def trend_view(ctx: Context, view: ViewState, show_events: bool) -> TrendView:
    """Points, events, citations and figure for `view`, built once per (catalogue version,
    language, indicators, years, events shown, mode): everything here follows from that key,
    so every viewer of one link shares it."""
    tr, cat = ctx.tr, ctx.catalogue
    ids = list(view.indicators)

    def build() -> TrendView:
        all_rows = ctx.prepare(ctx.frame, ids)
        rows = series.in_years(all_rows, view.year_from, view.year_to)
        events = series.chart_events(cat, ids, view.year_from, view.year_to) if show_events else []
        numbers = series.number_sources(cat, rows, events)
        label = unit_label(ctx, ids[0])
        figure = _trend_figure(ctx, view, rows, events, numbers, label)
        outside = len(all_rows) - len(rows)
        return TrendView(rows, outside, tuple(events), MappingProxyType(numbers), label, figure)

    key = (tr.lang, tuple(ids), view.year_from, view.year_to, show_events, view.present)
    return data_io.per_version(ctx.loaded, "trend_view", key, build)


def _trend_figure(
    ctx: Context,
    view: ViewState,
    rows: pd.DataFrame,
    events: Sequence[Event],
    numbers: Mapping[str, int],
    unit: str,
) -> go.Figure:
    tr, cat = ctx.tr, ctx.catalogue
    ids = list(view.indicators)
    cites = {s: f"[{n}] {tr.text(cat.sources_by_id[s].short)}" for s, n in numbers.items()}
    names = {i: ctx.name(i) for i in ids}
    title = (
        names[ids[0]]
        if len(ids) == 1
        else tr("chart.compare_title", first=names[ids[0]], count=len(ids), more=len(ids) - 1)
    )
    marks = [
        charts.EventMark(
            series.event_date(e),
            tr("chart.event_mark", n=i + 1),
            f"{tr.text(e.title)}\n{event_date_text(ctx.tr, e)}\n{cites[e.source]}",
        )
        for i, e in enumerate(events)
    ]
    events_line = tr("chart.events_line") + "; ".join(
        f"{m.label} {event_date_text(ctx.tr, e)} {tr.text(e.title)} [{numbers[e.source]}]"
        for m, e in zip(marks, events, strict=True)
    )
    return charts.trend_figure(
        rows,
        names=names,
        cites=cites,
        title=title,
        unit_label=unit,
        source_line=tr("chart.source_prefix") + "; ".join(cites.values()),
        events_line=events_line if marks else "",
        events=marks,
        year_from=view.year_from,
        year_to=view.year_to,
        tr=tr,
        presenter=view.present,
    )


def trend_table(ctx: Context, trend: TrendView) -> pd.DataFrame:
    """Exactly what the chart draws, with citations and document titles: the CSV download."""
    table = series.chart_table(trend.rows, trend.numbers, trend.unit_label)
    titles = [ctx.tr.text(ctx.catalogue.sources_by_id[s].title) for s in table["source"]]
    return table.assign(source_title=titles)


def localised_table(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """The charted rows with headers and qualifier words in the reader's language."""
    tr = ctx.tr
    name_col = "name_zh" if tr.lang == "zh" else "name_en"
    out = pd.DataFrame(
        {
            tr("col.citation"): [f"[{n}]" for n in table["citation"]],
            tr("col.name"): table[name_col],
            tr("col.period"): table["period_text"],
            tr("col.shown"): table["label"],
            tr("col.qualifier"): [tr("qualifier." + q) for q in table["qualifier"]],
            tr("col.derived"): table["derived"],
            tr("col.source"): table["source_ref"]
            .fillna("")
            .where(table["source_ref"].fillna("") != "", table["source"]),
            tr("col.quote"): table["quote"],
        }
    )
    return out
