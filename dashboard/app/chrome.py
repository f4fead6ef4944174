"""What surrounds every page: styles, navigation, sidebar, link notices, catalogue banner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from dashboard.app import urlstate
from dashboard.app.context import Context
from dashboard.app.urlstate import Notice
from dashboard.app.widgets import language_switch, presenter_toggle
from dashboard.catalogue import paths

_STATIC = Path(__file__).resolve().parent / "static"


def inject_css(presenter: bool) -> None:
    """Our own constant CSS files only; nothing from users or the catalogue goes in here."""
    names = ["base.css", "presenter.css"] if presenter else ["base.css"]
    css = "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in names)
    st.html(f"<style>{css}</style>")


_CARRIED_KEY = "_carried_notices"


def carry_notices(notices: list[Notice]) -> None:
    """Keep notices across a page switch so the page we land on can show them."""
    st.session_state[_CARRIED_KEY] = list(notices)


def show_notices(ctx: Context, notices: list[Notice] | None = None) -> None:
    """Tell the reader what was wrong with the link (values are sanitised code spans)."""
    if notices is None:
        notices = st.session_state.pop(_CARRIED_KEY, []) + ctx.notices
    for notice in notices:
        st.warning(ctx.tr("url." + notice.key, **dict(notice.values)), icon=":material/warning:")


def catalogue_banner(ctx: Context, limit: int = 5) -> bool:
    """A banner when the file on disk is invalid; False when nothing can be served."""
    loaded = ctx.loaded
    if not loaded.problems:
        return True
    if loaded.catalogue is not None and not loaded.stale:
        return True
    if loaded.public:
        # Viewers are told what is wrong, not the server's paths: the log has the details.
        kind = loaded.problems[0].type
        if kind == "no-vintage":
            st.info(ctx.tr("catalogue.unpublished", command="`python -m dashboard publish`"))
        else:
            st.error(ctx.tr("catalogue.vintage_unavailable"), icon=":material/error:")
        return False
    name = paths.display_name(loaded.path)
    key = "catalogue.stale" if loaded.catalogue is not None else "catalogue.unavailable"
    lines = [str(p) for p in loaded.problems[:limit]]
    more = len(loaded.problems) - limit
    with st.container(border=True):
        st.error(ctx.tr(key, file=f"`{urlstate.shown(name, 300)}`"), icon=":material/error:")
        st.code("\n".join(lines), language=None, wrap_lines=True)
        if more > 0:
            st.caption(ctx.tr("catalogue.more", count=more))
    return loaded.catalogue is not None


# Every page's link, in order; analysts' pages are not offered in presenter mode.
PAGES = ("overview", "trends", "finder", "changes", "sources", "health", "review")
PRESENTER_PAGES = ("overview", "trends", "finder", "changes", "sources")


def current_topic(ctx: Context) -> str | None:
    """The topic whose page is shown, if a topic page is."""
    if ctx.pages.get("_current") is not ctx.pages.get("topic"):
        return None
    return ctx.state.topic or (ctx.topics[0] if ctx.topics else None)


def topic_links(ctx: Context) -> None:
    """A link per topic, by its name, to its page; the topic shown is marked (each link
    sits in a keyed box, `topic_link_current` for it: base.css styles them)."""
    shown = current_topic(ctx)
    for k, topic in enumerate(ctx.topics):
        with st.container(key="topic_link_current" if topic == shown else f"topic_link_{k}"):
            st.page_link(
                ctx.pages["topic"],
                label=ctx.tr.topic(topic),
                query_params=urlstate.topic_params(ctx.state, topic),
            )


def page_links(ctx: Context, params: Mapping[str, str], horizontal: bool = False) -> None:
    """Links to every page that carry the language and presenter mode (Streamlit would
    otherwise drop query parameters on a page switch); the topics by name."""
    tr = ctx.tr
    if horizontal:
        names = [n for n in PRESENTER_PAGES if n in ctx.pages]
        with st.container(horizontal=True, key="presenter_nav", vertical_alignment="center"):
            st.page_link(ctx.pages[names[0]], label=tr("nav." + names[0]), query_params=params)
            if ctx.topics:
                with st.popover(tr("nav.topics")):
                    topic_links(ctx)
            for name in names[1:]:
                st.page_link(ctx.pages[name], label=tr("nav." + name), query_params=params)
            # Discreet (a plain text button, small): the audience should not see a big
            # button. It keeps the view and only drops `present` from the link.
            with st.container(key="exit_presenter"):
                st.button(
                    tr("sidebar.exit_presenter"),
                    icon=":material/close:",
                    type="tertiary",
                    key="w_exit_presenter",
                    on_click=_exit_presenter,
                )
        return
    st.page_link(ctx.pages["overview"], label=tr("nav.overview"), query_params=params)
    if ctx.topics:
        st.caption(tr("nav.topics"))
        with st.container(key="topic_nav"):
            topic_links(ctx)
    for name in PAGES[1:]:
        if name in ctx.pages:
            st.page_link(ctx.pages[name], label=tr("nav." + name), query_params=params)


def _exit_presenter() -> None:
    if "present" in st.query_params:
        del st.query_params["present"]
    st.session_state["w_present"] = False


def sidebar(ctx: Context) -> None:
    with st.sidebar:
        st.markdown(f"**{ctx.tr('app.title')}**")
        st.caption(ctx.tr("app.caption"))
        page_links(ctx, urlstate.common_params(ctx.state))
        st.divider()
        language_switch(ctx)
        presenter_toggle(ctx)
        if ctx.loaded.catalogue is not None:
            counts = ctx.counts
            st.caption(
                ctx.tr(
                    "sidebar.status",
                    indicators=counts.indicators,
                    observations=counts.observations,
                    sources=counts.sources,
                )
            )
