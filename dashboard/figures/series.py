"""Reshapes the tidy observations table into what pages and charts draw (pandas only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from dashboard.catalogue.models import Catalogue, Event
from dashboard.figures import tables
from dashboard.figures.formatting import display_number, format_value, period_text

# Levels at a date are drawn at that date; flows and rates over a span at its middle, so a
# year's figure sits in the middle of the year on a time axis.
_AT_END = {"cumulative", "stock"}
BOUND_QUALIFIERS = ("more_than", "nearly")


def _to_date(text: Any) -> date | None:
    if text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return None
    if isinstance(text, date):
        return text
    return date.fromisoformat(str(text)[:10])


def plot_date(measure: str, start: Any, end: Any) -> date:
    """Where a point goes on the time axis."""
    end_d = _to_date(end)
    start_d = _to_date(start)
    if end_d is None:
        raise ValueError("an observation without an end date cannot be placed")
    if measure in _AT_END or start_d is None:
        return end_d
    return start_d + (end_d - start_d) / 2


def citation_numbers(frame: pd.DataFrame) -> dict[str, int]:
    """Number the documents behind `frame` [1], [2]… oldest first, stable for one view."""
    if frame.empty:
        return {}
    docs = frame[["source", "source_date"]].drop_duplicates("source")
    docs = docs.assign(_d=docs["source_date"].astype(str)).sort_values(["_d", "source"])
    return {src: i + 1 for i, src in enumerate(docs["source"])}


def prepare(
    frame: pd.DataFrame,
    indicator_ids: Sequence[str],
    lang: str,
    units: Mapping[str, Any],
    qualifier_prefixes: Mapping[str, str],
    as_of_template: str = "{date}",
) -> pd.DataFrame:
    """Rows of the chosen indicators with plot position, display value and label added."""
    rows = frame[frame["indicator"].isin(list(indicator_ids))].copy()
    if rows.empty:
        return rows.assign(
            x=pd.Series(dtype="datetime64[ns]"), y=[], label=[], year=[], period_text=[]
        )
    rows["derived"] = rows["derived"].fillna(False).astype(bool)
    rows["x"] = pd.to_datetime(
        [
            plot_date(m, s, e)
            for m, s, e in zip(
                rows["measure"], rows["period_start"], rows["period_end"], strict=True
            )
        ]
    )
    rows["year"] = rows["x"].dt.year
    rows["y"] = [
        display_number(v, u, lang, units) for v, u in zip(rows["value"], rows["unit"], strict=True)
    ]
    rows["period_text"] = [period_text(p, as_of_template) for p in rows["period"]]
    rows["label"] = [
        format_value(v, u, q, lang, units, qualifier_prefixes)
        for v, u, q in zip(rows["value"], rows["unit"], rows["qualifier"], strict=True)
    ]
    order = {ind: i for i, ind in enumerate(indicator_ids)}
    rows["_order"] = rows["indicator"].map(order)
    rows = rows.sort_values(["_order", "x", "source_date"]).drop(columns="_order")
    return rows.reset_index(drop=True)


def in_years(rows: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """Points whose plot position falls in [year_from, year_to]."""
    if rows.empty:
        return rows
    return rows[(rows["year"] >= year_from) & (rows["year"] <= year_to)].reset_index(drop=True)


def year_bounds(frame: pd.DataFrame, default: tuple[int, int]) -> tuple[int, int]:
    """The widest year range a slider should offer: the defaults widened to the data."""
    if frame.empty:
        return default
    years = [d.year for d in (_to_date(e) for e in frame["period_end"]) if d is not None]
    starts = [d.year for d in (_to_date(s) for s in frame["period_start"]) if d is not None]
    low = min([default[0], *years, *starts])
    high = max([default[1], *years])
    return (low, high)


@dataclass(frozen=True)
class CardPoints:
    """What a headline card needs of one indicator's observations."""

    latest: pd.Series
    previous: pd.Series | None
    spark: pd.DataFrame
    # Other observations ending on the latest date (documents that disagree about it).
    same_end: pd.DataFrame


