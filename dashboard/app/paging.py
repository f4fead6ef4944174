"""One page of a long table at a time, so a catalogue grown 40x stays quick to show."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app.context import Context

# Rows per page: today's catalogue (115 indicators) fits on one page, so no pager shows.
PAGE_ROWS = 150


def page_of(ctx: Context, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """One page of `table`, with a page number input when it is longer than a page."""
    pages = -(-len(table) // PAGE_ROWS)
    if pages <= 1:
        return table
    page = st.number_input(
        ctx.tr("paging.page", pages=pages), min_value=1, max_value=pages, step=1, key=key
    )
    first = (int(page) - 1) * PAGE_ROWS
    shown = table.iloc[first : first + PAGE_ROWS]
    st.caption(ctx.tr("paging.rows", first=first + 1, last=first + len(shown), total=len(table)))
    return shown
