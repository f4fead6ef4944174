"""Catalogue health (for analysts): validation, coverage by year, ambiguities, number coverage."""

import streamlit as st

from dashboard.app import context, data_io, health
from dashboard.catalogue import paths
from dashboard.figures import series

ctx = context.context()
tr, cat, loaded = ctx.tr, ctx.catalogue, ctx.loaded

st.title(tr("health.title"))
if loaded.problems:
    st.code("\n".join(str(p) for p in loaded.problems), language=None, wrap_lines=True)
else:
    st.success(tr("health.valid", file=paths.display_name(loaded.path)))
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

coverage = data_io.coverage(loaded)
if coverage:
    st.subheader(tr("health.per_source"))
    health.mention_counts(ctx, coverage)
