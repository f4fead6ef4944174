"""Turn one benchmark run's results into the printed table and BENCHMARKS.md."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

from bench.stats import ratio

NOTES = Path(__file__).resolve().parent / "NOTES.md"


def _ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "–"
    return f"{seconds * 1000:,.0f}" if seconds >= 0.0005 else f"{seconds * 1000:.2f}"


def _x(value: float) -> str:
    if value is None or math.isnan(value):
        return "–"
    if value >= 10:
        return f"{value:.0f}x"
    return f"{value:.2f}x" if value >= 0.01 else f"{value:.4f}x"


def _mb(n_bytes: float | None) -> str:
    if n_bytes is None or (isinstance(n_bytes, float) and math.isnan(n_bytes)):
        return "–"
    return f"{n_bytes / 1_000_000:,.1f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**MISSED**")


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(what, target, measured, met) for every target of the issue, in the issue's order."""
    out: list[tuple[str, str, str, bool | None]] = []
    load = {row["factor"]: row for row in results.get("load", [])}
    at100 = load.get(100)
    if at100:
        cold = ratio(at100["cold_median_s"], at100["floor_median_s"])
        warm = ratio(at100["warm_median_s"], at100["floor_median_s"])
        out.append(("Load + validate, cold, 100x", "≤ 3x floor", _x(cold), cold <= 3))
        out.append(("Load, warm (unchanged file), 100x", "≤ 0.05x floor", _x(warm), warm <= 0.05))
    if at100 and at100.get("process_check_median_s") is not None:
        whole = ratio(at100["process_check_median_s"], at100["floor_median_s"])
        out.append(
            (
                "Whole-process `python -m dashboard check`, 100x, default settings",
                "≤ 1x floor",
                _x(whole),
                whole <= 1,
            )
        )
    marginal = _marginal_rss(results.get("load", []))
    if len(marginal) >= 2:
        spread = max(marginal.values()) / min(marginal.values())
        out.append(
            (
                "Loader memory linear in file size",
                "peak RSS of `check` per added file byte about constant: max/min ≤ 1.5",
                f"{_x(spread)} ("
                + ", ".join(f"{k}: {v:.1f}" for k, v in marginal.items())
                + " bytes per byte)",
                spread <= 1.5,
            )
        )
    per_mb = _cold_cpu_per_mb(results.get("load", []))
    if len(per_mb) >= 2:
        spread = max(per_mb.values()) / min(per_mb.values())
        sizes = sorted(per_mb)
        out.append(
            (
                f"Cold load grows linearly ({sizes[0]}x→{sizes[-1]}x)",
                "CPU ms per MB about constant: max/min ≤ 2 (quadratic: 10x per step)",
                f"{_x(spread)} (" + ", ".join(f"{k}x: {per_mb[k]:.0f}" for k in sizes) + " ms/MB)",
                spread <= 2,
            )
        )
    render = results.get("render") or {}
    base = render.get("baseline_median_s")
    for name, page in (render.get("pages") or {}).items():
        warm = ratio(page["warm_median_s"], base)
        cold = ratio(page["cold_median_s"], base)
        out.append((f"Warm render {name}", "≤ 2x baseline", _x(warm), warm <= 2))
        out.append((f"Cold render {name}", "≤ 5x baseline", _x(cold), cold <= 5))
    browser = results.get("browser") or {}
    bbase = (browser.get("baseline") or {}).get("to_chart_median_s")
    for name, target in (browser.get("targets") or {}).items():
        value = ratio(target["to_chart_median_s"], bbase)
        out.append((f"Browser time to chart, {name}", "≤ 1.5x baseline", _x(value), value <= 1.5))
    errors = {
        name: len(t["errors"]) for name, t in (browser.get("targets") or {}).items() if t["errors"]
    }
    if browser.get("targets"):
        out.append(
            (
                "Browser: no page errors on navigation and language switch (extra check)",
                "0",
                ", ".join(f"{n}: {c}" for n, c in errors.items()) or "0",
                not errors,
            )
        )
    conc = (results.get("concurrent") or {}).get("dashboard") or []
    single = next((r for r in conc if r["viewers"] == 1), None)
    base_levels = (results.get("concurrent") or {}).get("baseline") or []
    base_single = next((r for r in base_levels if r["viewers"] == 1), None)
    base_25 = next((r for r in base_levels if r["viewers"] == 25), None)
    for row in conc:
        if row["viewers"] != 25 or single is None:
            continue
        out.append(("25 viewers: errors", "0", str(row["errors"]), row["errors"] == 0))
        p95x = ratio(row["p95_s"], single["median_s"])
        floor_note = ""
        if base_single and base_25:
            floor_note = (
                f" (one-chart baseline app: {_x(ratio(base_25['p95_s'], base_single['median_s']))})"
            )
        out.append(
            (
                "25 viewers: p95 time to chart",
                "≤ 3x single-viewer median",
                _x(p95x) + floor_note,
                p95x <= 3,
            )
        )
        mem = ratio(row["peak_rss_kib"], single["peak_rss_kib"])
        out.append(("25 viewers: server peak memory", "≤ 2x single-viewer peak", _x(mem), mem <= 2))
    return out


