"""Page blocks shared by pages: comparability notes, citations, indicator notes, tables.

Catalogue text reaches st.markdown only through escape_markdown, never as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts, data_io, highlight, series, theme, urlstate
from dashboard.formatting import display_unit, format_change, period_text
from dashboard.formatting import escape_markdown as md
from dashboard.highlight import Span
from dashboard.selection import Context
from dashboard.urlstate import ViewState


def _value(enum_or_text: Any) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text))


def _date_text(ctx: Context, doc_date: Any) -> str:
    tr = ctx.tr
    status = getattr(doc_date.status, "value", doc_date.status)
    if status == "stated":
        return tr("sources.date_stated", date=doc_date.date)
    if status == "inferred":
        return tr("sources.date_inferred", date=doc_date.date, basis=tr.text(doc_date.basis))
    return tr("sources.date_unstated")


def source_date(ctx: Context, source: Any) -> str:
    """The date a reader should quote: signed if stated, else published, else inferred
    (and then marked as inferred)."""
    for doc_date in (source.signed, source.published):
        if getattr(doc_date.status, "value", doc_date.status) == "stated":
            return _date_text(ctx, doc_date)
    for doc_date in (source.signed, source.published):
        if getattr(doc_date.status, "value", doc_date.status) == "inferred":
            return _date_text(ctx, doc_date)
    return ctx.tr("sources.date_unstated")


def event_date_text(ctx: Context, event: Any) -> str:
    """An event's date as written, marked where the source leaves part of it out."""
    return ctx.tr("chart.date_inferred", date=event.date) if event.date_inferred else event.date


def comparability_notes(ctx: Context, ids: Sequence[str], compact: bool = False) -> None:
    """Say where documents disagree or figures must not be compared, next to the chart."""
    tr, cat = ctx.tr, ctx.catalogue
    rows = ctx.frame[ctx.frame["indicator"].isin(list(ids))]
    lines: list[str] = []
    for indicator_id in series.multi_source(ctx.frame, ids):
        sources = dict.fromkeys(rows[rows["indicator"] == indicator_id]["source"])
        join = "、".join if tr.lang == "zh" else "; ".join
        shorts = join(tr.text(cat.sources_by_id[s].short) for s in sources)
        lines.append(tr("trends.multi_source", name=ctx.name(indicator_id), sources=shorts))
    seen: set[frozenset[str]] = set()
    for indicator_id in ids:
        for relation in cat.indicators_by_id[indicator_id].not_comparable_with:
            pair = frozenset((indicator_id, relation.indicator))
            if pair in seen:
                continue
            seen.add(pair)
            lines.append(
                tr(
                    "trends.not_comparable",
                    name=ctx.name(indicator_id),
                    other=ctx.name(relation.indicator),
                    reason=tr.text(relation.reason),
                )
            )
    if lines and compact:
        st.caption("  \n".join(md(line) for line in lines))
    elif lines:
        st.info("\n".join(f"- {md(line)}" for line in lines), icon=":material/compare_arrows:")


def citation_list(
    ctx: Context, rows: pd.DataFrame, numbers: Mapping[str, int], events: Sequence[Any]
) -> None:
    """[n] title, reference, date, then each verbatim quote behind the chart."""
    tr, cat = ctx.tr, ctx.catalogue
    for source_id, number in numbers.items():
        source = cat.sources_by_id[source_id]
        head = f"**[{number}]** {md(tr.text(source.title))}"
        ref = md(source.reference) if source.reference else tr("sources.no_reference")
        with st.container(border=True):
            st.markdown(
                f"{head}  \n{md(tr.text(source.issuer))} · {ref} · {md(source_date(ctx, source))}"
            )
            for _, row in rows[rows["source"] == source_id].iterrows():
                name, period, label = ctx.name(row["indicator"]), row["period_text"], row["label"]
                st.markdown(f"{md(name)} · {md(period)} · **{md(label)}**  \n> {md(row['quote'])}")
            for event in events:
                if event.source == source_id:
                    title = md(tr.text(event.title))
                    when = md(event_date_text(ctx, event))
                    head = f"{tr('chart.event')} · {when} · **{title}**"
                    st.markdown(f"{head}  \n> {md(event.quote)}")
            st.page_link(
                ctx.pages["sources"],
                label=tr("trends.open_source"),
                query_params=urlstate.source_params(ctx.state, source_id),
            )


