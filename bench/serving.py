"""Serving: 1 replica direct, 1 and 2 replicas behind nginx; a meeting burst; CPU per visit.

Viewers speak Streamlit's websocket protocol (bench/concurrent.py) to the overview, through
deploy/serve.py's cluster, exactly as `make serve` runs it. The load generator runs in this
process on the same two cores as the servers: its CPU is measured and reported beside theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import machine
from bench.concurrent import Visit, visit
from bench.server import StreamlitServer, cpu_seconds
from bench.stats import median, p95
from deploy.serve import Cluster

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline_app.py"
APP = ROOT / "app.py"
# Streamlit's own default, which .streamlit/config.toml turns off (bench/NOTES.md).
STREAMLIT_DEFAULTS = ["--runner.postScriptGC", "true"]


@dataclass(frozen=True)
class Setup:
    name: str
    replicas: int
    proxy: bool


SETUPS = (
    Setup("1 replica, direct", 1, False),
    Setup("1 replica behind nginx", 1, True),
    Setup("2 replicas behind nginx", 2, True),
)
THROUGHPUT_CLIENTS = 8
BURST_VIEWERS = 25
BURST_SPREAD_S = 10.0


def _cpu(pids: Sequence[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):  # a worker that ended meanwhile
            total += cpu_seconds(pid)
    return total


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (/proc/stat): with our
    own processes' share, it shows how much of the two cores other work took."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Meter:
    """CPU of the replicas, of nginx, of this process (the load generator) and of the whole
    machine over a span."""

    cluster: Cluster

    def read(self) -> tuple[float, float, float, float, float]:
        replicas = _cpu([r.proc.pid for r in self.cluster.members if r.proc is not None])
        nginx = _cpu(self.cluster.nginx_pids())
        return replicas, nginx, time.process_time(), machine_busy_s(), time.perf_counter()


def _spent(before: tuple[float, ...], after: tuple[float, ...]) -> dict[str, float]:
    replicas, nginx, client, machine, wall = (b - a for a, b in zip(before, after, strict=True))
    return {
        "replicas_cpu_s": replicas,
        "nginx_cpu_s": nginx,
        "client_cpu_s": client,
        "machine_cpu_s": machine,
        "wall_s": wall,
    }


def _check(visits: list[Visit]) -> list[str]:
    return [e for v in visits for e in v.errors]


# Client addresses (any 127.x.y.z reaches the loopback): nginx's limits are per address, and
# the load is what it models. One viewer at a time is one person; each closed-loop viewer
# is a person of their own; a meeting burst is 25 people behind one office address.
SINGLE_ADDRESS = "127.0.1.1"


def _loop_address(k: int) -> str:
    return f"127.0.2.{k + 1}"


def _meeting_address(seed: int) -> str:
    return f"127.0.3.{seed + 1}"


async def _closed_loop(url: str, clients: int, duration_s: float) -> list[Visit]:
    """`clients` viewers, each opening a new session as soon as its last one finished."""
    done: list[Visit] = []
    stop = time.perf_counter() + duration_s

    async def viewer(k: int) -> None:
        while time.perf_counter() < stop:
            done.append(await visit(url, source=_loop_address(k)))

    await asyncio.gather(*(viewer(k) for k in range(clients)))
    return done


async def _meeting(url: str, seed: int) -> list[Visit]:
    """BURST_VIEWERS arriving at uniformly random moments over BURST_SPREAD_S seconds,
    all from one address (an office's)."""
    rng = random.Random(seed)
    offsets = sorted(rng.uniform(0, BURST_SPREAD_S) for _ in range(BURST_VIEWERS))

    async def viewer(offset: float) -> Visit:
        await asyncio.sleep(offset)
        return await visit(url, source=_meeting_address(seed))

    return list(await asyncio.gather(*(viewer(o) for o in offsets)))


def _summary(visits: list[Visit]) -> dict[str, Any]:
    charts = [v.to_chart for v in visits if v.to_chart is not None]
    finishes = [v.to_finish for v in visits if v.to_finish is not None]
    errors = _check(visits)
    return {
        "visits": len(visits),
        "to_chart_median_s": median(charts),
        "to_chart_p95_s": p95(charts),
        "finish_median_s": median(finishes),
        "finish_p95_s": p95(finishes),
        "errors": len(errors),
        "error_examples": errors[:3],
    }


def published_env() -> tuple[dict[str, str], Path]:
    """The environment of public replicas serving the repository's catalogue: a copy of it
    (with its data folder) in a temporary folder, published there once, as `make serve`
    publishes it on a fresh clone (the repository's own `published/` is left alone)."""
    from dashboard.catalogue import audit, publish

    folder = Path(tempfile.mkdtemp(prefix="bench-published-"))
    shutil.copytree(ROOT / "data", folder / "data")
    catalogue = Path(shutil.copy(ROOT / "indicators.yaml", folder / "indicators.yaml"))
    outcome = publish.publish(catalogue, who=audit.Who("bench"))
    if outcome.status != "published":
        raise RuntimeError(f"the benchmark could not publish the catalogue: {outcome.status}")
    env = {k: v for k, v in os.environ.items() if k != "SHSTS_PUBLISHED"}
    env["SHSTS_CATALOGUE"] = str(catalogue)
    return env, folder


def measure_setup(setup: Setup, singles: int, duration_s: float, bursts: int) -> dict[str, Any]:
    env, published = published_env()
    try:
        return _measure_setup(setup, singles, duration_s, bursts, env)
    finally:
        shutil.rmtree(published, ignore_errors=True)


@contextlib.contextmanager
def published_copy() -> Iterator[dict[str, str]]:
    """published_env as a context: the environment, and the folder removed afterwards."""
    env, folder = published_env()
    try:
        yield env
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure_setup(
    setup: Setup, singles: int, duration_s: float, bursts: int, env: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"setup": setup.name, "replicas": setup.replicas, "proxy": setup.proxy}
    with Cluster(replicas=setup.replicas, proxy=setup.proxy, env=env, access_log=False) as cluster:
        for replica in cluster.members:  # each replica's first visit fills its caches
            for _ in range(2):
                asyncio.run(visit(replica.url))
        meter = Meter(cluster)
        out["load_before"] = machine.load_average()
        # One viewer at a time: the reference time to chart, and the CPU one visit costs.
        before = meter.read()
        single = [asyncio.run(visit(cluster.url, source=SINGLE_ADDRESS)) for _ in range(singles)]
        out["single"] = {**_summary(single), **_spent(before, meter.read())}
        # Throughput: a closed loop of viewers keeps every replica busy.
        before = meter.read()
        loaded = asyncio.run(_closed_loop(cluster.url, THROUGHPUT_CLIENTS, duration_s))
        spent = _spent(before, meter.read())
        out["throughput"] = {
            **_summary(loaded),
            **spent,
            "clients": THROUGHPUT_CLIENTS,
            "visits_per_s": len(loaded) / spent["wall_s"],
        }
        # The meeting: one burst per seed; p95 is the median burst's.
        runs = []
        for seed in range(bursts):
            before = meter.read()
            visits = asyncio.run(_meeting(cluster.url, seed))
            runs.append({**_summary(visits), **_spent(before, meter.read())})
        out["burst"] = {
            "runs": runs,
            "to_chart_p95_s": median([r["to_chart_p95_s"] for r in runs]),
            "finish_p95_s": median([r["finish_p95_s"] for r in runs]),
            "errors": sum(r["errors"] for r in runs),
        }
        out["load_after"] = machine.load_average()
    return out


def cpu_per_visit(script: Path, extra_args: list[str], visits: int) -> dict[str, Any]:
    """Server CPU of one visit at a time (sequential sessions), on a fresh server."""
    with StreamlitServer(script, cwd=ROOT, extra_args=extra_args) as server:
        for _ in range(3):
            asyncio.run(visit(server.url))
        start = server.cpu_seconds()
        done = [asyncio.run(visit(server.url)) for _ in range(visits)]
        spent = server.cpu_seconds() - start
    return {"cpu_per_visit_s": spent / visits, "visits": visits, "errors": len(_check(done))}


# The dashboard's pages by url path ("" is the overview), for visits without a browser.
PAGE_PATHS = {
    "overview": "",
    "topic": "topic",
    "trends": "trends",
    "finder": "finder",
    "sources": "sources",
    "health": "health",
    "review": "review",
}


def page_cpu(catalogue: Path, visits: int) -> dict[str, Any]:
    """Server CPU per visit of every page, one viewer at a time, serving `catalogue`."""
    out: dict[str, Any] = {}
    env = {**os.environ, "SHSTS_CATALOGUE": str(catalogue)}
    with StreamlitServer(APP, cwd=ROOT, env=env) as server:
        for name, path in PAGE_PATHS.items():
            for _ in range(2):  # the first visit validates the catalogue and fills caches
                asyncio.run(visit(server.url, page_name=path, want_chart=False))
            start = server.cpu_seconds()
            done = [
                asyncio.run(visit(server.url, page_name=path, want_chart=False))
                for _ in range(visits)
            ]
            spent = server.cpu_seconds() - start
            out[name] = {"cpu_per_visit_s": spent / visits, "errors": len(_check(done))}
    return out


def run(quick: bool) -> dict[str, Any]:
    singles, duration, bursts, cpu_visits = (10, 8.0, 2, 30) if quick else (20, 15.0, 3, 60)
    out: dict[str, Any] = {
        "throughput_clients": THROUGHPUT_CLIENTS,
        "burst": {"viewers": BURST_VIEWERS, "spread_s": BURST_SPREAD_S, "bursts": bursts},
        "setups": [measure_setup(s, singles, duration, bursts) for s in SETUPS],
        "cpu": {},
    }
    # Both apps under the repository's server settings, and under Streamlit's defaults.
    for name, script in (("baseline", BASELINE), ("dashboard", APP)):
        out["cpu"][name] = cpu_per_visit(script, [], cpu_visits)
        out["cpu"][f"{name} (Streamlit defaults)"] = cpu_per_visit(
            script, STREAMLIT_DEFAULTS, cpu_visits
        )
    return out
