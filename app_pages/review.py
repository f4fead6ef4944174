"""Review drafts (for analysts): a document's draft figures, the columns that decide in a
table across the page, one row's details beside the text, new indicators named, then
downloaded as YAML or written to the catalogue once the validator accepts the result."""

import streamlit as st

from dashboard.app import context, review

ctx = context.context()
tr = ctx.tr

st.title(tr("review.title"), anchor=False)
st.caption(tr("review.intro"))
review.writer_note(ctx)
choice = review.choose(ctx)
if choice is not None:
    st.header(tr("review.table"), anchor=False)
    rows = review.draft_table(ctx, choice)
    detail_side, text_side = st.columns(2)
    with detail_side:
        rows = review.detail_panel(ctx, choice) or rows
    with text_side:
        st.markdown(f"**{tr('review.text')}**")
        review.highlighted_text(ctx, choice)
    names = review.new_indicator_names(ctx, rows)
    review.check_and_write(ctx, choice, rows, names)
