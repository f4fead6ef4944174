"""The figure finder's blocks: the search table (built once per version), its filters,
and the results with links to each figure's chart and sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app import data_io, paging, urlstate
from dashboard.app.context import Context
from dashboard.figures import tables
from dashboard.figures.finder import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    finder_table,
    newest_first,
    parse_query,
    search,
)
from dashboard.figures.grammar import Words


def table(ctx: Context) -> pd.DataFrame:
    """Every figure, searchable, in the reader's language (shared read-only)."""

    def build() -> pd.DataFrame:
        params = urlstate.common_params(ctx.state)
        return finder_table(ctx.catalogue, Words(ctx.tr, ctx.units), params)

    return data_io.per_version(ctx.loaded, "finder", (ctx.tr.lang, ctx.state.present), build)


_QUERY_KEY = "w_finder_q"
# The text a too-long search was cut to, while the box still holds it: the notice stays.
_CUT_KEY = "_finder_cut_to"


def _cut_query() -> None:
    """A text longer than the search uses is cut in the box itself, so the box shows what
    is searched and the browser stops sending the rest back with every click."""
    text = st.session_state.get(_QUERY_KEY)
    if isinstance(text, str) and len(text) > MAX_QUERY_CHARS:
        st.session_state[_QUERY_KEY] = st.session_state[_CUT_KEY] = text[:MAX_QUERY_CHARS]


# A searched word longer than this is shown by its beginning in the notice (a pasted quote).
_SHOWN_CHARS = 24


def _shown(term: str) -> str:
    return term if len(term) <= _SHOWN_CHARS else term[:_SHOWN_CHARS] + "…"


def filters(ctx: Context, everything: pd.DataFrame) -> pd.DataFrame:
    """The search box and filters (topic, document, year, qualifier, measure); the rows
    that match them all. A search longer than the finder uses says what it searched."""
    tr, cat = ctx.tr, ctx.catalogue
    text = st.text_input(
        tr("finder.search"),
        key=_QUERY_KEY,
        placeholder=tr("finder.placeholder"),
        on_change=_cut_query,
    )
    query = parse_query(text)
    if query.cut or (text and st.session_state.get(_CUT_KEY) == text):
        st.info(
            tr(
                "finder.cut",
                chars=MAX_QUERY_CHARS,
                terms=MAX_QUERY_TERMS,
                words=tr("finder.cut_sep").join(_shown(t) for t in query.terms),
            ),
            icon=":material/content_cut:",
        )
    first, second, third = st.columns(3)
    with first:
        topics = st.multiselect(
            tr("finder.topic"),
            options=list(ctx.topics),
            format_func=tr.topic,
            key="w_f_topic",
            placeholder=tr("a11y.choose_any"),
        )
        qualifiers = st.multiselect(
            tr("finder.qualifier"),
            options=["exact", "more_than", "nearly", "about"],
            format_func=lambda q: tr("qualifier." + q),
            key="w_f_qualifier",
            placeholder=tr("a11y.choose_any"),
        )
    with second:
        ordered = sorted(cat.sources, key=lambda s: s.as_of)
        sources = st.multiselect(
            tr("finder.document"),
            options=[s.id for s in ordered],
            format_func=lambda s: tr.text(cat.sources_by_id[s].short),
            key="w_f_source",
            placeholder=tr("a11y.choose_any"),
        )
        measures = st.multiselect(
            tr("finder.measure"),
            options=sorted({i.measure.value for i in cat.indicators}),
            format_func=lambda m: tr("measure." + m),
            key="w_f_measure",
            placeholder=tr("a11y.choose_any"),
        )
    with third:
        low, high = int(everything["year"].min()), int(everything["year"].max())
        years = st.slider(tr("finder.years"), low, high, (low, high), key="w_f_years")
        newest = st.toggle(tr("finder.newest"), key="w_f_newest", help=tr("finder.newest_help"))
    found = search(
        everything,
        query,
        topics=topics,
        sources=sources,
        qualifiers=qualifiers,
        measures=measures,
        years=years,
    )
    return newest_first(found) if newest else found


def results(ctx: Context, found: pd.DataFrame) -> None:
    """The matching figures, each linking to its chart and to its sentence, and a CSV."""
    tr = ctx.tr
    st.caption(tr.plural("finder.count", len(found)))
    # English shows each figure as the source writes it beside ours (152亿元 by 15.2 bn yuan).
    original = ["original"] if tr.lang == "en" else []
    shown = found[
        [
            "name",
            "shown",
            *original,
            "period",
            "document",
            "date",
            "quote",
            "chart",
            "in_source",
            "cite",
        ]
    ].rename(
        columns={
            "name": tr("col.name"),
            "shown": tr("col.shown"),
            "original": tr("col.original"),
            "period": tr("col.period"),
            "document": tr("col.source"),
            "date": tr("col.doc_date"),
            "quote": tr("col.quote"),
            "cite": tr("cite.copy"),
        }
    )
    st.dataframe(
        paging.page_of(ctx, shown, "w_finder_page"),
        hide_index=True,
        column_config={
            "chart": st.column_config.LinkColumn(tr("finder.chart"), display_text="↗"),
            "in_source": st.column_config.LinkColumn(tr("finder.in_source"), display_text="❝"),
        },
    )

    def csv() -> bytes:  # every matching figure, written only when the button is clicked
        return tables.frame_to_csv(found.drop(columns=["search"])).encode("utf-8-sig")

    st.download_button(
        tr("finder.download"),
        data=csv,
        file_name="figures.csv",
        mime="text/csv",
        # No rerun on click: a rerun would revoke the deferred CSV while the browser asks
        # for it (under load the download then failed), and it is work for nothing.
        on_click="ignore",
    )
