"""Plotly figures drawn from a grammar Plan; returns go.Figure and never touches Streamlit.

Everything a chart claims is decided in figures.grammar; this module only draws it: lines
where the plan joins figures, spans across their periods, a break mark where a series
changes scope, a value label on every figure (readable without hovering, in the PNG too),
and the title, unit, notes, sources and newest date inside the figure.
"""

from __future__ import annotations

import html
import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.grammar import Dispute, Mark, Plan, Series, shift_same_dates
from dashboard.figures.i18n import Translator

# The narrowest plot area a chart is laid out for (px): spacing that must stay visible
# (points side by side, labels) is computed for it and only grows on wider screens.
ASSUMED_PLOT_PX = 500
ASSUMED_PLOT_HEIGHT_PX = 300
_DASH = {"solid": "solid", "bound": "dash", "derived": "dot"}


@dataclass(frozen=True)
class EventMark:
    """An event: a line on its day, or a band over the month or year it is dated to."""

    start: date
    end: date
    label: str
    detail: str

    @property
    def when(self) -> date:
        return self.start + (self.end - self.start) / 2

    @property
    def is_day(self) -> bool:
        return self.start == self.end


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


def _text_px(text: str, size: float) -> float:
    """About how wide `text` is drawn: CJK characters are a full em, others about 0.6 em."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return size * (wide + 0.6 * (len(text) - wide)) + 8


def label_rows(
    labels: Sequence[tuple[date, str]], year_from: int, year_to: int, size: float, plot_px: float
) -> list[int]:
    """The row above the plot for each event label (0 = just above it): a label goes up a
    row only when it would run into the label before it in the row below, so events months
    apart both stay readable and distant ones share the first row."""
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


# --------------------------------------------------------------------------------------------
# Axis ticks.


def nice_ticks(high: float, low: float = 0.0, integer: bool = False, most: int = 6) -> list[float]:
    """Round tick values from `low` to at least `high` (1, 2, 2.5 or 5 times a power of
    ten), whole numbers only on count axes."""
    span = max(high - low, 1e-9)
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def tick_text(value: float, lang: str, wan: bool) -> str:
    """A tick label in the unit's own style: 万 for large counts in Chinese, commas in English."""
    if lang == "zh" and wan and abs(value) >= 10000:
        return f"{value / 10000:g}万"
    if float(value).is_integer():
        return f"{int(value):,}" if lang == "en" else str(int(value))
    return f"{value:,g}" if lang == "en" else f"{value:g}"


# --------------------------------------------------------------------------------------------
# The chart.


@dataclass(frozen=True)
class ChartText:
    """The words a chart carries inside itself (so the PNG says what the page says)."""

    title: str
    subtitle: str
    footer: Sequence[str]  # notes, source line, newest date, events line


def _label_positions(marks: Sequence[Mark], plan: Plan, s: theme.Sizes) -> dict[int, str]:
    """Above each mark, unless another label there would run into it: then below."""
    if not marks:
        return {}
    lo, hi = date(plan.years[0], 1, 1), date(plan.years[1], 12, 31)
    px_day = ASSUMED_PLOT_PX / max((hi - lo).days, 1)
    ys = [m.y for m in marks]
    y_span = (max(ys) - min(0.0, min(ys))) or 1.0
    px_y = ASSUMED_PLOT_HEIGHT_PX / (y_span * 1.25)
    out: dict[int, str] = {}
    placed: list[tuple[float, float, float, str]] = []  # x px, y px, width px, position
    for mark in sorted(marks, key=lambda m: (-m.y, m.x)):
        x_px = (mark.x - lo).days * px_day
        y_px = mark.y * px_y
        width = _text_px(mark.text, s.small)
        position = "top center"
        for ox, oy, ow, opos in placed:
            near_x = abs(ox - x_px) < (ow + width) / 2
            near_y = abs(oy - y_px) < s.small * 2.6
            if near_x and near_y and opos == position:
                position = "bottom center"
        out[id(mark)] = position
        placed.append((x_px, y_px, width, position))
    return out