def card_points(frame: pd.DataFrame) -> dict[str, CardPoints]:
    """For every indicator in `frame`: its latest observation, the previous one with an
    earlier end, one point per period end (latest source wins) for its sparkline, and any
    other observation ending on the latest date (so a card can say documents disagree).

    Only the same indicator is compared (one measure, one scope), never a neighbour. One
    sort for all indicators: the overview builds every card at once, and filtering the frame
    again per card was a fifth of its first render.
    """
    if frame.empty:
        return {}
    frame = frame.reset_index(drop=True)
    rows = frame.assign(
        _end=frame["period_end"].astype(str),
        _derived=frame["derived"].fillna(False).astype(bool),
    )
    # Prefer a stated figure over a derived one for the same end date.
    ordered = rows.sort_values(
        ["indicator", "_end", "_derived", "source_date"],
        ascending=[True, True, False, True],
        kind="stable",
    )
    by_indicator = ordered.groupby("indicator", sort=False)
    latest_rows = by_indicator.tail(1)
    latest = latest_rows.set_index("indicator", drop=False)
    last_end = by_indicator["_end"].transform("max")
    earlier = ordered[ordered["_end"] < last_end]
    also = ordered[(ordered["_end"] == last_end) & ~ordered.index.isin(latest_rows.index)]
    same_end = {
        ind: part.drop(columns=["_end", "_derived"]) for ind, part in also.groupby("indicator")
    }
    previous = earlier.groupby("indicator", sort=False).tail(1).set_index("indicator", drop=False)
    spark = (
        rows.sort_values(["indicator", "_end", "source_date"], kind="stable")
        .drop_duplicates(["indicator", "_end"], keep="last")
        .drop(columns=["_end", "_derived"])
    )
    sparks = {ind: part.reset_index(drop=True) for ind, part in spark.groupby("indicator")}
    helpers = ["_end", "_derived"]
    return {
        ind: CardPoints(
            latest=latest.loc[ind].drop(helpers),
            previous=previous.loc[ind].drop(helpers) if ind in previous.index else None,
            spark=sparks[ind],
            same_end=same_end.get(ind, frame.iloc[:0]),
        )
        for ind in latest.index
    }


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


def chart_table(
    rows: pd.DataFrame, citations: Mapping[str, int], chart_unit: str = ""
) -> pd.DataFrame:
    """Exactly what a chart draws, with its citation: the table view and the CSV download."""
    columns = [
        "citation",
        "indicator",
        "name_zh",
        "name_en",
        "period",
        "period_text",
        "value",
        "qualifier",
        "unit",
        "measure",
        "derived",
        "label",
        "chart_value",
        "chart_unit",
        "source",
        "source_ref",
        "source_date",
        "quote",
    ]
    out = rows.assign(
        citation=[citations.get(s, 0) for s in rows["source"]],
        chart_value=rows.get("y"),
        chart_unit=chart_unit,
    )
    return out[[c for c in columns if c in out.columns]].reset_index(drop=True)


def chart_events(
    catalogue: Catalogue, indicator_ids: Sequence[str], year_from: int, year_to: int
) -> list[Event]:
    """Events that explain one of the charted indicators and fall in the years shown."""
    chosen = set(indicator_ids)
    out = []
    for event in catalogue.events:
        when = event_date(event)
        if chosen.intersection(event.indicators) and year_from <= when.year <= year_to:
            out.append(event)
    return sorted(out, key=event_date)


def event_date(event: Event) -> date:
    """Where an event goes on the axis: its day, or the middle of its month or year."""
    span = event.span
    start = span.start or span.end
    return start + (span.end - start) / 2


def number_sources(
    catalogue: Catalogue, rows: pd.DataFrame, events: Sequence[Event]
) -> dict[str, int]:
    """Citation numbers: the documents behind the points oldest first, then events' sources."""
    numbers = citation_numbers(rows)
    extra = sorted(
        {e.source for e in events} - set(numbers),
        key=lambda s: (catalogue.sources_by_id[s].as_of, s),
    )
    for source in extra:
        numbers[source] = len(numbers) + 1
    return numbers


def default_indicator(catalogue: Catalogue) -> str:
    """The Trends page without a choice shows the first headline indicator."""
    for indicator in catalogue.indicators:
        if indicator.headline:
            return indicator.id
    return catalogue.indicators[0].id


def observations_frame(catalogue: Catalogue) -> pd.DataFrame:
    """One row per observation: the export's tidy table, so the CSV and the pages agree."""
    return tables.observations_frame(catalogue)
