"""Renders Plotly figures to PNG in one batch with kaleido and Debian's Chromium."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

# Debian's package. kaleido could also find a Chrome it downloaded itself and prefer it:
# naming the path keeps it on the system's browser, and no code here ever downloads one.
CHROMIUM = "/usr/bin/chromium"
ENV_BROWSER = "BROWSER_PATH"
ATTEMPTS = 2


class ImageError(RuntimeError):
    """The figures could not be rendered (no browser, or the browser failed)."""


@dataclass(frozen=True)
class ImageSize:
    """An exported image: layout pixels (what fonts are sized against) times `scale`."""

    width: int
    height: int
    scale: float = 2.0


def browser_path() -> str:
    """The browser kaleido drives: $BROWSER_PATH when set, else Debian's Chromium."""
    return os.environ.get(ENV_BROWSER) or CHROMIUM


def render_pngs(figures: Sequence[go.Figure], sizes: Sequence[ImageSize]) -> list[bytes]:
    """Every figure as PNG bytes, in order, from one browser started once for the batch
    (a browser per image costs seconds each)."""
    if len(figures) != len(sizes):
        raise ValueError("one size per figure")
    if not figures:
        return []
    browser = browser_path()
    if not Path(browser).is_file():
        raise ImageError(f"no browser at {browser} to draw the charts (run `make browser-deps`)")
    os.environ[ENV_BROWSER] = browser  # explicit, for anything kaleido starts on its own
    import kaleido  # half a second to import: only when a deck is drawn

    with tempfile.TemporaryDirectory(prefix="slides-") as folder:
        paths = [Path(folder) / f"{k:03d}.png" for k in range(len(figures))]
        specs = [
            {
                "fig": fig.to_dict(),
                "path": path,
                "opts": {
                    "format": "png",
                    "width": size.width,
                    "height": size.height,
                    "scale": size.scale,
                },
            }
            for fig, path, size in zip(figures, paths, sizes, strict=True)
        ]
        failure: Exception | None = None
        # A second try with a fresh browser: on a loaded machine Chromium can miss its
        # start-up deadline once; a browser that is missing or broken fails both times.
        for _attempt in range(ATTEMPTS):
            try:
                # MathJax off: it would be fetched from a CDN, and no label uses TeX.
                kaleido.write_fig_from_object_sync(
                    specs, kopts={"path": browser, "mathjax": False}, cancel_on_error=True
                )
                failure = None
                break
            except Exception as exc:  # kaleido's errors have no common base class
                failure = exc
        if failure is not None:
            name = type(failure).__name__
            raise ImageError(f"the charts could not be drawn: {name}: {failure}") from failure
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            raise ImageError(f"the browser drew no image for {len(missing)} of {len(paths)} charts")
        return [p.read_bytes() for p in paths]