def compact_citations(ctx: Context, numbers: Mapping[str, int]) -> None:
    """Presenter mode: one line per document, still enough to find it."""
    tr, cat = ctx.tr, ctx.catalogue
    parts = []
    for source_id, number in numbers.items():
        source = cat.sources_by_id[source_id]
        ref = source.reference or tr.text(source.short)
        parts.append(
            f"[{number}] {tr.text(source.issuer)}《{tr.text(source.title)}》{ref}, {source.as_of}"
        )
    st.caption(md("  ".join(parts)))


def indicator_about(ctx: Context, indicator_id: str) -> None:
    tr = ctx.tr
    indicator = ctx.catalogue.indicators_by_id[indicator_id]
    lines = [
        f"**{md(tr.text(indicator.name))}**",
        md(tr.text(indicator.description)),
        f"{tr('trends.subject')}: {md(tr.text(indicator.subject))} · "
        f"{tr('trends.measure')}: {tr('measure.' + _value(indicator.measure))}",
    ]
    if indicator.notes:
        lines.append(f"{tr('trends.notes')}: {md(tr.text(indicator.notes))}")
    for obs in indicator.observations:
        if obs.derived is not None:
            lines.append(
                f"{md(obs.period)}: " + md(tr("trends.derived_from", formula=obs.derived.formula))
            )
        if obs.ambiguity is not None:
            lines.append(
                f"{md(obs.period)}: " + md(tr("trends.ambiguity", text=tr.text(obs.ambiguity)))
            )
        if obs.notes is not None:
            lines.append(f"{md(obs.period)}: {md(tr.text(obs.notes))}")
    st.markdown("  \n".join(lines))


def unit_label(ctx: Context, indicator_id: str) -> str:
    """The chart's unit in the reader's language (English may rescale: "bn yuan")."""
    unit = ctx.catalogue.indicators_by_id[indicator_id].unit
    return display_unit(unit, ctx.tr.lang, ctx.units) or ctx.tr.text(ctx.units.get(unit, {}))


@dataclass(frozen=True)
class TrendView:
    """What the Trends page shows for one view; the same for every viewer of one link."""

    rows: pd.DataFrame  # the points inside the years shown (read-only: shared)
    outside: int  # points of the chosen indicators outside those years
    events: tuple[Any, ...]
    numbers: Mapping[str, int]  # citation number of each document behind rows and events
    unit_label: str
    figure: Any


def trend_view(ctx: Context, view: ViewState, show_events: bool) -> TrendView:
    """Points, events, citations and figure for `view`, built once per (catalogue version,
    language, indicators, years, events shown, mode): everything here follows from that key,
    so every viewer of one link shares it."""
    tr, cat = ctx.tr, ctx.catalogue
    ids = list(view.indicators)

    def build() -> TrendView:
        all_rows = ctx.prepare(ctx.frame, ids)
        rows = series.in_years(all_rows, view.year_from, view.year_to)
        events = series.chart_events(cat, ids, view.year_from, view.year_to) if show_events else []
        numbers = series.number_sources(cat, rows, events)
        label = unit_label(ctx, ids[0])
        figure = _trend_figure(ctx, view, rows, events, numbers, label)
        outside = len(all_rows) - len(rows)
        return TrendView(rows, outside, tuple(events), MappingProxyType(numbers), label, figure)

    key = (tr.lang, tuple(ids), view.year_from, view.year_to, show_events, view.present)
    return data_io.per_version(ctx.loaded, "trend_view", key, build)


def _trend_figure(
    ctx: Context,
    view: ViewState,
    rows: pd.DataFrame,
    events: Sequence[Any],
    numbers: Mapping[str, int],
    unit: str,
) -> Any:
    tr, cat = ctx.tr, ctx.catalogue
    ids = list(view.indicators)
    cites = {s: f"[{n}] {tr.text(cat.sources_by_id[s].short)}" for s, n in numbers.items()}
    names = {i: ctx.name(i) for i in ids}
    title = (
        names[ids[0]]
        if len(ids) == 1
        else tr("chart.compare_title", first=names[ids[0]], count=len(ids), more=len(ids) - 1)
    )
    marks = [
        charts.EventMark(
            series.event_date(e),
            tr("chart.event_mark", n=i + 1),
            f"{tr.text(e.title)}\n{event_date_text(ctx, e)}\n{cites[e.source]}",
        )
        for i, e in enumerate(events)
    ]
    events_line = tr("chart.events_line") + "; ".join(
        f"{m.label} {event_date_text(ctx, e)} {tr.text(e.title)} [{numbers[e.source]}]"
        for m, e in zip(marks, events, strict=True)
    )
    return charts.trend_figure(
        rows,
        names=names,
        cites=cites,
        title=title,
        unit_label=unit,
        source_line=tr("chart.source_prefix") + "; ".join(cites.values()),
        events_line=events_line if marks else "",
        events=marks,
        year_from=view.year_from,
        year_to=view.year_to,
        tr=tr,
        presenter=view.present,
    )


