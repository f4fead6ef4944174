"""Trends: chosen indicators over time, every point cited, with the table and a CSV."""

from dataclasses import replace

import streamlit as st

from dashboard.app import citations, context, trend, urlstate, widgets
from dashboard.figures import series, tables, theme

ctx = context.context()
tr, cat = ctx.tr, ctx.catalogue
if not cat.indicators:
    st.info(tr("trends.no_indicators"))
    st.stop()
chosen = list(ctx.state.indicators) or [series.default_indicator(cat)]

if not ctx.state.present:
    st.title(tr("trends.title"))
# Presenter mode puts the chart first: the controls fold away.
controls = st.expander(tr("trends.controls")) if ctx.state.present else st.container()
with controls:
    left, right = st.columns([3, 2])
    with left:
        ids = widgets.indicator_picker(ctx, chosen)
    with right:
        year_from, year_to = widgets.year_range(ctx)
        show_events = widgets.events_toggle(ctx)
for dropped in [i for i in chosen[1:] if i not in ids]:
    st.info(tr("trends.other_unit", name=ctx.name(dropped), first=ctx.name(ids[0])))
view = replace(ctx.state, indicators=tuple(ids), year_from=year_from, year_to=year_to)
widgets.sync_url(urlstate.trends_params(view))

view_data = trend.trend_view(ctx, view, show_events)

st.plotly_chart(
    view_data.figure, config=theme.plotly_config("-".join(ids)[:80]), theme=None, key="trend_chart"
)
if view_data.outside:
    st.caption(tr("trends.outside_range", count=view_data.outside))

if ctx.state.present:
    citations.comparability_notes(ctx, ids, compact=True)
    citations.compact_citations(ctx, view_data.numbers)
else:
    citations.comparability_notes(ctx, ids)
    st.subheader(tr("trends.citations"))
    citations.citation_list(ctx, view_data.rows, view_data.numbers, view_data.events)
    st.subheader(tr("trends.about"))
    for indicator_id in ids:
        citations.indicator_about(ctx, indicator_id)
    st.subheader(tr("trends.table"))
    table = trend.trend_table(ctx, view_data)
    st.dataframe(trend.localised_table(ctx, table), hide_index=True)
    st.download_button(
        tr("trends.download"),
        data=tables.frame_to_csv(table).encode("utf-8-sig"),
        file_name=f"{'-'.join(ids)[:80]}_{year_from}-{year_to}.csv",
        mime="text/csv",
    )
