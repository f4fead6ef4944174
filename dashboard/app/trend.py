"""The Trends view: its plan, card or chart, events and citations, built once per view."""

from __future__ import annotations

import pandas as pd

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.app.urlstate import ViewState
from dashboard.catalogue.comparability import refusal
from dashboard.figures import grammar
from dashboard.figures.views import ChartView, build_view
from dashboard.figures.wording import not_comparable_text


def view_years(ctx: Context, view: ViewState) -> tuple[int, int]:
    """The link's years when it gives them; else 2019-2025 widened to the figures shown."""
    if view.years_given:
        return view.year_from, view.year_to
    return grammar.fit_years(ctx.catalogue, view.indicators, (view.year_from, view.year_to))


def refused_notices(ctx: Context, asked: list[str], kept: list[str]) -> list[str]:
    """Why each indicator a link asked for is not on the chart (in the reader's language)."""
    tr, by_id = ctx.tr, ctx.catalogue.indicators_by_id
    first = by_id[kept[0]]
    notices = []
    over: list[str] = []
    for ident in asked[1:]:
        if ident in kept or ident not in by_id:
            continue
        other = by_id[ident]
        names = {"name": other.label(tr.lang), "first": first.label(tr.lang)}
        why = refusal(ctx.catalogue, first, other)
        if why is None:
            over.append(other.label(tr.lang))
        elif why.kind == "unit":
            notices.append(tr("trends.other_unit", **names))
        elif why.kind == "measure":
            measure = tr("measure." + other.measure.value)
            notices.append(tr("trends.other_measure", measure=measure, **names))
        else:
            why_text = not_comparable_text(tr, ctx.catalogue, why, first, other)
            notices.append(tr("trends.refused_pair", name=names["name"], why=why_text))
    if over:
        sep = "、" if tr.lang == "zh" else ", "
        notices.append(
            tr(
                "trends.too_many",
                asked=len(asked),
                count=grammar.MAX_SERIES,
                names=sep.join(over),
            )
        )
    return notices


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