def trend_table(ctx: Context, trend: TrendView) -> pd.DataFrame:
    """Exactly what the chart draws, with citations and document titles: the CSV download."""
    table = series.chart_table(trend.rows, trend.numbers, trend.unit_label)
    titles = [ctx.tr.text(ctx.catalogue.sources_by_id[s].title) for s in table["source"]]
    return table.assign(source_title=titles)


def localised_table(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """The charted rows with headers and qualifier words in the reader's language."""
    tr = ctx.tr
    name_col = "name_zh" if tr.lang == "zh" else "name_en"
    out = pd.DataFrame(
        {
            tr("col.citation"): [f"[{n}]" for n in table["citation"]],
            tr("col.name"): table[name_col],
            tr("col.period"): table["period_text"],
            tr("col.shown"): table["label"],
            tr("col.qualifier"): [tr("qualifier." + q) for q in table["qualifier"]],
            tr("col.derived"): table["derived"],
            tr("col.source"): table["source_ref"]
            .fillna("")
            .where(table["source_ref"].fillna("") != "", table["source"]),
            tr("col.quote"): table["quote"],
        }
    )
    return out


@dataclass(frozen=True)
class Card:
    """What one headline card shows; the same for every viewer of one catalogue version,
    language and mode, so it is built once (data_io.per_version) and shared read-only."""

    topic: str
    name: str
    value: str
    period_change: str
    figure: Any
    source_id: str
    source_line: str


def _card(ctx: Context, indicator_id: str, points: series.CardPoints) -> Card:
    tr = ctx.tr
    indicator = ctx.catalogue.indicators_by_id[indicator_id]
    latest, previous = points.latest, points.previous
    if previous is None:
        change = tr("overview.no_earlier")
    else:
        diff = format_change(
            latest["value"],
            previous["value"],
            indicator.unit,
            tr.lang,
            ctx.units,
            tr("overview.points"),
        )
        # Running totals and levels compare dates ("since 2023-05-16"), flows compare periods.
        at_end = previous["measure"] in ("cumulative", "stock")
        since = previous["period_end"] if at_end else previous["period_text"]
        change = tr("overview.change", period=since, change=diff)
        inexact = {latest["qualifier"], previous["qualifier"]} != {"exact"}
        if inexact or latest["derived"] or previous["derived"]:
            change += " " + tr("overview.change_approx")
    for _, other in points.same_end.iterrows():
        short = tr.text(ctx.catalogue.sources_by_id[other["source"]].short)
        change += "  \n" + tr("overview.also_reported", value=other["label"], source=short)
    source = ctx.catalogue.sources_by_id[latest["source"]]
    value = latest["label"] + (f" ({tr('overview.derived')})" if latest["derived"] else "")
    return Card(
        topic=md(tr.topic(indicator.topic)),
        name=f"**{md(tr.text(indicator.name))}**",
        value=f"### {md(value)}",
        period_change=md(tr("overview.period", period=latest["period_text"])) + "  \n" + md(change),
        figure=charts.sparkline(points.spark, ctx.state.present),
        source_id=source.id,
        source_line=md(tr("overview.source", source=tr.text(source.short), date=source.as_of)),
    )


def headline_cards(ctx: Context) -> Mapping[str, Card | None]:
    """Every headline card of the served catalogue, built once per (catalogue version,
    language, presenter mode): rebuilding 12 figures per run was most of the overview's time."""

    def build() -> Mapping[str, Card | None]:
        ids = [i.id for i in ctx.catalogue.indicators if i.headline]
        points = series.card_points(ctx.prepare(ctx.frame, ids))  # once for all cards
        return MappingProxyType({i: _card(ctx, i, points[i]) if i in points else None for i in ids})

    return data_io.per_version(
        ctx.loaded, "headline_cards", (ctx.tr.lang, ctx.state.present), build
    )


def headline_card(ctx: Context, indicator_id: str, card: Card | None) -> None:
    """Latest value with qualifier, its period, change since the previous figure of the
    same indicator (never another one), a sparkline, the source and a link to Trends."""
    tr = ctx.tr
    if card is None:
        return
    # Cards of one row share its height, so a row reads as one band on a slide.
    with st.container(border=True, height="stretch"):
        st.caption(card.topic)
        st.markdown(card.name)
        st.markdown(card.value)
        st.caption(card.period_change)
        st.plotly_chart(
            card.figure,  # shared: st.plotly_chart copies it (to_dict) and never mutates it
            config=theme.SPARK_CONFIG,
            theme=None,
            key=f"spark_{indicator_id}",
        )
        st.caption(card.source_line)
        with st.container(horizontal=True):
            st.page_link(
                ctx.pages["trends"],
                label=tr("overview.open"),
                icon=":material/show_chart:",
                query_params=urlstate.trends_params(ctx.state, [indicator_id]),
            )
            st.page_link(
                ctx.pages["sources"],
                label=tr("overview.open_source"),
                icon=":material/description:",
                query_params=urlstate.source_params(ctx.state, card.source_id),
            )


def source_metadata(ctx: Context, source: Any) -> None:
    """Issuer, reference, kind, dates (inferred ones marked), file; catalogue text escaped."""
    tr = ctx.tr
    rows = [
        (tr("sources.issuer"), tr.text(source.issuer)),
        (tr("sources.reference"), source.reference or tr("sources.no_reference")),
        (tr("sources.kind"), tr("kind." + _value(source.kind))),
    ]
    if source.addressee is not None:
        rows.append((tr("sources.addressee"), tr.text(source.addressee)))
    rows += [
        (tr("sources.signed"), _date_text(ctx, source.signed)),
        (tr("sources.published"), _date_text(ctx, source.published)),
        (tr("sources.file"), source.file),
    ]
    st.markdown(f"#### {md(tr.text(source.title))}")
    st.markdown("  \n".join(f"**{label}**: {md(value)}" for label, value in rows))
    if source.notes is not None:
        st.caption(md(tr.text(source.notes)))


def source_figures(ctx: Context, source_id: str) -> None:
    """Every figure and event this document contributes, each linking to its trend."""
    tr, cat = ctx.tr, ctx.catalogue
    frame = ctx.frame[ctx.frame["source"] == source_id]
    if frame.empty:
        st.caption(tr("sources.no_figures"))
    else:
        ids = list(dict.fromkeys(frame["indicator"]))
        rows = ctx.prepare(frame, ids)
        table = pd.DataFrame(
            {
                tr("col.name"): [ctx.name(i) for i in rows["indicator"]],
                tr("col.period"): rows["period_text"],
                tr("col.shown"): rows["label"],
                tr("col.derived"): rows["derived"],
                tr("col.quote"): rows["quote"],
            }
        )
        st.dataframe(table, hide_index=True)
    events = sorted(
        (e for e in cat.events if e.source == source_id), key=lambda e: (e.span.end, e.id)
    )
    if events:
        st.markdown(f"**{tr('sources.events')}**")
        lines = (f"{md(event_date_text(ctx, e))} · {md(tr.text(e.title))}" for e in events)
        st.markdown("  \n".join(lines))


def quotes_of(ctx: Context, source_id: str) -> list[tuple[str, str]]:
    """(quote, tooltip) for every observation and event citing `source_id`."""
    tr, cat = ctx.tr, ctx.catalogue
    out: list[tuple[str, str]] = []
    for indicator in cat.indicators:
        for obs in indicator.observations:
            if obs.source == source_id:
                out.append((obs.quote, f"{tr.text(indicator.name)} · {obs.period}"))
    for event in cat.events:
        if event.source == source_id:
            out.append((event.quote, f"{tr('chart.event')} · {tr.text(event.title)}"))
    return out


def highlighted_text(
    ctx: Context, source_id: str, text: str, coverage: Any | None, marked: bool
) -> tuple[str, int]:
    """The source text as HTML with its quotes (and, if `marked`, unaccounted numbers)
    marked, and how many quotes were not found. Built once per (catalogue version, source,
    language, marked): locating every quote re-normalised the whole text on each run."""

    def build() -> tuple[str, int]:
        spans, missing = highlight.quote_spans(text, quotes_of(ctx, source_id))
        if marked and coverage is not None:
            spans += unaccounted_spans(ctx, coverage)
        return highlight.render(text, spans), missing

    key = (source_id, ctx.tr.lang, marked, hash(text))
    return data_io.per_version(ctx.loaded, "highlighted_text", key, build)


def unaccounted_spans(ctx: Context, coverage: Any) -> list[Any]:
    return [
        Span(m.mention.start, m.mention.end, "unaccounted", ctx.tr("col.unaccounted"))
        for m in coverage.mentions
        if _value(m.status) == "unaccounted"
    ]


def highlight_key(ctx: Context, with_unaccounted: bool) -> str:
    """A legend for the marks; labels come from i18n.yaml (our data) and are escaped."""
    cited = html.escape(ctx.tr("sources.legend_cited"))
    unaccounted = html.escape(ctx.tr("sources.legend_unaccounted"))
    key = f'<span class="hl-key hl-cited">{cited}</span>'
    if with_unaccounted:
        key += f'<span class="hl-key hl-unaccounted">{unaccounted}</span>'
    return f"<p>{key}</p>"


_STATUS_MARKS = {"stated": "●", "bound": "▲", "derived": "○", "": ""}


def coverage_table(ctx: Context, matrix: pd.DataFrame) -> pd.DataFrame:
    """The indicator × year matrix with shapes for statuses and names in the reader's language."""
    table = matrix.replace(_STATUS_MARKS)
    table.index = [ctx.name(i) for i in matrix.index]
    table.index.name = ctx.tr("health.indicator_col")
    table.columns = [str(c) for c in matrix.columns]
    return table


def coverage_columns(table: pd.DataFrame) -> dict[str, Any]:
    """Narrow year columns and a pinned name column, so every year from 2011 to 2025 fits
    a 1440 px screen without scrolling sideways (names are truncated; hover shows them)."""
    config: dict[str, Any] = {"_index": st.column_config.TextColumn(width=300, pinned=True)}
    for column in table.columns:
        config[column] = st.column_config.TextColumn(width=40)
    return config


def ambiguity_table(ctx: Context) -> None:
    """Every recorded ambiguity of observations and events, with where it comes from."""
    tr, cat = ctx.tr, ctx.catalogue
    records = []
    for indicator in cat.indicators:
        for obs in indicator.observations:
            if obs.ambiguity is not None:
                records.append(
                    {
                        tr("col.name"): tr.text(indicator.name),
                        tr("col.period"): period_text(obs.period, tr("period.as_of")),
                        tr("col.source"): tr.text(cat.sources_by_id[obs.source].short),
                        tr("col.text"): tr.text(obs.ambiguity),
                        tr("col.quote"): obs.quote,
                    }
                )
    for event in cat.events:
        if event.ambiguity is not None:
            records.append(
                {
                    tr("col.name"): f"{tr('chart.event')}: {tr.text(event.title)}",
                    tr("col.period"): event_date_text(ctx, event),
                    tr("col.source"): tr.text(cat.sources_by_id[event.source].short),
                    tr("col.text"): tr.text(event.ambiguity),
                    tr("col.quote"): event.quote,
                }
            )
    if not records:
        st.info(tr("health.no_ambiguities"))
        return
    st.dataframe(pd.DataFrame.from_records(records), hide_index=True)


def mention_counts(ctx: Context, coverage: Mapping[str, Any]) -> None:
    """Per document: numbers cited, dismissed and still unaccounted (coverage helper)."""
    tr, cat = ctx.tr, ctx.catalogue
    records = [
        {
            tr("col.source"): tr.text(cat.sources_by_id[source_id].short),
            tr("col.cited"): cov.cited,
            tr("col.dismissed"): cov.dismissed,
            tr("col.unaccounted"): cov.unaccounted,
            tr("col.total"): len(cov.mentions),
        }
        for source_id, cov in coverage.items()
        if source_id in cat.sources_by_id
    ]
    st.dataframe(pd.DataFrame.from_records(records), hide_index=True)
