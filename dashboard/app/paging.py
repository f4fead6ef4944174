"""One page of a long table or list at a time, so a catalogue grown 40x stays quick to show."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app.context import Context

# Rows per page: today's catalogue (118 indicators) fits on one page, so no pager shows.
PAGE_ROWS = 150


def page_slice(ctx: Context, total: int, per_page: int, key: str, label: str) -> slice:
    """Which of `total` items to show, with a page number input when they are more than
    one page; `label` is the i18n key of the caption naming what is shown ("rows 1–150")."""
    pages = -(-total // per_page)
    if pages <= 1:
        return slice(0, total)
    page = st.number_input(
        ctx.tr("paging.page", pages=pages), min_value=1, max_value=pages, step=1, key=key
    )
    first = (int(page) - 1) * per_page
    last = min(first + per_page, total)
    st.caption(ctx.tr(label, first=first + 1, last=last, total=total))
    return slice(first, last)


def page_of(ctx: Context, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """One page of `table`, with a page number input when it is longer than a page."""
    return table.iloc[page_slice(ctx, len(table), PAGE_ROWS, key, "paging.rows")]
