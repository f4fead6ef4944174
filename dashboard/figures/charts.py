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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go

from dashboard.figures import layout, theme
from dashboard.figures.grammar import Dispute, Mark, Plan, Series, shift_same_dates
from dashboard.figures.i18n import Translator

# Words, labels and spacing are laid out for the narrowest chart (figures.layout): a
# phone's or a small multiple's, so nothing is cut there and wider screens only add room.
ASSUMED_PLOT_PX = layout.plot_px(layout.NARROW_PX)
_DASH = {"solid": "solid", "bound": "dash", "derived": "dot"}
# The key's marks as text (the legend is a line under the plot, so a phone keeps the
# plot's width and every PNG carries it): the marker shapes of theme.QUALIFIER_SYMBOLS.
KEY_GLYPHS = {"exact": "●", "more_than": "▲", "nearly": "▼", "about": "◆", "derived": "○"}


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


def _lines(text: str, width: float, size: float) -> list[str]:
    """`text` wrapped to `width` px at font `size`, each line escaped for Plotly."""
    return [esc(line) for line in layout.wrap_px(text, width, size)]


def label_rows(
    labels: Sequence[tuple[date, str]], year_from: int, year_to: int, size: float, plot_px: float
) -> list[int]:
    """The row above the plot for each one-line label (0 = just above it); see
    layout.label_rows, which also says which way each label runs."""
    sized = [(when, layout.text_px(text, size) + 8) for when, text in labels]
    first, last = x_range((year_from, year_to))
    return [row for row, _anchor in layout.label_rows(sized, first, last, plot_px)]


# A third of a year before the first year, so a label on the first figure has room; the
# axis ends with the last year, so no tick names a year after the figures (instant ticks
# mark each year's start).
PAD_BEFORE = timedelta(days=120)


def x_range(years: tuple[int, int]) -> tuple[date, date]:
    """The time axis's first and last day."""
    return date(years[0], 1, 1) - PAD_BEFORE, date(years[1], 12, 31)


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


@dataclass(frozen=True)
class LabelBox:
    """Where a value label sits, in the px of the narrowest plot (y up from the axis)."""

    left: float
    right: float
    bottom: float
    top: float

    def hits(self, x: float, y: float, half_w: float, half_h: float) -> bool:
        return (
            x + half_w > self.left
            and x - half_w < self.right
            and y + half_h > self.bottom
            and y - half_h < self.top
        )


def _label_size(mark: Mark, s: theme.Sizes) -> tuple[float, float]:
    """A value label's width and height (px): the value, and its period under it."""
    size = s.small + 1
    width = max(layout.text_px(mark.text, size), layout.text_px(mark.detail, size * 0.85))
    height = size * 1.3 * (2 if mark.detail else 1)
    return width + 6, height


def _y_range(plan: Plan) -> tuple[float, float]:
    """The value axis's range (bottom, top in data units, before any reversal)."""
    ys = [m.y for m in plan.marks] or [1.0]
    high, low = max(max(ys), 0.0), min(min(ys), 0.0)
    if plan.reversed_axis:
        ticks = nice_ticks(max(high, 1.0), 1.0, integer=True)
        return 0.5, max(ticks) + 0.5
    ticks = nice_ticks(high * 1.05, low, integer=plan.integer_axis)
    # Room above the highest figure for its two-line label, whatever the ticks.
    return min(ticks[0], 0.0), max(max(ticks) * 1.04, high + (high - low) * 0.3)


@dataclass(frozen=True)
class PlotScale:
    """Data to px in the narrowest plot: x from its left edge, y up from its bottom."""

    first: date
    px_day: float
    px_value: float
    low: float  # the axis range in data units
    high: float
    reversed: bool

    def x(self, when: date) -> float:
        return (when - self.first).days * self.px_day

    def y(self, value: float) -> float:
        return ((self.high - value) if self.reversed else (value - self.low)) * self.px_value

    def value_at(self, fraction: float) -> float:
        """The value shown `fraction` of the way up the plot."""
        span = self.high - self.low
        return self.high - fraction * span if self.reversed else self.low + fraction * span


def _plot_scale(plan: Plan, plot_w: float, plot_h: float) -> PlotScale:
    lo, hi = x_range(plan.years)
    low, high = _y_range(plan)
    return PlotScale(
        lo,
        plot_w / max((hi - lo).days, 1),
        plot_h / ((high - low) or 1.0),
        low,
        high,
        plan.reversed_axis,
    )


Segment = tuple[tuple[float, float], tuple[float, float]]


