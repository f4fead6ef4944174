"""Catalogue health (for analysts): validation, coverage by year, ambiguities, number coverage."""

import streamlit as st

from dashboard.app import context, data_io, health, paging
from dashboard.catalogue import paths

ctx = context.context()
tr, loaded = ctx.tr, ctx.loaded

st.title(tr("health.title"))
if loaded.problems:
    st.code("\n".join(str(p) for p in loaded.problems), language=None, wrap_lines=True)
else:
    st.success(tr("health.valid", file=paths.display_name(loaded.path)))
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

st.subheader(tr("health.coverage"))
st.caption(" · ".join([tr("health.stated"), tr("health.bound"), tr("health.derived")]))
st.caption(tr("health.coverage_help"))
tables = health.coverage_tables(ctx)
topic = health.topic_filter(ctx, tables)
matrix = paging.page_of(ctx, tables[topic], f"w_health_page_{topic}")
st.dataframe(matrix, height=560, column_config=health.coverage_columns(matrix))

st.subheader(tr("health.ambiguities"))
health.ambiguity_table(ctx)

coverage = data_io.coverage(loaded)
if coverage:
    st.subheader(tr("health.per_source"))
    health.mention_counts(ctx, coverage)
