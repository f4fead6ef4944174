"""Reshapes the tidy observations table into what pages and charts draw (pandas only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from dashboard.catalogue.models import Catalogue
from dashboard.figures import tables

BOUND_QUALIFIERS = ("more_than", "nearly")


def _to_date(text: Any) -> date | None:
    if text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return None
    if isinstance(text, date):
        return text
    return date.fromisoformat(str(text)[:10])


def year_bounds(frame: pd.DataFrame, default: tuple[int, int]) -> tuple[int, int]:
    """The widest year range a slider should offer: the defaults widened to the data."""
    if frame.empty:
        return default
    years = [d.year for d in (_to_date(e) for e in frame["period_end"]) if d is not None]
    starts = [d.year for d in (_to_date(s) for s in frame["period_start"]) if d is not None]
    low = min([default[0], *years, *starts])
    high = max([default[1], *years])
    return (low, high)


def coverage_matrix(frame: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """indicator × year: "stated", "bound" (more than / nearly) or "derived", else empty.

    A year counts as stated when any stated figure ends in it, so the best evidence shows.
    """
    years = list(years)
    rank = {"stated": 3, "bound": 2, "derived": 1}
    cells: dict[str, dict[int, str]] = {ind: {} for ind in dict.fromkeys(frame["indicator"])}
    for row in frame.to_dict("records"):
        end = _to_date(row["period_end"])
        if end is None or end.year not in years:
            continue
        flag = row["derived"]
        if not pd.isna(flag) and bool(flag):
            status = "derived"
        elif row["qualifier"] in BOUND_QUALIFIERS:
            status = "bound"
        else:
            status = "stated"
        cell = cells[str(row["indicator"])]
        current = cell.get(end.year)
        if current is None or rank[status] > rank[current]:
            cell[end.year] = status
    table = pd.DataFrame.from_dict(cells, orient="index").reindex(columns=years)
    table = table.astype(object)
    return table.where(table.notna(), "").astype(str)


def multi_source(frame: pd.DataFrame, indicator_ids: Sequence[str]) -> list[str]:
    """Indicators reported by more than one document (the page says so next to the chart)."""
    rows = frame[frame["indicator"].isin(list(indicator_ids))]
    counts = rows.groupby("indicator")["source"].nunique()
    return [ind for ind in indicator_ids if counts.get(ind, 0) > 1]


def default_indicator(catalogue: Catalogue) -> str:
    """The Trends page without a choice shows the first headline indicator."""
    for indicator in catalogue.indicators:
        if indicator.headline:
            return indicator.id
    return catalogue.indicators[0].id


def observations_frame(catalogue: Catalogue) -> pd.DataFrame:
    """One row per observation: the export's tidy table, so the CSV and the pages agree."""
    return tables.observations_frame(catalogue)
