"""Entry point: reads the URL and the catalogue once, then routes to a page in app_pages/.

The folder is not called pages/: Streamlit would then run a page script on its own (its
old multipage mode) for a first request to /trends, before app.py had set anything up.
"""

from __future__ import annotations

import streamlit as st

from dashboard.app import accessible, chrome, context, mode, urlstate

ctx = context.build_context()
tr = ctx.tr
st.set_page_config(
    page_title=tr("app.title"),
    layout="wide",
    initial_sidebar_state="collapsed" if ctx.state.present else "auto",
)
refused = mode.refusal(ctx.mode)
if refused:  # authoring reachable from other machines without a login: serve nothing
    st.error(tr(refused))
    st.stop()
ctx.pages = {
    "overview": st.Page(
        "app_pages/overview.py", title=tr("nav.overview"), url_path="", default=True
    ),
    "topic": st.Page("app_pages/topic.py", title=tr("nav.topic"), url_path="topic"),
    "trends": st.Page("app_pages/trends.py", title=tr("nav.trends"), url_path="trends"),
    "finder": st.Page("app_pages/finder.py", title=tr("nav.finder"), url_path="finder"),
    "sources": st.Page("app_pages/sources.py", title=tr("nav.sources"), url_path="sources"),
    "changes": st.Page("app_pages/changes.py", title=tr("nav.changes"), url_path="changes"),
    "health": st.Page("app_pages/health.py", title=tr("nav.health"), url_path="health"),
}
# The only page that writes exists only in authoring: every registered page is reachable by
# URL, so a public instance must not have it at all (/review falls back to the overview).
if ctx.mode.authoring:
    ctx.pages["review"] = st.Page("app_pages/review.py", title=tr("nav.review"), url_path="review")
# Hidden: our own links carry the query parameters that Streamlit's menu would drop.
page = st.navigation(list(ctx.pages.values()), position="hidden")
ctx.pages["_current"] = page

chrome.inject_css(ctx.state.present)
accessible.helper(ctx)  # the page's language, Streamlit's own words in zh (WCAG)
if ctx.state.present:
    chrome.page_links(ctx, urlstate.common_params(ctx.state), horizontal=True)
else:
    chrome.sidebar(ctx)

if chrome.catalogue_banner(ctx):
    if page is ctx.pages["trends"] and ctx.state.indicator_rejected:
        # A link naming only unknown ids gets the reasons and the overview, not a crash.
        chrome.carry_notices([*ctx.notices, urlstate.Notice("showing_overview")])
        st.switch_page(ctx.pages["overview"], query_params=urlstate.common_params(ctx.state))
    chrome.show_notices(ctx)
    page.run()
