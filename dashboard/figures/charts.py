"""Plotly figures for the pages; returns go.Figure and never touches Streamlit."""

from __future__ import annotations

import html
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.i18n import Translator

# The narrowest plot area a chart is laid out for (px): spacing that must stay visible
# (points side by side, event labels) is computed for it and only grows on wider screens.
ASSUMED_PLOT_PX = 500


@dataclass(frozen=True)
class EventMark:
    """An event drawn as a labelled vertical line; `detail` is its hover (with citation)."""

    when: date
    label: str
    detail: str


def esc(text: object) -> str:
    """Catalogue text is data: escape it before Plotly's limited HTML sees it."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int, max_lines: int = 3) -> str:
    """Break long (possibly CJK) text into at most `max_lines` <br>-joined lines, so no
    label, however long, can squeeze the plot area."""
    lines = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)] + "…"
    return "<br>".join(esc(line) for line in lines)


def _hover(row: pd.Series, name: str, cite: str, tr: Translator) -> str:
    parts = [
        f"<b>{_wrap(name, 40)}</b>",
        f"{esc(row['label'])}",
        f"{tr('chart.period')}: {esc(row['period_text'])}",
        f"{tr('qualifier.' + str(row['qualifier']))}"
        + (f" · {tr('chart.derived')}" if row["derived"] else ""),
        esc(cite),
    ]
    return "<br>".join(parts)


def _points(
    part: pd.DataFrame, group: str, name: str, color: str, s: theme.Sizes, *, derived: bool
) -> go.Scatter:
    """One indicator's stated points (filled, joined by its line, in the legend) or its
    derived ones (open markers, no line of their own: the dotted connector joins them)."""
    return go.Scatter(
        x=part["x"],
        y=part["y"],
        mode="markers" if derived else "lines+markers",
        name=name,
        legendgroup=group,
        showlegend=not derived,
        line={"color": color, "width": s.line},
        marker={
            "symbol": [theme.symbol(q, derived=derived) for q in part["qualifier"]],
            "size": s.marker,
            "color": color,
            "line": {"color": color, "width": 2} if derived else {"color": "#ffffff", "width": 1},
        },
        text=part["_hover"],
        hovertemplate="%{text}<extra></extra>",
    )


def _key_traces(rows: pd.DataFrame, tr: Translator, s: theme.Sizes) -> list[go.Scatter]:
    """Legend entries that explain the marker shapes actually used."""
    traces = []
    stated = rows[~rows["derived"]]
    for qualifier in theme.QUALIFIER_SYMBOLS:
        if (stated["qualifier"] == qualifier).any():
            traces.append(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=_wrap(tr("qualifier_key." + qualifier), 24),
                    marker={
                        "symbol": theme.symbol(qualifier),
                        "color": theme.KEY_COLOUR,
                        "size": s.marker,
                    },
                    legendgroup="__key",
                    legendgrouptitle_text=tr("chart.key_title"),
                    hoverinfo="skip",
                )
            )
    if rows["derived"].any():
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines+markers",
                name=_wrap(tr("qualifier_key.derived"), 24),
                marker={"symbol": "circle-open", "color": theme.KEY_COLOUR, "size": s.marker},
                line={"dash": "dot", "color": theme.KEY_COLOUR, "width": s.line},
                legendgroup="__key",
                legendgrouptitle_text=tr("chart.key_title"),
                hoverinfo="skip",
            )
        )
    return traces


def trend_figure(
    rows: pd.DataFrame,
    *,
    names: Mapping[str, str],
    cites: Mapping[str, str],
    title: str,
    unit_label: str,
    source_line: str,
    events: Sequence[EventMark],
    events_line: str = "",
    year_from: int,
    year_to: int,
    tr: Translator,
    presenter: bool = False,
) -> go.Figure:
    """One trace per indicator: lines join only one indicator's stated points; derived
    points are open markers on a dotted connector; shapes encode the qualifier."""
    s = theme.sizes(presenter)
    fig = go.Figure(layout=theme.base_layout(presenter))
    order = list(dict.fromkeys(rows["indicator"])) if not rows.empty else []
    span_days = (date(year_to, 12, 31) - date(year_from, 1, 1)).days + 1
    gap = pd.Timedelta(days=span_days * s.marker / ASSUMED_PLOT_PX)
    for i, ind in enumerate(order):
        part = rows[rows["indicator"] == ind].sort_values("x", kind="stable")
        part = part.assign(x=side_by_side(part["x"], gap))
        color = theme.colour(i)
        name = names.get(ind, ind)
        hovers = [_hover(r, name, cites.get(r["source"], ""), tr) for _, r in part.iterrows()]
        part = part.assign(_hover=hovers)
        derived = part[part["derived"]]
        stated = part[~part["derived"]]
        if not derived.empty:
            fig.add_trace(
                go.Scatter(
                    x=part["x"],
                    y=part["y"],
                    mode="lines",
                    line={"color": color, "width": s.line * 0.7, "dash": "dot"},
                    legendgroup=ind,
                    showlegend=False,
                    hoverinfo="skip",
                    name=_wrap(name, 28),
                )
            )
        fig.add_trace(_points(stated, ind, _wrap(name, 28), color, s, derived=False))
        if not derived.empty:
            label = _wrap(name, 28) + f" ({tr('chart.derived')})"
            fig.add_trace(_points(derived, ind, label, color, s, derived=True))
    if not rows.empty:
        for trace in _key_traces(rows, tr, s):
            fig.add_trace(trace)
    else:
        fig.add_annotation(
            text=esc(tr("chart.no_data")),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": s.title, "color": theme.MUTED_COLOUR},
        )

    event_rows = label_rows(
        [(e.when, e.label) for e in events], year_from, year_to, s.small, ASSUMED_PLOT_PX
    )
    _add_events(fig, events, event_rows, s)
    fig.update_xaxes(
        type="date",
        range=[f"{year_from}-01-01", f"{year_to}-12-31"],
        dtick="M12",
        tickformat="%Y",
        ticklabelmode="period",
        showgrid=True,
    )
    # automargin makes room for the (presenter-size) tick labels; standoff keeps the axis
    # title clear of them.
    fig.update_yaxes(
        title={"text": esc(unit_label), "standoff": s.small},
        automargin=True,
        rangemode="tozero",
        tickformat="~r",
    )
    width = 150 if tr.lang == "en" else 80
    source_lines = _wrap(source_line, width, 3)
    if events_line:
        source_lines += "<br>" + _wrap(events_line, width, 6)
    bottom = 60 + 18 * (source_lines.count("<br>") + 1) * (1.4 if presenter else 1)
    fig.add_annotation(
        text=source_lines,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-45,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": s.small, "color": theme.MUTED_COLOUR},
    )
    muted = theme.MUTED_COLOUR
    title_text = _wrap(title, 60, 2)
    # The title's lines at full size and the unit line at 0.7 of it (a rendered line is about
    # 1.3-1.4 font sizes), plus room for the event labels: a bigger font gets a bigger top.
    title_lines = title_text.count("<br>") + 1 + 0.7
    event_space = (max(event_rows) + 1) * _event_line(s) + 6 if events else 0
    top = 1.4 * s.title * title_lines + 24 + event_space
    height = s.height + int(top) - 90
    fig.update_layout(
        title={
            "text": f"{title_text}<br><span style='font-size:0.7em;color:{muted}'>"
            f"{esc(tr('chart.unit'))}: {esc(unit_label or '—')}</span>",
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            # Anchored by its bottom just above the event labels: a title of any number of
            # lines grows upwards into the top margin, never down over the data.
            # Plotly places a multi-line title's top about one title font size above the
            # anchor it is given (measured in Chromium), so the anchor is set that much lower.
            "y": 1 - (6 + s.title) / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": s.title},
        },
        height=height,
        margin={"l": 70, "r": 20, "t": int(top), "b": int(bottom)},
        legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": s.small + 1}},
    )
    return fig


def _event_line(s: theme.Sizes) -> int:
    """Height of one row of event labels above the plot."""
    return int(1.3 * s.small + 4)


def _text_px(text: str, size: float) -> float:
    """About how wide `text` is drawn: CJK characters are a full em, others about 0.6 em."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return size * (wide + 0.6 * (len(text) - wide)) + 8


