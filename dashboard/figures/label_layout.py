"""A chart laid out for one exact image size (a slide's picture): fixed margins, value labels
large enough on the slide, and each value label placed where no line, marker or other label
runs through it, by the geometry Plotly will draw.

`charts.plan_figure` draws for a screen whose size it cannot know, so it places labels by
an assumed plot size. An exported image has a known size: every position is computable, so
the labels can be placed exactly. Margins are fixed here (no automargin) so that the plot
area is known too; the y axis gets room above its highest figure for that figure's label.

The work is done on the figure's plain dict (`Figure.to_dict()`): reading and setting a
Plotly object's properties validates each one, which cost ~0.1 s a chart here.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import plotly.graph_objects as go

from dashboard.figures import images, theme

# Plotly's own constants for text beside a marker (plotly.js src/components/drawing):
# the gap is the marker's radius / 0.8 + 1, and a text's lines are 1.3 font sizes apart.
LINE_SPACING = 1.3
# A value label's second line (its period or as-of date) is 0.85 of its size
# (charts._mark_label), and must still reach the smallest size a slide allows.
DETAIL_EM = 0.85
PAD_PX = 3.0  # kept clear around every label
# Where a label may go, in order of preference: above, below, right, left, then corners.
POSITIONS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
LABEL_ROLES = frozenset({"marks"})
LINE_ROLES = frozenset({"join", "zero", "span", "since"})


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.right <= other.right
            and self.top >= other.top
            and self.bottom <= other.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)


Segment = tuple[tuple[float, float], tuple[float, float]]


def text_px(text: str, size: float) -> float:
    """How wide `text` is drawn at `size` px, generously: a CJK character is a full em,
    a digit or Latin letter 0.62 em (WenQuanYi Micro Hei's are 0.5–0.6)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return size * (wide + 0.62 * (len(text) - wide))


_TAG = re.compile(r"<[^>]+>")


def _lines(text: str) -> list[str]:
    return [html.unescape(_TAG.sub("", part)) for part in str(text).split("<br>")]


def _when(value: Any) -> float:
    """A date axis value (date, datetime or ISO text) as days."""
    if isinstance(value, datetime):
        return (
            value.toordinal()
            + (value - datetime(value.year, value.month, value.day)).total_seconds() / 86400
        )
    if isinstance(value, date):
        return float(value.toordinal())
    text = str(value)
    return _when(datetime.fromisoformat(text.replace(" ", "T")))


Spec = dict[str, Any]


def _spec(fig: go.Figure | Spec) -> Spec:
    return fig if isinstance(fig, dict) else fig.to_dict()


def _get(node: Any, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(node, dict) or node.get(key) is None:
            return default
        node = node[key]
    return node


@dataclass(frozen=True)
class Geometry:
    """Where the plot area lies in the image and how data maps onto it."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    @property
    def plot(self) -> Box:
        return Box(self.left, self.top, self.width - self.right, self.height - self.bottom)

    def x(self, value: Any) -> float:
        lo, hi = self.x_range
        return self.left + (_when(value) - lo) / (hi - lo) * (self.width - self.left - self.right)

    def y(self, value: float) -> float:
        bottom, top = self.y_range
        plot_h = self.height - self.top - self.bottom
        return self.top + (top - value) / (top - bottom) * plot_h


def geometry(fig: go.Figure | Spec) -> Geometry:
    """The plot area of a figure laid out by `slide_figure` (fixed margins, fixed ranges)."""
    layout = _spec(fig)["layout"]
    margin = layout["margin"]
    x0, x1 = layout["xaxis"]["range"]
    y0, y1 = layout["yaxis"]["range"]
    return Geometry(
        width=float(layout["width"]),
        height=float(layout["height"]),
        left=float(margin["l"]),
        right=float(margin["r"]),
        top=float(margin["t"]),
        bottom=float(margin["b"]),
        x_range=(_when(x0), _when(x1)),
        y_range=(float(y0), float(y1)),
    )


def _points(trace: Spec) -> list[tuple[Any, Any]]:
    return list(zip(trace.get("x") or [], trace.get("y") or [], strict=False))


def _role(trace: Spec) -> str:
    return str(_get(trace, "meta", "role", default=""))


def line_segments(fig: go.Figure | Spec, geo: Geometry | None = None) -> list[Segment]:
    """Every line drawn on the plot, in image pixels: joins between figures, a zero start,
    spans across a period, an event's day line, and a disagreement's arrow."""
    spec = _spec(fig)
    geo = geo or geometry(spec)
    out: list[Segment] = []
    for trace in spec["data"]:
        if _role(trace) not in LINE_ROLES:
            continue
        for (xa, ya), (xb, yb) in itertools.pairwise(_points(trace)):
            if None in (xa, ya, xb, yb):
                continue
            out.append(((geo.x(xa), geo.y(ya)), (geo.x(xb), geo.y(yb))))
    plot = geo.plot
    for shape in _get(spec, "layout", "shapes", default=[]):
        if (
            shape.get("type") == "line"
            and shape.get("xref") == "x"
            and shape.get("yref") == "paper"
        ):
            x = geo.x(shape["x0"])
            out.append(((x, plot.top), (x, plot.bottom)))
    for note in _pointers(spec):
        out.append(_pointer_line(note, geo))
    return out


def _annotations(spec: Spec) -> list[Spec]:
    return list(_get(spec, "layout", "annotations", default=[]))


def _pointers(spec: Spec) -> list[Spec]:
    """Words on the plot that point at figures with an arrow (a disagreement's)."""
    return [
        a
        for a in _annotations(spec)
        if a.get("showarrow") and a.get("xref") == "x" and a.get("yref") == "y"
        and a.get("axref") == "pixel"
    ]  # fmt: skip


def _pointer_line(note: Spec, geo: Geometry) -> Segment:
    x, y = geo.x(note["x"]), geo.y(float(note["y"]))
    return ((x, y), (x + float(note.get("ax") or 0), y + float(note.get("ay") or 0)))


def _pointer_box(note: Spec, geo: Geometry) -> Box:
    """The words at the arrow's tail, boxed (bold text, its border and padding)."""
    (_, _), (x, y) = _pointer_line(note, geo)
    size = float(_get(note, "font", "size", default=12))
    pad = float(note.get("borderpad") or 0) + 2
    lines = _lines(str(note.get("text", "")))
    w = max(text_px(line, size) * 1.08 for line in lines) + 2 * pad
    h = len(lines) * size * LINE_SPACING + 2 * pad
    left = {"left": x, "right": x - w}.get(str(note.get("xanchor")), x - w / 2)
    top = {"top": y, "bottom": y - h}.get(str(note.get("yanchor")), y - h / 2)
    return Box(left, top, left + w, top + h)


def _marker_radius(trace: Spec) -> float:
    size = _get(trace, "marker", "size")
    if isinstance(size, (int, float)):
        return float(size) / 2
    if size:
        return max(float(s) for s in size) / 2
    return 0.0


def text_box(
    x: float, y: float, text: str, size: float, position: str, marker_radius: float
) -> Box:
    """Where Plotly draws `text` for a point at (x, y) px with `position` (plotly.js
    Drawing.textPointPosition): beside the marker by its radius / 0.8 + 1, lines 1.3 sizes
    apart; the second line of a value label is 0.85 of the size."""
    lines = _lines(text)
    widths = [text_px(line, size * (1 if k == 0 else DETAIL_EM)) for k, line in enumerate(lines)]
    w = max(widths, default=0.0)
    h = ((len(lines) - 1) * LINE_SPACING + 1) * size + 0.25 * size  # and the last descent
    gap = marker_radius / 0.8 + 1 if marker_radius else 0.0
    if "top" in position:
        top = y - gap - h
    elif "bottom" in position:
        top = y + gap
    else:
        top = y - h / 2
    if "left" in position:
        left = x - gap - w
    elif "right" in position:
        left = x + gap
    else:
        left = x - w / 2
    return Box(left, top, left + w, top + h)


@dataclass(frozen=True)
class Label:
    """One value label as drawn: its trace and point, its box, and its mark's box."""

    trace: int
    point: int
    text: str
    box: Box
    marker: Box


def _font_size(trace: Spec, spec: Spec) -> float:
    return float(_get(trace, "textfont", "size") or _get(spec, "layout", "font", "size") or 12)


def _positions(trace: Spec, n: int) -> list[str]:
    pos = trace.get("textposition")
    if isinstance(pos, str) or pos is None:
        return [pos or "middle center"] * n
    return list(pos)


def value_labels(fig: go.Figure | Spec, geo: Geometry | None = None) -> list[Label]:
    """Every value label of the figure where Plotly will draw it."""
    spec = _spec(fig)
    geo = geo or geometry(spec)
    out = []
    for k, trace in enumerate(spec["data"]):
        if _role(trace) not in LABEL_ROLES:
            continue
        size = _font_size(trace, spec)
        radius = _marker_radius(trace)
        texts = list(trace.get("text") or [])
        positions = _positions(trace, len(texts))
        for j, ((xv, yv), text) in enumerate(zip(_points(trace), texts, strict=False)):
            x, y = geo.x(xv), geo.y(yv)
            box = text_box(x, y, text, size, positions[j], radius)
            marker = Box(x - radius, y - radius, x + radius, y + radius)
            out.append(Label(k, j, str(text), box, marker))
    return out


def obstacles(fig: go.Figure | Spec, geo: Geometry) -> list[Box]:
    """Text drawn on the data that is not a value label: break marks, series end labels,
    a disagreement's words."""
    spec = _spec(fig)
    out = [_pointer_box(note, geo) for note in _pointers(spec)]
    for trace in spec["data"]:
        if _role(trace) in ("break", "end-label"):
            size = _font_size(trace, spec)
            texts = list(trace.get("text") or [])
            positions = _positions(trace, len(texts))
            for j, ((xv, yv), text) in enumerate(zip(_points(trace), texts, strict=False)):
                out.append(text_box(geo.x(xv), geo.y(yv), text, size, positions[j], 0.0))
    return out


def legend_box(fig: go.Figure | Spec, geo: Geometry) -> Box | None:
    """Where the key lies (as `slide_figure` puts it: in rows under the x axis's labels)."""
    spec = _spec(fig)
    if not _shows_legend(spec):
        return None
    font = _legend_font(spec)
    plot = geo.plot
    widths = _legend_items(spec, font)
    rows = _rows(widths, plot.right - plot.left)
    top = plot.bottom + _tick_height(spec)
    right = plot.left + min(sum(widths), plot.right - plot.left)
    return Box(plot.left, top, right, top + rows * font * LEGEND_ROW_EM + 8)


def segment_hits(segment: Segment, box: Box) -> bool:
    """Whether a line segment passes through a box (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, x0 - box.left),
        (dx, box.right - x0),
        (-dy, y0 - box.top),
        (dy, box.bottom - y0),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _cost(
    box: Box,
    segments: Iterable[Segment],
    taken: Iterable[Box],
    markers: Iterable[Box],
    area: Box,
    image: Box,
) -> float:
    """How bad a place is: a line through the label worst, then another label or a marker
    under it, then leaving the plot (into a margin); leaving the image is never taken."""
    padded = box.grown(PAD_PX)
    cost = 100.0 * sum(segment_hits(s, padded) for s in segments)
    cost += 50.0 * sum(padded.overlaps(b) for b in taken)
    cost += 50.0 * sum(padded.overlaps(m) for m in markers)
    if not box.inside(area):
        cost += 10.0
    if not box.inside(image):
        cost += 10_000.0
    return cost


# Rounds of re-placing each label against all the others (a label placed first may have
# taken the one place its neighbour had).
ROUNDS = 6


def _fixed(spec: Spec, geo: Geometry) -> list[Box]:
    boxes = obstacles(spec, geo)
    key = legend_box(spec, geo)
    return [*boxes, key] if key is not None else boxes


def place_labels(spec: Spec) -> dict[tuple[int, int], str]:
    """Each value label at the first of POSITIONS where it meets no line, marker or label
    (the least bad one if none is free): placed in order of height, then each label moved
    to its best place given all the others until none moves. Returns (trace, point) ->
    position; `_set_positions` writes them."""
    geo = geometry(spec)
    segments = line_segments(spec, geo)
    labels = value_labels(spec, geo)
    fixed = _fixed(spec, geo)
    area, image = geo.plot, Box(0, 0, geo.width, geo.height)
    order = sorted(range(len(labels)), key=lambda k: (labels[k].marker.top, labels[k].marker.left))

    def box_at(k: int, position: str) -> Box:
        label = labels[k]
        trace = spec["data"][label.trace]
        x = (label.marker.left + label.marker.right) / 2
        y = (label.marker.top + label.marker.bottom) / 2
        return text_box(x, y, label.text, _font_size(trace, spec), position, _marker_radius(trace))

    chosen: dict[int, str] = {}

    def best_for(k: int) -> str:
        others = [box_at(j, p) for j, p in chosen.items() if j != k]
        markers = [lb.marker for j, lb in enumerate(labels) if j != k]
        best, best_cost = POSITIONS[0], math.inf
        for position in POSITIONS:
            cost = _cost(box_at(k, position), segments, [*fixed, *others], markers, area, image)
            if cost < best_cost:
                best, best_cost = position, cost
            if cost == 0:
                break
        return best

    for k in order:
        chosen[k] = best_for(k)
    for _round in range(ROUNDS):
        moved = False
        for k in order:
            position = best_for(k)
            if position != chosen[k]:
                chosen[k], moved = position, True
        if not moved:
            break
    return {(labels[k].trace, labels[k].point): p for k, p in chosen.items()}


def _set_positions(spec: Spec, positions: dict[tuple[int, int], str]) -> None:
    for k, trace in enumerate(spec["data"]):
        if _role(trace) in LABEL_ROLES:
            texts = list(trace.get("text") or [])
            current = _positions(trace, len(texts))
            trace["textposition"] = [positions.get((k, j), current[j]) for j in range(len(texts))]


def label_conflicts(fig: go.Figure | Spec) -> int:
    """How many value labels a line runs through, overlap another label, a marker or other
    words, or leave the plot."""
    spec = _spec(fig)
    geo = geometry(spec)
    segments = line_segments(spec, geo)
    labels = value_labels(spec, geo)
    fixed = _fixed(spec, geo)
    image = Box(0, 0, geo.width, geo.height)
    bad = 0
    for k, label in enumerate(labels):
        others = [lb.box for j, lb in enumerate(labels) if j != k] + fixed
        markers = [lb.marker for j, lb in enumerate(labels) if j != k]
        if _cost(label.box, segments, others, markers, geo.plot, image) > 0:
            bad += 1
    return bad


# --------------------------------------------------------------------------------------------
# The figure at the slide's size.


def label_px(size: images.ImageSize, width_in: float, label_pt: float) -> int:
    """The font size (layout px) at which a value label's smaller second line is still
    `label_pt` points when the image is shown `width_in` inches wide."""
    pt_per_px = width_in * 72 / size.width
    return math.ceil(label_pt / DETAIL_EM / pt_per_px)


# A key's row is about this many font sizes high; an entry's marker and gaps take 40 px.
LEGEND_ROW_EM = 1.7
LEGEND_ENTRY_PX = 40.0


def _legend_font(spec: Spec) -> float:
    return float(
        _get(spec, "layout", "legend", "font", "size") or _get(spec, "layout", "font", "size") or 12
    )


def _legend_items(spec: Spec, font: float) -> list[float]:
    """The width of each entry of the key (and of its title), in order."""
    widths: list[float] = []
    title = _get(spec, "layout", "legend", "title", "text")
    if title:
        widths.append(text_px(title, font) + 12)
    for trace in spec["data"]:
        if trace.get("showlegend") is False or trace.get("name") is None:
            continue
        group = _get(trace, "legendgrouptitle", "text")
        if group:
            widths.append(text_px(group, font) + 12)
        widths.append(text_px(" ".join(_lines(trace["name"])), font) + LEGEND_ENTRY_PX)
    return widths


def _rows(widths: Sequence[float], room: float) -> int:
    """How many rows a horizontal key of these entries takes in `room` px."""
    rows, used = 1, 0.0
    for width in widths:
        if used and used + width > room:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def _tick_height(spec: Spec) -> float:
    """The x axis's year labels under the plot."""
    return float(_get(spec, "layout", "font", "size", default=12)) * 1.4 + 12


def _shows_legend(spec: Spec) -> bool:
    if _get(spec, "layout", "showlegend") is False:
        return False
    return any(t.get("showlegend") is not False and t.get("name") is not None for t in spec["data"])


def slide_figure(
    figure: go.Figure, size: images.ImageSize, width_in: float, label_pt: float
) -> go.Figure:
    """A copy of `figure` for an image of `size` shown `width_in` inches wide: value labels,
    legend, event labels and series names at least `label_pt` points on the slide, margins
    fixed to what the tick labels, axis title and legend need, the key in rows under the
    plot, the years as fixed ticks, room above the highest figure and at the ends for
    their labels, and every value label placed clear of lines (place_labels)."""
    spec = figure.to_dict()
    layout = spec["layout"]
    layout.update(width=size.width, height=size.height)
    text_size = label_px(size, width_in, label_pt)
    small = math.ceil(label_pt / (width_in * 72 / size.width))  # a one-line text at label_pt
    base = float(_get(layout, "font", "size", default=12))
    for trace in spec["data"]:
        role = _role(trace)
        if role in LABEL_ROLES or role == "end-label":
            font = trace.setdefault("textfont", {})
            wanted = text_size if role in LABEL_ROLES else small
            font["size"] = max(float(font.get("size") or 0), wanted)
    for annotation in _annotations(spec):
        if annotation.get("name") == "event-label":
            font = annotation.setdefault("font", {})
            old_size = float(font.get("size") or small)
            font["size"] = max(old_size, small)
            # Its row's lift grows with its type, so rows stay apart.
            annotation["yshift"] = float(annotation.get("yshift") or 0) * font["size"] / old_size
    legend = layout.setdefault("legend", {})
    legend_font = max(float(_get(legend, "font", "size", default=0)), small)
    # The key goes under the plot, in rows: beside it, it would take a fifth of the width
    # that labels at the last figures need. One title, at its left: a group title would
    # take a row of its own; in trace order, as grouped a horizontal key stacks each group.
    key_title = ""
    for trace in spec["data"]:
        if trace.get("name") and "<br>" in trace["name"]:
            trace["name"] = " ".join(_lines(trace["name"]))
        title = _get(trace, "legendgrouptitle", "text")
        if title:
            key_title = key_title or title
            del trace["legendgrouptitle"]
    legend.update(
        title={"text": key_title, "side": "left", "font": {"size": legend_font}},
        font={**legend.get("font", {}), "size": legend_font},
        traceorder="normal",
    )
    # Fixed margins, so the plot area (and every label's place) is known before rendering.
    yaxis = layout.setdefault("yaxis", {})
    ticks = [str(t) for t in (yaxis.get("ticktext") or [])]
    tick_w = max((text_px(t, base) for t in ticks), default=base * 2)
    title = _get(yaxis, "title", "text")
    standoff = float(_get(yaxis, "title", "standoff", default=10))
    left = tick_w + 10 + ((standoff + base * 1.3) if title else 0) + 6
    right = 24.0
    events = [a for a in _annotations(spec) if a.get("name") == "event-label"]
    top = small * 1.5 + 6
    for a in events:
        lines = len(str(a.get("text", "")).split("<br>"))
        font_px = float(_get(a, "font", "size", default=small))
        top = max(top, float(a.get("yshift") or 0) + lines * font_px * LINE_SPACING + 14)
    bottom = _tick_height(spec) + 4
    if _shows_legend(spec):
        key_rows = _rows(_legend_items(spec, legend_font), size.width - left - right)
        bottom += key_rows * legend_font * LEGEND_ROW_EM + 8
    margin = {"l": math.ceil(left), "r": math.ceil(right), "t": math.ceil(top)}
    margin["b"] = math.ceil(bottom)
    layout["margin"] = {**margin, "autoexpand": False}
    plot_h = size.height - margin["t"] - margin["b"]
    legend.update(
        orientation="h",
        x=0,
        xanchor="left",
        y=-_tick_height(spec) / max(plot_h, 1),
        yanchor="top",
    )
    layout.setdefault("xaxis", {})["automargin"] = False
    yaxis["automargin"] = False
    _year_ticks(spec)
    _headroom(spec, text_size)
    _side_room(spec)
    placed = place_labels(spec)
    _set_positions(spec, placed)
    if label_conflicts(spec):
        # No place is free for some label: give the ends of the time axis a label's width
        # more and try again (two documents' figures side by side on the last date need it).
        before = (label_conflicts(spec), layout["xaxis"]["range"], placed)
        _side_room(spec, "middle right")
        _set_positions(spec, place_labels(spec))
        if label_conflicts(spec) >= before[0]:
            layout["xaxis"]["range"] = before[1]
            _set_positions(spec, before[2])
    # Built from the dict without validating every property again (it came from a Figure).
    return go.Figure(spec, _validate=False)


# charts.plan_figure pads the years shown by this many days either side.
YEAR_PAD_DAYS = 120


def _year_ticks(spec: Spec) -> None:
    """The chart's years as fixed ticks (a label in the middle of each year, a grid line at
    each new year), so room added at the ends never shows a year the chart does not."""
    xaxis = spec["layout"]["xaxis"]
    x0, x1 = xaxis["range"]
    first = date.fromordinal(round(_when(x0)) + YEAR_PAD_DAYS).year
    last = date.fromordinal(round(_when(x1)) - YEAR_PAD_DAYS).year
    step = max(1, math.ceil((last - first + 1) / 12))
    years = list(range(first, last + 1, step))
    xaxis.pop("dtick", None)
    xaxis.update(
        tickvals=[date(y, 7, 2).isoformat() for y in years],
        ticktext=[str(y) for y in years],
        ticklabelmode="instant",
        showgrid=False,
        minor={
            "tickvals": [date(y, 1, 1).isoformat() for y in range(first, last + 2)],
            "showgrid": True,
            "gridcolor": theme.GRID_COLOUR,
            "ticks": "",
        },
    )


def _side_room(spec: Spec, position: str = "top center") -> None:
    """Widen the x range so the first and last figures' labels fit inside the plot above
    them (a third of a year either side is too little for "as of 25 Jun 2025"), or beside
    them for `position` "middle right" (on the left, "middle left")."""
    for _round in range(3):
        geo = geometry(spec)
        labels = value_labels(spec, geo)
        if not labels:
            return
        plot = geo.plot
        days_per_px = (geo.x_range[1] - geo.x_range[0]) / (plot.right - plot.left)
        need_left = need_right = 0.0
        for label in labels:
            trace = spec["data"][label.trace]
            x = (label.marker.left + label.marker.right) / 2
            y = (label.marker.top + label.marker.bottom) / 2
            size, radius = _font_size(trace, spec), _marker_radius(trace)
            right = text_box(x, y, label.text, size, position, radius)
            left = text_box(x, y, label.text, size, position.replace("right", "left"), radius)
            need_left = max(need_left, plot.left + PAD_PX - left.left)
            need_right = max(need_right, right.right + PAD_PX - plot.right)
        if need_left <= 0 and need_right <= 0:
            return
        low = geo.x_range[0] - max(need_left, 0.0) * days_per_px * 1.1
        high = geo.x_range[1] + max(need_right, 0.0) * days_per_px * 1.1
        spec["layout"]["xaxis"]["range"] = [_day(low), _day(high)]


def _day(days: float) -> str:
    return date.fromordinal(round(days)).isoformat()


def _headroom(spec: Spec, text_size: float) -> None:
    """Widen the y range so the highest figure's label fits above it inside the plot."""
    geo = geometry(spec)
    labels = value_labels(spec, geo)
    if not labels:
        return
    highest = min(labels, key=lambda lb: lb.marker.top)
    radius = (highest.marker.bottom - highest.marker.top) / 2
    lines = len(_lines(highest.text))
    need = radius / 0.8 + 1 + ((lines - 1) * LINE_SPACING + 1.25) * text_size + PAD_PX + radius
    centre = (highest.marker.top + highest.marker.bottom) / 2
    if centre - geo.top >= need:
        return
    bottom, top = geo.y_range
    plot_h = geo.height - geo.top - geo.bottom
    # The value at the mark, and the top that puts the mark `need` px below the plot's top.
    value = bottom + (top - bottom) * (geo.height - geo.bottom - centre) / plot_h
    frac = (plot_h - need) / plot_h
    if frac <= 0.2:
        return
    spec["layout"]["yaxis"]["range"] = [bottom, bottom + (value - bottom) / frac]
