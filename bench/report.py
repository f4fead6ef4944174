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
    if at100 and at100.get("publish_first_cpu_median_s") is not None:
        first = ratio(at100["publish_first_cpu_median_s"], at100["check_cpu_median_s"])
        same = ratio(at100["publish_unchanged_cpu_median_s"], at100["check_cpu_median_s"])
        out.append(
            (
                "`publish` at 100x (CPU; a first vintage / over an unchanged one)",
                "≤ 1.5x `check`",
                f"{_x(first)} / {_x(same)}",
                max(first, same) <= 1.5,
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
                "25 viewers at the same instant: p95 time to chart (old target, replaced by the "
                "meeting burst below)",
                "≤ 3x single-viewer median (no longer a target)",
                _x(p95x) + floor_note,
                None,
            )
        )
        mem = ratio(row["peak_rss_kib"], single["peak_rss_kib"])
        out.append(("25 viewers: server peak memory", "≤ 2x single-viewer peak", _x(mem), mem <= 2))
    deck = results.get("slides") or {}
    if deck.get("runs"):
        worst = deck["total_max_s"]
        out.append(
            (
                f"Slides: a {deck['runs'][0]['slides']}-slide deck of charts, built",
                f"≤ {deck['target_s']:.0f} s (slowest run)",
                f"{worst:.1f} s; median {deck['total_median_s']:.1f} s = "
                f"{_x(ratio(deck['total_median_s'], deck['floor_median_s']))} one-chart floor",
                worst <= deck["target_s"],
            )
        )
    out += serving_targets(results)
    out += deck_targets(results)
    out += scale_targets(results)
    return out


def deck_targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """Issue 19: five decks at once keep another viewer's overview within 2x."""
    decks = results.get("decks")
    if not decks:
        return []
    value = decks.get("ratio") or math.nan
    errors = len(decks.get("deck_errors") or [])
    return [
        (
            f"{decks['decks']} concurrent deck requests on one replica: another viewer's "
            "overview (whole page, median)",
            f"≤ {decks['target_ratio']:.0f}x its unloaded time; every deck made",
            f"{_x(value)} ({_ms(decks['loaded_median_s'])} / {_ms(decks['unloaded_median_s'])} "
            f"ms), {errors} deck errors",
            value <= decks["target_ratio"] and errors == 0,
        )
    ]


def decks_section(results: dict[str, Any]) -> str:
    decks = results.get("decks") or {}
    made = [d for d in decks.get("deck_s") or [] if d is not None]
    rows = [
        [
            f"{decks.get('decks')} × topic `{decks.get('topic')}`",
            f"{decks['first_deck_s']:.1f}" if decks.get("first_deck_s") else "–",
            ", ".join(f"{d:.1f}" for d in sorted(made)),
            f"{decks.get('deck_waited')} of {decks.get('decks')}",
            f"{_ms(decks.get('before_median_s'))} / {_ms(decks.get('after_median_s'))}",
            f"{_ms(decks.get('loaded_median_s'))} / {_ms(decks.get('loaded_p95_s'))} "
            f"({len(decks.get('loaded_s') or [])} visits)",
            _x(decks.get("ratio") or math.nan),
            f"{decks.get('machine_busy_cores', math.nan):.2f}",
            f"{decks.get('load_before', '?')} → {decks.get('load_after', '?')}",
        ]
    ]
    return (
        "### 5b. Decks under load (`bench/decks.py`)\n\n"
        "One replica as `make serve` starts it (no nginx: its per-address limits would count "
        "this one client's sessions). A deck request opens the topic page over the websocket "
        "protocol, clicks its slides button and waits until the page offers the deck. First a "
        "deck alone (the replica's kept Chromium starts), then five at once while another "
        "viewer opens the overview again and again (whole page: connect to script end); "
        "unloaded = the same visits before and after, pooled. waited = decks whose page said "
        "a deck was ahead of theirs. busy = every process on the machine during the five "
        "decks, in cores (2.00: both full).\n\n"
        + _table(
            [
                "decks",
                "first deck alone s",
                "five decks, each s (sorted)",
                "waited",
                "overview unloaded before / after ms",
                "overview under decks median / p95 ms",
                "x unloaded",
                "busy (cores)",
                "load average",
            ],
            [[c if isinstance(c, str) else str(c) for c in row] for row in rows],
        )
        + "\n"
    )


