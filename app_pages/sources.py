"""Sources: each document's metadata, the figures it gives, and its text with quotes marked;
a link with `quote=` lands on that passage."""

import streamlit as st

from dashboard.app import chrome, context, data_io, source_view, urlstate, widgets

ctx = context.context()
tr, cat = ctx.tr, ctx.catalogue

st.title(tr("sources.title"), anchor=False)
params = context.query_lists()
source_id, notices = urlstate.parse_source(params, cat.sources_by_id)
focus, quote_notices = urlstate.parse_quote(params)
chrome.show_notices(ctx, notices + quote_notices)
ordered = sorted(cat.sources, key=lambda s: s.as_of)
chosen = widgets.source_picker(ctx, source_id or ordered[0].id)
focus = focus if chosen == source_id else ""  # another document was picked: no landing
widgets.sync_url(urlstate.source_params(ctx.state, chosen, focus))
source = cat.sources_by_id[chosen]
text = data_io.source_text(ctx.loaded, chosen)
if focus and text is not None:
    source_view.focused_quote(ctx, chosen, text, focus)

source_view.source_metadata(ctx, source)
st.header(tr("sources.figures"), anchor=False)
source_view.source_figures(ctx, chosen)

st.header(tr("sources.text"), anchor=False)
if text is None:
    st.error(tr("sources.unavailable"))
else:
    coverage = data_io.coverage(ctx.loaded)
    has_unaccounted = bool(coverage and chosen in coverage and coverage[chosen].unaccounted)
    marked = has_unaccounted and st.toggle(tr("sources.show_unaccounted"), key="w_unaccounted")
    cov = coverage[chosen] if marked and coverage else None
    body, missing = source_view.highlighted_text(ctx, chosen, text, cov, focus)
    if missing:
        st.warning(tr("sources.quote_missing", count=missing))
    st.html(source_view.highlight_key(ctx, marked) + body)
