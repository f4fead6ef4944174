"""Slide decks: a 10-slide deck of charts built end to end, against the 30 s target.

Runs in its own process (`python -m bench.slides`) and prints one JSON object. The deck is
the heaviest 10 slides the catalogue offers: ten views that are all charts (a card slide
draws no image), in the curated order, built by `slides.build_deck` exactly as the command
and the Trends page's button build theirs (one kaleido batch, then python-pptx). The floor
is one trivial figure through kaleido: starting Chromium and loading plotly.js, which every
deck pays once. The command line is timed on the topic most likely to
draw charts, as a user runs it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import median

ROOT = Path(__file__).resolve().parent.parent
SLIDES = 10
TARGET_S = 30.0


def _floor_s() -> float:
    """One 1-point figure through kaleido in a fresh browser (what any deck pays once)."""
    import plotly.graph_objects as go

    from dashboard.figures import images

    figure = go.Figure(go.Scatter(x=[1], y=[1]))
    start = time.perf_counter()
    images.render_pngs([figure], [images.ImageSize(400, 300, 1.0)])
    return time.perf_counter() - start


def _deck_run(catalogue: Any, lang: str) -> dict[str, Any]:
    from dashboard.catalogue import data_files
    from dashboard.figures import grammar, images, slides, topics
    from dashboard.figures.i18n import Translator

    tr = Translator(data_files.labels(), lang)
    words = grammar.Words(tr, data_files.units())
    start = time.perf_counter()
    views = []
    for ident in topics.ordered_indicators(catalogue, tr.topics()):
        deck = slides.view_deck(catalogue, [ident], words)
        if deck.charts:
            views.append(deck.pages[0])
        if len(views) == SLIDES:
            break
    plan = slides.DeckPlan(title="bench", pages=tuple(views))
    planned = time.perf_counter() - start
    spent: list[float] = []
    render: Callable[..., list[bytes]] = images.render_pngs

    def timed_render(*args: Any) -> list[bytes]:
        t0 = time.perf_counter()
        out = render(*args)
        spent.append(time.perf_counter() - t0)
        return out

    images.render_pngs = timed_render  # type: ignore[assignment]
    try:
        data = slides.build_deck(catalogue, plan, words)
    finally:
        images.render_pngs = render  # type: ignore[assignment]
    total = time.perf_counter() - start
    return {
        "slides": len(plan.pages),
        "charts": len(plan.charts),
        "total_s": total,
        "plan_s": planned,
        "render_s": spent[0] if spent else 0.0,
        "layout_s": total - planned - (spent[0] if spent else 0.0),
        "bytes": len(data),
    }


def _cli_run(catalogue: Any) -> dict[str, Any]:
    """`python -m dashboard slides --topic T` in a fresh interpreter, timed whole, for the
    topic with the most indicators of more than one figure (the most likely charts)."""
    from dashboard.catalogue import data_files
    from dashboard.figures import topics
    from dashboard.figures.i18n import Translator

    tr = Translator(data_files.labels(), "zh")
    sizes = {
        t: sum(len(i.observations) > 1 for i in topics.topic_indicators(catalogue, t))
        for t in tr.topics()
    }
    topic = max(sizes, key=lambda t: sizes[t])
    with tempfile.TemporaryDirectory(prefix="bench-slides-") as folder:
        out = Path(folder) / "deck.pptx"
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "dashboard", "slides", "--topic", topic, "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return {"topic": topic, "seconds": seconds, "said": proc.stdout.strip()}


def measure(repeats: int) -> dict[str, Any]:
    from dashboard.catalogue import paths
    from dashboard.catalogue.validate import validate_path

    catalogue = validate_path(paths.DEFAULT_CATALOGUE).catalogue
    assert catalogue is not None
    floors = [_floor_s() for _ in range(repeats)]
    runs = [_deck_run(catalogue, "zh" if k % 2 == 0 else "en") for k in range(repeats)]
    totals = [r["total_s"] for r in runs]
    return {
        "repeats": repeats,
        "target_s": TARGET_S,
        "floor_s": floors,
        "floor_median_s": median(floors),
        "runs": runs,
        "total_median_s": median(totals),
        "total_max_s": max(totals),
        "cli": _cli_run(catalogue),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