def _mark_label(mark: Mark) -> str:
    """The label drawn at a mark: its value, and under it its period or as-of date."""
    if mark.detail:
        return f"{esc(mark.text)}<br><span style='font-size:0.85em'>{esc(mark.detail)}</span>"
    return esc(mark.text)


def _hover(mark: Mark, name: str, cite: str, tr: Translator, plan: Plan) -> str:
    parts = [
        f"<b>{_wrap(name, 40)}</b>",
        esc(mark.text),
        f"{tr('chart.period')}: {esc(mark.period_words)}",
        tr("qualifier." + mark.qualifier) + (f" · {tr('chart.derived')}" if mark.derived else ""),
        esc(cite),
    ]
    parts += [_wrap(d.note, 50, 6) for d in plan.disputes_of(mark)]
    return "<br>".join(parts)


def _add_series(
    fig: go.Figure,
    series: Series,
    plan: Plan,
    tr: Translator,
    s: theme.Sizes,
    positions: dict[int, str],
    shifted: dict[int, date],
    cites: dict[str, str],
) -> None:
    colour, group = series.colour, series.indicator.id
    name = _wrap(series.label, 28)
    for style in ("solid", "bound", "derived"):
        xs: list[date | None] = []
        ys: list[float | None] = []
        for join in series.joins:
            if join.style == style:
                xs += [shifted.get(id(join.a), join.a.x), shifted.get(id(join.b), join.b.x), None]
                ys += [join.a.y, join.b.y, None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": colour, "width": s.line, "dash": _DASH[style]},
                    legendgroup=group,
                    showlegend=False,
                    hoverinfo="skip",
                    name=name,
                    meta={"role": "join", "style": style, "indicator": group},
                )
            )
    if series.zero is not None:
        zero = series.zero
        fig.add_trace(
            go.Scatter(
                x=[zero.x, shifted.get(id(zero.to), zero.to.x)],
                y=[0, zero.to.y],
                mode="lines+markers",
                line={"color": colour, "width": max(1.0, s.line * 0.5), "dash": "dot"},
                marker={"symbol": ["circle-open", "circle"], "size": [s.marker * 0.7, 0]},
                opacity=0.55,
                legendgroup=group,
                showlegend=False,
                hoverinfo="skip",
                name=name,
                meta={"role": "zero", "indicator": group},
            )
        )
    for mark in series.marks:
        if mark.x0 != mark.x1:
            # A span (growth over years, a part of a year) drawn across its period.
            fig.add_trace(
                go.Scatter(
                    x=[mark.x0, mark.x1],
                    y=[mark.y, mark.y],
                    mode="lines+markers",
                    line={
                        "color": colour,
                        "width": s.line * (1.6 if mark.shape == "span" else 0.8),
                    },
                    marker={
                        "symbol": "line-ns",
                        "size": s.marker,
                        "line": {"color": colour, "width": 2},
                    },
                    legendgroup=group,
                    showlegend=False,
                    hoverinfo="skip",
                    name=name,
                    meta={"role": "span", "indicator": group},
                )
            )
    points = list(series.marks)
    fig.add_trace(
        go.Scatter(
            x=[shifted.get(id(m), m.x) for m in points],
            y=[m.y for m in points],
            mode="markers+text",
            name=name,
            legendgroup=group,
            showlegend=len(plan.series) > 1,
            marker={
                "symbol": [
                    theme.symbol(m.qualifier, derived=m.derived)
                    if m.shape == "point"
                    else "line-ns"
                    for m in points
                ],
                "size": s.marker,
                "color": colour,
                "line": {"color": colour, "width": 2},
            },
            text=[_mark_label(m) for m in points],
            textposition=[positions.get(id(m), "top center") for m in points],
            textfont={"size": s.small + 1, "color": colour},
            hovertext=[
                _hover(m, series.label, cites.get(m.source.id, ""), tr, plan) for m in points
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
            meta={"role": "marks", "indicator": group},
        )
    )
    # Marks drawn on the data (a break, a series' name at its end) are text traces, not
    # annotations: annotations are the chart's notes and labels, kept clear of the plot.
    if series.breaks:
        fig.add_trace(
            go.Scatter(
                x=[b.x for b in series.breaks],
                y=[b.y for b in series.breaks],
                mode="text",
                # ASCII: the CJK fonts have no ⫽, and a PNG must not show a box.
                text=["<b>//</b>"] * len(series.breaks),
                textfont={"size": s.title, "color": colour},
                hovertext=[_wrap(b.reason, 50, 4) for b in series.breaks],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                legendgroup=group,
                meta={"role": "break", "indicator": group},
            )
        )
    if len(plan.series) > 1 and series.marks:
        last = series.marks[-1]
        fig.add_trace(
            go.Scatter(
                x=[shifted.get(id(last), last.x)],
                y=[last.y],
                mode="text",
                text=[_wrap(series.label, 14, 2)],
                textposition="bottom right",
                textfont={"size": s.small, "color": colour},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
                cliponaxis=False,
                meta={"role": "end-label", "indicator": group},
            )
        )


def _dispute_target(
    dispute: Dispute, plan: Plan, shifted: dict[int, date], ys: tuple[float, float]
) -> tuple[Mark, date, bool]:
    """Where a disagreement's words point: (the mark, the x, below it?). Below the pair's
    lower figure, where its labels leave room; above the upper one when the lower sits
    near the axis (words there would run into the ticks). Same-date figures, drawn a
    little apart, are pointed at between them (their date)."""
    low, high = ys

    def height(m: Mark) -> float:
        share = (m.y - low) / ((high - low) or 1.0)
        return 1 - share if plan.reversed_axis else share

    # On a tie the newer document's figure (listed last) is the one pointed at.
    marks = sorted(reversed(dispute.marks), key=height)
    lower, upper = marks[0], marks[-1]
    below = height(lower) >= 0.3
    target = lower if below else upper
    if lower.x == upper.x:  # same-date figures are drawn a little apart: their date
        return target, target.x, below
    return target, shifted.get(id(target), target.x), below


def _add_disputes(
    fig: go.Figure,
    plan: Plan,
    s: theme.Sizes,
    positions: dict[int, str],
    shifted: dict[int, date],
) -> None:
    """Each contradiction's few words on the plot, pointing at its figures (their full
    note is in the chart's notes): a reader sees the disagreement where the figures are."""
    if not plan.disputes:
        return
    values = [m.y for m in plan.marks]
    ys = (min(min(values), 0.0), max(values))
    lo, hi = date(plan.years[0], 1, 1), date(plan.years[1], 12, 31)
    span_days = max((hi - lo).days, 1)
    grouped: dict[tuple[int, date, bool], list[Dispute]] = {}
    targets: dict[tuple[int, date, bool], Mark] = {}
    for dispute in plan.disputes:
        mark, x, below = _dispute_target(dispute, plan, shifted, ys)
        key = (id(mark), x, below)
        grouped.setdefault(key, []).append(dispute)
        targets[key] = mark
    label_px = 2.6 * (s.small + 1) * 1.25  # a value label's two lines
    for key, disputes in grouped.items():
        mark = targets[key]
        _, x, below = key
        # A label of the figures pointed at on the side the words go: clear it.
        side = "bottom" if below else "top"
        labelled_there = any(
            positions.get(id(m), "top center").startswith(side)
            for d in disputes
            for m in d.marks
            if abs(m.y - mark.y) <= abs(ys[1] - ys[0]) * 0.1
        )
        offset = s.marker / 2 + (label_px if labelled_there else 0) + 16
        where = (x - lo).days / span_days
        anchor = "right" if where > 0.6 else "left" if where < 0.4 else "center"
        words = list(dict.fromkeys(d.label for d in disputes))
        # Two short lines rather than one long one: the box must fit beside the figures.
        width = 9 if any(ord(ch) > 0x2E80 for ch in "".join(words)) else 17
        fig.add_annotation(
            x=x.isoformat(),
            y=mark.y,
            xref="x",
            yref="y",
            ax=0,
            ay=offset if below else -offset,
            axref="pixel",
            ayref="pixel",
            text="<br>".join(f"<b>{_wrap(w, width, 2)}</b>" for w in words),
            hovertext="<br>".join(_wrap(d.note, 50, 6) for d in disputes),
            showarrow=True,
            arrowhead=0,
            arrowwidth=1.2,
            arrowcolor=theme.MUTED_COLOUR,
            xanchor=anchor,
            yanchor="top" if below else "bottom",
            align="left" if anchor == "left" else "right" if anchor == "right" else "center",
            font={"size": s.small + 1, "color": theme.TEXT_COLOUR},
            bgcolor="rgba(255,255,255,0.92)",
            bordercolor=next(
                (ser.colour for ser in plan.series if ser.indicator.id == mark.indicator),
                theme.MUTED_COLOUR,
            ),
            borderwidth=1,
            borderpad=3,
            name="dispute",
        )


def _key_traces(plan: Plan, tr: Translator, s: theme.Sizes) -> list[go.Scatter]:
    """Legend entries that explain the marker shapes and lines actually used."""
    marks = plan.marks
    traces = []
    used = {m.qualifier for m in marks if not m.derived and m.shape == "point"}
    for qualifier in theme.QUALIFIER_SYMBOLS:
        if qualifier in used:
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
    if any(m.derived for m in marks):
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


def _add_events(
    fig: go.Figure, events: Sequence[EventMark], rows: Sequence[int], s: theme.Sizes
) -> None:
    """A line on an event's day, a band over its month or year; each labelled in the margin
    above the plot (never over a value label), in the row `label_rows` gave it."""
    for event, row in zip(events, rows, strict=True):
        if event.is_day:
            when = event.start.isoformat()
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
                name="event",
            )
        else:
            fig.add_shape(
                type="rect",
                xref="x",
                yref="paper",
                x0=event.start.isoformat(),
                x1=(event.end + timedelta(days=1)).isoformat(),
                y0=0,
                y1=1,
                fillcolor=theme.EVENT_COLOUR,
                opacity=0.08,
                line={"width": 0},
                layer="below",
                name="event",
            )
        fig.add_annotation(
            x=event.start.isoformat(),
            xref="x",
            yref="paper",
            y=1.0,
            yanchor="bottom",
            yshift=row * _event_line(s),
            xanchor="left",
            text=_wrap(event.label, 16, 1),
            hovertext="<br>".join(_wrap(part, 60, 2) for part in event.detail.split("\n")),
            showarrow=False,
            font={"size": s.small, "color": theme.EVENT_COLOUR},
            bgcolor="rgba(255,255,255,0.85)",
            name="event-label",
        )


