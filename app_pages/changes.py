"""What changed: the figures added or revised since an earlier published vintage (or, in
authoring, what publishing the working file would change), newest document first."""

import streamlit as st

from dashboard.app import changes, context

ctx = context.context()
st.title(ctx.tr("changes.title"), anchor=False)
changes.intro(ctx)
chosen = changes.baseline(ctx)
if chosen is not None:
    since, old_index = chosen
    changes.results(ctx, changes.table(ctx, since, old_index))
