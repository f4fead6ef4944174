"""`python -m bench [--quick]`: run the benchmark, print the table, write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench import browser, concurrent, decks, generate, machine, report, serving

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline_app.py"
APP = ROOT / "app.py"
OUT_DIR = ROOT / "bench" / "out"
PARTS = ("load", "render", "browser", "concurrent", "serving", "decks", "scale", "slides")
# Runs per size: fewer at the big sizes, where one run of the floor alone takes seconds.
REPEATS_FULL = {1: 7, 10: 5, 100: 3, 1000: 3}
REPEATS_QUICK = {1: 3, 10: 3, 100: 3}
# Pages at scale: the benchmark's catalogue grown 10x and 40x against a verbatim copy.
SCALE_FACTORS = (1, 10, 40)


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _json_subprocess(args: list[str]) -> dict[str, Any]:
    """Run a bench worker in its own interpreter and read the JSON object it prints."""
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _save(results: dict[str, Any]) -> None:
    """Keep what has been measured so far: a long run cut short still leaves its numbers."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def run_load(catalogue: Path, quick: bool, results: dict[str, Any]) -> list[dict[str, Any]]:
    repeats = REPEATS_QUICK if quick else REPEATS_FULL
    rows: list[dict[str, Any]] = results.setdefault("load", [])
    work = Path(tempfile.mkdtemp(prefix="bench-catalogues-"))
    try:
        for factor, n in repeats.items():
            t0 = time.perf_counter()
            path = generate.write_catalogue(catalogue, factor, work / f"x{factor}")
            _log(f"load {factor}x: generated {path.stat().st_size / 1e6:.1f} MB")
            args = ["bench.load", str(path), "--repeats", str(n)]
            if factor >= 1000:
                # Minutes per run at this size: the cold load already runs the same
                # validation as `check`, and tracing the floor's memory would double its time.
                # One whole-process check still runs: its peak RSS shows memory stays linear.
                args += ["--no-check", "--no-floor-memory", "--process-repeats", "1"]
            row = _json_subprocess(args)
            row["factor"] = factor
            rows.append(row)
            _save(results)
            _log(f"load {factor}x: done in {time.perf_counter() - t0:.0f} s")
            shutil.rmtree(path.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def run_scale(catalogue: Path, quick: bool, results: dict[str, Any]) -> None:
    """Warm (and one cold) AppTest render of every page at each SCALE_FACTORS size."""
    runs: dict[str, Any] = {}
    results["scale"] = {"factors": list(SCALE_FACTORS), "runs": runs}
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for factor in SCALE_FACTORS:
            path = generate.write_catalogue(catalogue, factor, work / f"x{factor}")
            _log(f"scale {factor}x: render")
            runs[str(factor)] = _json_subprocess(
                [
                    "bench.render",
                    "--repeats", str(3 if quick else 5),
                    "--cold-repeats", "1",
                    "--catalogue", str(path),
                ]
            )  # fmt: skip
            _log(f"scale {factor}x: server CPU per visit")
            runs[str(factor)]["server"] = serving.page_cpu(path, 10 if quick else 20)
            _save(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _labels() -> tuple[str, str]:
    """The language switch's two labels, as data/i18n.yaml spells them (never hard-coded)."""
    data = yaml.load((ROOT / "data" / "i18n.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    names = data["ui"]["language_name"]
    return names["zh"]["zh"], names["en"]["en"]


def _first_indicator(catalogue: Path) -> str | None:
    data = yaml.load(catalogue.read_text("utf-8"), Loader=yaml.CSafeLoader)
    indicators = data.get("indicators") or []
    headline = [i for i in indicators if i.get("headline")]
    chosen = (headline or indicators)[:1]
    return chosen[0]["id"] if chosen else None


def dashboard_targets(catalogue: Path) -> list[browser.Target]:
    toggles = _labels()
    targets = [browser.Target("overview", "/", toggles)]
    indicator = _first_indicator(catalogue) if catalogue.exists() else None
    if indicator:
        targets.append(browser.Target("indicator page", f"/trends?indicator={indicator}", toggles))
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 1000x, fewer repeats")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma list of {PARTS}")
    parser.add_argument("--catalogue", type=Path, default=ROOT / "indicators.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from bench/out/results.json (after editing bench/NOTES.md)",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        saved = json.loads((OUT_DIR / "results.json").read_text(encoding="utf-8"))
        args.out.write_text(report.markdown(saved), encoding="utf-8")
        print(report.markdown(saved))
        return 0
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {sorted(unknown)}")
    started = time.perf_counter()
    command = ".venv/bin/python -m bench" + (" --quick" if args.quick else "")
    if args.parts != ",".join(PARTS):
        command += f" --parts {args.parts}"
    results: dict[str, Any] = {
        "command": command,
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine.describe(ROOT),
    }
    saved_path = OUT_DIR / "results.json"
    if set(parts) != set(PARTS) and saved_path.exists():
        # A partial run replaces only its own parts: the others keep their last full run's
        # numbers (and its header); each partial run is listed under "reruns".
        saved = json.loads(saved_path.read_text(encoding="utf-8"))
        rerun = {k: results[k] for k in ("command", "started")}
        rerun["commit"] = results["machine"].get("commit")
        results = {k: v for k, v in saved.items() if k not in parts}
        results.setdefault("reruns", []).append(rerun)
    catalogue = args.catalogue.resolve()
    repeats = 3 if args.quick else 5
    if "load" in parts:
        run_load(catalogue, args.quick, results)
    if "render" in parts:
        _log("render: AppTest")
        results["render"] = _json_subprocess(
            ["bench.render", "--repeats", str(repeats if args.quick else 7)]
        )
        _save(results)
    if "browser" in parts:
        _log("browser: Chromium")
        results["browser"] = browser.run(
            APP, BASELINE, dashboard_targets(catalogue), _labels(), repeats
        )
        _save(results)
    if "concurrent" in parts:
        results["concurrent"] = {}
        for name, script in (("baseline", BASELINE), ("dashboard", APP)):
            if not script.exists():
                continue
            _log(f"concurrent: {name}")
            levels = concurrent.run(script, (10, 25), 2 if args.quick else 3, ROOT)
            results["concurrent"][name] = [vars(r) for r in levels]
    if "serving" in parts:
        _log("serving: replicas behind nginx")
        results["serving"] = serving.run(args.quick)
        _save(results)
    if "decks" in parts:
        _log("decks: five decks at once on one replica, another viewer's overview")
        results["decks"] = decks.run(12 if args.quick else 20)
        _save(results)
    if "scale" in parts:
        run_scale(catalogue, args.quick, results)
    if "slides" in parts:
        _log("slides: a 10-slide deck through kaleido and python-pptx")
        results["slides"] = _json_subprocess(["bench.slides", "--repeats", str(3)])
        _save(results)
    elapsed = time.perf_counter() - started
    if "elapsed_s" in results and results.get("reruns"):  # a partial run over a saved full one
        results["reruns"][-1]["elapsed_s"] = elapsed
    else:
        results["elapsed_s"] = elapsed
        results["machine"]["load_after"] = machine.load_average()
    _save(results)
    text = report.markdown(results)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    _log(f"wrote {args.out} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