def label_rows(
    labels: Sequence[tuple[date, str]], year_from: int, year_to: int, size: float, plot_px: float
) -> list[int]:
    """The row above the plot for each event label (0 = just above it): a label goes up a
    row only when it would run into the label before it in the row below, so events months
    apart (E1 2022, E2 2022-08) both stay readable and distant ones share the first row."""
    start = date(year_from, 1, 1)
    px_per_day = plot_px / ((date(year_to, 12, 31) - start).days + 1)
    row_ends: list[float] = []  # where the last label of each row ends, in px
    out = [0] * len(labels)
    for index in sorted(range(len(labels)), key=lambda k: labels[k][0]):
        when, text = labels[index]
        left = (when - start).days * px_per_day
        row = next((r for r, end in enumerate(row_ends) if left > end), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = left + _text_px(text, size)
        out[index] = row
    return out


def side_by_side(x: pd.Series, gap: pd.Timedelta) -> pd.Series:
    """Points of one indicator at one date (documents that disagree on the same day, such as
    近8亿元 and 超8亿元) drawn `gap` apart around that date, so neither hides the other;
    each point's hover and the table still give its true period."""
    if not x.duplicated().any():
        return x
    same = x.groupby(x, sort=False)
    shift = same.cumcount().to_numpy() - (same.transform("size").to_numpy() - 1) / 2
    return x + pd.to_timedelta(shift * gap.value, unit="ns")


def _add_events(
    fig: go.Figure, events: Sequence[EventMark], rows: Sequence[int], s: theme.Sizes
) -> None:
    """Dashed vertical lines, each labelled in the margin above the plot (never over data),
    in the row `label_rows` gave it."""
    for event, row in zip(events, rows, strict=True):
        when = event.when.isoformat()
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=when,
            x1=when,
            y0=0,
            y1=1,
            line={"color": theme.EVENT_COLOUR, "width": 1.2, "dash": "dash"},
            layer="below",
        )
        fig.add_annotation(
            x=when,
            xref="x",
            yref="paper",
            y=1.0,
            yanchor="bottom",
            yshift=row * _event_line(s),
            xanchor="left",
            text=_wrap(event.label, 12, 1),
            hovertext="<br>".join(_wrap(part, 60, 2) for part in event.detail.split("\n")),
            showarrow=False,
            font={"size": s.small, "color": theme.EVENT_COLOUR},
            bgcolor="rgba(255,255,255,0.85)",
        )


def sparkline(rows: pd.DataFrame, presenter: bool = False) -> go.Figure:
    """A card's small trend line; shapes still say exact / bound / derived.

    Built in one step from a plain layout: the overview builds twelve of these at once.
    """
    layout = theme.base_layout(presenter)
    layout["xaxis"] = {**layout["xaxis"], "visible": False, "type": "date"}
    layout["yaxis"] = {**layout["yaxis"], "visible": False, "rangemode": "tozero"}
    layout.update(
        height=90 if presenter else 70,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        showlegend=False,
    )
    data = []
    if not rows.empty:
        data.append(
            go.Scatter(
                x=rows["x"],
                y=rows["y"],
                mode="lines+markers",
                line={"color": theme.colour(0), "width": 2},
                marker={
                    "symbol": [
                        theme.symbol(q, bool(d))
                        for q, d in zip(rows["qualifier"], rows["derived"], strict=True)
                    ],
                    "size": 7,
                    "color": theme.colour(0),
                },
                hoverinfo="skip",
            )
        )
    return go.Figure(data=data, layout=layout)
