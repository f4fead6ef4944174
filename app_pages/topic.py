"""A topic: its key statements first, then every figure of it, its events and documents."""

import streamlit as st

from dashboard.app import context, slides_button, topic

ctx = context.context()
tr = ctx.tr
chosen = ctx.state.topic or (ctx.topics[0] if ctx.topics else "")
if not chosen:
    st.info(tr("trends.no_indicators"))
    st.stop()

view = topic.topic_view(ctx, chosen)
st.title(view.name, anchor=False)
topic.statements(ctx, view)
topic.figure_grid(ctx, view)
topic.timeline(ctx, view)
st.header(tr("topic.documents"), anchor=False)
topic.documents(ctx, view)
slides_button.topic_slides(ctx, chosen)
