"""The look of every chart, set once: colours, a CJK-capable font stack, presenter sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# WenQuanYi / Noto CJK cover Chinese; without one of them Chinese renders as empty boxes.
FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#5f6b7a"
GRID_COLOUR = "#e3e7ec"
EVENT_COLOUR = "#8a5a00"
BACKGROUND = "#ffffff"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies. Lines and markers
# of the first MAX_SERIES colours are at least 3:1 on the white background (WCAG 1.4.11).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# The same hues darkened until text in them is at least 4.5:1 on white (WCAG 1.4.3): a
# series' value labels and name keep its colour and stay readable (tests/test_theme.py).
TEXT_PALETTE = ("#0072B2", "#BE5400", "#008460", "#BB4D8A", "#9C6C00", "#177AB2", "#000000")

# Marker shape says what kind of number a point is (legend and hover say it in words).
QUALIFIER_SYMBOLS = {
    "exact": "circle",
    "more_than": "triangle-up",
    "nearly": "triangle-down",
    "about": "diamond",
}
KEY_COLOUR = "#6b7280"

# Slides: the charts' face for every run, Latin and East Asian alike (slides.py says why).
SLIDE_FONT = "WenQuanYi Micro Hei"
QUOTE_FILL = "#f1f4f7"

# Slide-fit PNG from the camera button: 16:9 at 1600x900, doubled for sharp projection.
IMAGE_WIDTH = 1600
IMAGE_HEIGHT = 900
IMAGE_SCALE = 2


@dataclass(frozen=True)
class Sizes:
    font: int
    title: int
    small: int
    line: float
    marker: int
    height: int


NORMAL = Sizes(font=14, title=19, small=11, line=2.5, marker=10, height=560)
PRESENTER = Sizes(font=20, title=28, small=15, line=4.5, marker=17, height=680)


def sizes(presenter: bool) -> Sizes:
    return PRESENTER if presenter else NORMAL


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def text_colour(colour: str) -> str:
    """The shade of a palette colour that text is written in (any other colour unchanged)."""
    shades = {line.lower(): text for line, text in zip(PALETTE, TEXT_PALETTE, strict=True)}
    return shades.get(colour.lower(), colour)


def symbol(qualifier: str, derived: bool = False) -> str:
    """Filled shapes for stated figures, the open variant for derived ones."""
    base = QUALIFIER_SYMBOLS.get(qualifier, "circle")
    return f"{base}-open" if derived else base


def base_layout(presenter: bool) -> dict[str, Any]:
    """Fonts, colours, grid and background for one figure, as a layout to build it with.

    It names Plotly's empty "none" template: the default "plotly" template is about 6 KB
    that Plotly validates whenever a figure is built and that is sent with every chart
    (measured: a sparkline took 10.6 ms to build and 7.5 KB of JSON with it, 1.1 ms and
    1 KB without). Everything it gave us that we want is set here explicitly.
    """
    s = sizes(presenter)
    axis = {
        "gridcolor": GRID_COLOUR,
        "linecolor": MUTED_COLOUR,
        "ticks": "",
        "automargin": True,
        "title": {"standoff": 15},
    }
    return {
        "template": "none",
        "font": {"family": FONT_FAMILY, "size": s.font, "color": TEXT_COLOUR},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": s.font}, "align": "left"},
        "hovermode": "closest",
        "colorway": list(PALETTE),
        "xaxis": {**axis, "zeroline": False},
        "yaxis": {**axis, "zerolinecolor": MUTED_COLOUR, "zerolinewidth": 2},
    }


def plotly_config(filename: str) -> dict[str, Any]:
    """st.plotly_chart config: the camera button saves a slide-sized PNG."""
    return {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": IMAGE_WIDTH,
            "height": IMAGE_HEIGHT,
            "scale": IMAGE_SCALE,
        },
    }


SPARK_CONFIG: dict[str, Any] = {"staticPlot": True, "displayModeBar": False, "responsive": True}
