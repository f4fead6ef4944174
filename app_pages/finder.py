"""Find a figure: search every figure by name, subject, unit or quote, filter, export."""

import streamlit as st

from dashboard.app import context, finder

ctx = context.context()
st.title(ctx.tr("finder.title"), anchor=False)
everything = finder.table(ctx)
if everything.empty:
    st.info(ctx.tr("trends.no_indicators"))
    st.stop()
finder.results(ctx, finder.filters(ctx, everything))