def _event_line(s: theme.Sizes) -> int:
    """Height of one row of event labels above the plot."""
    return int(1.3 * s.small + 4)


def _y_axis(fig: go.Figure, plan: Plan, tr: Translator, s: theme.Sizes) -> None:
    ys = [m.y for m in plan.marks] or [1.0]
    high = max(max(ys), 0.0)
    low = min(min(ys), 0.0)
    if plan.reversed_axis:
        ticks = nice_ticks(max(high, 1.0), 1.0, integer=True)
        fig.update_yaxes(range=[max(ticks) + 0.5, 0.5], tickvals=ticks)
    else:
        ticks = nice_ticks(high * 1.05, low, integer=plan.integer_axis)
        top = max(ticks) * 1.12 if ticks else 1.0
        fig.update_yaxes(range=[min(ticks[0], 0.0), top], tickvals=ticks)
    wan = plan.integer_axis and tr.lang == "zh"
    fig.update_yaxes(
        ticktext=[tick_text(t, tr.lang, wan) for t in ticks],
        title={"text": esc(plan.unit_label), "standoff": s.small},
        automargin=True,
    )


def plan_figure(
    plan: Plan,
    *,
    text: ChartText,
    cites: dict[str, str],
    events: Sequence[EventMark] = (),
    tr: Translator,
    presenter: bool = False,
    height: int | None = None,
    compact: bool = False,
    fill: bool = False,
) -> go.Figure:
    """The chart of a plan, with its own words inside (title, unit, notes, sources).

    `height` sets the plot's own height; by default it is the mode's standard chart
    height. A `compact` chart (a topic page's small multiple) has no key beside it, so
    its plot keeps the column's width. A `fill` chart takes the height of the box it is
    drawn in (presenter mode sizes that box to the screen). With no words at all (no
    title, subtitle or footer: a slide sets them as its own text) the plot has the whole
    figure and its size is the exporter's."""
    s = theme.sizes(presenter)
    fig = go.Figure(layout=theme.base_layout(presenter))
    year_from, year_to = plan.years
    span_days = (date(year_to, 12, 31) - date(year_from, 1, 1)).days + 1
    gap_days = span_days * s.marker / ASSUMED_PLOT_PX
    marks = plan.marks
    shifted = {}
    for series in plan.series:
        shifted.update(shift_same_dates(series.marks, gap_days))
    positions = _label_positions(marks, plan, s)
    for series in plan.series:
        _add_series(fig, series, plan, tr, s, positions, shifted, cites)
    _add_disputes(fig, plan, s, positions, shifted)
    if marks and not compact:
        for trace in _key_traces(plan, tr, s):
            fig.add_trace(trace)
    elif not marks:
        fig.add_annotation(
            text=esc(tr("chart.no_data")),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": s.title, "color": theme.MUTED_COLOUR},
        )
    rows = label_rows(
        [(e.start, e.label) for e in events], year_from, year_to, s.small, ASSUMED_PLOT_PX
    )
    _add_events(fig, events, rows, s)
    # A third of a year either side, so a label on the first or last figure has room.
    pad = timedelta(days=120)
    step = max(1, math.ceil((year_to - year_from + 1) / (5 if compact else 12)))
    fig.update_xaxes(
        type="date",
        range=[date(year_from, 1, 1) - pad, date(year_to, 12, 31) + pad],
        dtick=f"M{12 * step}",
        tickangle=0,
        tickformat="%Y",
        ticklabelmode="period",
        showgrid=True,
    )
    _y_axis(fig, plan, tr, s)
    width = 150 if tr.lang == "en" else 80
    footer = "<br>".join(_wrap(line, width, 3) for line in text.footer if line)
    footer_lines = footer.count("<br>") + 1 if footer else 0
    bottom = 60 + 18 * footer_lines * (1.4 if presenter else 1)
    if footer:
        fig.add_annotation(
            text=footer,
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
            name="footer",
        )
    event_space = (max(rows) + 1) * _event_line(s) + 6 if events else 0
    if not (text.title or text.subtitle or footer):
        # Words outside (a slide sets them as its own text): the plot takes the whole image.
        fig.update_layout(
            margin={"l": 70, "r": 20, "t": int(event_space + s.small * 1.5), "b": 50},
            legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": s.small + 1}},
            showlegend=not compact,
        )
        return fig
    muted = theme.MUTED_COLOUR
    title_text = _wrap(text.title, 60, 2)
    # The title's lines at full size and the subtitle at 0.7 of it (a rendered line is about
    # 1.3-1.4 font sizes), plus room for the event labels: a bigger font gets a bigger top.
    title_lines = title_text.count("<br>") + 1 + 0.7
    top = 1.4 * s.title * title_lines + 24 + event_space
    plot_height = height if height is not None else s.height
    total_height = plot_height + int(top) - 90 + int(18 * max(0, footer_lines - 2))
    fig.update_layout(
        title={
            "text": f"{title_text}<br><span style='font-size:0.7em;color:{muted}'>"
            f"{esc(text.subtitle)}</span>",
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            # Hung from the top of the figure, whatever its height (a presenter's chart
            # fills the screen): Plotly places a multi-line title's top about one title
            # font size above its anchor (measured in Chromium), hence the padding.
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 6 + s.title},
            "font": {"size": s.title},
        },
        height=None if fill else total_height,
        autosize=True,
        margin={"l": 70, "r": 20, "t": int(top), "b": int(bottom)},
        legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": s.small + 1}},
        showlegend=not compact,
    )
    return fig