def _setup(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    setups = (results.get("serving") or {}).get("setups") or []
    return next((s for s in setups if s["setup"] == name), None)


def serving_targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """The issue-14 targets: the meeting burst, two replicas' throughput, CPU per visit."""
    out: list[tuple[str, str, str, bool | None]] = []
    serving = results.get("serving") or {}
    for setup in serving.get("setups") or []:
        single = setup["single"]["to_chart_median_s"]
        burst = ratio(setup["burst"]["to_chart_p95_s"], single)
        errors = setup["burst"]["errors"]
        out.append(
            (
                f"Meeting burst (25 viewers over 10 s), {setup['setup']}: p95 time to chart",
                "≤ 2x single viewer's median; 0 errors",
                f"{_x(burst)} ({_ms(setup['burst']['to_chart_p95_s'])} / {_ms(single)} ms), "
                f"{errors} errors",
                burst <= 2 and errors == 0,
            )
        )
    one, two = _setup(results, "1 replica behind nginx"), _setup(results, "2 replicas behind nginx")
    if one and two:
        gain = ratio(two["throughput"]["visits_per_s"], one["throughput"]["visits_per_s"])
        out.append(
            (
                "2 replicas behind nginx: visits per second",
                "≥ 1.6x 1 replica behind nginx",
                f"{_x(gain)} ({two['throughput']['visits_per_s']:.1f} / "
                f"{one['throughput']['visits_per_s']:.1f} visits/s)",
                gain >= 1.6,
            )
        )
    cpu = serving.get("cpu") or {}
    if "dashboard" in cpu and "baseline" in cpu:
        same = ratio(cpu["dashboard"]["cpu_per_visit_s"], cpu["baseline"]["cpu_per_visit_s"])
        note = ""
        if "baseline (Streamlit defaults)" in cpu:
            defaults = ratio(
                cpu["dashboard"]["cpu_per_visit_s"],
                cpu["baseline (Streamlit defaults)"]["cpu_per_visit_s"],
            )
            note = f"; against the one-chart app under Streamlit's defaults: {_x(defaults)}"
        out.append(
            (
                "Server CPU per overview visit",
                "≤ 1.5x the one-chart app's (both under the repository's server settings)",
                f"{_x(same)} ({_ms(cpu['dashboard']['cpu_per_visit_s'])} / "
                f"{_ms(cpu['baseline']['cpu_per_visit_s'])} ms){note}",
                same <= 1.5,
            )
        )
    return out


def _scale_warm(results: dict[str, Any]) -> dict[str, dict[int, tuple[float, float]]]:
    """page -> factor -> (warm wall s, warm CPU s)."""
    out: dict[str, dict[int, tuple[float, float]]] = {}
    for factor, run in ((results.get("scale") or {}).get("runs") or {}).items():
        for page, row in (run.get("pages") or {}).items():
            cpu = row.get("warm_cpu_median_s", row["warm_median_s"])
            out.setdefault(page, {})[int(factor)] = (row["warm_median_s"], cpu)
    return out


def scale_targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    out: list[tuple[str, str, str, bool | None]] = []
    for page, by_factor in _scale_warm(results).items():
        if 1 not in by_factor:
            continue
        shown, worst = [], 0.0
        for factor in sorted(f for f in by_factor if f != 1):
            value = ratio(by_factor[factor][1], by_factor[1][1])
            worst = max(worst, value)
            shown.append(f"{factor}x: {_x(value)}")
        out.append(
            (
                f"Pages at scale, warm render {page}",
                "≤ 2x the 1x catalogue's (CPU time)",
                ", ".join(shown),
                worst <= 2,
            )
        )
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
        f"\n\n{growth}\n{_publish_table(results)}"
    )


