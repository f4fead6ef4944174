"""Catalogue health (for analysts): validation, coverage by year, ambiguities, number coverage."""

import streamlit as st

from dashboard.app import context, data_io, health, paging

ctx = context.context()
tr, loaded = ctx.tr, ctx.loaded

st.title(tr("health.title"), anchor=False)
health.validation(ctx)
st.markdown(
    tr(
        "health.counts",
        indicators=ctx.counts.indicators,
        observations=ctx.counts.observations,
        derived=ctx.counts.derived,
        events=ctx.counts.events,
        sources=ctx.counts.sources,
    )
)

st.header(tr("health.coverage"), anchor=False)
st.caption(" · ".join([tr("health.stated"), tr("health.bound"), tr("health.derived")]))
st.caption(tr("health.coverage_help"))
tables = health.coverage_tables(ctx)
topic = health.topic_filter(ctx, tables)
matrix = paging.page_of(ctx, tables[topic], f"w_health_page_{topic}")
st.dataframe(matrix, height=560, column_config=health.coverage_columns(matrix))

st.header(tr("health.ambiguities"), anchor=False)
health.ambiguity_table(ctx)

st.header(tr("health.warnings"), anchor=False)
health.warning_list(ctx)

coverage = data_io.coverage(loaded)
if coverage:
    st.header(tr("health.per_source"), anchor=False)
    health.mention_counts(ctx, coverage)