def _crosses(segment: Segment, box: LabelBox) -> bool:
    """Whether a line runs through a label's box (checked at a few px steps)."""
    (x0, y0), (x1, y1) = segment
    steps = max(2, int(max(abs(x1 - x0), abs(y1 - y0)) / 3))
    for k in range(steps + 1):
        t = k / steps
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if box.left < x < box.right and box.bottom < y < box.top:
            return True
    return False


def _lines_drawn(
    plan: Plan, scale: PlotScale, shifted: dict[int, date] | None = None
) -> list[Segment]:
    """The joins and spans as drawn, in the narrowest plot's px."""
    shifted = shifted or {}

    def at(m: Mark) -> tuple[float, float]:
        return scale.x(shifted.get(id(m), m.x)), scale.y(m.y)

    segments = [(at(j.a), at(j.b)) for s in plan.series for j in s.joins]
    for m in plan.marks:
        if m.x0 != m.x1:
            y = scale.y(m.y)
            segments.append(((scale.x(m.x0), y), (scale.x(m.x1), y)))
    return segments


def _label_positions(
    marks: Sequence[Mark],
    plan: Plan,
    s: theme.Sizes,
    plot_w: float,
    plot_h: float,
    shifted: dict[int, date] | None = None,
) -> tuple[dict[int, str], list[LabelBox]]:
    """Each mark's label position and the box it takes, laid out for the narrowest plot:
    the first place, above the mark then below it, centred then to either side, where it
    runs into no other label and no line crosses it, and never off the figure's edge (a
    label on the last figure ends at it)."""
    if not marks:
        return {}, []
    scale = _plot_scale(plan, plot_w, plot_h)
    lines = _lines_drawn(plan, scale, shifted)
    out: dict[int, str] = {}
    boxes: list[LabelBox] = []
    right_edge = plot_w + layout.MARGIN_RIGHT - layout.EDGE_PX
    left_edge = -layout.MARGIN_LEFT + layout.EDGE_PX
    for mark in sorted(marks, key=lambda m: (-scale.y(m.y), m.x)):
        x_px, y_px = scale.x(shifted.get(id(mark), mark.x) if shifted else mark.x), scale.y(mark.y)
        width, height = _label_size(mark, s)
        gap = s.marker / 2
        sides = {
            " center": (x_px - width / 2, x_px + width / 2),
            " left": (x_px - width + gap, x_px + gap),
            " right": (x_px - gap, x_px + width - gap),
        }
        fitting = [(k, v) for k, v in sides.items() if v[0] >= left_edge and v[1] <= right_edge]
        candidates = [
            (vertical + side, LabelBox(a, b, low, low + height))
            for vertical, low in (("top", y_px + gap), ("bottom", y_px - gap - height))
            for side, (a, b) in (fitting or [(" center", sides[" center"])])
        ]

        def clear(box: LabelBox) -> bool:
            overlaps = any(
                o.left < box.right
                and box.left < o.right
                and o.bottom < box.top
                and box.bottom < o.top
                for o in boxes
            )
            return not overlaps and not any(_crosses(seg, box) for seg in lines)

        position, box = next(((p, b) for p, b in candidates if clear(b)), candidates[0])
        out[id(mark)] = position
        boxes.append(box)
    return out, boxes


