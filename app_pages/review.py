"""Review drafts (for analysts): a document's draft figures beside its text, kept and named,
then downloaded as YAML or written to the catalogue once the validator accepts the result."""

import streamlit as st

from dashboard.app import context, review

ctx = context.context()
tr = ctx.tr

st.title(tr("review.title"), anchor=False)
st.caption(tr("review.intro"))
choice = review.choose(ctx)
if choice is not None:
    table_side, text_side = st.columns([3, 2])
    with text_side:
        st.header(tr("review.text"), anchor=False)
        review.highlighted_text(ctx, choice)
    with table_side:
        st.header(tr("review.table"), anchor=False)
        rows = review.draft_table(ctx, choice)
        names = review.new_indicator_names(ctx, rows)
        review.check_and_write(ctx, choice, rows, names)
