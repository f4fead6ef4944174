"""The charts' colours meet WCAG 2.1 AA contrast on their background: axe-core cannot read
text inside Plotly's SVG, so the theme is checked here, colour by colour."""

from __future__ import annotations

import pytest

from dashboard.figures import theme
from dashboard.figures.grammar import MAX_SERIES


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1, 1.4.3)."""
    digits = hex_colour.lstrip("#")
    channels = [int(digits[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    # The measurement of Streamlit's caption on the sidebar.
    assert contrast("#767c81", "#f8f8f7") == pytest.approx(3.97, abs=0.01)


TEXT = {
    "text": theme.TEXT_COLOUR,
    "muted (notes, sources, titles' second line)": theme.MUTED_COLOUR,
    "events": theme.EVENT_COLOUR,
    "key": theme.KEY_COLOUR,
    **{f"labels of series {k + 1}": theme.text_colour(c) for k, c in enumerate(theme.PALETTE)},
}


@pytest.mark.parametrize("name", list(TEXT))
def test_chart_text_is_at_least_4_5_to_1(name: str) -> None:
    assert contrast(TEXT[name], theme.BACKGROUND) >= 4.5, (name, TEXT[name])


@pytest.mark.parametrize("index", range(MAX_SERIES))
def test_a_series_line_is_at_least_3_to_1(index: int) -> None:
    """Lines and markers are graphical objects (WCAG 1.4.11): 3:1 for every series a
    chart can hold."""
    assert contrast(theme.colour(index), theme.BACKGROUND) >= 3, theme.colour(index)


def test_text_keeps_its_series_hue() -> None:
    """A label's shade is its series' colour darkened, never another palette colour."""
    shades = [theme.text_colour(c) for c in theme.PALETTE]
    assert len(set(shades)) == len(theme.PALETTE)
    assert theme.text_colour("#123456") == "#123456"
