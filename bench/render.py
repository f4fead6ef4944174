"""Server-side page render through AppTest, cold and warm cache, against the one-chart baseline.

Runs in its own process (`python -m bench.render`) and prints one JSON object. "Cold" is a
first run after every cache is cleared (modules stay imported, as on a running server whose
catalogue just changed); "warm" is a new session with the caches already filled.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from bench import adapter
from bench.stats import median, timed

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "baseline_app.py"
APP = ROOT / "app.py"
DEFAULT_PAGE_STEM = "overview"
TIMEOUT_S = 120


def pages() -> list[str | None]:
    """The default page (None) and every other page script, as AppTest.switch_page names them.

    app.py routes with st.navigation to scripts in app_pages/; the default page is the one
    app.py runs without a switch, so it is not switched to again.
    """
    found: list[str | None] = [None]
    for folder in ("app_pages", "pages"):
        pages_dir = ROOT / folder
        if pages_dir.is_dir():
            found += sorted(
                f"{folder}/{p.name}"
                for p in pages_dir.glob("*.py")
                if p.name[0] != "_" and p.stem != DEFAULT_PAGE_STEM
            )
    return found


# CPU seconds of the last _run (all of this process's threads: AppTest runs the script in
# one of its own). Other work on a shared machine stretches wall time, not CPU time.
_last_cpu = [0.0]


def _run(script: Path, page: str | None) -> tuple[float, AppTest]:
    def go() -> AppTest:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
        if page is not None:
            at.switch_page(page)
        return at.run()

    cpu = time.process_time()
    seconds, at = timed(go)
    _last_cpu[0] = time.process_time() - cpu
    return seconds, at  # type: ignore[return-value]


def _problems(at: AppTest) -> list[str]:
    """Exceptions shown on the page (pages without charts, like the sources page, are fine)."""
    return [f"exception: {e.value}" for e in at.exception]


def measure(repeats: int, cold_repeats: int | None = None) -> dict[str, Any]:
    adapter.quiet_streamlit()
    adapter.local_authoring()
    cold_runs = repeats if cold_repeats is None else cold_repeats
    result: dict[str, Any] = {"repeats": repeats, "cold_repeats": cold_runs, "pages": {}}
    _run(BASELINE, None)  # imports plotly and streamlit's runtime once, outside any timing
    result["baseline_s"], result["baseline_cpu_s"] = [], []
    for _ in range(repeats):
        result["baseline_s"].append(_run(BASELINE, None)[0])
        result["baseline_cpu_s"].append(_last_cpu[0])
    result["baseline_median_s"] = median(result["baseline_s"])
    result["baseline_cpu_median_s"] = median(result["baseline_cpu_s"])
    if not APP.exists():
        result["note"] = "app.py not found: only the baseline was measured"
        return result
    _run(APP, None)  # imports the dashboard package once, as a running server has
    for page in pages():
        name = page or f"{DEFAULT_PAGE_STEM} (default page)"
        cold, warm, warm_cpu, problems = [], [], [], []
        for _ in range(max(cold_runs, 1)):  # at least one: it fills the caches warm runs use
            adapter.clear_caches()
            seconds, at = _run(APP, page)
            cold.append(seconds)
            problems += _problems(at)
        for _ in range(repeats):
            seconds, at = _run(APP, page)
            warm.append(seconds)
            warm_cpu.append(_last_cpu[0])
            problems += _problems(at)
        result["pages"][name] = {
            "cold_s": cold,
            "warm_s": warm,
            "cold_median_s": median(cold),
            "warm_median_s": median(warm),
            "warm_cpu_s": warm_cpu,
            "warm_cpu_median_s": median(warm_cpu),
            "charts": len(at.get("plotly_chart")),
            "problems": sorted(set(problems)),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cold-repeats", type=int, help="cold runs per page (default: --repeats)")
    parser.add_argument("--catalogue", type=Path, help="serve this file instead of the real one")
    args = parser.parse_args(argv)
    if args.catalogue:
        os.environ[adapter.ENV_CATALOGUE] = str(args.catalogue.resolve())
    os.chdir(ROOT)
    json.dump(measure(args.repeats, args.cold_repeats), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