def _break_heights(
    plan: Plan, boxes: Sequence[LabelBox], s: theme.Sizes, plot_w: float, plot_h: float
) -> dict[int, float]:
    """Where each break mark goes: between its two figures, at the first height (low on
    the plot, then between the figures, then high) where it covers no value label."""
    scale = _plot_scale(plan, plot_w, plot_h)
    out: dict[int, float] = {}
    half = s.title * 0.7
    for series in plan.series:
        for brk in series.breaks:
            x_px = scale.x(brk.x)
            candidates = [scale.value_at(0.07), brk.y, scale.value_at(0.9)]
            free = [
                y
                for y in candidates
                if not any(b.hits(x_px, scale.y(y), half, half) for b in boxes)
            ]
            out[id(brk)] = (free or candidates)[0]
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
        *([esc(tr("chart.as_stated", value=mark.original))] if mark.original else []),
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
    break_at: dict[int, float] | None = None,
) -> None:
    colour, group = series.colour, series.indicator.id
    break_at = break_at or {}
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
    for mark in series.marks:
        if mark.x0 != mark.x1:
            # A span (growth over years, a part of a year, a running total back to its
            # stated start) drawn across its period; it ends where its point is drawn.
            end = shifted.get(id(mark), mark.x1) if mark.since_start else mark.x1
            fig.add_trace(
                go.Scatter(
                    x=[mark.x0, end],
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
                    # A running total's span is lighter than its point: it says where the
                    # count starts, not a level held over the years.
                    opacity=0.45 if mark.since_start else 1.0,
                    legendgroup=group,
                    showlegend=False,
                    hoverinfo="skip",
                    name=name,
                    meta={
                        "role": "since" if mark.since_start else "span",
                        "indicator": group,
                    },
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
            textfont={"size": s.small + 1, "color": theme.text_colour(colour)},
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
                y=[break_at.get(id(b), b.y) for b in series.breaks],
                mode="text",
                # ASCII: the CJK fonts have no ⫽, and a PNG must not show a box.
                text=["<b>//</b>"] * len(series.breaks),
                textfont={"size": s.title, "color": theme.text_colour(colour)},
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
                textfont={"size": s.small, "color": theme.text_colour(colour)},
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
    """Legend entries that explain the marker shapes and lines actually used: a slide's
    image (words outside) keeps its key beside the plot, where its fixed size has room."""
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


def _key_lines(plan: Plan, tr: Translator) -> list[tuple[str, str]]:
    """The key as lines of (text, colour) under the plot: the marker shapes and the derived
    line actually used, then each indicator's name in its colour when there are several."""
    marks = plan.marks
    used = {m.qualifier for m in marks if not m.derived and m.shape == "point"}
    parts = [
        f"{KEY_GLYPHS[q]} {tr('qualifier_key.' + q)}" for q in theme.QUALIFIER_SYMBOLS if q in used
    ]
    if any(m.derived for m in marks):
        parts.append(f"{KEY_GLYPHS['derived']} {tr('qualifier_key.derived')}")
    lines = [(f"{tr('chart.key_title')}: " + "   ".join(parts), theme.KEY_COLOUR)] if parts else []
    if len(plan.series) > 1:
        lines += [(f"■ {series.label}", series.colour) for series in plan.series]
    return lines


@dataclass(frozen=True)
class EventLabel:
    """An event's label as laid out above the plot: its lines, row, side and lift."""

    lines: list[str]
    row: int
    anchor: str  # "left": it starts at the event's date; "right": it ends there
    lift: float  # px above the plot's top


# An event label's lines are at most this wide (px): long ones wrap, none is cut.
EVENT_LABEL_PX = 118


def _event_labels(
    events: Sequence[EventMark], years: tuple[int, int], s: theme.Sizes, plot_w: float
) -> tuple[list[EventLabel], float]:
    """Each event's short label wrapped and placed in rows above the plot (so it never
    covers a value label) for the narrowest plot; and the height (px) the rows take."""
    wrapped = [layout.wrap_px(e.label, EVENT_LABEL_PX, s.small) for e in events]
    widths = [max(layout.text_px(line, s.small) for line in lines) + 8 for lines in wrapped]
    first, last = x_range(years)
    placed = layout.label_rows(
        [(e.start, w) for e, w in zip(events, widths, strict=True)], first, last, plot_w
    )
    line_h = s.small * 1.3
    rows = max((row for row, _a in placed), default=-1) + 1
    heights = [
        max((len(w) for w, (r, _a) in zip(wrapped, placed, strict=True) if r == row), default=1)
        * line_h
        + 4
        for row in range(rows)
    ]
    labels = [
        EventLabel(lines, row, anchor, sum(heights[:row]))
        for lines, (row, anchor) in zip(wrapped, placed, strict=True)
    ]
    return labels, sum(heights)


def _add_events(
    fig: go.Figure, events: Sequence[EventMark], labels: Sequence[EventLabel], s: theme.Sizes
) -> None:
    """A line on an event's day, a band over its month or year; each labelled in the margin
    above the plot (never over a value label), where `_event_labels` placed it."""
    for event, label in zip(events, labels, strict=True):
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
            yshift=label.lift,
            xanchor=label.anchor,
            align=label.anchor,
            text="<br>".join(esc(line) for line in label.lines),
            hovertext="<br>".join(_wrap(part, 60, 2) for part in event.detail.split("\n")),
            showarrow=False,
            font={"size": s.small, "color": theme.EVENT_COLOUR},
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=0,
            name="event-label",
        )


def _y_axis(fig: go.Figure, plan: Plan, tr: Translator, s: theme.Sizes) -> None:
    """Round ticks from zero (ranks from 1 at the top); room above the highest figure for
    its label. The unit is in the subtitle, so the axis has no title of its own."""
    low, high = _y_range(plan)
    ys = [m.y for m in plan.marks] or [1.0]
    if plan.reversed_axis:
        ticks = nice_ticks(max(max(ys), 1.0), 1.0, integer=True)
        fig.update_yaxes(range=[high, low], tickvals=ticks)
    else:
        ticks = nice_ticks(max(max(ys), 0.0) * 1.05, min(min(ys), 0.0), integer=plan.integer_axis)
        fig.update_yaxes(range=[low, high], tickvals=ticks)
    wan = plan.integer_axis and tr.lang == "zh"
    fig.update_yaxes(ticktext=[tick_text(t, tr.lang, wan) for t in ticks], automargin=True)


# The plot area's height (px) when the caller does not set one.
PLOT_HEIGHT = {False: 340, True: 460}


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
    """The chart of a plan, with its own words inside (title, unit, key, notes, sources).

    Every word is laid out for the narrowest screen the chart may meet (figures.layout):
    the title, the key and the notes wrap within a phone's or a small multiple's width and
    are never cut; labels turn inward at the edges; year ticks are Plotly's own, so a
    narrow plot gets fewer. `height` sets the plot's own height (PLOT_HEIGHT by default).
    A `compact` chart (a topic page's small multiple) has no key. A `fill` chart takes the
    height of the box it is drawn in (presenter mode sizes that box to the screen). With
    no words at all (no title, subtitle or footer: a slide sets them as its own text) the
    plot and its key have the whole image, laid out for presenter widths."""
    s = theme.sizes(presenter)
    fig = go.Figure(layout=theme.base_layout(presenter))
    words_inside = bool(text.title or text.subtitle or text.footer)
    width = layout.figure_px(presenter or not words_inside, compact)
    plot_w = layout.plot_px(width)
    plot_h = float(height if height is not None else PLOT_HEIGHT[presenter])
    year_from, year_to = plan.years
    span_days = (date(year_to, 12, 31) - date(year_from, 1, 1)).days + 1
    gap_days = span_days * s.marker / plot_w
    marks = plan.marks
    shifted = {}
    for series in plan.series:
        shifted.update(shift_same_dates(series.marks, gap_days))
    positions, boxes = _label_positions(marks, plan, s, plot_w, plot_h, shifted)
    break_at = _break_heights(plan, boxes, s, plot_w, plot_h)
    for series in plan.series:
        _add_series(fig, series, plan, tr, s, positions, shifted, cites, break_at)
    _add_disputes(fig, plan, s, positions, shifted)
    if not marks:
        fig.add_annotation(
            text=esc(tr("chart.no_data")),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": s.title, "color": theme.MUTED_COLOUR},
        )
    labels, event_space = _event_labels(events, plan.years, s, plot_w)
    _add_events(fig, events, labels, s)
    # Year ticks are Plotly's own, spaced for the plot's width (about one per 80 px: at
    # most five on a phone); a span under two years gets months, never a repeated year.
    first, last = x_range(plan.years)
    fig.update_xaxes(
        type="date",
        range=[first, last],
        tickangle=0,
        tickformat="%Y",
        tickformatstops=[
            {"dtickrange": [None, "M11"], "value": "%Y-%m"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ],
        showgrid=True,
    )
    _y_axis(fig, plan, tr, s)
    # Under the plot: the key (not a legend beside it, which would take a phone's plot),
    # then the change, notes, sources, newest date and events, each wrapped to the width.
    key = _key_lines(plan, tr) if marks and not compact and words_inside else []
    line_px = layout.text_width(width)
    rows: list[str] = []
    for line, colour in key:
        for part in _lines(line, line_px, s.small):
            for glyph in (*KEY_GLYPHS.values(), "■"):  # the key's marks a little larger
                part = part.replace(glyph, f"<span style='font-size:1.3em'>{glyph}</span>")
            rows.append(f"<span style='color:{colour}'>{part}</span>")
    for line in text.footer:
        if line:
            rows += _lines(line, line_px, s.small)
    line_h = s.small * 1.42
    tick_h = s.font * 1.5
    bottom = tick_h + 16 + len(rows) * line_h + layout.EDGE_PX
    if rows:
        fig.add_annotation(
            text="<br>".join(rows),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            # From the figure's left edge, not the plot's: the notes have its whole width.
            xshift=-(layout.MARGIN_LEFT - layout.EDGE_PX),
            yshift=-(tick_h + 8),
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": s.small, "color": theme.MUTED_COLOUR},
            name="footer",
        )
    margin = {"l": layout.MARGIN_LEFT, "r": layout.MARGIN_RIGHT, "b": int(bottom)}
    if not words_inside:
        # Words outside (a slide sets them as its own text): the plot takes the image, its
        # key a legend beside it (label_layout.slide_figure sizes the image's margins).
        if marks and not compact:
            for trace in _key_traces(plan, tr, s):
                fig.add_trace(trace)
        fig.update_layout(
            margin={"l": 70, "r": 20, "t": int(event_space + s.small * 1.5), "b": 50},
            legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": s.small + 1}},
            showlegend=not compact,
        )
        return fig
    muted = theme.MUTED_COLOUR
    title_lines = _lines(text.title, line_px, s.title)
    sub_lines = _lines(text.subtitle, line_px, s.title * 0.7)
    subtitle = "<br>".join(sub_lines)
    # Plotly hangs a multi-line title about one title size above its anchor (measured in
    # Chromium), hence the padding; a line is drawn about 1.3 sizes high.
    pad_top = 6 + s.title
    top = pad_top + 1.3 * s.title * (len(title_lines) + 0.7 * len(sub_lines)) + 14 + event_space
    fig.update_layout(
        title={
            "text": "<br>".join(title_lines)
            + f"<br><span style='font-size:0.7em;color:{muted}'>{subtitle}</span>",
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            # Hung from the top of the figure, whatever its height (a presenter's chart
            # fills the screen).
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": pad_top, "l": layout.EDGE_PX},
            "font": {"size": s.title},
        },
        height=None if fill else int(top + plot_h + bottom),
        autosize=True,
        margin={**margin, "t": int(top)},
        showlegend=False,
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
            if mark.x0 != mark.x1 and not mark.since_start:
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
    each with its short label (wrapped, never cut), beside it or, near the end, before it;
    labels move to a new row only when they would collide on the narrowest screen."""
    s = theme.sizes(presenter)
    base = theme.base_layout(presenter)
    width = layout.figure_px(presenter, compact=False)
    plot_w = width - 40
    wrapped = [layout.wrap_px(e.label, EVENT_LABEL_PX, s.small) for e in events]
    widths = [max(layout.text_px(w, s.small) for w in lines) + s.marker + 8 for lines in wrapped]
    # At least four years shown, so a year-long band leaves room for its label beside it.
    short = max(0, 4 - (years[1] - years[0] + 1))
    years = (years[0] - short // 2, years[1] + short - short // 2)
    first, last = date(years[0], 1, 1), date(years[1], 12, 31)
    px_day = plot_w / ((last - first).days + 1)
    # A band's label sits beyond its end: the row needs the band's width too.
    spans = [w + (e.end - e.start).days * px_day for e, w in zip(events, widths, strict=True)]
    placed = layout.label_rows(
        [(e.start, w) for e, w in zip(events, spans, strict=True)], first, last, plot_w
    )
    depth = max((row for row, _a in placed), default=0) + 1
    data = []
    for event, lines, (row, anchor) in zip(events, wrapped, placed, strict=True):
        y = -row
        label = "<br>".join(esc(line) for line in lines)
        side = "middle right" if anchor == "left" else "middle left"
        hover = "<br>".join(_wrap(p, 60, 2) for p in event.detail.split("\n"))
        if event.is_day:
            data.append(
                go.Scatter(
                    x=[event.start],
                    y=[y],
                    mode="markers+text",
                    marker={"size": s.marker, "color": theme.EVENT_COLOUR},
                    text=[label],
                    textposition=side,
                    hovertext=[hover],
                    hovertemplate="%{hovertext}<extra></extra>",
                    cliponaxis=False,
                )
            )
        else:
            ends = [event.start, event.end + timedelta(days=1)]
            data.append(
                go.Scatter(
                    x=ends,
                    y=[y, y],
                    mode="lines+text",
                    line={"color": theme.EVENT_COLOUR, "width": s.marker},
                    text=["", label] if anchor == "left" else [label, ""],
                    textposition=side,
                    hovertext=[hover] * 2,
                    hovertemplate="%{hovertext}<extra></extra>",
                    cliponaxis=False,
                )
            )
    base["xaxis"] = {
        **base["xaxis"],
        "type": "date",
        "range": [first.isoformat(), last.isoformat()],
        # A few years: one tick a year (four or five even on a phone); more: Plotly's own.
        **({"dtick": "M12"} if years[1] - years[0] < 5 else {}),
        "tickformat": "%Y",
        "tickformatstops": [
            {"dtickrange": [None, "M11"], "value": "%Y-%m"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ],
    }
    row_px = max((len(lines) for lines in wrapped), default=1) * s.small * 1.3 + 12
    base["yaxis"] = {**base["yaxis"], "visible": False, "range": [-depth + 0.4, 0.6]}
    base.update(
        height=int(40 + row_px * depth),
        margin={"l": 20, "r": 20, "t": 10, "b": 30},
        showlegend=False,
    )
    return go.Figure(data=data, layout=base)
