"""Catalogue health (for analysts): validation, coverage by year, ambiguities, number coverage."""

import streamlit as st

from dashboard.app import context, data_io, health
from dashboard.figures import series

ctx = context.context()
tr, cat, loaded = ctx.tr, ctx.catalogue, ctx.loaded

st.title(tr("health.title"))
health.validation(ctx)
st.markdown(
    tr(
        "health.counts",
        indicators=len(cat.indicators),
        observations=cat.observation_count,
        derived=cat.derived_count,
        events=len(cat.events),
        sources=len(cat.sources),
    )
)

st.subheader(tr("health.coverage"))
st.caption(" · ".join([tr("health.stated"), tr("health.bound"), tr("health.derived")]))
st.caption(tr("health.coverage_help"))
years = range(ctx.bounds[0], ctx.bounds[1] + 1)
matrix = health.coverage_table(ctx, series.coverage_matrix(ctx.frame, years))
st.dataframe(matrix, height=560, column_config=health.coverage_columns(matrix))

st.subheader(tr("health.ambiguities"))
health.ambiguity_table(ctx)

st.subheader(tr("health.warnings"))
health.warning_list(ctx)

coverage = data_io.coverage(loaded)
if coverage:
    st.subheader(tr("health.per_source"))
    health.mention_counts(ctx, coverage)