def _publish_table(results: dict[str, Any]) -> str:
    """`publish` beside `check`, CPU seconds of this process (fsync waits are not CPU)."""
    rows = []
    for r in sorted(results.get("load", []), key=lambda r: r["factor"]):
        check = r.get("check_cpu_median_s")
        first = r.get("publish_first_cpu_median_s")
        same = r.get("publish_unchanged_cpu_median_s")
        if check is None or first is None or same is None:
            continue
        rows.append(
            [
                f"{r['factor']}x",
                _ms(check),
                f"{_ms(first)} ({_x(ratio(first, check))})",
                f"{_ms(same)} ({_x(ratio(same, check))})",
                f"{_ms(r['publish_first_median_s'])} / {_ms(r['publish_unchanged_median_s'])}",
            ]
        )
    if not rows:
        return ""
    table = _table(
        [
            "size",
            "check CPU ms",
            "publish, first vintage, CPU ms (x check)",
            "publish over an unchanged vintage, CPU ms (x check)",
            "publish wall ms first / unchanged",
        ],
        rows,
    )
    return (
        "\n`publish` (`dashboard.catalogue.publish.publish`): a first vintage copies, "
        "validates, indexes, hashes and fsyncs everything; over an unchanged vintage it also "
        "compares with that vintage's index (never re-parsing its YAML) and writes nothing. A "
        "publish with changes costs about the first plus the comparison.\n\n"
        f"{table}\n"
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


def serving_section(results: dict[str, Any]) -> str:
    serving = results.get("serving") or {}
    burst = serving.get("burst") or {}
    rows = []
    for setup in serving.get("setups") or []:
        single, load, meet = setup["single"], setup["throughput"], setup["burst"]
        visits = load["visits"] or 1
        ours = load["replicas_cpu_s"] + load["nginx_cpu_s"] + load["client_cpu_s"]
        busy = f"{ours / load['wall_s']:.2f}"
        if "machine_cpu_s" in load:
            busy += f" of {load['machine_cpu_s'] / load['wall_s']:.2f}"
        rows.append(
            [
                setup["setup"],
                f"{_ms(single['to_chart_median_s'])} / {_ms(single['to_chart_p95_s'])}",
                f"{load['visits_per_s']:.1f}",
                f"{_ms(load['to_chart_median_s'])} / {_ms(load['to_chart_p95_s'])}",
                f"{_ms(meet['to_chart_p95_s'])} "
                f"({_x(ratio(meet['to_chart_p95_s'], single['to_chart_median_s']))})",
                f"{_ms(meet['finish_p95_s'])}",
                str(single["errors"] + load["errors"] + meet["errors"]),
                _ms(load["replicas_cpu_s"] / visits),
                _ms(load["nginx_cpu_s"] / visits),
                _ms(load["client_cpu_s"] / visits),
                busy,
                f"{setup.get('load_before', '?')} → {setup.get('load_after', '?')}",
            ]
        )
    cpu = serving.get("cpu") or {}
    base = (cpu.get("baseline") or {}).get("cpu_per_visit_s")
    cpu_rows = [
        [
            name,
            _ms(row["cpu_per_visit_s"]),
            _x(ratio(row["cpu_per_visit_s"], base)),
            str(row["errors"]),
        ]
        for name, row in cpu.items()
    ]
    return (
        "### 5. Serving: replicas behind nginx (`deploy/serve.py`, as `make serve` runs it)\n\n"
        "Viewers open the overview over Streamlit's websocket protocol (section 4), through "
        "nginx or straight to the replica. single = one viewer at a time "
        f"(time to chart median / p95); throughput = {serving.get('throughput_clients', '?')} "
        "viewers in a closed loop (each opens a new session as soon as its last one "
        "finished; each from an address of its own, as nginx's per-address limits see "
        f"people); meeting burst = {burst.get('viewers', '?')} viewers from one address "
        f"arriving at random moments over {burst.get('spread_s', '?')} s, p95 of the median of "
        f"{burst.get('bursts', '?')} bursts, against the single viewer's median. CPU per "
        "visit under throughput load: the replicas, nginx, and the load generator (this "
        "benchmark's own process, on the same two cores); busy = those three over the wall "
        'time, in cores, "of" every process on the machine (/proc/stat; 2.00: both cores '
        "full, the difference is other work). Load average = other work on the machine "
        "before → after.\n\n"
        + _table(
            [
                "setup",
                "single ms",
                "visits/s",
                "under load ms",
                "burst p95 ms (x single)",
                "burst whole page p95 ms",
                "errors",
                "replica CPU ms/visit",
                "nginx CPU ms/visit",
                "load generator CPU ms/visit",
                "busy: ours of machine (cores)",
                "load average",
            ],
            rows,
        )
        + "\n\nServer CPU per visit, one viewer at a time on a fresh server: the overview "
        "against the one-chart app (`bench/baseline_app.py`), both under the repository's "
        "server settings (`.streamlit/config.toml`) and under Streamlit's defaults "
        "(`--runner.postScriptGC true`).\n\n"
        + _table(["app", "server CPU ms per visit", "x one-chart app", "errors"], cpu_rows)
        + "\n"
    )


def scale_section(results: dict[str, Any]) -> str:
    scale = results.get("scale") or {}
    factors = scale.get("factors") or []
    runs = scale.get("runs") or {}
    header = [
        "page",
        *(f"{f}x warm CPU / wall ms" for f in factors),
        "CPU x 1x",
        *(f"{f}x server CPU ms/visit" for f in factors),
        "server x 1x",
    ]
    rows = [
        [
            "baseline (one-chart app)",
            *(
                f"{_ms(run.get('baseline_cpu_median_s'))} / {_ms(run.get('baseline_median_s'))}"
                for run in (runs.get(str(f)) or {} for f in factors)
            ),
            "",
            *("" for _ in factors),
            "",
        ]
    ]
    short = {"overview (default page)": "overview"}
    for page, by_factor in _scale_warm(results).items():
        cells = []
        for f in factors:
            warm = by_factor.get(f)
            cells.append(f"{_ms(warm[1])} / {_ms(warm[0])}" if warm else "–")
        growth = ", ".join(
            f"{f}x: {_x(ratio(by_factor[f][1], by_factor[1][1]))}"
            for f in factors
            if f != 1 and f in by_factor and 1 in by_factor
        )
        name = short.get(page, page.removeprefix("app_pages/").removesuffix(".py"))
        server = [
            ((runs.get(str(f)) or {}).get("server") or {}).get(name, {}).get("cpu_per_visit_s")
            for f in factors
        ]
        server_growth = ", ".join(
            f"{f}x: {_x(ratio(v, server[0]))}"
            for f, v in zip(factors, server, strict=True)
            if f != 1 and v is not None and server[0] is not None
        )
        rows.append([page, *cells, growth, *(_ms(v) for v in server), server_growth])
    counts = ", ".join(f"{f}x" for f in factors)
    return (
        "### 6. Pages at scale (AppTest, catalogues from `bench/generate.py`)\n\n"
        f"Warm render of every page with the catalogue at {counts} (a new session with caches "
        "filled, as in section 2), each size in its own process. CPU time (the process's, "
        "all threads) is compared, since other work on the machine stretches wall time; the "
        "one-chart baseline of each process shows how much. Server CPU per visit: a real "
        "`streamlit run` serving that catalogue, one websocket viewer at a time (section 5's "
        "way), 20 visits per page after two warm-up visits.\n\n" + _table(header, rows) + "\n"
    )


def slides_section(results: dict[str, Any]) -> str:
    deck = results.get("slides") or {}
    rows = [
        [
            str(k + 1),
            str(r["slides"]),
            str(r["charts"]),
            _ms(r["plan_s"]),
            _ms(r["render_s"]),
            _ms(r["layout_s"]),
            _ms(r["total_s"]),
            _x(ratio(r["total_s"], deck["floor_median_s"])),
            _mb(r["bytes"]),
        ]
        for k, r in enumerate(deck.get("runs") or [])
    ]
    cli = deck.get("cli") or {}
    return (
        "### 7. Slides (`python -m dashboard slides`, the Trends page's button)\n\n"
        "A deck of the first ten views that are charts (curated order; runs alternate zh and "
        "en), built by `slides.build_deck` as the command and the button build theirs: the "
        "views planned, every chart rendered in one kaleido batch by Debian's Chromium, then "
        "laid out by python-pptx. Floor = one trivial figure through kaleido in a fresh "
        f"browser (starting Chromium and plotly.js, which any deck pays once): "
        f"{_ms(deck.get('floor_median_s'))} ms median. The command, timed whole in a fresh "
        f"interpreter (imports and validation included) on the topic with the most "
        f"indicators of more than one figure "
        f"(`{cli.get('topic', '?')}`): {_ms(cli.get('seconds'))} ms (`{cli.get('said', '')}`)."
        "\n\n"
        + _table(
            [
                "run",
                "slides",
                "charts",
                "plan ms",
                "render ms",
                "layout + save ms",
                "total ms",
                "x floor",
                "MB",
            ],
            rows,
        )
        + "\n"
    )


def _reruns(results: dict[str, Any]) -> list[str]:
    """The partial runs whose parts replaced the full run's, each with its commit: a table
    above is from the last run of its part, not necessarily from the commit named above."""
    reruns = results.get("reruns") or []
    if not reruns:
        return []
    items = "; ".join(
        f"`{r['command'].split(' --parts ')[-1]}` at {r['started']}, commit {r.get('commit', '?')}"
        for r in reruns
    )
    return [f"Parts re-run since (each part's table is from its last run): {items}.", ""]


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
        *_reruns(results),
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
        ("serving", serving_section),
        ("decks", decks_section),
        ("scale", scale_section),
        ("slides", slides_section),
    ):
        if results.get(key):
            lines += [section(results), ""]
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)
