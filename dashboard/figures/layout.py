"""Text laid out for the narrowest screen a chart is drawn on: widths in pixels, wrapping
by width (CJK and Latin alike), and rows for labels that must not run into each other.

A chart is drawn once for every screen it may meet (the server never knows the viewer's
width), so every word inside it is wrapped for the narrowest of them: a phone (390 px wide,
a 358 px chart) or a topic page's small multiple (363 px at 1280x720). Nothing is cut:
long notes take more lines, never an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

# The narrowest chart (px) a figure is laid out for: a phone's column (390 px less
# Streamlit's padding) or a topic page's small multiple. Presenter mode is for 1280x720
# and larger screens: its full-width charts are laid out for 1000 px.
NARROW_PX = 340
PRESENTER_PX = 1000
# Room kept free at each edge of the figure, and for what the estimate may miss.
EDGE_PX = 8
SLACK_PX = 16
# The plot's own margins (px): y tick labels on the left, a little air on the right.
MARGIN_LEFT = 56
MARGIN_RIGHT = 20

# One breakable unit: a CJK character or a run of other characters, with any opening
# bracket before it (which must not end a line), any closing punctuation after it (which
# must not start one: "〔2025〕36号" never breaks before "〕") and the spaces after it.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_OPEN = "〔「『《（【“‘"
_CLOSE = "〕」』》）】”’，。、；：！？,.;:!?)"
_UNIT = re.compile(rf"[{_OPEN}]*(?:[{_CJK}]|[^\s{_CJK}]+)[{_CLOSE}]*\s*|\s+")


def char_em(ch: str) -> float:
    """About how wide one character is drawn, in ems (measured in Chromium with
    WenQuanYi Micro Hei: CJK a full em, capitals and digits about 0.6, the rest 0.5)."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch.isupper() or ch.isdigit():
        return 0.62
    if ch == " ":
        return 0.3
    return 0.52


def text_px(text: str, size: float) -> float:
    """About how wide `text` is drawn at font `size` (a slight overestimate)."""
    return size * sum(char_em(ch) for ch in text)


def wrap_px(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines no wider than `width` px at font `size`: between words,
    between CJK characters, inside a word only when it is longer than a line."""
    lines: list[str] = []
    line = ""
    for unit in _UNIT.findall(str(text)):
        if text_px((line + unit).rstrip(), size) <= width or not line.strip():
            if text_px(unit.rstrip(), size) > width and not line.strip():
                # A word longer than a line: cut it where it fills the line.
                for ch in unit:
                    if line and text_px(line + ch, size) > width:
                        lines.append(line.rstrip())
                        line = ""
                    line += ch
                continue
            line += unit
            continue
        lines.append(line.rstrip())
        line = unit.lstrip()
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def figure_px(presenter: bool, compact: bool) -> int:
    """The width (px) a chart's words are laid out for."""
    return PRESENTER_PX if presenter and not compact else NARROW_PX


def text_width(figure: int) -> float:
    """How wide a line of the chart's own words may be in a figure `figure` px wide."""
    return figure - 2 * EDGE_PX - SLACK_PX


def plot_px(figure: int) -> float:
    """The plot area's width in a figure `figure` px wide."""
    return figure - MARGIN_LEFT - MARGIN_RIGHT


def label_rows(
    labels: Sequence[tuple[date, float]], first: date, last: date, plot_width: float
) -> list[tuple[int, str]]:
    """Where each label (its date, its width in px) goes above the plot: (row, anchor).
    A label starts at its date and runs right ("left" anchor), or ends there ("right")
    when it would run off the figure; it goes up a row only when it would run into a label
    already in a lower row, so events months apart both stay readable and distant ones
    share the first row (row 0, just above the plot)."""
    px_per_day = plot_width / ((last - first).days + 1)
    rows: list[list[tuple[float, float]]] = []  # the spans (px) taken in each row
    out = [(0, "left")] * len(labels)
    for index in sorted(range(len(labels)), key=lambda k: labels[k][0]):
        when, width = labels[index]
        at = (when - first).days * px_per_day
        anchor = "left" if at + width <= plot_width + MARGIN_RIGHT - EDGE_PX else "right"
        a, b = (at, at + width) if anchor == "left" else (at - width, at)
        row = next(
            (r for r, taken in enumerate(rows) if all(b + 4 < x or a > y + 4 for x, y in taken)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((a, b))
        out[index] = (row, anchor)
    return out
