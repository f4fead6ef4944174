"""Trends: the chosen indicators as the grammar draws them, every figure cited, with a CSV."""

from dataclasses import replace

import streamlit as st

from dashboard.app import (
    accessible,
    citations,
    context,
    figure_cards,
    slides_button,
    trend,
    urlstate,
    widgets,
)
from dashboard.figures import series, tables, theme

ctx = context.context()
tr, cat = ctx.tr, ctx.catalogue
if not cat.indicators:
    st.info(tr("trends.no_indicators"))
    st.stop()
chosen = list(ctx.state.indicators) or [series.default_indicator(cat)]

if not ctx.state.present:
    st.title(tr("trends.title"), anchor=False)
# Presenter mode puts the chart first: the controls fold away.
controls = st.expander(tr("trends.controls")) if ctx.state.present else st.container()
with controls:
    left, right = st.columns([3, 2])
    with left:
        ids = widgets.indicator_picker(ctx, chosen)
    with right:
        fitted = trend.view_years(ctx, replace(ctx.state, indicators=tuple(ids)))
        year_from, year_to = widgets.year_range(ctx, fitted)
        show_events = widgets.events_toggle(ctx)
for notice in trend.refused_notices(ctx, chosen, ids):
    st.info(notice)
view = replace(ctx.state, indicators=tuple(ids), year_from=year_from, year_to=year_to)
widgets.sync_url(urlstate.trends_params(view))

shown = trend.trend_view(ctx, view, show_events)
file_stem = "-".join(ids)[:80]

if shown.card is not None:
    st.caption(tr("trends.card_why"))
    figure_cards.figure_card_block(ctx, shown.card)
elif shown.figure is not None:
    # Presenter mode: the chart fills the screen below the navigation (presenter.css
    # sizes its box to the window), so its axis and source line are never below the fold.
    with st.container(key="present_chart" if ctx.state.present else "trend_box"):
        st.plotly_chart(
            shown.figure,
            config=theme.plotly_config(file_stem),
            theme=None,
            key="trend_chart",
            height="stretch" if ctx.state.present else "content",
            alt=accessible.name(shown.alt),
        )
    accessible.describe("trend_chart", shown.alt)
for note in shown.side_notes:
    st.caption(note)
citations.as_reported(ctx, shown.table)
if shown.plan.outside:
    st.caption(tr.plural("trends.outside_range", shown.plan.outside))

if ctx.state.present:
    citations.comparability_notes(ctx, ids, compact=True)
    citations.compact_citations(ctx, shown.numbers)
else:
    citations.comparability_notes(ctx, ids)
    st.header(tr("trends.citations"), anchor=False)
    citations.citation_list(ctx, shown.table, shown.numbers, shown.events)
    st.header(tr("trends.about"), anchor=False)
    for indicator_id in ids:
        citations.indicator_about(ctx, indicator_id)
    st.header(tr("trends.table"), anchor=False)
    st.dataframe(trend.localised_table(ctx, shown.table), hide_index=True)
    st.download_button(
        tr("trends.download"),
        data=tables.frame_to_csv(shown.table).encode("utf-8-sig"),
        file_name=f"{file_stem}_{year_from}-{year_to}.csv",
        mime="text/csv",
        on_click="ignore",  # a download changes nothing on the page: no rerun
    )
    slides_button.view_slides(ctx, view, show_events)