def sparkline(plan: Plan, presenter: bool = False) -> go.Figure:
    """A card's small chart: the plan's own joins, spans and breaks, no axes.

    Built in one step from a plain layout: the overview builds a dozen of these at once.
    """
    layout = theme.base_layout(presenter)
    layout["xaxis"] = {**layout["xaxis"], "visible": False, "type": "date"}
    layout["yaxis"] = {**layout["yaxis"], "visible": False, "rangemode": "tozero"}
    if plan.reversed_axis:
        layout["yaxis"]["autorange"] = "reversed"
    layout.update(
        height=90 if presenter else 70,
        margin={"l": 8, "r": 8, "t": 6, "b": 6},
        showlegend=False,
    )
    data = []
    colour = theme.colour(0)
    for series in plan.series[:1]:
        xs: list[date | None] = []
        ys: list[float | None] = []
        for join in series.joins:
            xs += [join.a.x, join.b.x, None]
            ys += [join.a.y, join.b.y, None]
        if xs:
            data.append(
                go.Scatter(
                    x=xs, y=ys, mode="lines", line={"color": colour, "width": 2}, hoverinfo="skip"
                )
            )
        for mark in series.marks:
            if mark.x0 != mark.x1:
                data.append(
                    go.Scatter(
                        x=[mark.x0, mark.x1],
                        y=[mark.y, mark.y],
                        mode="lines",
                        line={"color": colour, "width": 3},
                        hoverinfo="skip",
                    )
                )
        data.append(
            go.Scatter(
                x=[m.x for m in series.marks],
                y=[m.y for m in series.marks],
                mode="markers",
                marker={
                    "symbol": [theme.symbol(m.qualifier, m.derived) for m in series.marks],
                    "size": 7,
                    "color": colour,
                },
                hoverinfo="skip",
            )
        )
    return go.Figure(data=data, layout=layout)


