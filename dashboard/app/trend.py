"""The Trends view: its plan, card or chart, events and citations, built once per view."""

from __future__ import annotations

import pandas as pd

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.app.urlstate import ViewState
from dashboard.figures import compare, grammar
from dashboard.figures.views import ChartView, build_view


def view_years(ctx: Context, view: ViewState) -> tuple[int, int]:
    """The link's years when it gives them; else 2019-2025 widened to the figures shown."""
    if view.years_given:
        return view.year_from, view.year_to
    return grammar.fit_years(ctx.catalogue, view.indicators, (view.year_from, view.year_to))


def refused_notices(ctx: Context, asked: list[str], kept: list[str]) -> list[str]:
    """Why each indicator a link asked for is not on the chart (in the reader's language;
    the `slides` command refuses with the same words: figures.compare)."""
    return compare.refused_notices(ctx.catalogue, ctx.tr, asked, kept)


def trend_view(ctx: Context, view: ViewState, show_events: bool) -> ChartView:
    """The plan, card or chart, events, citations and table for `view`, built once per
    (catalogue version, language, indicators, years, events shown, mode): everything here
    follows from that key, so every viewer of one link shares it."""
    ids = list(view.indicators)
    years = view_years(ctx, view)

    def build() -> ChartView:
        words = grammar.Words(ctx.tr, ctx.units)
        return build_view(
            ctx.catalogue, ids, words, years, show_events=show_events, presenter=view.present
        )

    key = (ctx.tr.lang, tuple(ids), years, show_events, view.present)
    return data_io.per_version(ctx.loaded, "trend_view", key, build)


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
