"""What screen readers and the zh UI need beyond Streamlit's defaults: each chart's name and
figure sentence, and the page helper (static/a11y.js) for the page's language and
Streamlit's own English words (WCAG 2.1 AA, issue 21 point 7)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import streamlit as st

from dashboard.app.context import Context
from dashboard.figures.alt_text import ChartAlt

# Constant code (a Content-Security-Policy can allow it by its hash); its data go beside it.
HELPER_JS = (Path(__file__).resolve().parent / "static" / "a11y.js").read_text(encoding="utf-8")


def helper(ctx: Context) -> None:
    """The page's language and the zh words for Streamlit's own UI (data/i18n.yaml
    `streamlit_ui`), read by static/a11y.js; hidden by base.css, it takes no room."""
    words = [
        {"en": str(w["en"]), "zh": str(w["zh"])}
        for w in ctx.tr.labels.get("streamlit_ui", {}).values()
    ]
    data = html.escape(json.dumps(words, ensure_ascii=False), quote=True)
    config = f'<div id="shsts-a11y" hidden data-lang="{ctx.tr.lang}" data-words="{data}"></div>'
    st.html(f"{config}<script>{HELPER_JS}</script>", unsafe_allow_javascript=True)


def name(alt: ChartAlt | None) -> str | None:
    """The chart's accessible name for st.plotly_chart(alt=…): its title and unit."""
    return alt.name if alt is not None else None


def describe(key: str, alt: ChartAlt | None) -> None:
    """The chart's figure sentence, right after it in reading order and drawn nowhere
    (base.css `.chart-alt`); static/a11y.js names it as the chart's description."""
    if alt is None or not alt.sentence:
        return
    st.html(
        f'<p class="chart-alt" id="alt-{html.escape(key, quote=True)}">'
        f"{html.escape(alt.sentence)}</p>"
    )