def timeline_figure(
    events: Sequence[EventMark], years: tuple[int, int], presenter: bool = False
) -> go.Figure:
    """A topic's events on one time line: a dot on a day, a bar over a month or a year,
    each with its short label; labels move to a new row only when they would collide."""
    s = theme.sizes(presenter)
    layout = theme.base_layout(presenter)
    rows = label_rows([(e.start, e.label) for e in events], years[0], years[1], s.small, 700)
    depth = max(rows, default=0) + 1
    data = []
    for event, row in zip(events, rows, strict=True):
        y = -row
        if event.is_day:
            data.append(
                go.Scatter(
                    x=[event.start],
                    y=[y],
                    mode="markers+text",
                    marker={"size": s.marker, "color": theme.EVENT_COLOUR},
                    text=[esc(event.label)],
                    textposition="middle right",
                    hovertext=["<br>".join(_wrap(p, 60, 2) for p in event.detail.split("\n"))],
                    hovertemplate="%{hovertext}<extra></extra>",
                    cliponaxis=False,
                )
            )
        else:
            data.append(
                go.Scatter(
                    x=[event.start, event.end + timedelta(days=1)],
                    y=[y, y],
                    mode="lines+text",
                    line={"color": theme.EVENT_COLOUR, "width": s.marker},
                    text=["", esc(event.label)],
                    textposition="middle right",
                    hovertext=["<br>".join(_wrap(p, 60, 2) for p in event.detail.split("\n"))] * 2,
                    hovertemplate="%{hovertext}<extra></extra>",
                    cliponaxis=False,
                )
            )
    layout["xaxis"] = {
        **layout["xaxis"],
        "type": "date",
        "range": [f"{years[0]}-01-01", f"{years[1]}-12-31"],
        "dtick": "M12",
        "tickformat": "%Y",
        "ticklabelmode": "period",
    }
    layout["yaxis"] = {**layout["yaxis"], "visible": False, "range": [-depth + 0.4, 0.6]}
    layout.update(
        height=70 + 26 * depth * (1.4 if presenter else 1),
        margin={"l": 20, "r": 20, "t": 10, "b": 30},
        showlegend=False,
    )
    return go.Figure(data=data, layout=layout)
