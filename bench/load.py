"""Catalogue load + validate at one size: the libyaml floor, `check`, `publish`, and the
dashboard cold/warm.

Run in its own process per size (`python -m bench.load PATH`), so one size's caches, garbage
and memory high-water marks never leak into the next; prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import adapter
from bench.stats import median, timed


def _bump_mtime(path: Path) -> None:
    """A changed file, as an analyst's save makes it: new mtime, same bytes."""
    stat = path.stat()
    bumped = stat.st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(bumped, bumped))


def _times(
    fn: Callable[[], Any],
    repeats: int,
    before: Callable[[], None] | None = None,
    budget_s: float = float("inf"),
) -> tuple[list[float], list[float]]:
    """Up to `repeats` (wall, CPU) timings; past `budget_s` in total, stop after three runs.

    CPU time is kept beside wall time because the machine may be shared: other processes
    stretch wall time, not the CPU seconds this process spends, so growth is judged on CPU.
    """
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        if len(wall) >= 3 and sum(wall) > budget_s:
            break
        if before is not None:
            before()
        gc.collect()
        cpu_start = time.process_time()
        seconds, _result = timed(fn)
        cpu.append(time.process_time() - cpu_start)
        wall.append(seconds)
        del _result
    return wall, cpu


def _peak(fn: Callable[[], Any], before: Callable[[], None] | None = None) -> int:
    """Bytes allocated at the peak of one call, above what was live before it."""
    if before is not None:
        before()
    gc.collect()
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return max(0, peak - start)


def _count(data: Any) -> tuple[int, int]:
    indicators = data.get("indicators") or [] if isinstance(data, dict) else []
    observations = sum(len(i.get("observations") or []) for i in indicators)
    return len(indicators), observations


def _process_checks(path: Path, repeats: int) -> dict[str, Any]:
    """Whole-process `python -m dashboard check` runs: interpreter start, imports, the default
    size limit and all, as a user runs it."""
    runs = [adapter.check_process(path) for _ in range(repeats)]
    return {
        "process_check_s": [r[0] for r in runs],
        "process_check_cpu_s": [r[1] for r in runs],
        "process_check_rss_kib": max(r[2] for r in runs),
    }


def _publishes(path: Path, repeats: int) -> dict[str, Any]:
    """`publish` timed twice over: a first vintage (nothing to compare with; every file
    copied, hashed and fsynced) and over an unchanged current vintage (its index compared,
    nothing written). A real publish with changes costs what the first does plus the
    comparison of the second."""
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    out: dict[str, Any] = {}
    try:
        fresh = work / "fresh"

        def empty() -> None:
            shutil.rmtree(fresh, ignore_errors=True)

        first = lambda: adapter.publish(path, fresh)  # noqa: E731
        out["publish_first_s"], out["publish_first_cpu_s"] = _times(first, repeats, before=empty)
        kept = work / "kept"
        adapter.publish(path, kept)
        again = lambda: adapter.publish(path, kept)  # noqa: E731
        out["publish_unchanged_s"], out["publish_unchanged_cpu_s"] = _times(again, repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        (path.parent / "audit.jsonl").unlink(missing_ok=True)
    return out


def measure(
    path: Path,
    repeats: int,
    warm_repeats: int,
    with_check: bool,
    floor_memory: bool = True,
    process_repeats: int | None = None,
) -> dict[str, Any]:
    adapter.quiet_streamlit()
    adapter.clear_caches()
    n_ind, n_obs = _count(adapter.floor(path))
    bump = lambda: _bump_mtime(path)  # noqa: E731
    out: dict[str, Any] = {
        "path": str(path),
        "bytes": path.stat().st_size,
        "indicators": n_ind,
        "observations": n_obs,
        "implementation": adapter.implementation(),
        "repeats": repeats,
    }
    out["floor_s"], out["floor_cpu_s"] = _times(lambda: adapter.floor(path), repeats)
    out.update(_process_checks(path, repeats if process_repeats is None else process_repeats))
    if with_check:
        out["check_s"], out["check_cpu_s"] = _times(lambda: adapter.check(path), repeats)
        out.update(_publishes(path, repeats))
    out["cold_s"], out["cold_cpu_s"] = _times(
        lambda: adapter.dashboard_load(path), repeats, before=bump
    )
    # The last cold load left the file's version in the cache: every call now is warm.
    out["warm_s"], out["warm_cpu_s"] = _times(
        lambda: adapter.dashboard_load(path), warm_repeats, budget_s=10
    )
    out["floor_peak_b"] = _peak(lambda: adapter.floor(path)) if floor_memory else None
    out["cold_peak_b"] = _peak(lambda: adapter.dashboard_load(path), before=bump)
    out["warm_peak_b"] = _peak(lambda: adapter.dashboard_load(path))
    for key in [k for k in out if k.endswith("_s")]:
        out[key.removesuffix("_s") + "_median_s"] = median(out[key])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warm-repeats", type=int, default=20)
    parser.add_argument("--no-check", action="store_true", help="skip timing `check` alone")
    parser.add_argument(
        "--no-floor-memory", action="store_true", help="skip the (slow) traced floor run"
    )
    parser.add_argument(
        "--process-repeats", type=int, help="whole-process check runs (default: --repeats)"
    )
    args = parser.parse_args(argv)
    result = measure(
        args.path.resolve(),
        args.repeats,
        args.warm_repeats,
        not args.no_check,
        not args.no_floor_memory,
        args.process_repeats,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
