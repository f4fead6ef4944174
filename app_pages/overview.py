"""Overview: one card per headline indicator (latest value, period, change, source)."""

import streamlit as st

from dashboard.app import cards, context

ctx = context.context()
tr = ctx.tr

st.title(tr("overview.title"))
if not ctx.state.present:
    st.caption(tr("overview.intro"))

shown = cards.headline_cards(ctx)  # one shared lookup for the whole page
headline = list(shown)  # headline indicators in catalogue order
if not headline:
    st.info(tr("overview.none"))
per_row = 2 if ctx.state.present else 3
for start in range(0, len(headline), per_row):
    columns = st.columns(per_row)
    for column, indicator_id in zip(columns, headline[start : start + per_row], strict=False):
        with column:
            cards.headline_card(ctx, indicator_id, shown.get(indicator_id))