def _marginal_rss(load_rows: list[dict[str, Any]]) -> dict[str, float]:
    """Peak RSS added per byte of file from one size to the next (the interpreter's own
    ~30 MiB cancels out), for every step where both sizes ran a whole-process check."""
    rows = sorted(
        (r for r in load_rows if r.get("process_check_rss_kib")), key=lambda r: r["factor"]
    )
    out = {}
    for small, big in itertools.pairwise(rows):
        added = (big["process_check_rss_kib"] - small["process_check_rss_kib"]) * 1024
        out[f"{small['factor']}x→{big['factor']}x"] = added / (big["bytes"] - small["bytes"])
    return out


def _cold_cpu_per_mb(load_rows: list[dict[str, Any]]) -> dict[int, float]:
    """Cold-load CPU ms per MB of catalogue from 10x up (at 1x fixed costs dominate)."""
    out = {}
    for row in load_rows:
        if row["factor"] >= 10:
            cpu = row.get("cold_cpu_median_s", row["cold_median_s"])
            out[row["factor"]] = cpu * 1000 / (row["bytes"] / 1_000_000)
    return out


def _growth(load_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = sorted(load_rows, key=lambda r: r["factor"])
    steps = []

    def cpu(row: dict[str, Any], name: str) -> float:
        return row.get(f"{name}_cpu_median_s", row[f"{name}_median_s"])

    for small, big in itertools.pairwise(rows):
        steps.append(
            {
                "step": f"{small['factor']}x→{big['factor']}x",
                "factor_step": big["factor"] // small["factor"],
                "size_step": ratio(big["bytes"], small["bytes"]),
                "floor_step": ratio(big["floor_median_s"], small["floor_median_s"]),
                "cold_step": ratio(big["cold_median_s"], small["cold_median_s"]),
                "warm_step": ratio(big["warm_median_s"], small["warm_median_s"]),
                "floor_cpu_step": ratio(cpu(big, "floor"), cpu(small, "floor")),
                "cold_cpu_step": ratio(cpu(big, "cold"), cpu(small, "cold")),
                "cold_cpu_vs_first": ratio(cpu(big, "cold"), cpu(rows[0], "cold")),
            }
        )
    return steps


def load_section(results: dict[str, Any]) -> str:
    rows = []
    for r in sorted(results.get("load", []), key=lambda r: r["factor"]):
        f = r["floor_median_s"]
        check = r.get("check_median_s")
        whole = r.get("process_check_median_s")
        rss = r.get("process_check_rss_kib")
        rows.append(
            [
                f"{r['factor']}x",
                f"{r['indicators']:,}",
                f"{r['observations']:,}",
                _mb(r["bytes"]),
                _ms(f),
                f"{_ms(check)} ({_x(ratio(check, f))})" if check is not None else "–",
                f"{_ms(whole)} ({_x(ratio(whole, f))})" if whole is not None else "–",
                f"{rss / 1024:,.0f}" if rss else "–",
                f"{_ms(r['cold_median_s'])} ({_x(ratio(r['cold_median_s'], f))})",
                f"{_ms(r['warm_median_s'])} ({_x(ratio(r['warm_median_s'], f))})",
                f"{_mb(r['floor_peak_b'])} / {_mb(r['cold_peak_b'])} / {_mb(r['warm_peak_b'])}",
                str(r["repeats"]),
            ]
        )
    table = _table(
        [
            "size",
            "indicators",
            "observations",
            "file MB",
            "floor ms",
            "check ms (x floor)",
            "whole-process check ms (x floor)",
            "check peak RSS MiB",
            "cold load ms (x floor)",
            "warm load ms (x floor)",
            "peak MB floor / cold / warm",
            "runs",
        ],
        rows,
    )
    growth = _table(
        [
            "step",
            "file size",
            "floor CPU",
            "cold load CPU",
            "floor wall",
            "cold load wall",
            "warm load wall",
        ],
        [
            [
                s["step"],
                _x(s["size_step"]),
                _x(s["floor_cpu_step"]),
                _x(s["cold_cpu_step"]),
                _x(s["floor_step"]),
                _x(s["cold_step"]),
                _x(s["warm_step"]),
            ]
            for s in _growth(results.get("load", []))
        ],
    )
    impl = (results.get("load") or [{}])[0].get("implementation", {})
    return (
        "### 1. Catalogue load + validate\n\n"
        "floor = `yaml.load(f, Loader=yaml.CSafeLoader)` of the same file; check = "
        f"`{impl.get('check', '?')}` (what `python -m dashboard check` runs); whole-process "
        "check = `python -m dashboard check FILE` in a fresh interpreter with the default size "
        "limit (start-up and imports included; its peak RSS from getrusage); cold load = the "
        f"dashboard's loader `{impl.get('load', '?')}` after the file's mtime changed; warm "
        "load = the same call with the file unchanged. Peak memory: tracemalloc peak of one "
        "call above what was live before it. At 1000x, `check` alone and the floor's memory are "
        "not measured (–): each would add minutes, and the cold load runs the same "
        "validation; the whole-process check runs once there, for its memory.\n\n"
        f"{table}\n\nGrowth per step (≈ 10x per 10x step is linear). CPU time (this process's "
        "own seconds) is the fair measure on a shared machine; wall time is what a user waits."
        f"\n\n{growth}\n"
    )


def render_section(results: dict[str, Any]) -> str:
    render = results.get("render") or {}
    base = render.get("baseline_median_s")
    rows = [
        ["baseline (one 7-point Plotly chart)", _ms(base), "1.00x", _ms(base), "1.00x", "1", ""]
    ]
    for name, p in (render.get("pages") or {}).items():
        rows.append(
            [
                name,
                _ms(p["cold_median_s"]),
                _x(ratio(p["cold_median_s"], base)),
                _ms(p["warm_median_s"]),
                _x(ratio(p["warm_median_s"], base)),
                str(p["charts"]),
                "; ".join(p["problems"])[:120],
            ]
        )
    note = f"\n\n{render['note']}" if render.get("note") else ""
    return (
        "### 2. Page render on the server (AppTest)\n\n"
        "cold = first run after every cache is cleared (modules already imported); warm = a new "
        "session with caches filled.\n\n"
        + _table(
            ["page", "cold ms", "cold x base", "warm ms", "warm x base", "charts", "problems"], rows
        )
        + note
        + "\n"
    )


def browser_section(results: dict[str, Any]) -> str:
    browser = results.get("browser") or {}
    base = browser.get("baseline") or {}
    bc, br = base.get("to_chart_median_s"), base.get("redraw_median_s")
    rows = [
        [
            "baseline (one-chart app)",
            "/",
            _ms(bc),
            "1.00x",
            _ms(br),
            "1.00x",
            ", ".join(base.get("errors", [])),
        ]
    ]
    for name, t in (browser.get("targets") or {}).items():
        rows.append(
            [
                name,
                f"`{t['path']}`",
                _ms(t["to_chart_median_s"]),
                _x(ratio(t["to_chart_median_s"], bc)),
                _ms(t["redraw_median_s"]),
                _x(ratio(t["redraw_median_s"], br)),
                "; ".join(t["errors"])[:160],
            ]
        )
    return (
        "### 3. In the browser (headless Chromium, `streamlit run` on localhost)\n\n"
        "time to chart = fresh browser context, navigation start to the first Plotly chart's SVG "
        "visible (server caches warm); redraw = click on the language switch until the main area's "
        "text changed and the script is idle.\n\n"
        + _table(["page", "url", "to chart ms", "x base", "redraw ms", "x base", "errors"], rows)
        + "\n"
    )


def concurrent_section(results: dict[str, Any]) -> str:
    conc = results.get("concurrent") or {}
    rows = []
    for app, levels in conc.items():
        single = next((r for r in levels if r["viewers"] == 1), None)
        for r in levels:
            rows.append(
                [
                    app,
                    str(r["viewers"]),
                    _ms(r["median_s"]),
                    _ms(r["p95_s"]),
                    _x(ratio(r["p95_s"], single["median_s"])) if single else "–",
                    f"{_ms(r.get('finish_median_s'))} / {_ms(r.get('finish_p95_s'))}",
                    str(r["errors"]),
                    f"{r['peak_rss_kib'] / 1024:,.0f}",
                    _x(ratio(r["peak_rss_kib"], single["peak_rss_kib"])) if single else "–",
                    _ms(r.get("cpu_per_visit_s")),
                    f"{r['cpu_over_wall']:.2f}" if r.get("cpu_over_wall") else "–",
                ]
            )
    return (
        "### 4. Concurrent viewers on the overview (Streamlit websocket sessions)\n\n"
        "Each viewer opens its own session on `/_stcore/stream` and asks for a run of the "
        "overview, exactly as a browser tab does; all viewers of a level start at once. Time to "
        "chart = connect to the first `plotly_chart` element received; whole page = to the "
        "script's end (every chart sent). A fresh server per level, warmed by one visit; "
        "peak memory = the server's VmHWM from /proc; server CPU = its user + system time over "
        "the visits (/proc/PID/stat), per visit, and divided by their wall time (1.00: the "
        "server's one Python process was busy throughout). The baseline app under the same "
        "load shows what Streamlit itself costs on this machine.\n\n"
        + _table(
            [
                "app",
                "viewers",
                "median ms",
                "p95 ms",
                "p95 x single median",
                "whole page median / p95 ms",
                "errors",
                "peak RSS MiB",
                "x single peak",
                "server CPU ms per visit",
                "server CPU / wall",
            ],
            rows,
        )
        + "\n"
    )


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/` (do not edit by hand: edit `bench/NOTES.md` for the findings).",
        "",
        f"Command: `{results['command']}` from the repository root (`make bench` runs the same; "
        f"≈ {results['elapsed_s'] / 60:.0f} min on this machine; `--quick` skips 1000x and runs "
        "fewer repeats). Needs Chromium at /usr/bin/chromium (`make browser-deps`).",
        "",
        f"Run at {results['started']} on: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram']} RAM, {machine['os']}; Python {machine['python']} (libyaml: "
        f"{machine['libyaml']}); {machine['packages']}; {machine['chromium']}; commit "
        f"{machine['commit']}. Load average (1/5/15 min) before the run: "
        f"{machine.get('load_before', '?')}, after: {machine.get('load_after', '?')}.",
        "",
        "Every figure is the median of the runs shown; every time is also given as a ratio to a "
        "baseline measured in the same run, which is what transfers to another machine.",
        "",
        "## Targets",
        "",
        _table(
            ["target", "goal", "measured", "verdict"],
            [[a, b, c, _verdict(d)] for a, b, c, d in targets(results)],
        ),
        "",
        "## Results",
        "",
    ]
    for key, section in (
        ("load", load_section),
        ("render", render_section),
        ("browser", browser_section),
        ("concurrent", concurrent_section),
    ):
        if results.get(key):
            lines += [section(results), ""]
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)
