"""Overview: the topics first, each with its headline figures (curated in the catalogue);
in presenter mode, every headline figure on one screen as a compact grid."""

import streamlit as st

from dashboard.app import cards, context, urlstate

ctx = context.context()
tr = ctx.tr
shown = cards.headline_cards(ctx)  # one shared lookup for the whole page, in curated order
by_topic = cards.by_topic(ctx, shown)

if ctx.state.present:
    tiles = "".join(cards.tile(ctx, c) for c in shown.values() if c is not None)
    st.html(f'<div class="tiles">{tiles}</div>')
    st.stop()

st.title(tr("overview.title"), anchor=False)
st.caption(tr("overview.intro"))
with st.container(horizontal=True, key="topic_pills"):
    for topic in ctx.topics:
        st.page_link(
            ctx.pages["topic"],
            label=tr.topic(topic),
            icon=":material/topic:",
            query_params=urlstate.topic_params(ctx.state, topic),
        )
if not shown:
    st.info(tr("overview.none"))
per_row = 3
for topic in ctx.topics:
    ids = by_topic.get(topic, [])
    if not ids:
        continue
    st.header(tr.topic(topic), anchor=False)
    st.page_link(
        ctx.pages["topic"],
        label=tr("overview.open_topic"),
        icon=":material/arrow_forward:",
        query_params=urlstate.topic_params(ctx.state, topic),
    )
    for start in range(0, len(ids), per_row):
        columns = st.columns(per_row)
        for column, indicator_id in zip(columns, ids[start : start + per_row], strict=False):
            with column:
                cards.headline_card(ctx, indicator_id, shown.get(indicator_id))
